"""Fixtures for the spec-pipeline tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# `tests.spec.helpers` is imported from the checkout however pytest was started.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from openrouter_codegen.spec.spec_build import SpecBuild, build_spec
from tests.spec.helpers import overlay_files, seed_pages


@pytest.fixture(scope="session")
def seed_build() -> SpecBuild:
    """The spec built from the committed pages and overlays (built once per session)."""
    return build_spec(seed_pages(), overlay_files())
