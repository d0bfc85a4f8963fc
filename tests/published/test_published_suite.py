"""The maintainer's docs change at real scale: the newest published document dropped into a copy
of the project's `spec/docs/`, `generate` run, and the suite over spec/docs/, spec/ and generated/
(spec checks, golden requests, Prism on every operation, looseness, snapshots) green on the copy
with no code change.

Prism validates every call the client makes against the regenerated spec: this is the full-API
Prism run (every non-streaming operation, zero request violations), in CI.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from openrouter_codegen.cli import main
from tests.support.project_copy import project_copy, run_suite
from tests.support.shared_data import PUBLISHED_VERSIONS, published_version

NEWEST = PUBLISHED_VERSIONS[-1]

# The one skip expected on the copy: the check of the seed calls, which runs only while
# spec/docs/ holds the seed pages alone.
EXPECTED_SKIP = "spec/docs/ holds other pages than the seed pages"


def test_the_newest_document_regenerates_and_the_suite_stays_green(tmp_path: Path) -> None:
    document = published_version(NEWEST)
    project = project_copy(tmp_path / "project")
    shutil.copy(document, project / "spec" / "docs" / f"900_openrouter_{NEWEST}.yaml")
    assert main(["generate", "--root", str(project)]) == 0
    assert main(["check", "--root", str(project)]) == 0
    # The copy's package is the whole API's, not the seed pages' 17 operations.
    assert (project / "generated" / "openrouter_client" / "api" / "files.py").is_file()

    result = run_suite(project, "-rs", "tests/spec", "tests/support", "tests/client",
                       timeout=2000)
    out = result.stdout
    assert result.returncode == 0, out[-8000:] + result.stderr[-2000:]
    summary = out.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
    skips = [line for line in out.splitlines() if line.startswith("SKIPPED")]
    # Nothing skipped for want of a tool (Prism, shared data): every operation was called.
    assert all(EXPECTED_SKIP in line for line in skips), skips
    passed = re.search(r"(\d+) passed", summary)
    # The whole API's models and operations, not the seed pages' (440 tests there).
    assert passed and int(passed.group(1)) > 1000, summary
