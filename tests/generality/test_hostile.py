"""Hostile documents (tests/generality/hostile_documents.py) either generate a package that imports and
passes `mypy --strict`, or stop with an error naming the JSON pointer; no spec string becomes code.

Each generated package costs seconds (black, import, mypy), so each hostile axis is one document with
many cases in it; the property-based tests in test_hostile_properties.py cover the space quickly.
"""

from __future__ import annotations

import importlib
import io
import os
import tokenize
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from openrouter_codegen.client.client_build import ClientBuild, build_client
from openrouter_codegen.common.diagnostics import GeneratorError
from openrouter_codegen.common.guard import (
    MAX_ALLOF_DEPTH,
    MAX_NESTING,
    MAX_REF_DEPTH,
    check_document,
)
from tests.generality.hostile_documents import (
    ENUM_VALUES,
    HOSTILE_NAMES,
    chains_document,
    injection_document,
    names_document,
)
from tests.generality.support import import_module, mypy_strict, write_package


def _import_everything(root: Path, build: ClientBuild) -> dict[str, ModuleType]:
    """Every module of the package; the model modules through the `models` package, which
    loads them (as a program does), so that a thousand-deep chain never nests imports."""
    modules = {}
    import_module(root, build.package)
    for rel in build.files:
        if rel.endswith(".py") and (rel == "models/__init__.py" or not rel.startswith("models/_")):
            name = build.package + "." + rel[:-3].replace("/", ".")
            name = name.removesuffix(".__init__")
            modules[name] = importlib.import_module(name)
    models = modules[f"{build.package}.models"]
    for name in models.__all__:
        getattr(models, name)
    return modules


# --------------------------------------------------------------------------------------- names


@pytest.fixture(scope="module")
def names_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ClientBuild]:
    root = tmp_path_factory.mktemp("names")
    return root, write_package(names_document(), root)


def test_hostile_names_generate_a_package_that_passes_mypy(
        names_package: tuple[Path, ClientBuild]) -> None:
    root, build = names_package
    result = mypy_strict(root, build.package)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hostile_names_keep_their_json_names_on_the_wire(
        names_package: tuple[Path, ClientBuild]) -> None:
    root, build = names_package
    modules = _import_everything(root, build)
    models = modules[f"{build.package}.models"]
    holder = models.Holder
    body = {name: f"value of {name!r}" for name in HOSTILE_NAMES}
    decoded = holder.from_json(body)
    assert decoded.extra == {}  # every hostile property is a known field
    assert decoded.to_json() == body
    # Schema names that collide after normalisation stay distinct classes.
    classes = {n for n in dir(models) if isinstance(getattr(models, n), type)}
    assert len({n for n in classes if n.startswith("FooBar")}) == 4  # foo-bar, foo_bar, ...
    weird = models.WeirdEnum
    assert sorted(m.value for m in weird) == sorted(ENUM_VALUES)
    assert all(m.name.isidentifier() and m.name.isascii() and not m.name.startswith("_")
               for m in weird)

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json='"""')

    client_module = modules[f"{build.package}._client"]
    client_class = getattr(client_module, client_module.__all__[0])
    resource = modules[f"{build.package}.api.def_"]
    arguments = {p: f"q{i}" for i, p in enumerate(_keyword_names(resource.class_))}
    http = httpx.Client(transport=httpx.MockTransport(handler))
    with client_class(api_key="k", base_url="http://test", http_client=http) as client:
        result = resource.class_(client, **arguments)
    assert result is weird('"""')
    request = seen[0]
    sent_query = dict(request.url.params.multi_items())
    assert set(sent_query) == {n for n in HOSTILE_NAMES}  # each parameter under its own name
    assert request.read().startswith(b"{")


