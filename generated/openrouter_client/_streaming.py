"""Server-sent event streams of JSON chunks, sync and async.

``Stream`` / ``AsyncStream`` iterate typed chunks, work as (async) context managers and can be
closed early; closing (or leaving the ``with`` block, or reaching the end) releases the
connection. SSE framing is parsed by httpx-sse's line and event decoders: comment lines (such
as ``: OPENROUTER PROCESSING``) are skipped anywhere, multi-line ``data:`` fields are joined with
newlines, CRLF / CR / LF all end lines, ``data: [DONE]`` ends the stream, and a stream that just
ends (without ``[DONE]``) ends the iteration cleanly. An event whose JSON carries a top-level
``error`` object, or is itself one (``{"type": "error", "message": ...}``, as Responses streams
send it), raises the matching ``APIStatusError`` (with ``in_stream=True``) after every chunk
before it was delivered. Every error that ends a stream (an error event, a lost connection, an
event that cannot be read) carries what the stream had delivered, folded up, in ``partial``
(see ``_accumulate``). An ``event:`` line is handed to ``decode_event`` where one is given
(streams whose events are named by it). ``Stream.from_bytes`` reads a recorded stream without a
network.

A stream that is dropped without being closed or read to the end gives its connection back
when it is garbage-collected (a ``Stream`` at once; an ``AsyncStream`` in a task its event loop
runs soon after, since closing an async response must be awaited), with a ``ResourceWarning``
naming it, as an unclosed file does. Neither class holds a reference cycle (the generators that
read the bytes do not refer back to the stream), so a dropped stream is finalized by reference
counting where the program dropped it, not later by the cyclic collector.
"""

from __future__ import annotations

import codecs
import sys
import warnings
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx

from ._accumulate import partial_accumulator
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    OpenRouterError,
)
from ._json import loads
from ._logs import logger, make_redactor
from ._response import as_object, error_object, excerpt, json_class, status_error

T = TypeVar("T")

DONE = "[DONE]"


Event = tuple[str, str]  # (the ``event:`` name, "" when there is none; the ``data``)


class _EventParser:
    """Bytes in, each complete event out (``None`` marks ``[DONE]``)."""

    __slots__ = ("_text", "_lines", "_events")

    def __init__(self) -> None:
        # Imported here, on the first stream: `import openrouter_client` should not pay for it.
        from httpx_sse._decoders import SSEDecoder, SSELineDecoder

        self._text = codecs.getincrementaldecoder("utf-8")("replace")
        self._lines = SSELineDecoder()
        self._events = SSEDecoder()

    def feed(self, chunk: bytes) -> list[Event | None]:
        """The events completed by ``chunk``."""
        text = self._text.decode(chunk)
        return self._dispatch(self._lines.decode(text)) if text else []

    def finish(self) -> list[Event | None]:
        """Data of whatever the stream ended in the middle of (an event without its blank line)."""
        tail = self._text.decode(b"", final=True)
        lines = self._lines.decode(tail) if tail else []
        return self._dispatch([*lines, *self._lines.flush(), ""])

    def _dispatch(self, lines: list[str]) -> list[Event | None]:
        out: list[Event | None] = []
        decode = self._events.decode
        for line in lines:
            event = decode(line)
            if event is not None:
                data = event.data
                if data == DONE:
                    out.append(None)
                elif data:
                    # httpx-sse names an unnamed event "message", as the SSE standard does.
                    name = event.event
                    out.append(("" if name == "message" else name, data))
        return out


def _error_event(value: dict[str, Any]) -> Mapping[str, object] | None:
    """The error an event carries: its ``error`` member, or the event itself when its ``type``
    is ``error`` (``{"type": "error", "code": ..., "message": ...}``)."""
    error = error_object(value)
    if error is None and value.get("type") == "error" and "message" in value:
        return value
    return error


