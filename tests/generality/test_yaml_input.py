"""YAML is read as the JSON it stands for, in docs pages and in `--from-spec` documents alike.

Dates and timestamps are the text written; a value JSON has no form for is an error at its line
and pointer; aliases are copied but bounded, so an alias bomb ("billion laughs") is a located error
found in bounded time and memory, with nothing written, while ordinary anchors still work.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from openrouter_codegen.cli import EXIT_ERRORS, EXIT_OK, main
from openrouter_codegen.client.client_build import load_spec_text
from openrouter_codegen.common.diagnostics import GeneratorError
from openrouter_codegen.spec.locate import source_lines
from openrouter_codegen.spec.yaml_data import load_yaml
from tests.generality.support import import_module

REPO_ROOT = Path(__file__).resolve().parents[2]

# Lines below are 1-based lines of this text; in a page they move by PAGE_OFFSET.
VERSIONS = """\
openapi: 3.1.0
info: {title: Versions, version: '1'}
paths:
  /versions:
    get:
      operationId: listVersions
      parameters:
        - {name: since, in: query, schema: {type: string, default: 2024-10-01}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Version'}
              example: {version: 2024-10-01, at: 2001-12-14 21:59:43.10 -5, note: =}
components:
  schemas:
    Version:
      type: object
      properties:
        version: {type: string, enum: [2024-10-01, 2025-03-01]}
        at: {type: string, format: date-time}
"""
PAGE_HEAD = "# Versions\n\nGET https://api.example.com/v1/versions\n\n```yaml\n"
PAGE_OFFSET = PAGE_HEAD.count("\n")

# Nine levels of nine aliases: 9**9 strings if copied naively (gigabytes).
BOMB = VERSIONS + "x-bomb:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi",
                                                                  strict=True))
BOMB_FIRST_LINE = VERSIONS.count("\n") + 2  # the line of `a:`


def _page(document: str) -> str:
    return PAGE_HEAD + document + "```\n"


def _docs_project(tmp_path: Path, document: str) -> list[str]:
    """A project holding one docs page; the `generate` arguments that build it."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "overlays").mkdir()
    (tmp_path / "docs" / "10-versions.md").write_text(_page(document), encoding="utf-8")
    return ["--root", str(tmp_path), "--docs", str(tmp_path / "docs"), "--overlays",
            str(tmp_path / "overlays"), "--spec-dir", str(tmp_path / "spec"),
            "--out", str(tmp_path / "out")]


def _from_spec(tmp_path: Path, document: str) -> list[str]:
    spec = tmp_path / "api.yaml"
    spec.write_text(document, encoding="utf-8")
    return ["--root", str(tmp_path), "--from-spec", str(spec), "--out", str(tmp_path / "out")]


def _models(tmp_path: Path) -> ModuleType:
    """The models of the one package generated under tmp_path/out."""
    # A docs project's output also holds the distribution's files (pyproject.toml, ...).
    [package] = [p.name for p in (tmp_path / "out").iterdir() if (p / "__init__.py").is_file()]
    return import_module(tmp_path / "out", f"{package}.models")


def test_dates_in_a_docs_page_are_the_text_written(tmp_path: Path) -> None:
    assert main(["generate", *_docs_project(tmp_path, VERSIONS)]) == EXIT_OK
    spec, _ = load_yaml((tmp_path / "spec" / "openapi.yaml").read_text(encoding="utf-8"), "s", 1)
    operation = spec["paths"]["/versions"]["get"]
    assert operation["parameters"][0]["schema"]["default"] == "2024-10-01"
    assert operation["responses"]["200"]["content"]["application/json"]["example"] == {
        "version": "2024-10-01", "at": "2001-12-14 21:59:43.10 -5", "note": "="}
    models = _models(tmp_path)
    assert [m.value for m in models.VersionValue] == ["2024-10-01", "2025-03-01"]


def test_dates_in_a_from_spec_document_are_the_text_written(tmp_path: Path) -> None:
    assert main(["generate", *_from_spec(tmp_path, VERSIONS)]) == EXIT_OK
    models = _models(tmp_path)
    assert [m.value for m in models.VersionValue] == ["2024-10-01", "2025-03-01"]
    version = models.Version.from_json({"version": "2024-10-01", "at": "2001-12-14"})
    assert version.version is models.VersionValue.FIELD_2024_10_01


NO_JSON_FORM = [
    ("example: .nan", "/example", "'.nan' is a YAML float JSON has no form for"),
    ("example: [1, -.inf]", "/example/1", "'-.inf' is a YAML float JSON has no form for"),
    ("example: !!binary aGVsbG8=", "/example", "a YAML !!binary value has no JSON form"),
    ("example: !!set {a, b}", "/example", "a YAML !!set collection has no JSON form"),
    ("example: !!omap [a: 1]", "/example", "a YAML !!omap collection has no JSON form"),
    ("example: !Ref Thing", "/example", "a YAML !Ref value has no JSON form"),
    ("example: {[a, b]: c}", "/example", "a list or mapping used as a key has no JSON form"),
    ("example: !!int ten", "/example", "'ten' is not a YAML !!int"),
]


def _with_example(line: str) -> tuple[str, int]:
    """VERSIONS with `line` in the Version schema; the line it is on."""
    marker = "      type: object\n"
    text = VERSIONS.replace(marker, marker + f"      {line}\n")
    return text, VERSIONS[:VERSIONS.index(marker)].count("\n") + 2


@pytest.mark.parametrize(("line", "pointer", "message"), NO_JSON_FORM)
def test_a_value_json_has_no_form_for_is_an_error_at_its_line_in_a_docs_page(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, pointer: str,
        message: str) -> None:
    text, at = _with_example(line)
    assert main(["generate", *_docs_project(tmp_path, text)]) == EXIT_ERRORS
    err = capsys.readouterr().err
    page = "docs/10-versions.md"  # pages are named relative to the project root
    assert (f"{page}:{at + PAGE_OFFSET} #/components/schemas/Version{pointer}: error: {message}"
            in err), err
    assert "nothing was written" in err
    assert not (tmp_path / "spec").exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize(("line", "pointer", "message"), NO_JSON_FORM)
def test_a_value_json_has_no_form_for_is_an_error_at_its_line_in_a_from_spec_document(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, pointer: str,
        message: str) -> None:
    text, at = _with_example(line)
    assert main(["generate", *_from_spec(tmp_path, text)]) == EXIT_ERRORS
    err = capsys.readouterr().err
    assert (f"{tmp_path / 'api.yaml'}:{at} #/components/schemas/Version{pointer}: error: "
            f"{message}") in err, err
    assert not (tmp_path / "out").exists()


# The memory the generator may use in the bomb tests (address space, so it holds for every
# allocation; the generate command's second process inherits it). A naive copy needs gigabytes.
MEMORY_LIMIT = 256 * 2**20
TIME_LIMIT = 30.0  # seconds, on a busy 2-core machine; the error comes in about 2 s
# `python -m openrouter_codegen ARGS` with its address space limited to argv[1] bytes.
LIMITED_GENERATOR = """\
import resource, runpy, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.argv = ["openrouter_codegen", *sys.argv[2:]]
runpy.run_module("openrouter_codegen", run_name="__main__", alter_sys=True)
"""


def _limited(arguments: list[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """`python -m openrouter_codegen` in a process held to MEMORY_LIMIT and killed after TIME_LIMIT."""

    started = time.perf_counter()
    # A session of its own, so that a run past the time limit is ended with the schema process
    # it starts.
    with subprocess.Popen([sys.executable, "-c", LIMITED_GENERATOR, str(MEMORY_LIMIT), *arguments],
                          cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"the generator still ran after {TIME_LIMIT} s")
    done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return done, time.perf_counter() - started


@pytest.mark.parametrize("where", ["docs page", "from-spec"])
def test_an_alias_bomb_stops_early_at_its_line_with_nothing_written(tmp_path: Path,
                                                                     where: str) -> None:
    if where == "docs page":
        arguments, file, offset = _docs_project(tmp_path, BOMB), "docs/10-versions.md", PAGE_OFFSET
    else:
        arguments, file, offset = _from_spec(tmp_path, BOMB), str(tmp_path / "api.yaml"), 0
    done, seconds = _limited(["generate", *arguments])
    assert done.returncode == EXIT_ERRORS, done.stderr[-2000:]
    [error] = [line for line in done.stderr.splitlines() if ": error: " in line]
    # The expansion passes the bound inside one of the nine levels (which one depends on the
    # bound): the error is at the line of that level and its pointer.
    located = re.match(rf"{re.escape(file)}:(\d+) #/x-bomb/(\w)/\d+: ", error)
    assert located is not None, error
    level = int(located.group(1)) - offset - BOMB_FIRST_LINE
    assert 1 <= level <= 8 and located.group(2) == "abcdefghi"[level], error
    assert "YAML aliases expand this block by more than" in error
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert seconds < TIME_LIMIT
    assert not (tmp_path / "out").exists() and not (tmp_path / "spec").exists()


def test_aliases_of_long_text_are_bounded_by_size_too() -> None:
    text = "a: &a " + "x" * 100_000 + "\nb: [" + ", ".join(["*a"] * 200) + "]\n"
    with pytest.raises(GeneratorError) as caught:
        load_yaml(text, "long.yaml", 1)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.location.file, diagnostic.location.line) == ("long.yaml", 2)
    assert "characters (an alias bomb?)" in diagnostic.message


ORDINARY = """\
openapi: 3.1.0
info: {title: Anchored, version: '1'}
x-error-responses: &errors
  '404': {description: not found}
  '500': {description: failed}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        <<: *errors
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
  /owners:
    get:
      operationId: listOwners
      responses:
        <<: *errors
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Owner'}}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: &name {type: string, description: what it is called, maxLength: 60}
        tags: &tags
          type: array
          items: {type: string, enum: [small, large, loud, quiet, old, young]}
    Owner:
      type: object
      properties:
        name: *name
        tags: *tags
        pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
"""


@pytest.mark.parametrize("where", ["docs page", "from-spec"])
def test_ordinary_anchors_aliases_and_merge_keys_still_generate(tmp_path: Path,
                                                                where: str) -> None:
    if where == "docs page":
        assert main(["generate", *_docs_project(tmp_path, ORDINARY)]) == EXIT_OK
        document = load_spec_text((tmp_path / "spec" / "openapi.yaml").read_text(), "openapi.yaml")
    else:
        assert main(["generate", *_from_spec(tmp_path, ORDINARY)]) == EXIT_OK
        document = load_spec_text(ORDINARY, "api.yaml")
    for path in ("/pets", "/owners"):
        assert set(document["paths"][path]["get"]["responses"]) == {"200", "404", "500"}
    schemas = document["components"]["schemas"]
    assert schemas["Owner"]["properties"]["name"] == schemas["Pet"]["properties"]["name"] == {
        "type": "string", "description": "what it is called", "maxLength": 60}
    models = _models(tmp_path)
    sent = {"name": "Ada", "tags": ["loud", "new"], "pets": [{"name": "Rex", "tags": ["old"]}]}
    owner = models.Owner.from_json(sent)
    assert owner.tags[0] == "loud" and owner.pets[0].name == "Rex"
    assert owner.to_json() == sent


def test_an_alias_used_more_than_four_times_what_is_written_is_still_ordinary() -> None:
    schema = "{type: object, properties: {" + ", ".join(
        f"p{i}: {{type: string, description: d}}" for i in range(40)) + "}}"
    uses = "\n".join(f"  S{i}: *big" for i in range(300))
    data, _ = load_yaml(f"big: &big {schema}\nschemas:\n{uses}\n", "many.yaml", 1)
    assert len(data["schemas"]) == 300
    assert data["schemas"]["S299"] == data["big"] and data["schemas"]["S299"] is not data["big"]


def test_locating_a_pointer_does_not_expand_aliases() -> None:
    started = time.perf_counter()
    lines = source_lines(BOMB)
    assert time.perf_counter() - started < 5
    # An alias is located where its node is; what lies under it is located there too (the
    # pointers of its content are left out, so a lookup falls back to the alias's).
    assert lines["/x-bomb/a/0"] == lines["/x-bomb/b/0"] == BOMB_FIRST_LINE
    assert "/x-bomb/b/0/0" not in lines and "/x-bomb/i/8/8" not in lines


MERGES = [
    "base: &b {x: 1, y: 1}\nd: {<<: *b, x: 2}\n",  # its own key wins over a merged one
    "b1: &b1 {x: 1}\nb2: &b2 {x: 2, z: 3}\nd: {a: 0, <<: [*b1, *b2]}\n",  # the first listed wins
    "b: &b {x: 2, z: 3}\ne: &e {q: 1, <<: *b}\nf: {<<: [*e, {x: 9}], w: 1}\n",  # merges of merges
]


@pytest.mark.parametrize("text", MERGES)
def test_merge_keys_mean_what_they_mean_to_the_safe_loader(text: str) -> None:
    data, _ = load_yaml(text, "merge.yaml", 1)
    expected = yaml.safe_load(text)
    assert data == expected
    assert [list(value) for value in data.values()] == [list(v) for v in expected.values()]


def test_merges_of_merges_nine_levels_deep_cost_their_keys_only() -> None:
    text = "a: &a {k0: 0, k1: 1, k2: 2}\n" + "".join(
        f"{c}: &{c} {{<<: [{', '.join([f'*{p}'] * 9)}]}}\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)) + "j: *i\n"
    started = time.perf_counter()
    data, _ = load_yaml(text, "merges.yaml", 1)
    assert time.perf_counter() - started < 2
    assert data["j"] == {"k0": 0, "k1": 1, "k2": 2}


def test_the_same_key_twice_in_one_mapping_is_still_a_conflict_unless_equal() -> None:
    assert load_yaml("a: {x: 1, x: 1}\n", "dup.yaml", 1)[0] == {"a": {"x": 1}}
    with pytest.raises(GeneratorError) as caught:
        load_yaml("a: {<<: {x: 0}, x: 1,\n    x: 2}\n", "dup.yaml", 1)
    [diagnostic] = caught.value.diagnostics
    assert str(diagnostic).startswith("dup.yaml:2 #/a/x: error: conflicting duplicate key 'x': "
                                      "first defined at dup.yaml:1")
