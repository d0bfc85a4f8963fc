"""Paths -> IR operations grouped per tag, plus the client configuration from `info.x-client`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from generator.diagnostics import Diagnostic, Location, Severity
from generator.model.ir import (
    Body,
    ClientConfig,
    Field,
    Group,
    ListOf,
    MapOf,
    Model,
    Named,
    Nullable,
    ObjectModel,
    Operation,
    Param,
    Prim,
    Stream,
    TypeRef,
    UnionOf,
)
from generator.model.naming import PARAM_RESERVED, identifier, pascal, snake, unique, words
from generator.model.prepare import HTTP_METHODS, escape_pointer

_VERBS = frozenset({"list", "get", "create", "delete", "update", "send", "put", "patch", "post"})
_SCALARS: dict[str, Prim] = {"string": Prim("str"), "integer": Prim("int"),
                             "number": Prim("float"), "boolean": Prim("bool"),
                             "null": Prim("none")}


def client_config(document: dict[str, Any]) -> ClientConfig:
    """The client's names and defaults, from `info.x-client` with generic fallbacks."""
    info = document.get("info") or {}
    xc = info.get("x-client") or {}
    title = str(info.get("title") or "API")
    client_name = pascal(str(xc.get("class-name") or title.replace("API", "")) or "Client")
    package = str(xc.get("package") or f"{snake(client_name)}_client")
    servers = document.get("servers") or [{}]
    headers = xc.get("attribution-headers") or {}
    return ClientConfig(
        package=snake(package),
        client_name=client_name,
        api_key_env=str(xc.get("api-key-env") or f"{snake(client_name).upper()}_API_KEY"),
        log_env=str(xc.get("log-env") or f"{snake(package).upper()}_LOG"),
        default_base_url=str(servers[0].get("url") or "http://localhost"),
        attribution_headers=tuple((snake(k), str(v)) for k, v in sorted(headers.items())),
        title=title,
        version=str(info.get("version") or "0"),
        description=info.get("description"),
    )


