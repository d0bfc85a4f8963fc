"""Every operation of spec/openapi.yaml through the generated client, against Prism.

Prism validates each request against the spec (any violation fails the test) and answers with
a static response (from the spec's examples and schemas) or, with `Prefer: dynamic=true`, a
random one that also carries random extra properties. Every answer must decode into the
generated models, and re-encoding must give back what Prism sent (unknown keys included).
Coverage is measured from the traffic: the operations Prism served must be exactly the spec's
(but those that only stream, which the streaming tests cover over loopback).

The calls are derived from the spec (tests/support/derived_calls.py), so whatever pages
spec/docs/ holds, every operation is called; the seed operations are also called with their
optional arguments (`SEED_CALLS`), where the client still has them.

Prism's dynamic mock crashes at random on some valid schemas (json-schema-faker's `shouldClean`,
see `tests/support/prism.py`), answering its own 500. In dynamic mode that answer alone is
retried, each time with a new random body; an operation Prism never manages to mock is reported
by a `PrismMockCrash` warning naming it and left out of that run's coverage, while every other
operation is checked. The static runs (no faker) must call every operation.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from openrouter_client import (
    AsyncOpenRouter,
    BadRequestError,
    InternalServerError,
    OpenRouter,
    models,
)

from tests.spec.helpers import live_pages, seed_pages
from tests.support.derived_calls import derived_calls, streams_only
from tests.support.golden import SpecOperation, find_operation, spec_operations
from tests.support.prism import PrismServer, ViolationRecorder, is_faker_crash

pytestmark = pytest.mark.prism

API_KEY = "test-key-prism"
DYNAMIC = {"Prefer": "dynamic=true"}
# Dynamic attempts at one call while Prism's faker keeps crashing on the random body it drew.
FAKER_ATTEMPTS = 5


class PrismMockCrash(UserWarning):
    """An operation Prism could not mock in dynamic mode: json-schema-faker crashed on every
    attempt, so no dynamic answer of it was checked (the static run covers it)."""


@dataclass(frozen=True)
class SeedCall:
    """One call of the client: ``client.<namespace>.<method>(**arguments)``."""

    namespace: str
    method: str
    arguments: Mapping[str, Any]

    def __str__(self) -> str:
        return f"client.{self.namespace}.{self.method}"


# The seed operations with optional arguments too, so their encoding is checked. Which operation
# each call reaches is not assumed here: the test reads it from the traffic.
SEED_CALLS: list[SeedCall] = [
    SeedCall("models", "list", {"category": "programming", "supported_parameters": "tools"}),
    SeedCall("models", "list_embeddings", {}),
    SeedCall("models", "list_for_user", {}),
    SeedCall("endpoints", "list", {"author": "openai", "slug": "gpt-4o"}),
    SeedCall("endpoints", "list_zdr", {}),
    SeedCall("parameters", "get", {"author": "openai", "slug": "gpt-4o", "provider": "OpenAI"}),
    SeedCall("providers", "list", {}),
    SeedCall("api_keys", "list", {"include_disabled": "true", "offset": "0"}),
    SeedCall(
        "api_keys",
        "create",
        {"name": "ci", "limit": 10, "limit_reset": "monthly", "include_byok_in_limit": True},
    ),
    SeedCall("api_keys", "get", {"hash": "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462"}),
    SeedCall("api_keys", "delete", {"hash": "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462"}),
    SeedCall(
        "api_keys",
        "update",
        {"hash": "f01d5260", "name": "renamed", "disabled": False, "limit": None},
    ),
    SeedCall("api_keys", "get_current", {}),
    SeedCall(
        "oauth",
        "exchange_code",
        {"code": "auth_code_abc", "code_verifier": "verifier-123", "code_challenge_method": "S256"},
    ),
    SeedCall(
        "oauth",
        "create_code",
        {
            "callback_url": "https://myapp.example/auth/callback",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
            "limit": 100,
        },
    ),
    SeedCall(
        "chat",
        "send",
        {
            "model": "openai/gpt-4o",
            # A model instance and plain mappings side by side: both are accepted.
            "messages": [
                ("SystemMessage", {"content": "Be brief."}),
                ("UserMessage", {"content": [("ChatMessageContentItemText", {"text": "Hello"})]}),
                {"role": "assistant", "content": "Hi."},
                {"role": "user", "content": "What is 2 + 2?"},
            ],
            "provider": {"order": ["OpenAI", "Azure"], "allow_fallbacks": False},
            "temperature": 0.2,
            "max_tokens": 64,
            "stream": False,
        },
    ),
    SeedCall(
        "completions",
        "create",
        {"model": "openai/gpt-3.5-turbo-instruct", "prompt": "Say hi", "max_tokens": 5},
    ),
]


def _built(value: Any) -> Any:
    """`("ModelName", {...})` as that model's instance (nested too); anything else as it is."""
    if isinstance(value, tuple):
        name, fields = value
        return getattr(models, name)(**{k: _built(v) for k, v in fields.items()})
    if isinstance(value, list):
        return [_built(v) for v in value]
    return value


