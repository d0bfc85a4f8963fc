"""Shared fixtures for the generated-client tests: the spec, a Prism server on it, and a tiny
loopback HTTP server that serves canned bodies and records what the client sent."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# `tests.support` and `benchmarks` are imported from the checkout whichever way pytest was
# started (`pytest` does not put the rootdir on sys.path, `python -m pytest` does).
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
# The README's set-up installs the package (editable, from generated/); without it, test the
# committed package in place rather than fail on the import.
if importlib.util.find_spec("openrouter_client") is None:
    sys.path.insert(0, str(REPO_ROOT / "generated"))

from tests.support.golden import SPEC_PATH, load_spec
from tests.support.prism import PrismOptions, PrismServer, running_prism


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Async tests run on asyncio only."""
    return "asyncio"


@pytest.fixture(scope="session")
def spec() -> Mapping[str, Any]:
    """The committed OpenAPI document the client was generated from."""
    assert SPEC_PATH.exists(), f"{SPEC_PATH} is missing; run `make spec`"
    return load_spec(SPEC_PATH)


@pytest.fixture(scope="session")
def prism_server() -> Iterator[PrismServer]:
    """Prism on spec/openapi.yaml (static responses unless a request asks for dynamic ones)."""
    with running_prism(SPEC_PATH, PrismOptions()) as server:
        yield server


# --------------------------------------------------------------------------- loopback server


@dataclass(frozen=True)
class RecordedRequest:
    """What the client sent, as the server saw it."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)


@dataclass(frozen=True)
class CannedResponse:
    """A response the loopback server gives for one method and path."""

    body: bytes
    status: int = 200
    content_type: str = "application/json"


@dataclass
class LoopbackServer:
    """An HTTP server on 127.0.0.1 answering canned responses; records every request."""

    routes: dict[tuple[str, str], CannedResponse] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    port: int = 0

    @property
    def base_url(self) -> str:
        """Root URL of the server."""
        return f"http://127.0.0.1:{self.port}"

    def route(self, method: str, path: str, body: bytes | Any, status: int = 200) -> None:
        """Answer ``method path`` with ``body`` (bytes as they are, anything else as JSON)."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.routes[(method.upper(), path)] = CannedResponse(raw, status)


def _handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            path, _, query = self.path.partition("?")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            server.requests.append(
                RecordedRequest(self.command, path, query, dict(self.headers.items()), body)
            )
            canned = server.routes.get((self.command, path))
            if canned is None:
                canned = CannedResponse(
                    json.dumps({"error": {"code": 404, "message": f"no route {path}"}}).encode(),
                    404,
                )
            self.send_response(canned.status)
            self.send_header("Content-Type", canned.content_type)
            self.send_header("Content-Length", str(len(canned.body)))
            self.end_headers()
            self.wfile.write(canned.body)

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A fresh loopback server for one test."""
    server = LoopbackServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.port = httpd.server_address[1]
    # A short poll interval keeps shutdown() (and so each test's teardown) fast.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
