"""The connection pool under load, over real HTTP on loopback, sync and async: streams dropped
unread give their connection back (with a ResourceWarning naming them), the default pool holds
many long streams at once, and a wait for a free connection is its own typed error."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import random
import threading
import warnings
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import anyio
import httpx
import pytest

from tests.runtime.helpers import SECRET, identity
from tests.support.fault_server import FaultServer, json_reply, sse_event, sse_reply

MODELS = {"data": [{"id": "openai/gpt-4o"}]}
DROPPED = 110
OLD_DEFAULT = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's own


def long_stream(events: int = 20, delay: float = 0.5) -> Any:
    """A stream that would hold its connection for `events * delay` seconds if read."""
    return sse_reply([sse_event({"n": i}) for i in range(events)] + [sse_event("[DONE]")],
                     delay=delay)


def stream_options(rt: SimpleNamespace) -> Any:
    return rt.base.RequestOptions("POST", "/chat/completions",
                                  json_body={"model": "m", "stream": True}, stream=True)


def client_kwargs(server: FaultServer, **overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"api_key": SECRET, "base_url": server.url, "max_retries": 0,
                              # a leaked pool fails the next call within a second
                              "timeout": httpx.Timeout(5.0, pool=1.0)}
    kwargs.update(overrides)
    return kwargs


def unclosed(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


def test_streams_dropped_unread_give_their_connections_back_sync(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(*[long_stream() for _ in range(DROPPED)], json_reply(MODELS))
    with (
        rt.base.SyncAPIClient(**client_kwargs(server, connection_limits=OLD_DEFAULT)) as client,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        for _ in range(DROPPED):  # more than the pool holds
            stream = client.request_stream(stream_options(rt), identity)
            del stream  # never iterated nor closed: an early return on an error path
        # at once: a leaked pool would make it wait its 1 s pool timeout and then raise
        assert client.request(rt.base.RequestOptions("GET", "/models"), identity) == MODELS
    messages = unclosed(caught)
    assert len(messages) == DROPPED
    assert messages[0].startswith(
        f"unclosed stream <Stream POST {server.url}/chat/completions [200, open]>")
    assert server.attempts == DROPPED + 1


@pytest.mark.anyio
async def test_streams_dropped_unread_give_their_connections_back_async(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(*[long_stream() for _ in range(DROPPED)], json_reply(MODELS))
    kwargs = client_kwargs(server, connection_limits=OLD_DEFAULT)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with rt.base.AsyncAPIClient(**kwargs) as client:
            for _ in range(DROPPED):
                stream = await client.request_stream(stream_options(rt), identity)
                del stream
            models = await client.request(rt.base.RequestOptions("GET", "/models"), identity)
            assert models == MODELS
    messages = unclosed(caught)
    assert len(messages) == DROPPED
    assert messages[0].startswith(
        f"unclosed stream <AsyncStream POST {server.url}/chat/completions [200, open]>")
    assert server.attempts == DROPPED + 1


def test_a_stream_dropped_half_read_is_released_and_closed_ones_do_not_warn(
    rt: SimpleNamespace, server: FaultServer
):
    events = [sse_event({"n": i}) for i in range(3)] + [sse_event("[DONE]")]
    server.script(long_stream(), sse_reply(events), sse_reply(events), json_reply(MODELS))
    limits = httpx.Limits(max_connections=1)
    with (
        rt.base.SyncAPIClient(**client_kwargs(server, connection_limits=limits)) as client,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        stream = client.request_stream(stream_options(rt), identity)
        assert next(stream) == {"n": 0}
        del stream  # half read, then dropped: the one connection comes back
        assert unclosed(caught) and "[200, open]" in unclosed(caught)[0]
        caught.clear()
        with client.request_stream(stream_options(rt), identity) as stream:
            assert list(stream) == [{"n": 0}, {"n": 1}, {"n": 2}]
        assert "[200, closed]" in repr(stream)
        assert [c["n"] for c in client.request_stream(stream_options(rt), identity)] == [0, 1, 2]
        gc.collect()
        assert client.request(rt.base.RequestOptions("GET", "/models"), identity) == MODELS
    assert unclosed(caught) == []


def test_a_busy_pool_is_reported_as_pool_exhausted_and_nothing_is_sent(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(long_stream(), json_reply(MODELS))
    limits = httpx.Limits(max_connections=1)
    kwargs = client_kwargs(server, connection_limits=limits,
                           timeout=httpx.Timeout(5.0, pool=0.2), max_retries=2,
                           retry_policy=rt.retries.RetryPolicy(initial_delay=0.001))
    with (
        rt.base.SyncAPIClient(**kwargs) as client,
        client.request_stream(stream_options(rt), identity) as stream,
    ):
        assert next(stream) == {"n": 0}
        with pytest.raises(rt.exc.APIPoolExhaustedError) as caught:
            client.request(rt.base.RequestOptions("GET", "/models"), identity)
    error = caught.value
    assert isinstance(error, rt.exc.APITimeoutError)  # existing handlers still catch it
    assert error.max_connections == 1
    message = str(error)
    assert "all 1 connections of the pool stayed in use for 0.2 s" in message
    assert f"GET {server.url}/models was not sent" in message
    assert "connection_limits=httpx.Limits(max_connections=...)" in message
    assert server.attempts == 1  # only the stream: the waits (retried twice) sent nothing


def test_connection_limits_and_an_http_client_of_ones_own_exclude_each_other(
    rt: SimpleNamespace, server: FaultServer
):
    with httpx.Client() as http, pytest.raises(ValueError, match="httpx.Client\\(limits="):
        rt.base.SyncAPIClient(api_key=SECRET, http_client=http,
                              connection_limits=httpx.Limits(max_connections=5))
    limits = rt.constants.DEFAULT_CONNECTION_LIMITS
    assert limits.max_connections >= 1000 and limits.max_keepalive_connections >= 100


CONCURRENT = 150
STREAM_EVENTS, STREAM_GAP = 7, 0.5  # a 3-second stream, an event every 0.5 s


def three_second_stream() -> Any:
    return sse_reply([sse_event({"n": i}) for i in range(STREAM_EVENTS)] + [sse_event("[DONE]")],
                     delay=STREAM_GAP)


def test_150_concurrent_3_second_streams_through_one_default_client_sync(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(*[three_second_stream() for _ in range(CONCURRENT)])
    results: list[int | BaseException] = []
    lock = threading.Lock()
    with rt.base.SyncAPIClient(api_key=SECRET, base_url=server.url, timeout=2,
                               max_retries=0) as client:

        def one() -> None:
            try:
                with client.request_stream(stream_options(rt), identity) as stream:
                    found: int | BaseException = len(list(stream))
            except Exception as error:  # noqa: BLE001 - counted below
                found = error
            with lock:
                results.append(found)

        threads = [threading.Thread(target=one) for _ in range(CONCURRENT)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    failures = [r for r in results if not isinstance(r, int)]
    assert failures == [], failures[:3]
    assert results == [STREAM_EVENTS] * CONCURRENT
    assert max(r.connection for r in server.requests) == CONCURRENT


@pytest.mark.anyio
async def test_150_concurrent_3_second_streams_through_one_default_client_async(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(*[three_second_stream() for _ in range(CONCURRENT)])
    results: list[int | BaseException] = []
    async with rt.base.AsyncAPIClient(api_key=SECRET, base_url=server.url, timeout=2,
                                      max_retries=0) as client:

        async def one() -> None:
            try:
                async with await client.request_stream(stream_options(rt), identity) as stream:
                    results.append(len([chunk async for chunk in stream]))
            except Exception as error:  # noqa: BLE001 - counted below
                results.append(error)

        async with anyio.create_task_group() as group:
            for _ in range(CONCURRENT):
                group.start_soon(one)
    failures = [r for r in results if not isinstance(r, int)]
    assert failures == [], failures[:3]
    assert results == [STREAM_EVENTS] * CONCURRENT
    assert max(r.connection for r in server.requests) == CONCURRENT


# 20 rounds of 30 concurrent calls, each cut by `wait_for` after 0-50 ms (seeded), over a pool of 20.
ROUNDS, CONCURRENCY, LIMIT = 20, 30, 20


async def _cancel_rounds(client: Any, call: Callable[[], Awaitable[object]],
                         longest: float = 0.05) -> list[str]:
    """Run the rounds of `call`; what each left held in the pool once all its calls had ended:
    requests still queued, connections neither idle nor closed."""
    pool = client._client._transport._pool
    rng = random.Random(19)

    async def one() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(call(), rng.uniform(0.0, longest))

    held: list[str] = []
    for round_ in range(ROUNDS):
        await asyncio.gather(*(one() for _ in range(CONCURRENCY)))
        held += [f"round {round_}: queued {entry.request!r}" for entry in pool._requests]
        held += [f"round {round_}: {c.info()}" for c in pool.connections
                 if not c.is_idle() and not c.is_closed()]
    return held


def _cancelling_client(rt: SimpleNamespace, server: FaultServer) -> Any:
    kwargs = client_kwargs(server, connection_limits=httpx.Limits(max_connections=LIMIT))
    return rt.base.AsyncAPIClient(**kwargs)


@pytest.mark.anyio
async def test_concurrent_wait_for_cancellations_leave_nothing_held_in_the_pool(
    rt: SimpleNamespace, server: FaultServer
):
    """httpcore 1.0.9 shields its clean-up from anyio's cancellation but not from asyncio's, so
    `wait_for` landing mid-connect, mid-send or mid-close left requests queued and connections
    NEW, ACTIVE or never connected (encode/httpcore#1093) for good, until all 20 slots were held
    (4 of 6 runs); the client releases them when its call is cancelled."""
    server.script(*[json_reply(MODELS) for _ in range(ROUNDS * CONCURRENCY + 1)])
    async with _cancelling_client(rt, server) as client:
        models = rt.base.RequestOptions("GET", "/models")
        assert await _cancel_rounds(client, lambda: client.request(models, identity)) == []
        assert await client.request(models, identity) == MODELS
        assert len(client._client._transport._pool.connections) <= LIMIT


@pytest.mark.anyio
async def test_streams_cut_by_wait_for_leave_nothing_held_in_the_pool(
    rt: SimpleNamespace, server: FaultServer
):
    """The same rounds over 60 ms streams, cut before, during or after reading them."""
    server.script(*[long_stream(events=6, delay=0.01) for _ in range(ROUNDS * CONCURRENCY + 1)])
    async with _cancelling_client(rt, server) as client:

        async def read() -> list[object]:
            async with await client.request_stream(stream_options(rt), identity) as stream:
                return [chunk async for chunk in stream]

        assert await _cancel_rounds(client, read, longest=0.08) == []
        assert len(await read()) == 6
