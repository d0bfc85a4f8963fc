"""`python -m openrouter_codegen diff`: its JSON and markdown forms, exit codes and errors; the
--fail-on-breaking flag's documentation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from openrouter_codegen.cli import EXIT_BREAKING, EXIT_ERRORS, EXIT_OK, main
from tests.changes.documents import document, get, json_answer, ref
from tests.support.shared_data import REPO_ROOT, published_version

KEYS = ["change", "operation", "pointer", "breaking", "detail", "python"]


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two documents: the later one drops an enum value and adds an operation."""
    def api(values: list[str], extra: bool) -> dict[str, Any]:
        paths: dict[str, Any] = {"/things": {"get": get(json_answer(ref("Kind")))}}
        if extra:
            paths["/other"] = {"get": get(operationId="listOthers", tags=["Others"])}
        return document(paths=paths, schemas={"Kind": {"type": "string", "enum": values}})

    return (_write(tmp_path / "old.yaml", api(["a", "b"], False)),
            _write(tmp_path / "new.yaml", api(["a"], True)))


def test_json_form(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(pair[0]), str(pair[1]), "--format", "json"]) == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["changes", "bump"] and out["bump"] == "major"
    removed, added = out["changes"]
    assert removed == {"change": "enum-value-removed", "operation": None,
                       "pointer": "/components/schemas/Kind", "breaking": True,
                       "detail": "enum value 'b' removed (used by GET /things)", "value": "b",
                       "python": "Kind"}
    assert list(added) == KEYS  # `value` only for enum changes
    assert (added["change"], added["operation"], added["python"]) == (
        "operation-added", "GET /other", "client.others.list()")


def test_markdown_form_and_fail_on_breaking(pair: tuple[Path, Path],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(pair[0]), str(pair[1]), "--fail-on-breaking"]) == EXIT_BREAKING
    text = capsys.readouterr().out
    assert text.startswith("# API changes\n")
    assert "| `GET /things` | `client.things.list()` | changed (1 change) | yes (1) |" in text
    assert "| `GET /other` | `client.others.list()` | added | no |" in text
    assert text.index("## Breaking changes") < text.index("## Other changes")
    assert main(["diff", str(pair[1]), str(pair[1]), "--fail-on-breaking"]) == EXIT_OK
    assert "No API change." in capsys.readouterr().out


def test_unreadable_documents_are_located_errors(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\npaths:\n  /x: [\n", encoding="utf-8")
    wrong = _write(tmp_path / "wrong.yaml", {"openapi": "3.1.0", "paths": {"/x": {"get": 5}}})
    assert main(["diff", str(bad), str(wrong)]) == EXIT_ERRORS
    err = capsys.readouterr().err
    assert f"{bad}:4: error: not valid YAML" in err
    assert f"{wrong}:" in err and "/paths/~1x/get" in err
    assert "Traceback" not in err


def test_the_module_entry_point_on_published_versions() -> None:
    """`python -m openrouter_codegen diff` in a fresh process on 2026-08-21 -> 2026-08-22."""
    old, new = published_version("2026-08-21"), published_version("2026-08-22")
    result = subprocess.run([sys.executable, "-m", "openrouter_codegen", "diff", str(old), str(new),
                             "--format", "json"], cwd=REPO_ROOT, capture_output=True, text=True,
                            check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["bump"] == "minor" and len(out["changes"]) == 8
    assert all(list(c) == KEYS for c in out["changes"])


def test_fail_on_breaking_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--fail-on-breaking" in text and "4 breaking API changes under --fail-on-breaking" in text
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "--fail-on-breaking" in readme and "4 breaking" in readme


def test_fail_on_breaking_needs_the_docs_build(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path / "api.yaml", document())
    code = main(["generate", "--from-spec", str(spec), "--out", str(tmp_path / "out"),
                 "--fail-on-breaking"])
    assert code == EXIT_ERRORS and "--from-spec" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
