"""Schemas compared structurally, through `$ref`s: properties, required, nullable, types, enums,
items and the branches of unions.

A `$ref` to the same component on both sides stops here: the component is compared once, on its
own (`components.py`), so a change in a shared schema is reported once. A `$ref` that now points
elsewhere (or turned inline) is one `type-changed`, breaking when what it now points to breaks.
"""

from __future__ import annotations

import json
from typing import Any

from openrouter_codegen.changes.change import Change, Kind
from openrouter_codegen.changes.document import prose, resolve
from openrouter_codegen.changes.python_names import field_name
from openrouter_codegen.changes.site import Docs, Site, child
from openrouter_codegen.common.schema_tools import as_mapping, is_null_schema, schema_ref_name
from openrouter_codegen.spec.fragments import escape

# Deeper than this, inline schemas are not compared (bounded time on hostile documents).
MAX_DEPTH = 48
_UNIONS = ("oneOf", "anyOf")
_PY_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}
Pair = tuple[str, str]


def diff_schema(docs: Docs, old: Any, old_ptr: str, new: Any, new_ptr: str, site: Site,
                python: str, stack: frozenset[Pair] = frozenset()) -> list[Change]:
    """The changes from schema `old` (at `old_ptr` in docs.old) to `new` (at `new_ptr`)."""
    at = new_ptr  # where a change of the schema as a whole (its type, its nullability) is shown
    old_inner, old_ptr, old_wrapped = _unwrap(old, old_ptr)
    new_inner, new_ptr, new_wrapped = _unwrap(new, new_ptr)
    old_name, new_name = schema_ref_name(_ref(old_inner)), schema_ref_name(_ref(new_inner))
    if old_name is not None and old_name == new_name:
        # Compared once as a component; here only a null wrapper around the ref can change.
        return _nullable(old_wrapped, new_wrapped, at, site, python)
    old_node, old_at = resolve(docs.old, old_inner, old_ptr)
    new_node, new_at = resolve(docs.new, new_inner, new_ptr)
    if (old_at, new_at) in stack or len(stack) > MAX_DEPTH:
        return []
    stack = stack | {(old_at, new_at)}
    if old_name != new_name:
        key = (old_at, new_at, site.directions)
        inner = docs.compared.get(key)
        if inner is None:
            inner = docs.compared[key] = tuple(_compare(
                docs, as_mapping(old_node), old_at, as_mapping(new_node), new_at, site, python, stack))
        before, after = f"`{old_name}`" if old_name else "an inline schema", \
            f"`{new_name}`" if new_name else "an inline schema"
        breaking = any(c.breaking for c in inner)
        how = "; breaking: " + _first_breaking(inner) if breaking else ""
        changes = [site.change("type-changed", at, breaking,
                               f"was {before}, now {after}{how}", python)]
        return changes + _nullable(old_wrapped or _own_nullable(old_node),
                                   new_wrapped or _own_nullable(new_node), at, site, python)
    return (_nullable(old_wrapped or _own_nullable(old_node),
                      new_wrapped or _own_nullable(new_node), at, site, python)
            + _compare(docs, as_mapping(old_node), old_at, as_mapping(new_node), new_at, site,
                       python, stack))


def _compare(docs: Docs, old: dict[str, Any], old_ptr: str, new: dict[str, Any], new_ptr: str,
             site: Site, python: str, stack: frozenset[Pair]) -> list[Change]:
    """Two inline schemas (refs already followed), key by key."""
    out: list[Change] = []
    if prose(old.get("description")) != prose(new.get("description")):
        out.append(site.change("description-changed", new_ptr, False, "description changed",
                               python))
    if bool(old.get("deprecated")) != bool(new.get("deprecated")):
        out.append(site.change("deprecated", new_ptr, False, "deprecated"
                               if new.get("deprecated") else "no longer deprecated", python))
    out += _types(docs, old, new, new_ptr, site, python)
    out += _enum(old, old_ptr, new, new_ptr, site, python)
    out += _properties(docs, old, old_ptr, new, new_ptr, site, python, stack)
    for key in ("items", "additionalProperties"):
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            out += diff_schema(docs, old[key], f"{old_ptr}/{key}", new[key], f"{new_ptr}/{key}",
                               site, f"{python}[]" if key == "items" else f"{python}[str]", stack)
    out += _branches(docs, old, old_ptr, new, new_ptr, site, python, stack)
    return out