def _seed_calls(client: Any) -> list[SeedCall]:
    """The seed calls the client still fits: the method exists, takes every argument, and the
    models the arguments name exist (a newer page may have changed any of them)."""
    fitting = []
    for call in SEED_CALLS:
        method = getattr(getattr(client, call.namespace, None), call.method, None)
        if method is None or not set(call.arguments) <= set(inspect.signature(method).parameters):
            continue
        try:
            arguments = {k: _built(v) for k, v in call.arguments.items()}
        except (AttributeError, TypeError):
            continue
        fitting.append(SeedCall(call.namespace, call.method, arguments))
    return fitting


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

    call: object
    response: httpx.Response
    result: Any


@dataclass
class Run:
    """The exchanges of one pass over the calls, and the operations Prism could not mock."""

    exchanges: list[Exchange]
    unmocked: set[SpecOperation]


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


def _calls(spec: Mapping[str, Any], client: Any) -> list[Any]:
    """A call derived from the spec for every operation, then the seed calls that still fit."""
    return [*derived_calls(spec, client), *_seed_calls(client)]


def _expected(spec: Mapping[str, Any]) -> set[SpecOperation]:
    """The operations the calls must reach: all but those that only stream."""
    return {op for op in spec_operations(spec)
            if not streams_only(spec["paths"][op.path][op.method.lower()])}


def _check(spec: Mapping[str, Any], run: Run, traffic: Traffic) -> None:
    # What the client sent must satisfy the spec. Prism's answers are its own mocks, built from
    # the document's examples and schemas; where those disagree (the published document has
    # such examples) Prism reports its own answer, which is not the client's doing.
    sent_wrong = [str(v) for v in traffic.recorder.violations if v.about_request]
    assert traffic.recorder.exchanges > 0 and not sent_wrong, "\n".join(sent_wrong)
    for exchange in run.exchanges:
        response, result = exchange.response, exchange.result
        where = f"{exchange.call} -> {response.request.method} {response.request.url.path}"
        assert response.is_success, f"{where}: HTTP {response.status_code} {response.text[:300]}"
        is_json = "json" in response.headers.get("content-type", "")
        if not (is_json and response.content and isinstance(response.json(), dict)):
            continue  # a list, a scalar, another media type or no body: no model to check
        if type(result) is dict:
            # No declared shape fitted (a union's branches, say): kept exactly as sent.
            assert result == response.json(), f"{where}: an undecoded body changed"
            continue
        assert type(result).__module__.startswith("openrouter_client.models."), (
            f"{where}: decoded into {type(result)!r}, not a generated model"
        )
        assert _without_nulls(result.to_json()) == _without_nulls(response.json()), (
            f"{where}: re-encoding the decoded body does not give back what Prism sent"
        )
    called = {_operation(spec, e.response) for e in run.exchanges}
    expected = _expected(spec)
    # Only an operation Prism crashed on at every attempt may go uncalled (a warning names it).
    assert called <= expected and expected - called <= run.unmocked, (
        f"not called: {sorted(map(str, expected - called - run.unmocked))}; "
        f"not in the spec: {sorted(map(str, called - expected))}"
    )


def _mock_crashed(traffic: Traffic, before: int, headers: Mapping[str, str] | None) -> bool:
    """The call's one exchange was Prism's faker crash, in dynamic mode (where alone it occurs)."""
    return (headers == DYNAMIC and len(traffic.responses) == before + 1
            and is_faker_crash(traffic.responses[-1]))


def _gave_up(spec: Mapping[str, Any], run: Run, call: object, traffic: Traffic) -> None:
    operation = _operation(spec, traffic.responses[-1])
    run.unmocked.add(operation)
    warnings.warn(PrismMockCrash(
        f"{operation} ({call}): Prism's dynamic mock crashed in json-schema-faker's shouldClean "
        f"on all {FAKER_ATTEMPTS} attempts; its dynamic answers are not checked in this run "
        "(the static run checks the operation)"), stacklevel=2)


