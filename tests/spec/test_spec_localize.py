"""Localize: page-local names inlined or renamed after their use site, stably."""

from __future__ import annotations

import pytest

from openrouter_codegen.common.diagnostics import GeneratorError
from openrouter_codegen.spec.extract import extract_page
from openrouter_codegen.spec.fragments import LocalFragment
from openrouter_codegen.spec.localize import is_page_local, localize
from tests.spec.helpers import yaml_page

BLOCK = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: create-thing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Params'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Schema7'}
components:
  schemas:
    Schema3:
      type: object
      properties:
        sort: {type: string}
    __schema0:
      oneOf:
        - $ref: '#/components/schemas/Schema3'
        - type: 'null'
    __schema2:
      type: [boolean, 'null']
    Schema5Items0:
      type: object
      properties:
        id: {type: string, enum: [{type: stringLiteral, value: web-search}]}
        max: {$ref: '#/components/schemas/Schema9'}
    Schema5Items1:
      type: object
      properties:
        id: {type: string, enum: [{type: stringLiteral, value: moderation}]}
        max: {$ref: '#/components/schemas/Schema9'}
    Schema9: {type: string, enum: [{value: low}, {value: high}]}
    Schema5Items:
      oneOf:
        - $ref: '#/components/schemas/Schema5Items0'
        - $ref: '#/components/schemas/Schema5Items1'
    __schema5:
      type: array
      items: {$ref: '#/components/schemas/Schema5Items'}
    Params:
      type: object
      properties:
        provider:
          $ref: '#/components/schemas/__schema0'
          description: Routing preferences.
        strict: {$ref: '#/components/schemas/__schema2'}
        plugins: {$ref: '#/components/schemas/__schema5'}
    Schema7:
      type: object
      properties:
        ok: {type: boolean}
    API Keys_list_Response_200:
      type: object
"""


def _localized(block: str = BLOCK) -> LocalFragment:
    (fragment,) = extract_page(yaml_page(block))
    return localize(fragment)


def test_page_local_pattern() -> None:
    assert all(map(is_page_local, ["__schema0", "Schema17Items3", "Schema5", "Schema17ItemsOneOf2Engine"]))
    assert not any(map(is_page_local, ["ChatMessageContentItemVideo0", "ModelName", "Schemas"]))


def test_wrappers_are_inlined_at_their_use_site_with_use_site_keys() -> None:
    local = _localized()
    params = local.doc["components"]["schemas"]["Params"]["properties"]
    assert params["provider"] == {
        "oneOf": [{"$ref": "#/components/schemas/ParamsProvider"}, {"type": "null"}],
        "description": "Routing preferences.",
    }
    assert params["strict"] == {"type": ["boolean", "null"]}
    assert params["plugins"] == {"type": "array",
                                 "items": {"$ref": "#/components/schemas/ParamsPluginsItems"}}
    inlined = {r.old for r in local.renames if r.new is None}
    assert inlined == {"__schema0", "__schema2", "__schema5"}


def test_names_follow_use_sites_and_tag_values() -> None:
    local = _localized()
    renamed = {r.old: r.new for r in local.renames if r.new}
    assert renamed == {
        "Schema3": "ParamsProvider",
        "Schema5Items": "ParamsPluginsItems",
        "Schema5Items0": "ParamsPluginsItemsWebSearch",
        "Schema5Items1": "ParamsPluginsItemsModeration",
        # used by every variant of one union: named after the union, not one variant
        "Schema9": "ParamsPluginsItemsMax",
        # used by an operation: named after the operationId and the response
        "Schema7": "CreateThingResponse200",
        "API Keys_list_Response_200": "APIKeys_list_Response_200",
    }
    names = set(local.doc["components"]["schemas"])
    assert not any(is_page_local(n) or " " in n for n in names)
    union = local.doc["components"]["schemas"]["ParamsPluginsItems"]
    assert union["oneOf"][0] == {"$ref": "#/components/schemas/ParamsPluginsItemsWebSearch"}


def test_renamed_schemas_keep_their_page_lines() -> None:
    local = _localized()
    rename = next(r for r in local.renames if r.old == "Schema3")
    assert rename.where.line == 24  # `Schema3:` line in the generated page
    assert local.line_of("/components/schemas/ParamsProvider/properties/sort") == 27


def test_same_input_gives_same_names() -> None:
    assert _localized().doc == _localized().doc


def test_collision_with_an_existing_name_is_made_unique() -> None:
    block = BLOCK.replace("    Schema7:\n", "    ParamsProvider: {type: string}\n    Schema7:\n")
    local = _localized(block)
    schemas = local.doc["components"]["schemas"]
    assert schemas["ParamsProvider"] == {"type": "string"}
    assert schemas["ParamsProvider2"]["properties"] == {"sort": {"type": "string"}}


def test_missing_ref_is_an_error_with_line_and_pointer() -> None:
    block = BLOCK.replace("$ref: '#/components/schemas/Schema7'", "$ref: '#/components/schemas/Gone'")
    with pytest.raises(GeneratorError) as caught:
        _localized(block)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location.file == "spec/docs/009_test.md"
    assert diagnostic.location.line == 21
    assert diagnostic.location.pointer == (
        "/paths/~1things/post/responses/200/content/application~1json/schema/$ref")
    assert "Gone" in diagnostic.message


def test_wrapper_named_by_a_discriminator_mapping_keeps_a_name() -> None:
    block = BLOCK.replace("""    Schema5Items:
      oneOf:""", """    Schema5Items:
      discriminator:
        propertyName: id
        mapping: {web-search: '#/components/schemas/__schema2'}
      oneOf:""")
    local = _localized(block)
    mapping = local.doc["components"]["schemas"]["ParamsPluginsItems"]["discriminator"]["mapping"]
    target = mapping["web-search"].rsplit("/", 1)[1]
    assert target in local.doc["components"]["schemas"] and not is_page_local(target)
