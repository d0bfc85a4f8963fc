"""Enum items that are not strings: a `null` item (OpenAPI 3.1's way to say "or null" in an enum
without a `type`) is not a member, and booleans and numbers are members of their own JSON class,
never their Python text ("None", "True")."""

from __future__ import annotations

import typing
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.generality.support import assert_mypy_strict, generated_models

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Items", "version": "1",
             "x-client": {"package": "items_client", "class-name": "Items"}},
    "paths": {"/h": {"get": {"operationId": "getHolder", "responses": {"200": {
        "description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Holder"}}}}}}}},
    "components": {"schemas": {
        "Holder": {"type": "object", "required": ["must", "inline", "flag"], "properties": {
            "maybe": {"$ref": "#/components/schemas/Maybe"},
            "must": {"$ref": "#/components/schemas/Maybe"},
            "inline": {"enum": [1, None]},
            "flag": {"$ref": "#/components/schemas/Flag"},
        }},
        "Maybe": {"enum": ["n", None, "None"]},
        "Flag": {"enum": [True, "auto", 1.5]},
    }},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ModuleType]:
    root = tmp_path_factory.mktemp("items")
    return root, generated_models(DOCUMENT, root)


def test_the_package_passes_mypy_strict(package: tuple[Path, ModuleType]) -> None:
    assert_mypy_strict(*package)


def test_a_null_item_is_not_a_member(package: tuple[Path, ModuleType]) -> None:
    _, models = package
    # __members__ lists aliases too: the null item used to be a second member valued "None".
    assert [m.value for m in models.Maybe.__members__.values()] == ["n", "None"]
    assert models.Holder.from_json({"maybe": None}).maybe is None
    assert models.Holder.from_json({"maybe": "None"}).maybe is models.Maybe("None")


@pytest.mark.parametrize("sent", [True, "auto", 1.5])
def test_members_keep_their_json_class(package: tuple[Path, ModuleType], sent: Any) -> None:
    _, models = package
    value = models.Holder.from_json({"flag": sent}).flag
    assert isinstance(value, Enum) and type(value.value) is type(sent) and value.value == sent
    assert models.Holder.from_json({"flag": sent}).to_json()["flag"] == sent


@pytest.mark.parametrize("sent", [False, "True", 2])
def test_other_values_are_kept_as_sent(package: tuple[Path, ModuleType], sent: Any) -> None:
    _, models = package
    value = models.Holder.from_json({"flag": sent}).flag
    assert type(value) is type(sent) and value == sent


def test_a_null_item_makes_the_value_nullable_where_the_enum_is_used(
        package: tuple[Path, ModuleType]) -> None:
    _, models = package
    hints = typing.get_type_hints(models.Holder)
    # Required fields: only the null item says they may be null (mypy would otherwise call
    # `holder.must is None` unreachable, while the server's null comes through as None).
    assert type(None) in typing.get_args(hints["must"])
    assert type(None) in typing.get_args(hints["inline"])
    assert type(None) not in typing.get_args(hints["flag"])
    holder = models.Holder.from_json({"must": None, "inline": None, "flag": None})
    assert (holder.must, holder.inline) == (None, None)
    assert holder.to_json() == {"must": None, "inline": None, "flag": None}
