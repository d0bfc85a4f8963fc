"""One API change, the set of them, and the semantic version bump they call for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal[
    "operation-added", "operation-removed",
    "parameter-added", "parameter-removed", "parameter-required",
    "request-property-added", "request-property-removed",
    "response-property-added", "response-property-removed",
    "property-required-added", "property-required-removed",
    "property-nullable-changed", "type-changed",
    "enum-value-added", "enum-value-removed",
    "schema-added", "schema-removed",
    "response-status-added", "response-status-removed",
    "content-type-added", "content-type-removed",
    "security-changed", "deprecated", "description-changed",
]
# The order changes of one breaking-ness are listed in: the client's surface first, prose last.
KIND_ORDER: tuple[Kind, ...] = (
    "operation-removed", "operation-added", "parameter-removed", "parameter-added",
    "parameter-required", "request-property-removed", "request-property-added",
    "response-property-removed", "response-property-added", "property-required-added",
    "property-required-removed", "property-nullable-changed", "type-changed",
    "enum-value-removed", "enum-value-added", "schema-removed", "schema-added",
    "response-status-removed", "response-status-added", "content-type-removed",
    "content-type-added", "security-changed", "deprecated", "description-changed",
)
ENUM_KINDS = frozenset({"enum-value-added", "enum-value-removed"})
Bump = Literal["major", "minor", "patch", "none"]
Direction = Literal["request", "response"]


@dataclass(frozen=True)
class Change:
    """One difference between two OpenAPI documents, as it matters to the generated client.

    `pointer` points into the new document, or into the old one for what was removed; `operation`
    is `"GET /models"`, or None for a change in a component (whose users are in `affects`);
    `python` names the client's method, class or field that appears, disappears or changes.
    """

    change: Kind
    operation: str | None
    pointer: str
    breaking: bool
    detail: str
    python: str
    value: Any = None  # the enum value, for enum-value-* changes
    affects: tuple[str, ...] = ()  # operations that reach a changed component

    def as_json(self) -> dict[str, Any]:
        """The JSON form: `change, operation, pointer, breaking, detail, [value,] python`."""
        out: dict[str, Any] = {"change": self.change, "operation": self.operation,
                               "pointer": self.pointer, "breaking": self.breaking,
                               "detail": self.detail}
        if self.change in ENUM_KINDS:
            out["value"] = self.value
        out["python"] = self.python
        return out


@dataclass(frozen=True)
class ChangeSet:
    """Every change between two documents, breaking ones first, and the client method of every
    operation of either document (`GET /models` -> `client.models.list`)."""

    changes: tuple[Change, ...]
    methods: tuple[tuple[str, str], ...] = ()

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The changes that break code written against the old client."""
        return tuple(c for c in self.changes if c.breaking)

    @property
    def bump(self) -> Bump:
        """major when anything breaks, minor when anything else but prose changed, patch for
        prose only (descriptions, summaries), none when nothing changed."""
        if not self.changes:
            return "none"
        if self.breaking:
            return "major"
        if any(c.change != "description-changed" for c in self.changes):
            return "minor"
        return "patch"


def sorted_changes(changes: list[Change]) -> tuple[Change, ...]:
    """Breaking first, then by kind, operation and pointer; duplicates dropped."""
    # Keyed by repr: an enum value may be a list or a mapping, which cannot be hashed.
    unique = {(c.change, c.operation, c.pointer, repr(c.value)): c for c in changes}
    return tuple(sorted(unique.values(), key=lambda c: (not c.breaking, KIND_ORDER.index(c.change),
                                                c.operation or "", c.pointer, repr(c.value))))