def _properties(docs: Docs, old: dict[str, Any], old_ptr: str, new: dict[str, Any],
                new_ptr: str, site: Site, python: str, stack: frozenset[Pair]) -> list[Change]:
    out: list[Change] = []
    old_props, new_props = as_mapping(old.get("properties")), as_mapping(new.get("properties"))
    old_req, new_req = _required(old), _required(new)
    # A schema used both ways is named after requests: there the caller writes the field.
    added: Kind = "request-property-added" if site.request else "response-property-added"
    removed: Kind = "request-property-removed" if site.request else "response-property-removed"
    for name in new_props:
        if name in old_props:
            continue
        required = name in new_req
        out.append(site.change(
            added, f"{new_ptr}/properties/{escape(str(name))}",
            site.request and required,
            f"new {'required' if required else 'optional'} property {name!r}",
            child(python, field_name(str(name)))))
    for name in old_props:
        if name not in new_props:
            out.append(site.change(
                removed, f"{old_ptr}/properties/{escape(str(name))}",
                True, f"property {name!r} removed", child(python, field_name(str(name)))))
    for name in new_props:
        if name not in old_props:
            continue
        at, was = f"{new_ptr}/properties/{escape(str(name))}", f"{old_ptr}/properties/{escape(str(name))}"
        py = child(python, field_name(str(name)))
        if name in new_req and name not in old_req:
            out.append(site.change("property-required-added", at, site.request,
                                   f"property {name!r} is now required", py))
        elif name in old_req and name not in new_req:
            out.append(site.change("property-required-removed", at, site.response,
                                   f"property {name!r} is no longer required", py))
        out += diff_schema(docs, old_props[name], was, new_props[name], at, site, py, stack)
    return out


def _branches(docs: Docs, old: dict[str, Any], old_ptr: str, new: dict[str, Any], new_ptr: str,
              site: Site, python: str, stack: frozenset[Pair]) -> list[Change]:
    """Union branches (oneOf/anyOf, one kind) and allOf parts, matched by the component they
    name, inline ones by position among the inline ones."""
    out: list[Change] = []
    for keys in (_UNIONS, ("allOf",)):
        old_key = next((k for k in keys if isinstance(old.get(k), list)), keys[0])
        new_key = next((k for k in keys if isinstance(new.get(k), list)), keys[0])
        old_b, new_b = _labelled(old.get(old_key)), _labelled(new.get(new_key))
        union = keys == _UNIONS
        for label, (i, branch) in new_b.items():
            if label not in old_b:
                # A new union branch widens the type; a new allOf part may add required fields.
                breaking = not union and site.request and bool(
                    _required(as_mapping(resolve(docs.new, branch, "")[0])))
                out.append(site.change("type-changed", f"{new_ptr}/{new_key}/{i}", breaking,
                                       f"{new_key} gains {_show(label)}", python))
        for label, (i, branch) in old_b.items():
            if label not in new_b:
                # A union losing a branch narrows what may be sent; an allOf part takes fields.
                breaking = site.request if union else True
                out.append(site.change("type-changed", f"{old_ptr}/{old_key}/{i}", breaking,
                                       f"{old_key} loses {_show(label)}", python))
        for label, (i, branch) in new_b.items():
            if label in old_b:
                j, before = old_b[label]
                out += diff_schema(docs, before, f"{old_ptr}/{old_key}/{j}", branch,
                                   f"{new_ptr}/{new_key}/{i}", site, python, stack)
    return out


def _labelled(branches: Any) -> dict[str, tuple[int, Any]]:
    """Branches by label: the component a `$ref` names, else `#n` for the n-th inline branch;
    null branches are left out (they are the schema's nullability)."""
    out: dict[str, tuple[int, Any]] = {}
    inline = 0
    for i, branch in enumerate(branches if isinstance(branches, list) else ()):
        if is_null_schema(branch):
            continue
        name = schema_ref_name(_ref(branch))
        if name is None:
            name, inline = f"#{inline}", inline + 1
        out.setdefault(name, (i, branch))
    return out


def _show(label: str) -> str:
    return f"inline branch {label}" if label.startswith("#") else f"`{label}`"


def _types(docs: Docs, old: dict[str, Any], new: dict[str, Any], new_ptr: str, site: Site,
           python: str) -> list[Change]:
    before, after = _type_set(docs.old, old), _type_set(docs.new, new)
    if before == after:
        return []
    wider_or_same = not after or (before and _accepts(before) <= _accepts(after))
    narrower = not before or (after and _accepts(after) <= _accepts(before))
    if wider_or_same:
        breaking, how = site.response, "widened"
    elif narrower:
        breaking, how = site.request, "narrowed"
    else:
        breaking, how = True, "changed"
    return [site.change("type-changed", new_ptr, breaking,
                        f"type {how}: {_type_text(before)} -> {_type_text(after)}", python)]


