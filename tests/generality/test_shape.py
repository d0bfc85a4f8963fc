"""A document whose parts have the wrong JSON types stops with an error at each such part.

Before the shape check (openrouter_codegen/spec/shape.py) these were skipped without a word (an operation that
is a number, `responses` as a list, a parameter without a name: the operation vanished from the
client), crashed the spec stage (`paths` as a list), or failed inside datamodel-code-generator with
a message about its own classes.
"""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any

import pytest

from openrouter_codegen.cli import EXIT_ERRORS, main
from openrouter_codegen.client.client_build import build_client
from openrouter_codegen.common.diagnostics import GeneratorError

GOOD: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shape", "version": "1"},
    "paths": {"/x/{id}": {
        "summary": "x", "x-internal": True,
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "post": {
            "operationId": "postX",
            "tags": [["nested", "as on the docs pages"]],
            "requestBody": {"content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/A"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}}}},
                "x-note": "extensions are not responses"},
        },
    }, "x-extension": [1]},
    "components": {"schemas": {
        "A": {"type": "object", "required": ["a"], "properties": {
            "a": {"type": ["string", "null"]},
            "b": {"enum": [{"value": "quirk"}, 1, None]},
            "c": {"oneOf": [True, {"type": "array", "items": {"type": "integer"}}],
                  "discriminator": {"propertyName": "kind"}},
        }, "additionalProperties": False},
    }},
}

# (where to put what, the pointer of the error, words of its message)
BROKEN = [
    ("/paths", [1, 2], "/paths", "expected an object, found a list [1, 2]"),
    ("/paths/~1x~1{id}/post", 5, "/paths/~1x~1{id}/post", "expected an object, found a number 5"),
    ("/paths/~1x~1{id}/post/responses", [1], "/paths/~1x~1{id}/post/responses",
     "expected an object, found a list"),
    ("/paths/~1x~1{id}/post/responses/200", "ok", "/paths/~1x~1{id}/post/responses/200",
     'expected an object, found a string "ok"'),
    ("/paths/~1x~1{id}/post/responses/200/content", [], "/paths/~1x~1{id}/post/responses/200/content",
     "expected an object"),
    ("/paths/~1x~1{id}/post/requestBody", [1], "/paths/~1x~1{id}/post/requestBody",
     "expected an object"),
    ("/paths/~1x~1{id}/parameters", {"id": 1}, "/paths/~1x~1{id}/parameters", "expected a list"),
    ("/paths/~1x~1{id}/parameters/0/name", None, "/paths/~1x~1{id}/parameters/0",
     "`name` is missing"),
    ("/paths/~1x~1{id}/parameters/0/in", "body", "/paths/~1x~1{id}/parameters/0/in",
     '"body" is not one of "query", "header", "path", "cookie"'),
    ("/paths/y", {}, "/paths/y", "path \"y\" does not start with '/'"),
    # An operation under a key that is no method was dropped without a word.
    ("/paths/~1x~1{id}/GET", {"responses": {}}, "/paths/~1x~1{id}/GET",
     "'GET' is no key of a path item (its operations are get, put, post"),
    ("/paths/~1x~1{id}/query", {"responses": {}}, "/paths/~1x~1{id}/query",
     "'query' is no key of a path item"),
    ("/components", [1], "/components", "expected an object, found a list"),
    ("/components/schemas/A", 5, "/components/schemas/A",
     "expected an object or a boolean, found a number 5"),
    ("/components/schemas/A/properties/a/type", "text", "/components/schemas/A/properties/a/type",
     '`type` "text" is not a JSON type or a list of them'),
    ("/components/schemas/A/required", "a", "/components/schemas/A/required",
     'expected a list, found a string "a"'),
    ("/components/schemas/A/properties/b/enum", "quirk", "/components/schemas/A/properties/b/enum",
     "expected a list"),
    ("/components/schemas/A/properties/c/oneOf", [], "/components/schemas/A/properties/c/oneOf",
     "an empty list (it needs at least one schema)"),
    ("/components/schemas/A/properties/c/discriminator", "kind",
     "/components/schemas/A/properties/c/discriminator", "expected an object"),
    ("/components/schemas/A/additionalProperties", "no", "/components/schemas/A/additionalProperties",
     "expected an object or a boolean"),
]


