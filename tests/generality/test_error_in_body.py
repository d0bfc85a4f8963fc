"""An `error` in a success body, over loopback HTTP, decided per operation by the generator.

OpenRouter sends its error object (`{"error": {"code", "message"}}`) with HTTP 200 on chat, and
the client raises it. But where the operation's success schema itself declares an `error`
property (a Responses object: `status: failed` and its `error`, declared through `allOf` and
nullable; a job whose `error` is text; a union one of whose forms declares it), a body carrying
`error` is that answer: it is decoded and returned, as the `openai` SDK returns a failed
Response. A non-2xx status still raises there, and so does a JSON error object sent where an
event stream was asked for, or an error event inside a stream.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.generality.support import generated_package
from tests.support.fault_server import FaultServer, error_body, json_reply, sse_event, sse_reply


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _post(op_id: str, answer: dict[str, Any], *, stream: bool = False) -> dict[str, Any]:
    properties: dict[str, Any] = {"input": {"type": "string"}}
    content: dict[str, Any] = {"application/json": {"schema": answer}}
    if stream:
        properties["stream"] = {"type": "boolean"}
        content["text/event-stream"] = {"schema": _ref("Event")}
    return {"post": {
        "operationId": op_id, "tags": ["t"],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "properties": properties}}}},
        "responses": {"200": {"description": "the answer", "content": content},
                      "429": {"description": "slow down"}}}}


def _get(op_id: str, answers: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"operationId": op_id, "tags": ["t"], "responses": {
        status: {"description": "the answer", "content": {"application/json": {"schema": s}}}
        for status, s in answers.items()}}}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Errors", "version": "1", "x-client": {"package": "error_body_client",
                                                              "class-name": "Errors"}},
    "paths": {
        "/chat": _post("chat", _ref("Completion"), stream=True),
        "/responses": _post("respond", _ref("Response"), stream=True),
        "/jobs/{id}": {**_get("getJob", {"200": _ref("Job"), "202": _ref("Job")}),
                       "parameters": [{"name": "id", "in": "path", "required": True,
                                       "schema": {"type": "string"}}]},
        "/either": _get("getEither", {"200": {"oneOf": [_ref("Completion"), _ref("Job")]}}),
        "/listing": _get("getListing", {"200": {"type": "array", "items": _ref("Job")}}),
    },
    "components": {"schemas": {
        "Completion": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"}, "text": {"type": "string"}}},
        "Event": {"type": "object", "properties": {
            "type": {"type": "string"}, "delta": {"type": "string"}}},
        "ResponseBase": {"type": "object", "required": ["id", "status"], "properties": {
            "id": {"type": "string"}, "status": {"type": "string"}}},
        # As OpenRouter's Responses object declares it: in an `allOf` part, nullable.
        "Response": {"allOf": [_ref("ResponseBase"), {"type": "object", "properties": {
            "error": {"anyOf": [_ref("ResponseError"), {"type": "null"}]}}}]},
        "ResponseError": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"}}},
        "Job": {"type": "object", "required": ["status"], "properties": {
            "status": {"type": "string"}, "error": {"type": "string"}}},
    }},
}

FAILED = {"id": "resp_1", "status": "failed",
          "error": {"code": "server_error", "message": "the model failed"}}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return generated_package(DOCUMENT, tmp_path_factory.mktemp("error-body"))


def _client(package: Any, server: FaultServer) -> Any:
    return package.Errors(api_key="k", base_url=server.url, max_retries=0)


def test_an_error_object_in_a_200_is_raised_where_the_answer_declares_no_error(
        package: Any) -> None:
    with FaultServer() as server, _client(package, server) as client:
        server.script(json_reply(error_body(429, "slow down"), status=200))
        with pytest.raises(package.RateLimitError, match="slow down") as caught:
            client.t.chat(input="hi")
    assert (caught.value.status_code, caught.value.http_status) == (429, 200)


def test_a_failed_response_with_its_error_is_the_answer(package: Any) -> None:
    with FaultServer() as server, _client(package, server) as client:
        server.script(json_reply(FAILED), json_reply({**FAILED, "error": None}))
        failed = client.t.respond(input="hi")
        ok = client.t.respond(input="hi")
    assert type(failed).__name__ == "Response" and failed.status == "failed"
    assert failed.error.code == "server_error" and failed.error.message == "the model failed"
    assert failed.to_json() == FAILED
    assert ok.error is None and ok.to_json() == {**FAILED, "error": None}


def test_the_same_answer_for_the_async_client(package: Any) -> None:
    async def main(url: str) -> Any:
        async with package.AsyncErrors(api_key="k", base_url=url, max_retries=0) as client:
            return await client.t.respond(input="hi")

    with FaultServer() as server:
        server.script(json_reply(FAILED))
        failed = asyncio.run(main(server.url))
    assert failed.error.code == "server_error"


def test_a_job_that_ended_in_error_is_the_answer_at_every_declared_status(package: Any) -> None:
    with FaultServer() as server, _client(package, server) as client:
        server.script(json_reply({"status": "failed", "error": "out of memory"}),
                      json_reply({"status": "failed", "error": "quota"}, status=202),
                      json_reply({"status": "failed", "error": "timeout"}))
        job = client.t.get_job(id="j1")
        accepted = client.t.get_job(id="j2")
        either = client.t.get_either()  # a union, one of whose forms declares `error`
    assert (job.status, job.error) == ("failed", "out of memory")
    assert accepted.error == "quota"
    assert type(either).__name__ == "Job" and either.error == "timeout"


def test_an_error_status_still_raises_where_the_answer_declares_error(package: Any) -> None:
    with FaultServer() as server, _client(package, server) as client:
        server.script(json_reply(error_body(429, "slow down"), status=429),
                      json_reply({"status": "failed", "error": "gone"}, status=404))
        with pytest.raises(package.RateLimitError, match="slow down"):
            client.t.respond(input="hi")
        with pytest.raises(package.NotFoundError, match="gone"):
            client.t.get_job(id="j1")


def test_an_array_answer_declares_no_error_of_its_own(package: Any) -> None:
    # The items declare `error`; the body is an array, so an object with `error` is the API's.
    with FaultServer() as server, _client(package, server) as client:
        server.script(json_reply(error_body(503, "overloaded"), status=200))
        with pytest.raises(package.InternalServerError, match="overloaded"):
            client.t.get_listing()


def test_streams_raise_an_error_object_whatever_the_answer_declares(package: Any) -> None:
    with FaultServer() as server, _client(package, server) as client:
        # A JSON error object where the event stream was asked for.
        server.script(json_reply(error_body(429, "slow down"), status=200),
                      sse_reply([sse_event({"type": "delta", "delta": "a"}),
                                 sse_event(error_body(502, "provider down")),
                                 "data: [DONE]\n\n"]))
        with pytest.raises(package.RateLimitError, match="slow down"):
            client.t.respond(input="hi", stream=True)
        events = []
        with pytest.raises(package.APIStatusError, match="provider down") as caught, \
                client.t.respond(input="hi", stream=True) as stream:
            events.extend(event.delta for event in stream)
    assert events == ["a"] and caught.value.in_stream
