"""Run the Prism mock server on an OpenAPI document and catch every request it finds invalid.

Prism 5.16 (`prism mock`) validates each request against the document. What it answers for an
invalid request depends on the document, so a check must look at both forms:

- the operation documents a 400 or 422 response: Prism answers with that response and lists the
  problems in an ``sl-violations`` header (a JSON array);
- it documents neither: Prism makes up ``422 application/problem+json`` with ``type``
  ``https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY`` and the problems in ``validation``,
  with no header at all.

Unknown paths (404), methods (405) and missing security (401) also come back as Prism's own
``application/problem+json``. A mocked response that breaks its own schema (an invalid example in
the document) carries ``sl-violations`` too, with locations starting at ``response``.
`ViolationRecorder` counts all of these; ``--errors`` only turns the response kind into a 500.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PRISM_BIN = REPO_ROOT / "node_modules" / ".bin" / "prism"

VIOLATIONS_HEADER = "sl-violations"
PRISM_ERROR_TYPE_PREFIX = "https://stoplight.io/prism/errors#"
PROBLEM_CONTENT_TYPE = "application/problem+json"

_STARTUP_TIMEOUT_S = 60.0
_STOP_TIMEOUT_S = 5.0
_PORT_ATTEMPTS = 3


class PrismError(RuntimeError):
    """Prism could not be started (or died); the message carries its output."""


def in_ci() -> bool:
    """True when running under CI (env ``CI`` set to anything but empty/0/false)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def prism_executable() -> Path:
    """Return the local Prism binary; skip the calling test without it, or fail under CI."""
    if PRISM_BIN.exists():
        return PRISM_BIN
    reason = (
        f"Prism mock server not installed at {PRISM_BIN}; "
        "run `make setup` (npm ci) to install @stoplight/prism-cli"
    )
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """Ask the OS for a currently free loopback TCP port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class PrismOptions:
    """How to run Prism. ``dynamic`` makes every response dynamic; per request, send the header
    ``Prefer: dynamic=true`` instead. ``errors`` makes response violations a 500."""

    dynamic: bool = False
    errors: bool = False
    seed: str | None = None
    verbose_level: str = "warn"
    startup_timeout: float = _STARTUP_TIMEOUT_S

    def arguments(self, spec: Path, port: int) -> list[str]:
        """The `prism mock` command line (without the executable)."""
        args = [
            "mock", str(spec),
            "--host", "127.0.0.1",
            "--port", str(port),
            # One process: simpler to stop, and its log lands in one file in order.
            "--multiprocess=false",
            f"--errors={'true' if self.errors else 'false'}",
            f"--dynamic={'true' if self.dynamic else 'false'}",
            "--verboseLevel", self.verbose_level,
        ]
        if self.seed is not None:
            args += ["--seed", self.seed]
        return args


@dataclass
class PrismServer:
    """A running Prism process; stop it with `stop()` (idempotent)."""

    spec: Path
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    options: PrismOptions
    _final_log: str | None = None

    @property
    def base_url(self) -> str:
        """Root URL of the mock; the document's paths hang directly below it."""
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        """Everything Prism wrote to stdout/stderr so far (kept after `stop()`)."""
        if self._final_log is not None:
            return self._final_log
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        """Terminate Prism's whole process group (node may spawn children), reap it and remove
        its log file (the text stays readable through `log()`)."""
        if self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(timeout=_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                _signal_group(self.process, signal.SIGKILL)
                self.process.wait(timeout=_STOP_TIMEOUT_S)
        if self._final_log is None:
            self._final_log = self.log()
            shutil.rmtree(self.log_path.parent, ignore_errors=True)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _port_accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _start_once(spec: Path, port: int, options: PrismOptions, log_path: Path) -> PrismServer:
    command = [str(prism_executable()), *options.arguments(spec, port)]
    with log_path.open("wb") as log_file:
        # Output goes to a file, not a pipe: an unread pipe would fill up and stall Prism.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=REPO_ROOT,
            start_new_session=True,
        )
    server = PrismServer(spec, port, process, log_path, options)
    deadline = time.monotonic() + options.startup_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PrismError(
                f"Prism exited with code {process.returncode} before listening on port {port}\n"
                f"command: {' '.join(command)}\n--- prism output ---\n{server.log()}"
            )
        if _port_accepts(port):
            return server
        time.sleep(0.1)
    server.stop()
    raise PrismError(
        f"Prism did not listen on port {port} within {options.startup_timeout:.0f}s\n"
        f"command: {' '.join(command)}\n--- prism output ---\n{server.log()}"
    )


