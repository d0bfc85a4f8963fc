"""YAML text -> the JSON data it stands for, with the line of every JSON pointer (pure).

OpenAPI documents are JSON written as YAML, so only what JSON can hold comes out: YAML's dates and
timestamps (`example: 2024-10-01`) and the `=` value scalar are read as the text written, keys as
text (`200:` is "200"); a value JSON has no form for (`.nan`, `.inf`, `!!binary`, `!!set`, a
list used as a key, an unknown tag) is an error at its pointer and line.

Anchors, aliases and `<<` merge keys work; aliased content is copied, so later stages never see
shared objects. Copying is what makes an alias bomb ("billion laughs": anchors nine levels deep)
dangerous, so what aliases add is bounded in nodes and in text, proportionally to what the block
itself writes; past that, the block is an error at the line where the expansion started, found
before the memory is spent.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml

from openrouter_codegen.common.collector import collector_paused
from openrouter_codegen.common.diagnostics import Diagnostic, GeneratorError, Location, Severity
from openrouter_codegen.spec.fragments import escape

# What aliases may add to a block: this many nodes and characters of text, or this many times
# what the block writes itself if that is more. Real documents that use anchors stay far below;
# a bomb passes them within a fraction of a second and a few tens of megabytes.
ALIAS_NODES_FLOOR = 100_000
ALIAS_TEXT_FLOOR = 4_000_000
ALIAS_FACTOR = 4

_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
# A key of a mapping: its key node, its value node, and whether the mapping wrote it itself (not
# merged in with `<<`).
_Entry = tuple[yaml.Node, yaml.Node, bool]
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class JsonLoader(_Base):  # type: ignore[misc]  # the C loader when built, typed as Any by the stubs
    """PyYAML's safe loader, except that scalars JSON has no class for are read as their text."""


def _source_text(loader: Any, node: yaml.ScalarNode) -> str:
    return str(node.value)


# A date or timestamp means the text in an API document (JSON has no dates); so does `=`, which
# PyYAML's safe loader resolves to a tag it then cannot construct.
JsonLoader.add_constructor("tag:yaml.org,2002:timestamp", _source_text)
JsonLoader.add_constructor("tag:yaml.org,2002:value", _source_text)


def load_yaml(text: str, file: str, first_line: int) -> tuple[Any, dict[str, int]]:
    """Parse one YAML document (starting at `first_line` of `file`); return its JSON data (no
    shared objects) and pointer -> line, or raise a GeneratorError at the line of the problem."""
    # Nodes, then data, for the whole text: many objects, none in a cycle (common/collector.py).
    with collector_paused():
        return _load_yaml(text, file, first_line)


def _load_yaml(text: str, file: str, first_line: int) -> tuple[Any, dict[str, int]]:
    loader = JsonLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        builder = _Builder(loader, file, first_line, _written_size(node))
        data = builder.build(node, "")
        return data, builder.lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else first_line
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if exc.context_mark is not None and first_line + exc.context_mark.line != line:
            message += f" (the construct starts at {file}:{first_line + exc.context_mark.line})"
        raise GeneratorError([Diagnostic(Severity.ERROR, Location(file, line),
                                         f"YAML does not parse: {message}")]) from None
    except yaml.YAMLError as exc:
        raise GeneratorError([Diagnostic(Severity.ERROR, Location(file, first_line),
                                         f"YAML does not parse: {exc}")]) from None
    except RecursionError:
        # PyYAML's composer and our builder recurse once per level.
        raise GeneratorError([Diagnostic(Severity.ERROR, Location(file, first_line),
                                         "this YAML block nests too deeply to read (hundreds of "
                                         "levels; no real API document does)")]) from None
    finally:
        loader.dispose()


