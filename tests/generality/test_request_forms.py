"""A request body declared both as JSON and as a form: the method sends JSON, as before, and a
twin per form encoding (`<method>_multipart`, `<method>_form`; functions likewise) sends that form's fields, each
documented from the other; files go as a path, an open file, bytes or a tuple, several of them
as a sequence (a tuple included), each part typed by its file name; a field named with the
`[]` array suffix takes an argument without it. Over loopback HTTP; `mypy --strict` passes."""

from __future__ import annotations

import inspect
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from tests.generality.support import assert_mypy_strict, generated_package, multipart_parts
from tests.support.fault_server import FaultServer, RecordedRequest, json_reply

FILE = {"type": "string", "format": "binary"}
ANSWER = {"description": "ok", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"id": {"type": "string"}}}}}}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Forms", "version": "1", "x-client": {"package": "forms_client",
                                                             "class-name": "Forms"}},
    "paths": {"/uploads": {"post": {
        "operationId": "createUpload", "tags": ["uploads"],
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": {
                "type": "object", "required": ["data"],
                "properties": {"data": {"type": "string"}, "stream": {"type": "boolean"}}}},
            "multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": FILE, "extras": {"type": "array", "items": FILE},
                               "tags[]": {"type": "array", "items": {"type": "string"}}}}},
            "application/x-www-form-urlencoded": {"schema": {
                "type": "object", "required": ["data"],
                "properties": {"data": {"type": "string"}}}},
        }},
        "responses": {"200": ANSWER}}}},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return generated_package(DOCUMENT, tmp_path_factory.mktemp("forms"))


def sent(package: Any, calls: Any) -> list[RecordedRequest]:
    with FaultServer() as server:
        server.script(*[json_reply({"id": "u1"})] * 8)
        with package.Forms(api_key="k", base_url=server.url, max_retries=0) as client:
            calls(client.uploads)
        return server.requests


def parts(request: RecordedRequest) -> list[tuple[str, str | None, str, bytes]]:
    return multipart_parts(httpx.Request("POST", "http://server/", content=request.body,
                                         headers={"content-type":
                                                  request.headers["content-type"]}))


def test_json_stays_the_method_and_each_form_gets_a_twin(package: Any, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG")

    def calls(uploads: Any) -> None:
        assert uploads.create(data="x").id == "u1"
        uploads.create_multipart(file=photo, extras=(b"one", ("two.jpg", b"2")), tags=["a", "b"])
        with photo.open("rb") as opened:
            uploads.create_multipart(file=opened, extra_body={"note": "n"})
        uploads.create_form(data="x y")

    as_json, multipart, opened, form = sent(package, calls)
    assert as_json.headers["content-type"] == "application/json"
    assert as_json.json() == {"data": "x"}
    assert parts(multipart) == [
        ("file", "photo.png", "image/png", b"\x89PNG"),
        ("extras", "extras", "application/octet-stream", b"one"),
        ("extras", "two.jpg", "image/jpeg", b"2"),
        ("tags[]", None, "text/plain", b"a"),
        ("tags[]", None, "text/plain", b"b"),
    ]
    assert parts(opened) == [("file", "photo.png", "image/png", b"\x89PNG"),
                             ("note", None, "text/plain", b"n")]
    assert form.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(form.body.decode()) == {"data": ["x y"]}


def test_the_twins_are_documented_and_stream_only_where_their_form_can_say_so(
        package: Any) -> None:
    uploads = import_module(f"{package.__name__}.api.uploads")
    resource = uploads.UploadsResource
    assert "stream" in inspect.signature(resource.create).parameters
    assert "stream" not in inspect.signature(resource.create_multipart).parameters
    main_doc = resource.create.__doc__ or ""
    assert "``multipart/form-data`` (a file upload, say): `create_multipart`" in main_doc
    assert "`create_form`" in main_doc
    assert "`create_upload_multipart_async`" in (uploads.create_upload_async.__doc__ or "")
    twin_doc = resource.create_multipart.__doc__ or ""
    assert "The body is sent as ``multipart/form-data``." in twin_doc
    assert "extra_body (Mapping[str, object] | None, optional): Fields added to the form" \
        in twin_doc


def test_the_package_passes_mypy_strict(package: Any) -> None:
    assert_mypy_strict(package.root, package)
