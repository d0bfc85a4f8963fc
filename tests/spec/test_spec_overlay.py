"""Overlays: Overlay 1.0 parsing, update/remove semantics, warnings and located errors."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from openrouter_codegen.common.diagnostics import GeneratorError, Severity
from openrouter_codegen.common.files import SourceFile
from openrouter_codegen.spec.overlay import apply_overlays, parse_overlay

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "0"},
    "paths": {
        "/a": {"get": {"responses": {"200": {"description": "ok"},
                                     "404": {"description": "nf", "content": {}}}}},
        "/b": {"post": {"tags": ["x"], "responses": {"500": {"description": "boom"}}}},
    },
    "components": {"schemas": {"Old": {"type": "string"}}},
}


def _overlay(body: str, path: str = "spec/overlays/10-test.yaml") -> SourceFile:
    head = "overlay: 1.0.0\ninfo:\n  title: test\n  version: 1.0.0\n"
    return SourceFile(path, head + textwrap.dedent(body).lstrip("\n"))


def test_update_deep_merges_objects_and_keeps_input_untouched() -> None:
    result = apply_overlays(DOC, (_overlay("""
        actions:
          - target: $.info
            update: {title: API, x-client: {package: p}}
          - target: $.paths.*.*.responses['404','500']
            update:
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Error'}
          - target: $.components.schemas
            update:
              Error: {type: object}
    """),))
    doc = result.doc
    assert doc["info"] == {"title": "API", "version": "0", "x-client": {"package": "p"}}
    assert doc["paths"]["/a"]["get"]["responses"]["404"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    assert doc["paths"]["/b"]["post"]["responses"]["500"]["description"] == "boom"
    assert "content" not in doc["paths"]["/a"]["get"]["responses"]["200"]
    assert set(doc["components"]["schemas"]) == {"Old", "Error"}
    assert DOC["info"] == {"title": "t", "version": "0"}
    assert [r.matched for r in result.actions] == [1, 2, 1]
    assert result.warnings == ()


def test_remove_and_array_append() -> None:
    result = apply_overlays(DOC, (_overlay("""
        actions:
          - target: $.components.schemas.Old
            remove: true
          - target: $.paths['/b'].post.tags
            update: y
          - target: $.paths[?@.get].get.responses['200']
            update: {description: fine}
    """),))
    assert result.doc["components"]["schemas"] == {}
    assert result.doc["paths"]["/b"]["post"]["tags"] == ["x", "y"]
    assert result.doc["paths"]["/a"]["get"]["responses"]["200"]["description"] == "fine"


def test_overlays_apply_in_the_order_given() -> None:
    first = _overlay("actions:\n  - target: $.info\n    update: {title: first}\n",
                     "spec/overlays/10-a.yaml")
    second = _overlay("actions:\n  - target: $.info\n    update: {title: second}\n",
                      "spec/overlays/20-b.yaml")
    assert apply_overlays(DOC, (first, second)).doc["info"]["title"] == "second"


def test_target_matching_nothing_is_a_warning_with_file_and_action() -> None:
    result = apply_overlays(DOC, (_overlay("""
        actions:
          - target: $.info
            update: {title: ok}
          - target: $.paths['/missing'].get
            update: {summary: s}
    """),))
    (warning,) = result.warnings
    assert warning.severity is Severity.WARNING
    assert str(warning.location) == "spec/overlays/10-test.yaml:8"
    assert "action 1" in warning.message and "/missing" in warning.message


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [\n", 4, "YAML does not parse"),
    ("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n", 1, "`overlay` must be a 1.0.x"),
    ("overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", 1, "1.0.x"),
    ("overlay: 1.0.0\ninfo: {title: t}\nactions: [{target: $, update: {}}]\n", 2, "`info`"),
    ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.a\n", 4,
     "neither `update` nor `remove: true`"),
    ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.a[?(\n"
     + "    update: {}\n", 4, "not a JSONPath"),
])
def test_bad_overlay_is_an_error_naming_file_and_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(GeneratorError) as caught:
        parse_overlay(SourceFile("spec/overlays/90-bad.yaml", text))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location.file == "spec/overlays/90-bad.yaml"
    assert diagnostic.location.line == line
    assert fragment in diagnostic.message


def test_remove_list_items_by_index_and_filter() -> None:
    doc = {**DOC, "tags": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}
    result = apply_overlays(doc, (_overlay("""
        actions:
          - target: $.tags[-1]
            remove: true
          - target: $.tags[?(@.name == 'a')]
            remove: true
    """),))
    assert result.doc["tags"] == [{"name": "b"}]
    assert [r.matched for r in result.actions] == [1, 1]


def test_only_missing_adds_what_the_target_lacks_and_keeps_what_it_declares() -> None:
    doc = {**DOC, "paths": {
        "/old": {"post": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "object"}}}}}}},
        "/new": {"post": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/event-stream": {"schema": {"$ref": "#/components/schemas/Own"}}}}}}},
    }, "components": {"schemas": {"Own": {"type": "object"}}}}
    result = apply_overlays(doc, (_overlay("""
        actions:
          - target: $.components.schemas
            x-only-missing: true
            update:
              Chunk: {type: object, properties: {part: {$ref: '#/components/schemas/Part'}}}
              Part: {type: string}
              Own: {type: string}
          - target: $.paths.*.post.responses['200'].content
            x-only-missing: true
            update:
              text/event-stream:
                schema: {$ref: '#/components/schemas/Chunk'}
    """),))
    paths = result.doc["paths"]
    assert paths["/old"]["post"]["responses"]["200"]["content"]["text/event-stream"] == {
        "schema": {"$ref": "#/components/schemas/Chunk"}}
    assert paths["/new"]["post"]["responses"]["200"]["content"]["text/event-stream"] == {
        "schema": {"$ref": "#/components/schemas/Own"}}
    assert result.doc["components"]["schemas"]["Own"] == {"type": "object"}  # declared: kept
    assert [(r.matched, r.changed) for r in result.actions] == [(1, 1), (2, 1)]
    assert result.unused == ()


def test_schemas_an_overlay_added_that_nothing_uses_are_dropped_and_listed() -> None:
    doc = {**DOC, "paths": {"/s": {"post": {"responses": {"200": {"description": "ok", "content": {
        "text/event-stream": {"schema": {"type": "object"}}}}}}}}}
    result = apply_overlays(doc, (_overlay("""
        actions:
          - target: $.components.schemas
            update:
              Chunk: {type: object, properties: {part: {$ref: '#/components/schemas/Part'}}}
              Part: {type: string}
          - target: $.paths['/s'].post.responses['200'].content
            x-only-missing: true
            update:
              text/event-stream:
                schema: {$ref: '#/components/schemas/Chunk'}
    """),))
    # The document declares its own stream, so Chunk and Part are unused; the document's own
    # unreferenced `Old` is not the overlays' to drop.
    assert result.unused == ("Chunk", "Part")
    assert set(result.doc["components"]["schemas"]) == {"Old"}


def test_only_missing_must_be_a_boolean() -> None:
    with pytest.raises(GeneratorError) as info:
        parse_overlay(_overlay("""
            actions:
              - target: $.info
                x-only-missing: yes please
                update: {title: x}
        """))
    assert "`x-only-missing` must be a boolean" in info.value.diagnostics[0].message


def test_integer_marks_make_numbers_integers_by_property_name_keeping_null() -> None:
    doc: dict[str, Any] = {**DOC, "components": {"schemas": {
        "Usage": {"type": "object", "required": ["total_tokens", "cost"], "properties": {
            "total_tokens": {"type": "number"},
            "cost": {"type": "number"},
            "created": {"type": ["number", "null"]},
            "index": {"anyOf": [{"type": "number"}, {"type": "string"}]},
            "counts": {"type": "array", "items": {"type": "number"}},
        }},
    }}}
    result = apply_overlays(doc, (_overlay("""
        actions:
          - target: $..properties['total_tokens','created','index','counts']
            update: {x-integer: true}
          - target: $..required[?@ == 'total_tokens']
            remove: true
    """),))
    props = result.doc["components"]["schemas"]["Usage"]["properties"]
    assert props == {
        "total_tokens": {"type": "integer"},
        "cost": {"type": "number"},  # not marked
        "created": {"type": ["integer", "null"]},
        "index": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
        "counts": {"type": "array", "items": {"type": "number"}},  # only the marked schema itself
    }
    assert result.doc["components"]["schemas"]["Usage"]["required"] == ["cost"]
    assert "x-integer" not in str(result.doc)
