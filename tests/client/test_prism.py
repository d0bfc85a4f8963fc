"""Every operation of spec/openapi.yaml through the generated client, against Prism.

Prism validates each request against the spec (any violation fails the test) and answers with
a static response (from the spec's examples and schemas) or, with `Prefer: dynamic=true`, a
random one that also carries random extra properties. Every answer must decode into the
generated models, and re-encoding must give back what Prism sent (unknown keys included).
Coverage is measured from the traffic: the operations Prism served must be exactly the spec's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from openrouter_client import AsyncOpenRouter, BadRequestError, OpenRouter
from openrouter_client.models import ChatMessageContentItemText, SystemMessage, UserMessage

from tests.support.golden import SpecOperation, find_operation, spec_operations
from tests.support.prism import PrismServer, ViolationRecorder

pytestmark = pytest.mark.prism

API_KEY = "test-key-prism"
DYNAMIC = {"Prefer": "dynamic=true"}


@dataclass(frozen=True)
class Call:
    """One call of the client: ``client.<namespace>.<method>(**arguments)``."""

    namespace: str
    method: str
    arguments: Mapping[str, Any]

    def __str__(self) -> str:
        return f"client.{self.namespace}.{self.method}"


# Valid inputs for every operation, with optional arguments too so their encoding is checked.
# Which operation each call reaches is not assumed here: the test reads it from the traffic.
CALLS: list[Call] = [
    Call("models", "list", {"category": "programming", "supported_parameters": "tools"}),
    Call("models", "list_embeddings", {}),
    Call("models", "list_for_user", {}),
    Call("endpoints", "list", {"author": "openai", "slug": "gpt-4o"}),
    Call("endpoints", "list_zdr", {}),
    Call("parameters", "get", {"author": "openai", "slug": "gpt-4o", "provider": "OpenAI"}),
    Call("providers", "list", {}),
    Call("api_keys", "list", {"include_disabled": "true", "offset": "0"}),
    Call(
        "api_keys",
        "create",
        {"name": "ci", "limit": 10, "limit_reset": "monthly", "include_byok_in_limit": True},
    ),
    Call("api_keys", "get", {"hash": "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462"}),
    Call("api_keys", "delete", {"hash": "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462"}),
    Call(
        "api_keys",
        "update",
        {"hash": "f01d5260", "name": "renamed", "disabled": False, "limit": None},
    ),
    Call("api_keys", "get_current", {}),
    Call(
        "oauth",
        "exchange_code",
        {"code": "auth_code_abc", "code_verifier": "verifier-123", "code_challenge_method": "S256"},
    ),
    Call(
        "oauth",
        "create_code",
        {
            "callback_url": "https://myapp.example/auth/callback",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
            "limit": 100,
        },
    ),
    Call(
        "chat",
        "send",
        {
            "model": "openai/gpt-4o",
            # A model instance and plain mappings side by side: both are accepted.
            "messages": [
                SystemMessage(content="Be brief."),
                UserMessage(content=[ChatMessageContentItemText(text="Hello")]),
                {"role": "assistant", "content": "Hi."},
                {"role": "user", "content": "What is 2 + 2?"},
            ],
            "provider": {"order": ["OpenAI", "Azure"], "allow_fallbacks": False},
            "temperature": 0.2,
            "max_tokens": 64,
            "stream": False,
        },
    ),
    Call(
        "completions",
        "create",
        {"model": "openai/gpt-3.5-turbo-instruct", "prompt": "Say hi", "max_tokens": 5},
    ),
]


def _without_nulls(value: Any) -> Any:
    """JSON with every null-valued object key dropped (the models write an optional field that
    is None as absent, and a required one as null; both read back as None)."""
    if isinstance(value, Mapping):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


@dataclass
class Exchange:
    """What one call sent and got back, as seen on the wire."""

    call: Call
    response: httpx.Response
    result: Any


@dataclass
class Traffic:
    """Every response of a client, recorded with its body, plus Prism's violations."""

    recorder: ViolationRecorder
    responses: list[httpx.Response]

    def sync_hook(self, response: httpx.Response) -> None:
        response.read()
        self.responses.append(response)

    async def async_hook(self, response: httpx.Response) -> None:
        await response.aread()
        self.responses.append(response)


def _traffic() -> Traffic:
    return Traffic(ViolationRecorder(), [])


