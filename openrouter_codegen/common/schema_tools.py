"""Small helpers over OpenAPI documents shared by the spec stages (walks, refs, literals, names)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from openrouter_codegen.spec.fragments import escape, unescape

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_REF_PREFIX = "#/components/schemas/"
# Keys whose values are maps of name -> schema.
SCHEMA_MAP_KEYS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
# Keys whose value is one schema.
SCHEMA_KEYS = ("additionalProperties", "items", "not", "if", "then", "else", "contains",
               "propertyNames", "unevaluatedProperties", "unevaluatedItems")
# Keys whose value is a list of schemas.
SCHEMA_LIST_KEYS = ("oneOf", "anyOf", "allOf", "prefixItems")
UNION_KEYS = ("oneOf", "anyOf")


class NotLiteral:
    """The type of NOT_LITERAL: "this is not a literal value"."""

    def __repr__(self) -> str:
        return "NOT_LITERAL"


NOT_LITERAL: Any = NotLiteral()
_LITERAL_TYPES = {"stringLiteral", "booleanLiteral", "numberLiteral", "integerLiteral",
                  "nullLiteral"}


def ref_to(name: str) -> str:
    """The `$ref` string for component schema `name`."""
    return SCHEMA_REF_PREFIX + escape(name)


def schema_ref_name(ref: Any) -> str | None:
    """The component name a `#/components/schemas/X` ref points to, else None."""
    if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
        rest = ref[len(SCHEMA_REF_PREFIX):]
        if "/" not in rest:
            return unescape(rest)
    return None


def ref_name(schema: Any) -> str | None:
    """The component name behind a `{$ref: ...}` schema, else None."""
    return schema_ref_name(schema.get("$ref")) if isinstance(schema, dict) else None


def schemas_of(doc: dict[str, Any]) -> dict[str, Any]:
    """`components.schemas` of `doc` (an empty dict when absent)."""
    components = doc.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        schemas: dict[str, Any] = components["schemas"]
        return schemas
    return {}


def resolve(doc: dict[str, Any], schema: Any) -> Any:
    """Follow `$ref`s to component schemas (cycle-safe); return the first non-ref schema."""
    seen: set[str] = set()
    schemas = schemas_of(doc)
    while isinstance(schema, dict):
        name = ref_name(schema)
        if name is None or name in seen or name not in schemas:
            return schema
        seen.add(name)
        schema = schemas[name]
    return schema


def literal_of(item: Any) -> Any:
    """Plain value of an enum item: the item itself, or `value` of a `{type?: xLiteral, value}`."""
    if not isinstance(item, dict):
        return item
    if "value" in item and set(item) <= {"value", "type"}:
        kind = item.get("type")
        if kind is None or kind in _LITERAL_TYPES:
            return item["value"]
    return NOT_LITERAL


def pinned_value(schema: Any) -> Any:
    """The one value a schema allows (`const`, or a one-item `enum`), else NOT_LITERAL."""
    if not isinstance(schema, dict):
        return NOT_LITERAL
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1:
        return literal_of(enum[0])
    return NOT_LITERAL


def is_null_schema(schema: Any) -> bool:
    """True for `{type: 'null'}` (optionally with a description)."""
    return (isinstance(schema, dict) and schema.get("type") == "null"
            and set(schema) <= {"type", "description", "title"})


def nullable_inner(schema: Any) -> Any:
    """For `oneOf|anyOf: [X, {type: null}]` (in either order) return X, else None."""
    if not isinstance(schema, dict):
        return None
    for key in UNION_KEYS:
        branches = schema.get(key)
        if isinstance(branches, list) and len(branches) == 2:
            nulls = [is_null_schema(b) for b in branches]
            if nulls.count(True) == 1:
                return branches[nulls.index(False)]
    return None


def tag_property(doc: dict[str, Any], branches: list[Any],
                 preferred: str | None = None) -> tuple[str, list[Any]] | None:
    """The property every branch pins to a distinct literal, with the values, else None."""
    resolved = [resolve(doc, b) for b in branches]
    if len(resolved) < 2 or not all(isinstance(b, dict) for b in resolved):
        return None
    props = [b.get("properties") for b in resolved]
    if not all(isinstance(p, dict) for p in props):
        return None
    candidates = [preferred] if preferred else list(props[0])
    for name in candidates:
        values = [pinned_value(resolve(doc, p.get(name))) for p in props]
        if any(v is NOT_LITERAL or isinstance(v, (dict, list)) for v in values):
            continue
        if len({repr(v) for v in values}) == len(values):
            return name, values
    return None


def pascal(text: Any) -> str:
    """`reasoning.summary` -> `ReasoningSummary`, `top_p` -> `TopP`, `camelCase` -> `CamelCase`."""
    words = re.split(r"[^0-9A-Za-z]+", str(text))
    return "".join(w[0].upper() + w[1:] for w in words if w)


def identifier(text: str) -> str:
    """A valid identifier from any name: words joined, first letters of words upper-cased."""
    words = [w for w in re.split(r"[^0-9A-Za-z_]+", text) if w]
    name = words[0] + "".join(w[0].upper() + w[1:] for w in words[1:]) if words else "Schema"
    return name if not name[0].isdigit() else f"N{name}"


def unique(name: str, taken: set[str] | dict[str, Any]) -> str:
    """`name`, or `name2`, `name3`, ... whichever is first not in `taken`."""
    if name not in taken:
        return name
    n = 2
    while f"{name}{n}" in taken:
        n += 1
    return f"{name}{n}"


def iter_operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation, in document order."""
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if isinstance(item, dict):
            for method in list(item):
                if method in HTTP_METHODS and isinstance(item[method], dict):
                    yield path, method, item[method]


