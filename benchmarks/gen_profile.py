"""Where generation time goes: one `generate` run under cProfile, summed up by pipeline stage.

``python -m benchmarks.gen_profile ROOT [ARGS]`` runs ``python -m openrouter_codegen generate --root ROOT
[ARGS]`` in this process under cProfile and prints one JSON object: the wall time of the run and the cumulative time
of each stage function found (by name, so a renamed stage shows as missing rather than failing).
cProfile slows Python code down more than C code, so the shares are indicative; black's formatting
runs in worker processes, and ``format_files`` counts the parent's wait for them. The schema stage
runs in a process of its own in a real run (``model/schema_process.py``); here it runs in this
process, in a thread of its own (``guard.run_deep``) that cProfile does not follow, so it is timed by
the clock around the call instead (without the profiler's slow-down). The profiled run's wall time is
therefore the one-process time, not the real run's.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import json
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

# Stage function name -> what it is, in pipeline order.
STAGES: dict[str, str] = {
    "build_spec": "docs pages -> spec (extract, merge, normalize, overlay, emit)",
    "parse_schemas": "schemas -> models (datamodel-code-generator's parser)",
    "format_code": "  of which: datamodel-code-generator formatting its own (unused) output",
    "compile_templates": "Jinja compiling the templates (in a real run, while the worker parses)",
    "build_groups": "operations -> endpoint groups",
    "render_package": "Jinja templates -> package sources",
    "ruff_format_files": "ruff format on the package sources (the default)",
    "format_files": "black on the package sources (--formatter black: parallel, cached)",
}


def profile_generate(root: str, *extra: str) -> dict[str, float]:
    """Seconds per stage (cumulative, under the profiler) and the run's wall time."""
    from openrouter_codegen.cli import main as generator_main
    from openrouter_codegen.client.model import schema_process
    from openrouter_codegen.client.model.schemas import ParsedSchemas, parse_schemas_deep

    clocked: dict[str, float] = {}

    class ClockedHere(schema_process.SchemaProcess):
        """The schema stage in this process, clocked: the CLI's worker process is not profiled."""

        def __init__(self) -> None:
            self._child = None

        def start(self, document: dict[str, Any],
                  ref_depth: int) -> Callable[[], ParsedSchemas]:
            def clocked_parse() -> ParsedSchemas:
                start = time.perf_counter()
                try:
                    return parse_schemas_deep(document, ref_depth)
                finally:
                    clocked["parse_schemas"] = time.perf_counter() - start

            return clocked_parse

    original = schema_process.SchemaProcess
    schema_process.SchemaProcess = ClockedHere  # type: ignore[misc]
    profiler = cProfile.Profile()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        profiler.enable()
        try:
            code = generator_main(["generate", "--root", root, *extra])
        finally:
            profiler.disable()
            schema_process.SchemaProcess = original  # type: ignore[misc]
    wall = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"generate exited {code}")
    stats = pstats.Stats(profiler)
    found: dict[str, float] = {}
    entries: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    entries = stats.stats  # type: ignore[attr-defined]
    for (_file, _line, name), (_cc, _nc, _tt, cumulative, _callers) in entries.items():
        if name in STAGES:
            found[name] = max(found.get(name, 0.0), cumulative)
    found.update(clocked)
    return {"wall": wall, **found}


def main(argv: list[str] | None = None) -> int:
    """Print the stage times of one `generate` run as JSON."""
    args = argv if argv is not None else sys.argv[1:]
    print(json.dumps(profile_generate(args[0], *args[1:])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
