"""``python -m benchmarks``: every benchmark in one run; prints a summary, writes RESULTS.md + chart.

    python -m benchmarks                    # what `make bench` runs (a few minutes)
    python -m benchmarks --quick --out DIR  # tiny inputs, one round: the smoke test's run
    python -m benchmarks --only decode,stream --rounds 21

Anchors (the official ``openrouter`` SDK, openapi-python-client) are used when installed and
skipped with a reason otherwise; ``--no-anchors`` skips them on purpose.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import first_response, generation_full, reliability
from benchmarks.cases import CASES
from benchmarks.envs import env_python
from benchmarks.gen_profile import STAGES
from benchmarks.harness import (
    ROOT,
    BenchmarkError,
    Result,
    Series,
    bench_env,
    measure_workers,
    rotations,
    run_timed,
)
from benchmarks.report import commit, machine, packages, render_chart, render_markdown, verdicts

WORK = ROOT / "benchmarks" / ".work"
LATER_PAGE = ROOT / "tests" / "fixtures" / "docs_later" / "005_later_page.md"
ALL = ("decode", "decode_quirky", "stream", "percall", "first_response", "generation",
       "generation_full", "bounds", "reliability")
LABELS: dict[str, dict[str, str]] = {
    "decode": {"baseline": "json.loads", "ours": "openrouter_client",
               "ours_gc_paused": "openrouter_client, collector paused per call (a bound: the "
                                 "client does not do this)",
               "anchor": "official SDK (pydantic)"},
    "decode_quirky": {"baseline": "json.loads", "ours": "openrouter_client"},
    "stream": {"baseline": "split + json.loads", "ours": "openrouter_client Stream",
               "anchor": "official SDK EventStream",
               "openai": "openai SDK Stream (create(stream=True), base_url)"},
    "percall": {"baseline": "bare httpx", "ours": "openrouter_client", "anchor": "official SDK",
                "openai": "openai SDK (base_url)"},
    "first_response": {"baseline": "bare httpx", "ours": "openrouter_client (spec/docs/)",
                       "ours_full": "openrouter_client (spec/docs/ + the whole published API)",
                       "anchor": "official SDK", "openai": "openai SDK (base_url)"},
    "generation": {"ours_cold": "generate (default, ruff format), COLD",
                   "ours_change": "generate (default) after a docs change",
                   "black_cold": "generate --formatter black, COLD (no black cache)",
                   "black_warm": "generate --formatter black, WARM (black cache filled)",
                   "black_change": "generate --formatter black after a docs change (cache from "
                                   "before it)",
                   "anchor": "openapi-python-client generate"},
}
NOTES: dict[str, str] = {
    "decode": "350-model GET /models body, complete=True (every key the SDK requires; nulls, "
              "unknown keys and enum values, integer floats and string prices kept)",
    "decode_quirky": "the same models as the live API sends them at its worst: required keys "
                     "left out too (the official SDK rejects this body: see its check)",
}


@dataclass
class Config:
    """What to run and how hard."""

    size: str = "full"
    rounds: int = 15
    slow_rounds: int = 5  # generation and the 2-second SDK stream
    batch_seconds: float = 0.25
    only: tuple[str, ...] = ALL
    anchors: bool = True
    out: Path = ROOT / "benchmarks"
    python: str = sys.executable
    python_client: str = ""
    python_sdk: str = ""
    python_openai: str = ""
    skipped: list[str] = field(default_factory=list)


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _opc() -> str | None:
    candidate = Path(sys.executable).parent / "openapi-python-client"
    return str(candidate) if candidate.exists() else shutil.which("openapi-python-client")


def run_in_process(name: str, config: Config, log: Callable[[str], None]) -> Result:
    """decode / decode_quirky / stream / percall, each variant in a worker process."""
    variants = list(CASES[name])
    if "anchor" in variants and not (config.anchors and _have("openrouter")):
        variants.remove("anchor")
        config.skipped.append(f"{name} / official SDK: "
                              + ("--no-anchors" if not config.anchors
                                 else "the `openrouter` package is not installed (make bench)"))
    if "openai" in variants and not (config.anchors and _have("openai")):
        variants.remove("openai")
        config.skipped.append(f"{name} / openai SDK: "
                              + ("--no-anchors" if not config.anchors
                                 else "the `openai` package is not installed (make bench)"))
    specs = {v: (config.python, name, v) for v in variants}
    rounds = config.rounds if name != "stream" or "anchor" not in variants else config.slow_rounds
    result = measure_workers(name, LABELS[name], specs, size=config.size, rounds=rounds,
                             batch_seconds=config.batch_seconds, progress=log)
    if name in NOTES:
        result.notes.append(NOTES[name])
    if name == "decode_quirky" and config.anchors and _have("openrouter"):
        result.notes.append(_sdk_on_quirky_body(config))
    return result


def _sdk_on_quirky_body(config: Config) -> str:
    """What the official SDK says about the body with required keys left out."""
    code = (
        "import httpx, sys\n"
        "from benchmarks.cases import SIZES\n"
        "from benchmarks.make_models_body import make_models_body\n"
        "from openrouter import components, errors\n"
        "from openrouter.utils.unmarshal_json_response import unmarshal_json_response\n"
        f"body = make_models_body(SIZES[{config.size!r}]['models'])\n"
        "try:\n"
        "    unmarshal_json_response(components.ModelsListResponse, httpx.Response(200, "
        "content=body))\n"
        "    print('the official SDK decoded it')\n"
        "except errors.ResponseValidationError as exc:\n"
        "    count = exc.cause.error_count() if hasattr(exc.cause, 'error_count') else '?'\n"
        "    print(f'the official SDK rejects the whole list: {type(exc).__name__} '"
        "f'({count} validation errors)')\n"
    )
    _, output = run_timed([config.python, "-c", code])
    return output.strip().splitlines()[-1]


def run_first_response(config: Config, log: Callable[[str], None]) -> Result:
    """Fresh interpreters: import, build a client, one chat call (benchmarks/first_response.py)."""
    client = config.python_client or config.python
    interpreters = {"baseline": client, "ours": client, "ours_full": client}
    full_api = first_response.full_api_package(WORK, config.python)
    if full_api is None:
        config.skipped.append("first response / whole published API: no document in "
                              f"{first_response.SHARED_DOCS} (../shared/ is absent)")
    anchors = {"anchor": (config.python_sdk, "openrouter"),
               "openai": (config.python_openai, "openai")}
    for variant, (python, module) in anchors.items():
        python = python or config.python
        if not config.anchors:
            config.skipped.append(f"first response / {module}: --no-anchors")
        elif not first_response.has_module(python, module):
            config.skipped.append(f"first response / {module}: the `{module}` package is not "
                                  "installed (make bench)")
        else:
            interpreters[variant] = python
    rounds = config.rounds * 2 if config.size == "full" else config.rounds
    series = first_response.measure(interpreters, full_api, rounds, log)
    for key, found in series.items():
        found.label = LABELS["first_response"][key]
        found.note = f"a fresh `{_shown(interpreters[key])} -c`, timed inside it"
    return Result("first_response", "ms", series, rounds)


def _copy_inputs(root: Path, docs: Path, overlays: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(docs, root / "spec" / "docs")
    shutil.copytree(overlays, root / "spec" / "overlays")


def _same_tree(a: Path, b: Path) -> tuple[int, int]:
    """(files that differ or are missing on one side, files compared)."""
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    names |= {p.relative_to(b) for p in b.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    differ = sum(1 for n in names
                 if not (a / n).is_file() or not (b / n).is_file()
                 or (a / n).read_bytes() != (b / n).read_bytes())
    return differ, len(names)


def run_generation(config: Config, log: Callable[[str], None]) -> tuple[Result, list[str]]:
    """Our `generate` (the default, and with black: COLD, WARM, after a docs change) and
    openapi-python-client, in fresh processes, interleaved."""
    if config.size == "full":
        docs, overlays = ROOT / "spec" / "docs", ROOT / "spec" / "overlays"
    else:
        fixtures = ROOT / "benchmarks" / "fixtures"
        docs, overlays = fixtures / "tiny_docs", fixtures / "tiny_overlays"
    work = WORK / f"generation-{config.size}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    roots = {key: work / key for key in ("ours_cold", "ours_change", "black_cold", "black_warm",
                                         "black_change")}
    opc_out = work / "opc"
    generate = [config.python, "-m", "openrouter_codegen", "generate", "--root"]
    black = ["--formatter", "black"]
    for key, root in roots.items():
        _copy_inputs(root, docs, overlays)
        if key.endswith("_change"):
            # A maintainer's loop: a new page arrives (the later page the docs-change test uses: a
            # new `credits` namespace and a newer POST /keys), then `generate`.
            shutil.copy(LATER_PAGE, root / "spec" / "docs" / LATER_PAGE.name)
    warm = roots["black_warm"]
    run_timed([*generate, str(warm), *black])  # untimed: fills the warm root's black cache
    before = work / "cache-before-change"  # black's cache as the docs before the new page left it
    shutil.copytree(warm / ".cache", before)
    result = Result("generation", "s", {}, 0)
    package = next((warm / "generated").iterdir())
    if config.size == "full":
        differ, total = _same_tree(package, ROOT / "generated" / package.name)
        result.notes.append(
            f"our output is identical to the committed generated/ ({total} files)" if not differ
            else f"our output differs from the committed generated/ in {differ} of {total} files "
                 "(uncommitted template or generator changes?)")
    spec = ROOT / "spec" / "openapi.yaml" if config.size == "full" else warm / "spec/openapi.yaml"
    commands: dict[str, list[str]] = {
        key: [*generate, str(root), *(black if key.startswith("black") else [])]
        for key, root in roots.items()}
    opc = _opc()
    if config.anchors and opc:
        commands["anchor"] = [opc, "generate", "--path", str(spec), "--output-path", str(opc_out),
                              "--overwrite"]
    else:
        config.skipped.append("generation / openapi-python-client: "
                              + ("--no-anchors" if not config.anchors
                                 else "openapi-python-client is not installed (make bench)"))
    # openapi-python-client runs `ruff check --fix` and `ruff format` on what it wrote; ruff is in
    # this venv's bin, which a plain `make` does not put on PATH.
    env = bench_env({"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"})
    series = {key: Series(key, LABELS["generation"][key]) for key in commands}
    rounds = config.slow_rounds
    anchor_output = ""
    for order in rotations(list(commands), rounds):
        for key in order:
            if key in ("ours_cold", "ours_change", "black_cold"):
                shutil.rmtree(roots[key] / ".cache", ignore_errors=True)
                shutil.rmtree(roots[key] / "generated", ignore_errors=True)
            if key == "black_change":
                shutil.rmtree(roots[key] / ".cache", ignore_errors=True)
                shutil.copytree(before, roots[key] / ".cache")
            if key == "anchor" and opc_out.exists():
                shutil.rmtree(opc_out)
            seconds, output = run_timed(commands[key], env=env, cwd=work)
            series[key].times.append(seconds)
            if key == "anchor":
                anchor_output = output
        log("  generation: " + ", ".join(f"{k} {series[k].times[-1]:.2f} s" for k in commands))
    result.series, result.rounds = series, rounds
    series["ours_cold"].note = ("`python -m openrouter_codegen generate --root <copy>` (`ruff format`, "
                                "black's layout: tests/generator/test_formatters.py), nothing "
                                "from an earlier run")
    series["ours_change"].note = (f"the same, with {LATER_PAGE.relative_to(ROOT)} added to the "
                                  "docs")
    series["black_cold"].note = "`... --formatter black`, .cache/black absent"
    series["black_warm"].note = ("`... --formatter black` with .cache/black from an earlier run "
                                 "(black skipped for every block it has formatted before)")
    series["black_change"].note = (f"`... --formatter black` with {LATER_PAGE.relative_to(ROOT)} "
                                   "added and .cache/black as it was before (black formats the "
                                   "changed blocks only)")
    if "anchor" in series:
        files = sum(1 for p in opc_out.rglob("*.py"))
        said = " ".join(anchor_output.split())[:600] or "nothing"
        series["anchor"].note = (f"`openapi-python-client generate --path {spec.relative_to(ROOT)}"
                                 f" --overwrite` ({files} .py files; it said: {said})")
    return result, _profile_generation(config, roots["black_cold"], warm, docs, overlays)


def run_generation_full(config: Config, log: Callable[[str], None]
                        ) -> tuple[Result | None, list[str]]:
    """Our generator and openapi-python-client on the whole published API
    (benchmarks/generation_full.py); --quick takes the oldest, smallest version."""
    opc = _opc() if config.anchors else None
    env = bench_env({"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"})
    return generation_full.run(config.python, opc, env, WORK / f"generation-full-{config.size}",
                               config.slow_rounds, log, newest=config.size == "full",
                               typecheck=config.size == "full")


PROFILE_RUNS = ("default, COLD", "--formatter black, COLD", "--formatter black, WARM")


def _profile_generation(config: Config, cold: Path, warm: Path, docs: Path,
                        overlays: Path) -> list[str]:
    """Table rows: seconds per stage under cProfile, for each of PROFILE_RUNS."""
    runs: dict[str, dict[str, float]] = {}
    for label, root, extra in ((PROFILE_RUNS[0], cold, []),
                               (PROFILE_RUNS[1], cold, ["--formatter", "black"]),
                               (PROFILE_RUNS[2], warm, ["--formatter", "black"])):
        if root == cold:
            shutil.rmtree(cold, ignore_errors=True)
            _copy_inputs(cold, docs, overlays)
        _, output = run_timed([config.python, "-m", "benchmarks.gen_profile", str(root), *extra])
        runs[label] = json.loads(output.strip().splitlines()[-1])
    rows = []
    for stage, what in [("wall", "whole run (under the profiler)"), *STAGES.items()]:
        cells = [f"{runs[k][stage]:.2f} s" if stage in runs[k] else "—" for k in PROFILE_RUNS]
        rows.append(f"| `{stage}`: {what.strip()} | {' | '.join(cells)} |")
    return rows


def run_bounds(config: Config) -> dict[str, object]:
    """The experiments behind the "what bounds the misses" table, in a fresh process."""
    command = [config.python, "-m", "benchmarks.experiments"]
    if config.size != "full":
        command.append("--tiny")
    _, output = run_timed(command)
    bounds: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return bounds


def run_reliability(config: Config, log: Callable[[str], None]) -> dict[str, object]:
    """Load and faults against the openai SDK on one loopback server (benchmarks/reliability.py),
    each workload in a fresh client process (the minimal venvs where ``make bench`` made them)."""
    pythons = {"ours": config.python_client or config.python}
    openai_python = config.python_openai or config.python
    if not config.anchors:
        config.skipped.append("reliability / openai: --no-anchors")
    elif not first_response.has_module(openai_python, "openai"):
        config.skipped.append("reliability / openai: the `openai` package is not installed "
                              "(make bench)")
    else:
        pythons["openai"] = openai_python
    sizes = reliability.QUICK if config.size != "full" else reliability.FULL
    return reliability.measure(pythons, sizes, log)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return 0 even when a target is missed (benchmarks are not tests)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny inputs, one round")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(ALL)}")
    parser.add_argument("--rounds", type=int, help="rounds for the fast benchmarks")
    parser.add_argument("--slow-rounds", type=int, help="rounds for generation and SDK stream")
    parser.add_argument("--no-anchors", action="store_true", help="skip the anchors")
    parser.add_argument("--out", type=Path, help="where RESULTS.md and results.png go")
    parser.add_argument("--merge", action="store_true",
                        help="keep what the results.json in --out holds for the benchmarks not "
                             "run now (with --only: rerun one section, keep the rest)")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rewrite RESULTS.md and the chart from the "
                             "results.json of the last run in --out (after editing ANALYSIS.md)")
    args = parser.parse_args(argv)
    if args.report_only:
        out = args.out or ROOT / "benchmarks"
        saved, saved_context = load_results(out / "results.json")
        write_report(out, saved, saved_context)
        print(f"wrote {out / 'RESULTS.md'} from {out / 'results.json'}")
        return 0
    config = Config()
    if args.quick:
        config = Config(size="tiny", rounds=1, slow_rounds=1, batch_seconds=0.005)
    if args.only:
        unknown = set(args.only.split(",")) - set(ALL)
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
        config.only = tuple(name for name in ALL if name in args.only.split(","))
    config.rounds = args.rounds or config.rounds
    config.slow_rounds = args.slow_rounds or config.slow_rounds
    config.anchors = not args.no_anchors
    config.out = args.out or config.out
    if not args.quick:
        config.python_client = _existing(env_python(WORK, "import-client"))
        config.python_sdk = _existing(env_python(WORK, "import-sdk"))
        config.python_openai = _existing(env_python(WORK, "import-openai"))
    started = datetime.now(UTC)
    load_start = os.getloadavg()[0]
    results: dict[str, Result] = {}
    profile: list[str] = []
    bounds: dict[str, object] = {}
    reliable: dict[str, object] = {}

    def log(line: str) -> None:
        print(line, flush=True)

    try:
        for name in config.only:
            log(f"{name} ...")
            if name == "bounds":
                bounds = run_bounds(config)
            elif name == "reliability":
                reliable = run_reliability(config, log)
            elif name == "first_response":
                results[name] = run_first_response(config, log)
            elif name == "generation":
                results[name], profile = run_generation(config, log)
            elif name == "generation_full":
                full, skipped = run_generation_full(config, log)
                config.skipped.extend(skipped)
                if full is not None:
                    results[name] = full
            else:
                results[name] = run_in_process(name, config, log)
    except BenchmarkError as exc:
        print(f"benchmarks: {exc}", file=sys.stderr)
        return 1
    python = _shown(config.python)
    environments = {
        "benchmark venv": python,
        "import venv, client": _shown(config.python_client) or f"{python} (no minimal venv)",
        "import venv, SDK": _shown(config.python_sdk) or f"{python} (no minimal venv)",
        "import venv, openai": _shown(config.python_openai) or f"{python} (no minimal venv)",
    }
    context: dict[str, object] = {
        "started": started.isoformat(), "size": config.size, "skipped": config.skipped,
        "load": f"{load_start:.2f} / {os.getloadavg()[0]:.2f}", "profile": profile,
        "environments": environments, "bounds": bounds, "reliability": reliable,
        "commit": commit(),
        "machine": machine(), "packages": packages(),
    }
    if not _have("matplotlib"):
        config.skipped.append("chart: matplotlib is not installed (make bench installs it)")
    config.out.mkdir(parents=True, exist_ok=True)
    if args.merge and (config.out / "results.json").exists():
        results, context = merge_results(config.out / "results.json", results, context,
                                         config.only)
    save_results(config.out / "results.json", results, context)
    write_report(config.out, results, context)
    print()
    for verdict in verdicts(results):
        print(f"{verdict.status:4}  {verdict.name:16} {verdict.target.text:40} {verdict.shown}")
    for item in config.skipped:
        print(f"skipped: {item}")
    print(f"\nwrote {config.out / 'RESULTS.md'}")
    return 0


def save_results(path: Path, results: dict[str, Result], context: dict[str, object]) -> None:
    """Every measured time and the run's context, so the report can be rewritten later."""
    data = {"results": {name: asdict(result) for name, result in results.items()},
            "context": context}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


