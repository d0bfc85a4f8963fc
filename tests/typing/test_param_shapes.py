"""Request TypedDicts of shapes the OpenRouter pages do not have: keys that are no identifiers or
would shadow a name (the functional syntax), a union that contains itself, an object without
properties, a nullable tag union. The generated `types` module imports and means at run time
what it says, and both checkers read it the same way (mistakes flagged line by line)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.generality.support import import_module, write_package
from tests.typing.test_request_dicts import MARK, PYRIGHT, marked_lines

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shapes", "version": "1", "x-client": {"package": "shapes_client"}},
    "paths": {"/things": {"post": {
        "operationId": "createThing",
        "tags": ["things"],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["odd"],
            "properties": {
                "odd": {"$ref": "#/components/schemas/Odd"},
                "tree": {"$ref": "#/components/schemas/Tree"},
                "labels": {"type": "array", "items": {"type": "string"}},
                "anything": {"type": "object"},
                "pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"},
                                  {"$ref": "#/components/schemas/Dog"}, {"type": "null"}]},
            }}}}},
        "responses": {"204": {"description": "done"}},
    }}},
    "components": {"schemas": {
        "Odd": {"type": "object", "required": ["from", "x-id"], "properties": {
            "from": {"type": "string"},
            "x-id": {"type": "integer"},
            "__secret": {"type": "string"},
            "str": {"type": "boolean"},
            "Required": {"type": "number"},
            "mode": {"type": "string", "enum": ["fast", "slow"]},
            "inner": {"$ref": "#/components/schemas/Inner"},
        }},
        "Inner": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}},
        "Tree": {"oneOf": [{"type": "string"},
                           {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}]},
        "Cat": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "const": "cat"}, "lives": {"type": "integer"}}},
        "Dog": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "const": "dog"}, "good": {"type": "boolean"}}},
    }},
}

USE = '''\
from __future__ import annotations

from shapes_client import Shapes
from shapes_client.types import OddParam


def use(client: Shapes) -> None:
    client.things.create(odd={"from": "a", "x-id": 1, "__secret": "s", "str": True, "Required": 1.5, "mode": "fast", "inner": {"n": 2}})
    client.things.create(odd={"from": "a", "x-id": 1}, tree=["a", ["b", ["c"]]], labels=["x"], anything={"k": [1]}, pet={"kind": "cat", "lives": 9})
    client.things.create(odd={"from": "a", "x-id": 1}, pet=None)
    client.things.create(odd={"from": "a", "x_id": 1})  # expect-error
    client.things.create(odd={"from": "a", "x-id": "1"})  # expect-error
    client.things.create(odd={"x-id": 1})  # expect-error
    client.things.create(odd={"from": "a", "x-id": 1, "str": "yes"})  # expect-error
    client.things.create(odd={"from": "a", "x-id": 1, "inner": {}})  # expect-error
    client.things.create(odd={"from": "a", "x-id": 1}, tree=5)  # expect-error
    client.things.create(odd={"from": "a", "x-id": 1}, labels="x")  # expect-error
    client.things.create(odd={"from": "a", "x-id": 1}, pet={"kind": "cow"})  # expect-error
    client.things.create(odd={"from": "a", "x-id": 1}, pet={"kind": "dog", "lives": 9})  # expect-error


ODD: OddParam = {"from": "a", "x-id": 1, "Required": "x"}  # expect-error
'''


@pytest.fixture(scope="module")
def package_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shapes")
    write_package(DOCUMENT, root)
    (root / "use.py").write_text(USE, encoding="utf-8")
    return root


def test_types_module_reads_at_run_time_as_written(package_root: Path) -> None:
    types = import_module(package_root, "shapes_client.types")
    assert types.OddParam.__required_keys__ == {"from", "x-id"}
    assert types.OddParam.__optional_keys__ == {"__secret", "str", "Required", "mode", "inner"}
    # Class-syntax annotations stay strings at run time (`from __future__ import annotations`,
    # as in the openai SDK's types): the keys are there, their requiredness is for checkers.
    assert set(types.InnerParam.__annotations__) == {"n"}
    source = (package_root / "shapes_client" / "types" / "__init__.py").read_text()
    assert 'OddParam = TypedDict(\n    "OddParam",' in source  # keys that are no attributes
    assert "class InnerParam(TypedDict, total=False):" in source
    assert "TreeParam: TypeAlias = " in source


def test_client_never_imports_the_types(package_root: Path) -> None:
    code = ("import sys; import shapes_client; from shapes_client import Shapes; "
            "import shapes_client.api.things; "
            "print([m for m in sys.modules if m.startswith('shapes_client.types')])")
    run = subprocess.run([sys.executable, "-c", code], cwd=package_root, capture_output=True,
                         text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_mypy_flags_the_marked_lines(package_root: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                          "--cache-dir", "/dev/null", "shapes_client", "use.py"],
                         cwd=package_root, capture_output=True, text=True, check=False)
    errors = {(line.split(":")[0], int(line.split(":")[1])) for line in run.stdout.splitlines()
              if ": error: " in line}
    assert errors == {("use.py", n) for n in marked_lines(package_root / "use.py")}, run.stdout


def test_pyright_flags_the_marked_lines(package_root: Path) -> None:
    (package_root / "pyrightconfig.json").write_text(json.dumps(
        {"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    run = subprocess.run([str(PYRIGHT), "--outputjson", "--pythonpath", sys.executable,
                          "use.py", "shapes_client/types"],
                         cwd=package_root, capture_output=True, text=True, check=False)
    found = {(Path(d["file"]).name, d["range"]["start"]["line"] + 1)
             for d in json.loads(run.stdout)["generalDiagnostics"] if d["severity"] == "error"}
    assert found == {("use.py", n) for n in marked_lines(package_root / "use.py")}, run.stdout
    assert MARK in USE
