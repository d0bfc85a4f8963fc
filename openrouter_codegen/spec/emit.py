"""Emit: the final document in a stable, readable key order, dumped as block-style YAML.

Order: top level `openapi, info, servers, security, tags, paths, components`; paths sorted by
path, methods in HTTP order, responses by status code, components by name; inside every object
a conventional key order (for schemas: `$ref, type, format, title, description, const, enum,
default, properties, required, items, additionalProperties, oneOf, anyOf, allOf, not,
discriminator`, ...); unknown keys keep their order after the known ones and `x-` extensions
come last, sorted. Property order inside `properties` is the docs' order (it is the field
order of the generated models). The same document always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from openrouter_codegen.common.schema_tools import (
    HTTP_METHODS,
    SCHEMA_KEYS,
    SCHEMA_LIST_KEYS,
    SCHEMA_MAP_KEYS,
)
from openrouter_codegen.spec.fragments import JsonDoc

_TOP = ("openapi", "info", "jsonSchemaDialect", "servers", "security", "tags", "paths",
        "webhooks", "components", "externalDocs")
_INFO = ("title", "summary", "description", "termsOfService", "contact", "license", "version")
_PATH_ITEM = ("$ref", "summary", "description", "servers", "parameters", *HTTP_METHODS)
_OPERATION = ("operationId", "summary", "description", "tags", "deprecated", "security",
              "servers", "parameters", "requestBody", "responses", "callbacks", "externalDocs")
_PARAMETER = ("$ref", "name", "in", "description", "required", "deprecated", "allowEmptyValue",
              "style", "explode", "allowReserved", "schema", "example", "examples", "content")
_BODY = ("$ref", "description", "required", "content")
_RESPONSE = ("$ref", "description", "headers", "content", "links")
_MEDIA = ("schema", "example", "examples", "encoding")
_SCHEMA = ("$ref", "type", "format", "title", "description", "const", "enum", "default",
           "properties", "required", "patternProperties", "items", "prefixItems",
           "additionalProperties", "minItems", "maxItems", "uniqueItems", "minimum", "maximum",
           "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
           "pattern", "oneOf", "anyOf", "allOf", "not", "discriminator", "readOnly",
           "writeOnly", "deprecated", "example", "examples")
_SECURITY_SCHEME = ("type", "description", "name", "in", "scheme", "bearerFormat", "flows",
                    "openIdConnectUrl")
_TAG = ("name", "description", "externalDocs")
_SERVER = ("url", "description", "variables")
_DISCRIMINATOR = ("propertyName", "mapping")


def ordered(doc: JsonDoc) -> JsonDoc:
    """A copy of `doc` with every object's keys in the stable order described above."""
    result: JsonDoc = _keys(doc, _TOP, {
        "info": lambda v: _keys(v, _INFO),
        "servers": lambda v: _each(v, lambda s: _keys(s, _SERVER)),
        "tags": lambda v: _each(v, lambda t: _keys(t, _TAG)),
        "paths": lambda v: _sorted_map(v, _path_item),
        "components": _components,
    })
    return result


def dump(doc: JsonDoc) -> str:
    """Block-style YAML of an already ordered document (no aliases, unicode kept)."""
    text: str = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=1_000_000, indent=2)
    return text


def emit(doc: JsonDoc) -> tuple[JsonDoc, str]:
    """The ordered document and its YAML text."""
    result = ordered(doc)
    return result, dump(result)


_Fn = Callable[[Any], Any]


def _keys(obj: Any, order: tuple[str, ...], children: dict[str, _Fn] | None = None) -> Any:
    if not isinstance(obj, dict):
        return obj
    children = children or {}
    rank = {k: i for i, k in enumerate(order)}
    known = sorted((k for k in obj if k in rank), key=rank.__getitem__)
    other = [k for k in obj if k not in rank and not str(k).startswith("x-")]
    extensions = sorted(k for k in obj if k not in rank and str(k).startswith("x-"))
    return {k: children[k](obj[k]) if k in children else obj[k]
            for k in (*known, *other, *extensions)}


def _each(items: Any, fn: _Fn) -> Any:
    return [fn(v) for v in items] if isinstance(items, list) else items


def _sorted_map(obj: Any, fn: _Fn) -> Any:
    return {k: fn(obj[k]) for k in sorted(obj)} if isinstance(obj, dict) else obj


def _path_item(item: Any) -> Any:
    children: dict[str, _Fn] = {m: _operation for m in HTTP_METHODS}
    children["parameters"] = lambda v: _each(v, _parameter)
    return _keys(item, _PATH_ITEM, children)


def _operation(op: Any) -> Any:
    return _keys(op, _OPERATION, {
        "parameters": lambda v: _each(v, _parameter),
        "requestBody": _body,
        "responses": lambda v: _sorted_map(v, _response),
    })


def _parameter(param: Any) -> Any:
    return _keys(param, _PARAMETER, {"schema": schema, "content": _content})


def _body(body: Any) -> Any:
    return _keys(body, _BODY, {"content": _content})


def _response(response: Any) -> Any:
    return _keys(response, _RESPONSE, {"content": _content,
                                       "headers": lambda v: _sorted_map(v, _parameter)})


def _content(content: Any) -> Any:
    return _sorted_map(content, lambda m: _keys(m, _MEDIA, {"schema": schema}))


def _components(components: Any) -> Any:
    kinds: dict[str, _Fn] = {
        "schemas": schema,
        "parameters": _parameter,
        "headers": _parameter,
        "requestBodies": _body,
        "responses": _response,
        "securitySchemes": lambda v: _keys(v, _SECURITY_SCHEME),
    }
    return {kind: _sorted_map(components[kind], kinds.get(kind, lambda v: v))
            for kind in sorted(components)} if isinstance(components, dict) else components


def schema(obj: Any) -> Any:
    """A schema with its keys (and its subschemas' keys) in the conventional order."""
    if not isinstance(obj, dict):
        return obj
    children: dict[str, _Fn] = {k: _schema_map for k in SCHEMA_MAP_KEYS}
    children.update({k: schema for k in SCHEMA_KEYS})
    children.update({k: lambda v: _each(v, schema) for k in SCHEMA_LIST_KEYS})
    children["discriminator"] = lambda v: _keys(v, _DISCRIMINATOR)
    return _keys(obj, _SCHEMA, children)


def _schema_map(obj: Any) -> Any:
    return {k: schema(v) for k, v in obj.items()} if isinstance(obj, dict) else obj


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Safe dumper that never writes anchors and prints multi-line text as literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write anchors: repeated content is written out again."""
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)