# Context entries that belong to one benchmark: kept from an earlier run when it is not rerun.
_SECTION_CONTEXT = {"bounds": "bounds", "generation": "profile", "reliability": "reliability"}


def merge_results(path: Path, results: dict[str, Result], context: dict[str, object],
                  ran: tuple[str, ...]) -> tuple[dict[str, Result], dict[str, object]]:
    """This run's results over the earlier run saved at ``path``: what was not rerun is kept,
    and the report says from which run it comes."""
    saved, saved_context = load_results(path)
    kept = [name for name in saved if name not in ran]
    merged = {name: saved[name] for name in kept} | results
    for section, key in _SECTION_CONTEXT.items():
        if section not in ran and saved_context.get(key) and section not in kept:
            context[key] = saved_context[key]
            kept.append(section)
    if kept:
        carried = list(saved_context.get("carried_over", []))  # type: ignore[call-overload]
        carried = [item for item in carried if item.split(":", 1)[0] not in ran]
        earlier = {item.split(":", 1)[0] for item in carried}
        started = str(saved_context.get("started", "?"))[:16].replace("T", " ")
        carried += [f"{name}: from the run of {started} UTC, commit "
                    f"{saved_context.get('commit', '?')}" for name in kept if name not in earlier]
        context["carried_over"] = carried
    return merged, context


def load_results(path: Path) -> tuple[dict[str, Result], dict[str, object]]:
    """The inverse of ``save_results``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    results = {}
    for name, raw in data["results"].items():
        series = {key: Series(**value) for key, value in raw.pop("series").items()}
        results[name] = Result(series=series, **raw)
    return results, data["context"]


def write_report(out: Path, results: dict[str, Result], context: dict[str, object]) -> None:
    """RESULTS.md, and results.png when matplotlib is there."""
    if _have("matplotlib"):
        render_chart(results, out / "results.png")
    (out / "RESULTS.md").write_text(render_markdown(results, context), encoding="utf-8")


def _shown(python: str) -> str:
    """An interpreter path as RESULTS.md shows it: relative to the repository when inside it."""
    if not python:
        return ""
    path = Path(python).absolute()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _existing(path: Path) -> str:
    return str(path) if path.exists() else ""
