"""The schema stage run in a second process (`model/schema_process.py`) gives what it gives in this
process: the same models for the OpenRouter spec, the same located errors for a broken document, and
an answer even when the worker process is gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openrouter_codegen.client.client_build import build_client, load_spec_text
from openrouter_codegen.client.model import schema_process
from openrouter_codegen.client.model.prepare import prepare
from openrouter_codegen.client.model.schema_process import SchemaProcess
from openrouter_codegen.client.model.schemas import parse_schemas_deep
from openrouter_codegen.common.diagnostics import GeneratorError
from openrouter_codegen.common.guard import check_document

REPO = Path(__file__).resolve().parents[2]


def _prepared(document: dict[str, Any]) -> tuple[dict[str, Any], int]:
    return prepare(document).document, check_document(document).ref_depth


def _openrouter() -> dict[str, Any]:
    spec = REPO / "spec" / "openapi.yaml"
    return load_spec_text(spec.read_text(encoding="utf-8"), str(spec))


def _cyclic() -> dict[str, Any]:
    """A document dcg itself refuses (an allOf inheritance cycle), so the error comes from the worker."""
    return {"openapi": "3.1.0", "info": {"title": "E", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {
                "description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/S0"}}}}}}}},
            "components": {"schemas": {"S0": {"allOf": [{"$ref": "#/components/schemas/S1"}]},
                                       "S1": {"allOf": [{"$ref": "#/components/schemas/S0"}]}}}}


def test_the_worker_returns_the_models_of_an_in_process_parse() -> None:
    document, depth = _prepared(_openrouter())
    here = parse_schemas_deep(document, depth)
    with SchemaProcess() as worker:
        there = worker.parse(document, depth)
    assert there == here
    assert len(there.models) > 100


def test_errors_in_the_worker_are_raised_with_their_pointers() -> None:
    document, depth = _prepared(_cyclic())
    with pytest.raises(GeneratorError) as in_process:
        parse_schemas_deep(document, depth)
    with SchemaProcess() as worker, pytest.raises(GeneratorError) as in_worker:
        worker.parse(document, depth)
    assert in_worker.value.diagnostics == in_process.value.diagnostics
    [diagnostic] = in_worker.value.diagnostics
    assert diagnostic.location.pointer == "/components/schemas/S0"


def test_build_client_gives_the_same_package_through_the_worker() -> None:
    document = _openrouter()
    with SchemaProcess() as worker:
        through_worker = build_client(document, format_code=False, schema_parser=worker.start)
    assert through_worker == build_client(document, format_code=False)


@pytest.mark.parametrize("boot", [
    "import sys; sys.exit(3)",  # dies before reading the request
    "import sys; sys.stdin.buffer.read(); sys.stdout.buffer.write(b'not a pickle')",  # garbage
])
def test_a_worker_that_dies_or_garbles_its_answer_leaves_the_parse_to_this_process(
        monkeypatch: pytest.MonkeyPatch, boot: str) -> None:
    monkeypatch.setattr(schema_process, "_BOOT", boot)
    document, depth = _prepared(_openrouter())
    with SchemaProcess() as worker:
        assert worker.parse(document, depth) == parse_schemas_deep(document, depth)


def test_closing_an_unused_worker_stops_it() -> None:
    worker = SchemaProcess()
    child = worker._child  # the process is what this test is about
    assert child is not None and child.poll() is None
    worker.close()
    assert child.poll() is not None

