"""The client's next version, from the committed one and the API change report."""

from __future__ import annotations

from dataclasses import dataclass

from openrouter_codegen.changes.change import Bump, ChangeSet
from openrouter_codegen.distribution.version import bumped, initial


@dataclass(frozen=True)
class Release:
    """The version to write; `bump` is the step from the committed version ("none" when it
    stays); `new` says whether it differs from the committed one (then the changelog gains an
    entry); `first` marks the first version (there was no committed version)."""

    version: str
    bump: Bump
    new: bool
    first: bool = False


def next_release(previous: str | None, changes: ChangeSet | None, info_version: str) -> Release:
    """The release for `changes` (None: no committed spec to compare with, so nothing is known to
    have changed) on top of the `previous` committed version (None: the first version)."""
    if previous is None:
        return Release(initial(info_version), "none", new=True, first=True)
    if changes is None or changes.bump == "none":
        return Release(previous, "none", new=False)
    return Release(bumped(previous, changes.bump), changes.bump, new=True)
