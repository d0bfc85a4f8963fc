"""Python identifiers from spec strings: snake_case, PascalCase, keyword escaping, de-duplication."""

from __future__ import annotations

import keyword
import re
import unicodedata

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# Attribute names our generated model classes define themselves.
FIELD_RESERVED = frozenset({"extra", "from_json", "to_json"})
# Keyword arguments every generated endpoint function takes; a spec parameter with one of these names is
# escaped so it cannot shadow them.
PARAM_RESERVED = frozenset({"self", "client", "extra_headers", "extra_query", "extra_body", "timeout",
                            "max_retries", "stream"})


def words(text: str) -> list[str]:
    """Split any spelling (kebab, snake, camel, spaces, unicode) into ASCII words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(ascii_text)


def snake(text: str) -> str:
    """`get-models` -> `get_models`, `apiKeys` -> `api_keys`; a valid, non-keyword identifier."""
    name = "_".join(w.lower() for w in words(text)) or "value"
    return identifier(name)


def pascal(text: str) -> str:
    """`api keys` -> `ApiKeys`; a valid identifier."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or "Value"
    return identifier(name)


def identifier(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """Make `name` a usable identifier: no leading digit, not a keyword, not reserved, not dunder."""
    if not name.isidentifier():
        name = re.sub(r"\W", "_", name)
    if name[:1].isdigit():
        name = f"n{name}"
    if name.startswith("__"):
        name = name.lstrip("_") or "value"
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
