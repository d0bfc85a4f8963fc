"""Tagged unions: every `oneOf` branch pins one property (`type`, `role`, ...) to a distinct value.

Such a union gets `discriminator: {propertyName, mapping}` with every mapping value a `$ref`.
Inline branches are hoisted into `components.schemas`:
- an existing component equal to the branch (ignoring its description) is reused;
- a stub branch that declares nothing but the tag is replaced by the component that defines
  the same tag value (the docs export leaves such stubs; the full variant is a component);
- otherwise the branch becomes `<UnionName><TagValue>` (made unique if taken).
An existing `discriminator` without `mapping` gets its mapping.
"""

from __future__ import annotations

import os
from typing import Any

from openrouter_codegen.common.schema_tools import (
    pascal,
    pinned_value,
    ref_name,
    ref_to,
    resolve,
    schemas_of,
    site_name,
    tag_property,
    unique,
    walk_schemas,
)
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome

_ANNOTATIONS = ("description", "title")


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Add discriminators with mappings to tagged `oneOf` unions, hoisting inline branches."""
    changes = Changes()
    schemas = schemas_of(doc)
    for ptr, schema in list(walk_schemas(doc)):
        branches = schema.get("oneOf")
        existing = schema.get("discriminator")
        preferred = existing.get("propertyName") if isinstance(existing, dict) else None
        if not isinstance(branches, list):
            continue
        found = tag_property(doc, branches, preferred)
        if found is None or not all(isinstance(v, str) for v in found[1]):
            if isinstance(existing, dict) and not existing.get("mapping"):
                changes.warn(ptr, f"discriminator on {preferred!r} has no mapping and not every "
                             "branch pins that property to a distinct string",
                             "mapping not added")
            continue
        prop, values = found
        union = site_name(doc, ptr)
        mapping: dict[str, str] = {}
        new_branches: list[Any] = []
        hoisted: list[str] = []
        for branch, value in zip(branches, values, strict=True):
            name = ref_name(branch)
            if name is None:
                name, how = _hoist(doc, schemas, branch, union, prop, value, context)
                hoisted.append(f"{value} -> {name} ({how})")
                branch = {"$ref": ref_to(name)}
            new_branches.append(branch)
            mapping[value] = ref_to(name)
        schema["oneOf"] = new_branches
        schema["discriminator"] = {**(existing if isinstance(existing, dict) else {}),
                                   "propertyName": prop, "mapping": mapping}
        note = f"#{ptr} ({union}): on `{prop}`, {len(mapping)} variants"
        if hoisted:
            note += "; inline branches: " + "; ".join(hoisted)
        changes.changed(note)
    return changes.outcome()


def _hoist(doc: JsonDoc, schemas: dict[str, Any], branch: dict[str, Any], union: str,
           prop: str, value: str, context: RuleContext) -> tuple[str, str]:
    bare = _strip(branch)
    for name, candidate in schemas.items():
        if isinstance(candidate, dict) and _strip(candidate) == bare:
            return name, "equal to an existing component"
    if set(branch.get("properties") or {}) == {prop}:
        defining = [name for name, candidate in schemas.items()
                    if _defines_tag(doc, candidate, prop, value)]
        if defining:
            best = min(defining, key=lambda n: (-len(os.path.commonprefix([n, union])),
                                                -context.component_rank.get(n, -1), n))
            return best, "stub branch; the component defining this tag value is used"
    name = unique(union + (pascal(value) or "Variant"), schemas)
    schemas[name] = branch
    return name, "hoisted"


def _strip(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in _ANNOTATIONS}


def _defines_tag(doc: JsonDoc, schema: Any, prop: str, value: str) -> bool:
    if not isinstance(schema, dict) or any(k in schema for k in ("oneOf", "anyOf", "allOf")):
        return False
    props = schema.get("properties")
    if not isinstance(props, dict) or len(props) < 2 or prop not in props:
        return False
    return bool(pinned_value(resolve(doc, props[prop])) == value)


RULE = Rule("discriminator", "tagged `oneOf` unions -> `discriminator` with `mapping`; inline "
            "branches hoisted to components", apply)
