"""Generation at scale: a synthetic 1,000-schema, 1,000-operation OpenAPI document, and a deep chain.

``python -m benchmarks.scale [--schemas N] [--operations N] [--chain N] [--anchor EXE]`` generates
the client for each document in a fresh process (cold: no black cache) and prints one JSON line per
document with the wall time, the time per stage and the peak resident memory of the generator
process and of its black workers. The documents are deterministic, so runs are comparable. With
``--anchor`` (an ``openapi-python-client`` executable) the same documents go through it too, timed
the same way, with its default settings (it runs ruff on its output).

The synthetic document mixes what real APIs have: objects with scalar, enum, array, map, nullable
and nested-reference properties, string and integer enums, tagged and untagged unions, allOf
composition, aliases; operations with path, query and header parameters, JSON bodies and responses,
spread over 50 tags. The chain documents are `S0 -> S1 -> ... -> SN` through `$ref` (each link an
alias of the next, or an array of it), the shapes that make naive recursive resolvers hit Python's
recursion limit.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TAGS = 50


def _object(i: int, schemas: int) -> dict[str, Any]:
    def ref(k: int) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/S{k % schemas:04d}"}

    props: dict[str, Any] = {
        "id": {"type": "string", "description": f"Identifier of S{i:04d}."},
        "count": {"type": "integer", "format": "int64"},
        "ratio": {"type": ["number", "null"]},
        "active": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "status": ref(i - i % 10 + 1),  # every tenth schema from 1 is an enum
        "child": ref(i + 7),
        "children": {"type": "array", "items": ref(i + 13)},
    }
    return {"type": "object", "description": f"Synthetic object number {i}.",
            "properties": props, "required": ["id", "count"]}


def _schema(i: int, schemas: int) -> dict[str, Any]:
    kind = i % 10
    if kind == 1:
        return {"type": "string", "enum": [f"value_{i}_{k}" for k in range(6)]}
    if kind == 2:
        return {"type": "integer", "enum": [1, 2, 3, 5, 8]}
    if kind == 3:
        a, b = (i + 3) // 10 * 10 % schemas, (i + 13) // 10 * 10 % schemas
        return {"oneOf": [{"$ref": f"#/components/schemas/S{a:04d}"},
                          {"$ref": f"#/components/schemas/S{b:04d}"}]}
    if kind == 4:
        return {"allOf": [{"$ref": f"#/components/schemas/S{(i // 10 * 10) % schemas:04d}"},
                          {"type": "object", "properties": {"extra_note": {"type": "string"}}}]}
    if kind == 5:
        return {"type": "array", "items": {"$ref": f"#/components/schemas/S{(i - 5) % schemas:04d}"}}
    if kind == 6:
        return {
            "oneOf": [{"$ref": f"#/components/schemas/T{i:04d}A"},
                      {"$ref": f"#/components/schemas/T{i:04d}B"}],
            "discriminator": {"propertyName": "kind", "mapping": {
                "a": f"#/components/schemas/T{i:04d}A", "b": f"#/components/schemas/T{i:04d}B"}},
        }
    return _object(i, schemas)


def make_document(schemas: int = 1000, operations: int = 1000) -> dict[str, Any]:
    """A deterministic document with `schemas` named schemas and `operations` operations."""
    components: dict[str, Any] = {}
    for i in range(schemas):
        components[f"S{i:04d}"] = _schema(i, schemas)
        if i % 10 == 6:
            for tag in ("A", "B"):
                components[f"T{i:04d}{tag}"] = {
                    "type": "object", "required": ["kind"],
                    "properties": {"kind": {"type": "string", "const": tag.lower()},
                                   "value": {"type": "string"}}}
    objects = [i for i in range(schemas) if i % 10 in (0, 7, 8, 9)]
    paths: dict[str, Any] = {}
    methods = ("get", "post", "put", "patch", "delete")
    for n in range(operations):
        tag = f"group{n % TAGS:02d}"
        resource_no, method = divmod(n, len(methods))
        verb = methods[method]
        target = objects[n % len(objects)]
        path = f"/{tag}/items{resource_no}/{{item_id}}"
        op: dict[str, Any] = {
            "operationId": f"{verb}Item{resource_no}",
            "tags": [tag],
            "summary": f"{verb.upper()} item {resource_no}",
            "parameters": [
                {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                {"name": "fields", "in": "query", "schema": {"type": "array",
                                                               "items": {"type": "string"}}},
                {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/S{target:04d}"}}}}},
        }
        if verb in ("post", "put", "patch"):
            op["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/S{target:04d}"}}}}
        paths.setdefault(path, {})[verb] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Scale API", "version": "1.0.0"},
        "servers": [{"url": "https://scale.example.test"}],
        "tags": [{"name": f"group{t:02d}"} for t in range(TAGS)],
        "paths": paths,
        "components": {"schemas": components},
    }


def make_chain(depth: int = 1000, kind: str = "alias") -> dict[str, Any]:
    """`S0 -> S1 -> ... -> S<depth>` through `$ref`, the last an object; one operation returns S0.

    Each link is an alias of the next (`kind="alias"`) or an array of it (`kind="array"`).
    """
    def link(i: int) -> dict[str, Any]:
        ref = {"$ref": f"#/components/schemas/S{i + 1}"}
        return ref if kind == "alias" else {"type": "array", "items": ref}

    schemas: dict[str, Any] = {f"S{i}": link(i) for i in range(depth)}
    schemas[f"S{depth}"] = {"type": "object", "properties": {"leaf": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Chain API", "version": "1"},
        "paths": {"/chain": {"get": {"operationId": "getChain", "responses": {"200": {
            "description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S0"}}}}}}}},
        "components": {"schemas": schemas},
    }


def measure(document: dict[str, Any]) -> dict[str, Any]:
    """Generate `document` in this process (no black cache) and report time, stages and memory."""
    from openrouter_codegen.client.client_build import render_package
    from openrouter_codegen.client.model.config import client_config
    from openrouter_codegen.client.model.operations import build_groups
    from openrouter_codegen.client.model.prepare import prepare
    from openrouter_codegen.client.model.schemas import parse_schemas
    from openrouter_codegen.client.render.format import format_files
    from openrouter_codegen.common.diagnostics import GeneratorError

    stages: dict[str, float] = {}
    start = time.perf_counter()
    result: dict[str, Any] = {}
    try:
        t = time.perf_counter()
        prepared = prepare(document)
        parsed = parse_schemas(prepared.document)
        stages["model (prepare + datamodel-code-generator + IR)"] = time.perf_counter() - t
        t = time.perf_counter()
        groups, _ = build_groups(prepared.document, parsed.names, parsed.models)
        files = render_package(client_config(document), parsed.models, groups)
        stages["operations + render"] = time.perf_counter() - t
        t = time.perf_counter()
        formatted = format_files(files)
        stages["black (parallel, cold)"] = time.perf_counter() - t
        result["files"] = len(formatted)
        result["lines"] = sum(text.count("\n") for text in formatted.values())
        result["models"] = len(parsed.models)
        result["operations"] = sum(len(g.operations) for g in groups)
    except GeneratorError as exc:
        result["error"] = str(exc)
    result["seconds"] = round(time.perf_counter() - start, 2)
    result["stages"] = {k: round(v, 2) for k, v in stages.items()}
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["peak_rss_black_worker_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return result


def _child(kind: str, size: int, operations: int, anchor: str | None = None) -> None:
    document = make_document(size, operations) if kind == "synthetic" else \
        make_chain(size, kind.removesuffix("-chain"))
    if anchor is None:
        print(json.dumps({"document": kind, "size": size, **measure(document)}))
        return
    with tempfile.TemporaryDirectory(prefix="scale-anchor-") as tmp:
        spec = Path(tmp) / "openapi.json"
        spec.write_text(json.dumps(document), encoding="utf-8")
        start = time.perf_counter()
        # Its post-hooks run ruff from PATH: the anchor's own bin directory goes first.
        env = {**os.environ,
               "PATH": f"{Path(anchor).resolve().parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        done = subprocess.run([anchor, "generate", "--path", str(spec), "--output-path",
                               str(Path(tmp) / "out"), "--overwrite"],
                              capture_output=True, text=True, check=False, env=env)
        seconds = time.perf_counter() - start
    output = f"{done.stdout}\n{done.stderr}"
    tail = output.strip().splitlines()[-3:]
    print(json.dumps({
        "document": kind, "size": size, "generator": "openapi-python-client",
        "exit_code": done.returncode, "seconds": round(seconds, 2),
        "warnings": "Warning(s) encountered" in output, "ruff_ran": "ruff is not in PATH" not in output,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "recursion_error": "RecursionError" in output,
        **({"output_tail": tail} if done.returncode and "RecursionError" not in output else {}),
    }))


def main(argv: list[str] | None = None) -> int:
    """Measure each document in a fresh interpreter so peak memory is its own."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("--schemas", type=int, default=1000)
    parser.add_argument("--operations", type=int, default=1000)
    parser.add_argument("--chain", type=int, default=1000)
    parser.add_argument("--anchor", help="an openapi-python-client executable to compare with")
    parser.add_argument("--only", nargs="*", help="documents to run (synthetic, alias-chain, "
                        "array-chain); default all")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], int(args.child[1]), int(args.child[2]), args.anchor)
        return 0
    documents = [("synthetic", args.schemas), ("alias-chain", args.chain),
                 ("array-chain", args.chain)]
    for kind, size in [d for d in documents if not args.only or d[0] in args.only]:
        for anchor in ([None, args.anchor] if args.anchor else [None]):
            extra = ["--anchor", anchor] if anchor else []
            subprocess.run([sys.executable, "-m", "benchmarks.scale", "--child", kind, str(size),
                            str(args.operations), *extra], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
