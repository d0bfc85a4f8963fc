"""What an operation, parameter, schema or property is called in the generated client.

The names come from the generator's own naming: operations through the operations builder
(`client.<group>.<method>`, group from the first tag, method from the operationId), classes from
the component as the schema stage names them (`model/class_names.py`), fields as the schema stage names them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from openrouter_codegen.changes.document import schemas
from openrouter_codegen.client.model.class_names import class_names
from openrouter_codegen.client.model.naming import FIELD_RESERVED, identifier
from openrouter_codegen.client.model.operations import build_groups
from openrouter_codegen.client.model.prepare import prepare
from openrouter_codegen.client.model.tidy import model_name
from openrouter_codegen.spec.fragments import escape


@dataclass(frozen=True)
class OperationNames:
    """The client method of an operation and the keyword argument of each parameter."""

    method: str  # `client.models.list`
    params: dict[tuple[str, str], str]  # (name, in) -> Python argument name


def operation_names(document: dict[str, Any]) -> dict[str, OperationNames]:
    """For each operation label (`GET /models`), its names in the client generated from `document`."""
    prepared = prepare(document).document
    names = {f"#/components/schemas/{escape(str(n))}": class_name(str(n))
             for n in schemas(prepared)}
    groups, _ = build_groups(prepared, names, ())
    out: dict[str, OperationNames] = {}
    for group in groups:
        for op in group.operations:
            out[f"{op.http_method} {op.path}"] = OperationNames(
                method=f"client.{group.attr}.{op.method_name}",
                params={(p.name, p.location): p.py_name for p in op.params})
    return out


def component_classes(document: dict[str, Any]) -> dict[str, str]:
    """The class generated for each component schema of `document`, by component name (the
    generator's readable names: `API Keys_list_Response_200` answering `GET /keys` -> `KeyList`)."""
    prepared = prepare(document).document
    pointers = {str(n): f"#/components/schemas/{escape(str(n))}" for n in schemas(prepared)}
    chosen = class_names(prepared, {p: class_name(n) for n, p in pointers.items()})
    return {n: chosen[p] for n, p in pointers.items()}


@functools.lru_cache(maxsize=4096)
def class_name(component: str) -> str:
    """The class datamodel-code-generator names component schema `component` (`API Keys_list` ->
    `APIKeysList`), before `component_classes` makes it readable."""
    return model_name(_resolver().get_class_name(component, unique=False).name)


@functools.lru_cache(maxsize=4096)
def field_name(json_name: str) -> str:
    """The attribute of a generated model for property `json_name` (`maxTokens` -> `max_tokens`)."""
    from datamodel_code_generator.reference import ModelType

    base = _resolver().get_valid_field_name(json_name, model_type=ModelType.CLASS)
    return identifier(base if base.isascii() else json_name, FIELD_RESERVED)


@functools.cache
def _resolver() -> Any:
    # The schema stage's namer (imported lazily: datamodel-code-generator is heavy), set up as
    # `model/schemas.py` sets up its parser for fields.
    from datamodel_code_generator.reference import ModelResolver

    return ModelResolver(snake_case_field=True)
