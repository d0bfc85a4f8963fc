"""Event streams over real HTTP on loopback (sync and async), and from recorded bytes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from tests.runtime.helpers import SECRET, Driver, assert_no_secret, identity
from tests.support.fault_server import (
    FaultServer,
    error_body,
    json_reply,
    sse_event,
    sse_reply,
)

PROCESSING = ": OPENROUTER PROCESSING\n\n"


def chunk(i: int, **delta: Any) -> dict[str, Any]:
    """A chat completion chunk carrying token `i` (or the given delta)."""
    return {
        "id": "gen-1",
        "object": "chat.completion.chunk",
        "model": "openai/gpt-4o",
        "choices": [{"index": 0, "delta": delta or {"role": "assistant", "content": f"t{i} "},
                     "finish_reason": None}],
    }


def chat(api: Driver, **kwargs: Any) -> Any:
    return api.options("POST", "/chat/completions",
                       json_body={"model": "m", "messages": [], "stream": True}, **kwargs)


def test_comments_between_and_inside_events_are_skipped(
    api: Driver, debug_logs: pytest.LogCaptureFixture
):
    chunks = [chunk(i) for i in range(3)]
    api.server.script(sse_reply([
        PROCESSING,
        sse_event(chunks[0]),
        PROCESSING + PROCESSING,
        # a comment line in the middle of an event, before its blank line
        f"data: {json.dumps(chunks[1])}\n: OPENROUTER PROCESSING\n\n",
        ":\n\n" + sse_event(chunks[2]) + PROCESSING,
        sse_event("[DONE]"),
    ]))
    outcome = api.stream(chat(api))
    assert outcome.error is None
    assert outcome.chunks == chunks
    assert api.server.attempts == 1
    request = api.server.requests[0]
    assert request.headers["accept"] == "text/event-stream"
    assert request.json() == {"model": "m", "messages": [], "stream": True}
    assert_no_secret(debug_logs)


def test_crlf_and_chunk_boundaries_anywhere(api: Driver, debug_logs: pytest.LogCaptureFixture):
    chunks = [chunk(0, content="héllo 🚀"), chunk(1, content="wörld\n"), chunk(2)]
    text = ": OPENROUTER PROCESSING\r\n\r\n"
    text += "".join(sse_event(c, line_end="\r\n") for c in chunks) + "data: [DONE]\r\n\r\n"
    data = text.encode()
    # 5-byte pieces split CR from LF and the UTF-8 bytes of é, ö and the emoji.
    api.server.script(sse_reply([data[i:i + 5] for i in range(0, len(data), 5)]))
    outcome = api.stream(chat(api))
    assert outcome.error is None
    assert outcome.chunks == chunks
    assert api.server.attempts == 1


def test_multi_line_data_is_joined(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(sse_reply([
        'data: {"id": "gen-1",\ndata: "choices": []}\n\n',
        "event: message\nid: 7\nretry: 10\ndata: {\"n\": 2}\n\n",
        "data: [DONE]\n\n",
    ]))
    outcome = api.stream(chat(api))
    assert outcome.error is None
    assert outcome.chunks == [{"id": "gen-1", "choices": []}, {"n": 2}]
    assert api.server.attempts == 1


def test_mid_stream_error_after_five_chunks(api: Driver, debug_logs: pytest.LogCaptureFixture):
    chunks = [chunk(i) for i in range(5)]
    failure = {
        "id": "gen-1",
        "object": "chat.completion.chunk",
        **error_body(502, "Provider disconnected", provider_name="Anthropic", raw="EOF"),
        "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}],
    }
    api.server.script(sse_reply([*map(sse_event, chunks), sse_event(failure),
                                 sse_event(chunk(9)), sse_event("[DONE]")], delay=0.005))
    outcome = api.stream(chat(api))
    assert outcome.chunks == chunks
    error = outcome.error
    assert isinstance(error, api.rt.exc.InternalServerError)
    assert error.in_stream and error.http_status == 200
    assert (error.status_code, error.code) == (502, 502)
    assert error.provider_name == "Anthropic" and error.raw == "EOF"
    assert "Provider disconnected" in str(error) and "stream event" in str(error)
    assert error.body["choices"][0]["finish_reason"] == "error"
    assert api.server.attempts == 1
    assert_no_secret(debug_logs, error)


def test_mid_stream_error_with_string_code(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(sse_reply([sse_event(chunk(0)),
                                 sse_event({"error": {"code": "moderation", "message": "no"}})]))
    outcome = api.stream(chat(api))
    assert len(outcome.chunks) == 1
    assert type(outcome.error) is api.rt.exc.APIStatusError
    assert (outcome.error.status_code, outcome.error.code) == (200, "moderation")
    assert api.server.attempts == 1


def test_stream_without_done_ends_cleanly(api: Driver, debug_logs: pytest.LogCaptureFixture):
    chunks = [chunk(i) for i in range(4)]
    last = chunk(4, content="", usage={"prompt_tokens": 3})
    # The last event is not even followed by its blank line.
    pieces = [*map(sse_event, chunks), f"data: {json.dumps(last)}\n"]
    api.server.script(sse_reply(pieces))
    outcome = api.stream(chat(api))
    assert outcome.error is None
    assert outcome.chunks == [*chunks, last]
    assert api.server.attempts == 1


def test_connection_dropped_mid_stream(api: Driver, debug_logs: pytest.LogCaptureFixture):
    chunks = [chunk(i) for i in range(3)]
    api.server.script(sse_reply(list(map(sse_event, chunks)), terminate=False),
                      sse_reply([sse_event(chunk(7))]))
    outcome = api.stream(chat(api))
    assert outcome.chunks == chunks
    assert isinstance(outcome.error, api.rt.exc.APIConnectionError)
    assert api.server.attempts == 1
    assert_no_secret(debug_logs, outcome.error)


def test_stall_mid_stream_hits_the_read_timeout(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(sse_reply([sse_event(chunk(0)), sse_event(chunk(1))], delay=2.0))
    outcome = api.stream(chat(api), timeout=0.15)
    assert outcome.chunks == [chunk(0)]
    assert isinstance(outcome.error, api.rt.exc.APITimeoutError)
    assert api.server.attempts == 1


def test_early_close_releases_the_connection(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(sse_reply([sse_event(chunk(i)) for i in range(300)], delay=0.01))
    outcome = api.stream(chat(api), take=2)
    assert outcome.error is None
    assert outcome.chunks == [chunk(0), chunk(1)]
    assert api.server.wait_client_gone(5.0)
    assert api.server.attempts == 1


def test_retried_before_the_first_event(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply(error_body(503, "warming up"), status=503),
                      sse_reply([sse_event(chunk(0)), sse_event("[DONE]")]))
    outcome = api.stream(chat(api))
    assert outcome.error is None and outcome.chunks == [chunk(0)]
    assert api.server.attempts == 2
    assert "seconds (POST, retry 1 of" in debug_logs.text


def test_stream_error_status_is_not_retried(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply(error_body(401, "No auth credentials found"), status=401))
    outcome = api.stream(chat(api))
    assert isinstance(outcome.error, api.rt.exc.AuthenticationError)
    assert not outcome.error.in_stream
    assert api.server.attempts == 1
    assert_no_secret(debug_logs, outcome.error)


def test_json_error_instead_of_a_stream(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply(error_body(403, "flagged by moderation"), status=200))
    outcome = api.stream(chat(api))
    assert isinstance(outcome.error, api.rt.exc.PermissionDeniedError)
    assert outcome.error.http_status == 200 and not outcome.error.in_stream
    assert api.server.attempts == 1


def test_json_object_instead_of_a_stream(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(json_reply({"id": "gen-1", "choices": []}))
    outcome = api.stream(chat(api))
    assert isinstance(outcome.error, api.rt.exc.APIResponseValidationError)
    assert "expected an event stream" in str(outcome.error)
    assert api.server.attempts == 1


def test_invalid_json_event_after_good_ones(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(sse_reply([sse_event(chunk(0)), 'data: {"id": "gen-1", "cho\n\n']))
    outcome = api.stream(chat(api))
    assert outcome.chunks == [chunk(0)]
    assert isinstance(outcome.error, api.rt.exc.APIResponseValidationError)
    assert "not valid JSON" in str(outcome.error)
    assert api.server.attempts == 1


def test_chunks_are_decoded(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(sse_reply([sse_event(chunk(i)) for i in range(3)] + [sse_event("[DONE]")]))
    options = api.options("POST", "/completions", json_body={"prompt": "p", "stream": True})
    outcome = api.stream(options, decode=lambda v: v["choices"][0]["delta"]["content"])
    assert outcome.chunks == ["t0 ", "t1 ", "t2 "]
    assert api.server.attempts == 1
    assert api.server.requests[0].headers["accept"] == "text/event-stream"


def test_decode_failure_in_a_chunk(api: Driver, debug_logs: pytest.LogCaptureFixture):
    api.server.script(sse_reply([sse_event(chunk(0)), sse_event({"id": "x"})]))
    outcome = api.stream(chat(api), decode=lambda v: v["choices"][0]["index"])
    assert outcome.chunks == [0]
    assert isinstance(outcome.error, api.rt.exc.APIResponseValidationError)
    assert isinstance(outcome.error.__cause__, KeyError)
    assert api.server.attempts == 1


def test_connection_is_reused_after_done_and_not_after_early_close(
    rt: SimpleNamespace, server: FaultServer
):
    events = [sse_event(chunk(i)) for i in range(3)] + [sse_event("[DONE]")]
    server.script(sse_reply(events), sse_reply(events),
                  sse_reply([sse_event(chunk(i)) for i in range(100)], delay=0.01),
                  json_reply({"ok": True}))
    options = rt.base.RequestOptions("POST", "/chat/completions", json_body={}, stream=True)
    with rt.base.SyncAPIClient(api_key=SECRET, base_url=server.url) as client:
        assert len(list(client.request_stream(options, identity))) == 3
        with client.request_stream(options, identity) as stream:
            assert len(list(stream)) == 3
        with client.request_stream(options, identity) as stream:
            next(stream)
        assert client.request(rt.base.RequestOptions("GET", "/x"), identity) == {"ok": True}
    connections = [request.connection for request in server.requests]
    assert connections[0] == connections[1] == connections[2]
    assert connections[3] != connections[2]


def test_stream_from_bytes(rt: SimpleNamespace):
    raw = (PROCESSING + sse_event(chunk(0)) + sse_event(chunk(1)) + "data: [DONE]\n\n"
           + sse_event(chunk(2))).encode()
    assert list(rt.streaming.Stream.from_bytes(raw, identity)) == [chunk(0), chunk(1)]
    pieces = [raw[i:i + 3] for i in range(0, len(raw), 3)]
    with rt.streaming.Stream.from_bytes(iter(pieces), identity) as stream:
        assert next(stream) == chunk(0)
    assert list(stream) == []  # closed


def test_stream_from_bytes_raises_mid_stream_errors(rt: SimpleNamespace):
    raw = (sse_event(chunk(0)) + sse_event(error_body(429, "slow down"))).encode()
    stream = rt.streaming.Stream.from_bytes(raw, identity)
    assert next(stream) == chunk(0)
    with pytest.raises(rt.exc.RateLimitError) as caught:
        next(stream)
    assert caught.value.in_stream and caught.value.response is None
    assert caught.value.headers == {}


@pytest.mark.anyio
async def test_async_stream_from_bytes_and_async_chunks(rt: SimpleNamespace):
    raw = (sse_event(chunk(0)) + PROCESSING + sse_event(chunk(1))).encode()

    async def pieces() -> AsyncIterator[bytes]:
        for i in range(0, len(raw), 4):
            await anyio.lowlevel.checkpoint()
            yield raw[i:i + 4]

    async with rt.streaming.AsyncStream.from_bytes(pieces(), identity) as stream:
        assert [c async for c in stream] == [chunk(0), chunk(1)]
    assert [c async for c in rt.streaming.AsyncStream.from_bytes(raw, identity)] == [
        chunk(0), chunk(1)]
    assert [c async for c in rt.streaming.AsyncStream.from_bytes([raw], identity)] == [
        chunk(0), chunk(1)]


@pytest.mark.anyio
async def test_async_stream_closed_early_over_http(rt: SimpleNamespace, server: FaultServer):
    server.script(sse_reply([sse_event(chunk(i)) for i in range(300)], delay=0.01))
    options = rt.base.RequestOptions("POST", "/chat/completions", json_body={}, stream=True)
    async with rt.base.AsyncAPIClient(api_key=SECRET, base_url=server.url) as client:
        stream = await client.request_stream(options, identity)
        assert await stream.__anext__() == chunk(0)
        await stream.aclose()
        await stream.aclose()
        assert stream.response.is_closed
    assert await anyio.to_thread.run_sync(server.wait_client_gone, 5.0)


class _Model:
    """Stands for a generated model: its `from_json` reads an object."""

    @classmethod
    def from_json(cls, data: dict) -> str:
        return str(data.get("id"))


def test_an_event_of_another_json_class_names_expected_and_found(rt: SimpleNamespace):
    raw = sse_event({"id": "a"}) + sse_event([1, 2])
    stream = rt.streaming.Stream.from_bytes(raw.encode(), _Model.from_json)
    assert next(stream) == "a"
    with pytest.raises(rt.exc.APIResponseValidationError) as info:
        next(stream)
    assert "expected a JSON object, found an array" in str(info.value)
    assert "AttributeError" not in str(info.value) and info.value.body == [1, 2]
