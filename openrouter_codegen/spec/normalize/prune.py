"""Component schemas nothing refers to any more (earlier versions replaced by a later page)."""

from __future__ import annotations

from openrouter_codegen.common.schema_tools import iter_refs, schema_ref_name, schemas_of
from openrouter_codegen.spec.fragments import JsonDoc, escape
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome


def reachable(doc: JsonDoc) -> set[str]:
    """Names of the component schemas reachable from anything but the schemas themselves."""
    schemas = schemas_of(doc)
    roots = {k: v for k, v in doc.items() if k != "components"}
    roots["components"] = {k: v for k, v in (doc.get("components") or {}).items()
                           if k != "schemas"}
    todo = [name for _, ref in iter_refs(roots) if (name := schema_ref_name(ref))]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(n for _, ref in iter_refs(schemas[name]) if (n := schema_ref_name(ref)))
        mapping = (schemas[name].get("discriminator") or {}).get("mapping") \
            if isinstance(schemas[name], dict) else None
        todo.extend(n for v in (mapping or {}).values() if (n := schema_ref_name(v)))
    return seen


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Drop component schemas no operation or other component reaches."""
    changes = Changes()
    schemas = schemas_of(doc)
    keep = reachable(doc)
    for name in [n for n in schemas if n not in keep]:
        del schemas[name]
        changes.changed(f"#/components/schemas/{escape(name)}")
    return changes.outcome()


RULE = Rule("prune-unreferenced", "component schemas no operation reaches any more -> dropped",
            apply)
