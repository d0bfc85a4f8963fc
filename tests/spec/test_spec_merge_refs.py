"""Merge through `$ref`: where one version of a schema is inline and another a `$ref`, the
properties the winner lacks are kept (in the component when this is its only use, in an `allOf`
extension of it when it is shared, in the inline winner) and listed in the merge report."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.common.files import SourceFile
from openrouter_codegen.spec.extract import extract
from openrouter_codegen.spec.localize import localize
from openrouter_codegen.spec.merge import MergeEvent, MergeResult, merge
from openrouter_codegen.spec.spec_build import build_spec
from tests.spec.helpers import yaml_page

INLINE = """
openapi: 3.1.0
info: {title: old, version: '1'}
paths:
  /chat:
    post:
      operationId: chat
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                model: {type: string, description: the old words}
                top_k: {type: integer}
                transforms: {type: array, items: {type: string}}
              required: [model, top_k]
      responses:
        '200': {description: ok}
"""

REF = """
openapi: 3.1.0
info: {title: new, version: '2'}
paths:
  /chat:
    post:
      operationId: chat
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Params'}
      responses:
        '200': {description: ok}
components:
  schemas:
    Params:
      type: object
      properties:
        model: {type: string}
        seed: {type: integer}
      required: [model]
"""

SECOND_USE = """
  /other:
    post:
      operationId: other
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Params'}
      responses:
        '200': {description: ok}
components:"""

BODY = "/paths/~1chat/post/requestBody/content/application~1json/schema"


def _merge(*blocks: str) -> MergeResult:
    pages = tuple(yaml_page(b, f"spec/docs/00{i}_p.md") for i, b in enumerate(blocks, 1))
    return merge(tuple(localize(f) for f in extract(pages)))


def _at(doc: dict[str, Any], pointer: str) -> Any:
    node: Any = doc
    for token in pointer.strip("/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def _kept(result: MergeResult) -> list[MergeEvent]:
    return [e for e in result.events if e.kind == "kept"]


def test_properties_an_inline_earlier_body_has_join_a_component_used_only_there() -> None:
    result = _merge(INLINE, REF)
    assert _at(result.doc, BODY) == {"$ref": "#/components/schemas/Params"}
    params = result.doc["components"]["schemas"]["Params"]
    assert list(params["properties"]) == ["model", "seed", "top_k", "transforms"]
    assert params["properties"]["model"] == {"type": "string"}  # the winner's own is kept as is
    assert params["properties"]["transforms"] == {"type": "array", "items": {"type": "string"}}
    assert params["required"] == ["model"]  # kept properties are optional: the winner omits them
    (event,) = _kept(result)
    assert event.pointer == "/components/schemas/Params/properties"
    assert "top_k, transforms" in event.detail and "used only here" in event.detail
    assert str(event.earlier).startswith("spec/docs/001_p.md:")
    assert str(event.winner).startswith("spec/docs/002_p.md:")


def test_a_shared_component_is_extended_in_place_not_changed() -> None:
    result = _merge(INLINE, REF.replace("\ncomponents:", SECOND_USE, 1))
    params = result.doc["components"]["schemas"]["Params"]
    assert list(params["properties"]) == ["model", "seed"]
    assert _at(result.doc, BODY) == {"allOf": [
        {"$ref": "#/components/schemas/Params"},
        {"type": "object", "properties": {"top_k": {"type": "integer"},
                                          "transforms": {"type": "array",
                                                         "items": {"type": "string"}}}}]}
    other = "/paths/~1other/post/requestBody/content/application~1json/schema"
    assert _at(result.doc, other) == {"$ref": "#/components/schemas/Params"}
    (event,) = _kept(result)
    assert event.pointer == BODY + "/allOf/1/properties"
    assert "top_k, transforms" in event.detail and "used 2 times" in event.detail


def test_an_inline_winner_keeps_the_properties_of_an_earlier_ref() -> None:
    old = REF.replace("info: {title: new, version: '2'}", "info: {title: old, version: '1'}")
    new = INLINE.replace("info: {title: old, version: '1'}", "info: {title: new, version: '2'}")
    result = _merge(old, new)
    body = _at(result.doc, BODY)
    assert list(body["properties"]) == ["model", "top_k", "transforms", "seed"]
    assert body["properties"]["model"] == {"type": "string", "description": "the old words"}
    (event,) = _kept(result)
    assert event.pointer == BODY + "/properties" and "seed" in event.detail


def test_nothing_is_added_when_the_component_has_every_property() -> None:
    subset = INLINE.replace("top_k", "seed").replace(
        "                transforms: {type: array, items: {type: string}}\n", "")
    assert "transforms" not in subset
    result = _merge(subset, REF)
    params = result.doc["components"]["schemas"]["Params"]
    assert list(params["properties"]) == ["model", "seed"]
    assert not _kept(result)


def test_a_ref_to_a_non_object_drops_nothing_silently() -> None:
    union = REF.replace("""      type: object
      properties:
        model: {type: string}
        seed: {type: integer}
      required: [model]""", """      oneOf: [{type: string}, {type: integer}]""")
    result = _merge(INLINE, union)
    notes = [e.detail for e in result.events if e.kind == "overridden" and e.pointer == BODY]
    assert any("model, top_k, transforms" in n and "not kept" in n for n in notes), notes


def test_the_merge_report_lists_what_was_kept_and_the_call_takes_it() -> None:
    pages = (yaml_page(INLINE, "spec/docs/001_p.md"), yaml_page(REF, "spec/docs/002_p.md"))
    build = build_spec(pages, ())
    assert "top_k" in build.openapi["components"]["schemas"]["Params"]["properties"]
    kept = build.report_md.split("### Kept from earlier pages (1)", 1)[1].split("##", 1)[0]
    assert "`#/components/schemas/Params/properties`" in kept and "top_k, transforms" in kept


def test_the_seed_pages_keep_the_documented_chat_parameters() -> None:
    from tests.spec.helpers import overlay_files, seed_pages

    pages: tuple[SourceFile, ...] = seed_pages()
    build = build_spec(pages, overlay_files())
    params = build.openapi["components"]["schemas"]["ChatGenerationParams"]["properties"]
    for name in ("top_k", "transforms", "repetition_penalty", "min_p", "top_a"):
        assert name in params, name
    assert "top_k" in build.report_md.split("### Kept from earlier pages", 1)[1]
