"""The client's version follows the API change report across real regenerations of a project:
an additive page bumps the minor version, a breaking one the major; the changelog gains one entry
each time; regenerating again changes nothing (not even the date) and `check` agrees; `spec`
alone moves the version with the spec, so a later `generate` does not bump it twice.

The project starts from the frozen seed pages (generated once), not from the repository's
spec/docs/: what counts as additive or breaking depends on the pages already there."""

from __future__ import annotations

import re
import shutil
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from openrouter_codegen.cli import EXIT_OK, EXIT_STALE, main
from openrouter_codegen.common.files import read_tree
from tests.support.project_copy import seed_pages_project
from tests.support.shared_data import REPO_ROOT

BREAKING_PAGE = REPO_ROOT / "tests" / "fixtures" / "docs_later" / "005_later_page.md"
# A page of our own that only adds: one operation with its own response schema.
ADDITIVE_PAGE = """\
# Get the activity

GET https://openrouter.ai/api/v1/activity

```yaml
openapi: 3.1.1
info:
  title: Get activity
  version: endpoint_activity.getActivity
paths:
  /activity:
    get:
      operationId: get-activity
      summary: Get the user's activity
      tags:
        - - subpackage_activity
      parameters:
        - name: Authorization
          in: header
          required: true
          schema:
            type: string
      responses:
        '200':
          description: The activity
          content:
            application/json:
              schema:
                type: object
                properties:
                  requests:
                    type: integer
```
"""


def _version(root: Path) -> str:
    text = (root / "generated" / "pyproject.toml").read_text(encoding="utf-8")
    version = tomllib.loads(text)["project"]["version"]
    assert isinstance(version, str)
    return version


def _package_version(root: Path) -> str:
    init = (root / "generated" / "openrouter_client" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', init, re.MULTILINE)
    assert found, "no __version__ in the package"
    return found.group(1)


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose spec/docs/ holds the frozen seed pages alone, with the repository's
    overlays, generated once: its spec/ and generated/ are its committed outputs."""
    root = seed_pages_project(tmp_path_factory.mktemp("seed-project"))
    assert main(["generate", "--root", str(root)]) == EXIT_OK
    return root


def _project(seed_project: Path, root: Path) -> Path:
    """A copy of the seed project (spec/ and generated/, committed outputs included) under
    `root`."""
    shutil.copytree(seed_project / "spec", root / "spec")
    shutil.copytree(seed_project / "generated", root / "generated",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _generate(root: Path, capsys: pytest.CaptureFixture[str], command: str = "generate") -> str:
    assert main([command, "--root", str(root)]) == EXIT_OK
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def committed(seed_project: Path) -> str:
    """The seed project's version."""
    return _version(seed_project)


def test_the_committed_versions_agree() -> None:
    committed = _version(REPO_ROOT)
    assert _package_version(REPO_ROOT) == committed
    changelog = (REPO_ROOT / "generated" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(committed)} \(\d{{4}}-\d\d-\d\d\)$", changelog,
                     re.MULTILINE)


def test_additive_then_breaking_pages_bump_minor_then_major(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_project: Path,
        committed: str) -> None:
    major, minor, _ = (int(part) for part in committed.split("."))
    root = _project(seed_project, tmp_path)
    assert "no changes" in _generate(root, capsys)  # the copy is what the seed project holds
    assert _version(root) == committed

    (root / "spec" / "docs" / "zz_activity.md").write_text(ADDITIVE_PAGE, encoding="utf-8")
    _generate(root, capsys)
    today = datetime.now(UTC).date().isoformat()
    assert _version(root) == _package_version(root) == f"{major}.{minor + 1}.0"
    changelog = (root / "generated" / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = changelog[changelog.index(f"## {major}.{minor + 1}.0"):changelog.index(
        f"## {committed}")]
    assert entry.startswith(f"## {major}.{minor + 1}.0 ({today})")
    assert "Minor release" in entry and "none breaking" in entry
    assert "- Added `client.activity.get()` (`GET /activity`)" in entry
    assert "`GET /activity`" in (root / "spec" / "API_CHANGES.md").read_text(encoding="utf-8")
    assert "client.activity.get()" in (root / "generated" / "README.md").read_text("utf-8")
    constants = (root / "generated" / "openrouter_client" / "_constants.py").read_text("utf-8")
    assert f'VERSION: Final = "{major}.{minor + 1}.0"' in constants

    before = read_tree(root / "spec"), read_tree(root / "generated")
    assert "no changes" in _generate(root, capsys)
    assert (read_tree(root / "spec"), read_tree(root / "generated")) == before
    assert main(["check", "--root", str(root)]) == EXIT_OK

    shutil.copy(BREAKING_PAGE, root / "spec" / "docs" / f"zz_{BREAKING_PAGE.name}")
    assert main(["check", "--root", str(root)]) == EXIT_STALE
    _generate(root, capsys)
    assert _version(root) == _package_version(root) == f"{major + 1}.0.0"
    changelog = (root / "generated" / "CHANGELOG.md").read_text(encoding="utf-8")
    heads = re.findall(r"^## (\S+) ", changelog,
                     re.MULTILINE)
    assert heads[:3] == [f"{major + 1}.0.0", f"{major}.{minor + 1}.0", committed]
    newest = changelog[changelog.index(f"## {major + 1}.0.0"):changelog.index(
        f"## {major}.{minor + 1}.0")]
    assert "Major release" in newest and "- **Breaking**: " in newest
    assert "- Added `client.credits.get()` (`GET /credits`)" in newest


def test_spec_alone_moves_the_version_once(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           seed_project: Path, committed: str) -> None:
    major, minor, _ = (int(part) for part in committed.split("."))
    root = _project(seed_project, tmp_path)
    (root / "spec" / "docs" / "zz_activity.md").write_text(ADDITIVE_PAGE, encoding="utf-8")
    out = _generate(root, capsys, "spec")
    assert "generated/pyproject.toml" in out and "generated/CHANGELOG.md" in out
    assert _version(root) == f"{major}.{minor + 1}.0"
    assert _package_version(root) == committed  # the package waits for `generate`
    assert main(["check", "--root", str(root)]) == EXIT_STALE
    _generate(root, capsys)
    assert _version(root) == _package_version(root) == f"{major}.{minor + 1}.0"
    changelog = (root / "generated" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.count(f"## {major}.{minor + 1}.0 ") == 1
    assert main(["check", "--root", str(root)]) == EXIT_OK
