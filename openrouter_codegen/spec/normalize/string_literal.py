"""`enum: [{type: stringLiteral, value: X}]` (one item) is the constant X."""

from __future__ import annotations

from openrouter_codegen.common.schema_tools import walk_schemas
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome

_LITERALS = {"stringLiteral", "numberLiteral", "integerLiteral"}


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Turn one-item literal enums into `const` (the declared `type` stays)."""
    changes = Changes()
    for ptr, schema in walk_schemas(doc):
        enum = schema.get("enum")
        if (isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], dict)
                and enum[0].get("type") in _LITERALS and set(enum[0]) == {"type", "value"}):
            value = enum[0]["value"]
            del schema["enum"]
            schema["const"] = value
            changes.changed(f"#{ptr}: const {value!r}")
    return changes.outcome()


RULE = Rule("string-literal", "one-item `stringLiteral` enums -> `const` (type kept)", apply)
