"""Emit: stable key order, block style, no aliases, unicode, values survive the round trip."""

from __future__ import annotations

from typing import Any

import yaml

from openrouter_codegen.spec.emit import dump, emit, ordered


def _doc() -> dict[str, Any]:
    shared = {"type": "string"}
    return {
        "components": {"schemas": {
            "Zed": {"required": ["b"], "properties": {"b": shared, "a": shared},
                    "x-open-enum": True, "description": "Zeta\nsecond line\n", "type": "object"},
            "Alpha": {"enum": ["0", "-1", "Hyperbolic 2", "01.AI", "5m", "deepseek-v3.1"],
                      "type": "string", "description": "Ünïcode — “quoted”"},
        }},
        "paths": {
            "/z": {"post": {"responses": {"500": {"description": "e"}, "200": {"description": "o"}},
                            "operationId": "z"},
                   "get": {"operationId": "zg", "responses": {}}},
            "/a": {"get": {"responses": {}, "summary": "s", "operationId": "a"}},
        },
        "tags": [{"name": "t"}],
        "servers": [{"url": "https://x"}],
        "info": {"version": "1", "title": "T"},
        "security": [{"bearerAuth": []}],
        "openapi": "3.1.0",
    }


def test_key_order_is_conventional() -> None:
    doc = ordered(_doc())
    assert list(doc) == ["openapi", "info", "servers", "security", "tags", "paths", "components"]
    assert list(doc["info"]) == ["title", "version"]
    assert list(doc["paths"]) == ["/a", "/z"]
    assert list(doc["paths"]["/z"]) == ["get", "post"]
    assert list(doc["paths"]["/z"]["post"]) == ["operationId", "responses"]
    assert list(doc["paths"]["/z"]["post"]["responses"]) == ["200", "500"]
    assert list(doc["components"]["schemas"]) == ["Alpha", "Zed"]
    zed = doc["components"]["schemas"]["Zed"]
    assert list(zed) == ["type", "description", "properties", "required", "x-open-enum"]
    assert list(zed["properties"]) == ["b", "a"]  # the docs' field order is kept


def test_yaml_round_trips_with_block_style_no_aliases_and_unicode() -> None:
    doc, text = emit(_doc())
    assert yaml.safe_load(text) == doc
    assert "&" not in text and "*id" not in text
    assert "Ünïcode — “quoted”" in text
    assert "description: |\n" in text  # multi-line text as a literal block
    assert "{" not in text.replace("{}", "")  # block style everywhere
    assert "- '0'" in text and "- '-1'" in text  # strings that look like numbers stay strings


def test_same_input_same_bytes() -> None:
    assert dump(ordered(_doc())) == dump(ordered(_doc()))
    long_line = "word " * 100
    text = dump({"description": long_line})
    assert yaml.safe_load(text)["description"] == long_line
