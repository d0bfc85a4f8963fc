"""Answers that are files, read as they arrive, through a generated package over loopback HTTP:
the plain method still returns `bytes`; `client.<group>.with_streaming_response.<method>(...)`
(and the module-level `<function>_stream` / `_stream_async`) returns a `BinaryStream` /
`AsyncBinaryStream` that reads a body of several megabytes in chunks or writes it to a file,
gives its connection back when closed early, and is never returned for an error status, which
raises typed. Code using them passes `mypy --strict` and pyright in strict mode."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from importlib import import_module
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from tests.generality.support import generated_package, mypy_strict
from tests.support.fault_server import FaultServer, body_reply, error_body, json_reply

PYRIGHT = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "pyright"
BODY = random.Random(3).randbytes(5 * 1024 * 1024)
# More than loopback's socket buffers hold: closed early, the rest can never all be sent.
HUGE = bytes(32 * 1024 * 1024)
FILE = {"type": "string", "format": "binary"}
ERROR = {"description": "error", "content": {"application/json": {"schema": {"type": "object"}}}}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Media", "version": "1", "x-client": {"package": "media_client",
                                                             "class-name": "Media"}},
    "paths": {
        "/files/{file_id}/content": {"get": {
            "operationId": "downloadFileContent", "tags": ["files"],
            "parameters": [{"name": "file_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "the file", "content": {
                "application/octet-stream": {"schema": FILE}}}, "404": ERROR}}},
        "/audio/speech": {"post": {
            "operationId": "createSpeech", "tags": ["audio"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["input"],
                "properties": {"input": {"type": "string"}, "voice": {"type": "string"}}}}}},
            "responses": {"200": {"description": "audio", "content": {
                "audio/*": {"schema": FILE}}}}}},
    },
}

USE = '''\
"""Typed use of the streamed twins; checked by mypy --strict and pyright (strict)."""

from pathlib import Path

from media_client import AsyncBinaryStream, AsyncMedia, BinaryStream, Media
from media_client.api.files import download_file_content_stream


def save(client: Media, target: Path) -> int:
    whole: bytes = client.files.download_content(file_id="f")
    with client.audio.with_streaming_response.create_speech(input="hi") as audio:
        size: int = audio.write_to(target)
        status: int = audio.status_code
        kind: str | None = audio.headers.get("content-type")
    body: BinaryStream = download_file_content_stream(client, file_id="f")
    with body:
        chunks: list[bytes] = list(body.iter_bytes(65536))
        rest: bytes = body.read()
    return len(whole) + size + status + len(kind or "") + len(chunks) + len(rest)


async def asave(client: AsyncMedia, target: Path) -> int:
    body: AsyncBinaryStream = await client.files.with_streaming_response.download_content(
        file_id="f")
    async with body:
        sizes = [len(chunk) async for chunk in body.aiter_bytes()]
        written: int = await body.awrite_to(target)
    return sum(sizes) + written
'''


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return generated_package(DOCUMENT, tmp_path_factory.mktemp("media"))


def client(package: Any, server: FaultServer, **options: Any) -> Any:
    return package.Media(api_key="k", base_url=server.url, max_retries=0, **options)


def test_the_plain_method_returns_bytes_and_the_streamed_twin_reads_in_chunks(
        package: Any, tmp_path: Path) -> None:
    with FaultServer() as server:
        server.script(*[body_reply(BODY, content_type="application/octet-stream")] * 2,
                      body_reply(b"ID3 audio", content_type="audio/mpeg"))
        with client(package, server) as media:
            whole = media.files.download_content(file_id="f 1")
            with media.files.with_streaming_response.download_content(file_id="f 1") as body:
                assert isinstance(body, package.BinaryStream)
                assert body.status_code == 200
                chunks = list(body.iter_bytes())
            with media.audio.with_streaming_response.create_speech(input="hi") as audio:
                assert audio.headers["content-type"] == "audio/mpeg"
                audio.write_to(tmp_path / "speech.mp3")
        plain, streamed, speech = server.requests
    assert whole == BODY and type(whole) is bytes
    assert len(chunks) > 1 and b"".join(chunks) == BODY
    assert streamed.target == plain.target == "/files/f%201/content"
    assert streamed.headers["accept"] == "application/octet-stream"
    assert (tmp_path / "speech.mp3").read_bytes() == b"ID3 audio"
    assert speech.json() == {"input": "hi"} and speech.headers["accept"] == "audio/*"


def test_async_twins_and_the_module_level_functions(package: Any, tmp_path: Path) -> None:
    files = import_module(f"{package.__name__}.api.files")

    async def run(server: FaultServer) -> list[int]:
        async with package.AsyncMedia(api_key="k", base_url=server.url, max_retries=0) as media:
            async with await media.files.with_streaming_response.download_content(
                    file_id="f") as body:
                assert isinstance(body, package.AsyncBinaryStream)
                sizes = [len(chunk) async for chunk in body.aiter_bytes(1 << 20)]
            async with await files.download_file_content_stream_async(media, file_id="f") as body:
                await body.awrite_to(tmp_path / "async.bin")
            return sizes

    with FaultServer() as server:
        server.script(*[body_reply(BODY, content_type="application/octet-stream")] * 3)
        sizes = anyio.run(run, server)
        with client(package, server) as media, \
                files.download_file_content_stream(media, file_id="f") as body:
            assert body.read() == BODY
    assert sizes == [1 << 20] * 5
    assert (tmp_path / "async.bin").read_bytes() == BODY


def test_closing_early_gives_the_connection_back(package: Any) -> None:
    # One connection, and a second's wait for it: a stream that kept it fails the next call.
    options = {"connection_limits": httpx.Limits(max_connections=1),
               "timeout": httpx.Timeout(5.0, pool=1.0)}
    with FaultServer() as server:
        server.script(body_reply(HUGE, content_type="application/octet-stream"),
                      body_reply(b"small", content_type="application/octet-stream"))
        with client(package, server, **options) as media:
            with media.files.with_streaming_response.download_content(file_id="f") as body:
                assert len(next(iter(body))) < len(HUGE)
            assert media.files.download_content(file_id="f") == b"small"
        assert server.wait_client_gone(5.0)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_error_status_raises_typed_instead_of_a_stream(package: Any, mode: str) -> None:
    with FaultServer() as server:
        server.script(json_reply(error_body(404, "no such file"), status=404))
        if mode == "sync":
            with client(package, server) as media, \
                    pytest.raises(package.NotFoundError, match="no such file"):
                media.files.with_streaming_response.download_content(file_id="f")
        else:
            async def run() -> None:
                async with package.AsyncMedia(api_key="k", base_url=server.url) as media:
                    await media.files.with_streaming_response.download_content(file_id="f")

            with pytest.raises(package.NotFoundError, match="no such file"):
                anyio.run(run)


def test_code_using_them_passes_mypy_strict_and_pyright_strict(package: Any) -> None:
    root: Path = package.root
    (root / "use.py").write_text(USE, encoding="utf-8")
    result = mypy_strict(root, "media_client", "use.py")
    assert result.returncode == 0, result.stdout + result.stderr
    (root / "pyrightconfig.json").write_text(json.dumps(
        {"typeCheckingMode": "strict", "pythonVersion": "3.11", "executionEnvironments": [
            {"root": "media_client", "reportPrivateUsage": False,
             "reportUnusedFunction": False, "reportUnnecessaryComparison": False},
            {"root": "."}]}))
    run = subprocess.run([str(PYRIGHT), "--outputjson", "--pythonpath", sys.executable,
                          "use.py", "media_client"],
                         cwd=root, capture_output=True, text=True, check=False)
    errors = [d for d in json.loads(run.stdout)["generalDiagnostics"] if d["severity"] == "error"]
    assert errors == [], textwrap.shorten(json.dumps(errors), 2000)
