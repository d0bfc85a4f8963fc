"""Extract: OpenAPI blocks of pages, with file, line, title; errors located at file:line."""

from __future__ import annotations

import pytest

from openrouter_codegen.common.diagnostics import GeneratorError
from openrouter_codegen.common.files import SourceFile
from openrouter_codegen.spec.extract import extract, extract_page
from tests.spec.helpers import page, seed_pages


def test_seed_pages_have_19_blocks_with_lines_titles_and_server() -> None:
    fragments = extract(seed_pages())
    assert len(fragments) == 19
    first = fragments[0]
    assert first.origin.file == "spec/docs/002_cdea6d4acf068a56.txt"
    assert first.origin.line == 14  # the line after the ```yaml fence
    assert first.origin.title == "List all models and their properties"
    assert first.lines["/openapi"] == 14
    assert first.lines["/paths/~1models/get/operationId"] == 21
    assert {f.server_url for f in fragments} == {"https://openrouter.ai/api/v1"}
    assert [f.origin.title for f in fragments[16:]] == [
        "Completion", "Chat completion", "Create a chat completion"]


def test_only_yaml_fences_with_an_openapi_mapping_count() -> None:
    fragments = extract_page(page("""
        # Things

        ```python
        openapi = "3.1.0"
        ```

        ```yaml
        example: not an API description
        ```

        ~~~yml
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths: {}
        ~~~
    """))
    assert len(fragments) == 1
    assert fragments[0].origin.line == 12
    assert fragments[0].origin.title == "Things"


def test_anchors_aliases_and_merge_keys_are_resolved_and_unshared() -> None:
    (fragment,) = extract_page(page("""
        ```yaml
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            A:
              type: object
              properties:
                kind: &lit
                  type: string
                  enum: [x]
            B:
              type: object
              properties:
                kind: *lit
                more:
                  <<: *lit
                  description: merged
        ```
    """))
    schemas = fragment.doc["components"]["schemas"]
    a_kind = schemas["A"]["properties"]["kind"]
    b_kind = schemas["B"]["properties"]["kind"]
    assert a_kind == b_kind == {"type": "string", "enum": ["x"]}
    assert a_kind is not b_kind  # later stages rewrite in place; aliases must not be shared
    assert schemas["B"]["properties"]["more"] == {"type": "string", "enum": ["x"],
                                                  "description": "merged"}


def test_unparseable_block_names_file_and_line() -> None:
    bad = page("""
        # Broken

        ```yaml
        openapi: 3.1.0
        paths:
          /x: {get: [unclosed
        ```
    """, path="spec/docs/007_broken.md")
    with pytest.raises(GeneratorError) as caught:
        extract((bad,))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location.file == "spec/docs/007_broken.md"
    assert diagnostic.location.line in (6, 7)
    assert "YAML does not parse" in diagnostic.message


def test_page_without_openapi_block_is_an_error() -> None:
    with pytest.raises(GeneratorError) as caught:
        extract((page("# Prose only\n\nNo spec here.\n", path="spec/docs/008_prose.md"),))
    (diagnostic,) = caught.value.diagnostics
    assert str(diagnostic.location) == "spec/docs/008_prose.md:1"
    assert "no OpenAPI block" in diagnostic.message


def test_conflicting_duplicate_key_in_one_block_names_both_lines() -> None:
    bad = page("""
        ```yaml
        openapi: 3.1.0
        paths:
          /x:
            get: {operationId: a}
            get: {operationId: b}
        ```
    """)
    with pytest.raises(GeneratorError) as caught:
        extract((bad,))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location.line == 6
    assert diagnostic.location.pointer == "/paths/~1x/get"
    assert "spec/docs/009_test.md:5" in diagnostic.message


def test_identical_duplicate_key_is_accepted() -> None:
    (fragment,) = extract_page(page("""
        ```yaml
        openapi: 3.1.0
        paths:
          /x:
            get: {operationId: a}
            get: {operationId: a}
        ```
    """))
    assert fragment.doc["paths"]["/x"]["get"] == {"operationId": "a"}


def test_yaml_and_json_files_are_one_block_each() -> None:
    yaml_file = SourceFile("spec/docs/010_frag.yaml", "openapi: 3.1.0\npaths:\n  /a: {}\n")
    json_file = SourceFile("spec/docs/011_frag.json", '{"openapi": "3.1.0", "paths": {"/b": {}}}')
    fragments = extract((yaml_file, json_file))
    assert [f.origin.file for f in fragments] == ["spec/docs/010_frag.yaml",
                                                 "spec/docs/011_frag.json"]
    assert fragments[0].lines["/paths/~1a"] == 3
    assert fragments[1].doc["paths"] == {"/b": {}}
