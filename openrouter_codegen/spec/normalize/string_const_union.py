"""A `oneOf` of string constants (`none`, `auto`, `required`) is one string enum."""

from __future__ import annotations

from typing import Any

from openrouter_codegen.common.schema_tools import UNION_KEYS, walk_schemas
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome

_ALLOWED = {"type", "const", "enum", "description", "title"}


def string_values(branch: Any) -> list[str] | None:
    """The strings an inline string-literal branch allows (`const` or all-string `enum`)."""
    if not isinstance(branch, dict) or set(branch) - _ALLOWED or branch.get("type", "string") \
            != "string":
        return None
    if "const" in branch:
        return [branch["const"]] if isinstance(branch["const"], str) else None
    enum = branch.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
        return list(enum)
    return None


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Fold the string-literal branches of a union into one `type: string, enum` branch."""
    changes = Changes()
    for ptr, schema in walk_schemas(doc):
        for key in UNION_KEYS:
            branches = schema.get(key)
            if not isinstance(branches, list):
                continue
            literal = [(i, string_values(b)) for i, b in enumerate(branches)]
            picked = [(i, v) for i, v in literal if v is not None]
            if len(picked) < 2:
                continue
            values: list[str] = []
            for _, found in picked:
                values.extend(v for v in found if v not in values)
            merged = {"type": "string", "enum": values}
            if len(picked) == len(branches) and not set(schema) & {"type", "enum", "const"}:
                del schema[key]
                schema.update(merged)
                changes.changed(f"#{ptr}: {key} of {len(branches)} string constants -> enum")
                break
            first = picked[0][0]
            dropped = {i for i, _ in picked[1:]}
            schema[key] = [merged if i == first else b for i, b in enumerate(branches)
                           if i not in dropped]
            changes.changed(f"#{ptr}: {len(picked)} string-constant branches -> one enum branch")
    return changes.outcome()


RULE = Rule("string-const-union", "`oneOf` of string constants -> one `type: string` enum "
            "(other branches kept beside it)", apply)
