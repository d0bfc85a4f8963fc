"""The client installs alone: its wheel, built from generated/, goes into a fresh virtualenv with
only its declared dependencies (from the pip index the project uses) and calls the API over
loopback; the generator's own distribution ships the generator only."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.support.fault_server import (
    FaultServer,
    error_body,
    json_reply,
    sse_event,
    sse_reply,
)
from tests.support.shared_data import REPO_ROOT

GENERATED = REPO_ROOT / "generated"
# Which distribution provides each top-level module the client imports.
_DISTRIBUTION_OF = {"httpx": "httpx", "httpx_sse": "httpx-sse", "msgspec": "msgspec",
                    "anyio": "anyio"}

# Run inside the fresh virtualenv: which distributions are there and what they require, then
# three calls over loopback (a JSON body, an event stream, an error status).
_SCRIPT = """
import importlib.metadata as md, importlib.util, json, sys
from openrouter_client import OpenRouter, AuthenticationError, __version__, accumulate
installed = {d.metadata["Name"].lower(): [r for r in (d.requires or [])] for d in md.distributions()}
client = OpenRouter(api_key="sk-test", base_url=sys.argv[1], max_retries=0)
models = client.models.list()
with client.chat.send(model="m", messages=[{"role": "user", "content": "hi"}], stream=True) as s:
    final = accumulate(s)
try:
    client.models.list()
    status = None
except AuthenticationError as exc:
    status = exc.status_code
print(json.dumps({"installed": installed, "version": __version__,
                  "generator": importlib.util.find_spec("openrouter_codegen") is not None,
                  "model": models.data[0].id, "text": final.content, "status": status,
                  "where": __import__("openrouter_client").__file__}))
"""


def _run(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Nothing of this checkout on the path: the venv must stand on what was installed.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True,
                            text=True, check=False, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _wheel(source: Path, out: Path) -> Path:
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, source,
         cwd=out.parent)
    (wheel,) = out.glob("*.whl")
    return wheel


def _normalized(name: str) -> str:
    """A distribution name as indexes compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    name = requirement.split(";")[0]
    for stop in "<>=!~[ (":
        name = name.split(stop)[0]
    return _normalized(name.strip())


def test_the_wheel_installs_alone_and_calls_the_api(tmp_path: Path) -> None:
    wheel = _wheel(GENERATED, tmp_path / "wheel")
    project = tomllib.loads((GENERATED / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert wheel.name == f"openrouter_client-{project['version']}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
        assert "openrouter_client/py.typed" in archive.namelist()
        assert not [n for n in archive.namelist() if n.endswith(".pyc")]
    assert tops == {"openrouter_client", f"openrouter_client-{project['version']}.dist-info"}

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)

    with FaultServer() as server:
        server.script(
            json_reply({"data": [{"id": "openai/gpt-4o-mini", "name": "GPT-4o mini"}]}),
            sse_reply([sse_event({"id": "c1", "object": "chat.completion.chunk", "created": 1,
                                  "model": "m", "choices": [{"index": 0, "delta": {
                                      "role": "assistant", "content": "hel"}}]}),
                       sse_event({"id": "c1", "object": "chat.completion.chunk", "created": 1,
                                  "model": "m", "choices": [{"index": 0, "delta": {
                                      "content": "lo"}, "finish_reason": "stop"}]}),
                       sse_event("[DONE]")]),
            json_reply(error_body(401, "No auth credentials found"), status=401),
        )
        out = _run(python, "-c", _SCRIPT, server.url, cwd=tmp_path).stdout
        requests = server.requests
    seen = json.loads(out)
    assert seen["where"].startswith(str(venv))
    assert seen["version"] == project["version"]
    assert (seen["model"], seen["text"], seen["status"]) == ("openai/gpt-4o-mini", "hello", 401)
    assert [(r.method, r.path) for r in requests] == [
        ("GET", "/models"), ("POST", "/chat/completions"), ("GET", "/models")]
    assert requests[0].headers["authorization"] == "Bearer sk-test"
    assert requests[1].json() == {"model": "m", "messages": [{"role": "user", "content": "hi"}],
                                  "stream": True}
    assert project["version"] in requests[0].headers["user-agent"]

    # Nothing but the client and what its declared dependencies require (pip's own excepted).
    assert seen["generator"] is False
    installed = {_normalized(name): requires for name, requires in seen["installed"].items()}
    reached, todo = set(), ["openrouter-client"]
    while todo:
        name = todo.pop()
        if name in reached or name not in installed:
            continue
        reached.add(name)
        todo += [_requirement_name(r) for r in installed[name] if "extra ==" not in r]
    assert set(installed) - {"pip", "setuptools", "wheel"} == reached
    assert {_requirement_name(d) for d in project["dependencies"]} <= reached


def test_the_declared_dependencies_are_what_the_package_imports() -> None:
    """Every module the package imports is the standard library's, its own, or declared."""
    imported: set[str] = set()
    for path in (GENERATED / "openrouter_client").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"__future__", "openrouter_client"}
    assert third_party == set(_DISTRIBUTION_OF), third_party
    project = tomllib.loads((GENERATED / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_requirement_name(d) for d in project["dependencies"]}
    assert declared == {_DISTRIBUTION_OF[m] for m in third_party}


def test_the_generator_distribution_ships_only_the_generator(tmp_path: Path) -> None:
    wheel = _wheel(REPO_ROOT, tmp_path / "wheel")
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
        metadata = archive.read(next(n for n in archive.namelist()
                                     if n.endswith(".dist-info/METADATA"))).decode()
    assert tops == {"openrouter_codegen", next(t for t in tops if t.endswith(".dist-info"))}
    requires = {_requirement_name(line.split(":", 1)[1]) for line in metadata.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    assert not requires & {"httpx", "httpx-sse", "msgspec"}  # the client's, not the generator's
