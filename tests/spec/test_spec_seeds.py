"""The seed pages end to end: the committed spec and report are what the pipeline produces."""

from __future__ import annotations

import time
from typing import Any

from openapi_spec_validator import validate

from openrouter_codegen.common.schema_tools import (
    iter_operations,
    iter_refs,
    resolve_pointer,
    walk_schemas,
)
from openrouter_codegen.spec.localize import is_page_local
from openrouter_codegen.spec.spec_build import SpecBuild, build_spec
from tests.spec.helpers import REPO, live_pages, overlay_files, seed_pages

OPERATIONS = {
    ("get", "/models"), ("get", "/models/embeddings"), ("get", "/models/user"),
    ("get", "/models/{author}/{slug}/endpoints"), ("get", "/endpoints/zdr"),
    ("get", "/parameters/{author}/{slug}"), ("get", "/providers"), ("get", "/keys"),
    ("get", "/key"), ("get", "/keys/{hash}"), ("post", "/keys"), ("post", "/auth/keys"),
    ("post", "/auth/keys/code"), ("post", "/chat/completions"), ("post", "/completions"),
    ("patch", "/keys/{hash}"), ("delete", "/keys/{hash}"),
}


def _schemas(build: SpecBuild) -> dict[str, Any]:
    return build.openapi["components"]["schemas"]  # type: ignore[no-any-return]


def test_the_17_operations(seed_build: SpecBuild) -> None:
    found = {(m, p) for p, m, _ in iter_operations(seed_build.openapi)}
    assert found == OPERATIONS
    chat = seed_build.openapi["paths"]["/chat/completions"]["post"]
    assert chat["operationId"] == "send-chat-completion-request"  # the latest page wins
    assert chat["summary"] == "Create a chat completion"


def test_header_servers_security_and_tags(seed_build: SpecBuild) -> None:
    doc = seed_build.openapi
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["title"] == "OpenRouter API"
    assert doc["info"]["x-client"]["package"] == "openrouter_client"
    assert doc["servers"] == [{"url": "https://openrouter.ai/api/v1"}]
    assert doc["security"] == [{"bearerAuth": []}]
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {"type": "http",
                                                                  "scheme": "bearer"}
    assert [t["name"] for t in doc["tags"]] == [
        "apiKeys", "chat", "endpoints", "models", "oAuth", "parameters", "providers"]
    for path, method, op in iter_operations(doc):
        assert all(isinstance(t, str) and not t.startswith("subpackage_")
                   for t in op.get("tags", [])), (method, path)
        assert not any(p.get("name", "").lower() == "authorization"
                       for p in op.get("parameters", []))
        assert op.get("summary"), (method, path)
    assert "tags" not in doc["paths"]["/completions"]["post"]
    assert doc["paths"]["/chat/completions"]["post"]["requestBody"]["required"] is True


def test_no_enum_item_is_a_mapping_and_literals_are_consts(seed_build: SpecBuild) -> None:
    for ptr, schema in walk_schemas(seed_build.openapi):
        for item in schema.get("enum", []):
            assert not isinstance(item, (dict, list)), ptr
    deleted = _schemas(seed_build)["APIKeys_deleteKeys_Response_200"]["properties"]["deleted"]
    assert deleted == {"type": "boolean", "const": True}


def test_no_page_local_or_invalid_names_left(seed_build: SpecBuild) -> None:
    for name in _schemas(seed_build):
        assert not is_page_local(name) and " " not in name and name.isidentifier(), name
    assert "__schema" not in seed_build.openapi_yaml


def test_every_ref_resolves(seed_build: SpecBuild) -> None:
    refs = list(iter_refs(seed_build.openapi))
    assert len(refs) > 100
    for ptr, ref in refs:
        assert ref.startswith("#/"), ptr
        resolve_pointer(seed_build.openapi, ref)


def test_discriminated_unions_with_mappings(seed_build: SpecBuild) -> None:
    schemas = _schemas(seed_build)
    expected = {
        "Message": ("role", {"system", "user", "developer", "assistant", "tool"}),
        "ChatMessageContentItem": ("type", {"text", "image_url", "input_audio", "input_video",
                                            "video_url"}),
        "AssistantMessageReasoningDetailsItems": (
            "type", {"reasoning.summary", "reasoning.encrypted", "reasoning.text"}),
        "ChatGenerationParamsResponseFormat": (
            "type", {"text", "json_object", "json_schema", "grammar", "python"}),
        "ChatGenerationParamsPluginsItems": (
            "id", {"auto-router", "moderation", "web", "file-parser", "response-healing"}),
    }
    for name, (prop, values) in expected.items():
        union = schemas[name]
        assert union["discriminator"]["propertyName"] == prop, name
        mapping = union["discriminator"]["mapping"]
        assert set(mapping) == values, name
        assert [b["$ref"] for b in union["oneOf"]] == list(mapping.values()), name
        for value, ref in mapping.items():
            branch = resolve_pointer(seed_build.openapi, ref)
            assert branch["properties"][prop]["const"] == value, (name, value)
    # the content-item stubs resolve to the full variants (video_url is not lost)
    video = resolve_pointer(seed_build.openapi,
                            schemas["ChatMessageContentItem"]["discriminator"]["mapping"]
                            ["input_video"])
    assert "video_url" in video["properties"]


