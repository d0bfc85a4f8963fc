"""Replay of real recorded OpenRouter traffic (`../shared/real-traffic/`, read in place) through the
committed client's public surface, over loopback HTTP.

Each recorded body is served by a loopback server as the live API sent it (status, content type)
and read through `client.chat.send`:
- a 200 JSON body decodes, and its `to_json()` is exactly the body (nulls kept, nothing added,
  each value of its JSON class);
- an error body raises the class of its status, holding the body as sent;
- a stream delivers one chunk per data event, each chunk's `to_json()` exactly its event;
  `accumulate()` rebuilds the text and reasoning the events carry; the stream that ends in an
  error event (HTTP 200) raises typed after the chunks before it, and the error carries what
  was accumulated (text, reasoning, usage of the error event), both when iterating and from
  `accumulate()`.
The expectations are computed from the recorded bytes by this test's own reading of them.
"""

from __future__ import annotations

import asyncio
import functools
import json
from pathlib import Path
from typing import Any

import openrouter_client as oc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.fault_server import FaultServer, body_reply
from tests.support.json_objects import same_json
from tests.support.shared_data import shared_file

MESSAGES = [{"role": "user", "content": "hi"}]


def _manifest() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(
        shared_file("real-traffic", "manifest.json").read_text(encoding="utf-8"))
    return entries


def _body(entry: dict[str, Any]) -> bytes:
    return shared_file("real-traffic", "bodies", entry["file"]).read_bytes()


def _entries(kind: str) -> list[Any]:
    """The manifest's entries of one kind, as test parameters (one skipping param without data)."""
    try:
        entries = _manifest()
    except pytest.skip.Exception as exc:
        return [pytest.param(None, marks=pytest.mark.skip(reason=str(exc)))]
    except pytest.fail.Exception as exc:
        return [pytest.param(None, marks=pytest.mark.xfail(reason=str(exc), strict=True,
                                                           run=False))]
    chosen = [e for e in entries
              if (kind == "stream" and e["stream"])
              or (kind == "ok" and not e["stream"] and e["status"] == 200)
              or (kind == "error" and e["status"] >= 400)]
    return [pytest.param(e, id=e["file"]) for e in chosen]


def _events(raw: bytes) -> list[dict[str, Any]]:
    """The JSON of every data event of an SSE body up to `[DONE]` (comments skipped)."""
    events: list[dict[str, Any]] = []
    data: list[str] = []
    for line in [*raw.decode("utf-8").replace("\r\n", "\n").split("\n"), ""]:
        if line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        elif not line and data:
            text = "\n".join(data)
            data = []
            if text == "[DONE]":
                break
            events.append(json.loads(text))
    return events


@functools.cache
def _chat_answer_model() -> type[Any]:
    """The generated model `client.chat.send` answers with (its name follows the pages in
    spec/docs/), found by one call over loopback with a recorded body."""
    entry = next(e for e in _manifest() if not e["stream"] and e["status"] == 200)
    with FaultServer() as server, oc.OpenRouter(api_key="k", base_url=server.url,
                                                max_retries=0) as client:
        _serve(server, entry)
        model: type[Any] = type(client.chat.send(model=entry["request_model"],
                                                 messages=MESSAGES))
    assert model.__module__.startswith("openrouter_client.models."), model
    assert getattr(oc.models, model.__name__) is model
    return model


def _serve(server: FaultServer, entry: dict[str, Any]) -> None:
    server.script(body_reply(_body(entry), status=entry["status"],
                             content_type=entry["content_type"]))


def _deltas(events: list[dict[str, Any]], key: str) -> str:
    return "".join(choice.get("delta", {}).get(key) or ""
                   for event in events for choice in event.get("choices") or ()
                   if choice.get("index", 0) == 0)


def test_the_replay_sees_every_recorded_body() -> None:
    entries = _manifest()
    assert len(entries) == 78
    kinds = [_entries(k) for k in ("ok", "error", "stream")]
    assert sum(len(k) for k in kinds) == 78 and all(kinds)


@pytest.mark.parametrize("entry", _entries("ok"))
def test_a_recorded_response_comes_back_exactly(entry: dict[str, Any]) -> None:
    sent = json.loads(_body(entry))
    with FaultServer() as server, oc.OpenRouter(api_key="k", base_url=server.url,
                                                max_retries=0) as client:
        _serve(server, entry)
        response = client.chat.send(model=entry["request_model"], messages=MESSAGES)
    assert type(response) is _chat_answer_model()
    out = json.loads(json.dumps(response.to_json()))
    assert same_json(out, sent), (out, sent)


@pytest.mark.parametrize("entry", _entries("error"))
def test_a_recorded_error_raises_typed_with_the_body_as_sent(entry: dict[str, Any]) -> None:
    sent = json.loads(_body(entry))
    expected = {429: oc.RateLimitError, 400: oc.BadRequestError}[entry["status"]]
    with FaultServer() as server, oc.OpenRouter(api_key="k", base_url=server.url,
                                                max_retries=0) as client:
        _serve(server, entry)
        with pytest.raises(expected) as info:
            client.chat.send(model=entry["request_model"], messages=MESSAGES)
    assert info.value.status_code == entry["status"]
    assert info.value.body == sent
    assert sent["error"]["message"] in info.value.message


