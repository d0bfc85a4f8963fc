"""`generated/CHANGELOG.md`: one entry per version, newest first, summarizing the API changes."""

from __future__ import annotations

from collections import Counter
from datetime import date

from openrouter_codegen.changes.change import Change, ChangeSet
from openrouter_codegen.distribution.release import Release

HEADER = ("# Changelog\n\nOne entry per version of the client, newest first. The version follows "
          "the API change report (`spec/API_CHANGES.md`): breaking -> major, additive -> minor, "
          "descriptions only -> patch.\n")


def changelog(previous: str | None, release: Release, changes: ChangeSet | None, today: date,
              title: str) -> str:
    """The changelog after `release`: the committed text unchanged when the version stays (so a
    regeneration never moves a date), else the committed entries under a new one for today."""
    if not release.new and previous is not None:
        return previous
    text = previous if previous is not None and previous.strip() else HEADER
    if not release.new:  # the committed changelog is missing: start it, without inventing an entry
        return text
    entry = _entry(release, changes, today, title)
    at = text.find("\n## ")
    if at < 0:
        return text.rstrip("\n") + "\n\n" + entry
    return text[:at + 1] + entry + "\n" + text[at + 1:]


def _entry(release: Release, changes: ChangeSet | None, today: date, title: str) -> str:
    lines = [f"## {release.version} ({today.isoformat()})", ""]
    if release.first or changes is None:
        return "\n".join(lines + [f"First version of the client for the {title}.", ""])
    breaking = changes.breaking
    lines += [(f"{release.bump.capitalize()} release: {_count(len(changes.changes), 'API change')}"
              f", {len(breaking) or 'none'} breaking (`spec/API_CHANGES.md` of this version "
              "has each one with its Python meaning)."), ""]
    methods = dict(changes.methods)
    for c in changes.changes:
        if c.change in ("operation-added", "operation-removed") and c.operation:
            verb = "Added" if c.change == "operation-added" else "Removed"
            call = f"`{methods[c.operation]}()` " if c.operation in methods else ""
            lines.append(f"- {verb} {call}(`{c.operation}`)" + (" **breaking**" if c.breaking
                                                                  else ""))
    lines += [f"- **Breaking**: {_where(c)}: {c.detail} (`{c.python}`)" for c in breaking
              if c.change != "operation-removed"]
    rest = Counter(c.change for c in changes.changes
                   if not c.breaking and c.change != "operation-added")
    if rest:
        lines.append("- Also: " + ", ".join(f"{n} {kind}" for kind, n in sorted(rest.items())))
    return "\n".join(lines + [""])


def _where(c: Change) -> str:
    return f"`{c.operation}`" if c.operation else f"`{c.pointer}`"


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")
