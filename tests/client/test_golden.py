"""Golden requests: the docs' Python examples, replayed through the generated client.

Each example under "## SDK Code Examples" (tests/support/golden.py) gives a method, a URL and a
JSON body. The generated client, called with the same inputs (path parameters, query, body fields
as keyword arguments), must send the same method, URL and JSON body, and the example's headers.
"""

from __future__ import annotations

import json
import keyword
import warnings
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from openrouter_client import AsyncOpenRouter, OpenRouter

from tests.support.golden import (
    ClientMethod,
    GoldenError,
    GoldenVector,
    client_methods,
    load_spec,
    usable_golden_vectors,
)

API_KEY = "test-key-golden"
SPEC = load_spec()
BASE_URL = SPEC["servers"][0]["url"]
# Examples of spec/docs/ that cannot be read as a golden request are reported (skipped, with
# where and why) by test_unreadable_examples_are_reported; the others are replayed.
VECTORS, UNREADABLE = usable_golden_vectors(spec=SPEC)


def _python_name(json_name: str) -> str:
    """How the generated code names an argument for a JSON name (keywords get a trailing `_`)."""
    return f"{json_name}_" if keyword.iskeyword(json_name) else json_name


def _arguments(vector: GoldenVector) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    sources: list[Mapping[str, Any]] = [vector.path_params, vector.query]
    if vector.example.has_json:
        body = vector.example.json_body
        assert isinstance(body, Mapping), f"{vector.id}: the JSON body is not an object"
        sources.append(body)
    for source in sources:
        for name, value in source.items():
            python_name = _python_name(name)
            assert python_name not in arguments, f"{vector.id}: `{name}` given twice"
            arguments[python_name] = value
    return arguments


def _methods() -> dict[Any, ClientMethod]:
    with OpenRouter(api_key=API_KEY, base_url=BASE_URL) as client:
        return client_methods(client)


METHODS = _methods()


def _check_request(vector: GoldenVector, sent: list[httpx.Request]) -> None:
    assert len(sent) == 1, f"expected one request, the client sent {len(sent)}"
    request = sent[0]
    example = vector.example
    expected_url = urlsplit(example.url)
    assert request.method == example.method
    assert request.url.scheme == expected_url.scheme
    assert request.url.host == expected_url.hostname
    assert request.url.path == expected_url.path
    assert dict(parse_qsl(request.url.query.decode())) == {
        k: str(v) for k, v in vector.query.items()
    }
    if example.has_json:
        assert request.headers.get("content-type", "").startswith("application/json")
        assert json.loads(request.content) == example.json_body
    else:
        assert request.content == b"", "the example sends no body"
    for name, value in example.headers.items():
        expected = str(value).replace("<token>", API_KEY)
        assert request.headers.get(name) == expected, f"header {name}"


def _recording_transport(sent: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(200, json={})

    return httpx.MockTransport(handle)


@pytest.mark.parametrize("vector", VECTORS, ids=[v.id for v in VECTORS])
def test_client_sends_the_golden_request(vector: GoldenVector) -> None:
    method = METHODS.get(vector.operation)
    assert method is not None, f"the client exposes no method for {vector.operation}"
    sent: list[httpx.Request] = []
    http_client = httpx.Client(transport=_recording_transport(sent))
    with OpenRouter(
        api_key=API_KEY, base_url=BASE_URL, http_client=http_client, max_retries=0
    ) as client:
        method.of(client)(**_arguments(vector))
    _check_request(vector, sent)


@pytest.mark.anyio
@pytest.mark.parametrize("vector", VECTORS, ids=[v.id for v in VECTORS])
async def test_async_client_sends_the_golden_request(vector: GoldenVector) -> None:
    method = METHODS[vector.operation]
    sent: list[httpx.Request] = []
    http_client = httpx.AsyncClient(transport=_recording_transport(sent))
    async with AsyncOpenRouter(
        api_key=API_KEY, base_url=BASE_URL, http_client=http_client, max_retries=0
    ) as client:
        await method.of(client)(**_arguments(vector))
    _check_request(vector, sent)


def test_every_example_is_replayed_or_reported() -> None:
    """An example of spec/docs/ that is not a golden request (no `requests.<method>(` call, a URL
    no operation matches) is reported as a warning, with its page and line, and left out."""
    for problem in UNREADABLE:
        warnings.warn(f"golden example left out: {problem}", UserWarning, stacklevel=1)
    assert VECTORS, "no golden example in spec/docs/ could be replayed"
    assert all(isinstance(p, GoldenError) for p in UNREADABLE)


def test_there_are_golden_vectors_for_both_request_kinds() -> None:
    """Guards the parametrization: bodies and body-less calls are both exercised."""
    assert any(v.example.has_json for v in VECTORS)
    assert any(not v.example.has_json for v in VECTORS)
    assert any(v.path_params for v in VECTORS)