@pytest.fixture
def sync_client(prism_server: PrismServer) -> Iterator[tuple[OpenRouter, Traffic]]:
    traffic = _traffic()
    http_client = httpx.Client(
        event_hooks={"response": [traffic.recorder.sync_hook, traffic.sync_hook]}
    )
    with OpenRouter(
        api_key=API_KEY, base_url=prism_server.base_url, http_client=http_client, max_retries=0
    ) as client:
        yield client, traffic
    http_client.close()


def _operation(spec: Mapping[str, Any], response: httpx.Response) -> SpecOperation:
    operation, _ = find_operation(spec, response.request.method, response.request.url.path)
    return operation


def _check(spec: Mapping[str, Any], exchanges: list[Exchange], traffic: Traffic) -> None:
    traffic.recorder.assert_clean()
    for exchange in exchanges:
        response, result = exchange.response, exchange.result
        where = f"{exchange.call} -> {response.request.method} {response.request.url.path}"
        assert response.is_success, f"{where}: HTTP {response.status_code} {response.text[:300]}"
        assert type(result).__module__.startswith("openrouter_client.models."), (
            f"{where}: decoded into {type(result)!r}, not a generated model"
        )
        assert _without_nulls(result.to_json()) == _without_nulls(response.json()), (
            f"{where}: re-encoding the decoded body does not give back what Prism sent"
        )
    called = {_operation(spec, e.response) for e in exchanges}
    expected = set(spec_operations(spec))
    assert called == expected, (
        f"not called: {sorted(map(str, expected - called))}; "
        f"not in the spec: {sorted(map(str, called - expected))}"
    )


def _run_sync(
    client: OpenRouter, traffic: Traffic, headers: Mapping[str, str] | None
) -> list[Exchange]:
    exchanges = []
    for call in CALLS:
        method: Callable[..., Any] = getattr(getattr(client, call.namespace), call.method)
        before = len(traffic.responses)
        result = method(**call.arguments, extra_headers=headers)
        assert len(traffic.responses) == before + 1, f"{call}: expected exactly one exchange"
        exchanges.append(Exchange(call, traffic.responses[-1], result))
    return exchanges


def test_every_operation_static(
    spec: Mapping[str, Any], sync_client: tuple[OpenRouter, Traffic]
) -> None:
    client, traffic = sync_client
    _check(spec, _run_sync(client, traffic, None), traffic)


def test_every_operation_dynamic(
    spec: Mapping[str, Any], sync_client: tuple[OpenRouter, Traffic]
) -> None:
    client, traffic = sync_client
    kept_extra = 0
    for _ in range(3):  # random bodies: a few rounds see more shapes
        exchanges = _run_sync(client, traffic, DYNAMIC)
        _check(spec, exchanges, traffic)
        kept_extra += sum(1 for e in exchanges if e.result.extra)
    # Prism adds random properties to most objects; they must land in `extra`.
    assert kept_extra > 0, "no decoded response kept an unknown key in `extra`"


async def _run_async(
    client: AsyncOpenRouter, traffic: Traffic, headers: Mapping[str, str] | None
) -> list[Exchange]:
    exchanges = []
    for call in CALLS:
        method: Callable[..., Any] = getattr(getattr(client, call.namespace), call.method)
        before = len(traffic.responses)
        result = await method(**call.arguments, extra_headers=headers)
        assert len(traffic.responses) == before + 1, f"{call}: expected exactly one exchange"
        exchanges.append(Exchange(call, traffic.responses[-1], result))
    return exchanges


@pytest.mark.anyio
@pytest.mark.parametrize("headers", [None, DYNAMIC], ids=["static", "dynamic"])
async def test_every_operation_async(
    spec: Mapping[str, Any], prism_server: PrismServer, headers: Mapping[str, str] | None
) -> None:
    traffic = _traffic()
    http_client = httpx.AsyncClient(
        event_hooks={"response": [traffic.recorder.async_hook, traffic.async_hook]}
    )
    async with AsyncOpenRouter(
        api_key=API_KEY, base_url=prism_server.base_url, http_client=http_client, max_retries=0
    ) as client:
        exchanges = await _run_async(client, traffic, headers)
    await http_client.aclose()
    _check(spec, exchanges, traffic)


def test_a_request_prism_rejects_fails_this_check(
    sync_client: tuple[OpenRouter, Traffic],
) -> None:
    """The violation check is live: a body the spec forbids (a string limit) is caught."""
    client, traffic = sync_client
    with pytest.raises(BadRequestError):
        client.api_keys.create(name="ci", extra_body={"limit": "lots"})
    assert [v.location for v in traffic.recorder.violations] == ["request.body.limit"]
    with pytest.raises(AssertionError, match="limit"):
        traffic.recorder.assert_clean()