def _event_converter(
    decode: Callable[[Any], T],
    response: httpx.Response | None,
    redact: Callable[[str], str],
    decode_event: Callable[[Any, str], T] | None,
) -> Callable[[Event], T]:
    """A function from one event to the decoded chunk (or the error it carries)."""

    def convert(item: Event) -> T:
        name, data = item
        try:
            value: object = loads(data)
        except ValueError:
            raise APIResponseValidationError(
                redact(f"stream event is not valid JSON: {excerpt(data)}"),
                response=response,
                body=data,
                excerpt=redact(excerpt(data)),
            ) from None
        event = as_object(value)
        if event is not None and ("error" in event or event.get("type") == "error"):
            error = _error_event(event)
            if error is not None:
                raise status_error(
                    response=response,
                    body=value,
                    error=error,
                    redact=redact,
                    in_stream=True,
                )
        try:
            if name and decode_event is not None:
                return decode_event(value, name)
            return decode(value)
        except OpenRouterError:
            raise
        except Exception as exc:
            if event is None and hasattr(getattr(decode, "__self__", None), "from_json"):
                # A model's decoder met another JSON class: say so rather than how it failed.
                raise APIResponseValidationError(
                    redact(f"stream event: expected a JSON object, found {json_class(value)}"),
                    response=response,
                    body=value,
                ) from exc
            raise APIResponseValidationError(
                redact(f"stream chunk could not be decoded: {type(exc).__name__}: {exc}"),
                response=response,
                body=value,
            ) from exc

    return convert


def _ignore(item: object) -> None:
    pass


class _Partial:
    """What a stream has delivered, folded as it goes (by the accumulator its first item calls
    for), for the ``partial`` of the error that ends it."""

    __slots__ = ("_acc", "add")

    def __init__(self) -> None:
        self._acc: Any = None
        self.add: Callable[[Any], None] = self._first

    def _first(self, item: object) -> None:
        self._acc = partial_accumulator(item)
        self.add = self._acc.add if self._acc is not None else _ignore
        self.add(item)

    def attach(self, exc: OpenRouterError, decode: Callable[[Any], object]) -> None:
        """Set ``exc.partial``, the error event's own chunk (its usage, say) folded in first."""
        body = exc.body if isinstance(exc, APIStatusError) and exc.in_stream else None
        if type(body) is dict and "choices" in body:
            try:
                chunk = decode(body)
            except Exception:  # the error is what matters; a chunk that won't decode adds nothing
                chunk = None
            if chunk is not None:
                self.add(chunk)
        if self._acc is not None and exc.partial is None:
            exc.partial = self._acc.result()


def _transport_error(
    exc: httpx.HTTPError, response: httpx.Response | None, redact: Callable[[str], str]
) -> APIConnectionError:
    request = response.request if response is not None else None
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            redact(f"Timed out while reading the stream: {exc}"), request=request
        )
    return APIConnectionError(
        redact(f"Connection lost while reading the stream: {type(exc).__name__}: {exc}"),
        request=request,
    )


def _sync_events(
    chunks: Iterable[bytes],
    convert: Callable[[Event], T],
    decode: Callable[[Any], object],
    response: httpx.Response | None,
    redact: Callable[[str], str],
) -> Generator[T, None, None]:
    """Decoded events from ``chunks``; closes ``response`` however it ends; an error that ends
    it carries what came before in ``partial`` (``decode`` reads the error event's own chunk).

    A function rather than a method: a generator bound to the stream would make a reference
    cycle (stream -> generator -> frame -> stream) that only the cyclic collector can free.
    """
    parser = _EventParser()
    partial = _Partial()
    done = False
    try:
        iterator = iter(chunks)
        try:
            for chunk in iterator:
                for event in parser.feed(chunk):
                    if event is None:
                        done = True
                        break
                    item = convert(event)
                    partial.add(item)
                    yield item
                if done:
                    break
            else:
                for event in parser.finish():
                    if event is None:
                        break
                    item = convert(event)
                    partial.add(item)
                    yield item
        except httpx.HTTPError as exc:
            raise _transport_error(exc, response, redact) from exc
        if done:
            # Read the few bytes after [DONE] so the connection can go back to the pool.
            try:
                for _ in iterator:
                    pass
            except httpx.HTTPError:
                pass
    except OpenRouterError as exc:
        partial.attach(exc, decode)
        raise
    finally:
        if response is not None:
            response.close()


