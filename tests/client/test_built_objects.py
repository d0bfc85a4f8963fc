"""Objects built in code send only what was set: a field left out of the constructor is not sent,
one given None is sent as null, one set after construction is sent; checked on the request the
server receives over loopback HTTP (package of the frozen seed pages, tests/support/seed_package.py).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.support.fault_server import FaultServer, json_reply
from tests.support.seed_package import seed_package

seed_package()  # importable from here on as `openrouter_seed_client`
from openrouter_seed_client import OpenRouter
from openrouter_seed_client.models import (
    ChatGenerationParamsProvider,
    ChatResponse,
    ToolDefinitionJson,
    ToolDefinitionJsonFunction,
    UserMessage,
)

REPLY = {"id": "gen-1", "object": "chat.completion", "created": 1, "model": "m",
         "choices": [{"index": 0, "finish_reason": "stop",
                      "message": {"role": "assistant", "content": "ok"}}]}


def _sent(**arguments: Any) -> Any:
    with FaultServer() as server, OpenRouter(api_key="k", base_url=server.url,
                                             max_retries=0) as client:
        server.script(json_reply(REPLY))
        client.chat.send(model="m", **arguments)
        return server.requests[0].json()


def test_left_out_fields_are_not_sent_and_none_is_sent_as_null() -> None:
    function = ToolDefinitionJsonFunction(name="f", strict=None)
    provider = ChatGenerationParamsProvider(allow_fallbacks=None, zdr=True)
    body = _sent(messages=[UserMessage(content="hi")], tools=[ToolDefinitionJson(function=function)],
                 provider=provider)
    assert body["messages"] == [{"role": "user", "content": "hi"}]
    assert body["tools"] == [{"type": "function", "function": {"name": "f", "strict": None}}]
    assert body["provider"] == {"allow_fallbacks": None, "zdr": True}


def test_left_out_fields_read_none_and_a_field_set_later_is_sent() -> None:
    function = ToolDefinitionJsonFunction(name="f")
    assert function.description is None and function.parameters is None
    assert "UNSET" not in repr(function)
    function.description = "what f does"
    assert function.to_json() == {"name": "f", "description": "what f does"}
    assert _sent(messages=[UserMessage(content="hi")],
                 tools=[ToolDefinitionJson(function=function)])["tools"][0]["function"] == {
        "name": "f", "description": "what f does"}


def test_a_decoded_object_is_sent_back_as_it_came() -> None:
    received = {"index": 0, "finish_reason": None, "message": {"role": "assistant",
                                                               "content": "ok", "refusal": None}}
    response = ChatResponse.from_json({**REPLY, "choices": [received]})
    assert response.to_json()["choices"] == [received]
    assert "system_fingerprint" not in response.to_json() and "usage" not in response.to_json()
    # Equality ignores how a value came to be None (sent as null, or not sent).
    built = dataclasses.replace(response)
    assert built == response
