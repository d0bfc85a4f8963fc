"""Operation tags written as nested lists (`[[subpackage_models]]`, `[[]]`) -> flat strings.

The docs tool groups operations in "subpackages"; the group name without its `subpackage_`
prefix is the tag. An operation with no group has no `tags`. The document gets a sorted
top-level `tags` list with one entry per tag used.
"""

from __future__ import annotations

from typing import Any

from openrouter_codegen.common.schema_tools import iter_operations
from openrouter_codegen.spec.fragments import JsonDoc, pointer
from openrouter_codegen.spec.normalize.base import Changes, Rule, RuleContext, RuleOutcome

PREFIX = "subpackage_"


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [leaf for item in value for leaf in _flatten(item)]
    return [value]


def _tag(name: str) -> str:
    return name.removeprefix(PREFIX)


def apply(doc: JsonDoc, context: RuleContext) -> RuleOutcome:
    """Flatten operation tags, strip the group prefix, and list the tags at the top level."""
    changes = Changes()
    used: list[str] = []
    for path, method, op in iter_operations(doc):
        if "tags" not in op:
            continue
        raw = op["tags"]
        tags: list[str] = []
        for leaf in _flatten(raw):
            if isinstance(leaf, str) and leaf.strip():
                if _tag(leaf) not in tags:
                    tags.append(_tag(leaf))
            else:
                changes.warn(pointer("paths", path, method, "tags"),
                             f"tag {leaf!r} is not a name", "dropped")
        if tags != raw:
            changes.changed(f"{method.upper()} {path}: {raw!r} -> {tags or 'no tags'}")
        if tags:
            op["tags"] = tags
        else:
            del op["tags"]
        used.extend(t for t in tags if t not in used)
    declared = {}
    for entry in doc.get("tags") or []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            declared[_tag(entry["name"])] = {**entry, "name": _tag(entry["name"])}
    for name in used:
        declared.setdefault(name, {"name": name})
    if declared:
        doc["tags"] = [declared[name] for name in sorted(declared)]
    return changes.outcome()


RULE = Rule("flat-tags", "nested-list operation tags -> flat group names without "
            "`subpackage_`; top-level `tags` list", apply)