class _Builder:
    def __init__(self, document: dict[str, Any], names: dict[str, str],
                 models: dict[str, Model]) -> None:
        self.doc = document
        self.names = names
        self.models = models
        self.warnings: list[Diagnostic] = []

    def warn(self, pointer: str, message: str, action: str) -> None:
        self.warnings.append(Diagnostic(Severity.WARNING, Location(pointer=pointer), message, action))

    def resolve(self, node: Any) -> Any:
        """Follow a local `$ref` (components.parameters, requestBodies, responses)."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 64:
            ref = str(node["$ref"])
            if ref in self.names:
                return node
            target: Any = self.doc
            for token in ref.lstrip("#/").split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                target = target.get(token) if isinstance(target, dict) else None
            node, seen = target, seen + 1
        return node

    def schema_type(self, schema: Any, pointer: str) -> TypeRef:
        """The TypeRef of a schema that prepare() left inline (scalars, arrays, refs)."""
        if not isinstance(schema, dict) or not schema:
            return Prim("any")
        if "$ref" in schema:
            name = self.names.get(str(schema["$ref"]))
            if name is None:
                self.warn(pointer, f"reference {schema['$ref']} has no model", "typed as Any")
                return Prim("any")
            return Named(name)
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                options = [self.schema_type(s, f"{pointer}/{key}/{i}")
                           for i, s in enumerate(schema[key])]
                return _union(options)
        types = schema.get("type")
        type_list = types if isinstance(types, list) else [types] if types else []
        options: list[TypeRef] = []
        for t in type_list:
            if t == "array":
                options.append(ListOf(self.schema_type(schema.get("items"), pointer + "/items")))
            elif t == "object":
                extra = schema.get("additionalProperties")
                options.append(MapOf(self.schema_type(extra, pointer + "/additionalProperties")
                                     if isinstance(extra, dict) else Prim("any")))
            elif t in _SCALARS:
                options.append(_SCALARS[t])
        return _union(options) if options else Prim("any")

    def params(self, op: dict[str, Any], path_item: dict[str, Any], pointer: str) -> list[Param]:
        merged: dict[tuple[str, str], Any] = {}
        for source in (path_item.get("parameters") or [], op.get("parameters") or []):
            for raw in source:
                param = self.resolve(raw)
                if isinstance(param, dict) and "name" in param:
                    merged[(str(param["name"]), str(param.get("in")))] = param
        out: list[Param] = []
        for i, ((name, location), param) in enumerate(merged.items()):
            if location not in ("path", "query", "header", "cookie"):
                self.warn(f"{pointer}/parameters/{i}", f"parameter {name!r} is in {location!r}",
                          "skipped")
                continue
            if location == "header" and name.lower() == "authorization":
                continue  # the client's bearer auth sends it
            default_style = "form" if location in ("query", "cookie") else "simple"
            style = str(param.get("style") or default_style)
            out.append(Param(
                py_name=snake(name), name=name, location=location,  # type: ignore[arg-type]
                type=self.schema_type(param.get("schema"), f"{pointer}/parameters/{i}/schema"),
                required=bool(param.get("required")) or location == "path",
                description=param.get("description"),
                explode=bool(param.get("explode", style == "form")),
                style=style,
            ))
        # Required first keeps the signature readable; names are made unique against each other.
        out.sort(key=lambda p: (0 if p.location == "path" else 1))
        return out

    def body(self, op: dict[str, Any], pointer: str) -> Body | None:
        raw = self.resolve(op.get("requestBody"))
        if not isinstance(raw, dict):
            return None
        content = raw.get("content") or {}
        ctype = next((c for c in content if "json" in c), next(iter(content), None))
        if ctype is None:
            return None
        schema = (content[ctype] or {}).get("schema")
        btype = self.schema_type(schema, f"{pointer}/requestBody/content/{escape_pointer(ctype)}")
        model = self.models.get(btype.name) if isinstance(btype, Named) else None
        fields: tuple[Field, ...] = model.fields if isinstance(model, ObjectModel) else ()
        body = Body(content_type=str(ctype), type=btype, required=bool(raw.get("required")),
                    model=model.name if isinstance(model, ObjectModel) else None,
                    fields=fields, description=raw.get("description"))
        if body.encoding == "multipart" and fields:
            binary = _binary_properties(self.doc, schema)
            body = replace(body, binary_fields=tuple(f.json_name for f in fields
                                                      if f.json_name in binary))
        return body

    def response(self, op: dict[str, Any], pointer: str) -> tuple[TypeRef | None, TypeRef | None]:
        """The success body type (a union when 2xx codes differ, nullable when one may be empty)
        and the event-stream chunk type, if any."""
        responses = op.get("responses") or {}
        success = sorted((s for s in responses if str(s).startswith("2")), key=str)
        bodies: list[TypeRef] = []
        chunk: TypeRef | None = None
        may_be_empty = False
        for status in success:
            resp = self.resolve(responses[status])
            content = (resp or {}).get("content") or {}
            json_type = next((c for c in content if "json" in c), None)
            sse = content.get("text/event-stream")
            where = f"{pointer}/responses/{escape_pointer(str(status))}"
            if json_type:
                rtype = self.schema_type((content.get(json_type) or {}).get("schema"), where)
                if rtype not in bodies:
                    bodies.append(rtype)
            if sse and chunk is None:
                chunk = self.schema_type(sse.get("schema") if isinstance(sse, dict) else None,
                                         where)
            if not json_type and not sse:
                may_be_empty = True
        if not bodies:
            return None, chunk
        body = _union(bodies)
        if may_be_empty and not isinstance(body, Nullable) and body != Prim("any"):
            body = Nullable(body)
        return body, chunk

    def groups(self) -> tuple[Group, ...]:
        tag_info = {str(t.get("name")): t for t in self.doc.get("tags") or [] if isinstance(t, dict)}
        buckets: dict[str, list[Operation]] = defaultdict(list)
        taken_functions: dict[str, set[str]] = defaultdict(set)
        taken_methods: dict[str, set[str]] = defaultdict(set)
        for path in sorted(self.doc.get("paths") or {}):
            item = self.doc["paths"][path] or {}
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                pointer = f"/paths/{escape_pointer(path)}/{method}"
                tags = op.get("tags") or []
                tag = str(tags[0]) if tags else next(
                    (seg for seg in path.split("/") if seg and "{" not in seg), "default")
                module = snake(str(tag_info.get(tag, {}).get("x-python-name") or tag))
                buckets[tag].append(self.operation(op, item, method, path, pointer, module,
                                                   taken_functions[module], taken_methods[module]))
        out: list[Group] = []
        for tag in sorted(buckets):
            info = tag_info.get(tag, {})
            module = snake(str(info.get("x-python-name") or tag))
            out.append(Group(module=module, attr=module, class_name=pascal(module) + "Resource",
                             description=info.get("description"),
                             operations=tuple(buckets[tag])))
        return tuple(out)

    def operation(self, op: dict[str, Any], item: dict[str, Any], method: str, path: str,
                  pointer: str, module: str, functions: set[str], methods: set[str]) -> Operation:
        op_id = str(op.get("operationId") or f"{method} {path}")
        function = snake(op_id)
        if function in _VERBS:
            function = f"{function}_{module}"
        function = unique(function, functions)
        method_name = op.get("x-python-name") or _short_name(function, module)
        method_name = unique(identifier(snake(str(method_name))), methods)
        params = self.params(op, item, pointer)
        body = self.body(op, pointer)
        rtype, chunk = self.response(op, pointer)
        flag = op.get("x-stream-flag")
        stream = Stream(str(flag), chunk) if flag and chunk is not None else None
        if flag and chunk is None:
            self.warn(pointer, "x-stream-flag set but no text/event-stream response",
                      "generated without streaming")
        return Operation(
            function_name=function, method_name=method_name, http_method=method.upper(),
            path=path, summary=op.get("summary"), description=op.get("description"),
            params=tuple(_unique_params(params, body)), body=body, response=rtype, stream=stream,
            deprecated=bool(op.get("deprecated")), operation_id=op_id,
        )


_BINARY_FORMATS = frozenset({"binary", "byte", "base64"})


def _is_binary(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "array":
        return _is_binary(schema.get("items"))
    return (schema.get("format") in _BINARY_FORMATS or "contentMediaType" in schema
            or "contentEncoding" in schema)


def _binary_properties(document: dict[str, Any], schema: Any, depth: int = 0) -> set[str]:
    """JSON names of the file properties of a multipart body schema (through `$ref` and `allOf`)."""
    if not isinstance(schema, dict) or depth > 32:
        return set()
    if "$ref" in schema:
        target: Any = document
        for token in str(schema["$ref"]).lstrip("#/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, dict) else None
        return _binary_properties(document, target, depth + 1)
    found = {str(name) for name, prop in (schema.get("properties") or {}).items()
             if _is_binary(prop)}
    for part in schema.get("allOf") or []:
        found |= _binary_properties(document, part, depth + 1)
    return found


def _short_name(function: str, module: str) -> str:
    """Drop the group's own words from a function name (`create_keys` in api_keys -> `create`)."""
    group_words = {w.lower().rstrip("s") for w in words(module)}
    kept = [w for w in function.split("_") if w.rstrip("s") not in group_words]
    return "_".join(kept) or function


def _unique_params(params: list[Param], body: Body | None) -> list[Param]:
    taken = {f.py_name for f in body.fields} if body and body.fields else set()
    taken |= set(PARAM_RESERVED)
    out = []
    for p in params:
        name = unique(identifier(p.py_name, PARAM_RESERVED), taken)
        out.append(p if name == p.py_name else replace(p, py_name=name))
    return out


def _union(options: list[TypeRef]) -> TypeRef:
    flat: list[TypeRef] = []
    for o in options:
        for x in (o.options if isinstance(o, UnionOf) else (o,)):
            if x not in flat:
                flat.append(x)
    nullable = Prim("none") in flat
    flat = [o for o in flat if o != Prim("none")]
    core: TypeRef = flat[0] if len(flat) == 1 else UnionOf(tuple(flat)) if flat else Prim("none")
    return Nullable(core) if nullable and flat else core


def build_groups(document: dict[str, Any], names: dict[str, str],
                 models: tuple[Model, ...]) -> tuple[tuple[Group, ...], tuple[Diagnostic, ...]]:
    """Group every operation of `document` by tag, typed with the model names from the schema stage."""
    builder = _Builder(document, names, {m.name: m for m in models})
    groups = builder.groups()
    return groups, tuple(builder.warnings)
