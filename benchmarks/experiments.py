"""What bounds the targets we miss, measured: the numbers behind RESULTS.md's "bounds" table.

``python -m benchmarks.experiments [--tiny]`` prints one JSON object (``make bench`` runs it in a
fresh process and puts it in RESULTS.md). Each entry is a minimum over repeats (``timeit``-style:
the least disturbed run on a shared machine), with the garbage collector on unless said otherwise,
so entries compare with each other, not with the medians of the main tables.

- ``decode_parts``: where ``ModelsListResponse.from_json`` spends its time, class by class, on
  the benchmark's body (per object and in all), next to ``json.loads`` of the same bytes.
- ``decode_parts`` also has the client's parser (msgspec) next to ``json.loads``, and the whole
  client path (parse + ``from_json``) with the collector on and off.
- ``black``: black on the biggest rendered module as rendered (black formats twice when its first
  pass changed anything) and on its own output (one pass); the generator's block-wise, parallel
  formatting of the whole rendered package against the CPU time of one black pass over each of its
  files (the work to spread over the cores); and ``ruff format`` on the whole package.
- ``dcg_format``: the schema stage with datamodel-code-generator formatting its rendered modules
  (as the generator calls it) and with ``parse(format_=False)``; the models we read must be the
  same either way (``same_models``).
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def best(work: Callable[[], object], number: int, repeat: int, *, collect: bool = True) -> float:
    """Seconds per call of the fastest of ``repeat`` batches of ``number`` calls, with the
    garbage collector on as in real use (``collect=False``: off, as ``timeit`` does)."""
    was_enabled = gc.isenabled()
    fastest = float("inf")
    try:
        for _ in range(repeat):
            gc.collect()
            if not collect:
                gc.disable()
            start = time.perf_counter()
            for _ in range(number):
                work()
            fastest = min(fastest, (time.perf_counter() - start) / number)
            gc.enable()
    finally:
        if not was_enabled:
            gc.disable()
    return fastest


def decode_parts(n: int, repeat: int) -> dict[str, Any]:
    """Per-class cost of decoding the ``complete`` models body, and json.loads for scale."""
    from openrouter_client import models

    from benchmarks.cases import answer_model
    from benchmarks.make_models_body import make_models_body

    answer = answer_model("GET", "/models")  # ModelsListResponse while the seed pages hold
    body = make_models_body(n, complete=True)
    items = json.loads(body)["data"]
    parts: dict[str, list[dict[str, Any]]] = {
        "PublicPricing": [x["pricing"] for x in items],
        "ModelArchitecture": [x["architecture"] for x in items],
        "TopProviderInfo": [x["top_provider"] for x in items],
        "DefaultParameters": [x["default_parameters"] for x in items
                              if isinstance(x.get("default_parameters"), dict)],
        "Model": items,
    }
    out: dict[str, Any] = {"json.loads": best(lambda: json.loads(body), 5, repeat)}
    for name, objects in parts.items():
        if not hasattr(models, name):
            continue  # newer pages may name the nested models differently
        decode = getattr(models, name).from_json

        def run(objects: list[dict[str, Any]] = objects,
                decode: Callable[[dict[str, Any]], object] = decode) -> None:
            for obj in objects:
                decode(obj)

        seconds = best(run, 5, repeat)
        out[name] = {"objects": len(objects), "seconds": seconds,
                     "per_object": seconds / max(len(objects), 1)}
    document = json.loads(body)
    out["ModelsListResponse.from_json"] = best(
        lambda: answer.from_json(document), 5, repeat)
    out["ModelsListResponse.from_json, GC off"] = best(
        lambda: answer.from_json(document), 5, repeat, collect=False)
    out["json.loads, GC off"] = best(lambda: json.loads(body), 5, repeat, collect=False)
    from openrouter_client._json import loads

    loads(body)  # msgspec is imported on the first parse; time the parsing only
    out["client loads (msgspec)"] = best(lambda: loads(body), 5, repeat)

    def whole() -> object:
        return answer.from_json(loads(body))

    out["client path"] = best(whole, 5, repeat)
    out["client path, GC off"] = best(whole, 5, repeat, collect=False)
    out["fields_per_model"] = sum(len(x) for x in items) / max(len(items), 1)
    return out


def _document(tiny: bool) -> dict[str, Any]:
    import yaml

    if tiny:
        from openrouter_codegen.cli import main as generator_main

        work = Path(tempfile.mkdtemp(prefix="bench-exp-"))
        fixtures = ROOT / "benchmarks" / "fixtures"
        with contextlib.redirect_stdout(io.StringIO()):
            code = generator_main(["spec", "--root", str(work), "--docs",
                                   str(fixtures / "tiny_docs"), "--overlays",
                                   str(fixtures / "tiny_overlays")])
        if code != 0:
            raise SystemExit(f"generator spec exited {code}")
        text = (work / "spec" / "openapi.yaml").read_text(encoding="utf-8")
    else:
        text = (ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


def _rendered(document: dict[str, Any]) -> dict[str, str]:
    """The package's sources as the templates render them, before black."""
    from openrouter_codegen.client.client_build import build_client

    return build_client(document, format_code=False).files


