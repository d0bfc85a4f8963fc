"""The package generated from the seed pages plus each published version, built once per run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openrouter_codegen.cli import main
from tests.support.shared_data import PUBLISHED_VERSIONS, REPO_ROOT, published_version


def regenerate_with(root: Path, document: Path) -> Path:
    """A copy of the project's spec/ under `root`, the document added as the newest page,
    regenerated; returns `root`."""
    shutil.copytree(REPO_ROOT / "spec" / "docs", root / "spec" / "docs")
    shutil.copytree(REPO_ROOT / "spec" / "overlays", root / "spec" / "overlays")
    # Sorts after the seed pages (their names start with digits), so it is the newest.
    shutil.copy(document, root / "spec" / "docs" / f"900_openrouter_{document.stem}.yaml")
    assert main(["generate", "--root", str(root)]) == 0
    return root


@pytest.fixture(scope="session", params=PUBLISHED_VERSIONS)
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project regenerated with one published version beside the seed pages."""
    document = published_version(request.param)
    return regenerate_with(tmp_path_factory.mktemp(f"published-{request.param}"), document)