def test_other_quirks_are_normalized(seed_build: SpecBuild) -> None:
    schemas = _schemas(seed_build)
    assert schemas["BigNumberUnion"] == {"oneOf": [{"type": "number", "format": "double"},
                                                   {"type": "string"}]}
    # (the class name is the overlay's, spec/overlays/50-python-names.yaml)
    assert schemas["ToolChoiceOption"]["oneOf"][0] == {
        "type": "string", "enum": ["none", "auto", "required"], "x-python-name": "ToolChoiceMode"}
    order_items = schemas["ChatGenerationParamsProviderOrderItems"]
    assert order_items["x-open-enum"] is True and len(order_items["anyOf"]) == 2
    assert schemas["PublicEndpointQuantization"] == {}
    assert schemas["ListEndpointsResponseArchitectureTokenizer"] == {}
    provider = schemas["ChatGenerationParams"]["properties"]["provider"]
    assert provider["oneOf"] == [{"$ref": "#/components/schemas/ChatGenerationParamsProvider"},
                                 {"type": "null"}]


def test_error_and_streaming_overlays(seed_build: SpecBuild) -> None:
    doc = seed_build.openapi
    error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for path, method, op in iter_operations(doc):
        for code, response in op["responses"].items():
            if code[0] in "45":
                assert response["content"]["application/json"]["schema"] == error_ref, (
                    method, path, code)
    schemas = _schemas(seed_build)
    assert schemas["ErrorResponse"]["required"] == ["error"]
    assert set(schemas["ErrorResponseError"]["required"]) == {"code", "message"}
    for path, chunk in (("/chat/completions", "ChatStreamingChunk"),
                        ("/completions", "CompletionChunk")):
        op = doc["paths"][path]["post"]
        # The body's boolean `stream` switches to the event stream (no x-stream-flag needed).
        assert "x-stream-flag" not in op
        body = resolve_pointer(doc, "#/components/schemas/ChatGenerationParams") \
            if path == "/chat/completions" else op["requestBody"]["content"]["application/json"][
                "schema"]
        assert body["properties"]["stream"]["type"] == "boolean"
        content = op["responses"]["200"]["content"]
        assert set(content) == {"application/json", "text/event-stream"}
        assert content["text/event-stream"]["schema"] == {
            "$ref": f"#/components/schemas/{chunk}"}
        # The overlay's chunk schemas refer only to each other, never to the pages' components.
        assert schemas[chunk]["properties"]["usage"] == {
            "$ref": "#/components/schemas/ChatStreamingUsage"}
    delta = schemas["ChatStreamingDelta"]["properties"]
    assert set(delta) == {"role", "content", "reasoning", "reasoning_details", "tool_calls"}


def test_openapi_spec_validator_passes(seed_build: SpecBuild) -> None:
    validate(seed_build.openapi)


def test_committed_spec_and_report_are_up_to_date() -> None:
    # Built from the pages spec/docs/ holds now, whichever they are.
    live = build_spec(live_pages(), overlay_files())
    committed_spec = (REPO / "spec" / "openapi.yaml").read_text(encoding="utf-8")
    committed_report = (REPO / "spec" / "MERGE_REPORT.md").read_text(encoding="utf-8")
    assert live.openapi_yaml == committed_spec, "run `make spec` and commit"
    assert live.report_md == committed_report, "run `make spec` and commit"


def test_rebuild_is_byte_identical_and_fast(seed_build: SpecBuild) -> None:
    start = time.perf_counter()
    again = build_spec(seed_pages(), overlay_files())
    elapsed = time.perf_counter() - start
    assert again.openapi_yaml == seed_build.openapi_yaml
    assert again.report_md == seed_build.report_md
    assert elapsed < 1.5, f"build_spec took {elapsed:.2f}s"


def test_report_lists_policy_overrides_and_provenance(seed_build: SpecBuild) -> None:
    report = seed_build.report_md
    assert "## Merge policy" in report and "file-name order" in report
    assert "`spec/docs/003_62370232fe878f86.txt:967` | `spec/docs/004_2d601fc995295ea7.txt:38`" \
        in report  # the operationId 003 had, overridden by 004
    assert "`#/components/schemas/Message2` (defined at `spec/docs/002_" in report
    assert "| `Schema0` | `ChatGenerationParamsProvider` |" in report
    assert seed_build.warnings == ()