def _with(pointer: str, value: Any) -> dict[str, Any]:
    """GOOD with `value` at `pointer` (None: the key removed)."""
    document = copy.deepcopy(GOOD)
    *parents, last = [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]
    node: Any = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return document


def test_the_good_document_generates() -> None:
    assert build_client(copy.deepcopy(GOOD), format_code=False).files


@pytest.mark.parametrize(("where", "value", "pointer", "words"), BROKEN,
                         ids=[f"{b[0]}={b[1]!r}" for b in BROKEN])
def test_a_part_of_the_wrong_type_is_an_error_at_its_pointer(
        where: str, value: Any, pointer: str, words: str) -> None:
    with pytest.raises(GeneratorError) as caught:
        build_client(_with(where, value), format_code=False)
    found = [(d.location.pointer, d.message) for d in caught.value.diagnostics]
    assert any(p == pointer and words in m for p, m in found), found


def test_every_wrong_part_is_reported_at_once(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    document = _with("/components/schemas/A/required", "a")
    document["paths"]["/x/{id}"]["post"]["responses"] = [1]
    spec = tmp_path / "api.json"
    import json

    spec.write_text(json.dumps(document, indent=1), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", "--from-spec", str(spec), "--out", str(out)]) == EXIT_ERRORS
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"{spec}:") and "#/paths/~1x~1{id}/post/responses: error: expected "
               "an object, found a list [1]" in line for line in err), err
    assert any("#/components/schemas/A/required: error: expected a list" in line
               for line in err), err
    assert err[-1] == "generator: stopped: 2 errors; nothing was written."
    assert not out.exists()


@pytest.mark.parametrize("depth", [150, 20_000])
def test_a_document_nested_deeper_than_any_real_one_is_an_error_not_a_crash(depth: int) -> None:
    # The validator recurses once per level; the check stops before it can run out of stack.
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "array", "items": schema}
    document = _with("/components/schemas/A", schema)
    with pytest.raises(GeneratorError) as caught:
        build_client(document, format_code=False)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.message == "the document nests more than 100 levels deep here"
    assert (diagnostic.location.pointer or "").startswith("/components/schemas/A/items/items")


def test_yaml_status_codes_written_as_numbers_are_keys_like_any_other(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # YAML reads an unquoted `200:` as an integer key; JSON and OpenAPI keys are text.
    spec = tmp_path / "api.yaml"
    text = """openapi: 3.1.0
info: {title: Numbers, version: 1.0}
paths:
  /x:
    get:
      operationId: getX
      responses:
        200:
          description: ok
          content: {application/json: {schema: {type: object}}}
        404: {description: missing}
"""
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", "--from-spec", str(spec), "--out", str(out)]) == 0
    assert (out / "numbers_client" / "api" / "x.py").exists()
    spec.write_text(text.replace("404: {description: missing}", "404: missing"), encoding="utf-8")
    assert main(["generate", "--from-spec", str(spec), "--out", str(out)]) == EXIT_ERRORS
    assert (f"{spec}:11 #/paths/~1x/get/responses/404: error: expected an object, found a string "
            '"missing"') in capsys.readouterr().err


@pytest.mark.parametrize("value", [datetime.date(2026, 11, 22), b"bytes", {1, 2}, "lone \udc80"])
def test_values_json_has_not_are_checked_like_text_not_a_crash(value: Any) -> None:
    # yaml.safe_load makes dates, bytes and sets; a JSON escape can make a lone surrogate.
    with pytest.raises(GeneratorError) as caught:
        build_client(_with("/components/schemas/A", value), format_code=False)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.location.pointer == "/components/schemas/A"
    assert diagnostic.message.startswith("expected an object or a boolean, found a string")
