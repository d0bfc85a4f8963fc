"""Each normalize rule on its own minimal fragment."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.spec.normalize import (
    RULES,
    RuleContext,
    RuleOutcome,
    any_value,
    bearer_auth,
    boolean_literal,
    discriminator,
    enum_items,
    flat_tags,
    normalize,
    open_enum,
    prune,
    required_body,
    servers,
    string_const_union,
    string_literal,
    union_dedupe,
)
from openrouter_codegen.spec.normalize.base import Rule


def _schemas(**schemas: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": {}, "components": {"schemas": schemas}}


def _run(rule: Rule, doc: dict[str, Any], context: RuleContext | None = None
         ) -> tuple[dict[str, Any], RuleOutcome]:
    outcome = rule.apply(doc, context or RuleContext())
    return doc, outcome


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _op(**fields: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": {"/x": {"post": {"responses": {}, **fields}}}}


def test_boolean_literal_becomes_boolean_const() -> None:
    doc, outcome = _run(boolean_literal.RULE, _schemas(Deleted={
        "type": "object", "properties": {"deleted": {
            "type": "string", "enum": [{"type": "booleanLiteral", "value": True}]}}}))
    assert doc["components"]["schemas"]["Deleted"]["properties"]["deleted"] == {
        "type": "boolean", "const": True}
    assert outcome.count == 1


def test_string_literal_single_item_becomes_const() -> None:
    doc, outcome = _run(string_literal.RULE, _schemas(Text={
        "type": "object",
        "properties": {"type": {"type": "string",
                                "enum": [{"type": "stringLiteral", "value": "text"}]}}}))
    assert doc["components"]["schemas"]["Text"]["properties"]["type"] == {
        "type": "string", "const": "text"}
    assert outcome.count == 1


def test_enum_object_items_become_plain_values_mixed_items_too() -> None:
    doc, outcome = _run(enum_items.RULE, _schemas(
        Group={"type": "string", "enum": [{"value": "Router"}, "Media", {"value": "01.AI"},
                                          {"value": "Media"}]},
        Status={"type": "string", "enum": [{"value": "0"}, {"value": "-1"}]},
    ))
    schemas = doc["components"]["schemas"]
    assert schemas["Group"]["enum"] == ["Router", "Media", "01.AI"]
    assert schemas["Status"]["enum"] == ["0", "-1"]
    assert outcome.count == 5


def test_enum_item_without_value_is_a_warning_not_a_silent_drop() -> None:
    doc, outcome = _run(enum_items.RULE, _schemas(Odd={"enum": [{"label": "x"}, {"value": "y"}]}))
    assert doc["components"]["schemas"]["Odd"]["enum"] == [{"label": "x"}, "y"]
    (warning,) = outcome.warnings
    assert warning.location.pointer == "/components/schemas/Odd/enum/0"


def test_any_value_placeholders() -> None:
    doc, outcome = _run(any_value.RULE, _schemas(
        Quantization={"type": "object", "properties": {}},
        Tokenizer={"type": "object", "properties": {}, "description": "The tokenizer."},
        Config={"type": "object", "additionalProperties": {"description": "Any type"}},
        Real={"type": "object", "properties": {}, "additionalProperties": False},
    ))
    schemas = doc["components"]["schemas"]
    assert schemas["Quantization"] == {}
    assert schemas["Tokenizer"] == {"description": "The tokenizer."}
    assert schemas["Config"] == {"type": "object", "additionalProperties": {}}
    assert schemas["Real"] == {"type": "object", "properties": {}, "additionalProperties": False}
    assert outcome.count == 3


def test_union_dedupe_and_collapse() -> None:
    number = {"type": "number", "format": "double"}
    doc, outcome = _run(union_dedupe.RULE, _schemas(
        Big={"oneOf": [number, {"type": "string"}, number]},
        Single={"description": "d", "oneOf": [_ref("Big"), _ref("Big")]},
    ))
    schemas = doc["components"]["schemas"]
    assert schemas["Big"] == {"oneOf": [number, {"type": "string"}]}
    assert schemas["Single"] == {"description": "d", "$ref": "#/components/schemas/Big"}
    assert outcome.count == 2


def test_string_const_union_becomes_one_enum() -> None:
    def const(value: str) -> dict[str, str]:
        return {"type": "string", "const": value}

    doc, outcome = _run(string_const_union.RULE, _schemas(
        Choice={"oneOf": [const("none"), const("auto"), const("required"), _ref("Named")]},
        Mode={"oneOf": [const("fast"), const("slow")]},
    ))
    schemas = doc["components"]["schemas"]
    assert schemas["Choice"] == {"oneOf": [
        {"type": "string", "enum": ["none", "auto", "required"]}, _ref("Named")]}
    assert schemas["Mode"] == {"type": "string", "enum": ["fast", "slow"]}
    assert outcome.count == 2


def test_open_enum_becomes_anyof_with_marker() -> None:
    doc, outcome = _run(open_enum.RULE, _schemas(
        Known={"type": "string", "enum": ["a", "b"]},
        Provider={"oneOf": [_ref("Known"), {"type": "string"}]},
        Inline={"oneOf": [{"type": "string"}, {"type": "string", "enum": ["x"]}]},
        NotOpen={"oneOf": [{"type": "string"}, {"type": "number"}]},
    ))
    schemas = doc["components"]["schemas"]
    assert schemas["Provider"] == {"anyOf": [_ref("Known"), {"type": "string"}],
                                   "x-open-enum": True}
    assert schemas["Inline"] == {"anyOf": [{"type": "string", "enum": ["x"]}, {"type": "string"}],
                                 "x-open-enum": True}
    assert "oneOf" in schemas["NotOpen"]
    assert outcome.count == 2


def _variant(tag: str, value: str, **props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {tag: {"type": "string", "const": value}, **props},
            "required": [tag]}


def test_discriminator_added_with_mapping_for_ref_branches() -> None:
    doc, outcome = _run(discriminator.RULE, _schemas(
        System=_variant("role", "system"), User=_variant("role", "user"),
        Message={"oneOf": [_ref("System"), _ref("User")]},
        Mixed={"oneOf": [_ref("System"), {"type": "string"}]},
    ))
    schemas = doc["components"]["schemas"]
    assert schemas["Message"]["discriminator"] == {"propertyName": "role", "mapping": {
        "system": "#/components/schemas/System", "user": "#/components/schemas/User"}}
    assert "discriminator" not in schemas["Mixed"]
    assert outcome.count == 1


def test_discriminator_hoists_inline_branches_and_completes_mapping() -> None:
    text = _variant("type", "text", text={"type": "string"})
    doc, outcome = _run(discriminator.RULE, _schemas(
        PartText=dict(text),
        PartVideo=_variant("type", "input_video", video_url={"type": "string"}),
        Part={"discriminator": {"propertyName": "type"}, "oneOf": [
            {**text, "description": "text variant"},
            _variant("type", "image.url", image_url={"type": "string"}),
            {"type": "object", "properties": {"type": {"type": "string", "enum": ["input_video"]}}},
        ]},
    ), RuleContext())
    schemas = doc["components"]["schemas"]
    assert schemas["Part"]["oneOf"] == [_ref("PartText"), _ref("PartImageUrl"), _ref("PartVideo")]
    assert schemas["Part"]["discriminator"]["mapping"] == {
        "text": "#/components/schemas/PartText",  # equal to an existing component: reused
        "image.url": "#/components/schemas/PartImageUrl",  # hoisted as <Union><Tag>
        "input_video": "#/components/schemas/PartVideo",  # stub: the defining component
    }
    assert schemas["PartImageUrl"]["properties"]["image_url"] == {"type": "string"}
    assert outcome.count == 1


def test_discriminator_without_mapping_that_cannot_be_completed_warns() -> None:
    doc, outcome = _run(discriminator.RULE, _schemas(U={
        "discriminator": {"propertyName": "kind"},
        "oneOf": [{"type": "object", "properties": {"kind": {"type": "string"}}},
                  {"type": "object", "properties": {"kind": {"const": "b"}}}]}))
    assert "mapping" not in doc["components"]["schemas"]["U"]["discriminator"]
    assert outcome.count == 0
    assert outcome.warnings[0].location.pointer == "/components/schemas/U"


def test_flat_tags_strip_group_prefix_and_list_tags() -> None:
    doc = {"paths": {
        "/a": {"get": {"tags": [["subpackage_models"]]}},
        "/b": {"post": {"tags": [[]]}},
        "/c": {"get": {"tags": ["apiKeys"]}},
    }}
    _, outcome = _run(flat_tags.RULE, doc)
    assert doc["paths"]["/a"]["get"]["tags"] == ["models"]
    assert "tags" not in doc["paths"]["/b"]["post"]
    assert doc["paths"]["/c"]["get"]["tags"] == ["apiKeys"]
    assert doc["tags"] == [{"name": "apiKeys"}, {"name": "models"}]
    assert outcome.count == 2


def test_bearer_auth_replaces_authorization_header_parameters() -> None:
    auth = {"name": "Authorization", "in": "header", "required": True,
            "schema": {"type": "string"}}
    keep = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    doc = {"paths": {"/a": {"get": {"parameters": [auth, keep]},
                            "post": {"parameters": [dict(auth, name="authorization")]}}}}
    _, outcome = _run(bearer_auth.RULE, doc)
    assert doc["paths"]["/a"]["get"]["parameters"] == [keep]
    assert "parameters" not in doc["paths"]["/a"]["post"]
    assert doc["components"]["securitySchemes"] == {"bearerAuth": {"type": "http",
                                                                   "scheme": "bearer"}}
    assert doc["security"] == [{"bearerAuth": []}]
    assert outcome.count == 2


def test_bearer_auth_leaves_documents_without_authorization_alone() -> None:
    doc = {"paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "header"}]}}}}
    _, outcome = _run(bearer_auth.RULE, doc)
    assert "security" not in doc and outcome.count == 0


def test_required_body_when_schema_requires_properties() -> None:
    doc = {**_op(requestBody={"content": {"application/json": {"schema": _ref("Params")}}}),
           "components": {"schemas": {"Params": {"type": "object", "required": ["messages"]}}}}
    doc["paths"]["/y"] = {"patch": {"requestBody": {"content": {"application/json": {
        "schema": {"type": "object", "properties": {"a": {}}}}}}}}
    _, outcome = _run(required_body.RULE, doc)
    assert doc["paths"]["/x"]["post"]["requestBody"]["required"] is True
    assert "required" not in doc["paths"]["/y"]["patch"]["requestBody"]
    assert outcome.count == 1


def test_servers_from_page_endpoint_lines() -> None:
    doc: dict[str, Any] = {"paths": {}}
    _, outcome = _run(servers.RULE, doc, RuleContext(server_urls=("https://api.example.com/v1",)))
    assert doc["servers"] == [{"url": "https://api.example.com/v1"}]
    assert outcome.count == 1
    empty: dict[str, Any] = {"paths": {}}
    _, missing = _run(servers.RULE, empty)
    assert "servers" not in empty and missing.warnings


def test_prune_drops_only_unreachable_schemas() -> None:
    doc = {"paths": {"/x": {"get": {"responses": {"200": {"description": "ok", "content": {
        "application/json": {"schema": _ref("Used")}}}}}}},
        "components": {"schemas": {
            "Used": {"properties": {"a": _ref("Nested")}},
            "Nested": {"discriminator": {"mapping": {"v": "#/components/schemas/Mapped"}}},
            "Mapped": {}, "Orphan": {"properties": {"b": _ref("OrphanChild")}}, "OrphanChild": {},
        }}}
    _, outcome = _run(prune.RULE, doc)
    assert set(doc["components"]["schemas"]) == {"Used", "Nested", "Mapped"}
    assert outcome.count == 2


def test_normalize_runs_every_rule_on_a_copy() -> None:
    doc = _schemas(E={"type": "string", "enum": [{"value": "a"}]})
    doc["paths"] = {"/x": {"get": {"responses": {"200": {"description": "ok", "content": {
        "application/json": {"schema": _ref("E")}}}}}}}
    result = normalize(doc)
    assert [r.name for r in result.reports] == [r.name for r in RULES]
    assert result.doc["components"]["schemas"]["E"]["enum"] == ["a"]
    assert doc["components"]["schemas"]["E"]["enum"] == [{"value": "a"}]
