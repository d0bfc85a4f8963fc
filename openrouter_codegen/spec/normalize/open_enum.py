"""`oneOf: [<enum>, {type: string}]` is an open enum: known values, any string accepted.

It becomes `anyOf` (a known value matches both branches, so `oneOf` would reject it) and is
marked `x-open-enum: true` so the client generator can recognise it.
"""

from __future__ import annotations

from typing import Any

from openrouter_codegen.common.schema_tools import UNION_KEYS, resolve, walk_schemas
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome

OPEN_ENUM = "x-open-enum"


def _is_plain_string(branch: Any) -> bool:
    return (isinstance(branch, dict) and branch.get("type") == "string"
            and set(branch) <= {"type", "description", "title"})


def _is_string_enum(doc: JsonDoc, branch: Any) -> bool:
    target = resolve(doc, branch)
    return (isinstance(target, dict) and isinstance(target.get("enum"), list)
            and target.get("type", "string") == "string"
            and all(isinstance(v, str) for v in target["enum"]))


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Rewrite `[enum, string]` unions as `anyOf` + `x-open-enum: true`."""
    changes = Changes()
    for ptr, schema in walk_schemas(doc):
        for key in UNION_KEYS:
            branches = schema.get(key)
            if not (isinstance(branches, list) and len(branches) == 2):
                continue
            strings = [_is_plain_string(b) for b in branches]
            if strings.count(True) != 1:
                continue
            known = branches[strings.index(False)]
            if not _is_string_enum(doc, known):
                continue
            del schema[key]
            schema["anyOf"] = [known, branches[strings.index(True)]]
            schema[OPEN_ENUM] = True
            changes.changed(f"#{ptr}")
            break
    return changes.outcome()


RULE = Rule("open-enum", "`oneOf: [enum, {type: string}]` -> `anyOf` + `x-open-enum: true`",
            apply)
