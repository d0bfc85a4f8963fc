"""The renderer: valid, black-stable, mypy --strict output; spec strings cannot inject code."""

from __future__ import annotations

import dataclasses
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from openrouter_codegen.client.render.format import format_python
from openrouter_codegen.client.render.runtime import RuntimeContext, render_runtime
from tests.runtime.helpers import TEST_CONTEXT, write_package

REPO_ROOT = Path(__file__).resolve().parents[2]
EXPECTED_MODULES = {"_accumulate.py", "_base_client.py", "_binary.py", "_constants.py", "_exceptions.py",
                    "_json.py", "_logs.py", "_pagination.py", "_response.py", "_retries.py",
                    "_streaming.py", "_types.py"}

# How the generated package is expected to use the runtime; mypy must accept it as is.
USAGE = '''
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ._accumulate import AccumulatedCompletion, accumulate
from ._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient
from ._binary import AsyncBinaryStream, BinaryStream
from ._exceptions import APIStatusError, OpenRouterError
from ._response import APIResponse
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, NotGiven, Timeout


@dataclass(slots=True)
class Function:
    name: str | None = None
    arguments: str | None = None


@dataclass(slots=True)
class ToolCall:
    index: int
    id: str | None = None
    function: Function | None = None


@dataclass(slots=True)
class Delta:
    content: str | None = None
    reasoning: str | None = None
    tool_calls: list[ToolCall] | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    index: int
    delta: Delta
    finish_reason: str | None = None


@dataclass(slots=True)
class Usage:
    total_tokens: int


@dataclass(slots=True)
class Chunk:
    id: str
    choices: list[Choice] = field(default_factory=list)
    usage: Usage | None = None

    @classmethod
    def from_json(cls, value: Any) -> Chunk:
        return cls(id=value["id"])


class Client(SyncAPIClient):
    def models(self, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> list[str]:
        options = RequestOptions(method="GET", path="/models", timeout=timeout)
        return self.request(options, lambda v: [m["id"] for m in v["data"]])

    def chat_raw(self) -> APIResponse[Chunk]:
        return self.request_raw(RequestOptions("POST", "/chat/completions"), Chunk.from_json)

    def chat_stream(self) -> Stream[Chunk]:
        options = RequestOptions("POST", "/chat/completions", json_body={}, stream=True)
        return self.request_stream(options, Chunk.from_json)


    def video(self) -> BinaryStream:
        options = RequestOptions("GET", "/videos/v1/content", raw_response="bytes")
        return self.request_binary(options)


class AsyncClient(AsyncAPIClient):
    async def chat_stream(self) -> AsyncStream[Chunk]:
        options = RequestOptions("POST", "/chat/completions", json_body={}, stream=True)
        return await self.request_stream(options, Chunk.from_json)

    async def video(self) -> AsyncBinaryStream:
        return await self.request_binary(RequestOptions("GET", "/videos/v1/content"))


def save(client: Client) -> int:
    with client.video() as body:
        head: bytes = next(body.iter_bytes(1024))
        return len(head) + body.write_to("video.mp4")


async def asave(client: AsyncClient) -> bytes:
    async with await client.video() as body:
        return b"".join([chunk async for chunk in body])


def final(client: Client) -> AccumulatedCompletion[Usage]:
    try:
        with client.chat_stream() as stream:
            result = accumulate(stream)
    except APIStatusError as error:
        raise OpenRouterError(error.message) from error
    usage: Usage | None = result.usage
    assert usage is None or usage.total_tokens >= 0
    return result


def chunks(client: Client) -> Iterator[str]:
    for chunk in client.chat_stream():
        yield chunk.id


def decode_chunk(value: dict[str, Any]) -> Chunk:
    return Chunk(id=value["id"])


def recorded(raw: bytes) -> list[Chunk]:
    with Stream.from_bytes(raw, decode_chunk) as stream:
        return list(stream)
'''


def test_renders_every_module(rendered_dir: Path):
    files = render_runtime(TEST_CONTEXT)
    assert set(files) == EXPECTED_MODULES
    for name, source in files.items():
        compile(source, name, "exec")
        assert source.endswith("\n") and not source.endswith("\n\n")


