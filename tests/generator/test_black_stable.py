"""The committed package is exactly what black makes of it.

Generation formats with `ruff format` by default, laid out as black would; this is where CI notices if
the two ever part on a new docs page. Then generate with `--formatter black` to see black's layout and
change the template that renders the construct (tests/generator/test_formatters.py has examples).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import black
import pytest

from openrouter_codegen.client.render.format import LINE_LENGTH, TARGET_VERSION, black_mode
from openrouter_codegen.client.render.ruff_format import ruff_binary

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generated" / "openrouter_client"
FILES = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("name", FILES)
def test_generated_file_is_a_fixed_point_of_black(name: str) -> None:
    source = (PACKAGE / name).read_text()
    assert black.format_str(source, mode=black_mode()) == source, (
        f"black would reformat {name}: ruff and black part ways on something the templates render")


def test_the_projects_formatter_settings_are_the_generators() -> None:
    tools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert tools["black"]["line-length"] == LINE_LENGTH
    assert tools["black"]["target-version"] == [TARGET_VERSION]
    assert tools["ruff"]["line-length"] == LINE_LENGTH
    assert tools["ruff"]["target-version"] == TARGET_VERSION
    assert "format" not in tools["ruff"]  # nothing that would make ruff format lay code out otherwise


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "black", "--check", "generated"],
    [ruff_binary(), "format", "--check", "generated"],
], ids=["black", "ruff"])
def test_a_maintainers_format_check_from_the_root_passes(command: list[str]) -> None:
    # No options: the formatter reads the project's settings from pyproject.toml, as it would for
    # a maintainer running it by hand.
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "would be reformatted" not in done.stderr + done.stdout
