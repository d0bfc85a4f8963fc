"""Targets, verdicts, RESULTS.md and the PNG chart of the ratios."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from benchmarks.harness import ROOT, Result

PACKAGES = ("httpx", "httpx-sse", "msgspec", "httpcore", "jinja2", "black", "datamodel-code-generator",
            "pyyaml", "openrouter", "pydantic", "pydantic-core", "openapi-python-client", "ruff",
            "matplotlib")


@dataclass(frozen=True)
class Target:
    """One line of the issue's target table.

    ``kind`` "baseline": ours ÷ baseline must be at most ``limit``; "anchor": anchor ÷ ours (how
    many times faster we are) must be at least ``limit``; "anchor_max": ours ÷ anchor at most.
    """

    benchmark: str
    kind: str
    limit: float
    text: str
    ours: str = "ours"
    label: str = ""
    anchor: str = "anchor"


TARGETS: tuple[Target, ...] = (
    Target("decode", "baseline", 2.0, "≤ 2.0 × json.loads"),
    Target("decode", "anchor", 2.5, "≥ 2.5 × faster than the official SDK"),
    Target("stream", "baseline", 3.0, "≤ 3.0 × split + json.loads"),
    Target("stream", "anchor", 10.0, "≥ 10 × faster than the official SDK"),
    Target("first_response", "baseline", 2.0, "≤ 2.0 × bare httpx", "ours",
           "first response, spec/docs/"),
    Target("first_response", "baseline", 2.0, "≤ 2.0 × bare httpx", "ours_full",
           "first response, whole API"),
    Target("first_response", "anchor", 3.0, "≥ 3 × faster than the official SDK", "ours_full",
           "first response, whole API"),
    Target("first_response", "anchor", 3.0, "≥ 3 × faster than the openai SDK", "ours_full",
           "first response, whole API", "openai"),
    Target("percall", "baseline", 1.5, "≤ 1.5 × bare httpx"),
    Target("percall", "anchor", 5.0, "≥ 5 × faster than the official SDK"),
    Target("generation", "anchor_max", 1.0, "≤ 1.0 × openapi-python-client", "ours_cold",
           "generation COLD"),
    Target("generation", "anchor_max", 1.0, "≤ 1.0 × openapi-python-client", "ours_change",
           "generation DOCS CHANGE"),
    Target("generation", "anchor_max", 1.0, "≤ 1.0 × openapi-python-client", "black_cold",
           "generation COLD, --formatter black"),
    Target("generation", "anchor_max", 1.0, "≤ 1.0 × openapi-python-client", "black_warm",
           "generation WARM, --formatter black"),
    Target("generation", "anchor_max", 1.0, "≤ 1.0 × openapi-python-client", "black_change",
           "generation DOCS CHANGE, --formatter black"),
    Target("generation_full", "anchor_max", 1.0, "≤ 1.0 × openapi-python-client", "ours",
           "generation, whole published API"),
)


@dataclass(frozen=True)
class Verdict:
    """A target with its measured ratio (None: not measured)."""

    target: Target
    measured: float | None

    @property
    def passed(self) -> bool | None:
        """True / False, or None when not measured."""
        if self.measured is None:
            return None
        if self.target.kind == "anchor":
            return self.measured >= self.target.limit
        return self.measured <= self.target.limit

    @property
    def name(self) -> str:
        """The benchmark as shown in tables and the chart."""
        return self.target.label or self.target.benchmark

    @property
    def shown(self) -> str:
        """The measured ratio as text."""
        if self.measured is None:
            return "not measured"
        digits = 2
        # 2.003 shown as "2.00" beside MISS would read as a pass: show the digit that decides.
        while digits < 6 and f"{self.measured:.{digits}f}" == f"{self.target.limit:.{digits}f}" \
                and self.measured != self.target.limit:
            digits += 1
        text = f"{self.measured:.{digits}f} ×"
        return f"{text} faster" if self.target.kind == "anchor" else text

    @property
    def status(self) -> str:
        """PASS, MISS or SKIP."""
        return {True: "PASS", False: "MISS", None: "SKIP"}[self.passed]


def verdicts(results: dict[str, Result]) -> list[Verdict]:
    """Every target against the results (missing benchmarks or variants give SKIP)."""
    out = []
    for target in TARGETS:
        result = results.get(target.benchmark)
        measured = None
        if result is not None:
            if target.kind == "baseline":
                measured = result.ratio(target.ours, "baseline")
            elif target.kind == "anchor":
                measured = result.ratio(target.anchor, target.ours)
            else:
                measured = result.ratio(target.ours, target.anchor)
        out.append(Verdict(target, measured))
    return out


def machine() -> dict[str, str]:
    """CPU, cores, memory, OS and interpreter of this run."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores (nproc)": str(os.cpu_count()),
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {sys.version.split()[0]}",
    }


