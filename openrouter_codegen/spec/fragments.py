"""Data passed between the spec stages: extracted fragments, their provenance, localized pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JsonDoc = dict[str, Any]


@dataclass(frozen=True)
class Where:
    """A place in an input file (1-based line; None when unknown)."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Origin:
    """Where one OpenAPI block comes from: its page, first line, page title and rank."""

    file: str
    line: int
    title: str
    block: int  # index of the block within its page, in page order

    def where(self, line: int | None = None) -> Where:
        """A Where in this block's file, at `line` or at the block's first line."""
        return Where(self.file, self.line if line is None else line)


@dataclass(frozen=True)
class Fragment:
    """One OpenAPI document found in a docs page, with a line for every JSON pointer in it."""

    origin: Origin
    doc: JsonDoc
    lines: Mapping[str, int]
    # Base URL taken from the page's "METHOD https://host/base/path" line, if the page has one.
    server_url: str | None = None

    def line_of(self, pointer: str) -> int | None:
        """The line of `pointer`, or of its nearest ancestor that has one."""
        return nearest_line(self.lines, pointer)


@dataclass(frozen=True)
class Rename:
    """A page-local schema name replaced by a stable one (or inlined, then `new` is None)."""

    old: str
    new: str | None
    reason: str
    where: Where


@dataclass(frozen=True)
class LocalFragment:
    """A fragment whose page-local names were renamed after their use sites or inlined."""

    fragment: Fragment
    doc: JsonDoc
    renames: tuple[Rename, ...]
    # New component name -> name in the page, to find lines of renamed schemas.
    page_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> Origin:
        """Where the block comes from."""
        return self.fragment.origin

    def line_of(self, pointer: str) -> int | None:
        """The page line for a pointer into the localized document (nearest known ancestor)."""
        return self.fragment.line_of(self._page_pointer(pointer))

    def exact_line(self, pointer: str) -> int | None:
        """The page line of exactly this pointer (no ancestor fallback), if the page has it."""
        return self.fragment.lines.get(self._page_pointer(pointer))

    def _page_pointer(self, pointer: str) -> str:
        prefix = "/components/schemas/"
        if pointer.startswith(prefix):
            name, sep, tail = pointer[len(prefix):].partition("/")
            original = self.page_names.get(unescape(name))
            if original is not None:
                return prefix + escape(original) + sep + tail
        return pointer

    def where(self, pointer: str) -> Where:
        """File and line of a pointer into the localized document."""
        return Where(self.origin.file, self.line_of(pointer) or self.origin.line)


def escape(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo `escape`."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: str | int) -> str:
    """Build a JSON pointer from raw tokens."""
    return "".join("/" + escape(str(t)) for t in tokens)


def nearest_line(lines: Mapping[str, int], ptr: str) -> int | None:
    """Line of `ptr` or of its closest ancestor present in `lines`."""
    while True:
        line = lines.get(ptr)
        if line is not None:
            return line
        if not ptr:
            return None
        ptr = ptr[: ptr.rfind("/")]
