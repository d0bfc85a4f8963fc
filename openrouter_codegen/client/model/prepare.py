"""Shape the document for datamodel-code-generator without changing what it means for the client.

Two rewrites, both on a copy: inline schemas of operations are hoisted into named components (so every body,
response and stream chunk has a model name we choose), and open enums (`anyOf [enum, string]` marked
`x-open-enum`) are given as their enum, because every generated enum is open anyway.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from openrouter_codegen.client.model.naming import pascal, unique
from openrouter_codegen.common.schema_tools import as_mapping
from openrouter_codegen.spec.fragments import escape

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_JSON_TYPES = ("application/json", "text/event-stream")


@dataclass(frozen=True)
class Prepared:
    """The prepared document and the component name chosen for each hoisted schema (by JSON pointer)."""

    document: dict[str, Any]
    hoisted: dict[str, str]


def operation_name(operation: dict[str, Any], method: str, path: str) -> str:
    """The PascalCase base name for an operation's hoisted schemas."""
    return pascal(str(operation.get("operationId") or f"{method} {path}"))


def _needs_model(schema: Any) -> bool:
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    if any(k in schema for k in ("properties", "enum", "oneOf", "anyOf", "allOf")):
        return True
    if schema.get("type") == "array":
        return _needs_model(schema.get("items"))
    return schema.get("type") == "object" and bool(schema.get("additionalProperties"))


def prepare(document: dict[str, Any]) -> Prepared:
    """Return a copy of `document` with operation schemas hoisted and open enums simplified."""
    doc = copy.deepcopy(document)
    # Anything but a mapping where a mapping belongs is read as empty (the guard and the schema
    # parser report what matters; an odd node must not crash this pass).
    if not isinstance(doc.get("components"), dict):
        doc["components"] = {}
    if not isinstance(doc["components"].get("schemas"), dict):
        doc["components"]["schemas"] = {}
    schemas: dict[str, Any] = doc["components"]["schemas"]
    taken = set(schemas)
    hoisted: dict[str, str] = {}

    def hoist(holder: dict[str, Any], key: str, name: str, pointer: str) -> None:
        schema = holder.get(key)
        if not _needs_model(schema):
            return
        chosen = unique(name, taken)
        schemas[chosen] = schema
        holder[key] = {"$ref": f"#/components/schemas/{chosen}"}
        hoisted[pointer] = chosen

    paths = as_mapping(doc.get("paths"))
    for path in sorted(paths, key=str):
        item = paths[path]
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            base = operation_name(op, method, path)
            op_ptr = f"/paths/{escape(str(path))}/{method}"
            params = op.get("parameters")
            for i, param in enumerate(params if isinstance(params, list) else []):
                if isinstance(param, dict) and "name" in param:
                    hoist(param, "schema", base + pascal(str(param["name"])),
                          f"{op_ptr}/parameters/{i}/schema")
            body = op.get("requestBody")
            if isinstance(body, dict):
                for ctype, media in as_mapping(body.get("content")).items():
                    if isinstance(media, dict):
                        hoist(media, "schema", f"{base}Request",
                              f"{op_ptr}/requestBody/content/{escape(str(ctype))}/schema")
            for status, response in as_mapping(op.get("responses")).items():
                if not isinstance(response, dict):
                    continue
                for ctype, media in as_mapping(response.get("content")).items():
                    if not isinstance(media, dict):
                        continue
                    suffix = "Chunk" if ctype == "text/event-stream" else "Response"
                    if not str(status).startswith("2"):
                        suffix = f"Response{status}"
                    media_ptr = f"{op_ptr}/responses/{escape(str(status))}/content/{escape(str(ctype))}"
                    hoist(media, "schema", f"{base}{suffix}", f"{media_ptr}/schema")
                    # OpenAPI 3.2: the schema of each event of a sequential media type.
                    hoist(media, "itemSchema", f"{base}Event", f"{media_ptr}/itemSchema")
    _simplify_open_enums(doc)
    return Prepared(document=doc, hoisted=hoisted)


def _simplify_open_enums(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("x-open-enum") and isinstance(node.get("anyOf"), list):
            closed = [b for b in node["anyOf"] if b != {"type": "string"}]
            if len(closed) == 1 and isinstance(closed[0], dict):
                del node["anyOf"]
                node.pop("x-open-enum")
                node.update(closed[0])
        for value in node.values():
            _simplify_open_enums(value)
    elif isinstance(node, list):
        for value in node:
            _simplify_open_enums(value)
