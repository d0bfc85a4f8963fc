"""The committed package documents what a user calls: every parameter of every endpoint method and
function in its `Args:`, every option of the client constructors, and every model class with
more than its own name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import openrouter_client
from openrouter_client import api, models

from tests.support.seed_package import seed_package


def _endpoints() -> Iterator[tuple[str, Callable[..., Any]]]:
    for info in pkgutil.iter_modules(api.__path__):
        module = importlib.import_module(f"{api.__name__}.{info.name}")
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isclass(value):
                for attr, member in vars(value).items():
                    if inspect.isfunction(member) and not attr.startswith("_"):
                        yield f"{info.name}.{name}.{attr}", member
            else:
                yield f"{info.name}.{name}", value


def _documented(doc: str) -> set[str]:
    """The names the `Args:` section of a (dedented) docstring documents: its lines indented
    once (continuation lines are indented twice)."""
    if "Args:" not in doc:
        return set()
    section = doc.split("Args:", 1)[1].split("\n\n", 1)[0]
    return {line.strip().split(" (", 1)[0] for line in section.splitlines()
            if line.startswith(" " * 4) and not line.startswith(" " * 5) and " (" in line}


# Twins of an endpoint (the raw answer; a file answer read as it arrives) point at its docstring.
TWINS = ("_raw", "_raw_async", "_stream", "_stream_async")


def test_every_endpoint_parameter_is_documented() -> None:
    seen = 0
    for where, function in _endpoints():
        doc = inspect.getdoc(function) or ""
        params = set(inspect.signature(function).parameters) - {"self"}
        if where.endswith(TWINS) and doc.startswith("Like `") and "Args:" not in doc:
            continue  # `get_models_raw`: "Like `get_models`, ..." points at the documented one
        documented = _documented(doc)
        assert params <= documented, (where, sorted(params - documented))
        seen += 1
    assert seen > 50


def test_spec_descriptions_and_defaults_reach_the_docstring() -> None:
    # On the package of the frozen seed pages, whose descriptions these are (spec/docs/ may
    # change).
    doc = inspect.getdoc(seed_package().OpenRouter(api_key="k").chat.send) or ""
    assert "temperature (float | None, optional): Server default: `1`." in doc
    assert "session_id (str, optional): A unique identifier for grouping related requests" in doc
    assert "Returns:\n    `ChatResponse`; with `stream=True` a stream of `ChatStreamingChunk`." in doc


def test_client_constructors_document_every_option() -> None:
    for client in (openrouter_client.OpenRouter, openrouter_client.AsyncOpenRouter):
        doc = inspect.getdoc(client.__init__) or ""
        params = set(inspect.signature(client.__init__).parameters) - {"self"}
        assert params == _documented(doc), client.__name__


def test_no_model_docstring_only_repeats_its_name() -> None:
    names = [name for name in models.__all__ if inspect.isclass(getattr(models, name))]
    assert len(names) > 100
    bare = [name for name in names if (inspect.getdoc(getattr(models, name)) or "") == name]
    assert bare == []
