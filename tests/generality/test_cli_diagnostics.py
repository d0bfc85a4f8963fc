"""`python -m openrouter_codegen` on any OpenAPI file reports like a compiler: `file:line #pointer: severity:
what (what was done)`; `--strict` makes warnings errors; the exit code says which (0 ok, 1 errors,
2 warnings under --strict, 3 stale)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from openrouter_codegen.cli import EXIT_ERRORS, EXIT_OK, EXIT_STALE, EXIT_WARNINGS_STRICT, main

# Line numbers below are the lines of this text (1-based).
WARNED = """\
openapi: 3.1.0
info:
  title: Warned
  version: "1 beta"
  x-client:
    api-key-env: "not a name"
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Ring0'}
components:
  schemas:
    Ring0: {$ref: '#/components/schemas/Ring1'}
    Ring1: {$ref: '#/components/schemas/Ring0'}
"""
BROKEN = WARNED.replace("Ring1: {$ref: '#/components/schemas/Ring0'}",
                        "Ring1: {$ref: 'other.yaml#/X'}")
LINE = re.compile(r"^(?P<file>\S+):(?P<line>\d+) #(?P<pointer>\S+): (?P<severity>warning|error): "
                  r"(?P<message>.+?)(?: \((?P<action>.+)\))?$")


def _run(tmp_path: Path, text: str, *extra: str, command: str = "generate") -> tuple[int, str]:
    spec = tmp_path / "api.yaml"
    spec.write_text(text, encoding="utf-8")
    code = main([command, "--from-spec", str(spec), "--out", str(tmp_path / "out"),
                 "--root", str(tmp_path), *extra])
    return code, str(spec)


def _lines(err: str) -> list[dict[str, str]]:
    found = [LINE.match(line) for line in err.splitlines()]
    return [m.groupdict() for m in found if m]


def test_warnings_are_located_and_the_package_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, spec = _run(tmp_path, WARNED)
    err = capsys.readouterr().err
    assert code == EXIT_OK
    reported = {(d["line"], d["pointer"], d["severity"]) for d in _lines(err)}
    assert reported == {("6", "/info/x-client/api-key-env", "warning"),
                        ("4", "/info/version", "warning"),
                        ("19", "/components/schemas/Ring0", "warning")}
    assert all(d["file"] == spec and d["action"] for d in _lines(err))
    assert (tmp_path / "out" / "warned_client" / "models" / "__init__.py").is_file()


def test_strict_turns_warnings_into_errors_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(tmp_path, WARNED, "--strict")
    err = capsys.readouterr().err
    assert code == EXIT_WARNINGS_STRICT
    assert [d["severity"] for d in _lines(err)] == ["error"] * 3
    assert all("an error under --strict" in (d["action"] or "") for d in _lines(err))
    assert "3 warnings and --strict; nothing was written" in err
    assert not (tmp_path / "out").exists()


def test_errors_stop_the_run_and_keep_the_previous_package(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, WARNED)[0] == EXIT_OK
    before = (tmp_path / "out" / "warned_client" / "models" / "__init__.py").read_text()
    code, spec = _run(tmp_path, BROKEN)
    err = capsys.readouterr().err
    assert code == EXIT_ERRORS
    [error] = [d for d in _lines(err) if d["severity"] == "error"]
    assert (error["file"], error["line"], error["pointer"]) == (
        spec, "20", "/components/schemas/Ring1/$ref")
    assert "leaves the document" in error["message"]
    assert "1 error; nothing was written" in err
    assert (tmp_path / "out" / "warned_client" / "models" / "__init__.py").read_text() == before


def test_unreadable_yaml_is_reported_with_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, spec = _run(tmp_path, "openapi: 3.1.0\ninfo: {title: [x\n")
    err = capsys.readouterr().err
    assert code == EXIT_ERRORS
    assert err.startswith(f"{spec}:3: error: YAML does not parse")


def test_a_spec_that_cannot_be_read_is_an_error_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    assert main(["generate", "--from-spec", str(missing), "--out", str(tmp_path / "out")]) == (
        EXIT_ERRORS)
    err = capsys.readouterr().err
    assert err.startswith(f"{missing}: error: cannot read the file: No such file or directory")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"openapi: 3.1.0\ninfo: {title: Caf\xe9, version: '1'}\n")
    assert main(["generate", "--from-spec", str(latin1), "--out", str(tmp_path / "out")]) == (
        EXIT_ERRORS)
    err = capsys.readouterr().err
    assert err.startswith(f"{latin1}:2: error: not UTF-8: byte 0xe9 at column 18")
    assert not (tmp_path / "out").exists()


def test_check_says_stale_or_up_to_date(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, WARNED, command="check")[0] == EXIT_STALE  # nothing generated yet
    assert _run(tmp_path, WARNED)[0] == EXIT_OK
    assert _run(tmp_path, WARNED, command="check")[0] == EXIT_OK
    capsys.readouterr()
    # A committed file that is no longer UTF-8 is stale, and the diff shows where.
    client = tmp_path / "out" / "warned_client" / "_client.py"
    client.write_bytes(client.read_bytes().replace(b"class ", b"class \xff", 1))
    assert _run(tmp_path, WARNED, command="check")[0] == EXIT_STALE
    diff = capsys.readouterr().out.splitlines()
    assert [line for line in diff if line.startswith("-") and "\ufffd" in line]


def test_no_format_writes_a_valid_package_that_check_calls_stale(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, WARNED, "--no-format")[0] == EXIT_OK
    package = tmp_path / "out" / "warned_client"
    for source in package.rglob("*.py"):
        compile(source.read_text(encoding="utf-8"), str(source), "exec")
    assert _run(tmp_path, WARNED, "--no-format", command="check")[0] == EXIT_OK
    assert _run(tmp_path, WARNED, command="check")[0] == EXIT_STALE  # black would change it
    capsys.readouterr()
