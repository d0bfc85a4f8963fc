"""Enum items written as objects (`{value: Router}`) are plain values."""

from __future__ import annotations

from openrouter_codegen.common.schema_tools import NOT_LITERAL, literal_of, walk_schemas
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Replace object enum items by their `value`; drop duplicates this creates."""
    changes = Changes()
    for ptr, schema in walk_schemas(doc):
        enum = schema.get("enum")
        if not isinstance(enum, list) or not any(isinstance(v, dict) for v in enum):
            continue
        plain: list[object] = []
        seen: set[str] = set()
        converted = 0
        for i, item in enumerate(enum):
            value = literal_of(item)
            if value is NOT_LITERAL:
                changes.warn(f"{ptr}/enum/{i}", "enum item is an object without a `value`")
                value = item
            elif value is not item:
                converted += 1
            key = repr(value)
            if key not in seen:
                seen.add(key)
                plain.append(value)
        schema["enum"] = plain
        if converted:
            changes.changed(f"#{ptr}: {converted} item(s)", converted)
    return changes.outcome()


RULE = Rule("enum-object-items", "enum items written as `{value: X}` -> plain `X` "
            "(count = items)", apply)
