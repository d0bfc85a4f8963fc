"""`generate` writes spec/API_CHANGES.md: the changes from the committed spec to the new one.
It stays as it is while the spec does, `check` agrees with it, and --fail-on-breaking stops a
breaking change with exit code 4 and nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from openrouter_codegen.changes.report import api_changes
from openrouter_codegen.cli import EXIT_BREAKING, EXIT_OK, EXIT_STALE, main
from openrouter_codegen.common.files import read_tree
from tests.support.project_copy import seed_pages_project
from tests.support.shared_data import REPO_ROOT

LATER_PAGE = REPO_ROOT / "tests" / "fixtures" / "docs_later" / "005_later_page.md"


def _spec_copy(root: Path) -> Path:
    """The project's spec/ (pages, overlays and committed outputs) under `root`."""
    shutil.copytree(REPO_ROOT / "spec", root / "spec")
    return root


def _seed_project(root: Path) -> Path:
    """A project under `root` whose spec/docs/ holds the frozen seed pages alone (the overlays
    copied, spec/ built from them): the state the later page is compared with, whatever pages
    the project's own spec/docs/ holds."""
    seed_pages_project(root)
    assert main(["spec", "--root", str(root)]) == EXIT_OK
    return root


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project with a later page adding /credits, regenerated."""
    root = _seed_project(tmp_path_factory.mktemp("project"))
    shutil.copy(LATER_PAGE, root / "spec" / "docs" / f"zz_{LATER_PAGE.name}")
    assert main(["generate", "--root", str(root)]) == EXIT_OK
    return root


def test_the_report_names_the_new_operations_and_fields(regenerated: Path) -> None:
    text = (regenerated / "spec" / "API_CHANGES.md").read_text(encoding="utf-8")
    table = text[text.index("| operation |"):text.index("\n\n", text.index("| operation |"))]
    assert "| `GET /credits` | `client.credits.get()` | added | no |" in table
    assert "| `POST /credits/coinbase` | `client.credits.create_coinbase_charge()` | added | no |" \
        in table
    assert "| `POST /keys` | `client.api_keys.create()` | changed" in table
    # A field only the later page documents, with its keyword argument.
    assert ("**request-property-added** `POST /keys`: new optional property 'expires_at'. "
            "Python: `client.api_keys.create(expires_at=...)`") in text
    assert "enum value 'yearly' added" in text
    assert text.index("## Breaking changes") < text.index("## Other changes")
    # The generated package has what the report announces.
    credits = (regenerated / "generated" / "openrouter_client" / "api" / "credits.py").read_text()
    assert "    def get(" in credits and "    def create_coinbase_charge(" in credits


def test_regenerating_again_changes_nothing_and_check_agrees(regenerated: Path) -> None:
    before = read_tree(regenerated / "spec"), read_tree(regenerated / "generated")
    assert main(["generate", "--root", str(regenerated)]) == EXIT_OK
    assert (read_tree(regenerated / "spec"), read_tree(regenerated / "generated")) == before
    assert main(["check", "--root", str(regenerated), "--fail-on-breaking"]) == EXIT_OK


def test_a_broken_committed_spec_lists_the_whole_api_as_new() -> None:
    """Merge conflict markers in the committed spec must not stop the run that fixes them."""
    spec_text = (REPO_ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(spec_text)
    report = api_changes("<<<<<<< HEAD\n", None, spec_text, spec, "spec/openapi.yaml")
    assert "The previous spec could not be read (spec/openapi.yaml:1: error:" in report.text
    added = {c.operation for c in report.changes.changes if c.change == "operation-added"}
    assert added == {f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item
                     if m in ("get", "put", "post", "delete", "options", "head", "patch", "trace")}
    assert added
    assert report.changes.bump == "minor"


def test_an_unchanged_spec_keeps_the_report_or_starts_one() -> None:
    spec_text = (REPO_ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(spec_text)
    kept = api_changes(spec_text, "# the last change\n", spec_text, spec, "spec/openapi.yaml")
    assert kept.text == "# the last change\n" and kept.changes.bump == "none"
    first = api_changes(spec_text, None, spec_text, spec, "spec/openapi.yaml")
    assert first.text.endswith("\nNo API change.\n")


def test_fail_on_breaking_stops_before_writing(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The committed spec has an operation the pages no longer give: removing it breaks."""
    root = _spec_copy(tmp_path)
    committed = root / "spec" / "openapi.yaml"
    spec = yaml.safe_load(committed.read_text(encoding="utf-8"))
    spec["paths"]["/gone"] = {"get": {"operationId": "getGone", "tags": ["Gone"],
                                      "responses": {"200": {"description": "ok"}}}}
    committed.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    before = read_tree(root / "spec")

    assert main(["spec", "--root", str(root), "--fail-on-breaking"]) == EXIT_BREAKING
    err = capsys.readouterr().err
    assert "/paths/~1gone/get: breaking: operation-removed (GET /gone)" in err
    assert "client.gone.get()" in err and "nothing was written" in err
    assert read_tree(root / "spec") == before

    assert main(["check", "--root", str(root), "--fail-on-breaking"]) == EXIT_BREAKING
    assert main(["check", "--root", str(root)]) == EXIT_STALE
    assert read_tree(root / "spec") == before

    assert main(["spec", "--root", str(root)]) == EXIT_OK
    report = (root / "spec" / "API_CHANGES.md").read_text(encoding="utf-8")
    assert "| `GET /gone` | `client.gone.get()` | removed | yes (1) |" in report
    assert "version bump **major**" in report
