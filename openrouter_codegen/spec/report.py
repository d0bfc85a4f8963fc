"""MERGE_REPORT.md: what every stage took from where, what it changed, and what it could not do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openrouter_codegen.common.diagnostics import Diagnostic
from openrouter_codegen.common.schema_tools import HTTP_METHODS
from openrouter_codegen.spec.fragments import Fragment, LocalFragment, Where
from openrouter_codegen.spec.merge import MergeResult
from openrouter_codegen.spec.normalize import NormalizeResult
from openrouter_codegen.spec.overlay import Action, OverlayResult

POLICY = """\
- **Precedence is file-name order** in `spec/docs/` (pages are numbered): a later page wins over
  an earlier one for the same operation (path + method) and for the same component name.
- **Nothing is lost silently.** The winner is merged over the earlier versions: what an earlier
  page has and the winner does not (extra properties, extra enum values, extra responses or
  parameters) is kept; where both differ, the winner's version is used and the earlier one is
  listed below as overridden, with file:line of both. A schema whose shape differs (another
  `$ref`, `type` or union keyword) is replaced whole; one-value enums (literal tags) and union
  branch lists are never blended.
- **Through a `$ref` too**: where one version of a schema is inline and the other a `$ref`, the
  properties the winner lacks are kept: in the inline winner, or in the referenced component
  when this is its only use, else in an `allOf` extension of the component at that place.
- **Conflicts inside one page are errors**: the same operation or component defined twice in one
  page with different content stops the run, naming both places.
- **Page-local names never collide across pages**: `__schemaN`, `Schema<digits>...` are renamed
  after their use site or inlined (nullable, primitive, any-value and array wrappers) per block,
  before merging; names that are not identifiers are made identifiers. Same input, same names.