def subschemas(schema: dict[str, Any], ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Direct child schemas of a schema, with their pointers (read at call time)."""
    for key in SCHEMA_MAP_KEYS:
        mapping = schema.get(key)
        if isinstance(mapping, dict):
            for name, child in list(mapping.items()):
                if isinstance(child, dict):
                    yield f"{ptr}/{key}/{escape(name)}", child
    for key in SCHEMA_KEYS:
        child = schema.get(key)
        if isinstance(child, dict):
            yield f"{ptr}/{key}", child
    for key in SCHEMA_LIST_KEYS:
        children = schema.get(key)
        if isinstance(children, list):
            for i, child in enumerate(list(children)):
                if isinstance(child, dict):
                    yield f"{ptr}/{key}/{i}", child


def root_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every top-level schema position of a document (components, parameters, bodies, ...)."""
    for name, schema in list(schemas_of(doc).items()):
        if isinstance(schema, dict):
            yield f"/components/schemas/{escape(name)}", schema
    components = as_mapping(doc.get("components"))
    for kind in ("parameters", "headers"):
        for name, obj in as_mapping(components.get(kind)).items():
            yield from _schema_field(obj, f"/components/{kind}/{escape(name)}")
    for kind in ("requestBodies", "responses"):
        for name, obj in as_mapping(components.get(kind)).items():
            yield from _message_schemas(obj, f"/components/{kind}/{escape(name)}")
    for path, item in as_mapping(doc.get("paths")).items():
        item_ptr = f"/paths/{escape(path)}"
        if not isinstance(item, dict):
            continue
        for i, param in enumerate(item.get("parameters") or []):
            yield from _schema_field(param, f"{item_ptr}/parameters/{i}")
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            op_ptr = f"{item_ptr}/{method}"
            for i, param in enumerate(op.get("parameters") or []):
                yield from _schema_field(param, f"{op_ptr}/parameters/{i}")
            yield from _message_schemas(op.get("requestBody"), f"{op_ptr}/requestBody")
            for code, response in as_mapping(op.get("responses")).items():
                yield from _message_schemas(response, f"{op_ptr}/responses/{escape(code)}")


def as_mapping(value: Any) -> dict[Any, Any]:
    """`value` if it is a mapping, else an empty one: a node of the wrong shape reads as absent."""
    return value if isinstance(value, dict) else {}


def _schema_field(obj: Any, ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(obj, dict) and isinstance(obj.get("schema"), dict):
        yield f"{ptr}/schema", obj["schema"]


def _message_schemas(obj: Any, ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(obj, dict):
        return
    for media, media_obj in as_mapping(obj.get("content")).items():
        yield from _schema_field(media_obj, f"{ptr}/content/{escape(media)}")
    for name, header in as_mapping(obj.get("headers")).items():
        yield from _schema_field(header, f"{ptr}/headers/{escape(name)}")


def walk_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in the document, pre-order; children are read after each yield, so
    a consumer may rewrite a schema in place before its children are visited."""
    for ptr, schema in root_schemas(doc):
        yield from walk_schema(schema, ptr)


def walk_schema(schema: dict[str, Any], ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """`schema` and all its subschemas, pre-order (see walk_schemas)."""
    stack = [(ptr, schema)]
    while stack:
        current_ptr, current = stack.pop()
        yield current_ptr, current
        stack.extend(reversed(list(subschemas(current, current_ptr))))


def iter_refs(node: Any, ptr: str = "") -> Iterator[tuple[str, str]]:
    """(pointer of the object holding it, ref) for every `$ref` string anywhere under `node`."""
    stack: list[tuple[str, Any]] = [(ptr, node)]
    while stack:
        current_ptr, current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield current_ptr, ref
            stack.extend((f"{current_ptr}/{escape(k)}", v) for k, v in reversed(current.items())
                         if isinstance(v, (dict, list)))
        elif isinstance(current, list):
            stack.extend((f"{current_ptr}/{i}", v) for i, v in reversed(list(enumerate(current)))
                         if isinstance(v, (dict, list)))


def rewrite_refs(node: Any, rename: Callable[[str], str]) -> None:
    """Rewrite every `$ref` and discriminator mapping value under `node` in place."""
    stack: list[Any] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                current["$ref"] = rename(ref)
            mapping = current.get("discriminator", {}).get("mapping") \
                if isinstance(current.get("discriminator"), dict) else None
            if isinstance(mapping, dict):
                for key, value in mapping.items():
                    if isinstance(value, str):
                        mapping[key] = rename(value)
            stack.extend(v for v in current.values() if isinstance(v, (dict, list)))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, (dict, list)))


def plain_copy(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, scalars); much faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: plain_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_copy(v) for v in value]
    return value


def resolve_pointer(doc: Any, ptr: str) -> Any:
    """The value at a JSON pointer (`#/a/b` or `/a/b`); raises KeyError when absent."""
    ptr = ptr.removeprefix("#")
    node = doc
    if not ptr:
        return node
    for token in ptr.split("/")[1:]:
        key = unescape(token)
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise KeyError(ptr)
    return node


_SITE_WORDS = {"items": "Items", "additionalProperties": "Value", "not": "Not",
               "requestBody": "Request"}
_SKIP_TOKENS = {"content", "schema", "properties", "patternProperties"}


def site_name(doc: dict[str, Any], ptr: str) -> str:
    """A PascalCase name for the schema at `ptr`, built from its owner and path.

    `/components/schemas/ChatGenerationParams/properties/provider` -> `ChatGenerationParamsProvider`;
    inside an operation the owner is its operationId (`.../requestBody/...` -> `<Op>Request`).
    """
    tokens = [unescape(t) for t in ptr.split("/")[1:]]
    words: list[str] = []
    if tokens[:2] == ["components", "schemas"] and len(tokens) > 2:
        words.append(tokens[2])
        rest = tokens[3:]
    elif tokens[:1] == ["paths"] and len(tokens) > 2:
        op = (doc.get("paths") or {}).get(tokens[1], {}).get(tokens[2], {})
        words.append(pascal(op.get("operationId") or f"{tokens[2]} {tokens[1]}"))
        rest = tokens[3:]
    else:
        rest = tokens
    i = 0
    while i < len(rest):
        token = rest[i]
        if token in ("content",) and i + 1 < len(rest):
            i += 2  # skip the media type
            continue
        if token == "responses" and i + 1 < len(rest):
            words.append(f"Response{pascal(rest[i + 1])}")
            i += 2
            continue
        if token == "parameters" and i + 1 < len(rest):
            i += 2
            continue
        if token in _SITE_WORDS:
            words.append(_SITE_WORDS[token])
        elif token not in _SKIP_TOKENS and token not in UNION_KEYS and token != "allOf":
            words.append(pascal(token))
        i += 1
    return "".join(words) or "Schema"


def json_text(value: Any) -> str:
    """A schema value (a `default`, an example) as compact JSON text for documentation; a value
    JSON cannot hold (a date YAML read as one) is shown as Python writes it."""
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    except (TypeError, ValueError):
        return repr(value)


def schema_default(schema: Any) -> str | None:
    """A schema's `default` as JSON text, or None when it has none (or is not a schema)."""
    if isinstance(schema, dict) and "default" in schema:
        return json_text(schema["default"])
    return None