def _keyword_names(function: Any) -> list[str]:
    """The keyword arguments of an endpoint function that stand for spec parameters/fields."""
    import inspect

    common = {"client", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries"}
    return [name for name, p in inspect.signature(function).parameters.items()
            if p.kind is p.KEYWORD_ONLY and name not in common]


# ----------------------------------------------------------------------------------- injection


def test_code_in_every_string_field_is_never_run(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INJECTED", raising=False)
    build = write_package(injection_document("INJECTED"), tmp_path)
    modules = _import_everything(tmp_path, build)
    assert len(modules) >= 10
    assert "INJECTED" not in os.environ
    # Structurally: every payload runs through `__import__`; in the output that name is only ever
    # inside a string or a comment (spec text that became an identifier was stripped of dunders).
    found = 0
    for rel, text in build.files.items():
        if not rel.endswith(".py"):
            continue
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NAME:
                # Spec text that became an identifier is one word (`x___import___os...`).
                assert token.string != "__import__", (rel, token)
            elif "__import__" in token.string:
                found += 1
                assert token.type in (tokenize.STRING, tokenize.COMMENT), (rel, token)
    assert found > 20  # the payloads did reach the output, as inert text
    result = mypy_strict(tmp_path, build.package)
    assert result.returncode == 0, result.stdout + result.stderr
    # The values that could not be used as they are were reported, with where they are.
    pointers = {d.location.pointer for d in build.warnings}
    assert {"/info/x-client/api-key-env", "/info/x-client/log-env",
            "/info/x-client/attribution-headers"} <= pointers


# -------------------------------------------------------------------------------------- chains


def test_thousand_deep_ref_chains_and_cycles_generate(tmp_path: Path) -> None:
    build = write_package(chains_document(1000), tmp_path)
    result = mypy_strict(tmp_path, build.package)
    assert result.returncode == 0, result.stdout + result.stderr
    modules = _import_everything(tmp_path, build)
    models = modules[f"{build.package}.models"]
    assert models.A0 == "A1000"  # the alias names the chain's end directly
    ring = [d for d in build.warnings if "cycle" in d.message]
    assert [d.location.pointer for d in ring] == ["/components/schemas/Ring0"]

    answers: dict[str, Any] = {
        "/a": {"leaf": "x"}, "/l": [[["deep"]]], "/json": {"a": [1, "b", None]},
        "/node": {"edges": [{"to": {"edges": []}, "ring": 1}]}, "/selfunion": ["x", ["y"]],
    }
    http = httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json=answers[request.url.path])))
    client_module = modules[f"{build.package}._client"]
    with getattr(client_module, client_module.__all__[0])(
            api_key="k", base_url="http://test", http_client=http) as client:
        leaf = modules[f"{build.package}.api.a"].get_a(client)
        nested = modules[f"{build.package}.api.l"].get_l(client)
        node = modules[f"{build.package}.api.node"].get_node(client)
        value = modules[f"{build.package}.api.json"].get_json(client)
        union = modules[f"{build.package}.api.selfunion"].get_self_union(client)
    assert isinstance(leaf, models.A1000) and leaf.leaf == "x"
    assert nested == [[["deep"]]]
    assert isinstance(node, models.Node) and isinstance(node.edges[0], models.Edge)
    assert isinstance(node.edges[0].to, models.Node) and node.edges[0].ring == 1
    assert value == {"a": [1, "b", None]} and union == ["x", ["y"]]


# -------------------------------------------------------------------------------------- errors


def _minimal(schemas: dict[str, Any], root: str = "S0") -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "E", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {
                "description": "ok", "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{root}"}}}}}}}},
            "components": {"schemas": schemas}}


@pytest.mark.parametrize(("schemas", "pointer", "words"), [
    ({"S0": {"type": "object", "properties": {"a": {"$ref": "other.yaml#/X"}}}},
     "/components/schemas/S0/properties/a/$ref", "leaves the document"),
    ({"S0": {"type": "object", "properties": {"a": {"$ref": "https://evil.test/x.json"}}}},
     "/components/schemas/S0/properties/a/$ref", "leaves the document"),
    ({"S0": {"type": "array", "items": {"$ref": "#/components/schemas/Missing"}}},
     "/components/schemas/S0/items/$ref", "points to nothing"),
    ({"S0": {"allOf": [{"$ref": "#/components/schemas/S1"}]},
      "S1": {"allOf": [{"$ref": "#/components/schemas/S0"}]}},
     "/components/schemas/S0", "inheritance cycle"),
    ({"S0": {"type": "object", "description": "a lone \ud800 surrogate"}},
     "/components/schemas/S0/description", "not valid Unicode"),
    ({"S0": {"type": "object", "properties": {"\udfff": {"type": "string"}}}},
     "/components/schemas/S0/properties/\\udfff", "not valid Unicode"),
])
def test_broken_documents_stop_with_the_pointer(schemas: dict[str, Any], pointer: str,
                                                words: str) -> None:
    with pytest.raises(GeneratorError) as caught:
        build_client(_minimal(schemas))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.location.pointer == pointer
    assert words in diagnostic.message


def test_limits_are_checked_before_any_schema_work() -> None:
    nested: dict[str, Any] = {"type": "string"}
    for _ in range(MAX_NESTING + 5):
        nested = {"type": "array", "items": nested}
    chain = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(MAX_REF_DEPTH + 1)}
    chain[f"S{MAX_REF_DEPTH + 1}"] = {"type": "string"}
    inherit = {f"S{i}": {"allOf": [{"$ref": f"#/components/schemas/S{i + 1}"}]}
               for i in range(MAX_ALLOF_DEPTH + 1)}
    inherit[f"S{MAX_ALLOF_DEPTH + 1}"] = {"type": "object"}
    for schemas, words in [({"S0": nested}, "nests more than"),
                           (chain, "$ref chains from here go"),
                           (inherit, "allOf inheritance from here goes")]:
        checked = check_document(_minimal(schemas))
        found = [d for d in checked.diagnostics if words in d.message]
        assert found, [str(d) for d in checked.diagnostics]
        assert found[0].location.pointer.startswith("/components/schemas/S0")


def test_errors_in_inline_operation_schemas_point_where_they_are_written() -> None:
    document = _minimal({"S0": {"type": "string"}})
    document["paths"]["/x"]["post"] = {"operationId": "postX", "requestBody": {"content": {
        "application/json": {"schema": {"type": "object", "properties": {
            # passes the shape check (openrouter_codegen/spec/shape.py); datamodel-code-generator rejects it
            "bad": {"type": "string", "minLength": "long"}}}}}},
        "responses": {"204": {"description": "none"}}}
    with pytest.raises(GeneratorError) as caught:
        build_client(document)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.location.pointer == \
        "/paths/~1x/post/requestBody/content/application~1json/schema"
