"""`openrouter_client.text(...)`: the text of a chat answer (content as a string, a list of parts or
null), of a legacy completion and of an accumulated stream, through the committed package over
loopback HTTP, with the sync and the async client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import openrouter_client
import pytest
from openrouter_client import AsyncOpenRouter, OpenRouter, aaccumulate, accumulate, text

from tests.support.fault_server import FaultServer, json_reply, sse_event, sse_reply

MESSAGES = [{"role": "user", "content": "hi"}]


def chat_answer(content: object, **message: object) -> dict[str, Any]:
    return {"id": "gen-1", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content, **message}}]}


ANSWERS = [
    (chat_answer("Hello there"), "Hello there"),
    # Parts: the text parts are joined; an image part and a part of an unknown type are not text.
    (chat_answer([{"type": "text", "text": "Hello "},
                  {"type": "image_url", "image_url": {"url": "data:,"}},
                  {"type": "future_part", "text": "not this"},
                  {"type": "text", "text": "there"}]), "Hello there"),
    (chat_answer(None, tool_calls=[{"id": "c1", "type": "function",
                                    "function": {"name": "f", "arguments": "{}"}}]), ""),
    ({"id": "gen-2", "object": "chat.completion", "created": 1, "model": "m", "choices": []}, ""),
]


def chunk(content: str, finish: str | None = None) -> dict[str, Any]:
    return {"id": "gen-3", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": content},
                         "finish_reason": finish}]}


STREAM = [sse_event(chunk("Hel")), ": OPENROUTER PROCESSING\n\n", sse_event(chunk("lo", "stop")),
          sse_event("[DONE]")]


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def test_text_is_exported() -> None:
    assert openrouter_client.text is text and "text" in openrouter_client.__all__


@pytest.mark.parametrize(("answer", "expected"), ANSWERS)
def test_text_of_a_chat_answer_sync(server: FaultServer, answer: dict[str, Any],
                                    expected: str) -> None:
    server.script(json_reply(answer))
    with OpenRouter(api_key="k", base_url=server.url, max_retries=0) as client:
        response = client.chat.send(model="m", messages=MESSAGES)
    assert text(response) == expected
    assert text(response, choice=3) == ""


@pytest.mark.parametrize(("answer", "expected"), ANSWERS)
def test_text_of_a_chat_answer_async(server: FaultServer, answer: dict[str, Any],
                                     expected: str) -> None:
    server.script(json_reply(answer))

    async def run() -> object:
        async with AsyncOpenRouter(api_key="k", base_url=server.url, max_retries=0) as client:
            return await client.chat.send(model="m", messages=MESSAGES)

    assert text(anyio.run(run)) == expected


def test_text_of_a_legacy_completion(server: FaultServer) -> None:
    server.script(json_reply({"id": "c", "object": "text_completion", "created": 1, "model": "m",
                              "choices": [{"index": 0, "text": "Once upon",
                                           "finish_reason": "length"}]}))
    with OpenRouter(api_key="k", base_url=server.url, max_retries=0) as client:
        assert text(client.completions.create(model="m", prompt="Tell")) == "Once upon"


def test_text_of_an_accumulated_stream_sync(server: FaultServer) -> None:
    server.script(sse_reply(STREAM))
    with (OpenRouter(api_key="k", base_url=server.url, max_retries=0) as client,
          client.chat.send(model="m", messages=MESSAGES, stream=True) as stream):
        final = accumulate(stream)
    assert text(final) == final.content == "Hello"
    assert text(final, choice=1) == ""


def test_text_of_an_accumulated_stream_async(server: FaultServer) -> None:
    server.script(sse_reply(STREAM))

    async def run() -> str:
        async with AsyncOpenRouter(api_key="k", base_url=server.url, max_retries=0) as client:
            stream = await client.chat.send(model="m", messages=MESSAGES, stream=True)
            async with stream:
                return text(await aaccumulate(stream))

    assert anyio.run(run) == "Hello"
