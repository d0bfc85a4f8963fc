"""Hostile OpenAPI documents, built in code so every odd string is spelled out where it is used.

- `names_document`: schema, property, parameter, tag and operation names that are Python keywords,
  builtins, dunders, names the generated modules use, digit-led, empty, unicode, or that collide after
  snake-casing; enum values and descriptions full of quotes, backslashes, newlines and Jinja syntax.
- `injection_document`: code in every string field of the document, each payload trying to break
  out of a string literal, docstring, comment or template and set the `INJECTED` variable.
- `chains_document`: 1,000-deep `$ref` chains (aliases and arrays) next to reference cycles.
"""

from __future__ import annotations

from typing import Any

# Every name shape that has broken a generator somewhere.
HOSTILE_NAMES = [
    "class", "None", "True", "def", "match", "case", "type", "_", "str", "list", "dict", "Any",
    "object", "field", "ClassVar", "frozenset", "Literal", "TypeAlias", "dataclass", "Enum",
    "StrEnum", "IntEnum", "Mapping", "Sequence", "NotGiven", "RequestOptions", "APIResponse",
    "Stream", "cast", "overload", "replace", "__init__", "__class__", "__dict__", "1abc", "123", "",
    " ", "Ünïcödé", "名前", "😀", "foo-bar", "foo_bar", "FooBar", "fooBar", "extra", "from_json",
    "to_json", "_json_keys", "self", "cls", "get", "v", "out", "query", "headers", "body",
    "cookie", "options", "content", "content_type", "client", "timeout", "extra_body", "stream",
    "isinstance", "_m", "_encode", "annotations", "print", "models", "api", "with_raw_response",
    "request", "close", "_decode_none", "union_x", "\x85", "a\u2028b",
]
NASTY_TEXT = ('a """ b \'\'\' c \\ d "e" \n f {{ g }} {% h %} {# i #} \r\n j \u2028 k \x00 l \x85 m '
              '\x0c n \\')
