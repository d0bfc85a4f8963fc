"""Binary answers read as they arrive (``request_binary``: ``BinaryStream`` and
``AsyncBinaryStream``) over real HTTP on loopback: a body of several megabytes comes in many
chunks and whole, into a file or in chunks of a chosen size, each read going on where the last
stopped; an error status raises typed before a stream is returned (retried as any call), a body
cut short raises ``APIConnectionError`` and is never retried; closing early, or dropping the
stream (with a ResourceWarning), gives the connection back; a stream closed before its end
refuses to be read on."""

from __future__ import annotations

import gc
import io
import random
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import anyio
import anyio.to_thread
import httpx
import pytest

from tests.runtime.helpers import SECRET, identity
from tests.support.fault_server import (
    FaultServer,
    body_reply,
    error_body,
    json_reply,
)

BODY = random.Random(7).randbytes(6 * 1024 * 1024)  # several network reads, whatever the buffers
VIDEO = "video/mp4"
# More than loopback's socket buffers hold: closed early, the rest can never all be sent.
HUGE = bytes(32 * 1024 * 1024)


def video(body: bytes = BODY) -> Any:
    return body_reply(body, content_type=VIDEO)


def options(rt: SimpleNamespace) -> Any:
    return rt.base.RequestOptions("GET", "/videos/v1/content", headers={"Accept": VIDEO},
                                  raw_response="bytes")


def client_kwargs(server: FaultServer, **overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "api_key": SECRET, "base_url": server.url, "timeout": httpx.Timeout(5.0, pool=1.0),
        "retry_policy": None, "max_retries": 0,
    }
    kwargs.update(overrides)
    return kwargs


def one_connection(server: FaultServer) -> dict[str, Any]:
    """A pool of one connection: a stream that kept it would make the next call wait its 1 s
    pool timeout and raise."""
    return client_kwargs(server, connection_limits=httpx.Limits(max_connections=1))


