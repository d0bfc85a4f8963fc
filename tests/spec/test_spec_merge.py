"""Merge: later pages win, earlier non-contradicting content is kept, all of it reported."""

from __future__ import annotations

import pytest

from openrouter_codegen.common.diagnostics import GeneratorError
from openrouter_codegen.common.files import SourceFile
from openrouter_codegen.spec.extract import extract
from openrouter_codegen.spec.localize import localize
from openrouter_codegen.spec.merge import MergeResult, merge
from tests.spec.helpers import yaml_page

OLD = """
openapi: 3.1.0
info: {title: old, version: '1'}
paths:
  /things:
    get:
      operationId: list-things
      summary: List things
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '500': {description: boom}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
        legacy: {type: string}
        color: {$ref: '#/components/schemas/Color'}
        size: {type: integer}
      required: [id, legacy]
    Color:
      type: string
      enum: [{value: red}, {value: blue}]
"""

NEW = """
openapi: 3.1.0
info: {title: new, version: '2'}
paths:
  /things:
    get:
      operationId: list-things-v2
      summary: List things (v2)
      parameters:
        - {name: limit, in: query, description: at most, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
        color: {$ref: '#/components/schemas/Color'}
        size: {type: [integer, 'null']}
        weight: {type: number}
      required: [id]
    Color:
      type: string
      enum: [{value: green}, {value: red}]
"""


def _merge(*pages: SourceFile) -> MergeResult:
    return merge(tuple(localize(f) for f in extract(pages)))


def _two_pages() -> MergeResult:
    return _merge(yaml_page(OLD, "spec/docs/001_old.md"), yaml_page(NEW, "spec/docs/002_new.md"))


def test_later_page_wins_for_operation_fields() -> None:
    op = _two_pages().doc["paths"]["/things"]["get"]
    assert op["operationId"] == "list-things-v2"
    assert op["summary"] == "List things (v2)"
    assert op["parameters"][0] == {"name": "limit", "in": "query", "description": "at most",
                                   "schema": {"type": "integer"}}


def test_earlier_content_that_does_not_contradict_is_kept() -> None:
    result = _two_pages()
    op = result.doc["paths"]["/things"]["get"]
    assert [p["name"] for p in op["parameters"]] == ["limit", "cursor"]
    assert set(op["responses"]) == {"200", "500"}
    thing = result.doc["components"]["schemas"]["Thing"]
    assert list(thing["properties"]) == ["id", "color", "size", "weight", "legacy"]
    assert thing["required"] == ["id"]  # the winner's list
    color = result.doc["components"]["schemas"]["Color"]
    assert color["enum"] == [{"value": "green"}, {"value": "red"}, {"value": "blue"}]


def test_differently_shaped_schema_is_replaced_whole() -> None:
    thing = _two_pages().doc["components"]["schemas"]["Thing"]
    assert thing["properties"]["size"] == {"type": ["integer", "null"]}


def test_every_override_and_kept_item_is_listed_with_both_places() -> None:
    events = {(e.kind, e.pointer): e for e in _two_pages().events}
    summary = events[("overridden", "/paths/~1things/get/summary")]
    assert str(summary.earlier) == "spec/docs/001_old.md:12"
    assert str(summary.winner) == "spec/docs/002_new.md:12"
    assert "'List things' replaced by 'List things (v2)'" in summary.detail
    assert ("kept", "/components/schemas/Thing/properties") in events
    assert "legacy" in events[("kept", "/components/schemas/Thing/properties")].detail
    assert "'blue'" in events[("kept", "/components/schemas/Color/enum")].detail
    assert ("kept", "/paths/~1things/get/parameters") in events
    assert ("overridden", "/components/schemas/Thing/properties/size") in events
    assert ("overridden", "/components/schemas/Thing/required") in events


def test_operation_sources_name_winner_and_earlier_versions() -> None:
    (source,) = _two_pages().operations
    assert source.key == "GET /things"
    assert str(source.winner) == "spec/docs/002_new.md:10"
    assert [str(w) for w in source.superseded] == ["spec/docs/001_old.md:10"]


def test_one_value_enums_are_tags_and_never_blended() -> None:
    old = OLD.replace("enum: [{value: red}, {value: blue}]",
                      "enum: [{type: stringLiteral, value: red}]")
    result = _merge(yaml_page(old, "spec/docs/001_old.md"), yaml_page(NEW, "spec/docs/002_new.md"))
    assert result.doc["components"]["schemas"]["Color"]["enum"] == [
        {"value": "green"}, {"value": "red"}]


def test_conflicting_duplicate_in_one_page_names_both_places() -> None:
    other = OLD.replace("summary: List things", "summary: Something else")
    text = (yaml_page(OLD).text + "\n# Again\n\n```yaml\n" + other.strip("\n") + "\n```\n")
    with pytest.raises(GeneratorError) as caught:
        _merge(SourceFile("spec/docs/003_dup.md", text))
    (diagnostic,) = caught.value.diagnostics
    assert "GET /things is defined twice in this page" in diagnostic.message
    assert "spec/docs/003_dup.md:10" in diagnostic.message
    assert str(diagnostic.location).startswith("spec/docs/003_dup.md:")
    assert diagnostic.location.line > 40


def test_conflicting_component_in_one_page_is_an_error() -> None:
    block2 = """
    openapi: 3.1.0
    info: {title: t, version: '1'}
    paths: {}
    components:
      schemas:
        Color: {type: string}
    """
    text = yaml_page(OLD).text + "\n```yaml\n" + block2.replace("\n    ", "\n").strip() + "\n```\n"
    with pytest.raises(GeneratorError) as caught:
        _merge(SourceFile("spec/docs/003_dup.md", text))
    assert "component schemas/Color is defined twice" in caught.value.diagnostics[0].message


def test_identical_duplicates_in_one_page_are_fine() -> None:
    text = yaml_page(OLD).text + "\n```yaml\n" + OLD.strip("\n") + "\n```\n"
    result = _merge(SourceFile("spec/docs/003_dup.md", text))
    assert result.events == ()
    assert list(result.doc["paths"]) == ["/things"]


def test_top_level_tags_are_merged_by_name() -> None:
    old = OLD.replace("paths:", "tags: [{name: a, description: old a}, {name: b}]\npaths:", 1)
    new = NEW.replace("paths:", "tags: [{name: a, description: new a}]\npaths:", 1)
    result = _merge(yaml_page(old, "spec/docs/001_old.md"), yaml_page(new, "spec/docs/002_new.md"))
    assert result.doc["tags"] == [{"name": "a", "description": "new a"}, {"name": "b"}]