def packages() -> dict[str, str]:
    """Installed versions of the packages that matter here."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def commit() -> str:
    """The git commit measured, with a note when the tree has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "generated", "templates",
                                "openrouter_codegen"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes in openrouter_codegen, templates or generated)" if dirty else "")


def _time(seconds: float, unit: str) -> str:
    return f"{seconds * 1000:.2f} ms" if unit == "ms" else f"{seconds:.2f} s"


def _times_table(results: dict[str, Result]) -> list[str]:
    lines = ["| benchmark | variant | median | fastest – slowest round | rounds |",
             "|---|---|---|---|---|"]
    for result in results.values():
        for series in result.series.values():
            if not series.times:
                continue
            low, high = series.spread
            lines.append(f"| {result.name} | {series.label} | {_time(series.median, result.unit)}"
                         f" | {_time(low, result.unit)} – {_time(high, result.unit)} |"
                         f" {len(series.times)} |")
    return lines


def render_markdown(results: dict[str, Result], context: dict[str, object]) -> str:
    """RESULTS.md: machine, versions, targets with PASS/MISS, times, checks, notes, analysis."""
    found = verdicts(results)
    started_value = context.get("started")
    started = (datetime.fromisoformat(started_value) if isinstance(started_value, str)
               else datetime.now(UTC))
    lines = [
        "# Benchmark results",
        "",
        (f"Written by `make bench` (`python -m benchmarks`) on {started:%Y-%m-%d %H:%M} UTC, "
         f"commit {context.get('commit', commit())}, input size `{context.get('size', 'full')}`. "
         "Do not edit by hand: the method and analysis at the end come from `benchmarks/METHOD.md`"
         " and `benchmarks/ANALYSIS.md`."),
        "",
        "## Machine and versions",
        "",
        "| | |",
        "|---|---|",
    ]
    for key, value in dict(context.get("machine") or machine()).items():  # type: ignore[call-overload]
        lines.append(f"| {key} | {value} |")
    load = context.get("load")
    if load:
        lines.append(f"| load average (1 min) at start / end | {load} |")
    for name, value in dict(context.get("packages") or packages()).items():  # type: ignore[call-overload]
        lines.append(f"| {name} | {value} |")
    for name, value in dict(context.get("environments", {})).items():  # type: ignore[call-overload]
        lines.append(f"| {name} | {value} |")
    lines += ["", "## Targets", "", "| benchmark | target | measured | result |",
              "|---|---|---|---|"]
    for verdict in found:
        lines.append(f"| {verdict.name} | {verdict.target.text} | {verdict.shown} |"
                     f" **{verdict.status}** |")
    lines += ["", "![ratios](results.png)", "",
              "## Times", "",
              "Medians over interleaved rounds; the ratios above are medians of per-round ratios.",
              ""]
    lines += _times_table(results)
    lines += ["", "## What each variant did (checked before timing)", ""]
    for result in results.values():
        for series in result.series.values():
            if series.note:
                lines.append(f"- {result.name} / {series.label}: {series.note}")
        for note in result.notes:
            lines.append(f"- {result.name}: {note}")
    carried = context.get("carried_over")
    if carried:
        lines += ["", "## Carried over from an earlier run (`--merge`)", ""]
        lines += [f"- {item}" for item in carried]  # type: ignore[attr-defined]
    skipped = context.get("skipped")
    if skipped:
        lines += ["", "## Skipped", ""]
        lines += [f"- {item}" for item in skipped]  # type: ignore[attr-defined]
    profile = context.get("profile")
    if profile:
        lines += ["", "## Where generation time goes (one profiled run each)", "",
                  "| stage | default, COLD | --formatter black, COLD | --formatter black, WARM |",
                  "|---|---|---|---|"]
        lines += list(profile)  # type: ignore[call-overload]
    bounds = context.get("bounds")
    collector = render_collector_bound(results)
    if collector or (isinstance(bounds, dict) and bounds):
        lines += ["", "## What bounds the misses (measured in this run)", ""]
        lines += collector
        if isinstance(bounds, dict) and bounds:
            lines += render_bounds(bounds)
    reliable = context.get("reliability")
    if isinstance(reliable, dict) and reliable:
        lines += ["", *render_reliability(reliable)]
    method = Path(__file__).with_name("METHOD.md")
    analysis = Path(__file__).with_name("ANALYSIS.md")
    for path in (method, analysis):
        if path.exists():
            lines += ["", path.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def render_chart(results: dict[str, Result], path: Path) -> None:
    """A PNG with two panels: ours ÷ baseline, and speed-up over the anchor, each with targets."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    found = [v for v in verdicts(results) if v.measured is not None]
    panels = [
        ([v for v in found if v.target.kind == "baseline"],
         "ours ÷ baseline (lower is better)", False),
        ([v for v in found if v.target.kind != "baseline"],
         "how many × faster than the anchor (higher is better)", True),
    ]
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    for axis, (items, title, log) in zip(axes, panels, strict=True):
        axis.set_title(title, fontsize=10)
        if not items:
            axis.text(0.5, 0.5, "not measured", ha="center", va="center")
            continue
        names, values, limits, colors = [], [], [], []
        for verdict in items:
            value = verdict.measured
            assert value is not None
            limit = verdict.target.limit
            if verdict.target.kind == "anchor_max":  # shown as a speed-up: anchor ÷ ours
                value, limit = 1 / value, 1 / limit
            names.append(verdict.name)
            values.append(value)
            limits.append(limit)
            colors.append("#2e7d32" if verdict.passed else "#c62828")
        positions = list(range(len(items)))
        axis.barh(positions, values, color=colors)
        for position, limit, value in zip(positions, limits, values, strict=True):
            axis.plot([limit, limit], [position - 0.42, position + 0.42], color="black",
                      linestyle="--", linewidth=1.2)
            axis.text(value, position, f" {value:.2f}×", va="center", fontsize=8)
        axis.set_yticks(positions, names, fontsize=9)
        axis.invert_yaxis()
        if log:
            axis.set_xscale("log")
        axis.set_xlim(right=max(values + limits) * (3 if log else 1.25))
    figure.text(0.5, 0.01, "dashed line: target; green: PASS, red: MISS", ha="center",
                fontsize=8)
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    figure.savefig(path, dpi=110)
    plt.close(figure)


def render_collector_bound(results: dict[str, Result]) -> list[str]:
    """Markdown for the decode variant with the garbage collector paused (empty if not run)."""
    decode = results.get("decode")
    paused = decode.ratio("ours_gc_paused", "baseline") if decode else None
    if decode is None or paused is None:
        return []
    shipped = decode.ratio("ours", "baseline")
    text = ("Decode with the garbage collector paused around each call (`ours_gc_paused`, in the "
            f"same rounds as the targets; the client does not pause it): {paused:.2f} × "
            "`json.loads`")
    paused_faster = decode.ratio("anchor", "ours_gc_paused")
    if paused_faster is not None:
        text += f" and {paused_faster:.2f} × faster than the official SDK"
    if shipped is not None:
        text += f", where the client as shipped measures {shipped:.2f} ×"
        shipped_faster = decode.ratio("anchor", "ours")
        if paused_faster is not None and shipped_faster is not None:
            text += f" and {shipped_faster:.2f} × faster"
    text += (". The difference is the collections the decoded objects trigger; the analysis "
             "below says why the client leaves the collector alone.")
    return [text, ""]


def render_bounds(bounds: dict[str, Any]) -> list[str]:
    """Markdown for the output of ``benchmarks.experiments`` (best of several runs each)."""
    intro = ("Best of several runs each (`python -m benchmarks.experiments`), so these compare "
             "with each other rather than with the medians above.")
    lines = [intro, ""]
    decode = bounds.get("decode_parts") or {}
    if decode:
        loads, total = decode["json.loads"], decode["ModelsListResponse.from_json"]
        loads_off = decode.get("json.loads, GC off", loads)
        total_off = decode.get("ModelsListResponse.from_json, GC off", total)
        text = (f"Decode: `json.loads` of the body takes {loads * 1000:.2f} ms and "
                f"`ModelsListResponse.from_json` of the parsed value {total * 1000:.2f} ms "
                f"({total / loads:.2f} × `json.loads`). "
                f"With the garbage collector off the two take {loads_off * 1000:.2f} ms and "
                f"{total_off * 1000:.2f} ms: every decoded object is a tracked container, and "
                "the collections they trigger are part of the price.")
        if "client path" in decode:
            path, path_off = decode["client path"], decode["client path, GC off"]
            parser = decode["client loads (msgspec)"]
            text += (f" The client parses with msgspec: {parser * 1000:.2f} ms for the same bytes "
                     f"({parser / loads:.2f} × `json.loads`). Parse plus `from_json` take "
                     f"{path * 1000:.2f} ms ({path / loads:.2f} × `json.loads`) with the collector "
                     f"on and {path_off * 1000:.2f} ms with it off ({path_off / loads_off:.2f} × "
                     "`json.loads` with the collector off too).")
        text += (f" By class, GC on ({decode['fields_per_model']:.1f} JSON keys per model):")
        lines += [text, "", "| class | objects | total | per object |", "|---|---|---|---|"]
        for name, part in decode.items():
            if isinstance(part, dict):
                lines.append(f"| `{name}.from_json` (with what it nests) | {part['objects']} |"
                             f" {part['seconds'] * 1000:.2f} ms |"
                             f" {part['per_object'] * 1e6:.2f} µs |")
        lines.append("")
    black = bounds.get("black") or {}
    if black:
        text = (f"Generation with `--formatter black`, COLD: on the rendered `{black['file']}` "
                f"({black['lines']} lines "
                f"once formatted), one black pass takes "
                f"{black['generator_seconds']:.2f} s; black's full `format_str` takes "
                f"{black['format_str_seconds']:.2f} s (it formats a second time whenever the first "
                "pass changed anything) and one pass over text that is already black's "
                f"{black['formatted_seconds']:.2f} s.")
        if "package_cpu_seconds" in black:
            cpu, cores = black["package_cpu_seconds"], black["cores"]
            text += (f" One black pass over every file of the package is {cpu:.2f} s of CPU; "
                     f"cut into top-level blocks and spread over {cores} cores the generator "
                     f"formats the package in {black['package_blocks_seconds']:.2f} s (the work "
                     f"divided by the cores is {cpu / cores:.2f} s).")
        ruff = black.get("ruff_format_package_seconds")
        if ruff is not None:
            text += (f" `ruff format` (the default formatter) formats the whole rendered "
                     f"package ({black['package_lines']} lines) in {ruff:.3f} s.")
        lines += [text, ""]
    dcg = bounds.get("dcg_format") or {}
    if dcg:
        same = "identical" if dcg["same_models"] else "NOT identical"
        asks = ("asks for it" if dcg["generator_formats"]
                else "no longer asks for it (`parse(format_=False)`)")
        text = ("Generation, WARM and COLD: datamodel-code-generator can render and black-format "
                "model modules the generator never reads (it uses the parsed models only); the "
                f"schema stage takes {dcg['format_true_seconds']:.2f} s with that formatting and "
                f"{dcg['format_false_seconds']:.2f} s without, the parsed models are {same}, and "
                f"the generator {asks}.")
        lines += [text, ""]
    return lines


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(run[key]) for run in runs)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or "none"


def render_reliability(reliable: dict[str, Any]) -> list[str]:
    """Markdown for ``benchmarks.reliability``: load (medians over rounds) and faults."""
    sizes, labels, results = reliable["sizes"], reliable["labels"], reliable["results"]
    lines = [
        "## Reliability under load and under faults (against the openai SDK)",
        "",
        (f"`benchmarks/reliability.py`: one loopback server (asyncio, its own process), each "
         "workload in a fresh client process through the async client of each SDK, "
         f"`max_retries=2`, timeout {sizes.get('load_timeout', '?')} s under load and "
         f"{sizes['timeout']} s under faults. Load: medians over "
         f"{sizes['rounds']} interleaved rounds; RSS is the client process's peak "
         "(imports included), the largest of the rounds."),
        "",
        "| workload | client | ok | throughput | p50 | p99 | connections opened | peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    load = {"calls": (f"{sizes['calls']} concurrent calls", "per_second", "calls/s"),
            "streams": (f"{sizes['streams']} concurrent streams of {sizes['chunks']} chunks",
                        "chunks_per_second", "chunks/s")}
    for name, (what, key, unit) in load.items():
        for variant, runs in results.get(name, {}).items():
            if not runs:
                continue
            ok = min(run["successes"] for run in runs)
            lines.append(
                f"| {what} | {labels[variant]} | {ok}/{runs[0]['count']} |"
                f" {_median(runs, key):,.0f} {unit} | {_median(runs, 'p50') * 1000:.0f} ms |"
                f" {_median(runs, 'p99') * 1000:.0f} ms |"
                f" {statistics.median(run['server']['accepts'] for run in runs):.0f} |"
                f" {max(run['peak_rss_mib'] for run in runs):.1f} MiB |")
    lines += [
        "",
        (f"Faults (seed {reliable['seed']}; chosen per call and attempt, so both clients meet "
         f"the same plan), {sizes['fault_concurrency']} at a time. Typed: the SDK's own "
         "exception classes. Resent after read: a request head for a call whose earlier "
         "attempt the server had read whole and acted on (answered 200, or reset, stalled or "
         "truncated after reading; not 429 / 503). Truncated silently: a stream that ended "
         "without an error but short of its chunks or without `finish_reason`."),
        "",
        ("| workload | client | ok | typed errors | other errors | attempts per call |"
         " POSTs resent after the server read them (target 0) |"
         " streams truncated silently (target 0) | connections opened |"),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    faults = {"fault_calls": f"{sizes['fault_calls']} calls",
              "fault_streams": f"{sizes['fault_streams']} streams"}
    played: list[str] = []
    for name, what in faults.items():
        for variant, runs in results.get(name, {}).items():
            if not runs:
                continue
            run = runs[0]
            server = run["server"]
            typed = {k: v for k, v in run["errors"].items() if k not in run["untyped"]}
            silent = run["silently_truncated"] if name == "fault_streams" else "—"
            lines.append(
                f"| {what} | {labels[variant]} | {run['successes']}/{run['count']} |"
                f" {_counts(typed)} | {_counts(run['untyped'])} |"
                f" {server['heads'] / run['count']:.2f} | {server['resent_after_read']} |"
                f" {silent} | {server['accepts']} |")
            played.append(f"{what}, {labels[variant]}: {_counts(server['played'])}")
    lines += ["", "Faults the server played (per attempt):", ""]
    lines += [f"- {item}" for item in played]
    return lines
