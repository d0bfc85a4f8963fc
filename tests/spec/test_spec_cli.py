"""Bad input through the CLI: clear located errors, exit code 1, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openrouter_codegen.cli import main
from tests.spec.helpers import DOCS, OVERLAYS


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A temp copy of the project's spec/ inputs, with a stale openapi.yaml in place."""
    shutil.copytree(DOCS, tmp_path / "spec" / "docs")
    shutil.copytree(OVERLAYS, tmp_path / "spec" / "overlays")
    (tmp_path / "spec" / "openapi.yaml").write_text("stale\n", encoding="utf-8")
    return tmp_path


def _add_page(project: Path, name: str, text: str) -> None:
    (project / "spec" / "docs" / name).write_text(text, encoding="utf-8")


def _assert_failed(project: Path, capsys: pytest.CaptureFixture[str], *expected: str) -> str:
    code = main(["spec", "--root", str(project)])
    err = capsys.readouterr().err
    assert code == 1
    for text in expected:
        assert text in err
    assert "nothing was written" in err
    assert (project / "spec" / "openapi.yaml").read_text(encoding="utf-8") == "stale\n"
    assert not (project / "spec" / "MERGE_REPORT.md").exists()
    return err


def test_good_input_writes_both_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spec", "--root", str(project)]) == 0
    written = (project / "spec" / "openapi.yaml").read_text(encoding="utf-8")
    assert written == (DOCS.parent / "openapi.yaml").read_text(encoding="utf-8")
    assert (project / "spec" / "MERGE_REPORT.md").read_text(encoding="utf-8") == (
        DOCS.parent / "MERGE_REPORT.md").read_text(encoding="utf-8")


def test_unparseable_yaml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add_page(project, "005_bad.md", "# Bad\n\n```yaml\nopenapi: 3.1.0\npaths: {/x: [\n```\n")
    # libyaml notices the unclosed flow sequence at the end of the block (line 6)
    _assert_failed(project, capsys, "spec/docs/005_bad.md:6: error: YAML does not parse")


def test_ref_to_missing_schema(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add_page(project, "005_bad.md", """# Bad

```yaml
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /x:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Missing'
```
""")
    _assert_failed(project, capsys, "spec/docs/005_bad.md:15 "
                   "#/paths/~1x/get/responses/200/content/application~1json/schema/$ref",
                   "Missing")


def test_page_without_openapi_block(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add_page(project, "005_prose.md", "# Just prose\n\n```python\nprint('hi')\n```\n")
    _assert_failed(project, capsys, "spec/docs/005_prose.md:1: error: no OpenAPI block")


def test_conflicting_duplicate_within_one_page(project: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    block = """```yaml
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /x:
    get:
      summary: %s
      responses: {'200': {description: ok}}
```
"""
    _add_page(project, "005_dup.md", "# One\n\n" + block % "first" + "\n# Two\n\n" + block % "second")
    _assert_failed(project, capsys, "spec/docs/005_dup.md:20 #/paths/~1x/get: error",
                   "operation GET /x is defined twice in this page",
                   "first at spec/docs/005_dup.md:8", "again at spec/docs/005_dup.md:20")


def test_broken_overlay(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "spec" / "overlays" / "90-bad.yaml").write_text("overlay: 1.0.0\nactions: [\n",
                                                              encoding="utf-8")
    _assert_failed(project, capsys, "spec/overlays/90-bad.yaml:")


def test_pages_that_are_not_utf8_are_errors_naming_line_and_column(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = project / "spec" / "docs"
    (docs / "005_latin1.md").write_bytes(b"# Caf\xe9\n\n```yaml\nopenapi: 3.1.0\n```\n")
    (docs / "006_broken.txt").write_bytes(b"ok\nsecond \xc3\x28 line\n")
    err = _assert_failed(
        project, capsys,
        "spec/docs/005_latin1.md:1: error: not UTF-8: byte 0xe9 at column 6",
        "spec/docs/006_broken.txt:2: error: not UTF-8: byte 0xc3 at column 8",
        "2 errors")
    assert "Traceback" not in err


def test_pages_with_a_bom_and_crlf_lines_read_like_the_plain_pages(project: Path) -> None:
    for page in (project / "spec" / "docs").iterdir():
        text = page.read_bytes()
        assert b"\r" not in text
        page.write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"))
    assert main(["spec", "--root", str(project)]) == 0
    for name in ("openapi.yaml", "MERGE_REPORT.md"):
        written = (project / "spec" / name).read_text(encoding="utf-8")
        assert written == (DOCS.parent / name).read_text(encoding="utf-8"), name


def test_a_block_part_of_the_wrong_type_is_an_error_at_its_page_line(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Before the shape check the operation was dropped without a word, and the page still listed
    # in the merge report as contributing it.
    _add_page(project, "005_bad.md", """# Bad

```yaml
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /x:
    get: 5
  /y:
    get:
      responses: [1]
```
""")
    _assert_failed(project, capsys,
                   "spec/docs/005_bad.md:8 #/paths/~1x/get: error: expected an object, found a "
                   "number 5",
                   "spec/docs/005_bad.md:11 #/paths/~1y/get/responses: error: expected an object, "
                   "found a list [1]", "2 errors")


def test_an_overlay_that_breaks_a_part_is_an_error(project: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (project / "spec" / "overlays" / "90-bad.yaml").write_text(
        "overlay: 1.0.0\ninfo: {title: bad, version: '1'}\nactions:\n"
        "  - target: $.components.schemas.Model\n    update: {required: id}\n", encoding="utf-8")
    _assert_failed(project, capsys, "#/components/schemas/Model/required: error: expected a list, "
                   'found a string "id"')


def test_a_block_nested_too_deeply_to_read_is_an_error(project: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    deep = "{type: array, items: " * 2000 + "{type: string}" + "}" * 2000
    _add_page(project, "005_deep.md", "# Deep\n\n```yaml\nopenapi: 3.1.0\ninfo: {title: t, "
              f"version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    A: {deep}\n```\n")
    _assert_failed(project, capsys,
                   "spec/docs/005_deep.md:4: error: this YAML block nests too deeply to read")
