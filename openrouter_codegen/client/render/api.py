"""Render one `api/<group>.py` module: endpoint functions (sync, async, raw) and resource classes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from openrouter_codegen.client.model.ir import (
    AliasModel,
    Body,
    EnumModel,
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
    TypeRef,
    UnionModel,
    UnionOf,
)
from openrouter_codegen.client.model.naming import PARAM_RESERVED, identifier, snake, unique
from openrouter_codegen.client.render.docstrings import ArgNote, endpoint_doc, type_doc
from openrouter_codegen.client.render.environment import environment, py_literal
from openrouter_codegen.client.render.expressions import Expressions, union_parts
from openrouter_codegen.client.render.format import LINE_LENGTH
from openrouter_codegen.client.render.imports import IMPORTS_MARK, module_names, with_imports
from openrouter_codegen.client.render.models import tagged_objects, union_decoder
from openrouter_codegen.client.render.paging import PageView, page_view
from openrouter_codegen.client.render.params import Hints, ParamTypes


@dataclass(frozen=True)
class Arg:
    """One keyword argument of an endpoint: its Python name, annotation and default."""

    name: str
    hint: str
    default: str | None  # None: required

    @property
    def declaration(self) -> str:
        """The parameter as written in a signature: `name: hint` and its default."""
        return f"{self.name}: {self.hint}" + (f" = {self.default}" if self.default else "")

    def declared_at(self, indent: int) -> str:
        """The declaration as one line of a signature exploded one parameter a line at `indent`.

        When that line is too long and the annotation is a union, black wraps the annotation in
        parentheses; `ruff format` keeps parentheses but does not add them. Writing them exactly where
        black would (tests/generator/test_formatters.py) makes the two agree.
        """
        if indent + len(self.declaration) + 1 <= LINE_LENGTH or len(union_parts(self.hint)) < 2:
            return self.declaration
        return replace(self, hint=f"({self.hint})").declaration


@dataclass(frozen=True)
class OperationView:
    """One operation as the api templates render it."""

    fn: str
    method: str
    doc: str
    args: tuple[Arg, ...]  # path, query, header, cookie, then body fields; not the stream flag
    returns: str
    options: tuple[str, ...]  # statements building `options` (the RequestOptions)
    decoder: str  # name of the response decoder
    decoder_body: str | None  # expression of a locally defined decoder (None: decoder is a model's)
    decoder_check: str | None  # its first statement: the body's top-level JSON class is checked
    decoder_typed: bool  # its body already has the return type (a model's from_json): no cast
    stream_flag: Arg | None
    stream_chunk: str | None  # chunk annotation
    chunk_decoder: str | None
    chunk_decoder_body: str | None
    always_stream: bool = False  # the spec declares only an event stream: every call streams
    # `event:` name -> model, for chunks of a tagged union whose data may lack the tag
    events: tuple[tuple[str, str], ...] = ()
    event_tag: str | None = None
    raw_doc: str = ""  # the docstring of the `with_raw_response` method
    # The answer is a file (bytes): `with_streaming_response` has a method returning it as a
    # BinaryStream; its docstrings (sync, async).
    binary: bool = False
    binary_docs: tuple[str, str] = ("", "")
    page: PageView | None = None  # set for a list that pages by `offset` and `limit`
    fn_docs: tuple[str, str] = ("", "")  # the module-level functions' (sync, async)


def _path_expr(op: Operation, params: dict[str, Param]) -> str:
    pieces: list[str] = []
    rest = op.path
    while "{" in rest:
        head, _, tail = rest.partition("{")
        name, _, rest = tail.partition("}")
        if head:
            pieces.append(py_literal(head))
        param = params.get(name)
        pieces.append(f"_path_value({param.py_name})" if param else py_literal("{" + name + "}"))
    if rest or not pieces:
        pieces.append(py_literal(rest))
    return " + ".join(pieces)


def operation_view(op: Operation, ex: Expressions, hints: Hints) -> OperationView:
    """Everything the template needs for one operation, with names made unique and safe."""
    args: list[Arg] = []
    notes: dict[str, ArgNote] = {}  # by argument name: what the docstring says of it
    lines: list[str] = []
    by_wire = {p.name: p for p in op.params if p.location == "path"}
    for p in op.params:
        notes[p.py_name] = ArgNote(p.description or type_doc(p.type, ex.models), p.default)
        hint = hints.argument(p.type)
        args.append(Arg(p.py_name, hint if p.required else f"{hint} | NotGiven",
                        None if p.required else "NOT_GIVEN"))
    query = [p for p in op.params if p.location == "query"]
    body = op.body
    content_header = body is not None and body.encoding == "json" and \
        body.content_type.partition(";")[0].strip().lower() != "application/json"
    headers = [p for p in op.params if p.location in ("header", "cookie")]
    # Locals start with `_`: a spec name, made an identifier, never does, so none can shadow them.
    lines.append("_query: dict[str, Any] = {}" if query else "_query = None")
    for p in query:
        stmt = f"_query.update(_deep_object({py_literal(p.name)}, {p.py_name}))" \
            if p.style == "deepObject" else f"_query[{py_literal(p.name)}] = {_param_value(p)}"
        lines.append(stmt if p.required else f"if not isinstance({p.py_name}, NotGiven):\n    {stmt}")
    has_headers = bool(headers) or content_header or op.accept is not None
    lines.append("_headers: dict[str, str] = {}" if has_headers else "_headers = None")
    accept_at = len(lines)  # the Accept line goes here once the stream flag is known
    if content_header and body is not None:
        lines.append(f'_headers["Content-Type"] = {py_literal(body.content_type)}')
    cookies = [p for p in headers if p.location == "cookie"]
    for p in headers:
        if p.location == "cookie":
            continue
        stmt = f"_headers[{py_literal(p.name)}] = str({_param_value(p)})"
        lines.append(stmt if p.required else f"if not isinstance({p.py_name}, NotGiven):\n    {stmt}")
    if cookies:
        lines.append("_cookie: list[str] = []")
        for p in cookies:
            stmt = f"_cookie.append({py_literal(p.name + '=')} + str({_param_value(p)}))"
            lines.append(stmt if p.required else
                         f"if not isinstance({p.py_name}, NotGiven):\n    {stmt}")
        lines.append('if _cookie:\n    _headers["Cookie"] = "; ".join(_cookie)')

    stream_flag: Arg | None = None
    body_expr = "NOT_GIVEN"
    # The argument taking a whole (not flattened) body: `body`, unless a parameter is so named.
    arg_names = {a.name for a in args}
    whole = "body" if "body" not in arg_names else unique("request_body", arg_names)
    if body is not None and body.fields:
        taken = {a.name for a in args} | (PARAM_RESERVED - {"stream"})
        lines.append("_body: dict[str, Any] = {}")
        for f in body.fields:
            if f.read_only:
                continue
            name = identifier(body_arg_name(f), PARAM_RESERVED - {"stream"})
            if name in taken:  # a parameter has it: the path/query/header argument keeps it
                name = identifier(f"body_{name}", PARAM_RESERVED)
            name = unique(name, taken)
            notes[name] = ArgNote(f.description or type_doc(f.type, ex.models), f.default)
            if op.stream is not None and f.json_name == op.stream.flag:
                stream_flag = Arg(name, "bool | NotGiven", "NOT_GIVEN")
                lines.append(f"if not isinstance({name}, NotGiven):\n"
                             f"    _body[{py_literal(f.json_name)}] = {name}")
                continue
            binary = f.json_name in body.binary_fields
            hint = _file_hint(f.type) if binary else hints.argument(f.type)
            required = f.required and not _has_const(f)
            args.append(Arg(name, hint if required else f"{hint} | NotGiven",
                            None if required else "NOT_GIVEN"))
            value = ex.encode(f.type, name)
            if binary:  # files go as given; a sequence of them as a list, one part each
                value = f"list({name})" if hint.startswith("Sequence[") else name
            stmt = f"_body[{py_literal(f.json_name)}] = {value}"
            lines.append(stmt if required else f"if not isinstance({name}, NotGiven):\n    {stmt}")
        body_expr = "_body"
    elif body is not None and body.encoding == "raw":
        notes[whole] = ArgNote(body.description or f"The `{body.content_type}` body.", None)
        args.append(Arg(whole, "bytes | str" if body.required else "bytes | str | NotGiven",
                        None if body.required else "NOT_GIVEN"))
        body_expr = whole
    elif body is not None:
        notes[whole] = ArgNote(body.description or "The request body.", None)
        hint = hints.argument(body.type)
        args.append(Arg(whole, hint if body.required else f"{hint} | NotGiven",
                        None if body.required else "NOT_GIVEN"))
        body_expr = f"_encode({whole})" if body.required else \
            f"NOT_GIVEN if isinstance({whole}, NotGiven) else _encode({whole})"
    content_args = ""
    if body is not None and body.encoding != "json":
        # Not JSON: the endpoint encodes the body itself (extra_body joins a form's fields).
        lines.extend(_encode_content(body, "_body" if body.fields else whole))
        body_expr = "NOT_GIVEN"
        content_args = "    content=_content,\n    content_type=_content_type,\n"
    if op.accept is not None:
        stmt = f'_headers["Accept"] = {py_literal(op.accept)}'
        # A streamed call asks for the event stream (the client sets that Accept itself).
        lines.insert(accept_at, stmt if stream_flag is None else
                     f"if {stream_flag.name} is not True:\n    {stmt}")
    raw_arg = f"    raw_response={py_literal(op.raw_response)},\n" if op.raw_response else ""
    if op.error_is_data:
        raw_arg += "    error_is_data=True,\n"  # `error` in a success body is the answer's
    if op.auth is None:
        raw_arg += "    auth=None,\n"  # the operation takes no credential
    elif op.auth != "default":
        placement = ", ".join(py_literal(v) for v in (op.auth.location, op.auth.name,
                                                          op.auth.prefix))
        raw_arg += f"    auth=({placement}),\n"
    always_stream = op.stream is not None and op.stream.flag is None
    if always_stream:
        raw_arg += "    stream=True,\n"
    lines.append(
        "options = RequestOptions(\n"
        f"    method={py_literal(op.http_method)},\n"
        f"    path={_path_expr(op, by_wire)},\n"
        "    query=_query,\n"
        f"    json_body={body_expr},\n"
        "    headers=_headers,\n"
        "    extra_headers=extra_headers,\n"
        "    extra_query=extra_query,\n"
        f"    extra_body={'None' if content_args else 'extra_body'},\n"
        f"{content_args}"
        "    timeout=timeout,\n"
        "    max_retries=max_retries,\n"
        f"{raw_arg}"
        ")"
    )
    # Required arguments first keeps each signature readable; all are keyword-only.
    args.sort(key=lambda a: a.default is not None)

    returns, decoder, decoder_body = _decoder(op.response, ex, f"_decode_{op.function_name}")
    check = _shape_check(op.response, ex.models)
    typed = check is not None and decoder_body is None
    if typed:  # a model's own from_json, called once the check has passed
        decoder, decoder_body = f"_decode_{op.function_name}", f"{decoder}(data)"
    if op.raw_response is not None:
        returns = "str" if op.raw_response == "text" else "bytes"
        decoder, decoder_body = f"_decode_{op.function_name}", "data"
    chunk_hint = chunk_decoder = chunk_body = None
    events: tuple[tuple[str, str], ...] = ()
    tag = None
    if op.stream is not None:
        chunk_hint, chunk_decoder, chunk_body = _decoder(op.stream.chunk, ex,
                                                         f"_decode_{op.function_name}_chunk")
        tag, events = _event_names(op.stream.chunk, ex.models)
    doc = endpoint_doc(op, args, notes, stream_flag, returns, chunk_hint)
    return OperationView(
        fn=op.function_name, method=op.method_name,
        doc=doc, args=tuple(args),
        returns=returns, options=tuple(lines), decoder=decoder, decoder_body=decoder_body,
        decoder_check=check, decoder_typed=typed,
        stream_flag=stream_flag, stream_chunk=chunk_hint, chunk_decoder=chunk_decoder,
        chunk_decoder_body=chunk_body, always_stream=always_stream, events=events,
        event_tag=tag,
        raw_doc=endpoint_doc(op, args, notes, None, returns, None, raw=True),
        binary=op.raw_response == "bytes",
        binary_docs=(endpoint_doc(op, args, notes, None, returns, None, binary="BinaryStream"),
                     endpoint_doc(op, args, notes, None, returns, None,
                                  binary="AsyncBinaryStream")),
        page=page_view(op, ex, doc),
        fn_docs=(endpoint_doc(op, args, notes, stream_flag, returns, chunk_hint,
                              client="SyncAPIClient"),
                 endpoint_doc(op, args, notes, stream_flag, returns, chunk_hint,
                              client="AsyncAPIClient")),
    )


def _event_names(chunk: TypeRef, models: dict[str, Model]) -> tuple[str | None,
                                                                     tuple[tuple[str, str], ...]]:
    """The tag property and (tag value, model) pairs of a chunk that is a tagged union of
    objects: an SSE `event:` name then selects the model where the data carries no tag."""
    union = models.get(chunk.name) if isinstance(chunk, Named) else None
    if not isinstance(union, UnionModel) or union.discriminator is None:
        return None, ()
    pairs = tagged_objects(union, models)
    return (union.discriminator.property, pairs) if pairs else (None, ())


_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def _param_value(p: Param) -> str:
    """The expression for a parameter's wire value: arrays repeat the key (exploded query or cookie
    forms) or are joined (everything else, RFC 6570 `simple` and the delimited styles)."""
    if p.location == "query" and p.explode and p.style in ("form", "deepObject"):
        return f"_query_value({p.py_name})"
    return f"_delimited({p.py_name}, {py_literal(_DELIMITERS.get(p.style, ','))})"


def body_arg_name(f: Field) -> str:
    """The Python name of a body field's argument: the model field's, but a form field named
    with the `[]` array suffix (`timestamp_granularities[]`, dcg's `timestamp_granularities__`)
    takes the name without it."""
    stem = f.json_name.removesuffix("[]")
    return snake(stem) if stem and stem != f.json_name else f.py_name


def _file_hint(t: TypeRef) -> str:
    core = t.inner if isinstance(t, Nullable) else t
    return "Sequence[FileInput]" if isinstance(core, ListOf) else "FileInput"


def _encode_content(body: Body, value: str) -> list[str]:
    """Statements setting `_content` and `_content_type` for a form, multipart or raw body."""
    if body.encoding == "raw":
        media = py_literal(body.content_type)
        encode = f"{value}.encode() if isinstance({value}, str) else {value}"
        if body.required:
            return [f"_content: bytes | None = {encode}", f"_content_type = {media}"]
        return [f"_content: bytes | None = None if isinstance({value}, NotGiven) else ({encode})",
                f"_content_type = {media}"]
    fields = f"{{**{value}, **extra_body}} if extra_body else {value}" if body.fields else \
        f"{{}} if isinstance({value}, NotGiven) else _encode({value})"
    if body.encoding == "form":
        return [f"_content = _form_encode({fields})",
                '_content_type = "application/x-www-form-urlencoded"']
    return [f"_content, _content_type = _multipart_encode({fields})"]


def _has_const(f: Field) -> bool:
    # A required const (e.g. `type: "text"`) has a default; callers need not pass it.
    return isinstance(f.type, Lit) and len(f.type.values) == 1


_KIND_ORDER = ("object", "array", "null")


def _shape_check(t: TypeRef | None, models: dict[str, Model]) -> str | None:
    """`_expect_json(data, ...)` for a body declared as objects or arrays (and null): decoding
    one of another JSON class would fail inside a model or hand back a list typed as one, so it
    is refused with both classes named. Bodies that may be scalars or anything are kept as sent."""
    kinds = _json_kinds(t, models, 0) if t is not None else None
    if not kinds or "scalar" in kinds:
        return None
    return "_expect_json(data, " + ", ".join(py_literal(k) for k in _KIND_ORDER
                                             if k in kinds) + ")"


def _json_kinds(t: TypeRef, models: dict[str, Model], depth: int) -> frozenset[str] | None:
    """The top-level JSON classes a value of `t` may have ("object", "array", "null", "scalar");
    None when it may be anything (an alias chain too deep to follow counts as anything)."""
    if depth > 32:
        return None
    if isinstance(t, Prim):
        return None if t.kind == "any" else frozenset({"null" if t.kind == "none" else "scalar"})
    if isinstance(t, Lit):
        return frozenset("null" if v is None else "scalar" for v in t.values)
    if isinstance(t, ListOf):
        return frozenset({"array"})
    if isinstance(t, MapOf):
        return frozenset({"object"})
    if isinstance(t, Nullable):
        inner = _json_kinds(t.inner, models, depth + 1)
        return None if inner is None else inner | {"null"}
    options: tuple[TypeRef, ...]
    if isinstance(t, UnionOf):
        options = t.options
    else:
        model = models.get(t.name)
        if isinstance(model, ObjectModel):
            return frozenset({"object"})
        if isinstance(model, EnumModel):
            return frozenset({"scalar", *model.also})
        if isinstance(model, AliasModel):
            return _json_kinds(model.target, models, depth + 1)
        if not isinstance(model, UnionModel):
            return None
        options = model.options
    out: frozenset[str] = frozenset()
    for option in options:
        kinds = _json_kinds(option, models, depth + 1)
        if kinds is None:
            return None
        out |= kinds
    return out


def _decoder(t: TypeRef | None, ex: Expressions, name: str) -> tuple[str, str, str | None]:
    if t is None:
        return "None", "_decode_none", None
    if isinstance(t, Named) and isinstance(ex.models.get(t.name), ObjectModel):
        return t.name, f"_m.{t.name}.from_json", None
    return ex.hint(t), name, ex.decode(t, "data")


def render_api_module(group: Group, models: dict[str, Model], title: str,
                      params: ParamTypes) -> str:
    """The source of `api/<group>.py`; its arguments take the request types of `params` too."""
    ex = Expressions(models, prefix="_m.")
    hints = Hints(models, params, ex)
    views = [operation_view(op, ex, hints) for op in group.operations]
    # A paging iterator whose name another operation's method has already is left out.
    methods = {v.method for v in views}
    views = [replace(v, page=None) if v.page and f"iter_{v.method}" in methods else v
             for v in views]
    helpers = []
    done: set[str] = set()
    while set(ex.helpers) - done:
        for name in sorted(set(ex.helpers) - done):
            done.add(name)
            helpers.append(union_decoder(name, ex.helpers[name], ex))
    body = environment().get_template("package/api_module.py.jinja").render(
        title=title, group=group, ops=views, imports=IMPORTS_MARK, decoders=helpers)
    # Model names are read only in annotations here (decoding goes through `_m.`): imported
    # for type checkers only, so a call loads just the models its answer needs (and never the
    # request types).
    owners = {name: "..models" for name, model in models.items()}
    owners.update({name: "..types" for name in [*params.names.values(), "SequenceNotStr"]})
    return with_imports(body, module_names(body), owners, defer_annotations=True,
                        in_subpackage=True)
