"""Diagnostics that only carry a JSON pointer get the file and line the pointer names (pure)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import yaml

from openrouter_codegen.common.collector import collector_paused
from openrouter_codegen.common.diagnostics import Diagnostic

# libyaml's composer when PyYAML was built with it (as `yaml_data` reads documents): the same nodes
# and marks as the pure-Python one, about 4x faster, which matters for a whole published API
# (1.3 MB of YAML: ~0.6 s instead of ~2.5 s, once per run that reports a warning).
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def source_lines(text: str) -> dict[str, int]:
    """JSON pointer -> 1-based line of every node of a YAML (or JSON) document's text (under an
    alias, the alias's); empty when the text does not compose (the caller then reports pointers
    without lines)."""
    # Nodes and pointers for the whole text: many objects, none in a cycle (common/collector.py).
    with collector_paused():
        return _source_lines(text)


def _source_lines(text: str) -> dict[str, int]:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}
    seen: set[int] = set()
    stack: list[tuple[str, Any]] = [("", root)]
    while stack:
        pointer, node = stack.pop()
        if node is None:
            continue
        lines.setdefault(pointer, node.start_mark.line + 1)  # a key's own line wins
        if id(node) in seen:
            # An alias: what lies under it is located at the alias's key (walking it again would
            # expand an alias bomb).
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            # Pushed in reverse so they are walked in document order: an anchor is then walked
            # where it is written, before any alias of it.
            for key, value in reversed(node.value):
                token = _escape(str(key.value))
                lines.setdefault(f"{pointer}/{token}", key.start_mark.line + 1)
                stack.append((f"{pointer}/{token}", value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((f"{pointer}/{i}", item) for i, item in reversed(list(enumerate(node.value))))
    return lines


def locate(diagnostics: tuple[Diagnostic, ...], file: str, text: str) -> tuple[Diagnostic, ...]:
    """Add the file and line to diagnostics that only have a JSON pointer into `text` (the line of
    the nearest enclosing node when the pointer names something absent)."""
    if not any(d.location.pointer is not None and d.location.file is None for d in diagnostics):
        return diagnostics
    lines = source_lines(text)
    out: list[Diagnostic] = []
    for d in diagnostics:
        if d.location.pointer is None or d.location.file is not None:
            out.append(d)
            continue
        pointer = d.location.pointer.lstrip("#")
        while pointer and pointer not in lines:
            pointer = pointer.rpartition("/")[0]
        out.append(replace(d, location=replace(d.location, file=file, line=lines.get(pointer))))
    return tuple(out)
