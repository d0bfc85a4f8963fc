"""The sample app (`sample_app.py`, the code the type checkers read) runs correctly over loopback
HTTP: a scripted server answers each of its calls in order, and the app's report and the requests
that arrived are compared with what was scripted."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.support.fault_server import FaultServer, error_body, json_reply, sse_event, sse_reply
from tests.support.seed_package import seed_package

seed_package()  # the app imports `openrouter_seed_client`, importable from here on
from tests.typing import sample_app

MODEL = sample_app.MODEL


def _chat(content: object, **message: object) -> dict[str, Any]:
    return {
        "id": "gen-1", "object": "chat.completion", "created": 1700000000, "model": MODEL,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content, **message}}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17},
    }


def _chunk(delta: dict[str, Any], **extra: object) -> str:
    return sse_event({"id": "gen-2", "object": "chat.completion.chunk", "created": 1700000001,
                      "model": MODEL, "choices": [{"index": 0, "delta": delta,
                                                   "finish_reason": None}], **extra})


STREAM = [": OPENROUTER PROCESSING\n\n", _chunk({"role": "assistant", "content": "one, "}),
          _chunk({"content": "two, three"}),
          _chunk({}, usage={"prompt_tokens": 4, "completion_tokens": 6, "total_tokens": 10}),
          sse_event("[DONE]")]

KEY = {"hash": "abc123", "name": "ci", "label": "sk-or-v1-abc...", "disabled": False,
       "limit": 10, "limit_remaining": 10, "limit_reset": None, "usage": 0, "usage_daily": 0,
       "usage_weekly": 0, "usage_monthly": 0, "byok_usage": 0, "byok_usage_daily": 0,
       "byok_usage_weekly": 0, "byok_usage_monthly": 0, "created_at": "2026-12-01T00:00:00Z",
       "updated_at": None}
ENDPOINT = {"name": "OpenAI | gpt-4o-mini", "model_name": "GPT-4o mini", "context_length": 128000,
            "pricing": {"prompt": "0.00000015", "completion": "0.0000006"},
            "provider_name": "OpenAI", "tag": "openai", "quantization": "unknown",
            "max_completion_tokens": 16384, "max_prompt_tokens": None,
            "supported_parameters": ["tools", "max_tokens"], "uptime_last_30m": 99.5,
            "supports_implicit_caching": True, "status": 0}

REPLIES = [
    # GET /models
    json_reply({"data": [
        {"id": MODEL, "canonical_slug": MODEL, "name": "GPT-4o mini", "created": 1721260800,
         "pricing": {"prompt": "0.00000015", "completion": "0.0000006"}, "context_length": 128000,
         "architecture": {"modality": "text->text", "input_modalities": ["text"],
                          "output_modalities": ["text"], "tokenizer": "GPT",
                          "instruct_type": None},
         "top_provider": {"is_moderated": True, "context_length": 128000,
                          "max_completion_tokens": 16384},
         "supported_parameters": ["tools"], "per_request_limits": None,
         "default_parameters": None, "hugging_face_id": None},
        {"id": "mistralai/mistral-small", "canonical_slug": "mistralai/mistral-small",
         "name": "Mistral Small", "created": 1721260801, "pricing": {"prompt": "0", "completion": "0"},
         "context_length": None, "architecture": {"modality": "text->text"},
         "top_provider": {"is_moderated": False}, "supported_parameters": []},
    ]}),
    json_reply(_chat("Hello there.")),
    json_reply(_chat(None, tool_calls=[{"id": "call_1", "type": "function", "function": {
        "name": "get_weather", "arguments": json.dumps({"city": "Paris"})}}])),
    json_reply(_chat(json.dumps({"colour": "teal"}))),
    json_reply(_chat([{"type": "text", "text": "A cat "}, {"type": "file", "file": {}},
                      {"type": "text", "text": "on a mat."}])),
    sse_reply(STREAM),
    # POST /completions
    json_reply({"id": "cmpl-1", "choices": [{"text": " there was", "index": 0,
                                             "finish_reason": "length"}]}),
    # GET /key
    json_reply({"data": {**KEY, "label": "sk-or-v1-cur...", "is_free_tier": False,
                         "is_provisioning_key": False,
                         "rate_limit": {"requests": 200, "interval": "10s", "note": ""}}}),
    json_reply({"data": [KEY, {**KEY, "hash": "def456", "disabled": True}]}),  # GET /keys
    json_reply({"data": KEY, "key": "sk-or-v1-new"}, status=201),  # POST /keys
    json_reply({"data": {**KEY, "disabled": True}}),  # PATCH /keys/abc123
    json_reply({"data": KEY}),  # GET /keys/abc123
    json_reply({"deleted": True}),  # DELETE /keys/abc123
    json_reply({"data": {"id": MODEL, "name": "GPT-4o mini", "created": 1721260800,
                         "description": "Small.", "architecture": {
                             "tokenizer": "GPT", "instruct_type": None, "modality": "text->text",
                             "input_modalities": ["text"], "output_modalities": ["text"]},
                         "endpoints": [ENDPOINT, {**ENDPOINT, "context_length": 64000}]}}),
    json_reply({"data": [ENDPOINT]}),  # GET /endpoints/zdr
    json_reply({"data": {"id": "code-1", "app_id": 42, "created_at": "2026-12-01T00:00:00Z"}}),
    json_reply({"key": "sk-or-v1-user", "user_id": "user_1"}),  # POST /auth/keys
    json_reply({"data": {"model": MODEL, "supported_parameters": ["temperature", "tools"]}}),
    json_reply({"data": [{"name": "OpenAI", "slug": "openai", "privacy_policy_url": None}]}),
    json_reply(error_body(404, "No such route"), status=404),  # GET /models/user
    json_reply(error_body(429, "Rate limit exceeded", provider_name="OpenAI"), status=429),
    # the async client
    json_reply(_chat("Hello, async.")),
    sse_reply(STREAM),
]

CALLS = [
    ("GET", "/models"), *[("POST", "/chat/completions")] * 5, ("POST", "/completions"),
    ("GET", "/key"), ("GET", "/keys"), ("POST", "/keys"), ("PATCH", "/keys/abc123"),
    ("GET", "/keys/abc123"), ("DELETE", "/keys/abc123"),
    ("GET", "/models/openai/gpt-4o-mini/endpoints"), ("GET", "/endpoints/zdr"),
    ("POST", "/auth/keys/code"), ("POST", "/auth/keys"), ("GET", "/parameters/openai/gpt-4o-mini"),
    ("GET", "/providers"), ("GET", "/models/user"), ("POST", "/chat/completions"),
    ("POST", "/chat/completions"), ("POST", "/chat/completions"),
]


def test_the_sample_app_runs_over_loopback() -> None:
    with FaultServer() as server:
        server.script(*REPLIES)
        report = sample_app.run(server.url)
        answer, streamed, tokens = asyncio.run(sample_app.run_async(server.url))
        requests = server.requests
    assert [(r.method, r.path.removeprefix("/api/v1")) for r in requests] == CALLS
    assert report == sample_app.Report(
        model_ids=[MODEL, "mistralai/mistral-small"], context_length=128000,
        model_created=1721260800, reply="Hello there.", total_tokens=17, prompt_tokens=12,
        tool_calls=[("get_weather", {"city": "Paris"})], answer={"colour": "teal"},
        described="A cat on a mat.", streamed="one, two, three", stream_tokens=10,
        completion=" there was", key_label="sk-or-v1-cur...", requests_per_interval=200,
        key_count=2, new_key="sk-or-v1-new", endpoint_contexts=[128000, 64000],
        auth_code="code-1", app_id=42, exchanged_key="sk-or-v1-user",
        parameter_names=["temperature", "tools"], provider_slugs=["openai"],
        errors=["not found: 404", "rate limited: 429"],
    )
    assert (answer, streamed, tokens) == ("Hello, async.", "one, two, three", 10)
    # What the app sent: dict literals went out as written.
    tools = requests[2].json()
    assert isinstance(tools, dict) and tools["tools"] == [sample_app.WEATHER_TOOL]
    structured = requests[3].json()
    assert isinstance(structured, dict)
    assert structured["response_format"]["json_schema"]["name"] == "colour"
    streaming = requests[5].json()
    assert isinstance(streaming, dict) and streaming["stream"] is True
    assert requests[8].query == {"include_disabled": ["true"]}
    assert requests[10].json() == {"disabled": True}
    assert all(r.headers["authorization"] == "Bearer sk-or-v1-sample" for r in requests)
