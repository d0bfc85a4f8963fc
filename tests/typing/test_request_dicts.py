"""Request dicts are checked: both type checkers flag each typical mistake, line by line, and pass
correct dicts; the correct dicts go on the wire as written.

`cases/mistakes.py` marks every line that must be reported with `# expect-error`; each checker
must report an error on exactly those lines (a mistake it lets through, or an error elsewhere,
fails). `cases/correct.py` must check clean under both. Both checkers run once, on both files,
against the client of the frozen seed pages (`openrouter_seed_client`,
tests/support/seed_package.py; the committed package while spec/docs/ holds those pages), as a
user's project would see it.
"""

from __future__ import annotations

import ast
import functools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.fault_server import FaultServer, json_reply
from tests.support.seed_package import seed_package, seed_package_root

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
MISTAKES = CASES / "mistakes.py"
CORRECT = CASES / "correct.py"
PYRIGHT = ROOT / "node_modules" / ".bin" / "pyright"
MARK = "# expect-error"


def marked_lines(path: Path) -> set[int]:
    """The numbers of the lines of `path` that carry the mark."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {n for n, line in enumerate(lines, 1) if line.rstrip().endswith(MARK)}


@functools.cache
def mypy_errors() -> dict[str, set[int]]:
    """File name -> lines with an error from `mypy --strict` (notes are not errors)."""
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary",
         "--show-absolute-path", str(MISTAKES), str(CORRECT)],
        capture_output=True, text=True, cwd=ROOT, check=False,
        env={**os.environ, "MYPYPATH": str(seed_package_root())})
    found: dict[str, set[int]] = {MISTAKES.name: set(), CORRECT.name: set()}
    for line in run.stdout.splitlines():
        match = re.match(r"(.+?):(\d+): error: ", line)
        if match:
            found.setdefault(Path(match[1]).name, set()).add(int(match[2]))
    assert run.returncode in (0, 1), run.stdout + run.stderr  # 2: mypy itself failed
    return found


@functools.cache
def pyright_errors(tmp: Path) -> dict[str, set[int]]:
    """File name -> lines with an error from pyright in strict mode."""
    if not PYRIGHT.exists():
        pytest.fail(f"{PYRIGHT} is missing: run `make setup` (npm ci installs the pinned pyright)")
    config = tmp / "pyrightconfig.json"
    config.write_text(json.dumps({
        "typeCheckingMode": "strict", "pythonVersion": "3.11",
        "extraPaths": [str(seed_package_root())],
    }))
    run = subprocess.run(
        [str(PYRIGHT), "--outputjson", "--pythonpath", sys.executable, "-p", str(config),
         str(MISTAKES), str(CORRECT)],
        capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode in (0, 1), run.stdout + run.stderr  # others: pyright itself failed
    found: dict[str, set[int]] = {MISTAKES.name: set(), CORRECT.name: set()}
    for diagnostic in json.loads(run.stdout)["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            found.setdefault(Path(diagnostic["file"]).name, set()).add(
                diagnostic["range"]["start"]["line"] + 1)
    return found


@pytest.fixture(scope="module")
def pyright_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pyright")


def test_the_mistakes_file_marks_mistakes() -> None:
    # The files are what the checkers read: a mark lost in an edit must not make the test pass.
    assert len(marked_lines(MISTAKES)) >= 25
    assert not marked_lines(CORRECT)


def test_mypy_flags_every_mistake_and_nothing_else() -> None:
    assert mypy_errors()[MISTAKES.name] == marked_lines(MISTAKES)


def test_mypy_passes_correct_dicts() -> None:
    assert mypy_errors()[CORRECT.name] == set()
    assert set(mypy_errors()) == {MISTAKES.name, CORRECT.name}


def test_pyright_flags_every_mistake_and_nothing_else(pyright_tmp: Path) -> None:
    assert pyright_errors(pyright_tmp)[MISTAKES.name] == marked_lines(MISTAKES)


def test_pyright_passes_correct_dicts(pyright_tmp: Path) -> None:
    assert pyright_errors(pyright_tmp)[CORRECT.name] == set()
    assert set(pyright_errors(pyright_tmp)) == {MISTAKES.name, CORRECT.name}


def literal_calls(path: Path, namespace: dict[str, Any]) -> list[dict[str, Any]]:
    """The keyword arguments of each `client.chat.send(...)` in `path`, as values: literals
    evaluated, names looked up in `namespace`; None for an argument that is neither."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "client.chat.send":
            args: dict[str, Any] = {}
            for kw in node.keywords:
                assert kw.arg is not None
                if isinstance(kw.value, ast.Name):
                    args[kw.arg] = namespace[kw.value.id]
                else:
                    try:
                        args[kw.arg] = ast.literal_eval(kw.value)
                    except ValueError:
                        args[kw.arg] = None
            calls.append(args)
    return calls  # in source order: ast.walk meets the statements of one body in order


def test_correct_dicts_are_sent_as_written() -> None:
    client_class = seed_package().OpenRouter  # `correct` imports this package
    sys.path.insert(0, str(CASES))
    try:
        import correct  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(CASES))

    expected = literal_calls(CORRECT, vars(correct))
    assert len(expected) == 3
    reply = {"id": "gen-1", "object": "chat.completion", "created": 1, "model": "m",
             "choices": [{"index": 0, "finish_reason": "stop",
                          "message": {"role": "assistant", "content": "ok"}}]}
    with FaultServer() as server:
        server.script(*[json_reply(reply) for _ in expected])
        with client_class(api_key="sk-test", base_url=server.url, max_retries=0) as client:
            correct.send_all(client)
        bodies = [request.json() for request in server.requests]
    assert len(bodies) == len(expected)
    for body, call in zip(bodies[:2], expected[:2], strict=True):
        assert body == call
    # A dataclass and a dict side by side in one list.
    assert bodies[2] == {"model": "openai/gpt-4o-mini", "messages": [
        {"role": "user", "content": [{"type": "text", "text": "Hello"}]},
        {"role": "user", "content": "again"}]}


def test_pyright_is_the_pinned_one() -> None:
    if shutil.which(str(PYRIGHT)) is None:
        pytest.fail(f"{PYRIGHT} is missing: run `make setup`")
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["pyright"]
    version = subprocess.run([str(PYRIGHT), "--version"], capture_output=True, text=True,
                             check=True).stdout
    assert version.split() == ["pyright", pinned]