def _type_set(document: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> frozenset[str]:
    """The JSON types a schema allows, null aside; empty means any. A union's are its branches'."""
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else \
        {t for t in declared if isinstance(t, str)} if isinstance(declared, list) else set()
    types.discard("null")
    if types:
        return frozenset(types)
    if "properties" in schema:
        return frozenset({"object"})
    if "items" in schema:
        return frozenset({"array"})
    values = _enum_values(schema)
    if values:
        return frozenset(_PY_TYPES.get(type(v), "object") for v in values if v is not None)
    branches = next((schema[k] for k in _UNIONS if isinstance(schema.get(k), list)), None)
    if branches and depth < 4:
        found: set[str] = set()
        for branch in branches:
            if is_null_schema(branch):
                continue
            inner = _type_set(document, as_mapping(resolve(document, branch, "")[0]), depth + 1)
            if not inner:
                return frozenset()
            found |= inner
        return frozenset(found)
    return frozenset()


def _accepts(types: frozenset[str]) -> frozenset[str]:
    return types | {"integer"} if "number" in types else types


def _type_text(types: frozenset[str]) -> str:
    return " | ".join(sorted(types)) if types else "any"


def _enum(old: dict[str, Any], old_ptr: str, new: dict[str, Any], new_ptr: str, site: Site,
          python: str) -> list[Change]:
    before = {_key(v): v for v in _enum_values(old) if v is not None}
    after = {_key(v): v for v in _enum_values(new) if v is not None}
    if before == after or (not before and not after):
        return []
    if not before or not after:
        # An enum appears (a narrowing) or goes (its class and members go with it).
        breaking = site.request if after else True
        what = f"now an enum of {len(after)} values" if after else "no longer an enum"
        return [site.change("type-changed", new_ptr, breaking, what, python)]
    out = [site.change("enum-value-added", new_ptr, False, f"enum value {value!r} added",
                       python, value) for key, value in after.items() if key not in before]
    out += [site.change("enum-value-removed", old_ptr, True, f"enum value {value!r} removed",
                        python, value) for key, value in before.items() if key not in after]
    return out


def _enum_values(schema: dict[str, Any]) -> list[Any]:
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    return [schema["const"]] if "const" in schema else []


def _key(value: Any) -> str:
    # Enum values compare by JSON class and value (`1` is not `true`, nor `1.0`).
    return f"{type(value).__name__}:{json.dumps(value, sort_keys=True, default=str)}"


def _nullable(before: bool, after: bool, pointer: str, site: Site, python: str) -> list[Change]:
    if before == after:
        return []
    breaking = site.response if after else site.request
    return [site.change("property-nullable-changed", pointer, breaking,
                        "may now be null" if after else "may no longer be null", python)]


def _unwrap(node: Any, pointer: str) -> tuple[Any, str, bool]:
    """`oneOf|anyOf: [X, {type: null}]` as (X, its pointer, True); anything else as itself."""
    if isinstance(node, dict):
        for key in _UNIONS:
            branches = node.get(key)
            if isinstance(branches, list) and len(branches) == 2:
                nulls = [is_null_schema(b) for b in branches]
                if nulls.count(True) == 1:
                    i = nulls.index(False)
                    return branches[i], f"{pointer}/{key}/{i}", True
    return node, pointer, False


def _own_nullable(schema: Any) -> bool:
    """Null allowed by the schema itself: `type: [..., 'null']`, `nullable: true` (3.0), a null
    union branch, or `null` among the enum values."""
    if not isinstance(schema, dict):
        return False
    declared = schema.get("type")
    if declared == "null" or (isinstance(declared, list) and "null" in declared):
        return True
    if schema.get("nullable") is True:
        return True
    if any(is_null_schema(b) for k in _UNIONS for b in _list(schema.get(k))):
        return True
    return None in _list(schema.get("enum")) and "type" not in schema


def _first_breaking(changes: tuple[Change, ...]) -> str:
    first = next(c for c in changes if c.breaking)
    return f"{first.detail} at {first.pointer}"


def _required(schema: dict[str, Any]) -> set[str]:
    return {str(r) for r in _list(schema.get("required"))}


def _ref(node: Any) -> Any:
    return node.get("$ref") if isinstance(node, dict) else None


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []
