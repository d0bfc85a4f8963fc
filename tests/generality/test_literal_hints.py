"""Constants become `Literal[...]` annotations only where mypy accepts them: it refuses integers
outside the signed 64-bit range (found by the property test in test_hostile_properties.py), so
those are annotated `int`, and the value still round-trips exactly."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.generality.support import assert_mypy_strict, generated_models

HUGE = -1725142808291675387985920
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Consts", "version": "1",
             "x-client": {"package": "consts_client", "class-name": "Consts"}},
    "paths": {"/c": {"get": {
        "operationId": "getConsts",
        "parameters": [{"name": "pick", "in": "query",
                        "schema": {"oneOf": [{"const": HUGE}, {"type": "string"}]}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Consts"}}}}}}}},
    "components": {"schemas": {
        "Consts": {"type": "object", "properties": {
            "huge": {"const": HUGE},
            "edge": {"const": 2**63 - 1},
            "past_edge": {"const": 2**63},
            "small": {"const": -3},
            "word": {"const": "x"},
            "ratio": {"const": 0.5},
        }},
    }},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ModuleType]:
    root = tmp_path_factory.mktemp("consts")
    return root, generated_models(DOCUMENT, root)


def test_the_package_passes_mypy_strict(package: tuple[Path, ModuleType]) -> None:
    assert_mypy_strict(*package)


@pytest.mark.parametrize(("field", "annotation"), [
    ("huge", "int"),
    ("edge", f"Literal[{2**63 - 1}]"),
    ("past_edge", "int"),
    ("small", "Literal[-3]"),
    ("word", "Literal['x']"),
    ("ratio", "float | None"),
])
def test_annotations(package: tuple[Path, ModuleType], field: str, annotation: str) -> None:
    _, models = package
    assert models.Consts.__annotations__[field] == annotation


def test_huge_constants_round_trip(package: tuple[Path, ModuleType]) -> None:
    _, models = package
    decoded = models.Consts.from_json({"huge": HUGE, "past_edge": 2**63})
    assert (decoded.huge, decoded.past_edge) == (HUGE, 2**63)
    encoded = decoded.to_json()
    assert (encoded["huge"], encoded["past_edge"]) == (HUGE, 2**63)