def start_prism(spec: Path, options: PrismOptions = PrismOptions()) -> PrismServer:
    """Start Prism on ``spec`` on a free loopback port and wait until it accepts connections.

    Retries on a fresh port when the chosen one was taken in the meantime.
    """
    spec = spec.resolve()
    if not spec.is_file():
        raise PrismError(f"OpenAPI document not found: {spec}")
    last_error: PrismError | None = None
    for _ in range(_PORT_ATTEMPTS):
        log_dir = Path(tempfile.mkdtemp(prefix="prism-log-"))
        try:
            return _start_once(spec, free_port(), options, log_dir / "prism.log")
        except PrismError as exc:
            shutil.rmtree(log_dir, ignore_errors=True)
            last_error = exc
            if "EADDRINUSE" not in str(exc):
                raise
    assert last_error is not None
    raise last_error


@contextmanager
def running_prism(
    spec: Path | Mapping[str, Any], options: PrismOptions = PrismOptions()
) -> Iterator[PrismServer]:
    """Context manager: Prism on a document file, or on a document given as a mapping
    (written to a temporary JSON file), stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="prism-spec-") as tmp:
        if isinstance(spec, Mapping):
            path = Path(tmp) / "openapi.json"
            path.write_text(json.dumps(spec), encoding="utf-8")
        else:
            path = spec
        server = start_prism(path, options)
        try:
            yield server
        finally:
            server.stop()


def prism_fixture(
    spec: Path | Callable[[], Path],
    *,
    scope: str = "session",
    options: PrismOptions = PrismOptions(),
) -> Any:
    """Build a pytest fixture yielding a `PrismServer` on ``spec`` (a path, or a callable
    returning one, evaluated when the fixture first runs). Assign it in a conftest or test module:
    ``prism_server = prism_fixture(SPEC, scope="module")``."""

    def _fixture() -> Iterator[PrismServer]:
        path = spec() if callable(spec) else spec
        with running_prism(path, options) as server:
            yield server

    return pytest.fixture(scope=scope)(_fixture)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Violation:
    """One problem Prism reported about an exchange."""

    method: str
    url: str
    status: int
    location: str
    severity: str
    code: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.method} {self.url} -> {self.status}: [{self.severity}] {self.location}: "
            f"{self.message} ({self.code})"
        )

    @property
    def about_request(self) -> bool:
        """True when the problem is in what the client sent (not in Prism's own mock)."""
        return not self.location.startswith("response")


def _as_violations(request: httpx.Request, status: int, items: Any) -> list[Violation]:
    if not isinstance(items, list):
        items = [{"message": f"unreadable violation list: {items!r}"}]
    found = []
    for item in items:
        entry = item if isinstance(item, Mapping) else {"message": repr(item)}
        location = entry.get("location", [])
        found.append(
            Violation(
                method=request.method,
                url=str(request.url),
                status=status,
                location=".".join(map(str, location)) if isinstance(location, list)
                else str(location),
                severity=str(entry.get("severity", "?")),
                code=str(entry.get("code", "?")),
                message=str(entry.get("message", entry)),
            )
        )
    return found


# Prism 5.16 makes its dynamic answers with json-schema-faker 0.5.8, whose `clean` step (it drops
# optional empty objects) crashes on a valid schema: an array reached through `anyOf`/`oneOf`
# (no `items` of its own at that level), holding an object with an empty object in it. `clean`
# then walks the array's items with no schema and `shouldClean(key, undefined)` reads
# `undefined.items`. Prism answers its own 500 problem (type ...#UNKNOWN) with that TypeError
# as the title. Which bodies hit it is random; static answers (json-schema-sampler) never do.
_FAKER_CLEAN_CRASH = "TypeError: Cannot read properties of undefined (reading 'items')"


def is_faker_crash(response: httpx.Response) -> bool:
    """True when ``response`` (its body read) is Prism's own 500 for json-schema-faker's crash
    in ``shouldClean`` while making a dynamic answer: Prism failed to mock, nothing was checked.
    Any other 500 of Prism's, or any other answer, is not."""
    if response.status_code != 500:
        return False
    if not response.headers.get("content-type", "").startswith(PROBLEM_CONTENT_TYPE):
        return False
    try:
        problem = json.loads(response.content)
    except ValueError:
        return False
    if not isinstance(problem, Mapping):
        return False
    title = str(problem.get("title", ""))
    return (problem.get("type") == f"{PRISM_ERROR_TYPE_PREFIX}UNKNOWN"
            and title.startswith(_FAKER_CLEAN_CRASH) and "at shouldClean " in title)


# Prism cuts an sl-violations header longer than 8 KB - 100 characters to that many, after this
# prefix: the JSON array loses its end, mid-item (prism-http-server's addViolationHeader).
_TRUNCATED = "Too many violations! "


def _truncated_violations(text: str) -> list[Any]:
    """The violations of a header Prism cut short: every item that arrived whole, and one for
    what was cut. Prism lists the request's violations before its own answer's, so once a whole
    item is about the response, the cut ones are too; else the cut part may hold a request
    violation, and the item for it says so (a request problem: the check fails)."""
    decoder = json.JSONDecoder()
    items: list[Any] = []
    at = 1 if text.startswith("[") else len(text)
    while at < len(text):
        try:
            item, at = decoder.raw_decode(text, at)
        except ValueError:
            break
        items.append(item)
        at = len(text) - len(text[at:].lstrip().removeprefix(",").lstrip())
    last = items[-1].get("location") if items and isinstance(items[-1], Mapping) else None
    about_response = isinstance(last, list) and last[:1] == ["response"]
    items.append({
        "location": ["response" if about_response else "request"],
        "severity": "Error",
        "code": "truncated",
        "message": f"Prism cut its {VIOLATIONS_HEADER} header after {len(items)} whole "
                   "violation(s)" + ("; the rest are about its answer" if about_response else
                                     "; the rest may be about the request"),
    })
    return items


def violations_in(response: httpx.Response) -> list[Violation]:
    """Every violation Prism signalled in ``response`` (its body must already be read). Prism's
    crash in json-schema-faker (`is_faker_crash`) is none: it judged nothing the client sent."""
    request = response.request
    found: list[Violation] = []
    if is_faker_crash(response):
        return found
    header = response.headers.get(VIOLATIONS_HEADER)
    if header is not None:
        if header.startswith(_TRUNCATED):
            items = _truncated_violations(header.removeprefix(_TRUNCATED))
        else:
            try:
                items = json.loads(header)
            except ValueError:
                items = [{"message": f"unparsable {VIOLATIONS_HEADER} header: {header}"}]
        found += _as_violations(request, response.status_code, items)
    content_type = response.headers.get("content-type", "")
    if content_type.startswith(PROBLEM_CONTENT_TYPE):
        try:
            problem = json.loads(response.content)
        except ValueError:
            problem = {}
        kind = str(problem.get("type", "")) if isinstance(problem, Mapping) else ""
        if kind.startswith(PRISM_ERROR_TYPE_PREFIX) and header is None:
            items = problem.get("validation") or [
                {
                    "location": ["request"],
                    "severity": "Error",
                    "code": kind.removeprefix(PRISM_ERROR_TYPE_PREFIX),
                    "message": f"{problem.get('title', '')}: {problem.get('detail', '')}",
                }
            ]
            found += _as_violations(request, response.status_code, items)
    return found


def _needs_body(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.startswith(PROBLEM_CONTENT_TYPE)


@dataclass
class ViolationRecorder:
    """Collects Prism's violations from every response an httpx client receives.

    Plug it in as event hooks (``httpx.Client(event_hooks=recorder.hooks())``, or
    ``async_hooks()`` for an AsyncClient), or wrap a transport with `transport()` /
    `async_transport()`. Then `assert_clean()`.
    """

    violations: list[Violation] = field(default_factory=list)
    exchanges: int = 0

    def record(self, response: httpx.Response) -> None:
        """Add the violations of one response whose body has been read."""
        self.exchanges += 1
        self.violations += violations_in(response)

    def sync_hook(self, response: httpx.Response) -> None:
        """httpx response event hook (sync client)."""
        if _needs_body(response):
            response.read()
        self.record(response)

    async def async_hook(self, response: httpx.Response) -> None:
        """httpx response event hook (async client)."""
        if _needs_body(response):
            await response.aread()
        self.record(response)

    def hooks(self) -> dict[str, list[Callable[..., Any]]]:
        """``event_hooks`` for an `httpx.Client`."""
        return {"response": [self.sync_hook]}

    def async_hooks(self) -> dict[str, list[Callable[..., Any]]]:
        """``event_hooks`` for an `httpx.AsyncClient`."""
        return {"response": [self.async_hook]}

    def transport(self, inner: httpx.BaseTransport | None = None) -> httpx.BaseTransport:
        """A sync transport that records, wrapping ``inner`` (default: a plain HTTP transport)."""
        return _RecordingTransport(inner or httpx.HTTPTransport(), self)

    def async_transport(
        self, inner: httpx.AsyncBaseTransport | None = None
    ) -> httpx.AsyncBaseTransport:
        """An async transport that records, wrapping ``inner``."""
        return _AsyncRecordingTransport(inner or httpx.AsyncHTTPTransport(), self)

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self.violations.clear()
        self.exchanges = 0

    def report(self) -> str:
        """The recorded violations, one per line."""
        return "\n".join(str(v) for v in self.violations)

    def assert_clean(self) -> None:
        """Fail with every violation's text when Prism reported any."""
        if self.violations:
            raise AssertionError(
                f"Prism reported {len(self.violations)} violation(s) in {self.exchanges} "
                f"exchange(s):\n{self.report()}"
            )


class _RecordingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, recorder: ViolationRecorder) -> None:
        self._inner = inner
        self._recorder = recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        response.request = request
        if _needs_body(response):
            # Reading here keeps the body on the response (httpx re-serves it to the caller).
            response.read()
        self._recorder.record(response)
        return response

    def close(self) -> None:
        self._inner.close()


class _AsyncRecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, recorder: ViolationRecorder) -> None:
        self._inner = inner
        self._recorder = recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        response.request = request
        if _needs_body(response):
            await response.aread()
        self._recorder.record(response)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
