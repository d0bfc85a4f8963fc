"""Paging: the `iter_<method>` of a list operation that pages by integer `offset` and `limit`
query parameters (detected from the spec), and its docstring."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from openrouter_codegen.client.model.ir import (
    ListOf,
    Named,
    Nullable,
    ObjectModel,
    Operation,
    Prim,
    TypeRef,
)
from openrouter_codegen.client.render.docstrings import DOC_WIDTH
from openrouter_codegen.client.render.expressions import Expressions


@dataclass(frozen=True)
class PageView:
    """The `iter_<method>` of a list operation that pages by integer `offset` and `limit`."""

    offset: str  # the Python names of the two arguments
    limit: str
    item: str  # annotation of one item
    items: str  # expression of a page's items, from `page`
    doc: str


def page_view(op: Operation, ex: Expressions, doc: str) -> PageView | None:
    """How to page through `op`, when it is a GET with integer `offset` and `limit` query
    parameters whose answer is an array, or an object with one array (`data` first)."""
    query = {p.name: p for p in op.params if p.location == "query"}
    bounds = [query.get("offset"), query.get("limit")]
    if op.http_method != "GET" or op.stream is not None or op.raw_response is not None or \
            not all(p is not None and _is_int(p.type) for p in bounds) or op.response is None:
        return None
    offset, limit = (p.py_name for p in bounds if p is not None)
    item: TypeRef | None = None
    items = "page"
    if isinstance(op.response, ListOf):
        item = op.response.item
    elif isinstance(op.response, Named):
        model = ex.models.get(op.response.name)
        lists = [f for f in model.fields if isinstance(_not_null(f.type), ListOf)] \
            if isinstance(model, ObjectModel) else []
        field = next((f for f in lists if f.json_name == "data"), lists[0] if len(lists) == 1
                     else None)
        if field is not None:
            item = _list_type(field.type).item
            items = f"page.{field.py_name}"
    if item is None:
        return None
    hint = ex.hint(item)
    text = (f"Every item of `{op.method_name}()`, page after page: pages of `{limit}` items "
            f"(the server's default if not given) are requested from `{offset}` (0 if not "
            "given) on, each when the items before it have been read, until a page comes back "
            f"short or empty. Takes the arguments of `{op.method_name}()`.")
    body = doc.rsplit("\n\nReturns:", 1)[0]
    return PageView(offset, limit, hint, items, f"{textwrap.fill(text, DOC_WIDTH)}\n\n{body}"
                    f"\n\nReturns:\n    An iterator of `{hint}`.")


def _not_null(t: TypeRef) -> TypeRef:
    return t.inner if isinstance(t, Nullable) else t


def _list_type(t: TypeRef) -> ListOf:
    """The array type of a field that is an array (or a nullable one)."""
    inner = _not_null(t)
    assert isinstance(inner, ListOf)
    return inner


def _is_int(t: TypeRef) -> bool:
    inner = _not_null(t)
    return isinstance(inner, Prim) and inner.kind == "int"
