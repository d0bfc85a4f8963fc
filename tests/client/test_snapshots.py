"""Snapshots of rendered pieces: a template change shows its effect here, in review.

The whole committed package is the big snapshot (`make check`); these are small and readable. Refresh them
with `UPDATE_SNAPSHOTS=1 pytest tests/client/test_snapshots.py` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from openrouter_codegen.client.client_build import build_client

HERE = Path(__file__).resolve().parent
SPEC = HERE.parent / "fixtures" / "snapshot" / "spec.yaml"
SNAPSHOTS = HERE.parent / "snapshots"
PIECES = ["models/__init__.py", "models/_pet.py", "models/_species.py", "api/pets.py",
          "types/__init__.py",
          "_client.py"]


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return build_client(yaml.safe_load(SPEC.read_text())).files


@pytest.mark.parametrize("piece", PIECES)
def test_rendered_piece_matches_snapshot(files: dict[str, str], piece: str) -> None:
    snapshot = SNAPSHOTS / (piece.replace("/", "__") + ".txt")
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(files[piece])
    assert snapshot.exists(), f"no snapshot {snapshot}; run with UPDATE_SNAPSHOTS=1 and review it"
    assert files[piece] == snapshot.read_text(), f"{piece} changed; review, then UPDATE_SNAPSHOTS=1"


def test_rendering_twice_is_byte_identical() -> None:
    document = yaml.safe_load(SPEC.read_text())
    assert build_client(document).files == build_client(document).files
