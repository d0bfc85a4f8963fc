"""Path templates and parameters the docs get wrong still give a callable client, with warnings.

- `{name}` in the path without a path parameter: before, the function took no argument and the
  request went to the literal `/items/%7Bid%7D`; now `name` is a required `str` argument.
- a path parameter the path has no `{}` for: skipped (before, a required argument that went
  nowhere).
- the same parameter listed twice in one list: the last one is used, and said so.
- two operations whose operationIds give one function name: the second is numbered, and said so.
Calls go over HTTP to a loopback server the test starts.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from openrouter_codegen.client.client_build import build_client
from tests.generality.support import import_module, write_package
from tests.support.fault_server import FaultServer, json_reply

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Paths", "version": "1", "x-client": {"package": "paths_client",
                                                             "class-name": "Paths"}},
    "paths": {
        "/items/{item-id}/parts/{part}": {"get": {
            "operationId": "getPart", "tags": ["items"],
            "parameters": [{"name": "part", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object"}}}}}}},
        "/things": {"get": {
            "operationId": "listThings", "tags": ["items"],
            "parameters": [
                {"name": "ghost", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "a", "in": "query", "schema": {"type": "string"}},
                {"name": "a", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object"}}}}}}},
    },
}


def test_each_mistake_is_a_located_warning() -> None:
    warnings = {(d.location.pointer, d.message, d.action)
                for d in build_client(DOCUMENT, format_code=False).warnings}
    assert ("/paths/~1items~1{item-id}~1parts~1{part}/get",
            ("the path '/items/{item-id}/parts/{part}' has {item-id} but no path parameter "
             "'item-id'"), "added as a required str argument") in warnings
    assert ("/paths/~1things/get", "path parameter 'ghost' is not in the path '/things'",
            "skipped: the URL has no place for it") in warnings
    assert ("/paths/~1things/get/parameters/2", "parameter 'a' in 'query' is listed twice",
            "the last one is used") in warnings


def test_the_client_fills_every_template_and_sends_what_is_declared(tmp_path: Path) -> None:
    build = write_package(DOCUMENT, tmp_path)
    package = import_module(tmp_path, build.package)
    with FaultServer() as server:
        server.script(json_reply({"ok": 1}), json_reply({"ok": 2}))
        with package.Paths(api_key="k", base_url=server.url) as client:
            part = client.items.get_part(item_id="a b/c", part=7)
            things = client.items.list_things(a=3)
        first, second = server.requests
    assert first.path == "/items/a%20b%2Fc/parts/7"
    assert part == {"ok": 1}
    assert "ghost" not in inspect.signature(client.items.list_things).parameters
    assert second.path == "/things" and second.query == {"a": ["3"]}
    assert things == {"ok": 2}


def test_operations_that_would_share_a_function_name_are_numbered_and_said_so(
        tmp_path: Path) -> None:
    def op(op_id: str) -> dict[str, Any]:
        return {"operationId": op_id, "tags": ["t"],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object"}}}}}}

    document = {**DOCUMENT, "paths": {"/a": {"get": op("get-thing")},
                                      "/b": {"get": op("get_thing")}}}
    build = write_package(document, tmp_path)
    [warning] = build.warnings
    assert (warning.location.pointer, warning.message, warning.action) == (
        "/paths/~1b/get", ("the function name 'get_thing' (from operationId 'get_thing') is "
                           "already taken by another operation in api/t.py"), "named 'get_thing_2'")
    package = import_module(tmp_path, build.package)
    with FaultServer() as server:
        server.script(json_reply({"a": 1}), json_reply({"b": 2}))
        with package.Paths(api_key="k", base_url=server.url) as client:
            assert client.t.get_thing() == {"a": 1}
            assert client.t.get_thing_2() == {"b": 2}
    assert [r.path for r in server.requests] == ["/a", "/b"]
