"""Test data kept beside the repository in `../shared/` (never copied into it).

A user's clone has no `../shared/`: tests that need it skip, saying so. CI has it, and `.ci/run`
sets OPENROUTER_SHARED_REQUIRED=1, which turns a missing file into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("OPENROUTER_SHARED_DIR", REPO_ROOT.parent / "shared"))
PUBLISHED_VERSIONS = ("2026-04-16", "2026-06-09", "2026-07-13", "2026-08-21", "2026-08-22")


def shared_file(*parts: str) -> Path:
    """`../shared/<parts>`; skip (or fail, where CI requires the data) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = (f"{path} is absent: this test reads the shared test data kept beside the "
                   "repository (../shared/), which CI has and a plain clone does not")
        if os.environ.get("OPENROUTER_SHARED_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def published_version(date: str) -> Path:
    """One dated version of OpenRouter's published OpenAPI document."""
    return shared_file("openapi", "openrouter", f"{date}.yaml")