def _read_stream(stream: Any) -> tuple[list[Any], BaseException | None]:
    chunks: list[Any] = []
    try:
        chunks.extend(stream)  # keeps the chunks read before an error
    except oc.OpenRouterError as exc:
        return chunks, exc
    return chunks, None


async def _aread_stream(stream: Any) -> tuple[list[Any], BaseException | None]:
    chunks: list[Any] = []
    try:
        async for chunk in stream:
            chunks.append(chunk)
    except oc.OpenRouterError as exc:
        return chunks, exc
    return chunks, None


def _check_stream(entry: dict[str, Any], chunks: list[Any], error: BaseException | None) -> None:
    events = _events(_body(entry))
    failed = [e for e in events if "error" in e]
    delivered = [e for e in events if "error" not in e]
    assert len(chunks) == len(delivered)
    for chunk, event in zip(chunks, delivered, strict=True):
        assert same_json(json.loads(json.dumps(chunk.to_json())), event), (chunk, event)
    if not failed:
        assert error is None
        return
    # The recorded stream that ends in an error event, sent with HTTP 200.
    assert isinstance(error, oc.APIStatusError) and error.in_stream
    assert error.status_code == failed[0]["error"]["code"]
    partial = error.partial
    assert isinstance(partial, oc.AccumulatedCompletion)
    assert partial.content == _deltas(events, "content")
    assert partial.reasoning == (_deltas(events, "reasoning") or None)
    assert partial.usage is not None and partial.usage.to_json() == failed[0]["usage"]


@pytest.mark.parametrize("entry", _entries("stream"))
def test_a_recorded_stream_delivers_every_event_exactly(entry: dict[str, Any]) -> None:
    with FaultServer() as server, oc.OpenRouter(api_key="k", base_url=server.url,
                                                max_retries=0) as client:
        _serve(server, entry)
        with client.chat.send(model=entry["request_model"], messages=MESSAGES,
                              stream=True) as stream:
            chunks, error = _read_stream(stream)
    _check_stream(entry, chunks, error)


@pytest.mark.parametrize("entry", _entries("stream"))
def test_a_recorded_stream_delivers_every_event_exactly_async(entry: dict[str, Any]) -> None:
    async def main() -> tuple[list[Any], BaseException | None]:
        async with oc.AsyncOpenRouter(api_key="k", base_url=server.url,
                                      max_retries=0) as client:
            stream = await client.chat.send(model=entry["request_model"], messages=MESSAGES,
                                            stream=True)
            async with stream:
                return await _aread_stream(stream)

    with FaultServer() as server:
        _serve(server, entry)
        chunks, error = asyncio.run(main())
    _check_stream(entry, chunks, error)


@pytest.mark.parametrize("entry", _entries("stream"))
def test_accumulate_rebuilds_a_recorded_stream(entry: dict[str, Any]) -> None:
    events = _events(_body(entry))
    with FaultServer() as server, oc.OpenRouter(api_key="k", base_url=server.url,
                                                max_retries=0) as client:
        _serve(server, entry)
        with client.chat.send(model=entry["request_model"], messages=MESSAGES,
                              stream=True) as stream:
            try:
                final = oc.accumulate(stream)
            except oc.APIStatusError as exc:
                assert any("error" in e for e in events)
                assert isinstance(exc.partial, oc.AccumulatedCompletion)
                final = exc.partial
    assert final.content == _deltas(events, "content")
    assert final.reasoning == (_deltas(events, "reasoning") or None)
    usages = [e["usage"] for e in events if e.get("usage")]
    if usages:
        assert final.usage is not None and final.usage.to_json() == usages[-1]
    assert final.id == events[0]["id"]


def test_the_recorded_error_stream_is_in_the_data() -> None:
    # The partial-result checks above are not vacuous: one recorded stream ends in an error.
    streams = [e for e in _manifest() if e["stream"]]
    assert any(any("error" in ev for ev in _events(_body(e))) for e in streams)
    assert all(Path(e["file"]).suffix == ".sse" for e in streams)


def _key_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every object key at every level of a JSON value."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*path, key))
            found.extend(_key_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_key_paths(item, (*path, index)))
    return found


def _mutated(value: Any, nulls: set[tuple[Any, ...]], drops: set[tuple[Any, ...]],
             path: tuple[Any, ...] = ()) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            here = (*path, key)
            if here in drops:
                continue
            out[key] = None if here in nulls else _mutated(item, nulls, drops, here)
        return out
    if isinstance(value, list):
        return [_mutated(item, nulls, drops, (*path, i)) for i, item in enumerate(value)]
    return value


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data())
def test_nulls_and_absent_keys_at_every_level_come_back_exactly(data: st.DataObject) -> None:
    # The recorded bodies with keys nulled or left out anywhere, decoded by the response model.
    entries = [e for e in _manifest() if not e["stream"] and e["status"] == 200]
    entry = data.draw(st.sampled_from(entries), label="body")
    body = json.loads(_body(entry))
    paths = _key_paths(body)
    nulls = data.draw(st.sets(st.sampled_from(paths), max_size=12), label="nulls")
    drops = data.draw(st.sets(st.sampled_from(paths), max_size=12), label="drops")
    sent = _mutated(body, nulls, drops)
    decoded = _chat_answer_model().from_json(sent)
    assert same_json(json.loads(json.dumps(decoded.to_json())), sent)
