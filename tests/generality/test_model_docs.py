"""A model's docstring is the spec's description, else its title (where the title says more than
the class name), else where the model is used, never the bare class name."""

from __future__ import annotations

import ast
from typing import Any

from openrouter_codegen.client.client_build import build_client

OBJECT: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "string"}}}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shop API", "version": "1",
             "x-client": {"package": "shop_client", "class-name": "Shop"}},
    "paths": {"/pets": {"get": {
        "operationId": "listPets", "tags": ["pets"],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/PetList"}}}}}}}},
    "components": {"schemas": {
        "PetList": {"type": "object", "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}},
        "Pet": {**OBJECT, "title": "A pet in the store", "properties": {
            "owner": {"$ref": "#/components/schemas/Owner"},
            "kind": {"$ref": "#/components/schemas/Kind"}}},
        "Owner": {**OBJECT, "title": "Owner"},
        "Kind": {"type": "string", "enum": ["cat", "dog"], "description": "What the pet is."},
        "Tag": OBJECT,
    }},
}


def _class_docs() -> dict[str, str]:
    docs: dict[str, str] = {}
    for path, source in build_client(DOCUMENT, format_code=False).files.items():
        if path.startswith("models/_"):
            for node in ast.parse(source).body:
                if isinstance(node, ast.ClassDef):
                    docs[node.name] = ast.get_docstring(node) or ""
    return docs


def test_description_then_title_then_use_site() -> None:
    docs = _class_docs()
    assert docs["Kind"] == "What the pet is."
    assert docs["Pet"] == "A pet in the store"
    assert docs["PetList"] == "The answer of `client.pets.list()`."
    assert docs["Owner"] == "The `owner` of a `Pet`."  # its title only repeats the name
    assert docs["Tag"] == "The `Tag` schema of the Shop API."  # used nowhere