def _run_sync(
    spec: Mapping[str, Any], client: OpenRouter, traffic: Traffic,
    headers: Mapping[str, str] | None,
) -> Run:
    run = Run([], set())
    for call in _calls(spec, client):
        method: Callable[..., Any] = getattr(getattr(client, call.namespace), call.method)
        for _ in range(FAKER_ATTEMPTS):
            before = len(traffic.responses)
            try:
                result = method(**call.arguments, extra_headers=headers)
            except InternalServerError:
                if _mock_crashed(traffic, before, headers):
                    continue  # Prism failed to make a body: draw another
                raise
            assert len(traffic.responses) == before + 1, f"{call}: expected exactly one exchange"
            run.exchanges.append(Exchange(call, traffic.responses[-1], result))
            break
        else:
            _gave_up(spec, run, call, traffic)
    return run


def test_every_operation_static(
    spec: Mapping[str, Any], sync_client: tuple[OpenRouter, Traffic]
) -> None:
    client, traffic = sync_client
    _check(spec, _run_sync(spec, client, traffic, None), traffic)


def test_every_operation_dynamic(
    spec: Mapping[str, Any], sync_client: tuple[OpenRouter, Traffic]
) -> None:
    client, traffic = sync_client
    kept_extra = 0
    for _ in range(3):  # random bodies: a few rounds see more shapes
        run = _run_sync(spec, client, traffic, DYNAMIC)
        _check(spec, run, traffic)
        kept_extra += sum(1 for e in run.exchanges if getattr(e.result, "extra", None))
    # Prism adds random properties to most objects; they must land in `extra`.
    assert kept_extra > 0, "no decoded response kept an unknown key in `extra`"


def test_the_seed_calls_are_made_while_the_seed_pages_are_there(
    spec: Mapping[str, Any], sync_client: tuple[OpenRouter, Traffic]
) -> None:
    """Guards `_seed_calls`: while spec/docs/ holds the seed pages alone, none of their calls
    is dropped as no longer fitting (else the optional arguments would go unchecked unseen)."""
    client, _ = sync_client
    if [p.text for p in live_pages()] != [p.text for p in seed_pages()]:
        pytest.skip("spec/docs/ holds other pages than the seed pages, which may change the "
                    "seed operations")
    assert len(_seed_calls(client)) == len(SEED_CALLS)


async def _run_async(
    spec: Mapping[str, Any], client: AsyncOpenRouter, traffic: Traffic,
    headers: Mapping[str, str] | None,
) -> Run:
    run = Run([], set())
    for call in _calls(spec, client):
        method: Callable[..., Any] = getattr(getattr(client, call.namespace), call.method)
        for _ in range(FAKER_ATTEMPTS):
            before = len(traffic.responses)
            try:
                result = await method(**call.arguments, extra_headers=headers)
            except InternalServerError:
                if _mock_crashed(traffic, before, headers):
                    continue  # Prism failed to make a body: draw another
                raise
            assert len(traffic.responses) == before + 1, f"{call}: expected exactly one exchange"
            run.exchanges.append(Exchange(call, traffic.responses[-1], result))
            break
        else:
            _gave_up(spec, run, call, traffic)
    return run


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
        run = await _run_async(spec, client, traffic, headers)
    await http_client.aclose()
    _check(spec, run, traffic)


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


def test_only_an_operation_prism_could_not_mock_may_go_uncalled() -> None:
    """The coverage check is live: an operation no call reached fails it, unless every dynamic
    attempt at it met Prism's faker crash (then a `PrismMockCrash` warning has named it)."""
    ok = {"200": {"description": "ok"}}
    spec = {"paths": {"/a": {"get": {"responses": ok}}, "/b": {"get": {"responses": ok}}}}
    traffic = _traffic()
    traffic.recorder.exchanges = 1
    with pytest.raises(AssertionError, match=r"not called: \['GET /a', 'GET /b'\]"):
        _check(spec, Run([], set()), traffic)
    with pytest.raises(AssertionError, match=r"not called: \['GET /b'\]"):
        _check(spec, Run([], {SpecOperation("GET", "/a")}), traffic)
    _check(spec, Run([], {SpecOperation("GET", "/a"), SpecOperation("GET", "/b")}), traffic)
