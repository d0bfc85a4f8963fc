"""Extract: every OpenAPI YAML block of every docs page, with file, line and page title.

Markdown-like pages contribute their fenced ```yaml blocks; `.yaml`/`.yml`/`.json` files are
one block each. YAML anchors, aliases and merge keys work; aliased content is copied so later
stages never see shared objects. A block that does not parse, a conflicting duplicate key and
a page without any OpenAPI block stop the run with file:line.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, GeneratorError, Location, Severity, map_all
from generator.files import SourceFile
from generator.fragments import Fragment, Origin, escape

_DATA_SUFFIXES = (".yaml", ".yml", ".json")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)")
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_ENDPOINT = re.compile(
    r"^\s*(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)\s+(https?://\S+)\s*$", re.IGNORECASE
)
_YAML_LANGS = {"yaml", "yml"}
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class _Block:
    line: int  # 1-based line of the block's first content line
    text: str
    title: str
    endpoint_url: str | None


def extract(pages: tuple[SourceFile, ...]) -> tuple[Fragment, ...]:
    """Every OpenAPI document in `pages`, in page order then block order."""
    return tuple(f for per_page in map_all(extract_page, pages) for f in per_page)


def extract_page(page: SourceFile) -> tuple[Fragment, ...]:
    """The OpenAPI documents of one page; a page without any is an error."""
    if page.path.lower().endswith(_DATA_SUFFIXES):
        blocks = [_Block(1, page.text, _front_title(page.text) or "", None)]
    else:
        blocks = _markdown_blocks(page.text)
    fragments: list[Fragment] = []
    problems: list[Diagnostic] = []
    for block in blocks:
        try:
            doc, lines = load_yaml(block.text, page.path, block.line)
        except GeneratorError as exc:
            problems.extend(exc.diagnostics)
            continue
        if not (isinstance(doc, dict) and isinstance(doc.get("openapi"), str)):
            continue  # a YAML example in the prose, not an API description
        title = block.title or str((doc.get("info") or {}).get("title") or page.path)
        origin = Origin(page.path, block.line, title, len(fragments))
        fragments.append(Fragment(origin, doc, lines, _server_url(block.endpoint_url, doc)))
    if problems:
        raise GeneratorError(problems)
    if not fragments:
        raise GeneratorError([Diagnostic(
            Severity.ERROR, Location(page.path, 1),
            f"no OpenAPI block found in this page ({len(blocks)} YAML block(s) looked at; "
            "an OpenAPI block is a ```yaml fence holding a mapping with an `openapi` key)",
        )])
    return tuple(fragments)


def _front_title(text: str) -> str | None:
    """`title:` of a page's front matter (a leading `---` block), if any."""
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    match = re.search(r"^title:\s*(.+)$", text[: end if end > 0 else 2000], re.MULTILINE)
    return match.group(1).strip().strip("'\"") if match else None


def _markdown_blocks(text: str) -> list[_Block]:
    """Fenced YAML blocks with the H1 title and endpoint line of the section they sit in."""
    lines = text.split("\n")
    blocks: list[_Block] = []
    title = _front_title(text) or ""
    endpoint: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence is None:
            heading = _HEADING.match(line)
            if heading:
                title, endpoint = heading.group(1), None
            elif (found := _ENDPOINT.match(line)) is not None:
                endpoint = found.group(2)
            i += 1
            continue
        indent, marks, lang = fence.group(1), fence.group(2), fence.group(3).lower()
        end = i + 1
        while end < len(lines) and not _closes(lines[end], marks):
            end += 1
        if lang in _YAML_LANGS:
            body = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip()
                    for ln in lines[i + 1:end]]
            blocks.append(_Block(i + 2, "\n".join(body) + "\n", title, endpoint))
        i = end + 1
    return blocks


def _closes(line: str, marks: str) -> bool:
    stripped = line.strip()
    return (stripped.startswith(marks[0] * len(marks)) and set(stripped) == {marks[0]}
            and len(line) - len(line.lstrip()) <= 3)


def _server_url(endpoint_url: str | None, doc: dict[str, Any]) -> str | None:
    """The base URL: the page's endpoint URL with the documented operation path removed."""
    if not endpoint_url:
        return None
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return None
    for path in paths:
        if isinstance(path, str) and endpoint_url.endswith(path):
            return endpoint_url[: len(endpoint_url) - len(path)].rstrip("/")
    return None


def load_yaml(text: str, file: str, first_line: int) -> tuple[Any, dict[str, int]]:
    """Parse one YAML document; return plain data (no shared objects) and pointer -> line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        builder = _Builder(loader, file, first_line)
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


class _Builder:
    """Builds plain Python data from a composed YAML node tree, recording lines per pointer."""

    def __init__(self, loader: Any, file: str, first_line: int) -> None:
        self.loader = loader
        self.file = file
        self.first_line = first_line
        self.lines: dict[str, int] = {}
        self._active: set[int] = set()

    def build(self, node: yaml.Node, ptr: str) -> Any:
        """Plain data for `node` (found at `ptr`), recording its line."""
        self.lines.setdefault(ptr, self.first_line + node.start_mark.line)
        if isinstance(node, yaml.ScalarNode):
            return _plain_scalar(self.loader.construct_object(node, deep=True))
        if id(node) in self._active:
            raise self._error(node, "recursive YAML alias")
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, f"{ptr}/{i}") for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, ptr)
        finally:
            self._active.discard(id(node))
        raise self._error(node, f"unsupported YAML node {type(node).__name__}")

    def _mapping(self, node: yaml.MappingNode, ptr: str) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # resolves `<<` merge keys like the safe loader
        out: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = _plain_key(self.loader.construct_object(key_node, deep=True))
            child = f"{ptr}/{escape(key)}"
            if key in seen:
                first = seen[key]
                if _node_signature(first) != _node_signature(value_node):
                    raise GeneratorError([Diagnostic(
                        Severity.ERROR, Location(self.file, self.first_line + key_node.start_mark.line,
                                                 child),
                        f"conflicting duplicate key {key!r}: first defined at "
                        f"{self.file}:{self.lines.get(child, self.first_line)} with other content",
                    )])
                continue
            seen[key] = value_node
            self.lines[child] = self.first_line + key_node.start_mark.line
            out[key] = self.build(value_node, child)
        return out

    def _error(self, node: yaml.Node, message: str) -> GeneratorError:
        return GeneratorError([Diagnostic(
            Severity.ERROR, Location(self.file, self.first_line + node.start_mark.line), message)])


def _node_signature(node: yaml.Node, depth: int = 0) -> Any:
    """A comparable form of a YAML node's content (for duplicate-key checks)."""
    if depth > 200:
        return "..."
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value)
    if isinstance(node, yaml.SequenceNode):
        return tuple(_node_signature(n, depth + 1) for n in node.value)
    return tuple((_node_signature(k, depth + 1), _node_signature(v, depth + 1))
                 for k, v in node.value)


def _plain_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return key if isinstance(key, str) else str(key)


def _plain_scalar(value: Any) -> Any:
    # JSON has no dates; the docs never mean a date object, they mean the text.
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value
