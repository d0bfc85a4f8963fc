"""Names that follow the call: a path parameter keeps its name; a body field, query, header or
cookie parameter that would take the same Python name is the one renamed (`body_<name>`,
`query_<name>`, ...), and each is still sent under its own wire name. Over loopback HTTP, and the
generated package passes `mypy --strict`."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from tests.generality.support import assert_mypy_strict, generated_package
from tests.support.fault_server import FaultServer, json_reply

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {
    "type": "object"}}}}}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Names", "version": "1", "x-client": {"package": "names_client",
                                                             "class-name": "Names"}},
    "paths": {
        "/users/{username}": {"put": {
            "operationId": "updateUser", "tags": ["users"],
            "parameters": [
                {"name": "username", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "username", "in": "query", "schema": {"type": "string"}},
                {"name": "username", "in": "header", "schema": {"type": "string"}},
            ],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["username"],
                "properties": {"username": {"type": "string"}, "email": {"type": "string"}}}}}},
            "responses": OK}},
        "/notes/{body}": {"post": {
            "operationId": "addNote", "tags": ["users"],
            "parameters": [{"name": "body", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "array", "items": {"type": "string"}}}}},
            "responses": OK}},
    },
}


def test_the_path_parameter_keeps_its_name_and_the_others_yield(tmp_path: Path) -> None:
    package = generated_package(DOCUMENT, tmp_path)
    with FaultServer() as server:
        server.script(json_reply({"ok": 1}), json_reply({"ok": 2}))
        with package.Names(api_key="k", base_url=server.url, max_retries=0) as client:
            names = list(inspect.signature(client.users.update).parameters)
            client.users.update(username="ann", body_username="bob", email="b@x",
                                     query_username="cy", header_username="di")
            client.users.add_note(body="n1", request_body=["a", "b"])
        update, note = server.requests
    assert names[:5] == ["username", "body_username", "query_username", "header_username",
                         "email"]
    assert update.path == "/users/ann"
    assert update.query == {"username": ["cy"]}
    assert update.headers["username"] == "di"
    assert update.json() == {"username": "bob", "email": "b@x"}
    assert note.path == "/notes/n1" and note.json() == ["a", "b"]
    assert_mypy_strict(tmp_path, package)
