"""Minimal OpenAPI documents for the rule tests: one operation or component changed at a time."""

from __future__ import annotations

import copy
from typing import Any

from openrouter_codegen.changes import Change, ChangeSet, compare


def document(paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None,
             **top: Any) -> dict[str, Any]:
    """An OpenAPI 3.1 document with these paths and component schemas."""
    doc: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "Test", "version": "1"},
                           "paths": paths or {}, "components": {"schemas": schemas or {}}}
    doc.update(top)
    return doc


def get(responses: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """An operation tagged `Things`, answering 200 with no body unless told otherwise."""
    op: dict[str, Any] = {"operationId": "listThings", "tags": ["Things"],
                          "responses": responses or {"200": {"description": "ok"}}}
    op.update(fields)
    return op


def json_body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
    """A JSON request body with `schema`."""
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def json_answer(schema: dict[str, Any]) -> dict[str, Any]:
    """A 200 JSON answer with `schema`."""
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def ref(name: str) -> dict[str, str]:
    """A `$ref` to component schema `name`."""
    return {"$ref": f"#/components/schemas/{name}"}


def changed(old: dict[str, Any], edit: Any) -> ChangeSet:
    """The changes from `old` to a copy of it that `edit` modifies in place."""
    new = copy.deepcopy(old)
    edit(new)
    return compare(old, new)


def only(changes: ChangeSet, kind: str | None = None) -> Change:
    """The one change (of `kind`, if given) in `changes`; fails listing them otherwise."""
    found = [c for c in changes.changes if kind is None or c.change == kind]
    assert len(found) == 1, [c.as_json() for c in changes.changes]
    return found[0]


def kinds(changes: ChangeSet) -> list[str]:
    """The kinds of `changes`, in order."""
    return [c.change for c in changes.changes]
