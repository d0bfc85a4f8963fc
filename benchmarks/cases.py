"""The in-process benchmarks: for a case, a variant and a size, one unit of work as a callable.

Every variant of a case works on the same bytes. ``setup`` returns the callable and a check that
turns its result into a one-line summary (raising when the result is wrong), so a benchmark can
never quietly time an error path: the worker runs the check once before timing.

Variants: ``baseline`` (the floor: the JSON parsing any client must do), ``ours`` (the generated
``openrouter_client``), ``anchor`` (the official ``openrouter`` SDK, 1.3.84, through the same code
its own methods run). Decode also has ``ours_gc_paused``: ``ours`` with the garbage collector paused
around each call. The client does not do that; the variant measures, in the same rounds, how much
of the decode targets' miss is the collector's work (RESULTS.md's "what bounds the misses"). Only the imports a variant needs are made, so each worker process holds the
heap of one variant alone.
"""

from __future__ import annotations

import gc
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from benchmarks.make_models_body import make_models_body
from benchmarks.make_stream_body import CHAT_REQUEST, make_chat_response_body, make_stream_pieces

BASE_URL = "https://openrouter.ai/api/v1"
API_KEY = "sk-or-v1-0000000000000000000000000000000000000000000000000000000000000000"
JSON_HEADERS = {"content-type": "application/json"}
SSE_HEADERS = {"content-type": "text/event-stream"}
MODEL = CHAT_REQUEST["model"]

# Sizes of the inputs: "full" is what the issue asks for, "tiny" is the smoke test's.
SIZES: dict[str, dict[str, int]] = {
    "full": {"models": 350, "chunks": 2000},
    "tiny": {"models": 5, "chunks": 20},
}

# Case -> its variants, in the order they are reported.
CASES: dict[str, tuple[str, ...]] = {
    "decode": ("baseline", "ours", "ours_gc_paused", "anchor"),
    "decode_quirky": ("baseline", "ours"),
    "stream": ("baseline", "ours", "anchor", "openai"),
    "percall": ("baseline", "ours", "anchor", "openai"),
}

Work = Callable[[], object]
Check = Callable[[object], str]


@dataclass(frozen=True)
class Prepared:
    """One unit of work and the check of its result."""

    run: Work
    check: Check


def setup(case: str, variant: str, size: str = "full") -> Prepared:
    """The work of ``variant`` in ``case`` on inputs of ``size`` ("full" or "tiny")."""
    if case not in CASES or variant not in CASES[case]:
        raise ValueError(f"unknown benchmark {case}/{variant}")
    sizes = SIZES[size]
    if case in ("decode", "decode_quirky"):
        return _decode(variant, make_models_body(sizes["models"], complete=case == "decode"),
                       sizes["models"])
    if case == "stream":
        return _stream(variant, make_stream_pieces(sizes["chunks"]), sizes["chunks"])
    return _percall(variant)


# The item class of the models list: a generated one whatever its name (pages may rename it).
_MODEL = "<generated>"


def answer_model(method: str, path: str, *, stream: bool = False) -> Any:
    """The model class the committed package answers `method path` with (with `stream`, the
    class of its stream's chunks), read from the return annotation of the client method whose
    docstring names the operation: the benchmarks follow whatever pages spec/docs/ holds."""
    from openrouter_client import OpenRouter, models

    client = OpenRouter(api_key="bench")
    route = f"``{method} {path}``"
    for name, attribute in vars(type(client)).items():
        if name.startswith("_") or not isinstance(attribute, property):
            continue
        resource = type(getattr(client, name))
        for method_name in dir(resource):
            function = getattr(resource, method_name)
            if method_name.startswith("_") or route not in (function.__doc__ or ""):
                continue
            annotation = str(inspect.signature(function).return_annotation)
            found = re.search(r"Stream\[(\w+)\]" if stream else r"^(\w+)", annotation)
            if found:
                return getattr(models, found.group(1))
    raise LookupError(f"the committed package has no method for {method} {path}")


def _count(expected: int, what: str, kind: str) -> Check:
    def check(result: object) -> str:
        items: Any = result
        if isinstance(result, dict):
            items = result["data"]
        elif hasattr(result, "data"):
            items = result.data
        if len(items) != expected:
            raise AssertionError(f"expected {expected} {what}, got {len(items)}")
        first = items[0]
        if kind == _MODEL and not type(first).__module__.startswith("openrouter_client.models."):
            raise AssertionError(f"expected generated models, got {type(first).__name__}")
        if kind and kind != _MODEL and type(first).__name__ != kind:
            raise AssertionError(f"expected {kind} objects, got {type(first).__name__}")
        return f"{len(items)} {what} as {type(first).__module__}.{type(first).__name__}"

    return check


def _decode(variant: str, body: bytes, n: int) -> Prepared:
    if variant == "baseline":
        loads = json.loads
        return Prepared(lambda: loads(body), _count(n, "models", "dict"))
    if variant == "ours_gc_paused":
        return _gc_paused(_decode("ours", body, n))
    if variant == "ours":
        from openrouter_client._response import read_body

        decode: Callable[[Any], object] = answer_model("GET", "/models").from_json

        def no_redact(text: str) -> str:
            return text

        def ours() -> object:
            response = httpx.Response(200, headers=JSON_HEADERS, content=body)
            return decode(read_body(response, no_redact))

        return Prepared(ours, _count(n, "models", _MODEL))
    from openrouter import components
    from openrouter.utils.unmarshal_json_response import unmarshal_json_response

    def anchor() -> object:
        # What the SDK's models.list() does with a 200 response: http_res.text through pydantic.
        response = httpx.Response(200, headers=JSON_HEADERS, content=body)
        return unmarshal_json_response(components.ModelsListResponse, response)

    return Prepared(anchor, _count(n, "models", "Model"))


