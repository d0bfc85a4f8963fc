"""Generate a client package from any OpenAPI document into a directory, import it, type-check it."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Mapping
from email import policy
from email.parser import BytesParser
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from openrouter_codegen.client.client_build import ClientBuild, build_client
from tests.support.golden import SpecOperation, find_operation, spec_operations
from tests.support.prism import ViolationRecorder

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "generality"


def write_package(document: dict[str, Any], root: Path) -> ClientBuild:
    """Generate the client for `document` and write it under `root/<package>/`."""
    build = build_client(document)
    for rel, text in build.files.items():
        path = root / build.package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return build


def import_module(root: Path, name: str) -> ModuleType:
    """Import `name` (a generated package or one of its modules) from `root`, freshly."""
    for loaded in [m for m in sys.modules if m == name.split(".")[0]
                   or m.startswith(name.split(".")[0] + ".")]:
        del sys.modules[loaded]
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(root))


def mypy_strict(root: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` on a generated package and any scripts beside it, under `root` (no cache
    shared with the repository's runs)."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null",
         *targets],
        cwd=root, capture_output=True, text=True, check=False,
    )


def generated_package(document: dict[str, Any], root: Path) -> ModuleType:
    """Generate the client for `document` under `root` and import the package; its `root`
    attribute is where it was written (for `assert_mypy_strict`)."""
    build = write_package(document, root)
    package = import_module(root, build.package)
    package.root = root
    return package


def generated_models(document: dict[str, Any], root: Path) -> ModuleType:
    """Generate the client for `document` under `root` and import its `models` module."""
    build = write_package(document, root)
    return import_module(root, f"{build.package}.models")


def assert_mypy_strict(root: Path, models: ModuleType) -> None:
    """Fail with mypy's report unless the package that `models` belongs to passes `mypy --strict`."""
    result = mypy_strict(root, models.__name__.split(".")[0])
    assert result.returncode == 0, result.stdout + result.stderr


def assert_no_request_violations(recorder: ViolationRecorder,
                                 allowed_warnings: frozenset[str] = frozenset()) -> None:
    """Fail when Prism found anything wrong in what the client sent, except warnings with one of
    the `allowed_warnings` codes (e.g. `deprecated` when a test uses a deprecated parameter on purpose).

    Prism's own mocks of recursive schemas break their schema (it cuts the recursion short), so
    response violations are not the client's doing and are not counted.
    """
    assert recorder.exchanges > 0, "no request reached Prism"
    problems = [str(v) for v in recorder.violations if v.about_request
                and not (v.severity == "Warning" and v.code in allowed_warnings)]
    assert not problems, "\n".join(problems)


def served_operations(spec: Mapping[str, Any], seen: list[httpx.Request]) -> set[SpecOperation]:
    """The spec operations the recorded requests reached."""
    # The raw path: a percent-encoded slash inside a parameter must stay one segment.
    return {find_operation(spec, r.method, r.url.raw_path.decode().partition("?")[0])[0]
            for r in seen}


def all_operations(spec: Mapping[str, Any]) -> set[SpecOperation]:
    """Every operation of the spec."""
    return set(spec_operations(spec))


def multipart_parts(request: httpx.Request) -> list[tuple[str, str | None, str, bytes]]:
    """(name, filename, content type, payload) of every part of a multipart/form-data request."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.default).parsebytes(head + request.read())
    assert message.is_multipart(), request.headers["content-type"]
    parts = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(payload, bytes)
        parts.append((name, part.get_filename(), part.get_content_type(), payload))
    return parts
