"""`generated/pyproject.toml` and `generated/README.md`: the client's distribution metadata and
its front page, rendered from the spec's client configuration and operations."""

from __future__ import annotations

import json
from dataclasses import dataclass

from openrouter_codegen.client.model.ir import ClientConfig, Group, Operation, Prim, TypeRef
from openrouter_codegen.client.model.naming import PARAM_RESERVED, identifier
from openrouter_codegen.client.render.api import body_arg_name
from openrouter_codegen.client.render.environment import environment

# What the generated package imports besides the standard library, with the ranges it works
# with: httpx's 0.x minors change its API, and httpx-sse's SSE decoder is imported from a private
# module, so both stay within one minor; msgspec's `json.decode` has been stable since 0.18;
# anyio (retries' sleep) is httpx's own dependency, declared because the package imports it.
# tests/distribution checks this list against the package's imports.
RUNTIME_DEPENDENCIES = (
    "anyio>=4,<5",
    "httpx>=0.28.1,<0.29",
    "httpx-sse>=0.4.3,<0.5",
    "msgspec>=0.22,<1",
)
REQUIRES_PYTHON = ">=3.11"  # the generated code's syntax (render/format.py: TARGET_VERSION)
# The build backend, pinned so `pip install ./generated` builds the same wheel everywhere.
BUILD_BACKEND = "hatchling==1.32.4"
_PLACEHOLDER = {"str": '"..."', "int": "1", "float": "1.0", "bool": "True"}
_FILE_PLACEHOLDER = 'b"..."'


@dataclass(frozen=True)
class Example:
    """One call shown in the README: its resource group, HTTP operation and Python call."""

    group: str
    http: str
    summary: str
    call: str


def distribution_name(config: ClientConfig) -> str:
    """The distribution's name on an index: the package name with dashes (`openrouter-client`)."""
    return config.package.replace("_", "-")


def pyproject(config: ClientConfig, version: str) -> str:
    """`pyproject.toml` of the client: runtime dependencies only, built by hatchling."""
    return environment().get_template("distribution/pyproject.toml.jinja").render(
        name=distribution_name(config), version=version, package=config.package,
        description=_toml_string(f"Python client for the {config.title}"),
        requires_python=REQUIRES_PYTHON, dependencies=RUNTIME_DEPENDENCIES,
        build_backend=BUILD_BACKEND)


def readme(config: ClientConfig, groups: tuple[Group, ...], version: str,
           exceptions: tuple[str, ...]) -> str:
    """The client's README: install, auth, one example per resource group, streaming, files
    read as they arrive, errors."""
    examples = tuple(_example(g, _first(g.operations)) for g in groups if g.operations)
    streaming = next(((g, op) for g in groups for op in g.operations if op.stream is not None),
                     None)
    binary = next(((g, op) for g in groups for op in g.operations
                   if op.raw_response == "bytes"), None)
    return environment().get_template("distribution/README.md.jinja").render(
        config=config, name=distribution_name(config), version=version, examples=examples,
        stream_call=_call(*streaming, stream=True) if streaming else None,
        binary_call=_call(*binary, via="with_streaming_response") if binary else None,
        exceptions=exceptions, dependencies=RUNTIME_DEPENDENCIES,
        requires_python=REQUIRES_PYTHON)


def _first(operations: tuple[Operation, ...]) -> Operation:
    """The operation a group's example shows: the first one that is not deprecated."""
    return next((op for op in operations if not op.deprecated), operations[0])


def _example(group: Group, op: Operation) -> Example:
    summary = " ".join((op.summary or "").split())
    return Example(group.attr, f"{op.http_method.upper()} {op.path}", summary, _call(group, op))


def _call(group: Group, op: Operation, *, stream: bool = False, via: str = "") -> str:
    """`client.<group>.<method>(...)` with a placeholder for every required argument (through
    the group's namespace `via`, such as `with_streaming_response`, if given)."""
    args = [f"{p.py_name}={_placeholder(p.type)}" for p in op.params if p.required]
    if op.body is not None and op.body.fields:
        taken = {p.py_name for p in op.params}
        for f in op.body.fields:
            name = identifier(body_arg_name(f), PARAM_RESERVED - {"stream"})
            if stream and op.stream is not None and f.json_name == op.stream.flag:
                continue
            if f.required and not f.read_only and name not in taken:
                # A file part takes bytes (or a path, a binary file), never a str.
                file = f.json_name in op.body.binary_fields
                args.append(f"{name}={_FILE_PLACEHOLDER if file else _placeholder(f.type)}")
    elif op.body is not None and op.body.required:
        args.append("body=...")
    if stream and op.stream is not None and op.stream.flag is not None:
        flag = next((f.py_name for f in op.body.fields if f.json_name == op.stream.flag),
                    op.stream.flag) if op.body is not None else op.stream.flag
        args.append(f"{identifier(flag, PARAM_RESERVED - {'stream'})}=True")
    namespace = f"{group.attr}.{via}" if via else group.attr
    return f"client.{namespace}.{op.method_name}({', '.join(args)})"


def _placeholder(t: TypeRef) -> str:
    return _PLACEHOLDER.get(t.kind, "...") if isinstance(t, Prim) else "..."


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (ASCII only, so none is missing)."""
    return json.dumps(text, ensure_ascii=True)
