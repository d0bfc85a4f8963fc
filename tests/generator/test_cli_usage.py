"""The command line as a newcomer meets it: help per subcommand, --version, a clear refusal (exit
code 5, nothing written) in a directory without docs pages, and "no changes" when nothing differs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import openrouter_codegen
from openrouter_codegen.cli import _COMMANDS, EXIT_NO_DOCS, main
from tests.support.shared_data import REPO_ROOT


def _cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openrouter_codegen", *argv], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=300,
                          env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"})


def test_each_subcommand_has_its_own_help(tmp_path: Path) -> None:
    helps = {}
    for command, (_, description) in _COMMANDS.items():
        result = _cli(command, "--help", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        helps[command] = " ".join(result.stdout.split())
        assert " ".join(description.split()) in helps[command]
        assert helps[command].startswith(f"usage: python -m openrouter_codegen {command} ")
    assert len(set(helps.values())) == len(_COMMANDS)
    assert "--formatter" in helps["generate"] and "--format {md,json}" in helps["diff"]
    top = " ".join(_cli("--help", cwd=tmp_path).stdout.split())
    assert all(f"{command} {summary}" in top for command, (summary, _) in _COMMANDS.items())
    assert "5 no docs pages" in top
    assert list(tmp_path.iterdir()) == []


def test_version(tmp_path: Path) -> None:
    result = _cli("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"openrouter-codegen {openrouter_codegen.__version__}\n")


@pytest.mark.parametrize("command", ["spec", "generate", "check"])
def test_a_directory_without_docs_pages_is_refused(tmp_path: Path, command: str) -> None:
    result = _cli(command, cwd=tmp_path)
    assert result.returncode == EXIT_NO_DOCS
    assert "no docs pages in spec/docs" in result.stderr and "nothing was written" in result.stderr
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "spec" / "docs").mkdir(parents=True)
    (tmp_path / "spec" / "docs" / "README.rst").write_text("not a page\n", encoding="utf-8")
    assert _cli(command, cwd=tmp_path).returncode == EXIT_NO_DOCS  # no page the extractor reads
    assert [p.name for p in tmp_path.rglob("*")] == ["spec", "docs", "README.rst"]


def test_exit_codes_are_documented_together() -> None:
    readme = " ".join((REPO_ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "5 no docs pages" in readme


def test_regenerating_unchanged_output_says_no_changes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: Pets API, version: 1.0.0}\npaths:\n"
                    "  /pets:\n    get:\n      operationId: listPets\n      responses:\n"
                    "        '200': {description: ok}\n", encoding="utf-8")
    argv = ["generate", "--from-spec", str(spec), "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith(f"wrote {tmp_path / 'out' / 'pets_client'}/ (")
    written = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*")}
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("no changes: ")
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*")} == written
