"""The spec half as one pure function: docs pages + overlays -> spec/openapi.yaml and its report."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from openrouter_codegen.common.diagnostics import (
    Diagnostic,
    GeneratorError,
    Location,
    Severity,
    map_all,
)
from openrouter_codegen.common.files import SourceFile
from openrouter_codegen.common.schema_tools import (
    iter_operations,
    iter_refs,
    resolve_pointer,
    schemas_of,
    walk_schemas,
)
from openrouter_codegen.spec.emit import emit
from openrouter_codegen.spec.extract import extract
from openrouter_codegen.spec.fragments import Fragment, LocalFragment, escape
from openrouter_codegen.spec.localize import localize
from openrouter_codegen.spec.merge import MergeResult, merge
from openrouter_codegen.spec.normalize import RuleContext, normalize
from openrouter_codegen.spec.overlay import apply_overlays
from openrouter_codegen.spec.report import ReportInput, render
from openrouter_codegen.spec.shape import check_shape


@dataclass(frozen=True)
class SpecBuild:
    """The built spec, its YAML text, the merge report and the non-fatal problems."""

    openapi: dict[str, Any]
    openapi_yaml: str
    report_md: str
    warnings: tuple[Diagnostic, ...]


def build_spec(pages: tuple[SourceFile, ...], overlays: tuple[SourceFile, ...]) -> SpecBuild:
    """Extract, localize, merge, normalize, overlay and emit (no I/O; raises GeneratorError)."""
    fragments = extract(pages)
    _check_fragment_shapes(fragments)
    local = _localize_all(fragments)
    merged = merge(local)
    ranks = {page.path: i for i, page in enumerate(pages)}
    component_rank = {s.key.partition("/")[2]: ranks.get(s.winner.file, -1)
                      for s in merged.components if s.key.startswith("schemas/")}
    normalized = normalize(merged.doc, RuleContext(merged.server_urls, component_rank))
    overlaid = apply_overlays(normalized.doc, overlays)
    # Overlays may change any part: the final document is checked as well.
    if problems := check_shape(overlaid.doc):
        # The pages passed the same check, so an overlay (or a normalize rule) made this part.
        raise GeneratorError([_locate(replace(d, message=d.message + "; the pages had it right, an "
                                              "overlay or normalize changed it"), merged)
                              for d in problems])
    _check_refs(overlaid.doc, merged)
    openapi, text = emit(overlaid.doc)
    warnings = tuple(_locate(d, merged) for d in (*normalized.warnings, *overlaid.warnings))
    report = render(ReportInput(
        fragments, local, merged, normalized, overlaid, warnings,
        operation_count=sum(1 for _ in iter_operations(openapi)),
        schema_count=len(schemas_of(openapi)),
    ))
    return SpecBuild(openapi, text, report, warnings)


def _check_fragment_shapes(fragments: tuple[Fragment, ...]) -> None:
    """Every block has the shape the stages read; else one error per place, at its page line."""
    problems = [
        replace(d, location=Location(f.origin.file, f.line_of(d.location.pointer or ""),
                                     d.location.pointer))
        for f in fragments for d in check_shape(f.doc)
    ]
    if problems:
        raise GeneratorError(problems)


def _localize_all(fragments: tuple[Any, ...]) -> tuple[LocalFragment, ...]:
    return tuple(map_all(localize, fragments))


def _check_refs(doc: dict[str, Any], merged: MergeResult) -> None:
    """Every `$ref` of the final document resolves (overlays may add broken ones)."""
    problems = []
    refs = list(iter_refs(doc))
    for ptr, schema in walk_schemas(doc):
        mapping = schema.get("discriminator", {}).get("mapping") \
            if isinstance(schema.get("discriminator"), dict) else None
        for value, ref in (mapping or {}).items():
            refs.append((f"{ptr}/discriminator/mapping/{escape(str(value))}", ref))
    for ptr, ref in refs:
        try:
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise KeyError(ref)
            resolve_pointer(doc, ref)
        except KeyError:
            problems.append(_locate(Diagnostic(
                Severity.ERROR, Location(pointer=ptr if "/mapping/" in ptr else f"{ptr}/$ref"),
                f"$ref {ref!r} does not resolve in the final document"), merged))
    if problems:
        raise GeneratorError(problems)


def _locate(diagnostic: Diagnostic, merged: MergeResult) -> Diagnostic:
    """Add the winning block's file:line to a diagnostic that only has a JSON pointer."""
    location = diagnostic.location
    if location.file is not None or location.pointer is None:
        return diagnostic
    best = None
    for source in (*merged.operations, *merged.components):
        if (location.pointer == source.pointer or location.pointer.startswith(
                source.pointer + "/")) and (best is None or len(source.pointer) > len(best.pointer)):
            best = source
    if best is None:
        return diagnostic
    where = best.where(location.pointer)
    return Diagnostic(diagnostic.severity, Location(where.file, where.line, location.pointer),
                      diagnostic.message, diagnostic.action)