def test_output_is_black_stable():
    """Unchanged by the render stage's own black settings (so the snapshot diff stays clean)."""
    for name, source in render_runtime(TEST_CONTEXT).items():
        assert format_python(source, name) == source, name


def test_output_passes_mypy_strict(tmp_path: Path):
    package = write_package(tmp_path, TEST_CONTEXT)
    (package / "_usage.py").write_text(USAGE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(REPO_ROOT / ".mypy_cache" / "runtime-tests"), package.name],
        check=False, cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "MYPYPATH": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr


HOSTILE = 'x"""\'; import os; os.system("echo pwned") #\\\n\u2028}}{{'


def test_spec_strings_cannot_inject_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    ctx = RuntimeContext(
        package="rt_hostile",
        client_name="Evil",
        api_key_env="KEY" + HOSTILE,
        log_env="LOG" + HOSTILE.replace("\n", " "),
        default_base_url="https://h/" + HOSTILE,
        attribution_headers=(("x_title", "X-Title"),),
        version="1" + HOSTILE,
        base_url_env="URL" + HOSTILE.replace("\n", " ").replace("\u2028", " "),
    )
    with pytest.raises(ValueError, match="unprintable"):
        render_runtime(ctx)
    ctx = dataclasses.replace(ctx, api_key_env="KEY" + HOSTILE.replace("\n", " ")
                              .replace("\u2028", " "),
                              log_env="LOG'''\"\"\"")
    for name, source in render_runtime(ctx).items():
        compile(source, name, "exec")
    write_package(tmp_path, ctx)
    monkeypatch.syspath_prepend(str(tmp_path))
    constants = importlib.import_module("rt_hostile._constants")
    try:
        assert constants.DEFAULT_BASE_URL == ctx.default_base_url
        assert constants.VERSION == ctx.version
        assert constants.API_KEY_ENV == ctx.api_key_env
        assert constants.LOG_ENV == ctx.log_env
        assert constants.BASE_URL_ENV == ctx.base_url_env
        assert importlib.import_module("rt_hostile._exceptions").EvilError
    finally:
        for module in [m for m in sys.modules if m.startswith("rt_hostile")]:
            del sys.modules[module]


@pytest.mark.parametrize("change", [
    {"package": "my-client"},
    {"client_name": "Open Router"},
    {"attribution_headers": (("x-title", "X-Title"),)},
    {"attribution_headers": (("class", "X-Class"),)},
    {"attribution_headers": (("api_key", "X-Key"),)},
    {"attribution_headers": (("a", "X-A"), ("a", "X-B"))},
    {"attribution_headers": (("a", "X A"),)},
    {"attribution_headers": (("a", "X:A"),)},
    {"api_key_env": "A\nB"},
])
def test_invalid_contexts_are_refused(change: dict):
    with pytest.raises(ValueError):
        render_runtime(dataclasses.replace(TEST_CONTEXT, **change))


def test_attribution_keywords_follow_the_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    ctx = dataclasses.replace(TEST_CONTEXT, package="rt_attr", attribution_headers=(
        ("app_url", "HTTP-Referer"), ("app_name", "X-Title"), ("app_tag", "X-App-Tag")))
    write_package(tmp_path, ctx)
    monkeypatch.syspath_prepend(str(tmp_path))
    base = importlib.import_module("rt_attr._base_client")
    try:
        client = base.SyncAPIClient(api_key="k", app_url="u", app_name="n", app_tag="t")
        assert {k: v for k, v in client._headers.items() if k.startswith(("http-", "x-"))} == {
            "http-referer": "u", "x-title": "n", "x-app-tag": "t"}
        client.close()
        with pytest.raises(TypeError):
            base.SyncAPIClient(api_key="k", x_title="n")
    finally:
        for module in [m for m in sys.modules if m.startswith("rt_attr")]:
            del sys.modules[module]
    # Only the client constructors change with the attribution headers.
    source = render_runtime(dataclasses.replace(TEST_CONTEXT, attribution_headers=()))[
        "_base_client.py"]
    assert format_python(source, "_base_client.py") == source