def _gc_paused(prepared: Prepared) -> Prepared:
    work = prepared.run

    def paused() -> object:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return work()
        finally:
            if was_enabled:
                gc.enable()

    return Prepared(paused, prepared.check)


def _stream(variant: str, pieces: list[bytes], n: int) -> Prepared:
    if variant == "baseline":
        loads = json.loads

        def baseline() -> object:
            out = []
            for piece in pieces:
                for line in piece.splitlines():
                    if line.startswith(b"data:"):
                        data = line[5:].strip()
                        if data != b"[DONE]":
                            out.append(loads(data))
            return out

        return Prepared(baseline, _count(n, "chunks", "dict"))
    if variant == "ours":
        from openrouter_client import Stream

        chunk = answer_model("POST", "/chat/completions", stream=True)
        return Prepared(lambda: list(Stream.from_bytes(pieces, chunk.from_json)),
                        _count(n, "chunks", chunk.__name__))
    if variant == "openai":
        return _openai_stream(pieces, n)
    from openrouter import components
    from openrouter.utils import eventstreaming
    from openrouter.utils.unmarshal_json_response import unmarshal_json_response

    def anchor() -> object:
        # The stream the SDK's chat.send(stream=True) returns, on a response carrying the pieces.
        response = httpx.Response(200, headers=SSE_HEADERS, content=iter(pieces))
        events = eventstreaming.EventStream(
            response,
            lambda raw: unmarshal_json_response(
                components.ChatStreamingResponse, response, raw).data,
            sentinel="[DONE]",
        )
        return list(events)

    return Prepared(anchor, _count(n, "chunks", "ChatStreamChunk"))


class _Recorder:
    """The mock server: answers every request with the same chat completion, keeps the last one."""

    def __init__(self) -> None:
        self.body = make_chat_response_body()
        self.last: httpx.Request | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.last = request
        return httpx.Response(200, headers=JSON_HEADERS, content=self.body)

    def check_request(self) -> str:
        request = self.last
        if request is None:
            raise AssertionError("no request reached the transport")
        if request.method != "POST" or request.url.path != "/api/v1/chat/completions":
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            raise AssertionError("request carries no bearer token")
        sent = json.loads(request.content)
        if sent.get("messages") != CHAT_REQUEST["messages"] or sent.get("model") != MODEL:
            raise AssertionError(f"request body differs from CHAT_REQUEST: {sent}")
        return f"POST {request.url.path} ({len(request.content)} byte body)"



def _percall(variant: str) -> Prepared:
    server = _Recorder()
    http = httpx.Client(transport=httpx.MockTransport(server))

    def check(result: object) -> str:
        sent = server.check_request()
        if isinstance(result, dict):
            text = result["choices"][0]["message"]["content"]
        else:
            typed: Any = result
            text = typed.choices[0].message.content
        if not isinstance(text, str) or not text:
            raise AssertionError(f"no message content in {type(result).__name__}")
        return f"{sent} -> {type(result).__module__}.{type(result).__name__}"

    if variant == "baseline":
        headers = {"authorization": f"Bearer {API_KEY}", "accept": "application/json"}
        url = BASE_URL + "/chat/completions"

        def baseline() -> object:
            response = http.post(url, json=CHAT_REQUEST, headers=headers)
            response.raise_for_status()
            return response.json()

        return Prepared(baseline, check)
    if variant == "ours":
        from openrouter_client import OpenRouter

        client = OpenRouter(api_key=API_KEY, base_url=BASE_URL, http_client=http)
        request: dict[str, Any] = dict(CHAT_REQUEST)
        return Prepared(lambda: client.chat.send(**request), check)
    if variant == "openai":
        return _openai_percall(server, check)
    import openrouter

    sdk = openrouter.OpenRouter(api_key=API_KEY, server_url=BASE_URL, client=http)
    request = dict(CHAT_REQUEST)
    return Prepared(lambda: sdk.chat.send(**request), check)


# The openai SDK (3.x, pinned in the bench group) as most OpenRouter users call it, with
# `base_url`. It runs on httpx2, a fork of httpx: its mock transport is httpx2's, answering with
# the same bytes as the other variants get.


def _openai_client(answer: Callable[[Any], Any]) -> Any:
    import httpx2
    import openai

    http = httpx2.Client(transport=httpx2.MockTransport(answer))
    return openai.OpenAI(api_key=API_KEY, base_url=BASE_URL, http_client=http, max_retries=0)


def _openai_stream(pieces: list[bytes], n: int) -> Prepared:
    import httpx2

    client = _openai_client(
        lambda request: httpx2.Response(200, headers=SSE_HEADERS, content=iter(pieces)))
    request: dict[str, Any] = {**CHAT_REQUEST, "stream": True}

    def run() -> object:
        # What `create(stream=True)` returns, read to the end: one request, then the events.
        with client.chat.completions.create(**request) as stream:
            return list(stream)

    return Prepared(run, _count(n, "chunks", "ChatCompletionChunk"))


def _openai_percall(server: _Recorder, check: Callable[[object], str]) -> Prepared:
    import httpx2

    def answer(request: Any) -> Any:
        # The recorder reads an httpx2 request as it reads httpx's: same attributes.
        server.last = request
        return httpx2.Response(200, headers=JSON_HEADERS, content=server.body)

    client = _openai_client(answer)
    request: dict[str, Any] = dict(CHAT_REQUEST)
    return Prepared(lambda: client.chat.completions.create(**request), check)
