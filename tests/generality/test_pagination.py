"""List endpoints that page by integer `offset` and `limit` query parameters get an
`iter_<method>` on their resource (sync and async) yielding the items across pages; detected
from the spec, on a small document (the committed spec has no such endpoint: `GET /keys` takes
a string `offset` and no `limit`). Calls go over HTTP to a loopback server the test starts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import pytest

from tests.generality.support import generated_package, mypy_strict
from tests.support.fault_server import FaultServer, json_reply

ITEM = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
PAGING = [{"name": "offset", "in": "query", "schema": {"type": "integer"}},
          {"name": "limit", "in": "query", "schema": {"type": "integer"}}]


def _get(op_id: str, parameters: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"operationId": op_id, "tags": ["things"], "parameters": parameters,
                    "responses": {"200": {"description": "ok", "content": {
                        "application/json": {"schema": schema}}}}}}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pages", "version": "1",
             "x-client": {"package": "pages_client", "class-name": "Pages"}},
    "paths": {
        "/things": _get("list", [{"name": "kind", "in": "query", "schema": {"type": "string"}},
                                 *PAGING],
                        {"type": "object", "properties": {
                            "total": {"type": "integer"},
                            "data": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                        }}),
        "/tags": _get("listTags", PAGING, {"type": "array", "items": {"type": "string"}}),
        # Not paged: `offset` without `limit`, and a string `offset` (as in the seed's /keys).
        "/notes": _get("listNotes", [PAGING[0]], {"type": "array", "items": {"type": "string"}}),
        "/keys": _get("listKeys", [{"name": "offset", "in": "query", "schema": {"type": "string"}},
                                   PAGING[1]], {"type": "array", "items": {"type": "string"}}),
    },
    "components": {"schemas": {"Thing": ITEM}},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_package(DOCUMENT, tmp_path_factory.mktemp("pages"))


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def _queries(server: FaultServer) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(r.target).query) for r in server.requests]


def test_only_lists_with_integer_offset_and_limit_page(package: ModuleType) -> None:
    things = package.Pages(api_key="k").things
    assert hasattr(things, "iter_list") and hasattr(things, "iter_list_tags")
    assert not hasattr(things, "iter_list_notes") and not hasattr(things, "iter_list_keys")
    assert "page after page" in (type(things).iter_list.__doc__ or "")


def test_sync_iterator_follows_offsets_until_a_short_page(package: ModuleType,
                                                          server: FaultServer) -> None:
    server.script(json_reply({"total": 5, "data": [{"id": 1}, {"id": 2}]}),
                  json_reply({"total": 5, "data": [{"id": 3}, {"id": 4}]}),
                  json_reply({"total": 5, "data": [{"id": 5}]}))
    with package.Pages(api_key="k", base_url=server.url, max_retries=0) as client:
        items = client.things.iter_list(kind="a", limit=2)
        assert server.attempts == 0  # nothing is requested before the first item is read
        ids = [thing.id for thing in items]
    assert ids == [1, 2, 3, 4, 5]
    assert _queries(server) == [{"kind": ["a"], "offset": [str(n)], "limit": ["2"]}
                                for n in (0, 2, 4)]


def test_async_iterator_starts_at_the_given_offset_and_stops_at_an_empty_page(
    package: ModuleType, server: FaultServer
) -> None:
    server.script(json_reply(["a", "b", "c"]), json_reply(["d"]), json_reply([]))

    async def run() -> list[str]:
        async with package.AsyncPages(api_key="k", base_url=server.url, max_retries=0) as client:
            return [tag async for tag in client.things.iter_list_tags(offset=10)]

    assert anyio.run(run) == ["a", "b", "c", "d"]
    # No limit given: the server's page size is unknown, so only an empty page ends the paging.
    assert [q["offset"] for q in _queries(server)] == [["10"], ["13"], ["14"]]
    assert all("limit" not in q for q in _queries(server))


def test_sync_iterator_stops_early_when_the_caller_stops(package: ModuleType,
                                                         server: FaultServer) -> None:
    server.script(json_reply({"data": [{"id": 1}, {"id": 2}]}),
                  json_reply({"data": [{"id": 3}, {"id": 4}]}))
    with package.Pages(api_key="k", base_url=server.url, max_retries=0) as client:
        for thing in client.things.iter_list(limit=2):
            if thing.id == 2:
                break
    assert server.attempts == 1


def test_paging_code_passes_mypy_strict(package: ModuleType, tmp_path: Path) -> None:
    script = tmp_path / "use_pages.py"
    script.write_text(
        "from pages_client import AsyncPages, Pages\n"
        "from pages_client.models import Thing\n\n\n"
        "def ids(client: Pages) -> list[int]:\n"
        "    return [thing.id for thing in client.things.iter_list(limit=2)]\n\n\n"
        "async def tags(client: AsyncPages) -> list[str]:\n"
        "    return [tag async for tag in client.things.iter_list_tags()]\n\n\n"
        "def first(client: Pages) -> Thing:\n"
        "    return next(iter(client.things.iter_list()))\n"
    )
    result = mypy_strict(package.root, "pages_client", str(script))
    assert result.returncode == 0, result.stdout + result.stderr


def test_paging_modules_import_only_what_they_use(package: ModuleType) -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--select",
                             "F401", str(package.root / "pages_client")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_test_support_finds_each_paged_operation_once(package: ModuleType) -> None:
    # tests/support/golden.client_methods (which the Prism and golden tests call every operation
    # through) reads `METHOD /path` from docstrings; a pager repeats its method's.
    from tests.support.golden import ClientMethod, SpecOperation, client_methods

    with package.Pages(api_key="k", base_url="http://127.0.0.1:9") as client:
        methods = client_methods(client)
        assert "GET /things" in (type(client.things).iter_list.__doc__ or "")
    assert methods[SpecOperation("GET", "/things")] == ClientMethod("things", "list")
    assert methods[SpecOperation("GET", "/tags")] == ClientMethod("things", "list_tags")
    assert len(methods) == 4
