"""A union's branches are picked by the JSON class of the value: an enum of integers inside a union
with a string (found by the property test in test_hostile_properties.py) is looked up for integers,
not for strings, and the package passes `mypy --strict`. Two enums of strings in one union are
both looked up. A discriminator whose property is no Python name (`_shape`, the field
`field_shape`) is read by its JSON name (OpenRouter's published `FileResponse`)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.generality.support import assert_mypy_strict, generated_models

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Unions", "version": "1",
             "x-client": {"package": "unions_client", "class-name": "Unions"}},
    "paths": {"/h": {"get": {"operationId": "getHolder", "responses": {"200": {
        "description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Holder"}}}}}}}},
    "components": {"schemas": {
        "Holder": {"type": "object", "properties": {
            "value": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Level"},
                                {"$ref": "#/components/schemas/Box"}]},
            "mixed": {"oneOf": [{"type": "boolean"}, {"$ref": "#/components/schemas/Mixed"}]},
            "blend": {"oneOf": [{"$ref": "#/components/schemas/Mixed"},
                                {"$ref": "#/components/schemas/Colour"}]},
            "pair": {"oneOf": [{"$ref": "#/components/schemas/Colour"},
                               {"$ref": "#/components/schemas/Shape"}, {"type": "string"}]},
            "file": {"$ref": "#/components/schemas/AnyFile"},
        }},
        "AnyFile": {"oneOf": [{"$ref": "#/components/schemas/OwnFile"},
                              {"$ref": "#/components/schemas/OtherFile"}],
                    "discriminator": {"propertyName": "_shape", "mapping": {
                        "own": "#/components/schemas/OwnFile",
                        "other": "#/components/schemas/OtherFile"}}},
        "OwnFile": {"type": "object", "required": ["_shape"], "properties": {
            "_shape": {"type": "string", "enum": ["own"]}, "id": {"type": "string"}}},
        "OtherFile": {"type": "object", "required": ["_shape"], "properties": {
            "_shape": {"type": "string", "enum": ["other"]}, "name": {"type": "string"}}},
        "Colour": {"type": "string", "enum": ["red", "round"]},
        "Shape": {"type": "string", "enum": ["square", "round"]},
        "Level": {"type": "integer", "enum": [1, 2]},
        "Mixed": {"enum": ["low", 3]},
        "Box": {"type": "object", "properties": {"a": {"type": "string"}}},
    }},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ModuleType]:
    root = tmp_path_factory.mktemp("unions")
    return root, generated_models(DOCUMENT, root)


def test_the_package_passes_mypy_strict(package: tuple[Path, ModuleType]) -> None:
    assert_mypy_strict(*package)


@pytest.mark.parametrize(("sent", "kind", "expected"), [
    (1, "Level", 1),  # a known integer becomes the enum member
    (3, "int", 3),  # an unknown integer is kept as sent
    ("1", "str", "1"),  # a string is never looked up in an integer enum
    ({"a": "b"}, "Box", None),
])
def test_integer_enum_branch_is_chosen_for_integers(package: tuple[Path, ModuleType], sent: Any,
                                                    kind: str, expected: Any) -> None:
    _, models = package
    value = models.Holder.from_json({"value": sent}).value
    if kind == "Box":
        assert isinstance(value, models.Box) and value.a == "b"
        return
    wanted = getattr(models, kind) if kind == "Level" else {"int": int, "str": str}[kind]
    assert type(value) is wanted and value == expected


def test_an_enum_with_members_of_two_classes_takes_both(package: tuple[Path, ModuleType]) -> None:
    _, models = package
    assert isinstance(models.Holder.from_json({"mixed": "low"}).mixed, models.Mixed)
    assert isinstance(models.Holder.from_json({"mixed": 3}).mixed, models.Mixed)
    assert models.Holder.from_json({"mixed": True}).mixed is True


@pytest.mark.parametrize(("sent", "kind"), [
    ("red", "Colour"),
    ("square", "Shape"),  # the second enum's value: not left a plain string by the first's miss
    ("round", "Colour"),  # in both: the first listed wins
    ("oval", "str"),  # in neither: kept as sent
])
def test_two_string_enums_in_one_union_are_both_looked_up(package: tuple[Path, ModuleType],
                                                          sent: str, kind: str) -> None:
    _, models = package
    value = models.Holder.from_json({"pair": sent}).pair
    assert type(value) is (str if kind == "str" else getattr(models, kind)) and value == sent


@pytest.mark.parametrize(("sent", "kind"), [
    ("low", "Mixed"), (3, "Mixed"),
    ("red", "Colour"),  # a string enum after one of strings and integers: still looked up
    ("oval", "str"), (4, "int"),
])
def test_an_enum_of_two_classes_does_not_hide_a_later_string_enum(
        package: tuple[Path, ModuleType], sent: str | int, kind: str) -> None:
    _, models = package
    value = models.Holder.from_json({"blend": sent}).blend
    assert type(value) is {"str": str, "int": int}.get(kind, getattr(models, kind, None))
    assert (value.value if isinstance(value, Enum) else value) == sent  # Mixed is a plain Enum


@pytest.mark.parametrize(("sent", "kind"), [
    ({"_shape": "own", "id": "f1"}, "OwnFile"),
    ({"_shape": "other", "name": "n"}, "OtherFile"),
    ({"_shape": "new", "id": "f2"}, "dict"),  # an unknown tag stays the mapping
])
def test_a_tag_that_is_no_python_name_is_read_by_its_json_name(
        package: tuple[Path, ModuleType], sent: dict[str, str], kind: str) -> None:
    _, models = package
    value = models.Holder.from_json({"file": sent}).file
    assert type(value).__name__ == kind
    assert (value if isinstance(value, dict) else value.to_json()) == sent
