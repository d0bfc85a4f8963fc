"""build_spec on a small page: warnings are located and reported, output validates."""

from __future__ import annotations

import textwrap

import pytest
from openapi_spec_validator import validate

from openrouter_codegen.common.diagnostics import GeneratorError
from openrouter_codegen.common.files import SourceFile
from openrouter_codegen.spec.spec_build import build_spec
from tests.spec.helpers import yaml_page

BLOCK = """
openapi: 3.1.1
info: {title: Things, version: endpoint_things.list}
paths:
  /things:
    get:
      operationId: list-things
      summary: List things
      tags: [[subpackage_things]]
      parameters:
        - {name: Authorization, in: header, required: true, schema: {type: string}}
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
        kind:
          type: string
          enum: [{value: a}, {label: not-a-value}]
"""


def test_rule_warnings_carry_the_winning_block_location_and_reach_the_report() -> None:
    build = build_spec((yaml_page(BLOCK, "spec/docs/001_things.md"),), ())
    (warning,) = build.warnings
    assert str(warning.location) == (
        "spec/docs/001_things.md:29 #/components/schemas/Thing/properties/kind/enum/1")
    assert "enum item is an object without a `value`" in warning.message
    assert "## Warnings (1)" in build.report_md
    assert "`spec/docs/001_things.md:29 #/components/schemas/Thing/properties/kind/enum/1`" \
        in build.report_md


def test_small_page_builds_a_valid_document_without_overlays() -> None:
    block = BLOCK.replace(", {label: not-a-value}", "")
    build = build_spec((yaml_page(block, "spec/docs/001_things.md"),), ())
    doc = build.openapi
    assert doc["info"] == {"title": "Untitled API", "version": "0.0.0"}  # overlays name it
    assert doc["servers"] == [{"url": "https://api.example.com/v2"}]
    assert doc["tags"] == [{"name": "things"}]
    assert doc["components"]["schemas"]["Thing"]["properties"]["kind"]["enum"] == ["a"]
    assert build.warnings == ()
    validate(doc)


def test_overlay_adding_a_broken_ref_stops_the_build_with_its_pointer() -> None:
    overlay = SourceFile("spec/overlays/10-bad.yaml", textwrap.dedent("""
        overlay: 1.0.0
        info: {title: t, version: '1'}
        actions:
          - target: $.components.schemas.Thing.properties
            update:
              owner: {$ref: '#/components/schemas/Nobody'}
    """))
    block = BLOCK.replace(", {label: not-a-value}", "")
    with pytest.raises(GeneratorError) as caught:
        build_spec((yaml_page(block, "spec/docs/001_things.md"),), (overlay,))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location.pointer == "/components/schemas/Thing/properties/owner/$ref"
    assert diagnostic.location.file == "spec/docs/001_things.md"
    assert "'#/components/schemas/Nobody' does not resolve" in diagnostic.message
