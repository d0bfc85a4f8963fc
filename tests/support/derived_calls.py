"""A call of the generated client for every operation of a spec, its arguments derived from the spec.

So the Prism test covers whatever `spec/docs/` holds, new operations included, with no list to
keep. For each operation: every required parameter and body property, plus the optional ones the
spec gives an example for; values are the spec's own (`example`, `examples`, `default`, `const`,
the first `enum` value, the media type's example body) or else the simplest value the schema
allows (its minimum, its minimum length, a date for `format: date-time`, one item for a list).
The Python argument names follow the generator's naming (`openrouter_codegen.client.model.naming`).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openrouter_codegen.client.model.naming import PARAM_RESERVED, identifier, snake
from openrouter_codegen.common.schema_tools import resolve_pointer
from tests.support.golden import HTTP_METHODS, SpecOperation, client_methods

_FORMATS = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "uri": "https://example.com",
            "url": "https://example.com", "email": "user@example.com",
            "uuid": "123e4567-e89b-12d3-a456-426614174000", "binary": b"data", "byte": "ZGF0YQ=="}
_DEPTH = 8


@dataclass(frozen=True)
class Call:
    """One call of the client: ``client.<namespace>.<method>(**arguments)``, for ``operation``."""

    operation: SpecOperation
    namespace: str
    method: str
    arguments: Mapping[str, Any]

    def __str__(self) -> str:
        return f"client.{self.namespace}.{self.method} ({self.operation})"


def streams_only(operation: Mapping[str, Any]) -> bool:
    """Whether every 2xx answer of `operation` is an event stream (the call always streams)."""
    media = [str(ctype) for status, response in (operation.get("responses") or {}).items()
             if str(status).startswith("2") and isinstance(response, Mapping)
             for ctype in (response.get("content") or {})]
    return bool(media) and all(m == "text/event-stream" for m in media)


def derived_calls(spec: Mapping[str, Any], client: Any) -> list[Call]:
    """A call for every operation of `spec` that answers with something else than only an event
    stream, on the methods `client` exposes for them."""
    methods = client_methods(client)
    calls = []
    for path, item in sorted((spec.get("paths") or {}).items()):
        for verb in HTTP_METHODS:
            operation = item.get(verb) if isinstance(item, Mapping) else None
            if not isinstance(operation, Mapping) or streams_only(operation):
                continue
            key = SpecOperation(verb.upper(), path)
            where = methods.get(key)
            if where is None:
                raise LookupError(f"the client exposes no method for {key}")
            signature = inspect.signature(where.of(client))
            arguments = _arguments(spec, operation, item, set(signature.parameters))
            calls.append(Call(key, where.namespace, where.name, arguments))
    return calls


def _arguments(spec: Mapping[str, Any], operation: Mapping[str, Any], item: Mapping[str, Any],
               accepted: set[str]) -> dict[str, Any]:
    arguments: dict[str, Any] = {}

    def put(json_name: str, value: Any, where: str = "body") -> None:
        base = identifier(snake(json_name), PARAM_RESERVED - {"stream"})
        # A name a parameter took first is `<location>_<name>` (`body_id` beside a path `id`).
        renamed = identifier(f"{where}_{base}", PARAM_RESERVED)
        for name in (base, renamed, *(f"{n}_{i}" for n in (base, renamed) for i in range(2, 5))):
            if name in accepted and name not in arguments:
                arguments[name] = value
                return
        raise LookupError(f"no argument for {json_name!r} among {sorted(accepted)}")

    parameters = [*(item.get("parameters") or []), *(operation.get("parameters") or [])]
    for raw in parameters:
        parameter = _resolve(spec, raw)
        if not isinstance(parameter, Mapping) or parameter.get("in") not in (
                "path", "query", "header", "cookie"):
            continue
        if parameter.get("required") or "example" in parameter:
            value = parameter["example"] if "example" in parameter else \
                sample(spec, parameter.get("schema"))
            put(str(parameter["name"]), value, str(parameter["in"]))
    body = _resolve(spec, operation.get("requestBody"))
    content = body.get("content") if isinstance(body, Mapping) else None
    if not isinstance(content, Mapping) or not content:
        return arguments
    ctype = next((c for c in content if "json" in str(c).lower()), next(iter(content)))
    media = content[ctype] if isinstance(content[ctype], Mapping) else {}
    schema = _resolve(spec, media.get("schema"))
    example = media.get("example")
    whole = "request_body" if "request_body" in accepted else "body"  # `body`: a parameter's
    if whole in accepted and not _is_object(spec, schema):
        arguments[whole] = example if example is not None else sample(spec, schema)
        return arguments
    properties, required = _object_parts(spec, schema)
    for name, prop in properties.items():
        if name == "stream":
            continue  # the JSON answer, not the event stream
        if isinstance(example, Mapping) and name in example:
            put(name, example[name])
        elif name in required:
            put(name, sample(spec, prop))
    return arguments


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """`node`, its `$ref`s followed (a dangling one reads as nothing)."""
    for _ in range(32):
        if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
            return node
        try:
            node = resolve_pointer(spec, node["$ref"])
        except KeyError:
            return None
    return node


def _object_parts(spec: Mapping[str, Any], schema: Any,
                  depth: int = 0) -> tuple[dict[str, Any], set[str]]:
    """The properties and required names of an object schema, `allOf` parts merged."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, Mapping) or depth > _DEPTH:
        return {}, set()
    properties = dict(schema.get("properties") or {})
    required = set(schema.get("required") or [])
    for part in schema.get("allOf") or []:
        more, needed = _object_parts(spec, part, depth + 1)
        properties.update(more)
        required |= needed
    return properties, required


def _is_object(spec: Mapping[str, Any], schema: Any) -> bool:
    properties, _ = _object_parts(spec, schema)
    return bool(properties)


def sample(spec: Mapping[str, Any], schema: Any, depth: int = 0) -> Any:
    """A value `schema` allows: the spec's own where it gives one, else the simplest."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, Mapping):
        return "x"
    for key in ("const", "example", "default"):
        if key in schema:
            return schema[key]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    enum = [v for v in schema.get("enum") or [] if v is not None]
    if enum:
        return enum[0]
    for key in ("oneOf", "anyOf"):
        branches = [b for b in schema.get(key) or []
                    if _resolve(spec, b) != {"type": "null"}]
        if branches:
            return sample(spec, branches[0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    properties, required = _object_parts(spec, schema, depth)
    if kind == "object" or properties:
        if depth > _DEPTH:
            return {}
        return {name: sample(spec, properties[name], depth + 1)
                for name in sorted(required) if name in properties}
    if kind == "array":
        if depth > _DEPTH:
            return []
        return [sample(spec, schema.get("items"), depth + 1)
                for _ in range(max(1, int(schema.get("minItems") or 1)))]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        value = low + 1 if "exclusiveMinimum" in schema else low
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return False
    text = _FORMATS.get(str(schema.get("format")), "x")
    if isinstance(text, str):
        return text.ljust(int(schema.get("minLength") or 0), "x")
    return text
