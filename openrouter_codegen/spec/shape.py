"""The shape check: the parts of an OpenAPI document the generator reads have the JSON types it
expects, or the run stops with an error naming each JSON pointer that does not.

Without it a wrong container (`paths` as a list, an operation that is a number, `responses` as a
list, a parameter without `name`) made the stages skip the part silently, crash, or fail deep
inside datamodel-code-generator with a message about its own classes.

The check is a JSON Schema of exactly those parts, validated by jsonschema-rs: ≈ 1 ms on this
spec, where the pure-Python jsonschema took ≈ 60 ms a document (the docs path checks every block
and the result). It is not the whole OpenAPI 3.1 schema, which also checks what we never read and
takes ≈ 1.5 s on this spec with openapi-spec-validator (the tests still run that one on the
committed spec). It accepts the docs pages' quirks (tags as nested lists, enum items as objects),
so it runs on each extracted block and again on the final document, where overlays may have
changed things.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from openrouter_codegen.common.diagnostics import Diagnostic, Location, Severity
from openrouter_codegen.common.guard import (
    MAX_NESTING,
    nesting_error,
    printable,
    valid_unicode,
    walk,
)
from openrouter_codegen.spec.fragments import escape

if TYPE_CHECKING:
    from jsonschema_rs import ValidationError, Validator

JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TYPE_ORDER = ("object", "array", "string", "number", "integer", "boolean", "null")
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
def _validator() -> Validator:
    # Imported on first use (≈ 35 ms): `--help` never pays for it.
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(SHAPE)


def check_shape(document: Any) -> tuple[Diagnostic, ...]:
    """An error for each place where `document` does not have the shape the generator reads.

    Locations carry JSON pointers only; callers add the file and line.
    """
    deep, odd = None, False
    for pointer, node, depth in walk(document):
        if depth > MAX_NESTING:
            deep = pointer
            break
        odd = odd or _not_plain_json(node)
    if deep is not None:
        # A validator recurses once per level (jsonschema-rs in native code, where running out
        # of stack is a crash): nesting deeper than any real document gets the guard's error.
        return (nesting_error(deep),)
    if odd:
        document = _json_view(document)
    found = sorted((d for e in _validator().iter_errors(document) for d in _diagnostics(e)),
                   key=lambda d: (d.location.pointer or "", d.message))
    return tuple(found)


def _not_plain_json(node: Any) -> bool:
    """True for what YAML (or a caller) puts in a document that JSON has not, and the validator
    refuses: a key that is no text (YAML's `200:`), a date, bytes, a set, a lone surrogate."""
    if isinstance(node, dict):
        return any(type(k) is not str or not valid_unicode(k) for k in node)
    if isinstance(node, str):
        return not valid_unicode(node)
    return not isinstance(node, (list, int, float, type(None)))


def _json_view(value: Any) -> Any:
    """`value` as the JSON the checks expect: keys and unknown scalars as text, lone surrogates
    escaped (recursive: the depth is bounded above). The guard reports bad text on its own."""
    if isinstance(value, dict):
        return {printable(str(k)): _json_view(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_view(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return printable(str(value))


def _diagnostics(err: ValidationError) -> Iterator[Diagnostic]:
    parts: list[Any] = list(err.instance_path)
    instance: Any = err.instance
    kind: Any = err.kind  # the schema keyword that failed (`name`) and what it wanted
    if kind.name == "additionalProperties":  # only on path items: one error at each bad key
        for key in kind.unexpected:
            yield _error([*parts, key], f"{key!r} is no key of a path item (its operations "
                         f"are {', '.join(HTTP_METHODS)}; extensions start with x-)")
        return
    if kind.name == "propertyNames":  # only on `paths`: point at the bad key, not at `paths`
        key = kind.error.instance
        yield _error([*parts, key], f"path {_excerpt(key)} does not start with '/'")
        return
    yield _error(parts, _message(kind, instance, parts))


def _error(parts: list[Any], message: str) -> Diagnostic:
    pointer = "".join(f"/{escape(str(part))}" for part in parts)
    return Diagnostic(Severity.ERROR, Location(pointer=pointer or "/"), message)


def _message(kind: Any, instance: Any, parts: list[Any]) -> str:
    if kind.name == "type":
        wanted = " or ".join(_a(t) for t in sorted(kind.types, key=_TYPE_ORDER.index))
        return f"expected {wanted}, found {_json_class(instance)} {_excerpt(instance)}"
    if kind.name == "required":
        return f"`{kind.property}` is missing (this object needs it)"
    if kind.name == "enum":
        allowed = ", ".join(json.dumps(v) for v in kind.options)
        return f"{_excerpt(instance)} is not one of {allowed}"
    if kind.name == "anyOf" and parts and parts[-1] == "type":
        return (f"`type` {_excerpt(instance)} is not a JSON type or a list of them "
                f"({', '.join(JSON_TYPES)})")
    if kind.name == "minItems":
        return "an empty list (it needs at least one schema)"
    return f"{_excerpt(instance)} does not fit here ({kind.name})"


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
