"""`type: string, enum: [{type: booleanLiteral, value: true}]` is really the boolean const true."""

from __future__ import annotations

from openrouter_codegen.common.schema_tools import walk_schemas
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome

_TEXT = {"true": True, "false": False}


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Turn one-item booleanLiteral enums into `type: boolean, const: <bool>`."""
    changes = Changes()
    for ptr, schema in walk_schemas(doc):
        enum = schema.get("enum")
        if not (isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], dict)
                and enum[0].get("type") == "booleanLiteral" and "value" in enum[0]):
            continue
        value = enum[0]["value"]
        value = _TEXT.get(value.lower(), value) if isinstance(value, str) else value
        if not isinstance(value, bool):
            changes.warn(ptr, f"booleanLiteral with a non-boolean value {value!r}")
            continue
        del schema["enum"]
        schema["type"] = "boolean"
        schema["const"] = value
        changes.changed(f"#{ptr}: const {str(value).lower()}")
    return changes.outcome()


RULE = Rule("boolean-literal", "one-item `booleanLiteral` enums (typed string) -> "
            "`type: boolean` + `const`", apply)
