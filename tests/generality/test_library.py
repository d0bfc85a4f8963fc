"""A non-OpenRouter OpenAPI 3.1 document (tests/fixtures/generality/library_31.yaml) generates a client
that imports, passes `mypy --strict` and calls every operation against Prism with no request violation.

The document covers what the OpenRouter pages do not: allOf, recursive and mutually recursive schemas,
typed path parameters, query arrays (exploded and not) and a deepObject, headers and cookies, form and
multipart bodies, a file download (bytes), 204 and empty responses, several success codes, integer and
date-time formats, readOnly/writeOnly, typed additionalProperties maps and a deprecated operation.
"""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import yaml

from tests.generality.support import (
    FIXTURES,
    all_operations,
    assert_no_request_violations,
    import_module,
    multipart_parts,
    mypy_strict,
    served_operations,
    write_package,
)
from tests.support.prism import PrismServer, ViolationRecorder, running_prism

SPEC_PATH = FIXTURES / "library_31.yaml"
REQUEST_ID = "6f1c2a52-3f0e-4f7e-9d0c-2b7a1f1f9e11"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def package_root(spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library")
    build = write_package(spec, root)
    assert build.package == "library_client"
    return root


@pytest.fixture(scope="module")
def lib(package_root: Path) -> ModuleType:
    return import_module(package_root, "library_client")


@pytest.fixture(scope="module")
def prism() -> Iterator[PrismServer]:
    with running_prism(SPEC_PATH) as server:
        yield server


def test_library_client_passes_mypy_strict(package_root: Path) -> None:
    result = mypy_strict(package_root, "library_client")
    assert result.returncode == 0, result.stdout + result.stderr


def _calls(lib: ModuleType) -> list[tuple[str, str, dict[str, Any]]]:
    models = import_module_models(lib)
    return [
        ("books", "list", {"x_request_id": REQUEST_ID, "tag": ["sf", "classic"], "ids": [1, 2, 3],
                           "limit": 10, "since": "2024-05-01T12:00:00Z",
                           "status": models.Status.AVAILABLE, "session": "abc123",
                           "filter": {"author": "Herbert", "year": 1965}}),
        ("books", "create", {
            "title": "Dune", "pages": 412, "price": 9.5, "status": "borrowed", "tags": ["sf"],
            "metadata": {"lang": "en"}, "ratings": {"goodreads": 4},
            "author": models.Author(name="Frank Herbert"),
            "category": {"slug": "sf", "children": [{"slug": "space-opera"}]},
        }),
        # int64 beyond 2**31 (Prism itself stops at 2**53 - 1, JavaScript's largest safe integer).
        ("books", "get", {"book_id": 9007199254740991}),
        ("books", "delete", {"book_id": 7}),
        ("books", "set_status", {"book_id": 7, "status": models.Status.LOST, "notify": True}),
        ("books", "upload_cover", {"book_id": 7, "image": ("cover.png", io.BytesIO(b"\x89PNG\r\n"),
                                                          "image/png"),
                                   "caption": 'A "quoted"\ncaption', "width": 640}),
        ("books", "download_cover", {"book_id": 7}),
        ("books", "get_category", {"slug": "science fiction/space"}),
        ("authors", "get", {"author_id": "0b0f3c1e-8a55-4a43-9a4e-0b8a5f3a7c10", "depth": 1.5}),
        ("accounts", "create", {"username": "ada", "password": "p@ss w&rd=1", "newsletter": False}),
        ("misc", "get_inventory", {}),
        ("misc", "ping", {}),
        ("misc", "legacy_search", {"q": "dune", "page": 2}),
    ]


def import_module_models(lib: ModuleType) -> Any:
    return importlib.import_module(lib.__name__ + ".models")


@pytest.mark.prism
def test_every_operation_against_prism(lib: ModuleType, spec: dict[str, Any],
                                       prism: PrismServer) -> None:
    recorder = ViolationRecorder()
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=recorder.transport(),
                        event_hooks={"request": [seen.append]})
    results: dict[str, Any] = {}
    with lib.Library(api_key="k", base_url=prism.base_url, http_client=http) as client:
        failures = []
        for namespace, method, arguments in _calls(lib):
            try:
                results[f"{namespace}.{method}"] = getattr(getattr(client, namespace), method)(
                    **arguments)
            except lib.LibraryError as exc:
                failures.append(f"{namespace}.{method}: {exc}")
    assert_no_request_violations(recorder)
    assert not failures, failures
    assert served_operations(spec, seen) == all_operations(spec)
    _check_wire(seen)
    models = import_module_models(lib)
    assert all(isinstance(b, models.Book) for b in results["books.list"])
    assert isinstance(results["books.create"], models.Book)
    assert isinstance(results["books.get_category"], models.Category)
    assert isinstance(results["books.download_cover"], bytes)  # a file, not JSON
    assert isinstance(results["authors.get"], models.Author)
    assert results["books.delete"] is None and results["misc.ping"] is None
    assert results["books.set_status"] is None
    assert isinstance(results["misc.get_inventory"], dict)
    assert all(isinstance(t, str) for t in results["misc.legacy_search"])


def _check_wire(seen: list[httpx.Request]) -> None:
    """What Prism accepted is also what the document means, byte for byte."""
    by_path = {(r.method, r.url.raw_path.decode().partition("?")[0]): r for r in seen}
    listing = by_path["GET", "/books"]
    assert listing.url.params.get_list("tag") == ["sf", "classic"]  # exploded: key repeated
    assert listing.url.params["ids"] == "1,2,3"  # explode: false
    assert listing.url.params["status"] == "available"
    assert listing.url.params["filter[author]"] == "Herbert"  # deepObject
    assert listing.url.params["filter[year]"] == "1965"
    assert listing.headers["x-request-id"] == REQUEST_ID
    assert listing.headers["cookie"] == "session=abc123"
    created = json.loads(by_path["POST", "/books"].read())
    assert created["category"] == {"slug": "sf", "children": [{"slug": "space-opera"}]}
    assert created["author"] == {"name": "Frank Herbert"} and "id" not in created  # readOnly
    assert by_path["GET", "/categories/science%20fiction%2Fspace"].method == "GET"
    account = by_path["POST", "/accounts"]
    assert account.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(account.read().decode()) == {
        "username": ["ada"], "password": ["p@ss w&rd=1"], "newsletter": ["false"]}
    cover = by_path["POST", "/books/7/cover"]
    assert multipart_parts(cover) == [
        ("image", "cover.png", "image/png", b"\x89PNG\r\n"),
        ("caption", None, "text/plain", b'A "quoted"\ncaption'),
        ("width", None, "text/plain", b"640"),
    ]
    assert by_path["PUT", "/books/7/status/lost"].url.params["notify"] == "true"
    assert by_path["GET", "/books/7/cover"].headers["accept"] == "image/png"


@pytest.mark.prism
@pytest.mark.anyio
async def test_every_operation_async_against_prism(lib: ModuleType, spec: dict[str, Any],
                                                   prism: PrismServer) -> None:
    recorder = ViolationRecorder()
    seen: list[httpx.Request] = []

    async def remember(request: httpx.Request) -> None:
        seen.append(request)

    http = httpx.AsyncClient(transport=recorder.async_transport(),
                             event_hooks={"request": [remember]})
    async with lib.AsyncLibrary(api_key="k", base_url=prism.base_url, http_client=http) as client:
        for namespace, method, arguments in _calls(lib):
            await getattr(getattr(client, namespace), method)(**arguments)
    assert_no_request_violations(recorder)
    assert served_operations(spec, seen) == all_operations(spec)
