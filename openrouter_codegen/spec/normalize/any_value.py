"""Placeholders for "anything": `description: Any type` and `{type: object, properties: {}}`.

The docs export writes values it could not type (quantization, tokenizer, free-form JSON) as
an object with no properties, or as a schema whose only content is `description: Any type`.
Both become the any-value schema `{}`; a real description is kept.
"""

from __future__ import annotations

from openrouter_codegen.common.schema_tools import walk_schemas
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome

_ANNOTATIONS = {"description", "title"}


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Replace any-value placeholders by `{}` (keeping a meaningful description)."""
    changes = Changes()
    for ptr, schema in walk_schemas(doc):
        keys = set(schema)
        if schema.get("description") == "Any type" and keys <= _ANNOTATIONS:
            del schema["description"]
            changes.changed(f"#{ptr}: `Any type`")
        elif (schema.get("type") == "object" and schema.get("properties") == {}
              and keys - _ANNOTATIONS == {"type", "properties"}):
            del schema["type"], schema["properties"]
            changes.changed(f"#{ptr}: empty object placeholder")
    return changes.outcome()


RULE = Rule("any-value", "`description: Any type` and empty-object placeholders -> any value "
            "`{}`", apply)
