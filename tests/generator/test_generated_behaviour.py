"""The code rendered from a small spec behaves as promised: open enums, tagged unions, extras, omission."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

from openrouter_codegen.client.client_build import build_client

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "snapshot" / "spec.yaml"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    build = build_client(yaml.safe_load(SPEC.read_text()))
    for rel, text in build.files.items():
        path = root / build.package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture(scope="module")
def models(package: Path) -> ModuleType:
    sys.path.insert(0, str(package))
    try:
        return importlib.import_module("snapshot_client.models")
    finally:
        sys.path.remove(str(package))


def test_generated_package_passes_mypy_strict(package: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "snapshot_client"],
                            cwd=package, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_decode_keeps_unknowns_and_reencodes_them(models: ModuleType) -> None:
    body: dict[str, Any] = {
        "name": "Rex", "species": "axolotl", "class": None, "new_key": {"a": 1},
        "toys": [{"kind": "ball", "size": 3, "colour": "red"}, {"kind": "kite", "wind": 5},
                 {"kind": "rope", "length": 2}, "not-an-object"],
    }
    pet = models.Pet.from_json(body)
    assert pet.name == "Rex"
    assert pet.species == "axolotl" and not isinstance(pet.species, models.Species)
    assert pet.class_ is None
    assert pet.extra == {"new_key": {"a": 1}}
    ball, kite, rope, odd = pet.toys
    assert isinstance(ball, models.Ball) and ball.size == 3 and ball.extra == {"colour": "red"}
    assert kite == {"kind": "kite", "wind": 5}  # unknown tag: kept as the plain mapping
    assert isinstance(rope, models.Rope) and rope.length == 2
    assert odd == "not-an-object"  # one odd item does not fail the list
    again = pet.to_json()
    assert again["new_key"] == {"a": 1} and again["toys"][0]["colour"] == "red"
    assert again["toys"][1] == {"kind": "kite", "wind": 5}


def test_known_enum_value_is_a_member_equal_to_its_string(models: ModuleType) -> None:
    pet = models.Pet.from_json({"name": "a", "species": "Hyperbolic 2"})
    assert pet.species is models.Species.HYPERBOLIC_2 and pet.species == "Hyperbolic 2"


def test_missing_required_fields_read_as_none(models: ModuleType) -> None:
    pet = models.Pet.from_json({})
    assert pet.name is None and pet.species is None and pet.toys is None


def test_unset_optional_fields_are_not_sent(models: ModuleType) -> None:
    pet = models.Pet(name="a", species=models.Species.CAT)
    assert pet.to_json() == {"name": "a", "species": "cat"}
    assert models.Rope().to_json() == {"kind": "rope"}  # const tags have their value by default


def test_endpoint_sends_path_query_and_body(package: Path) -> None:
    sys.path.insert(0, str(package))
    try:
        client_module = importlib.import_module("snapshot_client")
    finally:
        sys.path.remove(str(package))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"name": "b", "species": "dog", "extra_key": 1})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with client_module.Snapshot(api_key="k", base_url="http://test/v1", http_client=http) as client:
        pet = client.pets.update(pet_id="a/b c", dry_run=True, name="b",
                                 species="dog", toys=[{"kind": "ball"}])
    request = seen[0]
    assert request.method == "PATCH"
    assert request.url.raw_path == b"/v1/pets/a%2Fb%20c?dry_run=true"
    assert request.read() == b'{"name":"b","species":"dog","toys":[{"kind":"ball"}]}'
    assert pet.species == "dog" and pet.extra == {"extra_key": 1}
