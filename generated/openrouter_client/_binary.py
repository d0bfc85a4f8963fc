"""Binary answers (audio, video, files) read as they arrive, sync and async.

An operation whose success answer is a file returns its whole body as ``bytes``; its streamed
twin (``client.<group>.with_streaming_response.<method>(...)``) returns a ``BinaryStream`` (an
``AsyncBinaryStream`` on the async client) as soon as a 2xx status and headers have arrived,
before the body: ``iter_bytes()`` yields the body in chunks, ``read()`` gives what is left,
``write_to(path)`` copies it into a file, so a large video never has to fit in memory. An error
status was raised (typed, after the retries) before the stream was returned; once the body has
started nothing is retried, and a connection lost in the middle raises ``APIConnectionError``
(``APITimeoutError`` for a stall).

Each read continues where the last one stopped, whatever the chunk sizes asked for; reading a
stream that was closed before its end raises ``ValueError``, as reading a closed file does,
rather than handing back a cut-off file. Like ``Stream``, both classes are context managers,
release their connection when closed, read to the end or garbage-collected (with a
``ResourceWarning`` naming them, as an unclosed file does), and hold no reference cycle.
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from types import TracebackType
from typing import Any, Protocol, TypeAlias

import httpx

from ._logs import make_redactor
from ._streaming import (
    _describe,
    _release_dropped,
    _running_asyncio_loop,
    _transport_error,
    _warn_unclosed,
)

__all__ = ["AsyncBinaryStream", "BinaryStream", "Writable"]


class Writable(Protocol):
    """Where ``write_to`` may copy a body besides a path: anything with ``write(bytes)`` (a file
    opened in binary mode, ``io.BytesIO``, a socket's file, ...)."""

    def write(self, data: bytes, /) -> object:
        """Write ``data``."""
        ...


Destination: TypeAlias = "str | os.PathLike[str] | Writable"


def _sync_chunks(
    response: httpx.Response, redact: Callable[[str], str]
) -> Generator[bytes, None, None]:
    """The body's chunks as they arrive (decoded if the server compressed them); closes the
    response however it ends. A function rather than a method, so that the stream holding it
    makes no reference cycle (see ``_streaming``)."""
    try:
        try:
            yield from response.iter_bytes()
        except httpx.HTTPError as exc:
            raise _transport_error(exc, response, redact) from exc
    finally:
        response.close()


async def _async_chunks(
    response: httpx.Response, redact: Callable[[str], str]
) -> AsyncGenerator[bytes, None]:
    """The async twin of ``_sync_chunks``."""
    iterator = response.aiter_bytes()
    try:
        try:
            async for chunk in iterator:
                yield chunk
        except httpx.HTTPError as exc:
            raise _transport_error(exc, response, redact) from exc
    finally:
        aclose: Any = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()
        await response.aclose()


def _check_chunk_size(chunk_size: int | None) -> None:
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive number of bytes, not {chunk_size!r}")


def _closed_early(stream: object) -> ValueError:
    return ValueError(
        f"read of {stream!r}, closed before the end of its body: the rest of it is gone"
    )


def _take(pending: bytearray, size: int | None) -> bytes:
    """The first ``size`` bytes of ``pending`` (all of them for None), removed from it."""
    size = len(pending) if size is None else size
    out = bytes(pending[:size])
    del pending[:size]
    return out


class _Reader:
    """What the sync and async streams share: the response, where reading stands, and the
    bytes a chunk of a fixed size left over for the next read."""

    response: httpx.Response
    _redact: Callable[[str], str]
    _pending: bytearray
    _done: bool  # the body was read to its end
    _closed: bool  # closed (or broken) before its end

    def _start(self, response: httpx.Response, redact: Callable[[str], str] | None) -> None:
        self.response = response
        self._redact = redact or make_redactor(None)
        self._pending = bytearray()
        self._done = False
        self._closed = False

    @property
    def status_code(self) -> int:
        """The HTTP status (2xx: an error status is raised before a stream is returned)."""
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (``content-type``, ``content-length``, ...)."""
        return self.response.headers

    @property
    def url(self) -> httpx.URL:
        """The URL that was requested."""
        return self.response.request.url

    def _check_open(self) -> None:
        """Refuse to read on where reading cannot go on: a stream closed (or broken) before
        its end would otherwise end early, silently, and a file written from it be cut off."""
        if self._closed and (self._pending or not self._done):
            raise _closed_early(self)

    def _ended(self, chunk: bytes | None) -> bytes | None:
        """``chunk``, recording the end of the body when it is None."""
        if chunk is None:
            self._done = True
        return chunk


class BinaryStream(_Reader):
    """The body of a binary answer, read as it arrives.

    ``with client.<group>.with_streaming_response.<method>(...) as body: body.write_to(path)``,
    or ``for chunk in body.iter_bytes(65536): ...``. Closing it (or leaving the ``with``
    block) before the end releases the connection; so does reading to the end.
    """

    def __init__(
        self, response: httpx.Response, *, redact: Callable[[str], str] | None = None
    ) -> None:
        self._start(response, redact)
        self._chunks = _sync_chunks(response, self._redact)

    def _next_chunk(self) -> bytes | None:
        """The next chunk from the network; None at the end of the body."""
        if self._done:
            return None
        self._check_open()
        try:
            return self._ended(next(self._chunks, None))
        except BaseException:
            self._closed = True  # the generator is finished: nothing more will come
            raise

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The rest of the body: chunks as they arrive, or of ``chunk_size`` bytes each (the
        last one may be shorter). Stopping early keeps the rest for the next read."""
        _check_chunk_size(chunk_size)
        self._check_open()
        pending = self._pending
        while True:
            if chunk_size is None:
                chunk = _take(pending, None) if pending else self._next_chunk()
                if chunk is None:
                    return
                yield chunk
                continue
            while len(pending) < chunk_size:
                chunk = self._next_chunk()
                if chunk is None:
                    break
                pending += chunk
            if not pending:
                return
            yield _take(pending, chunk_size)

    def __iter__(self) -> Iterator[bytes]:
        # A generator that refers to the stream: a loop over a call's result keeps the stream
        # (and its connection) alive until the loop ends.
        return self.iter_bytes()

    def read(self) -> bytes:
        """The rest of the body, at once (``b""`` once it was all read)."""
        return b"".join(self.iter_bytes())

    def write_to(self, destination: Destination, *, chunk_size: int | None = None) -> int:
        """Copy the rest of the body into ``destination`` (a path, created or truncated, or an
        object with ``write(bytes)``) as it arrives; return the number of bytes written."""
        if isinstance(destination, (str, os.PathLike)):
            with open(destination, "wb") as file:
                return self._copy(file, chunk_size)
        return self._copy(destination, chunk_size)

    # The openai SDK's name for it.
    stream_to_file = write_to

    def _copy(self, out: Writable, chunk_size: int | None) -> int:
        written = 0
        for chunk in self.iter_bytes(chunk_size):
            out.write(chunk)
            written += len(chunk)
        return written

    def close(self) -> None:
        """Stop reading and release the connection (safe to call more than once)."""
        self._closed = True
        self._chunks.close()
        self.response.close()

    def __enter__(self) -> BinaryStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return _describe("BinaryStream", self.response, self._redact)

    def __del__(self) -> None:
        # Dropped unread (an early return on an error path): the pooled connection would stay
        # taken for good.
        response = getattr(self, "response", None)
        if response is not None and not response.is_closed:
            _warn_unclosed(self)
            self.close()


class AsyncBinaryStream(_Reader):
    """The async twin of ``BinaryStream``: ``async with await ... as body:
    await body.awrite_to(path)``, or ``async for chunk in body.aiter_bytes(65536): ...``.

    Dropped without ``aclose()`` under asyncio, it schedules its own release on the event loop
    it was created on; under other event loops it only warns.
    """

    def __init__(
        self, response: httpx.Response, *, redact: Callable[[str], str] | None = None
    ) -> None:
        self._start(response, redact)
        self._loop = _running_asyncio_loop()
        self._chunks = _async_chunks(response, self._redact)

    async def _next_chunk(self) -> bytes | None:
        if self._done:
            return None
        self._check_open()
        try:
            return self._ended(await anext(self._chunks, None))
        except BaseException:
            self._closed = True
            raise

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The rest of the body: chunks as they arrive, or of ``chunk_size`` bytes each (the
        last one may be shorter). Stopping early keeps the rest for the next read."""
        _check_chunk_size(chunk_size)
        self._check_open()
        pending = self._pending
        while True:
            if chunk_size is None:
                chunk = _take(pending, None) if pending else await self._next_chunk()
                if chunk is None:
                    return
                yield chunk
                continue
            while len(pending) < chunk_size:
                chunk = await self._next_chunk()
                if chunk is None:
                    break
                pending += chunk
            if not pending:
                return
            yield _take(pending, chunk_size)

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.aiter_bytes()  # as in ``BinaryStream.__iter__``

    async def aread(self) -> bytes:
        """The rest of the body, at once (``b""`` once it was all read)."""
        return b"".join([chunk async for chunk in self.aiter_bytes()])

    async def awrite_to(self, destination: Destination, *, chunk_size: int | None = None) -> int:
        """Copy the rest of the body into ``destination`` (a path, written without blocking the
        event loop, or an object with ``write(bytes)``) as it arrives; return the number of
        bytes written."""
        if not isinstance(destination, (str, os.PathLike)):
            written = 0
            async for chunk in self.aiter_bytes(chunk_size):
                destination.write(chunk)
                written += len(chunk)
            return written
        # Imported here, as for the retries' sleep: `import openrouter_client` should not pay for it.
        import anyio

        written = 0
        async with await anyio.open_file(destination, "wb") as file:
            async for chunk in self.aiter_bytes(chunk_size):
                await file.write(chunk)
                written += len(chunk)
        return written

    # The openai SDK's name for it (awaited there too).
    stream_to_file = awrite_to

    async def aclose(self) -> None:
        """Stop reading and release the connection (safe to call more than once)."""
        self._closed = True
        await self._chunks.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> AsyncBinaryStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return _describe("AsyncBinaryStream", self.response, self._redact)

    def __del__(self) -> None:
        response = getattr(self, "response", None)
        if response is not None and not response.is_closed:
            _release_dropped(
                self, getattr(self, "_loop", None), getattr(self, "_chunks", None), response
            )