- **Normalize** then rewrites the docs tool's quirks by the named rules listed below, the
  **overlays** in `spec/overlays/` add what the pages state only in prose (file-name order), and
  component schemas no operation reaches any more are dropped (listed below)."""


@dataclass(frozen=True)
class ReportInput:
    """Everything the report is made from."""

    fragments: tuple[Fragment, ...]
    local: tuple[LocalFragment, ...]
    merged: MergeResult
    normalized: NormalizeResult
    overlaid: OverlayResult
    warnings: tuple[Diagnostic, ...]
    operation_count: int
    schema_count: int


def render(data: ReportInput) -> str:
    """The report as Markdown (deterministic: no times, no absolute paths)."""
    parts = [
        "# Merge report",
        "",
        ("Written by `python -m openrouter_codegen spec` from `spec/docs/` and `spec/overlays/`; do not "
        "edit by hand. The result is `spec/openapi.yaml` "
        f"({data.operation_count} operations, {data.schema_count} component schemas)."),
        "",
        "## Merge policy",
        "",
        POLICY,
        "",
        *_pages(data.fragments),
        *_operations(data.merged),
        *_renames(data.local),
        *_merge_events(data.merged),
        *_rules(data.normalized, data.merged),
        *_overlays(data.overlaid),
        *_warnings(data.warnings),
    ]
    return "\n".join(parts).rstrip("\n") + "\n"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _pages(fragments: tuple[Fragment, ...]) -> list[str]:
    rows = []
    for f in fragments:
        ops = ", ".join(f"{m.upper()} {p}" for p, item in (f.doc.get("paths") or {}).items()
                        for m in (item or {}) if m in HTTP_METHODS)
        rows.append((f"`{f.origin.file}:{f.origin.line}`", f.origin.title, ops or "-"))
    return ["## Input blocks", "", (f"{len(fragments)} OpenAPI blocks, in precedence order "
            "(last wins)."), "", *_table(("Block", "Page title", "Operations"), rows)]


def _operations(merged: MergeResult) -> list[str]:
    rows = []
    for source in merged.operations:
        method, _, path = source.key.partition(" ")
        op = merged.doc["paths"][path][method.lower()]
        earlier = sorted([(w, "merged under it") for w in source.superseded]
                         + [(w, "identical") for w in source.identical],
                         key=lambda item: (item[0].file, item[0].line or 0))
        superseded = ", ".join(f"`{w}` ({how})" for w, how in earlier) or "-"
        rows.append((method, f"`{path}`", f"`{op.get('operationId', '')}`",
                     f"`{source.winner}`", superseded))
    return ["## Operations", "", *_table(
        ("Method", "Path", "operationId", "Winning block", "Earlier versions"),
        rows)]


def _renames(local: tuple[LocalFragment, ...]) -> list[str]:
    lines = ["## Page-local and invalid names", ""]
    total = sum(len(lf.renames) for lf in local)
    if not total:
        return [*lines, "None.", ""]
    lines += [f"{total} names renamed or inlined, per block.", ""]
    for lf in local:
        if not lf.renames:
            continue
        lines += [f"### `{lf.origin.file}:{lf.origin.line}` ({lf.origin.title})", ""]
        rows = [(f"`{r.old}`", f"`{r.new}`" if r.new else "*inlined*", r.reason, f"`{r.where}`")
                for r in lf.renames]
        lines += _table(("Page name", "Becomes", "Why", "Defined at"), rows)
    return lines


def _merge_events(merged: MergeResult) -> list[str]:
    lines = ["## Merge decisions", ""]
    overridden = [e for e in merged.events if e.kind == "overridden"]
    kept = [e for e in merged.events if e.kind == "kept"]
    lines += [f"### Overridden by a later page ({len(overridden)})", ""]
    lines += _table(("Pointer (merged document)", "Earlier", "Winner", "What"),
                    ((f"`#{e.pointer}`", f"`{e.earlier}`", f"`{e.winner}`", e.detail)
                     for e in overridden)) if overridden else ["None.", ""]
    lines += [f"### Kept from earlier pages ({len(kept)})", ""]
    lines += _table(("Pointer (merged document)", "From", "Merged under", "What"),
                    ((f"`#{e.pointer}`", f"`{e.earlier}`", f"`{e.winner}`", e.detail)
                     for e in kept)) if kept else ["None.", ""]
    return lines


def _rules(normalized: NormalizeResult, merged: MergeResult) -> list[str]:
    lines = ["## Normalize rules", "", ("Applied in this order; each is a general rule "
             "(`openrouter_codegen/spec/normalize/<rule>.py`)."), ""]
    lines += _table(("Rule", "Rewrites", "Count", "Warnings"),
                    ((f"`{r.name}`", r.summary, r.outcome.count, len(r.outcome.warnings))
                     for r in normalized.reports))
    where = {s.pointer: s.winner for s in merged.components}
    for report in normalized.reports:
        if not report.outcome.notes:
            continue
        lines += [f"### `{report.name}` ({report.outcome.count})", ""]
        if report.name == "prune-unreferenced":
            lines += ["Dropped component schemas, with the block that defined them:", ""]
            lines += [f"- `{note}` (defined at `{where.get(note.lstrip('#'), Where('?'))}`)"
                      for note in report.outcome.notes]
        else:
            lines += [f"- {note}" for note in report.outcome.notes]
        lines.append("")
    return lines


def _overlays(overlaid: OverlayResult) -> list[str]:
    lines = ["## Overlays", ""]
    if not overlaid.overlays:
        return [*lines, "None.", ""]
    rows = [(f"`{r.action.file}:{r.action.line}`", r.action.index, f"`{r.action.target}`",
             _kind(r.action), r.matched, r.changed, r.action.description or "-")
            for r in overlaid.actions]
    lines += _table(("Overlay", "Action", "Target", "Kind", "Matched", "Changed", "Why"), rows)
    if overlaid.unused:
        lines += [("Component schemas the overlays define that nothing uses (the documents "
                   "declare their own), dropped:"), "",
                  *[f"- `{name}`" for name in overlaid.unused], ""]
    return lines


def _kind(action: Action) -> str:
    if action.remove:
        return "remove"
    return "update (only missing)" if action.only_missing else "update"


def _warnings(warnings: tuple[Diagnostic, ...]) -> list[str]:
    lines = [f"## Warnings ({len(warnings)})", ""]
    if not warnings:
        return [*lines, "None: every quirk found was handled by a rule.", ""]
    return [*lines, *[f"- `{d.location}`: {d.message}" + (f" ({d.action})" if d.action else "")
                      for d in warnings], ""]

