"""The live API is looser than its docs (DESIGN.md section 3); the generated client must not care.

The bodies in tests/fixtures/live/ carry the quirks (their README lists them per file). They are
decoded through the generated models directly (`from_json`) and, over loopback HTTP, through the
clients, of the package generated from the frozen seed pages the bodies belong to
(tests/support/seed_package.py), whatever pages spec/docs/ holds now. Checked: values read back as sent, `to_json` giving back exactly the body (nulls
included), unknown keys kept in `extra` and re-emitted by `to_json`, unknown enum values kept as plain strings, integer `status` accepted, an unknown union
tag kept as the raw mapping, and one odd item never failing a whole list.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from tests.support.json_objects import same_json
from tests.support.seed_package import seed_package

seed_package()  # importable from here on as `openrouter_seed_client`
from openrouter_seed_client import AsyncOpenRouter, OpenRouter
from openrouter_seed_client.models import (
    ChatCompletionFinishReason,
    ChatMessageContentItemImage,
    ChatMessageContentItemText,
    ChatResponse,
    CurrentKey,
    EndpointList,
    InputModality,
    Key,
    Model,
    ModelGroup,
    ModelsListResponse,
    OutputModality,
    Parameter,
    ProviderName,
    ReasoningDetailReasoningEncrypted,
    ReasoningDetailReasoningEncryptedFormat,
    ReasoningDetailReasoningText,
)

from benchmarks.make_models_body import make_models_body

LIVE = Path(__file__).resolve().parents[1] / "fixtures" / "live"
API_KEY = "test-key-looseness"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((LIVE / name).read_text(encoding="utf-8"))
    return data


def _assert_round_trip(decoded: Any, body: Mapping[str, Any]) -> None:
    # Exactly what was sent: nulls kept, absent keys absent, nothing added, same JSON classes.
    encoded = json.loads(json.dumps(decoded.to_json()))  # plain JSON values only
    assert same_json(encoded, body)


def _is_plain_str(value: Any, expected: str) -> bool:
    """True for exactly the string the server sent, not an enum member."""
    return type(value) is str and value == expected


# --------------------------------------------------------------------------- models list


def test_models_list_reads_back_with_nulls_absences_and_integers() -> None:
    body = _load("models_list.json")
    decoded = ModelsListResponse.from_json(body)
    router, kimi, mistral = decoded.data
    assert all(isinstance(m, Model) for m in decoded.data)
    assert [m.id for m in decoded.data] == [m["id"] for m in body["data"]]

    # Required in the docs, null or absent live: all read as None.
    assert router.hugging_face_id is None
    assert router.per_request_limits is None
    assert router.default_parameters is None
    assert router.top_provider.max_completion_tokens is None
    assert router.top_provider.context_length is None
    assert mistral.context_length is None
    assert mistral.hugging_face_id is None
    assert mistral.description is None
    assert mistral.per_request_limits is None
    assert mistral.default_parameters is None

    # Prices stay the decimal strings the server sent, "-1" included.
    assert router.pricing.prompt == "-1" and router.pricing.completion == "-1"
    assert kimi.pricing.prompt == "0.00000014"
    # Integers where doubles are declared are kept, not coerced.
    assert kimi.created == 1752263252 and type(kimi.created) is int
    assert kimi.context_length == 131072 and type(kimi.context_length) is int
    assert kimi.pricing.discount == 0 and type(kimi.pricing.discount) is int
    assert kimi.per_request_limits is not None and kimi.default_parameters is not None
    assert kimi.per_request_limits.prompt_tokens == 1000000
    assert kimi.default_parameters.temperature == 1


def test_models_list_keeps_unknown_enum_values_as_plain_strings() -> None:
    _, kimi, mistral = ModelsListResponse.from_json(_load("models_list.json")).data

    assert _is_plain_str(kimi.architecture.tokenizer, "Kimi")
    assert mistral.architecture.tokenizer is ModelGroup.MISTRAL
    assert _is_plain_str(kimi.architecture.instruct_type, "harmony")
    assert kimi.architecture.input_modalities[0] is InputModality.TEXT
    assert _is_plain_str(kimi.architecture.input_modalities[1], "pdf")
    assert kimi.architecture.output_modalities[0] is OutputModality.TEXT
    assert _is_plain_str(kimi.architecture.output_modalities[1], "audio")
    assert kimi.supported_parameters[:3] == [
        Parameter.MAX_TOKENS, Parameter.TEMPERATURE, Parameter.TOOLS
    ]
    assert all(isinstance(p, Parameter) for p in kimi.supported_parameters[:3])
    assert _is_plain_str(kimi.supported_parameters[3], "reasoning_effort")


def test_models_list_keeps_unknown_keys_at_every_level_and_re_emits_them() -> None:
    body = _load("models_list.json")
    decoded = ModelsListResponse.from_json(body)
    kimi = decoded.data[1]
    assert kimi.extra == {
        "expiration_date": None,
        "links": {"details": "/api/v1/models/moonshotai/kimi-k2/endpoints"},
    }
    assert kimi.architecture.extra == {"reasoning": {"native": True, "format": "think-tags"}}
    assert kimi.pricing.extra == {"audio_output": "0.00002"}
    assert kimi.top_provider.extra == {"is_free_tier": True}
    assert kimi.per_request_limits is not None and kimi.default_parameters is not None
    assert kimi.per_request_limits.extra == {"images": 4}
    assert kimi.default_parameters.extra == {"top_k": 40}
    assert decoded.data[0].extra == {}

    encoded = decoded.to_json()["data"][1]
    assert encoded["links"] == body["data"][1]["links"]
    assert "expiration_date" in encoded and encoded["expiration_date"] is None
    assert encoded["architecture"]["reasoning"] == {"native": True, "format": "think-tags"}
    assert encoded["pricing"]["audio_output"] == "0.00002"
    assert encoded["top_provider"]["is_free_tier"] is True
    assert encoded["per_request_limits"]["images"] == 4
    assert encoded["default_parameters"]["top_k"] == 40
    _assert_round_trip(decoded, body)


def test_one_odd_model_does_not_fail_the_list() -> None:
    body = _load("models_list.json")
    odd_items: list[Any] = [
        None,
        "not-a-model",
        {"id": "odd/one", "pricing": "free", "architecture": [], "top_provider": None},
    ]
    body["data"] = [*body["data"], *odd_items]
    decoded = ModelsListResponse.from_json(body)

    assert len(decoded.data) == 6
    assert all(isinstance(m, Model) for m in decoded.data[:3])
    assert decoded.data[1].architecture.tokenizer == "Kimi"  # the good ones decode as usual
    assert decoded.data[3] is None
    assert decoded.data[4] == "not-a-model"
    odd = decoded.data[5]
    assert isinstance(odd, Model) and odd.id == "odd/one"
    assert odd.pricing == "free" and odd.architecture == [] and odd.top_provider is None
    assert odd.supported_parameters is None
    _assert_round_trip(decoded, body)


def test_the_benchmark_body_decodes_completely() -> None:
    raw = make_models_body()
    body = json.loads(raw)
    decoded = ModelsListResponse.from_json(body)
    assert len(decoded.data) == len(body["data"]) == 350
    assert all(isinstance(m, Model) for m in decoded.data)
    assert any(m.extra for m in decoded.data)
    unknown_tokenizers = {
        m.architecture.tokenizer for m in decoded.data
        if not isinstance(m.architecture.tokenizer, ModelGroup)
    }
    assert unknown_tokenizers and all(type(t) is str for t in unknown_tokenizers)
    _assert_round_trip(decoded, body)


# --------------------------------------------------------------------------- keys


def test_current_key_with_nulls_absent_field_and_unknown_keys() -> None:
    body = _load("key_current.json")
    decoded = CurrentKey.from_json(body)
    key = decoded.data
    assert key.limit is None and key.limit_remaining is None and key.limit_reset is None
    assert key.include_byok_in_limit is None  # required in the docs, absent here
    assert key.usage_monthly == 0.0123 and key.usage == 0
    assert key.rate_limit.requests == -1 and key.rate_limit.interval == "10s"
    assert key.extra == {"expires_at": "2027-01-01T00:00:00Z", "creator_user_id": "user_2yZ"}
    assert decoded.to_json()["data"]["creator_user_id"] == "user_2yZ"
    _assert_round_trip(decoded, body)


def test_api_key_keeps_an_unknown_nested_object() -> None:
    body = _load("api_key.json")
    decoded = Key.from_json(body)
    assert decoded.data.updated_at is None
    assert decoded.data.limit == 50 and decoded.data.limit_remaining == 49.5
    assert decoded.data.extra == {"workspace": {"id": "ws_1", "name": "default"}}
    _assert_round_trip(decoded, body)


# --------------------------------------------------------------------------- endpoints


def test_endpoints_accept_integer_status_and_unknown_providers() -> None:
    body = _load("endpoints_list.json")
    decoded = EndpointList.from_json(body)
    first, second, third = decoded.data.endpoints

    # The docs list the strings '0', '-2', ...; live sends integers. Kept as sent.
    assert first.status == 0 and type(first.status) is int
    assert second.status == -2 and type(second.status) is int
    assert third.status == "0" and isinstance(third.status, Enum)  # a known value: a member

    assert first.provider_name is ProviderName.OPEN_AI
    assert _is_plain_str(third.provider_name, "Brand New Cloud")
    assert first.quantization == "unknown" and second.quantization == "fp8"
    assert decoded.data.architecture.tokenizer == "GPT"
    assert decoded.data.architecture.instruct_type is None
    assert second.max_completion_tokens is None and second.uptime_last_30m is None
    assert _is_plain_str(first.supported_parameters[-1], "reasoning_effort")
    assert first.extra == {"latency_last_30m": {"p50": 412, "p75": 530, "p90": 801, "p99": 1920}}

    encoded = decoded.to_json()["data"]["endpoints"]
    assert [e["status"] for e in encoded] == [0, -2, "0"]
    _assert_round_trip(decoded, body)


# --------------------------------------------------------------------------- chat


def test_chat_completion_with_unknown_keys_finish_reason_and_reasoning_detail() -> None:
    body = _load("chat_completion.json")
    decoded = ChatResponse.from_json(body)
    assert decoded.system_fingerprint is None
    assert decoded.extra == {"provider": "Anthropic"}
    first, second = decoded.choices

    assert first.finish_reason is ChatCompletionFinishReason.STOP
    assert _is_plain_str(second.finish_reason, "model_context_window_exceeded")
    assert first.extra == {"native_finish_reason": "end_turn"}
    assert first.message.content == body["choices"][0]["message"]["content"]
    assert first.message.refusal is None
    assert first.message.extra == {"annotations": body["choices"][0]["message"]["annotations"]}
    assert second.message.content is None

    assert first.message.reasoning_details is not None
    text, encrypted, unknown = first.message.reasoning_details
    assert isinstance(text, ReasoningDetailReasoningText)
    assert text.text == "The user asks a philosophical question."
    assert text.format is ReasoningDetailReasoningEncryptedFormat.ANTHROPIC_CLAUDE_V1
    assert isinstance(encrypted, ReasoningDetailReasoningEncrypted)
    assert encrypted.data == "gAAAAABo..."
    assert _is_plain_str(encrypted.format, "anthropic-claude-v2")
    # An unknown tag is no error: the item stays the mapping the server sent. (The generated
    # annotation lists only the known models, hence the ignore; reported to the generator.)
    assert unknown == {  # type: ignore[comparison-overlap]
        "type": "reasoning.redacted", "data": "opaque", "index": 2
    }

    usage = decoded.usage
    assert usage is not None and usage.completion_tokens_details is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (14, 42, 56)
    assert usage.extra == {
        "cost": 0.000672, "is_byok": False, "cost_details": {"upstream_inference_cost": None}
    }
    assert usage.completion_tokens_details.reasoning_tokens == 12
    assert usage.completion_tokens_details.extra == {"image_tokens": 0}

    encoded = decoded.to_json()
    assert encoded["provider"] == "Anthropic"
    assert encoded["choices"][1]["finish_reason"] == "model_context_window_exceeded"
    assert encoded["choices"][0]["message"]["reasoning_details"][2] == unknown
    _assert_round_trip(decoded, body)


def test_chat_content_item_with_an_unknown_tag_is_kept_raw() -> None:
    body = _load("chat_completion_unknown_content.json")
    decoded = ChatResponse.from_json(body)
    message = decoded.choices[0].message
    assert isinstance(message.content, list)
    text, file_item, image = message.content

    assert isinstance(text, ChatMessageContentItemText) and text.text.startswith("Here is")
    assert file_item == body["choices"][0]["message"]["content"][1]
    assert isinstance(image, ChatMessageContentItemImage)
    assert image.image_url.url == "https://example.com/cat.png"
    assert _is_plain_str(image.image_url.detail, "ultra")
    assert message.images is not None and message.images[0].extra == {"type": "image_url"}
    assert decoded.system_fingerprint is None
    _assert_round_trip(decoded, body)


# --------------------------------------------------------------------------- over HTTP


@dataclass(frozen=True)
class Served:
    """A fixture served for one call of the client."""

    fixture: str
    method: str
    path: str
    namespace: str
    call: str
    arguments: Mapping[str, Any]
    check: Callable[[Any], None]


def _models_check(result: Any) -> None:
    assert _is_plain_str(result.data[1].architecture.tokenizer, "Kimi")
    assert result.data[0].pricing.prompt == "-1"


def _key_check(result: Any) -> None:
    assert result.data.extra["creator_user_id"] == "user_2yZ"


def _api_key_check(result: Any) -> None:
    assert result.data.extra["workspace"]["id"] == "ws_1"


def _endpoints_check(result: Any) -> None:
    assert [e.status for e in result.data.endpoints] == [0, -2, "0"]


def _chat_check(result: Any) -> None:
    assert result.choices[1].finish_reason == "model_context_window_exceeded"
    assert result.choices[0].message.reasoning_details[2]["type"] == "reasoning.redacted"


def _chat_content_check(result: Any) -> None:
    assert result.choices[0].message.content[1]["type"] == "file"


SERVED = [
    Served("models_list.json", "GET", "/models", "models", "list", {}, _models_check),
    Served("key_current.json", "GET", "/key", "api_keys", "get_current", {}, _key_check),
    Served("api_key.json", "GET", "/keys/abc123", "api_keys", "get", {"hash": "abc123"},
           _api_key_check),
    Served("endpoints_list.json", "GET", "/models/openai/gpt-4o/endpoints", "endpoints", "list",
           {"author": "openai", "slug": "gpt-4o"}, _endpoints_check),
    Served("chat_completion.json", "POST", "/chat/completions", "chat", "send",
           {"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "?"}]},
           _chat_check),
    Served("chat_completion_unknown_content.json", "POST", "/chat/completions", "chat", "send",
           {"model": "google/gemini-2.5-flash-image",
            "messages": [{"role": "user", "content": "a file please"}]},
           _chat_content_check),
]


def _serve(loopback: Any, served: Served) -> dict[str, Any]:
    body = _load(served.fixture)
    # Live bodies can start with whitespace (DESIGN.md section 3); serve them that way.
    loopback.route(served.method, served.path, b"\n  " + json.dumps(body).encode())
    return body


@pytest.mark.parametrize("served", SERVED, ids=[s.fixture for s in SERVED])
def test_fixture_through_the_client(loopback: Any, served: Served) -> None:
    body = _serve(loopback, served)
    with OpenRouter(api_key=API_KEY, base_url=loopback.base_url, max_retries=0) as client:
        method = getattr(getattr(client, served.namespace), served.call)
        result = method(**served.arguments)
    assert [(r.method, r.path) for r in loopback.requests] == [(served.method, served.path)]
    served.check(result)
    _assert_round_trip(result, body)


@pytest.mark.anyio
@pytest.mark.parametrize("served", SERVED, ids=[s.fixture for s in SERVED])
async def test_fixture_through_the_async_client(loopback: Any, served: Served) -> None:
    body = _serve(loopback, served)
    async with AsyncOpenRouter(
        api_key=API_KEY, base_url=loopback.base_url, max_retries=0
    ) as client:
        method = getattr(getattr(client, served.namespace), served.call)
        result = await method(**served.arguments)
    assert [(r.method, r.path) for r in loopback.requests] == [(served.method, served.path)]
    served.check(result)
    _assert_round_trip(result, body)


def test_every_fixture_is_served_over_http() -> None:
    """Guards the parametrization: no fixture file is left out of the HTTP tests."""
    assert {s.fixture for s in SERVED} == {p.name for p in LIVE.glob("*.json")}

