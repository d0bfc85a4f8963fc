"""Read-only views of an OpenAPI document for the comparison: operations, `$ref`s, component users."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from openrouter_codegen.changes.change import Direction
from openrouter_codegen.common.schema_tools import (
    HTTP_METHODS,
    as_mapping,
    resolve_pointer,
    schema_ref_name,
)
from openrouter_codegen.spec.fragments import escape

# How many `$ref`s in a row are followed before a chain is taken as a cycle.
MAX_REF_CHAIN = 64


@dataclass(frozen=True)
class OperationRef:
    """One operation: its label (`GET /models`), pointer, object and path item."""

    label: str
    pointer: str
    operation: dict[str, Any]
    path_item: dict[str, Any]


def operations(document: dict[str, Any]) -> dict[str, OperationRef]:
    """Every operation of `document` by label (`METHOD /path`)."""
    out: dict[str, OperationRef] = {}
    for path, item in as_mapping(document.get("paths")).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                label = f"{method.upper()} {path}"
                out[label] = OperationRef(label, f"/paths/{escape(str(path))}/{method}", op, item)
    return out


def resolve(document: dict[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """Follow a chain of local `$ref`s from `node` (at `pointer`); return what it ends in and
    where. A ref to nowhere, or a chain longer than MAX_REF_CHAIN (a cycle), ends at the ref."""
    for _ in range(MAX_REF_CHAIN):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)
                and node["$ref"].startswith("#")):
            return node, pointer
        target_pointer = node["$ref"][1:]
        try:
            node, pointer = resolve_pointer(document, target_pointer), target_pointer
        except KeyError:
            return node, pointer
    return node, pointer


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    """`components.schemas` (empty when absent or not a mapping)."""
    return as_mapping(as_mapping(document.get("components")).get("schemas"))


Users = dict[str, dict[str, frozenset[Direction]]]


def prose(value: Any) -> str | None:
    """A description or summary as text; absent and empty are the same (no prose)."""
    return None if value is None or value == "" else str(value)


def component_users(document: dict[str, Any]) -> Users:
    """For each component schema, the operations that reach it (through any chain of `$ref`s)
    and whether in a request (parameters, body) or a response."""
    direct: dict[str, set[str]] = {}
    found: dict[str, dict[str, set[Direction]]] = defaultdict(lambda: defaultdict(set))
    for label, ref in operations(document).items():
        roots: list[tuple[Any, Direction]] = [
            (ref.path_item.get("parameters"), "request"), (ref.operation.get("parameters"), "request"),
            (ref.operation.get("requestBody"), "request"), (ref.operation.get("responses"), "response"),
        ]
        for root, direction in roots:
            for name in _reachable(document, root, direct):
                found[name][label].add(direction)
    return {name: {op: frozenset(dirs) for op, dirs in ops.items()} for name, ops in found.items()}


def _reachable(document: dict[str, Any], root: Any, direct: dict[str, set[str]]) -> set[str]:
    """Component schema names reachable from `root`; `direct` memoises each schema's own refs."""
    seen: set[str] = set()
    todo = list(_refs(document, root))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in direct:
            direct[name] = _refs(document, schemas(document).get(name))
        todo.extend(direct[name] - seen)
    return seen


def _refs(document: dict[str, Any], node: Any) -> set[str]:
    """Component schema names `node` refers to, looking through refs to other components
    (parameters, request bodies, responses) but not into the schemas themselves."""
    out: set[str] = set()
    stack, visited = [node], set[str]()
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                name = schema_ref_name(ref)
                if name is not None:
                    out.add(name)
                elif ref.startswith("#") and ref not in visited:
                    visited.add(ref)
                    target, _ = resolve(document, current, "")
                    if target is not current:
                        stack.append(target)
            stack.extend(v for k, v in current.items() if k != "$ref")
    return out