def _describe(kind: str, response: httpx.Response | None, redact: Callable[[str], str]) -> str:
    """``<Stream POST https://.../chat/completions [200]>``, the URL redacted."""
    if response is None:
        return f"<{kind} from bytes>"
    request = response.request
    url = redact(str(request.url))
    state = "closed" if response.is_closed else "open"
    return f"<{kind} {request.method} {url} [{response.status_code}, {state}]>"


def _warn_unclosed(stream: object) -> None:
    warnings.warn(
        f"unclosed stream {stream!r}: close it (a with block, close() / aclose()) or read it "
        "to the end; its connection is released now",
        ResourceWarning,
        stacklevel=2,
        source=stream,
    )


class Stream(Generic[T]):
    """An iterator of decoded stream chunks that owns its HTTP response.

    Use it as ``with client.chat.send(..., stream=True) as stream: for chunk in stream: ...``;
    ``close()`` stops early and releases the connection, as does reading to the end or
    dropping the stream (with a ``ResourceWarning``).
    """

    def __init__(
        self,
        chunks: Iterable[bytes],
        decode_chunk: Callable[[Any], T],
        *,
        response: httpx.Response | None = None,
        redact: Callable[[str], str] | None = None,
        decode_event: Callable[[Any, str], T] | None = None,
    ) -> None:
        self.response = response
        self._redact = redact or make_redactor(None)
        convert = _event_converter(decode_chunk, response, self._redact, decode_event)
        self._iterator = _sync_events(chunks, convert, decode_chunk, response, self._redact)

    @classmethod
    def from_bytes(
        cls,
        data: bytes | Iterable[bytes],
        decode_chunk: Callable[[Any], T],
        *,
        decode_event: Callable[[Any, str], T] | None = None,
    ) -> Stream[T]:
        """A stream over recorded SSE bytes (one ``bytes`` or an iterable of chunks)."""
        return cls(
            [data] if isinstance(data, bytes) else data, decode_chunk, decode_event=decode_event
        )

    def __iter__(self) -> Iterator[T]:
        # The stream itself, not its generator: a loop over ``client.chat.send(...)`` keeps
        # the stream alive (and its finalizer from closing it) until the loop ends.
        return self

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        """Stop reading and release the connection (safe to call more than once)."""
        self._iterator.close()
        if self.response is not None:
            self.response.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return _describe("Stream", self.response, self._redact)

    def __del__(self) -> None:
        # A stream dropped unread (an early return on an error path) would otherwise keep its
        # pooled connection for good: the generator that closes it never started.
        response = getattr(self, "response", None)
        if response is not None and not response.is_closed:
            _warn_unclosed(self)
            self.close()


async def _aiter_chunks(
    data: AsyncIterable[bytes] | Iterable[bytes],
) -> AsyncIterator[bytes]:
    if isinstance(data, AsyncIterable):
        async for chunk in data:
            yield chunk
    else:
        for chunk in data:
            yield chunk


async def _async_events(
    chunks: AsyncIterable[bytes],
    convert: Callable[[Event], T],
    decode: Callable[[Any], object],
    response: httpx.Response | None,
    redact: Callable[[str], str],
) -> AsyncGenerator[T, None]:
    """The async twin of ``_sync_events`` (a function for the same reason)."""
    parser = _EventParser()
    partial = _Partial()
    done = False
    iterator = aiter(chunks)
    try:
        try:
            async for chunk in iterator:
                for event in parser.feed(chunk):
                    if event is None:
                        done = True
                        break
                    item = convert(event)
                    partial.add(item)
                    yield item
                if done:
                    break
            else:
                for event in parser.finish():
                    if event is None:
                        break
                    item = convert(event)
                    partial.add(item)
                    yield item
        except httpx.HTTPError as exc:
            raise _transport_error(exc, response, redact) from exc
        if done:
            try:
                async for _ in iterator:
                    pass
            except httpx.HTTPError:
                pass
    except OpenRouterError as exc:
        partial.attach(exc, decode)
        raise
    finally:
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()
        if response is not None:
            await response.aclose()


