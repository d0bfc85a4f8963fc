"""Projects in a scratch directory (a copy of this one, or the seed pages alone), for tests that
regenerate and run commands or the suite there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.spec.helpers import seed_pages
from tests.support.shared_data import REPO_ROOT, SHARED

_NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "node_modules", ".work", "__pycache__",
                                     ".mypy_cache", ".pytest_cache", ".ruff_cache", ".cache")


def project_copy(root: Path) -> Path:
    """The repository's tracked and new files (not ignored ones; all but caches and venvs where
    this is no git checkout) copied under `root`, sharing the checkout's node_modules (Prism)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO_ROOT,
                            capture_output=True, check=False)
    if listed.returncode != 0:
        shutil.copytree(REPO_ROOT, root, ignore=_NOT_COPIED)
    for rel in filter(None, listed.stdout.decode().split("\0") if not listed.returncode else ()):
        source = REPO_ROOT / rel
        if source.is_file():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / rel)
    (root / "node_modules").symlink_to(REPO_ROOT / "node_modules", target_is_directory=True)
    return root


def seed_pages_project(root: Path) -> Path:
    """A project under `root` whose spec/docs/ holds the frozen seed pages alone, beside the
    repository's overlays, nothing built yet: the state a later page is compared with, whatever
    pages the project's own spec/docs/ holds. Returns `root`."""
    shutil.copytree(REPO_ROOT / "spec" / "overlays", root / "spec" / "overlays")
    for page in seed_pages():
        path = root / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.text, encoding="utf-8")
    return root


def run_suite(project: Path, *paths: str, timeout: float = 1500) -> subprocess.CompletedProcess[str]:
    """Run pytest on `paths` of the copy, against the copy's generated package; the copy lives
    elsewhere, so its tests read ../shared/ of this checkout."""
    env = {**os.environ, "PYTHONPATH": str(project / "generated"),
           "OPENROUTER_SHARED_DIR": str(SHARED)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths],
        cwd=project, env=env, capture_output=True, text=True, check=False, timeout=timeout)
