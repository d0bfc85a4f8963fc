"""Operations: added, removed, deprecated, reworded, and each common one compared part by part."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.changes.bodies import diff_request_body, diff_responses
from openrouter_codegen.changes.change import Change
from openrouter_codegen.changes.document import operations, prose
from openrouter_codegen.changes.parameters import diff_parameters
from openrouter_codegen.changes.python_names import OperationNames
from openrouter_codegen.changes.security import diff_operation_security
from openrouter_codegen.changes.site import BOTH, Docs, Site


def diff_operations(docs: Docs, old_names: dict[str, OperationNames],
                    new_names: dict[str, OperationNames]) -> list[Change]:
    """Every operation-level change between the two documents, given each one's client names
    (`python_names.operation_names`)."""
    before, after = operations(docs.old), operations(docs.new)
    out: list[Change] = []
    for label, new in after.items():
        names = new_names.get(label) or _unnamed(label)
        site = Site(label, BOTH)
        if label not in before:
            out.append(site.change("operation-added", new.pointer, False,
                                   _summary("new operation", new.operation), f"{names.method}()"))
            continue
        old = before[label]
        old_ops = old_names.get(label) or _unnamed(label)
        if bool(old.operation.get("deprecated")) != bool(new.operation.get("deprecated")):
            out.append(site.change("deprecated", new.pointer, False, "operation deprecated"
                                   if new.operation.get("deprecated")
                                   else "operation no longer deprecated", f"{names.method}()"))
        for key in ("summary", "description"):
            if prose(old.operation.get(key)) != prose(new.operation.get(key)):
                out.append(site.change("description-changed", new.pointer, False,
                                       f"operation {key} changed", f"{names.method}()"))
        out += diff_operation_security(docs, old, new, names.method)
        out += diff_parameters(docs, old, new, old_ops, names)
        out += diff_request_body(docs, old, new, names.method)
        out += diff_responses(docs, old, new, names.method)
    for label, old in before.items():
        if label not in after:
            names = old_names.get(label) or _unnamed(label)
            out.append(Site(label, BOTH).change(
                "operation-removed", old.pointer, True,
                _summary("operation removed", old.operation), f"{names.method}()"))
    return out


def _unnamed(label: str) -> OperationNames:
    # The builder skips nothing it was given; this only guards a label it did not list.
    return OperationNames(method=f"({label})", params={})


def _summary(what: str, operation: dict[str, Any]) -> str:
    summary = prose(operation.get("summary"))
    return f"{what}: {summary}" if summary else what
