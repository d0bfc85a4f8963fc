"""Generated class names read well: no docs-tool names, status suffixes, repeated words, bare
position numbers or names over 40 characters, unless an overlay's `x-python-name` chose them.
Method names carry no numbered copies either."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from openrouter_codegen.client.client_build import build_client
from openrouter_codegen.client.model.class_names import EXTENSION, unreadable
from openrouter_codegen.spec.extract import SourceFile
from openrouter_codegen.spec.spec_build import build_spec
from tests.spec.helpers import overlay_files, seed_pages
from tests.support.shared_data import PUBLISHED_VERSIONS, REPO_ROOT, published_version


@pytest.mark.parametrize("name", [
    "ParametersAuthorSlugGetResponsesContentApplicationJsonSchemaDataSupportedParametersItems",
    "APIKeysGetCurrentKeyResponse200", "ToolChoiceOptionToolChoiceOption",
    "ChatMessageContentItemVideo0", "UserMessageContent1", "ChatMessageContentItemImageImageUrl",
    "KeysPostRequestBodyContentApplicationJsonSchemaLimitReset", "Key_2",
    "AnthropicTextEditorCodeExecutionStrReplaceResult",
])
def test_unreadable_names_are_caught(name: str) -> None:
    assert unreadable(name) is not None


@pytest.mark.parametrize("name", ["CurrentKey", "KeyList", "ChatMessageContentItemInputVideo",
                                  "ToolSearchToolBm25", "ResponsesV2", "CodeExecution20250825"])
def test_readable_names_pass(name: str) -> None:
    assert unreadable(name) is None


def public_names(files: dict[str, str]) -> set[str]:
    """Every class, alias and enum the models of a generated package define."""
    names: set[str] = set()
    for rel, text in files.items():
        if not rel.startswith("models/_"):
            continue
        for node in ast.parse(text).body:
            if isinstance(node, ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return {n for n in names if not n.startswith("_")}


def overlay_chosen(document: Any) -> set[str]:
    """The names `x-python-name` gives anywhere in the document."""
    found: set[str] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get(EXTENSION), str):
                found.add(node[EXTENSION])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def assert_readable(files: dict[str, str], document: Any) -> None:
    chosen = overlay_chosen(document)
    names = public_names(files)
    assert len(names) > 20  # the package has its models (the check looked at something)
    bad = {n: unreadable(n) for n in sorted(names - chosen) if unreadable(n)}
    assert bad == {}


def test_committed_package_names_read_well() -> None:
    package = REPO_ROOT / "generated" / "openrouter_client"
    files = {str(p.relative_to(package)): p.read_text(encoding="utf-8")
             for p in package.rglob("*.py")}
    document = yaml.safe_load((REPO_ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    assert_readable(files, document)


@functools.cache
def _seed_with(extra: Path | None) -> tuple[dict[str, str], dict[str, Any]]:
    pages = seed_pages()
    if extra is not None:
        pages += (SourceFile(f"spec/docs/900_openrouter_{extra.stem}.yaml",
                             extra.read_text(encoding="utf-8")),)
    document = build_spec(pages, overlay_files()).openapi
    return dict(build_client(document, format_code=False).files), document


def test_seed_package_names_read_well() -> None:
    files, document = _seed_with(None)
    assert_readable(files, document)
    # Names the seed pages' docs-tool names become (the committed package follows whatever pages
    # spec/docs/ holds, so they are checked here).
    assert {"CurrentKey", "KeyList", "ChatMessageContentItemInputVideo", "ToolChoiceMode"} \
        <= public_names(files)


def test_seed_and_newest_published_names_read_well() -> None:
    files, document = _seed_with(published_version(PUBLISHED_VERSIONS[-1]))
    assert_readable(files, document)


def resource_methods(files: dict[str, str]) -> dict[str, list[str]]:
    """The public methods of every namespace class (`...Resource`) of a generated package."""
    out: dict[str, list[str]] = {}
    for rel, text in files.items():
        if rel.startswith("api/") and rel != "api/__init__.py":
            for node in ast.parse(text).body:
                if isinstance(node, ast.ClassDef) and node.name.endswith("Resource") \
                        and not node.name.startswith("Async"):
                    out[node.name] = [f.name for f in node.body if isinstance(f, ast.FunctionDef)
                                      and not f.name.startswith("_")]
    return out


def test_seed_and_newest_published_method_names_have_no_numbered_copies() -> None:
    files, _ = _seed_with(published_version(PUBLISHED_VERSIONS[-1]))
    methods = resource_methods(files)
    assert sum(map(len, methods.values())) > 90  # the whole API's operations
    numbered = {c: [m for m in ms if re.search(r"_\d+$", m)] for c, ms in methods.items()}
    assert {c: ms for c, ms in numbered.items() if ms} == {}
    # Two guardrail operations shorten to `list_key_assignments`: the later keeps its whole name.
    assert {"list_key_assignments", "list_guardrail_key_assignments"} \
        <= set(methods["GuardrailsResource"])


def _document(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
            "paths": paths or {}, "components": {"schemas": schemas}}


def _names(document: dict[str, Any]) -> set[str]:
    return public_names(dict(build_client(document, format_code=False).files))


def _answer(name: str) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{name}"}}}}}


def test_names_come_from_use_site_tag_and_overlay() -> None:
    obj = {"type": "object", "properties": {"id": {"type": "string"}}}
    document = _document(
        schemas={
            "Things_getThing_Response_200": {"type": "object", "properties": {
                "data": {"$ref": "#/components/schemas/ThingGetResponsesContentApplicationJsonSchemaData"}}},
            "ThingGetResponsesContentApplicationJsonSchemaData": obj,
            "Part": {"oneOf": [{"$ref": "#/components/schemas/Part0"},
                               {"$ref": "#/components/schemas/Part1"}]},
            "Part0": {"type": "object", "properties": {"type": {"const": "input_text"}}},
            "Part1": {"type": "object", "properties": {"type": {"const": "image_url"}},
                      EXTENSION: "PictureAddress"},
            "Mode": {"oneOf": [{"type": "string", "enum": ["a", "b"]},
                               {"$ref": "#/components/schemas/Part"}]},
        },
        paths={"/things/{id}": {"get": {"operationId": "get-thing", "responses": _answer(
            "Things_getThing_Response_200")}},
               "/things": {"get": {"operationId": "list", "responses": _answer("Part")}}},
    )
    names = _names(document)
    assert {"Thing", "ThingData", "PartInputText", "PictureAddress", "ModeValue"} <= names
    assert not {n for n in names if unreadable(n)}
    assert _names(document) == names  # the same document, the same names


def test_collisions_resolve_to_distinct_readable_names() -> None:
    enum = {"type": "string", "enum": ["S256", "plain"]}
    document = _document(schemas={
        "AuthKeysPostRequestBodyContentApplicationJsonSchemaCodeChallengeMethod": enum,
        "AuthKeysCodePostRequestBodyContentApplicationJsonSchemaCodeChallengeMethod": enum,
        "ExchangeRequest": {"type": "object", "properties": {"code_challenge_method": {
            "$ref": "#/components/schemas/AuthKeysPostRequestBodyContentApplicationJsonSchemaCodeChallengeMethod"}}},
        "CreateCodeRequest": {"type": "object", "properties": {"code_challenge_method": {
            "$ref": "#/components/schemas/AuthKeysCodePostRequestBodyContentApplicationJsonSchemaCodeChallengeMethod"}}},
    })
    names = _names(document)
    assert {"ExchangeRequestCodeChallengeMethod", "CreateCodeRequestCodeChallengeMethod"} <= names
    assert not {n for n in names if unreadable(n)}
