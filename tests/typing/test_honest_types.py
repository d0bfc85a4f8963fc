"""The client's types say what recorded live bodies hold (README, "Numbers and missing fields"),
on the client of the frozen seed pages the bodies belong to (tests/support/seed_package.py),
whatever pages spec/docs/ holds now.

Every recorded body (the hand-written live-API bodies in `tests/fixtures/live/` and the real
traffic in `../shared/real-traffic/`) is decoded through the generated models, and every field of
every object decoded is compared with its annotation:
- a field that reads None is annotated `... | None` (or `Any`): the docs call some fields required
  that the live API omits or nulls, and the overlays must say so;
- a field annotated `int` holds an `int` (the overlay `45-integers.yaml` types counts, indexes and
  timestamps `int`; a float there would make the annotation a lie).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openrouter_codegen.client.render.expressions import union_parts
from tests.support.seed_package import seed_package
from tests.support.shared_data import shared_file

m = importlib.import_module(f"{seed_package().__name__}.models")

LIVE = Path(__file__).resolve().parents[1] / "fixtures" / "live"
DECODERS = {
    "models_list.json": "ModelsListResponse",
    "key_current.json": "CurrentKey",
    "api_key.json": "Key",
    "endpoints_list.json": "EndpointList",
    "chat_completion.json": "ChatResponse",
    "chat_completion_unknown_content.json": "ChatResponse",
}


def _fields(obj: object, where: str) -> Iterator[tuple[str, str, object]]:
    """(`Class.field`, its annotation, its value) for every model object inside `obj`."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if f.name != "extra":
                yield f"{where}: {type(obj).__name__}.{f.name}", str(f.type), value
            yield from _fields(value, where)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _fields(item, where)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _fields(item, where)


def _lies(decoded: object, where: str) -> list[str]:
    found = []
    for name, hint, value in _fields(decoded, where):
        parts = union_parts(hint)
        if value is None and not {"None", "Any"} & set(parts):
            found.append(f"{name}: {hint} holds None")
        if "int" in parts and "float" not in parts and value is not None and (
                type(value) is not int):
            found.append(f"{name}: {hint} holds {value!r}")
    return found


def _recorded() -> Iterator[tuple[str, object]]:
    for file, decoder in DECODERS.items():
        body = json.loads((LIVE / file).read_text(encoding="utf-8"))
        yield file, getattr(m, decoder).from_json(body)


def test_live_bodies_fit_their_annotations() -> None:
    decoded = list(_recorded())
    assert len(decoded) == len(DECODERS)
    assert [lie for file, obj in decoded for lie in _lies(obj, file)] == []
    typed_int = [name for file, obj in decoded for name, hint, value in _fields(obj, file)
                 if "int" in union_parts(hint) and value is not None]
    assert len(typed_int) > 10  # token counts, created, context_length, ... were there to check


def test_real_traffic_fits_its_annotations() -> None:
    manifest: list[dict[str, Any]] = json.loads(
        shared_file("real-traffic", "manifest.json").read_text(encoding="utf-8"))
    lies: list[str] = []
    checked = 0
    for entry in manifest:
        if entry["status"] != 200 or entry["endpoint"] != "POST /chat/completions":
            continue
        raw = shared_file("real-traffic", "bodies", entry["file"]).read_text(encoding="utf-8")
        if entry["stream"]:
            events = [json.loads(line[5:]) for line in raw.splitlines()
                      if line.startswith("data:") and line[5:].strip() != "[DONE]"]
            # An error event is a chunk too (HTTP 200), with its own usage.
            objects: list[object] = [m.ChatStreamingChunk.from_json(e) for e in events]
        else:
            body = json.loads(raw)
            objects = [] if "error" in body else [m.ChatResponse.from_json(body)]
        for obj in objects:
            lies += _lies(obj, entry["file"])
            checked += 1
    assert checked > 50
    assert lies == []


@pytest.mark.parametrize("value", [7, 7.0, 7.5])
def test_an_integer_field_keeps_the_value_it_was_sent(value: float) -> None:
    # The type says int; the decoder never coerces: what the server sent is what the user reads.
    usage = m.ChatGenerationTokenUsage.from_json(
        {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": value})
    assert usage.total_tokens == value and type(usage.total_tokens) is type(value)
    assert usage.to_json()["total_tokens"] is value
