"""Two OpenAPI documents -> their changes (pure)."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.changes.change import ChangeSet, sorted_changes
from openrouter_codegen.changes.components import diff_components
from openrouter_codegen.changes.operations import diff_operations
from openrouter_codegen.changes.python_names import operation_names
from openrouter_codegen.changes.security import diff_schemes
from openrouter_codegen.changes.site import Docs


def compare(old: dict[str, Any], new: dict[str, Any]) -> ChangeSet:
    """Every change from `old` to `new` that matters to the generated client, breaking first."""
    docs = Docs(old, new)
    old_names, new_names = operation_names(old), operation_names(new)
    changes = diff_operations(docs, old_names, new_names) + diff_components(docs) \
        + diff_schemes(docs)
    methods = {label: names.method for label, names in {**old_names, **new_names}.items()}
    return ChangeSet(sorted_changes(changes), tuple(sorted(methods.items())))
