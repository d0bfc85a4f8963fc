"""The API key goes where the document's security schemes say, over loopback HTTP.

Petstore-like: the document's default is an `apiKey` header; one operation takes its key in
the query, one in a cookie (beside a cookie parameter of its own), one is `oauth2` (a bearer
header), one declares `security: []` (no credential sent). A document with no scheme gets the
bearer header, as before.
"""

from __future__ import annotations

from typing import Any

import pytest

from openrouter_codegen.client.model.auth import BEARER, Auth, document_auth, operation_auth
from tests.generality.support import assert_mypy_strict, generated_package
from tests.support.fault_server import FaultServer, json_reply

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {
    "type": "object"}}}}}


def _op(op_id: str, **extra: Any) -> dict[str, Any]:
    return {"operationId": op_id, "tags": ["pets"], "responses": OK, **extra}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Keys", "version": "1", "x-client": {"package": "keys_client",
                                                            "class-name": "Keys"}},
    "security": [{"api_key": []}],
    "paths": {
        "/header": {"get": _op("byHeader")},
        "/query": {"get": _op("byQuery", security=[{"query_key": []}])},
        "/cookie": {"get": _op("byCookie", security=[{"cookie_key": []}], parameters=[
            {"name": "session", "in": "cookie", "required": True, "schema": {"type": "string"}}])},
        "/oauth": {"get": _op("byOauth", security=[{"petstore_auth": ["read"]}])},
        "/open": {"get": _op("open", security=[])},
    },
    "components": {"securitySchemes": {
        "api_key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        "query_key": {"type": "apiKey", "in": "query", "name": "key"},
        "cookie_key": {"type": "apiKey", "in": "cookie", "name": "token"},
        "petstore_auth": {"type": "oauth2", "flows": {"implicit": {
            "authorizationUrl": "https://example.com/auth", "scopes": {"read": "read"}}}},
    }},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return generated_package(DOCUMENT, tmp_path_factory.mktemp("keys"))


def test_placements_read_from_the_document() -> None:
    paths = DOCUMENT["paths"]
    assert document_auth(DOCUMENT) == Auth("header", "x-api-key")
    assert operation_auth(DOCUMENT, paths["/query"]["get"]) == Auth("query", "key")
    assert operation_auth(DOCUMENT, paths["/cookie"]["get"]) == Auth("cookie", "token")
    assert operation_auth(DOCUMENT, paths["/oauth"]["get"]) == BEARER
    assert operation_auth(DOCUMENT, paths["/open"]["get"]) is None
    assert document_auth({"openapi": "3.1.0"}) == BEARER
    basic = {"components": {"securitySchemes": {"b": {"type": "http", "scheme": "basic"}}}}
    assert document_auth(basic) == Auth("header", "authorization", "Basic ")


def test_the_package_passes_mypy_strict(package: Any) -> None:
    assert_mypy_strict(package.root, package)


def test_each_call_sends_the_key_where_its_operation_says(package: Any) -> None:
    with FaultServer() as server:
        server.script(*(json_reply({}) for _ in range(5)))
        with package.Keys(api_key="s3cret", base_url=server.url, max_retries=0) as client:
            client.pets.by_header()
            client.pets.by_query()
            client.pets.by_cookie(session="abc")
            client.pets.by_oauth()
            client.pets.open()
        header, query, cookie, oauth, open_ = server.requests
    assert header.headers.get("x-api-key") == "s3cret" and "authorization" not in header.headers
    assert query.query == {"key": ["s3cret"]} and "x-api-key" not in query.headers
    assert cookie.headers.get("cookie") == "session=abc; token=s3cret"
    assert oauth.headers.get("authorization") == "Bearer s3cret"
    assert "s3cret" not in str(open_.headers) and not open_.query


@pytest.mark.anyio
async def test_the_async_client_does_the_same(package: Any) -> None:
    with FaultServer() as server:
        server.script(json_reply({}), json_reply({}))
        async with package.AsyncKeys(api_key="s3cret", base_url=server.url) as client:
            await client.pets.by_query()
            await client.pets.by_header()
        query, header = server.requests
    assert query.query == {"key": ["s3cret"]}
    assert header.headers.get("x-api-key") == "s3cret"