def _written_size(root: yaml.Node) -> tuple[int, int]:
    """Nodes and scalar characters of the composed graph, each node once (aliases not expanded)."""
    seen: set[int] = set()
    nodes = chars = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes += 1
        if isinstance(node, yaml.ScalarNode):
            chars += len(node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
    return nodes, chars


class _Builder:
    """Builds JSON data from a composed YAML node tree, recording lines per pointer and bounding
    what aliases add."""

    def __init__(self, loader: Any, file: str, first_line: int, written: tuple[int, int]) -> None:
        self.loader = loader
        self.file = file
        self.first_line = first_line
        self.lines: dict[str, int] = {}
        self._active: set[int] = set()
        self._built: set[int] = set()
        self._merging: set[int] = set()
        self._resolved: dict[int, dict[str, _Entry]] = {}
        self._max_nodes = max(ALIAS_NODES_FLOOR, ALIAS_FACTOR * written[0])
        self._max_text = max(ALIAS_TEXT_FLOOR, ALIAS_FACTOR * written[1])
        self._alias_nodes = self._alias_text = 0
        self._expansion: tuple[int, str] | None = None  # (line, pointer) of the outermost alias

    def build(self, node: yaml.Node, ptr: str, site: int | None = None) -> Any:
        """JSON data for `node` (found at `ptr`, referred to from line `site`), recording its line."""
        line = self.first_line + node.start_mark.line
        self.lines.setdefault(ptr, line)
        if id(node) not in self._built:
            self._built.add(id(node))
            return self._build(node, ptr, line)
        if self._expansion is not None:
            return self._build(node, ptr, line)
        # An alias (a node built before): what it adds counts against the bounds from here on.
        self._expansion = (site if site is not None else line, ptr)
        try:
            return self._build(node, ptr, line)
        finally:
            self._expansion = None

    def _build(self, node: yaml.Node, ptr: str, line: int) -> Any:
        if self._expansion is not None:
            self._count(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, ptr)
        if id(node) in self._active:
            raise self._error(node, ptr, "recursive YAML alias (an anchor used inside itself)")
        if node.tag not in (_MAP, _SEQ):
            raise self._error(node, ptr, f"a YAML {_tag_name(node.tag)} collection has no JSON form "
                                         "(JSON has objects and lists only)")
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, f"{ptr}/{i}", line) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, ptr)
            raise self._error(node, ptr, f"unsupported YAML node {type(node).__name__}")
        finally:
            self._active.discard(id(node))

    def _count(self, node: yaml.Node) -> None:
        self._alias_nodes += 1
        if isinstance(node, yaml.ScalarNode):
            self._alias_text += len(node.value)
        if self._alias_nodes <= self._max_nodes and self._alias_text <= self._max_text:
            return
        assert self._expansion is not None
        line, ptr = self._expansion
        raise GeneratorError([Diagnostic(
            Severity.ERROR, Location(self.file, line, ptr or "/"),
            f"YAML aliases expand this block by more than {self._max_nodes:,} nodes or "
            f"{self._max_text:,} characters (an alias bomb?); the expansion starts here",
            "the block is not read",
        )])

    def _scalar(self, node: yaml.ScalarNode, ptr: str) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise self._error(node, ptr, f"a YAML {_tag_name(node.tag)} value has no JSON form "
                                         f"({exc.problem})") from None
        except ValueError as exc:  # an explicit tag on text that is not of its kind: `!!int x`
            raise self._error(node, ptr, f"{node.value!r} is not a YAML {_tag_name(node.tag)} "
                                         f"({exc})") from None
        if value is None or isinstance(value, (str, bool, int)):
            return value
        if isinstance(value, float):
            if math.isfinite(value):
                return value
            raise self._error(node, ptr, f"{node.value!r} is a YAML float JSON has no form for "
                                         "(quote it to mean the text)")
        raise self._error(node, ptr, f"a YAML {_tag_name(node.tag)} value has no JSON form "
                                     "(write it as a plain string)")

    def _mapping(self, node: yaml.MappingNode, ptr: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, (key_node, value_node, _) in self._entries(node, ptr).items():
            child = f"{ptr}/{escape(key)}"
            key_line = self.first_line + key_node.start_mark.line
            self.lines[child] = key_line
            out[key] = self.build(value_node, child, key_line)
        return out

    def _entries(self, node: yaml.MappingNode, ptr: str) -> dict[str, _Entry]:
        """The keys of a mapping with their key and value nodes, `<<` merge keys resolved as the
        safe loader does: merged keys first, its own keys win over merged ones, the first of
        several merged mappings wins. The same key twice among its own is an error unless both
        hold the same. Computed once per node, so merges of merges cost their keys, not more."""
        known = self._resolved.get(id(node))
        if known is not None:
            return known
        if id(node) in self._merging:
            raise self._error(node, ptr, "recursive YAML merge (a mapping merged into itself)")
        self._merging.add(id(node))
        try:
            entries: dict[str, _Entry] = {}
            own: list[tuple[yaml.Node, yaml.Node]] = []
            for key_node, value_node in node.value:
                if key_node.tag != _MERGE:
                    own.append((key_node, value_node))
                    continue
                for source in reversed(self._merge_sources(value_node, ptr)):
                    for key, (merged_key, merged_value, _) in self._entries(source, ptr).items():
                        if self._expansion is not None:
                            self._count(merged_key)
                        entries[key] = (merged_key, merged_value, False)
            for key_node, value_node in own:
                if self._expansion is not None:
                    self._count(key_node)
                key = self._key(key_node, ptr)
                first = entries.get(key)
                if first is not None and first[2]:
                    if not _same_content(first[1], value_node):
                        child = f"{ptr}/{escape(key)}"
                        raise GeneratorError([Diagnostic(
                            Severity.ERROR,
                            Location(self.file, self.first_line + key_node.start_mark.line, child),
                            f"conflicting duplicate key {key!r}: first defined at {self.file}:"
                            f"{self.first_line + first[0].start_mark.line} with other content",
                        )])
                    continue
                entries[key] = (key_node, value_node, True)
        finally:
            self._merging.discard(id(node))
        self._resolved[id(node)] = entries
        return entries

    def _merge_sources(self, value: yaml.Node, ptr: str) -> list[yaml.MappingNode]:
        """The mappings a `<<` key merges: one mapping or a list of them."""
        listed: list[yaml.Node] = value.value if isinstance(value, yaml.SequenceNode) else [value]
        sources = [source for source in listed if isinstance(source, yaml.MappingNode)]
        if len(sources) != len(listed):
            raise self._error(value, ptr, "a `<<` merge key takes a mapping or a list of mappings")
        return sources

    def _key(self, node: yaml.Node, ptr: str) -> str:
        """A mapping key as JSON text: `200:` is "200", `true:` "true", `null:` "null"."""
        if not isinstance(node, yaml.ScalarNode):
            raise self._error(node, ptr, "a list or mapping used as a key has no JSON form "
                                         "(JSON keys are text)")
        key = self._scalar(node, ptr)
        return key if isinstance(key, str) else json.dumps(key)

    def _error(self, node: yaml.Node, ptr: str, message: str) -> GeneratorError:
        return GeneratorError([Diagnostic(Severity.ERROR, Location(
            self.file, self.first_line + node.start_mark.line, ptr or "/"), message)])


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,") else tag


def _same_content(first: yaml.Node, second: yaml.Node) -> bool:
    """Whether two YAML nodes hold the same content (for duplicate keys). Each pair of nodes is
    compared once, so shared (aliased) subtrees cost nothing more however often they are used."""
    compared: set[tuple[int, int]] = set()
    stack = [(first, second)]
    while stack:
        a, b = stack.pop()
        if a is b or (id(a), id(b)) in compared:
            continue
        compared.add((id(a), id(b)))
        if type(a) is not type(b) or a.tag != b.tag or len(a.value) != len(b.value):
            return False
        if isinstance(a, yaml.ScalarNode):
            if a.value != b.value:
                return False
        elif isinstance(a, yaml.SequenceNode):
            stack.extend(zip(a.value, b.value, strict=True))
        else:
            for (ka, va), (kb, vb) in zip(a.value, b.value, strict=True):
                stack.extend(((ka, kb), (va, vb)))
    return True
