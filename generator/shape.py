"""The shape check: the parts of an OpenAPI document the generator reads have the JSON types it
expects, or the run stops with an error naming each JSON pointer that does not.

Without it a wrong container (`paths` as a list, an operation that is a number, `responses` as a
list, a parameter without `name`) made the stages skip the part silently, crash, or fail deep
inside datamodel-code-generator with a message about its own classes. The check is a JSON Schema
(validated by the jsonschema library) of exactly those parts: it is not the whole OpenAPI 3.1
schema, which also checks what we never read and takes ≈ 1.5 s on this spec with
openapi-spec-validator (the tests still run that one on the committed spec). It accepts the docs
pages' quirks (tags as nested lists, enum items as objects), so it runs on each extracted block and
again on the final document, where overlays may have changed things.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Location, Severity
from generator.fragments import escape
from generator.model.guard import MAX_NESTING, walk

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_ITEM_KEYS = (*HTTP_METHODS, "parameters", "servers", "$ref", "summary", "description")

_SCHEMA_SHAPE: dict[str, Any] = {
    "type": ["object", "boolean"],
    "properties": {
        "type": {"anyOf": [{"enum": list(JSON_TYPES)},
                           {"type": "array", "items": {"enum": list(JSON_TYPES)}}]},
        "properties": {"$ref": "#/$defs/schemas"},
        "patternProperties": {"$ref": "#/$defs/schemas"},
        "$defs": {"$ref": "#/$defs/schemas"},
        "definitions": {"$ref": "#/$defs/schemas"},
        "additionalProperties": {"$ref": "#/$defs/schema"},
        "items": {"$ref": "#/$defs/schema"},
        "prefixItems": {"$ref": "#/$defs/schemaList"},
        "not": {"$ref": "#/$defs/schema"},
        "allOf": {"$ref": "#/$defs/schemaList"},
        "anyOf": {"$ref": "#/$defs/schemaList"},
        "oneOf": {"$ref": "#/$defs/schemaList"},
        "required": {"type": "array", "items": {"type": "string"}},
        "enum": {"type": "array"},
        "nullable": {"type": "boolean"},
        "$ref": {"type": "string"},
        "discriminator": {
            "type": "object",
            "required": ["propertyName"],
            "properties": {
                "propertyName": {"type": "string"},
                "mapping": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    },
}

SHAPE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "paths": {
            "type": "object",
            "propertyNames": {"pattern": "^(/|x-)"},
            "patternProperties": {"^/": {"$ref": "#/$defs/pathItem"}},
        },
        "components": {
            "type": "object",
            "properties": {
                "schemas": {"$ref": "#/$defs/schemas"},
                "parameters": {"type": "object", "additionalProperties": {"$ref": "#/$defs/parameter"}},
                "requestBodies": {"type": "object", "additionalProperties": {"$ref": "#/$defs/body"}},
                "responses": {"type": "object", "additionalProperties": {"$ref": "#/$defs/response"}},
            },
        },
        "servers": {"type": "array", "items": {"$ref": "#/$defs/server"}},
    },
    "$defs": {
        "schema": _SCHEMA_SHAPE,
        "schemas": {"type": "object", "additionalProperties": {"$ref": "#/$defs/schema"}},
        "schemaList": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/schema"}},
        "server": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
        "pathItem": {
            "type": "object",
            "properties": {
                **{key: {} for key in PATH_ITEM_KEYS},
                **{method: {"$ref": "#/$defs/operation"} for method in HTTP_METHODS},
                "parameters": {"$ref": "#/$defs/parameters"},
                "servers": {"type": "array", "items": {"$ref": "#/$defs/server"}},
                "$ref": {"type": "string"},
            },
            # Any other key (`GET`, `query`, a typo) would be an operation dropped without a word.
            "patternProperties": {"^x-": {}},
            "additionalProperties": False,
        },
        "operation": {
            "type": "object",
            "properties": {
                "operationId": {"type": "string"},
                "tags": {"type": "array"},  # nested lists on the docs pages; normalize flattens them
                "parameters": {"$ref": "#/$defs/parameters"},
                "requestBody": {"$ref": "#/$defs/body"},
                "responses": {"$ref": "#/$defs/responses"},
                "deprecated": {"type": "boolean"},
            },
        },
        "responses": {
            "type": "object",
            "patternProperties": {"^([1-5]([0-9][0-9]|XX)|default)$": {"$ref": "#/$defs/response"}},
        },
        "parameters": {"type": "array", "items": {"$ref": "#/$defs/parameter"}},
        "parameter": {
            "type": "object",
            "if": {"required": ["$ref"]},
            "then": {"properties": {"$ref": {"type": "string"}}},
            "else": {
                "required": ["name", "in"],
                "properties": {
                    "name": {"type": "string"},
                    "in": {"enum": ["query", "header", "path", "cookie"]},
                    "required": {"type": "boolean"},
                    "schema": {"$ref": "#/$defs/schema"},
                    "content": {"$ref": "#/$defs/content"},
                },
            },
        },
        "body": {
            "type": "object",
            "properties": {"$ref": {"type": "string"}, "required": {"type": "boolean"},
                           "content": {"$ref": "#/$defs/content"}},
        },
        "response": {
            "type": "object",
            "properties": {"$ref": {"type": "string"}, "content": {"$ref": "#/$defs/content"},
                           "headers": {"type": "object"}},
        },
        "content": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {"schema": {"$ref": "#/$defs/schema"}},
            },
        },
    },
}


@cache
def _validator() -> Draft202012Validator:
    # Imported on first use (≈ 0.1 s with the validator): `--help` never pays for it.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(SHAPE)


def check_shape(document: Any) -> tuple[Diagnostic, ...]:
    """An error for each place where `document` does not have the shape the generator reads.

    Locations carry JSON pointers only; callers add the file and line.
    """
    # The validator recurses once per level: a document nested deeper than any real one would
    # exhaust Python's stack, so it gets the guard's error instead of a check.
    deep = next((pointer for pointer, _, depth in walk(document) if depth > MAX_NESTING), None)
    if deep is not None:
        return (Diagnostic(Severity.ERROR, Location(pointer=deep), f"the document nests more "
                           f"than {MAX_NESTING} levels deep here", "simplify or split the schema"),)
    found = sorted((d for e in _validator().iter_errors(document) for d in _diagnostics(e)),
                   key=lambda d: (d.location.pointer or "", d.message))
    return tuple(found)


def _diagnostics(err: ValidationError) -> Iterator[Diagnostic]:
    parts: list[Any] = list(err.absolute_path)
    instance: Any = err.instance
    if err.validator == "additionalProperties":  # only on path items: one error at each bad key
        for key in instance:
            if key not in PATH_ITEM_KEYS and not key.startswith("x-"):
                yield _error([*parts, key], f"{key!r} is no key of a path item (its operations "
                             f"are {', '.join(HTTP_METHODS)}; extensions start with x-)")
        return
    if "propertyNames" in err.schema_path:  # a bad key: point at it, not at its object
        parts.append(instance)
    yield _error(parts, _message(err))


def _error(parts: list[Any], message: str) -> Diagnostic:
    pointer = "".join(f"/{escape(str(part))}" for part in parts)
    return Diagnostic(Severity.ERROR, Location(pointer=pointer or "/"), message)


def _message(err: ValidationError) -> str:
    instance: Any = err.instance
    keyword: Any = err.validator  # the schema keyword that failed, and its value
    expected: Any = err.validator_value
    if keyword == "type":
        wanted = " or ".join(_a(t) for t in (expected if isinstance(expected, list) else [expected]))
        return f"expected {wanted}, found {_json_class(instance)} {_excerpt(instance)}"
    if keyword == "required":
        missing = ", ".join(f"`{name}`" for name in expected if name not in instance)
        return f"{missing} is missing (this object needs it)"
    if keyword == "enum":
        allowed = ", ".join(json.dumps(v) for v in expected)
        return f"{_excerpt(instance)} is not one of {allowed}"
    if keyword == "anyOf" and err.absolute_path and err.absolute_path[-1] == "type":
        return (f"`type` {_excerpt(instance)} is not a JSON type or a list of them "
                f"({', '.join(JSON_TYPES)})")
    if keyword == "minItems":
        return "an empty list (it needs at least one schema)"
    if keyword == "pattern":  # only under `paths`' propertyNames
        return f"path {_excerpt(instance)} does not start with '/'"
    return err.message


def _a(json_type: str) -> str:
    return {"object": "an object", "array": "a list", "integer": "an integer",
            "null": "null"}.get(json_type, f"a {json_type}")


def _json_class(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _excerpt(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
