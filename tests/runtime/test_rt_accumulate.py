"""Folding chat completion chunks (shaped like the generated dataclasses) into one message."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from tests.runtime.helpers import SECRET
from tests.support.fault_server import FaultServer, sse_event, sse_reply


@dataclass
class Function:
    name: str | None = None
    arguments: str | None = None


@dataclass
class ToolCall:
    index: int
    id: str | None = None
    type: str | None = None
    function: Function | None = None


@dataclass
class Delta:
    role: str | None = None
    content: str | None = None
    reasoning: str | None = None
    tool_calls: list[ToolCall] | None = None


@dataclass
class Choice:
    index: int
    delta: Delta
    finish_reason: str | None = None


@dataclass
class Usage:
    prompt_tokens: int
    completion_tokens: int


@dataclass
class Chunk:
    id: str
    choices: list[Choice] = field(default_factory=list)
    usage: Usage | None = None


def decode_chunk(value: dict) -> Chunk:
    """A stand-in for the generated decoder."""
    choices = []
    for c in value.get("choices", []):
        d = c.get("delta") or {}
        calls = [ToolCall(t["index"], t.get("id"), t.get("type"),
                          Function(**t["function"]) if "function" in t else None)
                 for t in d.get("tool_calls") or []] or None
        choices.append(Choice(c["index"], Delta(d.get("role"), d.get("content"),
                                                d.get("reasoning"), calls),
                              c.get("finish_reason")))
    usage = Usage(**value["usage"]) if value.get("usage") else None
    return Chunk(value["id"], choices, usage)


def tool_delta(index: int, *, id: str | None = None, name: str | None = None,
               arguments: str | None = None) -> dict:
    function = {k: v for k, v in (("name", name), ("arguments", arguments)) if v is not None}
    return {"index": index, **({"id": id, "type": "function"} if id else {}),
            "function": function}


RAW_CHUNKS = [
    {"id": "gen-9", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "",
                                                       "reasoning": "Let me "}}]},
    {"id": "gen-9", "choices": [{"index": 0, "delta": {"reasoning": "think."}}]},
    {"id": "gen-9", "choices": [{"index": 0, "delta": {"content": "Hello"}}]},
    {"id": "gen-9", "choices": [{"index": 0, "delta": {"content": ", world"}}]},
    {"id": "gen-9", "choices": [{"index": 0, "delta": {"tool_calls": [
        tool_delta(0, id="call_a", name="get_weather", arguments=""),
        tool_delta(1, id="call_b", name="get_time", arguments='{"tz":'),
    ]}}]},
    {"id": "gen-9", "choices": [{"index": 0, "delta": {"tool_calls": [
        tool_delta(0, arguments='{"city": '), tool_delta(1, arguments='"UTC"}')]}}]},
    {"id": "gen-9", "choices": [{"index": 0, "delta": {"tool_calls": [
        tool_delta(0, name="get_weather", arguments='"Paris"}')]}}]},
    {"id": "gen-9", "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
    {"id": "gen-9", "choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 30}},
]


def check(result, rt: SimpleNamespace) -> None:
    assert result.id == "gen-9"
    assert result.content == "Hello, world"
    assert result.reasoning == "Let me think."
    assert result.finish_reason == "tool_calls"
    assert result.usage == Usage(12, 30)
    assert result.chunk_count == len(RAW_CHUNKS)
    assert result.tool_calls == [
        rt.accumulate.AccumulatedToolCall(0, "call_a", "get_weather", '{"city": "Paris"}'),
        rt.accumulate.AccumulatedToolCall(1, "call_b", "get_time", '{"tz":"UTC"}'),
    ]
    assert [json.loads(call.arguments) for call in result.tool_calls] == [
        {"city": "Paris"}, {"tz": "UTC"}]


def test_accumulate_typed_chunks(rt: SimpleNamespace):
    check(rt.accumulate.accumulate(decode_chunk(c) for c in RAW_CHUNKS), rt)


def test_accumulate_a_stream_read_from_bytes(rt: SimpleNamespace):
    raw = "".join(sse_event(c) for c in RAW_CHUNKS) + "data: [DONE]\n\n"
    with rt.streaming.Stream.from_bytes(raw.encode(), decode_chunk) as stream:
        check(rt.accumulate.accumulate(stream), rt)


def test_partial_result_survives_a_mid_stream_error(rt: SimpleNamespace):
    raw = "".join(sse_event(c) for c in RAW_CHUNKS[:4])
    raw += sse_event({"id": "gen-9", "error": {"code": 502, "message": "upstream died"},
                      "choices": [{"index": 0, "delta": {}, "finish_reason": "error"}]})
    acc = rt.accumulate.ChatStreamAccumulator()
    with pytest.raises(rt.exc.InternalServerError):
        for chunk in rt.streaming.Stream.from_bytes(raw.encode(), decode_chunk):
            acc.add(chunk)
    partial = acc.result()
    assert partial.content == "Hello, world" and partial.reasoning == "Let me think."
    assert partial.finish_reason is None and partial.usage is None


ERROR_EVENT = {"id": "gen-9", "error": {"code": 502, "message": "upstream died"},
               "choices": [{"index": 0, "delta": {"content": "!"}, "finish_reason": "error"}],
               "usage": {"prompt_tokens": 12, "completion_tokens": 7}}


def _partial_checked(partial, rt: SimpleNamespace, *, content: str) -> None:
    assert isinstance(partial, rt.accumulate.AccumulatedCompletion)
    assert partial.content == content and partial.reasoning == "Let me think."
    assert [(c.id, c.name, c.arguments) for c in partial.tool_calls] == [
        ("call_a", "get_weather", ""), ("call_b", "get_time", '{"tz":')]


def test_the_error_raised_by_accumulate_carries_the_partial_result(rt: SimpleNamespace):
    raw = "".join(sse_event(c) for c in [*RAW_CHUNKS[:5], ERROR_EVENT])
    with pytest.raises(rt.exc.InternalServerError) as info:
        rt.accumulate.accumulate(rt.streaming.Stream.from_bytes(raw.encode(), decode_chunk))
    # The error event's own content and usage are folded in too.
    _partial_checked(info.value.partial, rt, content="Hello, world!")
    assert info.value.partial.finish_reason == "error"
    assert info.value.partial.usage == Usage(12, 7)


def test_the_error_raised_by_iterating_carries_the_partial_result(rt: SimpleNamespace):
    raw = "".join(sse_event(c) for c in [*RAW_CHUNKS[:5], ERROR_EVENT])
    seen = []
    with pytest.raises(rt.exc.InternalServerError) as info:
        seen.extend(rt.streaming.Stream.from_bytes(raw.encode(), decode_chunk))
    assert len(seen) == 5
    _partial_checked(info.value.partial, rt, content="Hello, world!")
    assert info.value.partial.usage == Usage(12, 7)


def test_accumulate_over_other_iterables_keeps_what_it_read(rt: SimpleNamespace):
    def chunks():
        yield from (decode_chunk(c) for c in RAW_CHUNKS[:5])
        raise rt.exc.APIConnectionError("lost", request=None)

    with pytest.raises(rt.exc.APIConnectionError) as info:
        rt.accumulate.accumulate(chunks())
    _partial_checked(info.value.partial, rt, content="Hello, world")


def test_a_stream_of_other_events_has_no_partial(rt: SimpleNamespace):
    raw = sse_event({"kind": "x"}) + sse_event({"error": {"code": 500, "message": "no"}})
    with pytest.raises(rt.exc.InternalServerError) as info:
        list(rt.streaming.Stream.from_bytes(raw.encode(), lambda v: v))
    assert info.value.partial is None


def test_a_responses_stream_error_carries_the_partial_response(rt: SimpleNamespace):
    events = [{"type": "response.created", "response": {"id": "resp_1", "status": "in_progress"}},
              {"type": "response.output_text.delta", "delta": "Hel"},
              {"type": "response.output_text.delta", "delta": "lo"},
              {"type": "error", "code": "server_error", "message": "overloaded"}]
    raw = "".join(sse_event(e) for e in events)
    with pytest.raises(rt.exc.APIStatusError) as info:
        rt.accumulate.accumulate_response(rt.streaming.Stream.from_bytes(raw.encode(),
                                                                         lambda v: v))
    partial = info.value.partial
    assert isinstance(partial, rt.accumulate.AccumulatedResponse)
    assert (partial.id, partial.text, partial.status) == ("resp_1", "Hello", "in_progress")


@pytest.mark.anyio
async def test_a_connection_lost_mid_stream_keeps_the_partial_result_async(
        rt: SimpleNamespace, server: FaultServer):
    server.script(sse_reply([sse_event(c) for c in RAW_CHUNKS[:5]], terminate=False))
    options = rt.base.RequestOptions("POST", "/chat/completions", json_body={}, stream=True)
    async with rt.base.AsyncAPIClient(api_key=SECRET, base_url=server.url,
                                      max_retries=0) as client:
        stream = await client.request_stream(options, decode_chunk)
        async with stream:
            with pytest.raises(rt.exc.APIConnectionError) as info:
                await rt.accumulate.aaccumulate(stream)
    _partial_checked(info.value.partial, rt, content="Hello, world")


def test_a_connection_lost_mid_stream_keeps_the_partial_result(
        rt: SimpleNamespace, server: FaultServer):
    server.script(sse_reply([sse_event(c) for c in RAW_CHUNKS[:5]], terminate=False))
    options = rt.base.RequestOptions("POST", "/chat/completions", json_body={}, stream=True)
    with (rt.base.SyncAPIClient(api_key=SECRET, base_url=server.url, max_retries=0) as client,
          client.request_stream(options, decode_chunk) as stream,
          pytest.raises(rt.exc.APIConnectionError) as info):
        for _ in stream:
            pass
    _partial_checked(info.value.partial, rt, content="Hello, world")


def test_several_choices_and_missing_parts(rt: SimpleNamespace):
    chunks = [
        SimpleNamespace(id=None, usage=None, choices=[
            SimpleNamespace(index=1, finish_reason=None, delta=SimpleNamespace(content="b")),
            SimpleNamespace(index=0, finish_reason=None, delta=None),
        ]),
        SimpleNamespace(id="gen-2", choices=None, usage=None),
        SimpleNamespace(id="gen-3", usage=None, choices=[
            SimpleNamespace(index=None, finish_reason="stop",
                            delta=SimpleNamespace(content="a", reasoning=None, tool_calls=[
                                SimpleNamespace(index=None, id="c1", function=None)])),
        ]),
    ]
    result = rt.accumulate.accumulate(chunks)
    assert result.id == "gen-2"
    assert [(c.index, c.content, c.finish_reason) for c in result.choices] == [
        (0, "a", "stop"), (1, "b", None)]
    assert result.reasoning is None
    assert result.tool_calls == [rt.accumulate.AccumulatedToolCall(0, "c1")]
    assert rt.accumulate.accumulate([]).content == ""


@pytest.mark.anyio
async def test_aaccumulate_over_http(rt: SimpleNamespace, server: FaultServer):
    server.script(sse_reply([sse_event(c) for c in RAW_CHUNKS] + ["data: [DONE]\n\n"]))
    options = rt.base.RequestOptions("POST", "/chat/completions", json_body={}, stream=True)
    async with rt.base.AsyncAPIClient(api_key=SECRET, base_url=server.url) as client:
        stream = await client.request_stream(options, decode_chunk)
        async with stream:
            check(await rt.accumulate.aaccumulate(stream), rt)
        assert stream.response.is_closed
