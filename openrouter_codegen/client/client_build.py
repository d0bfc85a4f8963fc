"""The client half of the pipeline: spec document -> every file of the generated package (pure)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from openrouter_codegen.client.model.config import configure
from openrouter_codegen.client.model.ir import ClientConfig, Group, Model
from openrouter_codegen.client.model.operations import build_groups
from openrouter_codegen.client.model.prepare import prepare
from openrouter_codegen.client.model.schemas import ParsedSchemas, parse_here
from openrouter_codegen.client.render.api import render_api_module
from openrouter_codegen.client.render.environment import compile_templates, environment
from openrouter_codegen.client.render.format import FormatCache, format_files
from openrouter_codegen.client.render.models import render_models
from openrouter_codegen.client.render.params import collect, render_types
from openrouter_codegen.client.render.ruff_format import ruff_format_files
from openrouter_codegen.client.render.runtime import (
    RuntimeContext,
    derived_base_url_env,
    render_runtime,
)
from openrouter_codegen.client.render.uses import model_uses
from openrouter_codegen.common.collector import collector_paused
from openrouter_codegen.common.diagnostics import Diagnostic, GeneratorError, error
from openrouter_codegen.common.guard import check_document, raise_errors
from openrouter_codegen.spec.fragments import escape
from openrouter_codegen.spec.shape import check_shape
from openrouter_codegen.spec.yaml_data import load_yaml

Formatter = Literal["black", "ruff"]
# Starts the schema stage on (prepared document, longest `$ref` chain) and returns a function that
# waits for its models. The CLI passes one that runs it in a second process (model/schema_process.py).
SchemaParser = Callable[[dict[str, Any], int], Callable[[], ParsedSchemas]]


@dataclass(frozen=True)
class ClientBuild:
    """The package directory name, its files (relative path -> text) and non-fatal warnings;
    the configuration and resource groups it was rendered from (for the distribution's README)."""

    package: str
    files: dict[str, str]
    warnings: tuple[Diagnostic, ...]
    config: ClientConfig
    groups: tuple[Group, ...]


def load_spec_text(text: str, source: str) -> dict[str, Any]:
    """Parse an OpenAPI document (YAML or JSON) or raise a GeneratorError naming the file and line."""
    if not source.endswith(".json"):
        # The docs pages' reader: JSON data (dates as text), aliases bounded, errors at their line.
        document, _ = load_yaml(text, source, 1)
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise error(f"not valid JSON: {exc.msg}", file=source, line=exc.lineno) from exc
    if not isinstance(document, dict) or "openapi" not in document:
        raise error("not an OpenAPI document (no `openapi` key at the top)", file=source, line=1)
    return document


def build_client(document: dict[str, Any], format_cache: FormatCache | None = None, *,
                 format_code: bool = True, formatter: Formatter = "ruff",
                 schema_parser: SchemaParser = parse_here,
                 version: str | None = None) -> ClientBuild:
    """Generate the client package for `document`; the same document always gives the same files.

    The files are black-formatted: by `ruff format` laid out as black lays them out (the default; see
    `render/ruff_format.py`), or with `formatter="black"` by black itself, which is ~50x slower and
    uses `format_cache` if given (the files are the same with or without it).
    `format_code=False` skips formatting: the files are the rendered templates, valid but not formatted.
    `schema_parser` runs the schema stage; any gives the same models, it only changes where
    (`model/schema_process.py` runs it in a second process).
    `version` is the client's `__version__` (and User-Agent); default: the document's `info.version`.
    """
    raise_errors(check_shape(document))
    checked = check_document(document)
    raise_errors(checked.diagnostics)
    config, config_warnings = configure(document)
    if version is not None:
        config = replace(config, version=version)
    prepared = prepare(document)
    try:
        pending = schema_parser(prepared.document, checked.ref_depth)
        compile_templates()  # while a worker parses, this process has nothing else to do
        parsed = pending()
    except RecursionError as exc:
        raise error(f"schema references nest too deeply to resolve ({checked.ref_depth} levels "
                    "from here)", pointer=checked.deepest or "/components/schemas") from exc
    except GeneratorError as exc:
        raise GeneratorError(original_locations(exc.diagnostics, prepared.hoisted)) from exc
    schema_warnings = original_locations(parsed.warnings, prepared.hoisted)
    groups, op_warnings = build_groups(prepared.document, parsed.names, parsed.models)
    # Every module's AST and text: many objects, a few thousand in cycles (common/collector.py).
    with collector_paused():
        files = render_package(config, parsed.models, groups)
    ordered = dict(sorted(files.items()))
    if not format_code:
        formatted = ordered
    elif formatter == "ruff":
        formatted = ruff_format_files(ordered)
    else:
        formatted = format_files(ordered, format_cache)
    return ClientBuild(config.package, formatted,
                       config_warnings + schema_warnings + op_warnings, config, groups)


def original_locations(diagnostics: tuple[Diagnostic, ...],
                       hoisted: dict[str, str]) -> tuple[Diagnostic, ...]:
    """Point diagnostics about schemas that `prepare` moved into components back to where the
    schemas are written in the document."""
    moved = {f"/components/schemas/{escape(name)}": origin
             for origin, name in hoisted.items()}
    out: list[Diagnostic] = []
    for d in diagnostics:
        pointer = d.location.pointer or ""
        for prefix, origin in moved.items():
            if pointer == prefix or pointer.startswith(prefix + "/"):
                d = replace(d, location=replace(d.location, pointer=origin + pointer[len(prefix):]))
                break
        out.append(d)
    return tuple(out)


def exception_names(source: str) -> list[str]:
    """The public exception classes the rendered runtime defines, to re-export them by name."""
    import ast

    tree = ast.parse(source)
    return sorted(node.name for node in tree.body
                  if isinstance(node, ast.ClassDef) and node.name.endswith("Error"))


# How an endpoint module reaches a name of the models package (`Expressions(prefix="_m.")`).
_PRIVATE_MODEL_USE = re.compile(r"\b_m\.(_\w+)")


def private_used(api_modules: Iterable[str]) -> tuple[str, ...]:
    """The private names of the models package (decoders such as `_decode_FileResponse`) that the
    rendered endpoint modules use, so the package can declare them to type checkers."""
    return tuple(sorted({name for body in api_modules
                         for name in _PRIVATE_MODEL_USE.findall(body)}))


def render_package(config: ClientConfig, models: tuple[Model, ...],
                   groups: tuple[Group, ...]) -> dict[str, str]:
    """Every file of the package, unformatted."""
    env = environment()
    by_name = {m.name: m for m in models}
    files = render_runtime(RuntimeContext(
        package=config.package, client_name=config.client_name, api_key_env=config.api_key_env,
        log_env=config.log_env, default_base_url=config.default_base_url,
        attribution_headers=config.attribution_headers, version=config.version,
        auth=(config.auth.location, config.auth.name, config.auth.prefix),
    ))
    files["_encoding.py"] = env.get_template("package/_encoding.py.jinja").render()
    params = collect(by_name, groups)
    api = {f"api/{group.module}.py": render_api_module(group, by_name, config.title, params)
           for group in groups}
    files.update(render_models(models, config.title, model_uses(models, groups),
                               private_used(api.values())))
    files["_client.py"] = env.get_template("package/_client.py.jinja").render(
        config=config, groups=groups, base_url_env=derived_base_url_env(config.api_key_env))
    files["__init__.py"] = env.get_template("package/__init__.py.jinja").render(
        config=config, exceptions=exception_names(files["_exceptions.py"]))
    files["api/__init__.py"] = env.get_template("package/api__init__.py.jinja").render(
        config=config, groups=groups)
    files["types/__init__.py"] = render_types(by_name, params, config.title)
    files.update(api)
    files["py.typed"] = ""
    return files
