"""Where a schema is being compared: which operation, in which direction, named how in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openrouter_codegen.changes.change import Change, Direction, Kind

BOTH: frozenset[Direction] = frozenset({"request", "response"})
# How many affected operations a component change's detail names before it counts the rest.
_NAMED_USERS = 5


@dataclass(frozen=True)
class Docs:
    """The two documents being compared, and what comparing two schemas that are not the same
    component gave (by their pointers and directions): a pair met again on another path is not
    compared again, which keeps documents whose schemas share sub-schemas linear, not exponential."""

    old: dict[str, Any]
    new: dict[str, Any]
    compared: dict[tuple[str, str, frozenset[Direction]], tuple[Change, ...]] = field(
        default_factory=dict, compare=False)


@dataclass(frozen=True)
class Site:
    """The operation a schema belongs to (None for a component) and the directions it travels in:
    a change can break a request (the caller builds it) and not a response (the caller reads it),
    or the other way round. `affects` lists the operations that reach a component."""

    operation: str | None
    directions: frozenset[Direction]
    affects: tuple[str, ...] = ()

    @property
    def request(self) -> bool:
        """The schema is (part of) something the caller sends."""
        return "request" in self.directions

    @property
    def response(self) -> bool:
        """The schema is (part of) something the caller reads."""
        return "response" in self.directions

    def change(self, kind: Kind, pointer: str, breaking: bool, detail: str, python: str,
               value: Any = None) -> Change:
        """A change at this site; a component's names the operations that use it."""
        if self.operation is None and self.affects:
            shown = ", ".join(self.affects[:_NAMED_USERS])
            more = len(self.affects) - _NAMED_USERS
            detail += f" (used by {shown}{f' and {more} more' if more > 0 else ''})"
        return Change(kind, self.operation, pointer, breaking, detail, python, value,
                      self.affects)


def child(python: str, field: str) -> str:
    """The Python name of property `field` under `python`: a keyword argument of a call's body
    (`client.chat.send(model=...)`), an attribute of a call's result (`client.models.list().data`)
    or of a class or field (`Model.pricing`)."""
    if python.endswith("(...)"):
        return f"{python[:-5]}({field}=...)"
    if python.endswith("() result"):
        return f"{python[:-7]}.{field}"
    return f"{python}.{field}"
