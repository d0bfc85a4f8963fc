"""Shared set-up of the generality suite: the checkout on sys.path, async tests on asyncio."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# `tests.support` is imported from the checkout whichever way pytest was started.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"