ENUM_VALUES = ['"""', "\\", "'", '"', "\n", "{{ 1 }}", "{% x %}", "", " ", "a-b", "a_b", "None",
               "name", "value", "_missing_", "mro", "1", "é", "e\u0301", "😀", "a²", "ǅ"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")}


def names_document() -> dict[str, Any]:
    """One operation and one schema per hostile name; the `Holder` schema has them all as
    properties (some required), the operation all of them as query parameters."""
    schemas: dict[str, Any] = {}
    for i, name in enumerate(HOSTILE_NAMES):
        following = HOSTILE_NAMES[(i + 1) % len(HOSTILE_NAMES)]
        schemas[name] = {"type": "object", "description": NASTY_TEXT,
                         "properties": {"a": {"type": "string"}, "next": _ref(following)}}
    schemas["Holder"] = {
        "type": "object", "description": NASTY_TEXT,
        "properties": {n: {"type": "string", "description": f"{n} {NASTY_TEXT}"}
                       for n in HOSTILE_NAMES},
        "required": HOSTILE_NAMES[:12],
    }
    schemas["Weird Enum"] = {"type": "string", "enum": ENUM_VALUES, "description": NASTY_TEXT}
    paths: dict[str, Any] = {}
    for i, name in enumerate(HOSTILE_NAMES):
        paths[f"/ops/{i}"] = {"get": {
            "operationId": name or "empty", "tags": [HOSTILE_NAMES[i % 7]],
            "summary": NASTY_TEXT,
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": _ref(name)}}}},
        }}
    paths["/things/{id}"] = {"post": {
        "operationId": "class", "tags": ["def"], "description": NASTY_TEXT,
        "parameters": [{"name": n, "in": "query", "schema": {"type": "string"}}
                       for n in HOSTILE_NAMES]
        + [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
           {"name": "X-Class", "in": "header", "schema": {"type": "string"}},
           {"name": "self", "in": "cookie", "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": _ref("Holder")}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": _ref("Weird Enum")}}}},
    }}
    return {
        "openapi": "3.1.0",
        "info": {"title": NASTY_TEXT, "version": NASTY_TEXT, "description": NASTY_TEXT},
        "tags": [{"name": n, "description": NASTY_TEXT} for n in HOSTILE_NAMES[:7]],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def payloads(marker: str = "INJECTED") -> list[str]:
    """Strings that each try to leave the context they are placed in and run code that sets the
    environment variable `marker`."""
    run = f'__import__("os").environ.setdefault("{marker}", "1")'
    run_single = f"__import__('os').environ.setdefault('{marker}', '1')"
    return [
        f'x"); {run}; ("',
        f"x'); {run_single}; ('",
        f'"""\n{run}\n"""',
        f"'''\n{run_single}\n'''",
        f"\\\n{run}  # a line continuation first",
        f"{{{{ {run} }}}}{{% raw %}}{marker}{{% endraw %}}\r\n{run}",
        f"\u2028{run}\x00",
        f"\x85{run}",  # NEL: a line break to Python's tokenizer, not to str.split("\n")
        f"\x0c{run}\x1e{run}",
        f"{marker}\\",
        f"*/ {run} /*",
        f"\n# comment ends here\n{run}\n",
    ]


def injection_document(marker: str = "INJECTED") -> dict[str, Any]:
    """A document with a payload in every string the generator reads."""
    p = payloads(marker)
    schema_name = p[0]
    props: dict[str, Any] = {
        p[1]: {"type": "string", "description": p[2], "default": p[3], "example": p[4],
               "pattern": p[5], "format": p[6]},
        "kind": {"type": "string", "const": p[7], "title": p[8]},
        "choice": {"type": "string", "enum": p},
        "flag": {"type": "boolean"},
    }
    variant_a, variant_b = p[2], p[3]
    schemas = {
        schema_name: {"type": "object", "description": p[9], "title": p[0], "properties": props,
                      "required": [p[1]]},
        p[4]: {"type": "string", "enum": p, "description": p[5]},
        variant_a: {"type": "object", "properties": {p[6]: {"type": "string", "const": p[7]}},
                    "required": [p[6]]},
        variant_b: {"type": "object", "properties": {p[6]: {"type": "string", "const": p[8]}},
                    "required": [p[6]]},
        p[9]: {"oneOf": [_ref(variant_a), _ref(variant_b)],
               "discriminator": {"propertyName": p[6], "mapping": {
                   p[7]: "#/components/schemas/" + variant_a.replace("~", "~0").replace("/", "~1"),
                   p[8]: "#/components/schemas/" + variant_b.replace("~", "~0").replace("/", "~1"),
               }}},
    }
    path = "/items/{" + p[1] + "}/" + p[0].replace("/", "%2F").replace("{", "(")
    media = 'application/json; x="' + p[2].replace('"', "'") + '"'
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": p[0], "version": p[1], "description": p[2],
            "x-client": {"package": p[3], "class-name": p[4], "api-key-env": p[5],
                         "log-env": p[6], "attribution-headers": {p[7]: p[8], "x-ok": "X-Ok"}},
        },
        "servers": [{"url": p[9], "description": p[0]}],
        "tags": [{"name": p[1], "description": p[2], "x-python-name": p[3]}],
        "paths": {path: {"post": {
            "operationId": p[4], "x-python-name": p[5], "tags": [p[1]], "summary": p[6],
            "description": p[7], "x-stream-flag": "flag",
            "parameters": [
                {"name": p[1], "in": "path", "required": True, "schema": {"type": "string"},
                 "description": p[8]},
                {"name": p[9], "in": "query", "schema": {"type": "array",
                                                          "items": {"type": "string"}}},
                {"name": p[0], "in": "header", "schema": {"type": "string"}},
                {"name": p[2], "in": "cookie", "schema": {"type": "string"}},
            ],
            "requestBody": {"required": True, "description": p[3], "content": {
                media: {"schema": _ref(schema_name)}}},
            "responses": {
                "200": {"description": p[4], "content": {
                    "application/json": {"schema": _ref(p[9])},
                    "text/event-stream": {"schema": _ref(p[4])}}},
                "default": {"description": p[5]},
            },
        }}},
        "components": {"schemas": schemas},
    }
    document["paths"]["/download/" + p[4].replace("/", "%2F").replace("{", "(")] = {"get": {
        "operationId": p[6], "description": p[7],
        "parameters": [{"name": p[8], "in": "query", "schema": {"type": "string", "enum": p}}],
        "responses": {"200": {"description": p[9], "content": {
            'text/plain; x="' + p[0].replace('"', "'") + '"': {"schema": {"type": "string"}}}}},
    }}
    return document


def chains_document(depth: int = 1000) -> dict[str, Any]:
    """`A0 -> ... -> A<depth>` (each an alias of the next) and `L0 -> ...` (each an array of the
    next), plus cycles: three aliases in a ring, a union containing itself, a JSON-value union,
    mutually recursive objects."""
    schemas: dict[str, Any] = {f"A{i}": _ref(f"A{i + 1}") for i in range(depth)}
    schemas[f"A{depth}"] = {"type": "object", "properties": {"leaf": {"type": "string"}}}
    schemas.update({f"L{i}": {"type": "array", "items": _ref(f"L{i + 1}")} for i in range(depth)})
    schemas[f"L{depth}"] = {"type": "string"}
    schemas.update({
        "Ring0": _ref("Ring1"), "Ring1": _ref("Ring2"), "Ring2": _ref("Ring0"),
        "SelfUnion": {"oneOf": [_ref("SelfUnion"), {"type": "string"},
                                {"type": "array", "items": _ref("SelfUnion")}]},
        "Json": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"},
                           {"type": "null"}, {"type": "array", "items": _ref("Json")},
                           {"type": "object", "additionalProperties": _ref("Json")}]},
        "Node": {"type": "object", "properties": {"edges": {"type": "array",
                                                            "items": _ref("Edge")}}},
        "Edge": {"type": "object", "properties": {"to": _ref("Node"), "ring": _ref("Ring0")}},
    })
    ops = {"A": "A0", "L": "L0", "SelfUnion": "SelfUnion", "Json": "Json", "Node": "Node"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Chains", "version": "1"},
        "paths": {f"/{k.lower()}": {"get": {"operationId": f"get{k}", "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": _ref(v)}}}}}}
            for k, v in ops.items()},
        "components": {"schemas": schemas},
    }