def unclosed(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


def test_a_large_body_arrives_in_chunks_and_whole(rt: SimpleNamespace, server: FaultServer):
    server.script(video())
    with (
        rt.base.SyncAPIClient(**client_kwargs(server)) as client,
        client.request_binary(options(rt)) as body,
    ):
        assert (body.status_code, body.headers["content-type"]) == (200, VIDEO)
        assert str(body.url) == f"{server.url}/videos/v1/content"
        assert repr(body) == f"<BinaryStream GET {server.url}/videos/v1/content [200, open]>"
        chunks = list(body.iter_bytes())
        assert body.response.is_closed  # read to the end: the connection went back at once
    assert len(chunks) > 1 and all(chunks)
    assert b"".join(chunks) == BODY
    assert server.requests[0].headers["accept"] == VIDEO


@pytest.mark.anyio
async def test_a_large_body_arrives_in_chunks_and_whole_async(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(video())
    async with (
        rt.base.AsyncAPIClient(**client_kwargs(server)) as client,
        await client.request_binary(options(rt)) as body,
    ):
        assert repr(body).startswith("<AsyncBinaryStream GET ")
        chunks = [chunk async for chunk in body]
    assert len(chunks) > 1
    assert b"".join(chunks) == BODY


def test_chunks_of_a_chosen_size_and_each_read_going_on_where_the_last_stopped(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(video())
    size = 1_000_003  # not a divisor of the body, nor of any network read
    with (
        rt.base.SyncAPIClient(**client_kwargs(server)) as client,
        client.request_binary(options(rt)) as body,
    ):
        first = next(body.iter_bytes(10))
        sized = []
        for chunk in body.iter_bytes(size):
            sized.append(chunk)
            if len(sized) == 2:
                break  # the rest of the network read it came from stays for the next read
        rest = body.read()
        assert body.read() == b""  # at the end, as a file at its end
    assert len(first) == 10 and [len(c) for c in sized] == [size, size]
    assert first + b"".join(sized) + rest == BODY
    with pytest.raises(ValueError, match="chunk_size"):
        next(body.iter_bytes(0))


@pytest.mark.anyio
async def test_chunks_of_a_chosen_size_async(rt: SimpleNamespace, server: FaultServer):
    server.script(video())
    async with rt.base.AsyncAPIClient(**client_kwargs(server)) as client:
        body = await client.request_binary(options(rt))
        async with body:
            sizes = [len(chunk) async for chunk in body.aiter_bytes(1 << 20)]
            assert await body.aread() == b""
    assert sizes == [1 << 20] * 6


def test_write_to_a_path_or_a_file_object(
    rt: SimpleNamespace, server: FaultServer, tmp_path: Path
):
    server.script(video(), video())
    target, buffer = tmp_path / "clip.mp4", io.BytesIO()
    with rt.base.SyncAPIClient(**client_kwargs(server)) as client:
        with client.request_binary(options(rt)) as body:
            assert body.write_to(target) == len(BODY)
        with client.request_binary(options(rt)) as body:
            assert body.stream_to_file(buffer, chunk_size=65536) == len(BODY)  # openai's name
    assert target.read_bytes() == BODY
    assert buffer.getvalue() == BODY


@pytest.mark.anyio
async def test_write_to_a_path_or_a_file_object_async(
    rt: SimpleNamespace, server: FaultServer, tmp_path: Path
):
    server.script(video(), video())
    target, buffer = tmp_path / "clip.mp4", io.BytesIO()
    async with rt.base.AsyncAPIClient(**client_kwargs(server)) as client:
        async with await client.request_binary(options(rt)) as body:
            assert await body.awrite_to(str(target)) == len(BODY)
        async with await client.request_binary(options(rt)) as body:
            assert await body.stream_to_file(buffer) == len(BODY)
    assert target.read_bytes() == BODY
    assert buffer.getvalue() == BODY


def test_closing_early_releases_the_connection_and_refuses_further_reads(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(video(HUGE), video(b"small"))
    with rt.base.SyncAPIClient(**one_connection(server)) as client:
        with client.request_binary(options(rt)) as body:
            assert next(iter(body))
        assert "[200, closed]" in repr(body)
        with pytest.raises(ValueError, match="closed before the end of its body"):
            body.read()
        # at once: a kept connection would make this wait its 1 s pool timeout, then raise
        assert client.request(options(rt), identity) == b"small"
    assert server.wait_client_gone(5.0)  # the rest of the body was never sent


@pytest.mark.anyio
async def test_closing_early_releases_the_connection_async(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(video(HUGE), video(b"small"))
    async with rt.base.AsyncAPIClient(**one_connection(server)) as client:
        body = await client.request_binary(options(rt))
        assert await body.__aiter__().__anext__()
        await body.aclose()
        await body.aclose()
        with pytest.raises(ValueError, match="closed before the end of its body"):
            await body.aread()
        assert await client.request(options(rt), identity) == b"small"
    assert await anyio.to_thread.run_sync(server.wait_client_gone, 5.0)


def test_a_stream_dropped_unread_is_released_with_a_warning(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(video(), video(), video(b"small"))
    with (
        rt.base.SyncAPIClient(**one_connection(server)) as client,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        body = client.request_binary(options(rt))
        del body  # never read nor closed: an early return on an error path
        assert unclosed(caught) == [(
            f"unclosed stream <BinaryStream GET {server.url}/videos/v1/content [200, open]>: "
            "close it (a with block, close() / aclose()) or read it to the end; its connection "
            "is released now")]
        caught.clear()
        for chunk in client.request_binary(options(rt)):  # a loop keeps it alive to its end
            assert chunk
        gc.collect()
        assert client.request(options(rt), identity) == b"small"
    assert unclosed(caught) == []


@pytest.mark.anyio
async def test_a_stream_dropped_unread_is_released_with_a_warning_async(
    rt: SimpleNamespace, server: FaultServer
):
    server.script(video(), video(b"small"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with rt.base.AsyncAPIClient(**one_connection(server)) as client:
            body = await client.request_binary(options(rt))
            del body
            assert await client.request(options(rt), identity) == b"small"
    assert len(unclosed(caught)) == 1
    assert "<AsyncBinaryStream GET " in unclosed(caught)[0]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_error_status_raises_typed_before_a_stream_is_returned(
    rt: SimpleNamespace, server: FaultServer, mode: str
):
    server.script(json_reply(error_body(404, "no such video"), status=404),
                  json_reply(error_body(503, "busy"), status=503), video(b"after a retry"))
    kwargs = client_kwargs(server, max_retries=1,
                           retry_policy=rt.retries.RetryPolicy(initial_delay=0.001))

    def run_sync() -> bytes:
        with rt.base.SyncAPIClient(**kwargs) as client:
            with pytest.raises(rt.exc.NotFoundError, match="no such video") as caught:
                client.request_binary(options(rt))
            assert caught.value.status_code == 404
            with client.request_binary(options(rt)) as body:
                return body.read()

    async def run_async() -> bytes:
        async with rt.base.AsyncAPIClient(**kwargs) as client:
            with pytest.raises(rt.exc.NotFoundError, match="no such video"):
                await client.request_binary(options(rt))
            async with await client.request_binary(options(rt)) as body:
                return await body.aread()

    assert (run_sync() if mode == "sync" else anyio.run(run_async)) == b"after a retry"
    assert server.attempts == 3  # the 404 is not retried, the 503 is, before the body


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_body_cut_short_raises_and_is_not_retried(
    rt: SimpleNamespace, server: FaultServer, mode: str
):
    cut = body_reply(BODY[:100_000], content_type=VIDEO, declared_length=len(BODY))
    server.script(cut, video())
    kwargs = client_kwargs(server, max_retries=2)

    def run_sync() -> None:
        with rt.base.SyncAPIClient(**kwargs) as client, client.request_binary(options(rt)) as body:
            body.read()

    async def run_async() -> None:
        async with (
            rt.base.AsyncAPIClient(**kwargs) as client,
            await client.request_binary(options(rt)) as body,
        ):
            await body.aread()

    with pytest.raises(rt.exc.APIConnectionError, match="Connection lost while reading"):
        run_sync() if mode == "sync" else anyio.run(run_async)
    assert server.attempts == 1


def test_a_json_error_object_sent_with_200_raises_typed(rt: SimpleNamespace, server: FaultServer):
    server.script(json_reply(error_body(402, "add credits")))
    with (
        rt.base.SyncAPIClient(**client_kwargs(server)) as client,
        pytest.raises(rt.exc.PaymentRequiredError, match="add credits"),
    ):
        client.request_binary(options(rt))


def test_request_binary_refuses_event_stream_options(rt: SimpleNamespace):
    with rt.base.SyncAPIClient(api_key=SECRET) as client, \
            pytest.raises(ValueError, match="request_stream"):
        client.request_binary(rt.base.RequestOptions("GET", "/x", stream=True))
