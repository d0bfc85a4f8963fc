"""Shared pieces of the runtime tests: the test context, the key, and the sync/async driver."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import anyio
import pytest

from openrouter_codegen.client.render.runtime import RuntimeContext, render_runtime
from tests.support.fault_server import FaultServer

PACKAGE = "rt_under_test"
SECRET = "sk-or-v1-0123456789abcdefSECRETKEY9876543210"
TEST_CONTEXT = RuntimeContext(
    package=PACKAGE,
    client_name="OpenRouter",
    api_key_env="RT_UNDER_TEST_API_KEY",
    log_env="RT_UNDER_TEST_LOG",
    default_base_url="https://openrouter.ai/api/v1",
    attribution_headers=(("http_referer", "HTTP-Referer"), ("x_title", "X-Title")),
    version="9.9.9-test",
)
MODULES = ("_types", "_constants", "_exceptions", "_logs", "_retries", "_json", "_response",
           "_streaming", "_binary", "_accumulate", "_base_client")


def write_package(root: Path, ctx: RuntimeContext) -> Path:
    """Render the runtime for `ctx` into ROOT/<package>/ with an empty __init__ and py.typed."""
    package_dir = root / ctx.package
    package_dir.mkdir(parents=True)
    for name, source in render_runtime(ctx).items():
        (package_dir / name).write_text(source, encoding="utf-8")
    (package_dir / "__init__.py").write_text('"""Runtime under test."""\n', encoding="utf-8")
    (package_dir / "py.typed").write_text("", encoding="utf-8")
    return package_dir


def assert_no_secret(caplog: pytest.LogCaptureFixture, *errors: BaseException) -> None:
    """The key is in no exception text (chained causes included) and no captured log line."""
    for error in errors:
        assert SECRET not in str(error)
        assert SECRET not in repr(error)
        assert SECRET not in "".join(traceback.format_exception(error))
    records = [r for phase in ("setup", "call") for r in caplog.get_records(phase)]
    assert SECRET not in caplog.text
    for record in records:
        assert SECRET not in record.getMessage()


def identity(value: Any) -> Any:
    """A decoder that keeps the JSON value."""
    return value


@dataclass
class StreamOutcome:
    """What iterating a stream gave: the chunks delivered, then the error (if any)."""

    chunks: list[Any]
    error: BaseException | None


@dataclass
class Driver:
    """Runs one call through the sync or the async client, with fast retries by default."""

    mode: str
    rt: SimpleNamespace
    server: FaultServer
    errors: list[BaseException] = field(default_factory=list)  # every error a call raised

    def client_kwargs(self, overrides: dict[str, Any]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "api_key": SECRET,
            "base_url": self.server.url,
            "timeout": 5.0,
            "retry_policy": self.rt.retries.RetryPolicy(initial_delay=0.001, max_delay=0.004),
        }
        kwargs.update(overrides)
        return kwargs

    def options(self, method: str = "GET", path: str = "/models", **kwargs: Any) -> Any:
        return self.rt.base.RequestOptions(method=method, path=path, **kwargs)

    def call(self, options: Any, decode: Callable[[Any], Any] = identity, *,
             raw: bool = False, **client: Any) -> Any:
        """`request` (or `request_raw`) on a fresh client; returns the result or raises."""
        kwargs = self.client_kwargs(client)

        async def run() -> Any:
            async with self.rt.base.AsyncAPIClient(**kwargs) as async_client:
                method = async_client.request_raw if raw else async_client.request
                return await method(options, decode)

        try:
            if self.mode == "sync":
                with self.rt.base.SyncAPIClient(**kwargs) as sync_client:
                    method = sync_client.request_raw if raw else sync_client.request
                    return method(options, decode)
            return anyio.run(run)
        except Exception as error:
            self.errors.append(error)
            raise

    def stream(self, options: Any, decode: Callable[[Any], Any] = identity, *,
               take: int | None = None, **client: Any) -> StreamOutcome:
        """Iterate `request_stream` (closing after `take` chunks); errors are returned."""
        kwargs = self.client_kwargs(client)
        chunks: list[Any] = []
        if self.mode == "sync":
            try:
                with (
                    self.rt.base.SyncAPIClient(**kwargs) as sync_client,
                    sync_client.request_stream(options, decode) as stream,
                ):
                    for chunk in stream:
                        chunks.append(chunk)
                        if take is not None and len(chunks) >= take:
                            break
            except Exception as error:  # noqa: BLE001 - the outcome under test
                self.errors.append(error)
                return StreamOutcome(chunks, error)
            return StreamOutcome(chunks, None)

        async def run() -> StreamOutcome:
            try:
                async with self.rt.base.AsyncAPIClient(**kwargs) as async_client:
                    stream = await async_client.request_stream(options, decode)
                    async with stream:
                        async for chunk in stream:
                            chunks.append(chunk)
                            if take is not None and len(chunks) >= take:
                                break
            except Exception as error:  # noqa: BLE001 - the outcome under test
                self.errors.append(error)
                return StreamOutcome(chunks, error)
            return StreamOutcome(chunks, None)

        return anyio.run(run)


