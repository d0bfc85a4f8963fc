"""A ChangeSet as JSON (for tools) or markdown (for a reviewer): pure, deterministic text."""

from __future__ import annotations

import json
from dataclasses import dataclass

from openrouter_codegen.changes.change import Change, ChangeSet
from openrouter_codegen.spec.fragments import unescape


def to_json(changes: ChangeSet) -> str:
    """`{"changes": [...], "bump": ...}`, indented, one trailing newline."""
    body = {"changes": [c.as_json() for c in changes.changes], "bump": changes.bump}
    # default=str: YAML gives dates for unquoted date-like enum values; JSON has no such type.
    return json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n"


@dataclass(frozen=True)
class _OperationRow:
    label: str
    python: str
    status: str  # added, removed, changed
    changes: int
    breaking: int


def to_markdown(changes: ChangeSet, title: str, intro: str) -> str:
    """A table of the operations added, removed and changed (breaking first), then every
    change with its Python meaning, breaking ones first; "No API change." when there is none."""
    lines = [f"# {title}", "", intro, ""]
    if not changes.changes:
        return "\n".join(lines + ["No API change.", ""])
    breaking = changes.breaking
    summary = (f"{_count(len(changes.changes), 'change')}, {len(breaking)} breaking: "
               f"version bump **{changes.bump}**.")
    lines += [summary, ""]
    rows = _operation_rows(changes.changes, dict(changes.methods))
    if rows:
        lines += ["| operation | Python | change | breaking |", "|---|---|---|---|"]
        lines += [_row(r) for r in rows]
        lines.append("")
    for heading, group in (("Breaking changes", breaking),
                           ("Other changes", tuple(c for c in changes.changes if not c.breaking))):
        if group:
            lines += [f"## {heading}", ""] + [_item(c) for c in group] + [""]
    return "\n".join(lines)


def _operation_rows(changes: tuple[Change, ...], methods: dict[str, str]) -> list[_OperationRow]:
    """One row per operation a change concerns, directly or through a component it uses."""
    status: dict[str, str] = {}
    counts: dict[str, list[int]] = {}
    for c in changes:
        if c.change in ("operation-added", "operation-removed") and c.operation:
            status[c.operation] = c.change.removeprefix("operation-")
        for label in ((c.operation,) if c.operation else c.affects):
            count = counts.setdefault(label, [0, 0])
            count[0] += 1
            count[1] += c.breaking
    # An added or removed operation is one change: what its components did concerns others.
    rows = [_OperationRow(label, f"{methods[label]}()" if label in methods else "",
                          status.get(label, "changed"), n, int(status[label] == "removed")
                          if label in status else b)
            for label, (n, b) in counts.items()]
    order = {"removed": 0, "changed": 1, "added": 2}
    return sorted(rows, key=lambda r: (not r.breaking, order[r.status], r.label))


def _row(r: _OperationRow) -> str:
    status = f"changed ({_count(r.changes, 'change')})" if r.status == "changed" else r.status
    python = f"`{_cell(r.python)}`" if r.python else ""
    breaking = f"yes ({r.breaking})" if r.breaking else "no"
    return f"| `{_cell(r.label)}` | {python} | {status} | {breaking} |"


def _item(c: Change) -> str:
    where = f"`{c.operation}`" if c.operation else "component"
    if not c.operation and c.pointer.startswith("/components/"):
        where += f" `{unescape(c.pointer.split('/')[3])}`"
    return f"- **{c.change}** {where}: {c.detail}. Python: `{c.python}` (`{c.pointer}`)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")
