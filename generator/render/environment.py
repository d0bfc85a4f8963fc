"""The Jinja environment shared by every template, with the filters that make spec text safe as code."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _printable(text: str, keep: str, replace: Callable[[str], str]) -> str:
    """`text` with every character `str.isprintable` rejects but those in `keep` replaced: controls,
    C1 controls like NEL, line and paragraph separators, format characters, surrogates. Python's
    tokenizer (and black) split lines at some of them, so raw in a comment or a string literal
    they could start a line of code."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else replace(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _space(char: str) -> str:
    return " "


def py_literal(value: object) -> str:
    """A Python literal for a JSON scalar; strings always double-quoted so black leaves them be."""
    if isinstance(value, str):
        # JSON string escapes are all valid Python escapes; non-ASCII stays readable, except what is
        # not printable (a line break to Python's tokenizer, a lone surrogate, ...): escaped.
        text = json.dumps(value, ensure_ascii=False)
        return _printable(text, "", _escape)
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'  # inf, -inf and nan have no literal
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    raise TypeError(f"not a JSON scalar: {type(value).__name__}")


def docstring(text: object, indent: int = 0) -> str:
    """Spec prose as the body of a triple-quoted docstring: no escape, quote or control char survives."""
    if not text:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    value = _printable(value, "\n", _space).strip()
    value = value.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    pad = " " * indent
    value = "\n".join((pad + line).rstrip() if i else line.rstrip()
                      for i, line in enumerate(value.split("\n")))
    # A quote right before the closing quotes would end the docstring early: escape it (unless
    # it is escaped already, i.e. an odd run of backslashes precedes it).
    if value.endswith('"') and (len(value[:-1]) - len(value[:-1].rstrip("\\"))) % 2 == 0:
        value = value[:-1] + '\\"'
    return value


def comment(text: object) -> str:
    """Spec prose as a single safe comment line."""
    return _printable(str(text or ""), "", _space).strip()


def py_repr(value: object) -> str:
    """A Python literal for a str or int: `repr` (always a safe literal), in black's quotes."""
    if not isinstance(value, (str, int)):
        raise TypeError(f"refusing to render {type(value).__name__} as a Python literal")
    literal = repr(value)
    # repr picks single quotes unless the text holds one; black wants double quotes wherever
    # that adds no escapes, i.e. whenever the text has no double quote.
    if isinstance(value, str) and literal[0] == "'" and '"' not in value:
        return f'"{literal[1:-1]}"'
    return literal


def doc_text(value: str) -> str:
    """Text safe inside a triple-quoted docstring: quotes, backslashes, controls escaped."""
    return json.dumps(str(value))[1:-1]


@cache
def environment() -> jinja2.Environment:
    """The shared environment: strict undefined names, no autoescape (we emit Python, not HTML)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["py"] = py_literal
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    # The runtime templates' filters: literals of context values, and text inside docstrings.
    env.filters["pyrepr"] = py_repr
    env.filters["doctext"] = doc_text
    return env
