"""Python identifiers from spec strings: snake_case, PascalCase, keyword escaping, de-duplication."""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_NOT_WORD = re.compile(r"[^0-9A-Za-z_]")
BUILTINS = frozenset(dir(builtins))
# Names the generated modules import or define at module level (models/, api/*.py, _client.py): a
# model, enum or alias with one of these names would shadow them.
MODULE_NAMES = frozenset({
    "annotations", "dataclass", "field", "Enum", "IntEnum", "StrEnum", "Any", "ClassVar", "Literal",
    "TypeAlias", "Mapping", "Sequence", "replace", "cast", "overload", "AsyncAPIClient",
    "SyncAPIClient", "RequestOptions", "FileInput", "APIResponse", "AsyncStream", "Stream",
    "BinaryStream", "AsyncBinaryStream",
    "NOT_GIVEN", "NotGiven", "Timeout", "TYPE_CHECKING", "_m", "_new", "_encode", "_pick_object",
    "UNSET", "_left_out", "_ALL_SET",
})
MODEL_RESERVED = MODULE_NAMES | BUILTINS
# Names a generated dataclass body uses after its fields are declared (annotations, defaults, the
# decorator of from_json): a field with one of these names would shadow them inside the class.
_CLASS_BODY_NAMES = frozenset({"field", "dataclass", "ClassVar", "frozenset", "classmethod", "dict",
                               "list", "str", "int", "float", "bool", "Any", "Literal"})
# Attribute names our generated model classes define themselves, and the names their bodies use.
FIELD_RESERVED = frozenset({"extra", "from_json", "to_json", "_json_keys", "_json_required",
                            "_unset", "__post_init__"}) | \
    _CLASS_BODY_NAMES
# Keyword arguments every generated endpoint function takes, and the names the function bodies use
# (locals, builtins): a spec parameter or body field with one of these names is escaped.
PARAM_RESERVED = frozenset({"self", "client", "extra_headers", "extra_query", "extra_body", "timeout",
                            "max_retries", "stream", "options", "isinstance", "str", "dict", "list",
                            "replace"})
# Module-level endpoint functions must not shadow a builtin or an import of their module.
FUNCTION_RESERVED = BUILTINS | MODULE_NAMES
# Resource classes define `with_raw_response` (and `with_streaming_response`) next to the endpoint
# methods, and their signatures name these builtins (a method called `object` would shadow the
# `object` of `Mapping[str, object]`).
# `list` is left to callers: it is a common method name and only shadows `list[...]` annotations.
METHOD_RESERVED = frozenset({"with_raw_response", "with_streaming_response", "str", "int", "float",
                             "bool", "bytes", "object", "dict"})
# Attributes of the generated client classes (their base client's API); a resource namespace
# named like one would replace it.
CLIENT_ATTRIBUTES = frozenset({"api_key", "base_url", "timeout", "max_retries", "retry_policy",
                               "with_options", "copy", "close", "aclose", "request", "request_raw",
                               "request_stream", "request_binary"})
# Enum members may not be `_sunder_`/`__dunder__` (Enum reserves them) nor shadow Enum's own API.
ENUM_MEMBER_RESERVED = frozenset({"name", "value", "mro"})


def words(text: str) -> list[str]:
    """Split any spelling (kebab, snake, camel, spaces, unicode) into ASCII words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(ascii_text)


def snake(text: str) -> str:
    """`get-models` -> `get_models`, `apiKeys` -> `api_keys`; a valid, non-keyword identifier."""
    name = "_".join(w.lower() for w in words(text)) or "value"
    return identifier(name)


def tag_snake(text: str) -> str:
    """A tag as a module name: like `snake`, but a one-letter word joins the next one, so
    `OAuth` and `oAuth` are `oauth` (not `o_auth`); `API Keys` -> `api_keys`."""
    parts: list[str] = []
    for word in words(text):
        if parts and len(parts[-1]) == 1 and parts[-1].isalpha():
            parts[-1] += word
        else:
            parts.append(word)
    return identifier("_".join(w.lower() for w in parts) or "value")


def pascal(text: str) -> str:
    """`api keys` -> `ApiKeys`; a valid identifier."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or "Value"
    return identifier(name)


def identifier(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """Make `name` a usable ASCII identifier: no leading digit, not a keyword, not reserved, not dunder.

    Non-ASCII letters are transliterated where they can be (`é` -> `e`) and dropped otherwise: Python
    folds identifiers with NFKC, so two distinct unicode spellings could name the same thing.
    """
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    if not name.isidentifier():
        name = _NOT_WORD.sub("_", name)
    if name[:1].isdigit():
        name = f"n{name}"
    if name.startswith("__"):
        name = name.lstrip("_")
    name = name or "value"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in reserved:
        name = f"{name}_"
    return name


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`, ... whichever is not in `taken`; records the choice."""
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate
