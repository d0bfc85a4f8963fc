"""Paths -> IR operations grouped per tag."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any, Literal

from openrouter_codegen.client.model.auth import document_auth, operation_auth
from openrouter_codegen.client.model.ir import (
    AliasModel,
    Body,
    Field,
    Group,
    ListOf,
    Lit,
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
    UnionModel,
    UnionOf,
    union_of,
)
from openrouter_codegen.client.model.naming import (
    CLIENT_ATTRIBUTES,
    FUNCTION_RESERVED,
    METHOD_RESERVED,
    PARAM_RESERVED,
    identifier,
    pascal,
    snake,
    tag_snake,
    unique,
    words,
)
from openrouter_codegen.client.model.prepare import HTTP_METHODS
from openrouter_codegen.common.diagnostics import Diagnostic, Location, Severity
from openrouter_codegen.common.schema_tools import as_mapping, schema_default
from openrouter_codegen.spec.fragments import escape

_VERBS = frozenset({"list", "get", "create", "delete", "update", "send", "put", "patch", "post"})
_SCALARS: dict[str, Prim] = {"string": Prim("str"), "integer": Prim("int"),
                             "number": Prim("float"), "boolean": Prim("bool"),
                             "null": Prim("none")}


class _Builder:
    def __init__(self, document: dict[str, Any], names: dict[str, str],
                 models: dict[str, Model]) -> None:
        self.doc = document
        self.names = names
        self.models = models
        self.default_auth = document_auth(document)  # where the client puts the key by default
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
                branches = [self.schema_type(s, f"{pointer}/{key}/{i}")
                            for i, s in enumerate(schema[key])]
                return union_of(branches)
        types = schema.get("type")
        type_list = types if isinstance(types, list) else [types] if types else []
        options: list[TypeRef] = []
        for t in type_list:
            if not isinstance(t, str):
                continue  # a `type` that is no type name says nothing
            if t == "array":
                options.append(ListOf(self.schema_type(schema.get("items"), pointer + "/items")))
            elif t == "object":
                extra = schema.get("additionalProperties")
                options.append(MapOf(self.schema_type(extra, pointer + "/additionalProperties")
                                     if isinstance(extra, dict) else Prim("any")))
            elif t in _SCALARS:
                options.append(_SCALARS[t])
        return union_of(options) if options else Prim("any")

    def params(self, op: dict[str, Any], path_item: dict[str, Any], path: str,
               pointer: str) -> list[Param]:
        merged: dict[tuple[str, str], Any] = {}
        item_pointer = pointer.rsplit("/", 1)[0]
        for source, where in ((path_item.get("parameters"), item_pointer),
                              (op.get("parameters"), pointer)):
            seen: set[tuple[str, str]] = set()  # an operation's own may override the path item's
            for j, raw in enumerate(source if isinstance(source, list) else ()):
                param = self.resolve(raw)
                if isinstance(param, dict) and "name" in param:
                    key = (str(param["name"]), str(param.get("in")))
                    if key in seen:
                        self.warn(f"{where}/parameters/{j}", f"parameter {key[0]!r} in {key[1]!r} "
                                  "is listed twice", "the last one is used")
                    seen.add(key)
                    merged[key] = param
        in_template = _template_names(path)
        for (name, location) in list(merged):
            if location == "path" and name not in in_template:
                self.warn(pointer, f"path parameter {name!r} is not in the path {path!r}",
                          "skipped: the URL has no place for it")
                del merged[(name, location)]
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
                description=_text(param.get("description")),
                explode=bool(param.get("explode", style == "form")),
                style=style,
                default=schema_default(param.get("schema")),
            ))
        declared = {p.name for p in out if p.location == "path"}
        for name in in_template:
            if name not in declared:
                # The docs left it out; without an argument the URL would keep "{name}" literally.
                self.warn(pointer, f"the path {path!r} has {{{name}}} but no path parameter "
                          f"{name!r}", "added as a required str argument")
                out.append(Param(py_name=snake(name), name=name, location="path", type=Prim("str"),
                                 required=True))
        # Required first keeps the signature readable; names are made unique against each other.
        out.sort(key=lambda p: (0 if p.location == "path" else 1))
        return out

    def body(self, op: dict[str, Any], pointer: str, media_type: str | None = None) -> Body | None:
        """The request body as the operation's method sends it: as JSON where JSON is declared,
        else as the first media type declared; or as `media_type` (a twin's, see `twins`)."""
        raw = self.resolve(op.get("requestBody"))
        if not isinstance(raw, dict):
            return None
        media = _media(raw.get("content"))
        ctype = media_type if media_type in media else \
            next((c for c in media if "json" in c.lower()), next(iter(media), None))
        if ctype is None:
            return None
        schema = media[ctype].get("schema")
        btype = self.schema_type(schema, f"{pointer}/requestBody/content/{escape(ctype)}")
        model = self.models.get(btype.name) if isinstance(btype, Named) else None
        fields: tuple[Field, ...] = model.fields if isinstance(model, ObjectModel) else ()
        body = Body(content_type=str(ctype), type=btype, required=bool(raw.get("required")),
                    model=model.name if isinstance(model, ObjectModel) else None,
                    fields=fields, description=_text(raw.get("description")))
        if body.encoding == "multipart" and fields:
            binary = _binary_properties(self.doc, schema)
            body = replace(body, binary_fields=tuple(f.json_name for f in fields
                                                      if f.json_name in binary))
        return body

    def response(self, op: dict[str, Any], pointer: str) -> _Answer:
        """What an operation answers: the success body type (a union when 2xx codes differ,
        nullable when one may be empty), the event-stream chunk type, how a success body that is
        not JSON is returned (when there is no JSON one), and the Accept header all that makes."""
        responses = as_mapping(op.get("responses"))
        success = sorted((s for s in responses if str(s).startswith("2")), key=str)
        if not success and "default" in responses:
            success = ["default"]  # no 2xx documented: `default` describes the answer
        bodies: list[TypeRef] = []
        chunk: TypeRef | None = None
        json_types: list[str] = []
        others: list[str] = []
        may_be_empty = False
        for status in success:
            resp = self.resolve(responses[status])
            media = _media(as_mapping(resp).get("content"))
            json_type = next((c for c in media if _is_json(c)), None)
            sse = media.get("text/event-stream")
            where = f"{pointer}/responses/{escape(str(status))}"
            if json_type:
                rtype = self.schema_type(media[json_type].get("schema"), where)
                if rtype not in bodies:
                    bodies.append(rtype)
                json_types.append(json_type)
            if sse is not None and chunk is None:
                chunk = self._event_type(sse, where)
            others += [c for c in media if c != "text/event-stream" and not _is_json(c)]
            if not media:
                may_be_empty = True
        if not bodies:
            if not others:
                return _Answer(None, chunk, None, None)
            # Text when every declared kind is text (decoded by the charset), else the bytes.
            raw: Literal["text", "bytes"] = \
                "text" if all(c.lower().startswith("text/") for c in others) else "bytes"
            return _Answer(None, chunk, raw, ", ".join(dict.fromkeys(others)))
        body = union_of(bodies)
        if may_be_empty and not isinstance(body, Nullable) and body != Prim("any"):
            body = Nullable(body)
        # JSON is what the client reads: it asks only for that, even where others are declared.
        accept = ", ".join(dict.fromkeys(json_types))
        return _Answer(body, chunk, None, None if accept == "application/json" else accept)

    def _event_type(self, media: dict[Any, Any], pointer: str) -> TypeRef:
        """The type of one event of an event stream: OpenAPI 3.2's `itemSchema`, or `schema`;
        a `{data: <event>}` wrapper (SSE fields as properties, as speakeasy's
        `x-speakeasy-sse-sentinel` documents write it) stands for the type of its `data`."""
        key = "itemSchema" if "itemSchema" in media else "schema"
        event = self.schema_type(media.get(key), f"{pointer}/content/text~1event-stream/{key}")
        model = self.models.get(event.name) if isinstance(event, Named) else None
        if isinstance(model, ObjectModel):
            fields = {f.json_name: f for f in model.fields}
            if "data" in fields and set(fields) <= _SSE_FIELDS:
                return fields["data"].type
        return event

    def groups(self) -> tuple[Group, ...]:
        tags = self.doc.get("tags")
        tag_info = {str(t.get("name")): t for t in tags if isinstance(t, dict)} \
            if isinstance(tags, list) else {}
        paths = as_mapping(self.doc.get("paths"))
        found: list[tuple[str, str, str, dict[str, Any], dict[str, Any]]] = []
        for path in sorted(paths, key=str):
            item = paths[path]
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    found.append((_tag_of(op, str(path)), str(path), method, op, item))
        # Tags that differ only in spelling (`Models` and `models`) are one group.
        modules = _module_names(sorted({tag for tag, *_ in found}), tag_info)
        class_names = set(self.models)
        buckets: dict[str, list[Operation]] = defaultdict(list)
        module_tags: dict[str, list[str]] = defaultdict(list)
        taken_functions: dict[str, set[str]] = defaultdict(_api_module_names)
        taken_methods: dict[str, set[str]] = defaultdict(set)
        for tag, path, method, op, item in found:
            module = modules[tag]
            if tag not in module_tags[module]:
                module_tags[module].append(tag)
            pointer = f"/paths/{escape(path)}/{method}"
            main = self.operation(op, item, method, path, pointer, module,
                                  taken_functions[module], taken_methods[module])
            twins = self.twins(op, main, pointer, taken_functions[module], taken_methods[module])
            if twins:
                main = replace(main, forms=tuple((t.body.content_type, t.method_name,
                                                  t.function_name) for t in twins if t.body))
            buckets[module] += [main, *twins]
        out: list[Group] = []
        for module in sorted(buckets):
            description = next((d for t in sorted(module_tags[module])
                                if (d := _text(tag_info.get(t, {}).get("description")))), None)
            out.append(Group(module=module, attr=module,
                             class_name=_resource_class(module, class_names),
                             description=description,
                             operations=_no_method_named_list(buckets[module])))
        return tuple(out)

    def operation(self, op: dict[str, Any], item: dict[str, Any], method: str, path: str,
                  pointer: str, module: str, functions: set[str], methods: set[str]) -> Operation:
        op_id = str(op.get("operationId") or f"{method} {path}")
        function = snake(op_id)
        if function in _VERBS:
            function = f"{function}_{module}"
        wanted = identifier(function, FUNCTION_RESERVED)
        # The answer decides the function's family (a file adds `_stream` twins); what reading
        # it warns about is reported after the parameters and the body, in reading order.
        mark = len(self.warnings)
        answer = self.response(op, pointer)
        answer_warnings = self.warnings[mark:]
        del self.warnings[mark:]
        function = _function_name(wanted, functions, binary=answer.raw == "bytes")
        if function not in (wanted, f"op_{wanted}"):
            self.warn(pointer, f"the function name {wanted!r} (from operationId {op_id!r}) is "
                      f"already taken by another operation in api/{module}.py",
                      f"named {function!r}")
        chosen = op.get("x-python-name")
        method_name = identifier(snake(str(chosen or _short_name(function, module))),
                                 METHOD_RESERVED)
        if not chosen and method_name in methods:
            # Two operations shorten to one name (`list_key_assignments` for both
            # /guardrails/assignments/keys and /guardrails/{id}/assignments/keys): the later one
            # keeps its whole function name rather than a numbered copy of the other's.
            method_name = identifier(function, METHOD_RESERVED)
        method_name = unique(method_name, methods)
        params = self.params(op, item, path, pointer)
        body = self.body(op, pointer)
        self.warnings.extend(answer_warnings)
        rtype, chunk, raw = answer.body, answer.chunk, answer.raw
        flag = op.get("x-stream-flag")
        if flag and chunk is None:
            self.warn(pointer, "x-stream-flag set but no text/event-stream response",
                      "generated without streaming")
        stream = None
        if chunk is not None and rtype is None and raw is None:
            stream = Stream(None, chunk)  # only an event stream is declared: always streams
        elif chunk is not None:
            flag = flag or _stream_switch(body)
            if flag:
                stream = Stream(str(flag), chunk)
            else:
                self.warn(pointer, "an event stream and another answer are declared, but the body "
                          "has no boolean `stream` field (nor x-stream-flag) to choose",
                          "generated without streaming")
        auth = operation_auth(self.doc, op, self.default_auth)
        return Operation(
            function_name=function, method_name=method_name, http_method=method.upper(),
            path=path, summary=_text(op.get("summary")), description=_text(op.get("description")),
            params=tuple(_unique_params(params)), body=body, response=rtype, stream=stream,
            deprecated=bool(op.get("deprecated")), operation_id=op_id, raw_response=raw,
            accept=answer.accept,
            auth="default" if auth == self.default_auth else auth,
            error_is_data=declares_error(rtype, self.models),
        )


    def twins(self, op: dict[str, Any], main: Operation, pointer: str, functions: set[str],
              methods: set[str]) -> list[Operation]:
        """The forms of an operation whose body may go as JSON or as a form: one twin per form
        encoding declared beside the JSON its method sends, `<function>_multipart` and
        `<method>_multipart` (`_form` for `application/x-www-form-urlencoded`), taking that
        form's fields (OpenRouter's transcriptions take base64 audio as JSON, or a file upload).
        The answer is the same; the stream switch only where the form has the field."""
        if main.body is None or main.body.encoding != "json":
            return []
        out: list[Operation] = []
        seen: set[str] = set()
        for ctype in _media(as_mapping(self.resolve(op.get("requestBody"))).get("content")):
            body = self.body(op, pointer, ctype)
            if body is None or body.encoding not in ("multipart", "form") or not body.fields \
                    or body.encoding in seen:
                continue
            seen.add(body.encoding)
            wanted = identifier(f"{main.function_name}_{body.encoding}", FUNCTION_RESERVED)
            function = _function_name(wanted, functions, binary=main.raw_response == "bytes")
            method = unique(identifier(f"{main.method_name}_{body.encoding}", METHOD_RESERVED),
                            methods)
            stream = main.stream
            if stream is not None and stream.flag is not None and \
                    all(f.json_name != stream.flag for f in body.fields):
                stream = None
            out.append(replace(main, function_name=function, method_name=method, body=body,
                               stream=stream))
        return out


_SSE_FIELDS = frozenset({"data", "event", "id", "retry"})


@dataclass(frozen=True)
class _Answer:
    """What an operation's success responses declare (see `_Builder.response`)."""

    body: TypeRef | None
    chunk: TypeRef | None
    raw: Literal["text", "bytes"] | None
    accept: str | None


def _is_json(media_type: str) -> bool:
    """`application/json`, `+json` suffixes and other JSON media types (`...json; version=2`)."""
    return "json" in media_type.partition(";")[0].lower()


def _stream_switch(body: Body | None) -> str | None:
    """The body field that switches the answer to an event stream: a boolean named `stream`."""
    for f in body.fields if body is not None else ():
        core = f.type.inner if isinstance(f.type, Nullable) else f.type
        if f.json_name == "stream" and core in (Prim("bool"), Lit((True,)), Lit((False,))):
            return f.json_name
    return None


def _template_names(path: str) -> list[str]:
    """The `{name}`s of a path template, in order, each once."""
    return list(dict.fromkeys(re.findall(r"\{([^{}]+)\}", path)))


def _media(content: Any) -> dict[str, dict[Any, Any]]:
    """An operation's `content` by media type, each media object a mapping (empty if it is not)."""
    return {str(k): as_mapping(v) for k, v in as_mapping(content).items()}


def _text(value: Any) -> str | None:
    """Prose from the spec as text (a number or a list where prose belongs is shown as written)."""
    return None if value is None or value == "" else str(value)


def _tag_of(op: dict[str, Any], path: str) -> str:
    tags = op.get("tags")
    if isinstance(tags, list) and tags:
        return str(tags[0])
    return next((seg for seg in path.split("/") if seg and "{" not in seg), "default")


def _module_names(tags: list[str], tag_info: dict[str, Any]) -> dict[str, str]:
    """The module name of each tag (`api/<module>.py`, also the client attribute); tags whose
    names spell the same words share it."""
    out: dict[str, str] = {}
    for tag in tags:
        wanted = tag_info.get(tag, {}).get("x-python-name")
        name = snake(str(wanted)) if wanted else tag_snake(tag)
        out[tag] = identifier(name, CLIENT_ATTRIBUTES)
    return out


def _resource_class(module: str, taken: set[str]) -> str:
    """`<Module>Resource`, unless it (or its Async / WithRawResponse / WithStreamingResponse
    forms) names a model or another group's class (all are imported into `_client.py`); records
    the forms."""
    base, n = pascal(module) + "Resource", 1
    while True:
        name = base if n == 1 else f"{base}{n}"
        forms = {f"{prefix}{name}{suffix}" for prefix in ("", "Async")
                 for suffix in ("", "WithRawResponse", "WithStreamingResponse")}
        if not forms & taken:
            taken.update(forms)
            return name
        n += 1


def declares_error(t: TypeRef | None, models: dict[str, Model],
                   seen: frozenset[str] = frozenset()) -> bool:
    """Whether a success body of type ``t`` may be an object that declares an ``error`` property
    (itself, or one of its union's forms; through aliases and nullables): then a body with
    ``error`` is the documented answer (a failed Responses object, a job that ended in error),
    not the API's error object sent with HTTP 200."""
    if isinstance(t, Nullable):
        return declares_error(t.inner, models, seen)
    if isinstance(t, UnionOf):
        return any(declares_error(o, models, seen) for o in t.options)
    if not isinstance(t, Named) or t.name in seen:
        return False
    model, seen = models.get(t.name), seen | {t.name}
    if isinstance(model, ObjectModel):
        return any(f.json_name == "error" for f in model.fields)
    if isinstance(model, UnionModel):
        return any(declares_error(o, models, seen) for o in model.options)
    return isinstance(model, AliasModel) and declares_error(model.target, models, seen)


def _mentions_list(t: TypeRef | None) -> bool:
    if isinstance(t, ListOf):
        return True
    if isinstance(t, (MapOf, Nullable)):
        return _mentions_list(t.value if isinstance(t, MapOf) else t.inner)
    return isinstance(t, UnionOf) and any(_mentions_list(o) for o in t.options)


def _no_method_named_list(ops: list[Operation]) -> tuple[Operation, ...]:
    """Rename a `list` method when a method after it in its class is annotated with `list[...]`
    (from there on in the class body, the name means the method, not the builtin)."""
    names = [op.method_name for op in ops]
    if "list" not in names or not any(
            _mentions_list(op.response) or (op.stream and _mentions_list(op.stream.chunk))
            for op in ops[names.index("list") + 1:]):
        return tuple(ops)
    taken = set(names)
    return tuple(replace(op, method_name=unique("list_", taken)) if op.method_name == "list"
                 else op for op in ops)


def _api_module_names() -> set[str]:
    # Module-level helpers every api module defines.
    return {"_decode_none"}


def _function_name(wanted: str, taken: set[str], *, binary: bool = False) -> str:
    """A function name whose whole family (`_async`, `_raw`, `_raw_async`, `_x_options`, decoders;
    `_stream` and `_stream_async` for an answer that is a file) is free in its module; records
    the family."""
    if wanted.startswith("union_"):
        wanted = f"op_{wanted}"  # `_decode_union_*` names the module's union decoders
    n = 1
    while True:
        name = wanted if n == 1 else f"{wanted}_{n}"
        family = {name, f"{name}_async", f"{name}_raw", f"{name}_raw_async", f"_{name}_options",
                  f"_decode_{name}", f"_decode_{name}_chunk", f"_decode_{name}_event",
                  f"_{name}_EVENTS"}
        if binary:
            family |= {f"{name}_stream", f"{name}_stream_async"}
        if not family & taken:
            taken.update(family)
            return name
        n += 1


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


def _unique_params(params: list[Param]) -> list[Param]:
    """Parameters named as the call needs them: path parameters first keep their names; a later
    one whose name is taken becomes `<location>_<name>` (`query_id` beside a path `id`). Body
    fields yield to all of them (render/api.py names a colliding one `body_<name>`)."""
    taken = set(PARAM_RESERVED)
    out = []
    for p in params:
        name = identifier(p.py_name, PARAM_RESERVED)
        if name in taken:
            name = identifier(f"{p.location}_{name}", PARAM_RESERVED)
        name = unique(name, taken)
        out.append(p if name == p.py_name else replace(p, py_name=name))
    return out


def build_groups(document: dict[str, Any], names: dict[str, str],
                 models: tuple[Model, ...]) -> tuple[tuple[Group, ...], tuple[Diagnostic, ...]]:
    """Group every operation of `document` by tag, typed with the model names from the schema stage."""
    builder = _Builder(document, names, {m.name: m for m in models})
    groups = builder.groups()
    return groups, tuple(builder.warnings)
