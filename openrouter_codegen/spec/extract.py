"""Extract: every OpenAPI YAML block of every docs page, with file, line and page title.

Markdown-like pages contribute their fenced ```yaml blocks; `.yaml`/`.yml`/`.json` files are
one block each, read as JSON data by `yaml_data.load_yaml` (anchors, aliases and merge keys work,
bounded; dates are text). A block that does not parse, a conflicting duplicate key, a value JSON
has no form for and a page without any OpenAPI block stop the run with file:line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from openrouter_codegen.common.diagnostics import (
    Diagnostic,
    GeneratorError,
    Location,
    Severity,
    map_all,
)
from openrouter_codegen.common.files import SourceFile
from openrouter_codegen.spec.fragments import Fragment, Origin
from openrouter_codegen.spec.yaml_data import load_yaml

_DATA_SUFFIXES = (".yaml", ".yml", ".json")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)")
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_ENDPOINT = re.compile(
    r"^\s*(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)\s+(https?://\S+)\s*$", re.IGNORECASE
)
_YAML_LANGS = {"yaml", "yml"}


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
