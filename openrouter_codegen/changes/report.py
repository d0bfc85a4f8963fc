"""`spec/API_CHANGES.md`: what the last change of the spec changed in the API.

The report describes the last change, so a run that leaves the spec as it is keeps the report as
it is (regenerating twice changes nothing); `check` computes it the same way, so a fresh
`generate` is never stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openrouter_codegen.changes.change import ChangeSet
from openrouter_codegen.changes.compare import compare
from openrouter_codegen.changes.load import load_document
from openrouter_codegen.changes.render import to_markdown
from openrouter_codegen.common.diagnostics import GeneratorError

TITLE = "API changes"
INTRO = ("What the last change of `spec/openapi.yaml` changed in the API and in the generated "
         "client (written by `make generate`; kept as it is while the spec stays the same).")


@dataclass(frozen=True)
class ApiChanges:
    """The report's text and the changes it describes (none when the spec is unchanged)."""

    text: str
    changes: ChangeSet


def api_changes(previous_spec: str | None, previous_report: str | None, spec_text: str,
                spec: dict[str, Any], previous_name: str) -> ApiChanges:
    """The report for going from `previous_spec` (the committed text, None when there is none;
    its name in messages is `previous_name`) to `spec` (whose text is `spec_text`)."""
    if previous_spec == spec_text:
        if previous_report is not None:
            return ApiChanges(previous_report, ChangeSet(()))
        return ApiChanges(to_markdown(ChangeSet(()), TITLE, INTRO), ChangeSet(()))
    intro, old = INTRO, {}  # with no committed spec, the whole API is new
    if previous_spec is not None:
        try:
            old = load_document(previous_spec, previous_name)
        except GeneratorError as exc:
            # A broken committed spec (say, merge conflict markers) is what regenerating fixes.
            intro += (f" The previous spec could not be read ({exc.diagnostics[0]}), so the whole "
                      "API is listed as new.")
    changes = compare(old, spec)
    return ApiChanges(to_markdown(changes, TITLE, intro), changes)
