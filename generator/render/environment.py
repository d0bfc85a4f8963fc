"""The Jinja environment shared by every template, with the filters that make spec text safe as code."""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def py_literal(value: object) -> str:
    """A Python literal for a JSON scalar; strings always double-quoted so black leaves them be."""
    if isinstance(value, str):
        # JSON string escapes are all valid Python escapes; non-ASCII stays readable unless it cannot be
        # written as UTF-8 (lone surrogates) or would read as a line break to some tools.
        text = json.dumps(value, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = json.dumps(value)
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'  # inf, -inf and nan have no literal
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    raise TypeError(f"not a JSON scalar: {type(value).__name__}")


def docstring(text: object, indent: int = 0) -> str:
    """Spec prose as the body of a triple-quoted docstring: no escape, quote or control char survives."""
    if not text:
        return ""
    value = _CONTROL.sub(" ", str(text)).replace("\r\n", "\n").replace("\r", "\n").strip()
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
    return _CONTROL.sub(" ", str(text or "")).replace("\n", " ").replace("\r", " ").strip()


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
    return env
