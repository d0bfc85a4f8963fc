"""A request body whose schema requires properties cannot be omitted."""

from __future__ import annotations

from openrouter_codegen.common.schema_tools import iter_operations, resolve
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Mark request bodies `required: true` when their schema has required properties."""
    changes = Changes()
    for path, method, op in iter_operations(doc):
        body = op.get("requestBody")
        if not isinstance(body, dict) or "required" in body or "$ref" in body:
            continue
        for media in (body.get("content") or {}).values():
            schema = resolve(doc, (media or {}).get("schema"))
            if isinstance(schema, dict) and schema.get("required"):
                body["required"] = True
                changes.changed(f"{method.upper()} {path}")
                break
    return changes.outcome()


RULE = Rule("required-body", "request bodies whose schema has required properties -> "
            "`required: true`", apply)
