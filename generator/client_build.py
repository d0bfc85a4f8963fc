"""The client half of the pipeline: spec document -> every file of the generated package (pure)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

import yaml

from generator.diagnostics import Diagnostic, GeneratorError, error
from generator.fragments import escape
from generator.model.config import configure
from generator.model.guard import check_document, raise_errors
from generator.model.ir import ClientConfig, Group, Model
from generator.model.operations import build_groups
from generator.model.prepare import prepare
from generator.model.schemas import ParsedSchemas, parse_here
from generator.render.api import render_api_module
from generator.render.environment import compile_templates, environment
from generator.render.format import FormatCache, format_files
from generator.render.models import render_models
from generator.render.ruff_format import ruff_format_files
from generator.render.runtime import RuntimeContext, derived_base_url_env, render_runtime
from generator.render.uses import model_uses
from generator.shape import check_shape

Formatter = Literal["black", "ruff"]
# Starts the schema stage on (prepared document, longest `$ref` chain) and returns a function that
# waits for its models. The CLI passes one that runs it in a second process (model/schema_process.py).
SchemaParser = Callable[[dict[str, Any], int], Callable[[], ParsedSchemas]]


@dataclass(frozen=True)
class ClientBuild:
    """The package directory name, its files (relative path -> text) and non-fatal warnings."""

    package: str
    files: dict[str, str]
    warnings: tuple[Diagnostic, ...]


def load_spec_text(text: str, source: str) -> dict[str, Any]:
    """Parse an OpenAPI document (YAML or JSON) or raise a GeneratorError naming the file and line."""
    try:
        document = yaml.safe_load(text) if not source.endswith(".json") else json.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise error(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=source,
                    line=mark.line + 1 if mark else None) from exc
    except json.JSONDecodeError as exc:
        raise error(f"not valid JSON: {exc.msg}", file=source, line=exc.lineno) from exc
    if not isinstance(document, dict) or "openapi" not in document:
        raise error("not an OpenAPI document (no `openapi` key at the top)", file=source, line=1)
    return document


def build_client(document: dict[str, Any], format_cache: FormatCache | None = None, *,
                 format_code: bool = True, formatter: Formatter = "ruff",
                 schema_parser: SchemaParser = parse_here) -> ClientBuild:
    """Generate the client package for `document`; the same document always gives the same files.

    The files are black-formatted: by `ruff format` laid out as black lays them out (the default; see
    `render/ruff_format.py`), or with `formatter="black"` by black itself, which is ~50x slower and
    uses `format_cache` if given (the files are the same with or without it).
    `format_code=False` skips formatting: the files are the rendered templates, valid but not formatted.
    `schema_parser` runs the schema stage; any gives the same models, it only changes where
    (`model/schema_process.py` runs it in a second process).
    """
    raise_errors(check_shape(document))
    checked = check_document(document)
    raise_errors(checked.diagnostics)
    config, config_warnings = configure(document)
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
    files = render_package(config, parsed.models, groups)
    ordered = dict(sorted(files.items()))
    if not format_code:
        formatted = ordered
    elif formatter == "ruff":
        formatted = ruff_format_files(ordered)
    else:
        formatted = format_files(ordered, format_cache)
    return ClientBuild(config.package, formatted,
                       config_warnings + schema_warnings + op_warnings)


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


def _exception_names(source: str) -> list[str]:
    """The public exception classes the rendered runtime defines, to re-export them by name."""
    import ast

    tree = ast.parse(source)
    return sorted(node.name for node in tree.body
                  if isinstance(node, ast.ClassDef) and node.name.endswith("Error"))


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
    files.update(render_models(models, config.title, model_uses(models, groups)))
    files["_client.py"] = env.get_template("package/_client.py.jinja").render(
        config=config, groups=groups, base_url_env=derived_base_url_env(config.api_key_env))
    files["__init__.py"] = env.get_template("package/__init__.py.jinja").render(
        config=config, exceptions=_exception_names(files["_exceptions.py"]))
    files["api/__init__.py"] = env.get_template("package/api__init__.py.jinja").render(
        config=config, groups=groups)
    for group in groups:
        files[f"api/{group.module}.py"] = render_api_module(group, by_name, config.title)
    files["py.typed"] = ""
    return files
