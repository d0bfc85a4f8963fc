"""A maintainer drops a new docs page into spec/docs and regenerates: the client follows, with no code change."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from openrouter_codegen.cli import main
from tests.support.project_copy import project_copy, run_suite

REPO = Path(__file__).resolve().parents[2]
LATER_PAGE = REPO / "tests" / "fixtures" / "docs_later" / "005_later_page.md"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO / "spec", root / "spec")
    # Named to sort after every numbered page, so it is the newest whatever spec/docs/ holds.
    shutil.copy(LATER_PAGE, root / "spec" / "docs" / f"zz_{LATER_PAGE.name}")
    assert main(["generate", "--root", str(root)]) == 0
    return root


def test_new_page_gives_new_namespace_and_functions(regenerated: Path) -> None:
    api = regenerated / "generated" / "openrouter_client" / "api"
    credits = (api / "credits.py").read_text()
    assert "def get_credits(" in credits and "def create_coinbase_charge(" in credits
    assert "class CreditsResource" in credits


def test_newer_version_of_an_endpoint_reaches_the_client(regenerated: Path) -> None:
    api_keys = (regenerated / "generated" / "openrouter_client" / "api" / "api_keys.py").read_text()
    create = api_keys[api_keys.index("def _create_keys_options("):]
    create = create[: create.index(") -> RequestOptions")]
    assert "limit_reset" in create  # a body field only the later page documents


def test_untouched_groups_are_byte_identical(regenerated: Path) -> None:
    for module in ("models.py", "chat.py", "providers.py", "oauth.py"):
        fresh = (regenerated / "generated" / "openrouter_client" / "api" / module).read_text()
        committed = (REPO / "generated" / "openrouter_client" / "api" / module).read_text()
        assert fresh == committed, f"api/{module} changed although its pages did not"


def test_regenerated_client_imports_and_has_the_new_namespace(regenerated: Path) -> None:
    script = (
        "import openrouter_client, inspect\n"
        "client = openrouter_client.OpenRouter(api_key='k')\n"
        "print(openrouter_client.__file__)\n"
        "print(sorted(n for n in dir(client.credits) if not n.startswith('_')))\n"
        "print(sorted(inspect.signature(client.api_keys.create).parameters))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(regenerated / "generated")}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, check=True)
    where, credits_methods, create_params = result.stdout.splitlines()
    assert where.startswith(str(regenerated))
    assert "with_raw_response" in credits_methods and len(ast.literal_eval(credits_methods)) == 3
    assert "limit_reset" in create_params and "expires_at" in create_params


def test_a_new_page_regenerates_and_the_suite_over_the_docs_stays_green(tmp_path: Path) -> None:
    """A maintainer's docs change: a copy of the project gains a page, `generate` runs, and the
    tests that read spec/docs/, spec/ and generated/ (spec, golden requests, Prism on every
    operation, snapshots, looseness) pass on the copy with no code change."""
    project = project_copy(tmp_path / "project")
    shutil.copy(LATER_PAGE, project / "spec" / "docs" / f"zz_{LATER_PAGE.name}")
    assert main(["generate", "--root", str(project)]) == 0
    assert main(["check", "--root", str(project)]) == 0
    result = run_suite(project, "tests/spec", "tests/support", "tests/client", timeout=900)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary, summary
    # The copy's tests ran against the copy's package, which has the page's new group.
    assert (project / "generated" / "openrouter_client" / "api" / "credits.py").is_file()
