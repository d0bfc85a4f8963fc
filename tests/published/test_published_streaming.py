"""Streaming as each published document declares it, over loopback HTTP, sync and async:
chat chunks, Responses events tagged by `type` (an unknown one stays a mapping), Anthropic-style
`/messages` events named by `event:` lines, mid-stream errors raised typed, and the Responses
accumulator. The package is generated from the seed pages plus the document (the `project`
fixture, conftest.py) and run in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.support.fault_server import FaultServer, sse_event, sse_reply
from tests.support.shared_data import REPO_ROOT


def run_client(project: Path, server: FaultServer, body: str) -> list[object]:
    """Run `body` (statements using `client`, `aclient`, `out`) against `server`; `out` comes back."""
    script = "\n".join([
        "import asyncio, importlib, json",
        "import openrouter_client as oc",
        "from openrouter_client.api import anthropic_messages",
        f"client = oc.OpenRouter(api_key='k', base_url={server.url!r}, max_retries=0)",
        f"aclient = oc.AsyncOpenRouter(api_key='k', base_url={server.url!r}, max_retries=0)",
        # The Responses group is tagged `beta.responses` before 2026-08, `Responses` after.
        "group = 'responses' if hasattr(client, 'responses') else 'beta_responses'",
        "responses = importlib.import_module('openrouter_client.api.' + group)",
        "client_responses, aclient_responses = getattr(client, group), getattr(aclient, group)",
        "out = []",
        textwrap.dedent(body),
        "print(json.dumps(out))",
    ])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project / "generated"),
                                                        str(REPO_ROOT)])}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    value: list[object] = json.loads(result.stdout.splitlines()[-1])
    return value


CHAT_CHUNKS = [
    {"id": "gen-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
     "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hel"},
                  "finish_reason": None}]},
    {"id": "gen-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
     "choices": [{"index": 0, "delta": {"content": "lo"}, "finish_reason": "stop"}],
     "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}},
]


def _sse(*values: object, comment: bool = True) -> list[str]:
    pieces = [": OPENROUTER PROCESSING\n\n"] if comment else []
    return [*pieces, *(sse_event(v) for v in values), sse_event("[DONE]")]


def test_chat_streams_the_documents_chunk_type(project: Path) -> None:
    with FaultServer() as server:
        server.script(sse_reply(_sse(*CHAT_CHUNKS)), sse_reply(_sse(*CHAT_CHUNKS)))
        out = run_client(project, server, """
            with client.chat.send(model='m', messages=[{'role': 'user', 'content': 'hi'}],
                                  stream=True) as stream:
                chunks = list(stream)
            out.append([type(c).__name__ for c in chunks])
            out.append(oc.accumulate(chunks).content)
            async def main():
                async with await aclient.chat.send(
                        model='m', messages=[{'role': 'user', 'content': 'hi'}],
                        stream=True) as stream:
                    return [c.to_json() async for c in stream]
            out.append(asyncio.run(main()))
        """)
        assert json.loads(server.requests[0].body)["stream"] is True
    names, text, async_chunks = out
    assert names == ["ChatStreamChunk", "ChatStreamChunk"]
    assert text == "Hello"
    assert async_chunks == CHAT_CHUNKS


RESPONSE = {"id": "resp-1", "object": "response", "created_at": 1, "model": "m",
            "status": "completed", "output": [],
            "usage": {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5}}
RESPONSES_EVENTS = [
    {"type": "response.created", "sequence_number": 0,
     "response": {**RESPONSE, "status": "in_progress", "usage": None}},
    {"type": "response.output_text.delta", "sequence_number": 1, "item_id": "i", "output_index": 0,
     "content_index": 0, "delta": "Hel", "logprobs": []},
    {"type": "response.brand_new_event", "sequence_number": 2, "payload": [1, 2]},
    {"type": "response.output_text.delta", "sequence_number": 3, "item_id": "i", "output_index": 0,
     "content_index": 0, "delta": "lo", "logprobs": []},
    {"type": "response.completed", "sequence_number": 4, "response": RESPONSE},
]


def test_responses_events_decode_typed_and_accumulate(project: Path) -> None:
    with FaultServer() as server:
        server.script(sse_reply(_sse(*RESPONSES_EVENTS)), sse_reply(_sse(*RESPONSES_EVENTS)))
        out = run_client(project, server, """
            events_of = responses._create_responses_EVENTS
            with client_responses.create(input='hi', model='m', stream=True) as stream:
                events = list(stream)
            out.append([isinstance(e, events_of[t].__self__) if t in events_of else e
                        for e, t in zip(events, [e_type for e_type in
                            ['response.created', 'response.output_text.delta', None,
                             'response.output_text.delta', 'response.completed']])])
            final = oc.accumulate_response(events)
            out.append([final.text, final.id, final.status, final.usage.total_tokens,
                        type(final.response).__name__, final.event_count])
            async def main():
                async with await aclient_responses.create(input='hi', model='m', stream=True) as stream:
                    final = await oc.aaccumulate_response(stream)
                return final.text
            out.append(asyncio.run(main()))
        """)
    typed, final, async_text = out
    # Known types decode to their classes; the unknown one is the mapping as sent.
    assert typed == [True, True, RESPONSES_EVENTS[2], True, True]
    assert final[:4] == ["Hello", "resp-1", "completed", 5]
    assert final[4] != "dict" and final[5] == 5
    assert async_text == "Hello"


def test_responses_error_event_raises_typed_after_the_events_before_it(project: Path) -> None:
    error = {"type": "error", "sequence_number": 2, "code": "rate_limit_exceeded",
             "message": "Slow down", "param": None}
    with FaultServer() as server:
        server.script(sse_reply(_sse(*RESPONSES_EVENTS[:2], error)))
        out = run_client(project, server, """
            seen = []
            try:
                with client_responses.create(input='hi', model='m', stream=True) as stream:
                    for event in stream:
                        seen.append(event.type)
            except oc.APIStatusError as exc:
                out.append([exc.code, "Slow down" in str(exc), exc.in_stream, seen])
        """)
    assert out == [["rate_limit_exceeded", True, True,
                    ["response.created", "response.output_text.delta"]]]


def test_messages_events_are_chosen_by_their_event_lines(project: Path) -> None:
    # Anthropic-style: each event has an `event:` line; here the data leaves out `type`.
    pieces = [
        ('event: message_start\ndata: {"message": {"id": "msg-1", "type": "message", '
         '"role": "assistant", "content": [], "model": "m", "stop_reason": null, '
         '"stop_sequence": null, "usage": {"input_tokens": 1, "output_tokens": 0}}}\n\n'),
        "event: ping\ndata: {}\n\n",
        ('event: content_block_delta\ndata: {"index": 0, "delta": {"type": "text_delta", '
         '"text": "Hi"}}\n\n'),
        'event: message_stop\ndata: {"type": "message_stop"}\n\n',
        'event: mystery\ndata: {"x": 1}\n\n',
    ]
    with FaultServer() as server:
        server.script(sse_reply(pieces))
        out = run_client(project, server, """
            events_of = anthropic_messages._create_messages_EVENTS
            stream = client.anthropic_messages.create(
                model='m', max_tokens=10, messages=[{'role': 'user', 'content': 'hi'}],
                stream=True)
            with stream:
                events = list(stream)
            names = ['message_start', 'ping', 'content_block_delta', 'message_stop']
            out.append([isinstance(e, events_of[n].__self__) for e, n in zip(events, names)])
            out.append([events[0].message.id, events[2].delta.text])
            out.append(events[-1])
        """)
    typed, fields, unknown = out
    assert typed == [True, True, True, True]
    assert fields == ["msg-1", "Hi"]
    assert unknown == {"x": 1}
