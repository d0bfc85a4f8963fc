"""An operation that documents no 2xx answer but a `default` one: `default` is its answer (a
model for JSON, text for `text/*`, asked for with its own Accept header), over
loopback HTTP."""

from __future__ import annotations

from typing import Any

from tests.generality.support import import_module, write_package
from tests.support.fault_server import FaultServer, body_reply, json_reply


def test_a_default_response_is_the_answer_when_no_2xx_is_declared(tmp_path: Any) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Dflt", "version": "1", "x-client": {"package": "dflt_client",
                                                            "class-name": "Dflt"}},
        "paths": {
            "/thing": {"get": {"operationId": "getThing", "tags": ["t"], "responses": {
                "default": {"description": "the thing", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
            "/text": {"get": {"operationId": "getText", "tags": ["t"], "responses": {
                "default": {"description": "text", "content": {"text/plain": {
                    "schema": {"type": "string"}}}}}}},
        },
        "components": {"schemas": {"Thing": {"type": "object", "properties": {
            "name": {"type": "string"}}}}},
    }
    build = write_package(document, tmp_path)
    package = import_module(tmp_path, build.package)
    with FaultServer() as server:
        server.script(json_reply({"name": "x", "more": 1}),
                      body_reply("plain words", content_type="text/plain"))
        with package.Dflt(api_key="k", base_url=server.url, max_retries=0) as client:
            thing = client.t.get_thing()
            text = client.t.get_text()
        _, second = server.requests
    assert type(thing).__name__ == "Thing" and thing.name == "x" and thing.extra == {"more": 1}
    assert text == "plain words"  # text/* is returned as str
    assert second.headers.get("accept") == "text/plain"
