"""Event streams as a document declares them, over loopback HTTP (sync and async):

- JSON and `text/event-stream` both declared for 200, and a boolean `stream` in the body: the
  field switches (no `x-stream-flag` needed);
- only `text/event-stream` declared: the call always streams (and has no `_raw` twin);
- the event schema as a `{data: <event>}` wrapper (speakeasy's `x-speakeasy-sse-sentinel`
  documents) or as OpenAPI 3.2's `itemSchema`: chunks are the `data` type;
- a tagged union of events: an `event:` line picks the class where the data carries no tag.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
from typing import Any

import pytest

from tests.generality.support import assert_mypy_strict, generated_package
from tests.support.fault_server import FaultServer, sse_event, sse_reply

EVENT = {"$ref": "#/components/schemas/Tick"}


def _sse_response(schema_key: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "events", "content": {"text/event-stream": {
        schema_key: schema, "x-speakeasy-sse-sentinel": "[DONE]"}}}}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Ticks", "version": "1", "x-client": {"package": "ticks_client",
                                                             "class-name": "Ticks"}},
    "paths": {
        "/switch": {"post": {
            "operationId": "switchTicks", "tags": ["ticks"],
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"n": {"type": "integer"},
                                                 "stream": {"type": "boolean"}}}}}},
            "responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Total"}},
                "text/event-stream": {"schema": {"$ref": "#/components/schemas/TickEnvelope"},
                                      "x-speakeasy-sse-sentinel": "[DONE]"}}}}}},
        "/always": {"get": {"operationId": "alwaysTicks", "tags": ["ticks"],
                            "responses": _sse_response("schema", {
                                "type": "object", "required": ["data"],
                                "properties": {"data": EVENT, "event": {"type": "string"}}})}},
        "/items": {"get": {"operationId": "itemTicks", "tags": ["ticks"],
                           "responses": _sse_response("itemSchema", EVENT)}},
        "/tagged": {"get": {"operationId": "taggedTicks", "tags": ["ticks"],
                            "responses": _sse_response("schema", {
                                "$ref": "#/components/schemas/Event"})}},
    },
    "components": {"schemas": {
        "Tick": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}},
        "Total": {"type": "object", "properties": {"sum": {"type": "integer"}}},
        "TickEnvelope": {"type": "object", "required": ["data"], "properties": {"data": EVENT}},
        "Start": {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string", "const": "start"}, "id": {"type": "string"}}},
        "Stop": {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string", "const": "stop"}, "reason": {"type": "string"}}},
        "Event": {"oneOf": [{"$ref": "#/components/schemas/Start"},
                            {"$ref": "#/components/schemas/Stop"}],
                  "discriminator": {"propertyName": "type", "mapping": {
                      "start": "#/components/schemas/Start",
                      "stop": "#/components/schemas/Stop"}}},
    }},
}

TICKS = [sse_event({"n": 1}), ": keep-alive\n\n", sse_event({"n": 2}), sse_event("[DONE]")]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return generated_package(DOCUMENT, tmp_path_factory.mktemp("ticks"))


def test_the_package_passes_mypy_strict(package: Any) -> None:
    assert_mypy_strict(package.root, package)


def test_a_boolean_stream_field_switches_between_json_and_events(package: Any) -> None:
    with FaultServer() as server:
        server.script(sse_reply(TICKS), sse_reply(TICKS))
        with package.Ticks(api_key="k", base_url=server.url, max_retries=0) as client:
            with client.ticks.switch(n=2, stream=True) as stream:
                ticks = [tick.n for tick in stream]

            async def main() -> list[int]:
                aclient = package.AsyncTicks(api_key="k", base_url=server.url)
                async with aclient, await aclient.ticks.switch(stream=True) as events:
                    return [tick.n async for tick in events]

            async_ticks = asyncio.run(main())
        assert json.loads(server.requests[0].body) == {"n": 2, "stream": True}
    assert ticks == async_ticks == [1, 2]
    assert type(package.models.Tick) is type  # chunks are the wrapper's `data` type
    assert "stream" in inspect.signature(client.ticks.switch).parameters


@pytest.mark.parametrize("method", ["always", "item"])
def test_an_operation_that_only_streams_always_streams(package: Any, method: str) -> None:
    with FaultServer() as server:
        server.script(sse_reply(TICKS))
        client = package.Ticks(api_key="k", base_url=server.url, max_retries=0)
        with client, getattr(client.ticks, method)() as stream:
            ticks = list(stream)
        assert server.requests[0].headers.get("accept") != "application/json"
    assert [type(t).__name__ for t in ticks] == ["Tick", "Tick"]
    assert [t.n for t in ticks] == [1, 2]
    assert not hasattr(client.ticks.with_raw_response, method)
    functions = importlib.import_module("ticks_client.api.ticks")
    assert hasattr(functions, f"{method}_ticks") and hasattr(functions, f"{method}_ticks_async")
    assert not hasattr(functions, f"{method}_ticks_raw")


def test_event_lines_pick_the_class_where_the_data_has_no_tag(package: Any) -> None:
    pieces = ['event: start\ndata: {"id": "a"}\n\n',
              'event: stop\ndata: {"type": "stop", "reason": "done"}\n\n',
              'event: stop\ndata: {"type": "start", "id": "b"}\n\n',  # the data's tag wins
              'event: other\ndata: {"id": "c"}\n\n',
              sse_event("[DONE]")]
    with FaultServer() as server:
        server.script(sse_reply(pieces))
        client = package.Ticks(api_key="k", base_url=server.url, max_retries=0)
        with client, client.ticks.tagged() as stream:
            events = list(stream)
    assert [type(e).__name__ for e in events] == ["Start", "Stop", "Start", "dict"]
    assert events[0].id == "a" and events[1].reason == "done" and events[2].id == "b"
    assert events[3] == {"id": "c"}
