"""Iterate the items of a list endpoint that pages by ``offset`` and ``limit``, page after page.

The endpoints' ``iter_<method>`` methods call these with the request of one page; each page is
requested only when the items before it have been consumed. Paging stops at a page shorter than
``limit`` (when the caller set one) or at an empty page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import TypeVar

from ._types import NotGiven

P = TypeVar("P")
T = TypeVar("T")


def _first(offset: int | NotGiven | None) -> int:
    return offset if isinstance(offset, int) else 0


def _last(items: Sequence[object], limit: int | NotGiven | None) -> bool:
    """Whether this page is the last: empty, or shorter than the limit asked for."""
    return not items or (isinstance(limit, int) and len(items) < limit)


def paginate(
    fetch: Callable[[int], P],
    items: Callable[[P], Sequence[T] | None],
    offset: int | NotGiven | None,
    limit: int | NotGiven | None,
) -> Iterator[T]:
    """Items of the pages ``fetch(offset)`` returns, from ``offset`` (0 if not given) on."""
    at = _first(offset)
    while True:
        page = items(fetch(at)) or []
        yield from page
        if _last(page, limit):
            return
        at += len(page)


async def apaginate(
    fetch: Callable[[int], Awaitable[P]],
    items: Callable[[P], Sequence[T] | None],
    offset: int | NotGiven | None,
    limit: int | NotGiven | None,
) -> AsyncIterator[T]:
    """``paginate`` for the async client: ``async for item in client.x.iter_list(...)``."""
    at = _first(offset)
    while True:
        page = items(await fetch(at)) or []
        for item in page:
            yield item
        if _last(page, limit):
            return
        at += len(page)
