"""The committed package is exactly what black makes of it.

Generation formats with `ruff format` by default, laid out as black would; this is where CI notices if
the two ever part on a new docs page. Then generate with `--formatter black` to see black's layout and
change the template that renders the construct (tests/generator/test_formatters.py has examples).
"""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator.render.format import black_mode

PACKAGE = Path(__file__).resolve().parents[2] / "generated" / "openrouter_client"
FILES = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("name", FILES)
def test_generated_file_is_a_fixed_point_of_black(name: str) -> None:
    source = (PACKAGE / name).read_text()
    assert black.format_str(source, mode=black_mode()) == source, (
        f"black would reformat {name}: ruff and black part ways on something the templates render")
