"""The shape of a normalize rule and of what it reports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from openrouter_codegen.common.diagnostics import Diagnostic, Location, Severity
from openrouter_codegen.spec.fragments import JsonDoc


@dataclass(frozen=True)
class RuleContext:
    """Facts from earlier stages that some rules need."""

    # Base URLs found on the pages' "METHOD https://..." lines, in page order.
    server_urls: tuple[str, ...] = ()
    # Component schema name -> rank of the page that defines it (later pages rank higher).
    component_rank: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleOutcome:
    """What one rule changed: a count, one note per change, and what it could not handle."""

    count: int = 0
    notes: tuple[str, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A named, general rewrite of one docs-tool quirk into plain OpenAPI 3.1.

    `apply` rewrites the document it is given in place; the runner only ever passes its own
    private copy, so the normalize stage as a whole stays a pure function.
    """

    name: str
    summary: str
    apply: Callable[[JsonDoc, RuleContext], RuleOutcome]


@dataclass(frozen=True)
class RuleReport:
    """A rule's outcome, as listed in MERGE_REPORT.md."""

    name: str
    summary: str
    outcome: RuleOutcome


@dataclass(frozen=True)
class NormalizeResult:
    """The normalized document and every rule's report, in the order the rules ran."""

    doc: JsonDoc
    reports: tuple[RuleReport, ...]

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """Every rule's warnings, in rule order."""
        return tuple(w for r in self.reports for w in r.outcome.warnings)


class Changes:
    """Collects a rule's notes and warnings while it walks the document."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.warnings: list[Diagnostic] = []
        self.count = 0

    def changed(self, note: str, count: int = 1) -> None:
        """Record `count` changes described by `note`."""
        self.count += count
        self.notes.append(note)

    def warn(self, ptr: str, message: str, action: str = "left as is") -> None:
        """Record something at `ptr` the rule could not handle."""
        self.warnings.append(Diagnostic(Severity.WARNING, Location(pointer=ptr), message, action))

    def outcome(self) -> RuleOutcome:
        """The collected changes as a RuleOutcome."""
        return RuleOutcome(self.count, tuple(self.notes), tuple(self.warnings))
