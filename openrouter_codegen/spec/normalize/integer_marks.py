"""`x-integer: true` on a schema typed `number` makes it `integer`, its nullability kept.

The pages type counts, indexes, timestamps and limits `number` although the data is integral
(`prompt_tokens`, `created`, `index`, `max_tokens`, ...). An overlay marks such fields (by
property name, so the mark survives the pages' renaming of their schemas), and this rule,
run after the overlays, rewrites `type: number` to `type: integer` wherever the mark sits: in
`type`, in a `type` list (`[number, 'null']`) and in the branches of an `anyOf`/`oneOf`. The mark
is consumed, so the spec simply says `integer`. Only the declared type changes: the client never
coerces values, a float the server sends stays a float.
"""

from __future__ import annotations

from typing import Any

from openrouter_codegen.spec.fragments import JsonDoc

MARK = "x-integer"


def apply_integer_marks(doc: JsonDoc) -> int:
    """Rewrite every schema of `doc` marked `x-integer: true` in place; how many were marked."""
    count = 0
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if MARK in node and node.pop(MARK) is True:
                _to_integer(node)
                count += 1
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


def _to_integer(schema: dict[str, Any]) -> None:
    """`number` -> `integer` in `schema`'s type and in its union branches (not deeper: an array
    of numbers stays one)."""
    kind = schema.get("type")
    if kind == "number":
        schema["type"] = "integer"
    elif isinstance(kind, list):
        schema["type"] = ["integer" if k == "number" else k for k in kind]
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key) or ():
            if isinstance(branch, dict) and MARK not in branch:
                _to_integer(branch)
