"""Enum items that are not strings: a `null` item (OpenAPI 3.1's way to say "or null" in an enum
without a `type`) is not a member, and booleans and numbers are members of their own JSON class,
never their Python text ("None", "True"). Python equates `true`, `1` and `1.0`; JSON does not, so
a value is only ever matched with members of its own JSON class. Object and array items are no
members either (they became strings, "{'a': 1}"), but the values they allow are typed."""

from __future__ import annotations

import json
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
    "paths": {"/h": {"get": {"operationId": "getHolder", "parameters": [
        {"name": "shape", "in": "query", "schema": {"$ref": "#/components/schemas/Shapes"}},
        {"name": "shape_or_null", "in": "query", "schema": {
            "anyOf": [{"$ref": "#/components/schemas/Shapes"}, {"type": "null"}]}}],
        "responses": {"200": {
        "description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Holder"}}}}}}}},
    "components": {"schemas": {
        "Holder": {"type": "object", "required": ["must", "inline", "flag"], "properties": {
            "maybe": {"$ref": "#/components/schemas/Maybe"},
            "must": {"$ref": "#/components/schemas/Maybe"},
            "inline": {"enum": [1, None]},
            "flag": {"$ref": "#/components/schemas/Flag"},
            "mixed": {"$ref": "#/components/schemas/Mixed"},
            "knob": {"$ref": "#/components/schemas/Knob"},
            "either": {"oneOf": [{"$ref": "#/components/schemas/Knob"},
                                 {"$ref": "#/components/schemas/Flag"}]},
            "shapes": {"type": "array", "items": {"$ref": "#/components/schemas/Shapes"}},
            "hollow": {"$ref": "#/components/schemas/Hollow"},
            "hollow_or_flag": {"oneOf": [{"$ref": "#/components/schemas/Hollow"},
                                         {"$ref": "#/components/schemas/Flag"}]},
        }},
        "Maybe": {"enum": ["n", None, "None"]},
        "Flag": {"enum": [True, "auto", 1.5]},
        # Python's `==` (and so Enum's aliasing and a dict's keys) equates true with 1 and 1 with
        # 1.0, which JSON tells apart.
        "Mixed": {"enum": [1, True, 0, False, 1.0, "1", 2.5]},
        "Knob": {"enum": [True, 2]},
        "Shapes": {"enum": [{"a": 1}, [1, 2], "x", None]},
        # No scalar item, so no member: the decoder used to look strings up in its (empty) string
        # table although the field's annotation names no str, which mypy refused.
        "Hollow": {"enum": [[], {"k": 1}]},
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


def test_items_equal_in_python_to_an_earlier_one_are_no_members(
        package: tuple[Path, ModuleType]) -> None:
    _, models = package
    assert [m.value for m in models.Mixed.__members__.values()] == [1, 0, "1", 2.5]


@pytest.mark.parametrize(("field", "sent", "member"), [
    ("mixed", 1, "Mixed.INT_1"), ("mixed", "1", "Mixed.FIELD_1"), ("mixed", 2.5, "Mixed.FLOAT_2_5"),
    ("mixed", True, None), ("mixed", False, None), ("mixed", 1.0, None), ("mixed", 0.0, None),
    ("knob", True, "Knob.BOOL_TRUE"), ("knob", 2, "Knob.INT_2"), ("knob", 1, None),
    ("knob", 2.0, None), ("either", True, "Knob.BOOL_TRUE"), ("either", 2, "Knob.INT_2"),
    ("either", 1.5, "Flag.FLOAT_1_5"), ("either", 1, None), ("either", 1.0, None),
])
def test_values_are_looked_up_in_their_own_json_class(
        package: tuple[Path, ModuleType], field: str, sent: Any, member: str | None) -> None:
    _, models = package
    holder = models.Holder.from_json({field: sent})
    value = getattr(holder, field)
    if member is None:
        assert type(value) is type(sent) and value == sent
    else:
        enum, name = member.split(".")
        assert value is getattr(models, enum)[name]
    assert json.loads(json.dumps(holder.to_json()))[field] == sent
    assert type(json.loads(json.dumps(holder.to_json()))[field]) is type(sent)


def test_object_and_array_items_are_no_members_but_their_values_are_typed(
        package: tuple[Path, ModuleType]) -> None:
    _, models = package
    assert [m.value for m in models.Shapes] == ["x"]
    hint = typing.get_type_hints(models.Holder)["shapes"]  # list[...] | None
    (item,) = next(typing.get_args(a) for a in typing.get_args(hint) if a is not type(None))
    assert {typing.get_origin(a) or a for a in typing.get_args(item)} == {
        models.Shapes, str, dict, list, type(None)}
    holder = models.Holder.from_json({"shapes": [{"a": 1}, [1, 2], "x", "[1, 2]", None]})
    assert holder.shapes == [{"a": 1}, [1, 2], models.Shapes.X, "[1, 2]", None]
    assert type(holder.shapes[3]) is str
    # Exactly what was sent: the required fields left out stay out.
    assert holder.to_json() == {"shapes": [{"a": 1}, [1, 2], "x", "[1, 2]", None]}


def test_a_parameter_of_such_an_enum_names_each_class_once(
        package: tuple[Path, ModuleType]) -> None:
    root, models = package
    api = (root / models.__name__.split(".")[0] / "api" / "h.py").read_text(encoding="utf-8")
    annotations = {line.strip() for line in api.splitlines()
                   if line.strip().startswith(("shape: ", "shape_or_null: "))}
    # An argument that may also be null by its schema (`anyOf [Shapes, null]`) says None once.
    assert annotations == {
        "shape: Shapes | str | dict[str, Any] | list[Any] | None | NotGiven = NOT_GIVEN,",
        "shape_or_null: Shapes | str | dict[str, Any] | list[Any] | None | NotGiven = NOT_GIVEN,"}


@pytest.mark.parametrize("sent", [[], {"k": 1}, "x", 3, None])
def test_an_enum_without_scalar_items_keeps_every_value_as_sent(
        package: tuple[Path, ModuleType], sent: Any) -> None:
    _, models = package
    holder = models.Holder.from_json({"hollow": sent, "hollow_or_flag": sent})
    assert holder.hollow == sent and type(holder.hollow) is type(sent)
    assert holder.hollow_or_flag == sent and type(holder.hollow_or_flag) is type(sent)
    assert list(models.Hollow) == []
    hints = typing.get_type_hints(models.Holder)
    assert str(hints["hollow"]).replace("typing.", "") == (
        f"{models.Hollow.__module__}.Hollow | list[Any] | dict[str, Any] | None")
