"""Problems found by any stage, reported like a compiler: where, what, what was done."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Severity(str, Enum):
    """How bad a diagnostic is: errors stop the run (nothing written), warnings do not."""

    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and line, a JSON pointer into a document, or both."""

    file: str | None = None
    line: int | None = None
    pointer: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.pointer is not None:
            parts.append(f"#{self.pointer}" if not self.pointer.startswith("#") else self.pointer)
        return " ".join(parts) or "<input>"


@dataclass(frozen=True)
class Diagnostic:
    """One problem with its location and the action taken about it."""

    severity: Severity
    location: Location
    message: str
    action: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        return f"{text} ({self.action})" if self.action else text


class GeneratorError(Exception):
    """A fatal problem: the run stops and nothing is written."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def error(message: str, *, file: str | None = None, line: int | None = None,
          pointer: str | None = None) -> GeneratorError:
    """Build a GeneratorError holding a single located error."""
    return GeneratorError([Diagnostic(Severity.ERROR, Location(file, line, pointer), message)])


def map_all(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`fn` over every item; the errors of all items are raised together, not only the first one's."""
    results: list[R] = []
    problems: list[Diagnostic] = []
    for item in items:
        try:
            results.append(fn(item))
        except GeneratorError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise GeneratorError(problems)
    return results
