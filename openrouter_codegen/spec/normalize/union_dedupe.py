"""`oneOf`/`anyOf` listing the same branch twice (`[number, string, number]`)."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.common.schema_tools import UNION_KEYS, walk_schemas
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome

_ANNOTATIONS = {"description", "title"}


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Remove repeated union branches; a union left with one branch becomes that branch."""
    changes = Changes()
    for ptr, schema in walk_schemas(doc):
        for key in UNION_KEYS:
            branches = schema.get(key)
            if not isinstance(branches, list):
                continue
            unique: list[Any] = []
            for branch in branches:
                if branch not in unique:
                    unique.append(branch)
            if len(unique) == len(branches):
                continue
            schema[key] = unique
            note = f"#{ptr}/{key}: {len(branches) - len(unique)} duplicate branch(es) removed"
            if len(unique) == 1 and collapse(schema, key):
                note += "; the single branch left replaces the union"
            changes.changed(note, len(branches) - len(unique))
    return changes.outcome()


def collapse(schema: dict[str, Any], key: str) -> bool:
    """Replace a one-branch union by its branch when their keys do not clash."""
    (branch,) = schema[key]
    clash = (set(schema) - {key} - _ANNOTATIONS) & set(branch)
    if clash or not isinstance(branch, dict):
        return False
    del schema[key]
    for name, value in branch.items():
        schema.setdefault(name, value)
    return True


RULE = Rule("union-dedupe", "duplicate `oneOf`/`anyOf` branches removed (count = branches); a "
            "one-branch union collapses to its branch", apply)
