"""The IR between the model and render stages: plain frozen dataclasses, no OpenAPI dicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from openrouter_codegen.client.model.auth import BEARER, Auth

JSONScalar = str | int | float | bool | None
PrimKind = Literal["str", "int", "float", "bool", "any", "none"]


@dataclass(frozen=True)
class Prim:
    """A JSON scalar (or any JSON value): passed through unchanged on decode and encode."""

    kind: PrimKind


@dataclass(frozen=True)
class ListOf:
    """A JSON array whose items have one type."""

    item: TypeRef


@dataclass(frozen=True)
class MapOf:
    """A JSON object used as a map (`additionalProperties`) with typed values."""

    value: TypeRef


@dataclass(frozen=True)
class Named:
    """A reference to a generated model, enum, union or alias by its Python name."""

    name: str


@dataclass(frozen=True)
class Lit:
    """A `const` or single-value enum: kept as the plain JSON value."""

    values: tuple[JSONScalar, ...]


@dataclass(frozen=True)
class UnionOf:
    """An inline union (`anyOf`/`oneOf` without a name of its own), options in order."""

    options: tuple[TypeRef, ...]


@dataclass(frozen=True)
class Nullable:
    """`inner` or JSON `null` (None)."""

    inner: TypeRef


TypeRef = Prim | ListOf | MapOf | Named | Lit | UnionOf | Nullable


def union_of(options: list[TypeRef]) -> TypeRef:
    """One type for `options`: nested unions flattened, duplicates dropped, `null` made `Nullable`."""
    flat: list[TypeRef] = []
    for option in options:
        for o in (option.options if isinstance(option, UnionOf) else (option,)):
            if o not in flat:
                flat.append(o)
    nullable = Prim("none") in flat
    flat = [o for o in flat if o != Prim("none")]
    core: TypeRef = flat[0] if len(flat) == 1 else UnionOf(tuple(flat)) if flat else Prim("none")
    return Nullable(core) if nullable and flat else core


@dataclass(frozen=True)
class Field:
    """One property of an object model."""

    py_name: str
    json_name: str
    type: TypeRef
    required: bool
    description: str | None = None
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    default: str | None = None  # the spec's `default`, as JSON text (for docstrings)


@dataclass(frozen=True)
class ObjectModel:
    """An object schema: becomes a dataclass with generated decode/encode."""

    name: str
    description: str | None
    fields: tuple[Field, ...]
    additional: TypeRef | None = None  # typed `additionalProperties` values, if any


@dataclass(frozen=True)
class EnumModel:
    """An enum schema: becomes an open enum (unknown values stay plain str/int)."""

    name: str
    description: str | None
    members: tuple[tuple[str, str | int | float], ...]  # (member name, JSON value; bool is an int)
    # JSON classes of items that are no members (`null`, objects, arrays): values of those classes
    # are allowed and kept as sent.
    also: tuple[Literal["null", "object", "array"], ...] = ()


@dataclass(frozen=True)
class Discriminator:
    """The tag of a tagged union: which property to read and which model each value picks."""

    property: str  # JSON name of the tag property
    mapping: tuple[tuple[str, str], ...]  # (tag value, model name)


@dataclass(frozen=True)
class UnionModel:
    """A union schema: tagged when `discriminator` is set, else decoded by shape."""

    name: str
    description: str | None
    options: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None


@dataclass(frozen=True)
class AliasModel:
    """A named schema that is only another type (an array, a map, a scalar)."""

    name: str
    description: str | None
    target: TypeRef


Model = ObjectModel | EnumModel | UnionModel | AliasModel


@dataclass(frozen=True)
class Param:
    """A path, query, header or cookie parameter of an operation."""

    py_name: str
    name: str
    location: Literal["path", "query", "header", "cookie"]
    type: TypeRef
    required: bool
    description: str | None = None
    explode: bool = True
    style: str = "form"  # form, simple, spaceDelimited or pipeDelimited (how an array is joined)
    default: str | None = None  # the schema's `default`, as JSON text (for docstrings)


@dataclass(frozen=True)
class Body:
    """A request body. `fields` is set when the body is an object flattened into keyword arguments."""

    content_type: str
    type: TypeRef
    required: bool
    model: str | None  # the object model behind it, when flattened
    fields: tuple[Field, ...] = ()
    description: str | None = None
    # JSON names of the fields that are files (binary strings) in a multipart body.
    binary_fields: tuple[str, ...] = ()

    @property
    def encoding(self) -> str:
        """How the body goes on the wire: `json`, `form`, `multipart` or `raw` (bytes as given)."""
        media = self.content_type.partition(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            return "form"
        if media.startswith("multipart/"):
            return "multipart"
        if media.endswith("json") or media == "*/*":
            return "json"
        return "raw"


@dataclass(frozen=True)
class Stream:
    """An operation that answers with server-sent events: when the body field `flag` is true, or
    always (`flag` None: the spec declares no JSON answer)."""

    flag: str | None
    chunk: TypeRef


@dataclass(frozen=True)
class Operation:
    """One endpoint: its function, resource method, HTTP request and response."""

    function_name: str  # module-level endpoint function, e.g. `list_api_keys`
    method_name: str  # resource method, e.g. `list`
    http_method: str
    path: str
    summary: str | None
    description: str | None
    params: tuple[Param, ...]
    body: Body | None
    response: TypeRef | None  # the success body type; None for no content
    stream: Stream | None
    deprecated: bool = False
    operation_id: str = ""
    # How a success body that is not JSON is returned: `str` for `text/*`, else `bytes`.
    raw_response: Literal["text", "bytes"] | None = None
    # The Accept header the declared success media types make; None: the client's JSON default.
    accept: str | None = None
    # The success body declares an `error` property (a Responses object's `error`, a job's
    # `error` text): a 2xx JSON body carrying `error` is that answer, not an API error raised.
    error_is_data: bool = False
    # Where this operation's key goes when not where the client's default puts it (None: no
    # credential); "default" when it is the client's.
    auth: Auth | None | Literal["default"] = "default"
    # The twins sending the same request as a form instead of JSON: (media type, method name,
    # function name) of each.
    forms: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Group:
    """One tag: a module `api/<module>.py` and a resource namespace `client.<attr>`."""

    module: str
    attr: str
    class_name: str
    description: str | None
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class ClientConfig:
    """What the package and its client are called and where they point by default."""

    package: str
    client_name: str
    api_key_env: str
    log_env: str
    default_base_url: str
    attribution_headers: tuple[tuple[str, str], ...]
    title: str
    version: str
    description: str | None
    auth: Auth = BEARER  # where the key goes by default


@dataclass(frozen=True)
class ClientIR:
    """Everything the templates render: the client's settings, its models and its groups."""

    config: ClientConfig
    models: tuple[Model, ...]
    groups: tuple[Group, ...]
