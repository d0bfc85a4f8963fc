"""Responses of every declared kind, over loopback HTTP: `text/*` answers come back as `str`
(decoded by their charset), other non-JSON answers as `bytes`, each asked for with an Accept
header built from the declared media types (JSON only, where JSON is declared beside others; the
event stream when a call streams); a JSON error object sent instead raises typed; a body whose
top-level JSON class is not the declared one raises `APIResponseValidationError` naming both,
never an AttributeError. The generated package passes `mypy --strict`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.generality.support import assert_mypy_strict, generated_package
from tests.support.fault_server import (
    FaultServer,
    body_reply,
    error_body,
    json_reply,
    sse_event,
    sse_reply,
)

THING = {"$ref": "#/components/schemas/Thing"}


def _get(op_id: str, content: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {"get": {"operationId": op_id, "tags": ["t"], "responses": {
        status: {"description": "answer", "content": content}}}}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Kinds", "version": "1", "x-client": {"package": "kinds_client",
                                                             "class-name": "Kinds"}},
    "paths": {
        "/text": _get("getText", {"text/plain": {"schema": {"type": "string"}}}),
        "/page": _get("getPage", {"text/html": {}, "text/csv": {}}),
        "/image": _get("getImage", {"image/png": {}, "image/webp": {}}),
        "/thing": _get("getThing", {"application/json": {"schema": THING},
                                    "application/xml": {"schema": THING}}),
        "/things": _get("listThings", {"application/json": {"schema": {
            "type": "array", "items": THING}}}),
        "/maybe": {"get": {"operationId": "maybeThing", "tags": ["t"], "responses": {
            "200": {"description": "a thing", "content": {"application/json": {"schema": THING}}},
            "204": {"description": "nothing"}}}},
        "/either": _get("getEither", {"application/json": {"schema": {"oneOf": [
            THING, {"type": "array", "items": {"type": "integer"}}]}}}),
        "/count": _get("getCount", {"application/json": {"schema": {"type": "integer"}}}),
        "/speech": {"post": {
            "operationId": "speak", "tags": ["t"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"text": {"type": "string"},
                                                 "stream": {"type": "boolean"}}}}}},
            "responses": {"200": {"description": "audio or events", "content": {
                "audio/mpeg": {}, "text/event-stream": {"schema": THING}}}}}},
    },
    "components": {"schemas": {"Thing": {"type": "object", "properties": {
        "name": {"type": "string"}}}}},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return generated_package(DOCUMENT, tmp_path_factory.mktemp("kinds"))


def test_text_is_str_by_its_charset_and_other_media_are_bytes(package: Any) -> None:
    with FaultServer() as server:
        server.script(body_reply("plain words", content_type="text/plain"),
                      body_reply("caf\u00e9".encode("latin-1"),
                                 content_type="text/csv; charset=iso-8859-1"),
                      body_reply(b"\x89PNG\r\n", content_type="image/png"))
        with package.Kinds(api_key="k", base_url=server.url, max_retries=0) as client:
            text = client.t.get_text()
            page = client.t.get_page()
            image = client.t.get_image()
        first, second, third = server.requests
    assert text == "plain words" and type(text) is str
    assert page == "caf\u00e9"
    assert image == b"\x89PNG\r\n"
    assert first.headers["accept"] == "text/plain"
    assert second.headers["accept"] == "text/html, text/csv"
    assert third.headers["accept"] == "image/png, image/webp"


def test_json_beside_other_media_asks_for_json_and_reads_the_model(package: Any) -> None:
    with FaultServer() as server:
        server.script(json_reply({"name": "x"}))
        with package.Kinds(api_key="k", base_url=server.url, max_retries=0) as client:
            thing = client.t.get_thing()
        (request,) = server.requests
    assert type(thing).__name__ == "Thing" and thing.name == "x"
    assert request.headers["accept"] == "application/json"


def test_an_error_object_where_text_was_declared_raises_typed(package: Any) -> None:
    with FaultServer() as server:
        server.script(json_reply(error_body(429, "slow down")))
        with package.Kinds(api_key="k", base_url=server.url, max_retries=0) as client, \
                pytest.raises(package.RateLimitError, match="slow down"):
            client.t.get_text()


def test_a_call_that_streams_asks_for_the_event_stream_else_for_the_declared_media(
        package: Any) -> None:
    with FaultServer() as server:
        server.script(body_reply(b"ID3", content_type="audio/mpeg"),
                      sse_reply([sse_event({"name": "a"}), "data: [DONE]\n\n"]))
        with package.Kinds(api_key="k", base_url=server.url, max_retries=0) as client:
            audio = client.t.speak(text="hi")
            with client.t.speak(text="hi", stream=True) as stream:
                events = [event.name for event in stream]
        plain, streamed = server.requests
    assert audio == b"ID3" and plain.headers["accept"] == "audio/mpeg"
    assert events == ["a"] and streamed.headers["accept"] == "text/event-stream"


@pytest.mark.parametrize(("method", "sent", "message"), [
    ("get_thing", [1, 2], "expected a JSON object, found an array at /"),
    ("get_thing", "text", "expected a JSON object, found a string at /"),
    ("get_thing", None, "expected a JSON object, found null or an empty body at /"),
    ("list_things", {"name": "x"}, "expected a JSON array, found an object at /"),
    ("maybe_thing", [], "expected a JSON object or null, found an array at /"),
    ("get_either", 3, "expected a JSON object or array, found a number at /"),
])
def test_a_body_of_another_top_level_shape_names_expected_and_found(
        package: Any, method: str, sent: object, message: str) -> None:
    with FaultServer() as server:
        server.script(json_reply(sent))
        with package.Kinds(api_key="k", base_url=server.url, max_retries=0) as client, \
                pytest.raises(package.APIResponseValidationError) as caught:
            getattr(client.t, method)()
    assert message in str(caught.value)
    assert "AttributeError" not in str(caught.value)
    assert caught.value.body == sent


def test_bodies_of_the_declared_shapes_and_scalars_are_kept_as_sent(package: Any) -> None:
    with FaultServer() as server:
        server.script(json_reply([{"name": "a"}, 7]), body_reply("", status=204),
                      json_reply([1, 2]), json_reply("12"))
        with package.Kinds(api_key="k", base_url=server.url, max_retries=0) as client:
            things = client.t.list_things()
            nothing = client.t.maybe_thing()
            either = client.t.get_either()
            count = client.t.get_count()
    assert [type(t).__name__ for t in things] == ["Thing", "int"]  # an odd item is kept as sent
    assert nothing is None and either == [1, 2]
    assert count == "12"  # a scalar is never coerced, nor refused


def test_the_package_passes_mypy_strict(package: Any) -> None:
    assert_mypy_strict(package.root, package)
