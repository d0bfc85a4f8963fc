"""Fixtures for the runtime tests: the runtime rendered into a temporary package, a fault
server, and drivers that run the same scenario through the sync and the async client."""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# `tests.support` is imported from the checkout whichever way pytest was started.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.runtime.helpers import (
    MODULES,
    PACKAGE,
    TEST_CONTEXT,
    Driver,
    assert_no_secret,
    write_package,
)
from tests.support.fault_server import FaultServer


@pytest.fixture(scope="session")
def rendered_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory holding the rendered `rt_under_test` package."""
    root = tmp_path_factory.mktemp("runtime")
    write_package(root, TEST_CONTEXT)
    return root


@pytest.fixture(scope="session")
def rt(rendered_dir: Path) -> Iterator[SimpleNamespace]:
    """The rendered runtime's modules, imported: rt.base, rt.exc, rt.streaming, ..."""
    sys.path.insert(0, str(rendered_dir))
    try:
        modules: dict[str, ModuleType] = {
            name: importlib.import_module(f"{PACKAGE}.{name}") for name in MODULES
        }
        yield SimpleNamespace(
            types=modules["_types"],
            constants=modules["_constants"],
            exc=modules["_exceptions"],
            logs=modules["_logs"],
            retries=modules["_retries"],
            response=modules["_response"],
            streaming=modules["_streaming"],
            binary=modules["_binary"],
            accumulate=modules["_accumulate"],
            json=modules["_json"],
            base=modules["_base_client"],
        )
    finally:
        sys.path.remove(str(rendered_dir))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Async tests run on asyncio only."""
    return "asyncio"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    """A fresh fault server for one test."""
    with FaultServer() as fault_server:
        yield fault_server


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every runtime test captures all log output at DEBUG, so secrets in logs are caught."""
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, rt: SimpleNamespace, server: FaultServer,
        debug_logs: pytest.LogCaptureFixture) -> Iterator[Driver]:
    """The scenario runner, once per client flavour. Afterwards, whatever the test asserted,
    the key must be in no error a call raised and in no log line of the test."""
    driver = Driver(request.param, rt, server)
    yield driver
    assert_no_secret(debug_logs, *driver.errors)
