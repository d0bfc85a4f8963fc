"""The Jinja environment shared by every template, with the filters that make spec text safe as code."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jinja2

from openrouter_codegen.client.render.expressions import parenthesized
from openrouter_codegen.client.render.format import LINE_LENGTH

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


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
    # A quote right before the closing quotes would end the docstring early, and an escaped one
    # gets a space from black but not from ruff: the last quote is written by its name instead.
    if value.endswith('"'):
        escaped = (len(value[:-1]) - len(value[:-1].rstrip("\\"))) % 2 == 1
        value = value[:-2 if escaped else -1] + "\\N{QUOTATION MARK}"
    # black puts the closing quotes of a multi-line docstring on a line of their own when they would
    # make its last line too long (templates close right after the text); ruff keeps them there.
    if "\n" in value and len(value.rsplit("\n", 1)[1]) + 3 > LINE_LENGTH:
        value += "\n" + pad
    return value


def laid_out(head: str, whole: str, pieces: list[str]) -> str:
    """The string literal `whole` after `head`, laid out as black lays it out, in a way `ruff format`
    keeps too. `pieces` are literals whose implicit concatenation is `whole`'s string.

    A line too long gets the literal in parentheses. When the literal does not fit even there,
    black still wraps it and ruff takes the parentheses off again, so it is cut into `pieces`
    instead, one a line: a layout both keep.
    """
    if len(head) + len(whole) <= LINE_LENGTH:
        return whole
    if 4 + len(whole) <= LINE_LENGTH or len(pieces) < 2:
        return f"(\n    {whole}\n)"
    return "(\n" + "".join(f"    {piece}\n" for piece in pieces) + ")"


def string_line(value: str, head: str) -> str:
    """`value` as a literal after `head` (`NAME: Final = `), laid out by `laid_out`."""
    pieces, current = [], ""
    for char in value:
        if current and len(py_repr(current + char)) > LINE_LENGTH - 4:
            pieces.append(py_repr(current))
            current = ""
        current += char
    pieces.append(py_repr(current))
    return laid_out(head, py_repr(value), pieces)


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
    env.filters["parenthesized"] = parenthesized
    env.filters["string_line"] = string_line
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    # The runtime templates' filters: literals of context values, and text inside docstrings.
    env.filters["pyrepr"] = py_repr
    env.filters["doctext"] = doc_text
    return env


def compile_templates() -> None:
    """Compile every template now; Jinja would compile each on first use (≈ 0.1 s in all)."""
    env = environment()
    for name in env.list_templates(extensions=["jinja"]):
        env.get_template(name)
