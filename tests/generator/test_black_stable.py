"""The committed package is exactly what black makes of it (generation formats with one black pass)."""

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
    assert black.format_str(source, mode=black_mode()) == source, f"black would reformat {name}"