# Release tasks started by finalizers, kept referenced until done (the loop keeps only a weak
# reference to its tasks).
_RELEASING: set[Any] = set()


def _running_asyncio_loop() -> Any:
    """The asyncio event loop running in this thread, or None (trio, or no loop at all)."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


async def _release(iterator: AsyncGenerator[Any, None], response: httpx.Response) -> None:
    try:
        await iterator.aclose()
    finally:
        await response.aclose()


def _start_release(
    loop: Any, iterator: AsyncGenerator[Any, None], response: httpx.Response
) -> None:
    task = loop.create_task(_release(iterator, response))
    _RELEASING.add(task)
    task.add_done_callback(_released)


def _released(task: Any) -> None:
    _RELEASING.discard(task)
    if not task.cancelled() and task.exception() is not None:
        # Nobody awaits this task: the connection was already broken, so there is nothing left
        # to give back; say so in the debug log rather than as "exception never retrieved".
        logger.debug("Releasing a dropped stream failed", exc_info=task.exception())


def _release_dropped(
    stream: object,
    loop: Any,
    iterator: AsyncGenerator[Any, None] | None,
    response: httpx.Response,
) -> None:
    """What an async stream (``AsyncStream``, ``AsyncBinaryStream``) collected while still open
    does: warn, then hand its release to the event loop it was created on. Closing must be
    awaited, so it is scheduled there (thread-safe, in case the collector runs this in another
    thread); a closed loop took its connections with it, and with no asyncio loop (trio) it only
    warns."""
    _warn_unclosed(stream)
    if loop is None or iterator is None:
        return
    try:
        loop.call_soon_threadsafe(_start_release, loop, iterator, response)
    except RuntimeError:
        pass


class AsyncStream(Generic[T]):
    """The async twin of ``Stream``: ``async with ... as stream: async for chunk in stream``.

    Dropped without ``aclose()`` under asyncio, it schedules its own release on the event loop
    it was created on; under other event loops it only warns.
    """

    def __init__(
        self,
        chunks: AsyncIterable[bytes],
        decode_chunk: Callable[[Any], T],
        *,
        response: httpx.Response | None = None,
        redact: Callable[[str], str] | None = None,
        decode_event: Callable[[Any, str], T] | None = None,
    ) -> None:
        self.response = response
        self._redact = redact or make_redactor(None)
        self._loop = _running_asyncio_loop() if response is not None else None
        convert = _event_converter(decode_chunk, response, self._redact, decode_event)
        self._iterator = _async_events(chunks, convert, decode_chunk, response, self._redact)

    @classmethod
    def from_bytes(
        cls,
        data: bytes | Iterable[bytes] | AsyncIterable[bytes],
        decode_chunk: Callable[[Any], T],
        *,
        decode_event: Callable[[Any, str], T] | None = None,
    ) -> AsyncStream[T]:
        """A stream over recorded SSE bytes (bytes, or a sync or async iterable of chunks)."""
        return cls(
            _aiter_chunks([data] if isinstance(data, bytes) else data),
            decode_chunk,
            decode_event=decode_event,
        )

    def __aiter__(self) -> AsyncIterator[T]:
        return self  # as in ``Stream.__iter__``

    def __anext__(self) -> Awaitable[T]:
        return self._iterator.__anext__()

    async def aclose(self) -> None:
        """Stop reading and release the connection (safe to call more than once)."""
        await self._iterator.aclose()
        if self.response is not None:
            await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return _describe("AsyncStream", self.response, self._redact)

    def __del__(self) -> None:
        response = getattr(self, "response", None)
        if response is not None and not response.is_closed:
            _release_dropped(
                self, getattr(self, "_loop", None), getattr(self, "_iterator", None), response
            )