def black_passes(document: dict[str, Any], repeat: int) -> dict[str, Any]:
    """black on the biggest rendered file: as the generator calls it, black's full ``format_str``
    (two passes when the first changed anything), one pass on already formatted text; and
    ``ruff format`` on the whole rendered package."""
    import black

    from openrouter_codegen.client.render.format import black_mode, format_files, format_python

    files = _rendered(document)
    name = max((n for n in files if n.endswith(".py")), key=lambda n: len(files[n]))
    raw = files[name]
    formatted = black.format_str(raw, mode=black_mode())
    out: dict[str, Any] = {
        "file": name,
        "lines": formatted.count("\n"),
        "generator_seconds": best(lambda: format_python(raw, name), 1, repeat),
        "format_str_seconds": best(lambda: black.format_str(raw, mode=black_mode()), 1, repeat),
        "formatted_seconds": best(lambda: black.format_str(formatted, mode=black_mode()), 1, repeat),
        "changed_by_black": raw != formatted,
    }
    python = {n: text for n, text in files.items() if n.endswith(".py")}
    out["cores"] = os.cpu_count() or 1
    out["package_blocks_seconds"] = best(lambda: format_files(python), 1, repeat)

    def one_pass_each() -> None:
        for n, text in python.items():
            format_python(text, n)

    out["package_cpu_seconds"] = best(one_pass_each, 1, repeat)
    ruff = Path(sys.executable).parent / "ruff"
    if ruff.exists():
        with tempfile.TemporaryDirectory(prefix="bench-ruff-") as tmp:
            for path, text in files.items():
                target = Path(tmp, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")

            def run() -> None:
                subprocess.run([str(ruff), "format", "--no-cache", "--line-length", "100",
                                "--quiet", tmp], check=True)

            out["ruff_format_package_seconds"] = best(run, 1, repeat)
    out["package_lines"] = sum(text.count("\n") for text in files.values())
    return out


def dcg_format(document: dict[str, Any], repeat: int) -> dict[str, Any]:
    """The schema stage with datamodel-code-generator formatting its rendering and without, and
    which of the two the generator asks for."""
    from datamodel_code_generator.parser.openapi import OpenAPIParser

    from openrouter_codegen.client.model.prepare import prepare
    from openrouter_codegen.client.model.schemas import parse_schemas

    prepared = prepare(document).document
    real = OpenAPIParser.parse
    asked: list[object] = []

    def forced(value: bool) -> Callable[..., Any]:
        def parse(self: OpenAPIParser, *args: Any, **kwargs: Any) -> Any:
            asked.append(kwargs.get("format_", args[1] if len(args) > 1 else True))
            kwargs["format_"] = value
            return real(self, *args[:1], **kwargs)

        return parse

    seconds: dict[bool, float] = {}
    models: dict[bool, object] = {}
    try:
        for value in (True, False):
            OpenAPIParser.parse = forced(value)  # type: ignore[method-assign]
            seconds[value] = best(lambda: parse_schemas(prepared), 1, repeat)
            models[value] = parse_schemas(prepared).models
    finally:
        OpenAPIParser.parse = real  # type: ignore[method-assign]
    return {"format_true_seconds": seconds[True], "format_false_seconds": seconds[False],
            "same_models": models[True] == models[False],
            "generator_formats": bool(asked and asked[0])}


def main(argv: list[str] | None = None) -> int:
    """Print every experiment's numbers as one JSON object."""
    args = argv if argv is not None else sys.argv[1:]
    tiny = "--tiny" in args
    repeat = 1 if tiny else 5
    document = _document(tiny)
    results = {
        # Decoding is cheap to repeat, and its best-of figures need many tries on a busy machine.
        "decode_parts": decode_parts(5 if tiny else 350, repeat * 4),
        "black": black_passes(document, 1 if tiny else 2),
        "dcg_format": dcg_format(document, 1 if tiny else 3),
    }
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
