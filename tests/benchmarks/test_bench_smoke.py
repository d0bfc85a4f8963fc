"""Smoke test of the benchmarks: each one runs once on a tiny input, so they cannot rot.

Benchmarks are not tests: nothing here checks a speed. What is checked is that every benchmark
still runs, does the work it claims (its checks pass), and that the report says what it measured.
The anchors (the official `openrouter` SDK, openapi-python-client) and matplotlib are installed
only in the bench venv (`make bench`); `make test` runs this module there with
OPENROUTER_BENCH_ANCHORS=required, so their parts run and fail if they are missing. Run elsewhere
(a plain `pytest` in the dev venv), only their parts are skipped.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import first_response, reliability
from benchmarks.cases import CASES, setup
from benchmarks.harness import ROOT, Result, Series, rotations
from benchmarks.make_models_body import make_models_body
from benchmarks.make_stream_body import make_stream_body, make_stream_pieces
from benchmarks.report import TARGETS, Verdict, render_markdown, verdicts

# Under `make test` nothing may be skipped: a missing anchor is then a failure, not a skip.
REQUIRED = os.environ.get("OPENROUTER_BENCH_ANCHORS") == "required"
SHARED_REQUIRED = os.environ.get("OPENROUTER_SHARED_REQUIRED") == "1"
HAVE_SDK = REQUIRED or importlib.util.find_spec("openrouter") is not None
HAVE_MATPLOTLIB = REQUIRED or importlib.util.find_spec("matplotlib") is not None
HAVE_OPENAI = REQUIRED or importlib.util.find_spec("openai") is not None
NO_SDK = "the official `openrouter` SDK (an anchor) is installed only by `make bench`"
NO_MATPLOTLIB = "matplotlib (for the chart) is installed only by `make bench`"

OWN_VARIANTS = [(case, variant) for case, variants in CASES.items() for variant in variants
                if variant not in ("anchor", "openai")]
OPENAI_CASES = [case for case, variants in CASES.items() if "openai" in variants]
ANCHOR_CASES = [case for case, variants in CASES.items() if "anchor" in variants]


@pytest.mark.parametrize(("case", "variant"), OWN_VARIANTS)
def test_each_variant_does_its_work_on_a_tiny_input(case: str, variant: str) -> None:
    prepared = setup(case, variant, "tiny")
    summary = prepared.check(prepared.run())
    expected = {"decode": "5 models", "decode_quirky": "5 models", "stream": "20 chunks",
                "percall": "POST /api/v1/chat/completions"}[case]
    assert expected in summary
    if variant == "ours":
        assert "openrouter_client" in summary


@pytest.mark.skipif(not HAVE_SDK, reason=NO_SDK)
@pytest.mark.parametrize("case", ANCHOR_CASES)
def test_each_anchor_does_the_same_work(case: str) -> None:
    prepared = setup(case, "anchor", "tiny")
    assert "openrouter." in prepared.check(prepared.run())


@pytest.mark.skipif(not HAVE_OPENAI, reason="the `openai` SDK is installed only by `make bench`")
@pytest.mark.parametrize("case", OPENAI_CASES)
def test_the_openai_anchor_does_the_same_work(case: str) -> None:
    prepared = setup(case, "openai", "tiny")
    summary = prepared.check(prepared.run())
    assert "openai.types.chat" in summary
    assert {"stream": "20 chunks", "percall": "POST /api/v1/chat/completions"}[case] in summary


def test_a_check_refuses_a_wrong_result() -> None:
    prepared = setup("decode", "ours", "tiny")
    with pytest.raises(AssertionError, match="expected 5 models"):
        prepared.check({"data": []})


def test_the_stream_body_is_a_live_like_event_stream() -> None:
    pieces = make_stream_pieces(20)
    body = make_stream_body(20)
    assert b"".join(pieces) == body
    assert body.startswith(b": OPENROUTER PROCESSING\n\n")
    assert body.endswith(b"data: [DONE]\n\n")
    events = [json.loads(line[6:]) for line in body.splitlines()
              if line.startswith(b"data: {")]
    assert len(events) == 20
    assert events[-1]["choices"][0]["finish_reason"] == "stop"
    assert "usage" in events[-1] and "usage" not in events[0]
    assert make_stream_body(20) == body  # deterministic


def test_the_complete_models_body_adds_only_keys() -> None:
    plain = json.loads(make_models_body(30))
    complete = json.loads(make_models_body(30, complete=True))
    assert complete["total_count"] == 30 and complete["links"] == {"next": None}
    for before, after in zip(plain["data"], complete["data"], strict=True):
        assert {"links", "supported_voices", "per_request_limits",
                "default_parameters"} <= after.keys()
        assert {key: after[key] for key in before} == before


def _result(name: str, **times: list[float]) -> Result:
    return Result(name, "ms", {key: Series(key, key, list(values))
                               for key, values in times.items()}, len(next(iter(times.values()))))


def test_ratios_are_medians_of_per_round_ratios_and_verdicts_follow_the_targets() -> None:
    decode = _result("decode", baseline=[1.0, 2.0, 1.0], ours=[1.9, 2.2, 5.0],
                     anchor=[5.0, 5.0, 1.0])
    # Per-round ours/baseline: 1.9, 1.1, 5.0 -> median 1.9 (the medians' ratio would be 2.2).
    assert decode.ratio("ours", "baseline") == pytest.approx(1.9)
    generation = _result("generation", ours_cold=[1.5, 1.6], ours_change=[2.5, 2.1],
                         black_cold=[3.0, 3.0], black_warm=[1.0, 1.0], black_change=[2.5, 2.1],
                         anchor=[2.0, 2.0])
    verdict_list = verdicts({"decode": decode, "generation": generation})
    found = {(v.name, v.target.kind): v for v in verdict_list}
    assert found[("decode", "baseline")].status == "PASS"
    assert found[("decode", "anchor")].measured == pytest.approx(5.0 / 2.2)
    assert found[("decode", "anchor")].status == "MISS"  # 2.27 x faster, 2.5 x asked
    assert found[("generation COLD", "anchor_max")].status == "PASS"  # 0.78 x
    assert found[("generation DOCS CHANGE", "anchor_max")].status == "MISS"  # 1.15 x
    assert found[("generation COLD, --formatter black", "anchor_max")].status == "MISS"
    assert found[("generation WARM, --formatter black", "anchor_max")].status == "PASS"
    assert found[("generation DOCS CHANGE, --formatter black", "anchor_max")].status == "MISS"
    assert found[("stream", "baseline")].status == "SKIP"
    assert len({(v.name, v.target.kind, v.target.text) for v in verdict_list}) == len(TARGETS)
    first = [v for v in verdict_list if v.target.benchmark == "first_response"]
    assert [v.target.anchor for v in first if v.target.kind == "anchor"] == ["anchor", "openai"]
    assert all(v.status == "SKIP" for v in first)
    text = render_markdown({"decode": decode}, {"size": "tiny", "skipped": ["x: because"]})
    assert "| decode | ≤ 2.0 × json.loads | 1.90 × | **PASS** |" in text
    assert "- x: because" in text


def test_the_collector_bound_is_reported_beside_the_client_as_shipped() -> None:
    decode = _result("decode", baseline=[1.0, 1.0], ours=[2.0, 2.2], ours_gc_paused=[1.6, 1.6],
                     anchor=[6.0, 6.6])
    text = render_markdown({"decode": decode}, {"size": "tiny"})
    bounds = text.split("## What bounds the misses", 1)[1].split("\n## ", 1)[0]
    # per round, SDK / paused: 3.75 and 4.125 -> 3.94; SDK / ours: 3.0 and 3.0
    assert "1.60 × `json.loads` and 3.94 × faster than the official SDK" in bounds
    assert "as shipped measures 2.10 × and 3.00 × faster" in bounds
    # The bound is not a target: the verdicts are the client's own.
    found = {v.target.kind: v for v in verdicts({"decode": decode}) if v.name == "decode"}
    assert found["baseline"].measured == pytest.approx(2.1)
    assert "## What bounds the misses" not in render_markdown(
        {"decode": _result("decode", baseline=[1.0], ours=[2.0])}, {"size": "tiny"})


def test_the_paused_variant_pauses_the_collector_and_restores_its_state() -> None:
    from benchmarks.cases import Prepared, _gc_paused

    seen: list[bool] = []
    paused = _gc_paused(Prepared(lambda: seen.append(gc.isenabled()), lambda _: ""))
    assert gc.isenabled()
    paused.run()
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        paused.run()
        assert not gc.isenabled()  # a collector the caller switched off stays off
    finally:
        gc.enable()


def test_a_ratio_at_the_limit_shows_the_digit_that_decides() -> None:
    [decode, faster] = [v for v in verdicts({"decode": _result(
        "decode", baseline=[1.0], ours=[2.003], anchor=[5.0025])}) if v.name == "decode"]
    assert (decode.shown, decode.status) == ("2.003 ×", "MISS")
    assert faster.shown == "2.498 × faster"  # 5.0025 / 2.003 = 2.4975
    assert faster.status == "MISS"
    assert Verdict(decode.target, 1.5).shown == "1.50 ×"


def test_rounds_rotate_so_no_variant_always_runs_first() -> None:
    orders = list(rotations(["a", "b", "c"], 4))
    assert orders == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"]]


def test_the_whole_run_on_tiny_inputs_writes_the_results(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "## Machine and versions" in results and "| cores (nproc) |" in results
    for row in ("| decode | ≤ 2.0 × json.loads |", "| stream | ≤ 3.0 × split + json.loads |",
                "| first response, spec/docs/ | ≤ 2.0 × bare httpx |",
                "| first response, whole API | ≤ 2.0 × bare httpx |",
                "| percall | ≤ 1.5 × bare httpx |"):
        line = next(line for line in results.splitlines() if line.startswith(row))
        assert "**PASS**" in line or "**MISS**" in line, line  # measured, whatever the speed
    for label in ("generate (default, ruff format), COLD", "generate (default) after a docs change",
                  "generate --formatter black, COLD", "generate --formatter black, WARM",
                  "generate --formatter black after a docs change"):
        assert label in results, label
    profile = results.split("## Where generation time goes", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("`")[1]: line for line in profile.splitlines() if line.startswith("| `")}
    # the profile ran: each formatter's stage was found in its own runs (default, black, black)
    assert re.search(r"\| \d+\.\d\d s \| — \| — \|$", rows["ruff_format_files"]), rows
    assert re.search(r"\| — \| \d+\.\d\d s \| \d+\.\d\d s \|$", rows["format_files"]), rows
    assert "## What bounds the misses" in results and "datamodel-code-generator can" in results
    targets = results.split("## Targets", 1)[1].split("\n## ", 1)[0].splitlines()
    anchor_rows = [line for line in targets if "faster than" in line
                   or "openapi-python-client |" in line]
    assert len(anchor_rows) == 11
    if HAVE_SDK:
        assert all("**SKIP**" not in line for line in anchor_rows if "openrouter" in line
                   or "SDK" in line)
    else:
        assert "the `openrouter` package is not installed" in results
    # The whole-API package was generated from ../shared/ and measured (CI has ../shared/).
    if SHARED_REQUIRED or first_response.SHARED_DOCS.is_dir():
        assert "openrouter_client (spec/docs/ + the whole published API)" in results
        row = next(line for line in targets if "generation, whole published API" in line)
        assert "**PASS**" in row or "**MISS**" in row, row
    if HAVE_OPENAI:
        assert "openai SDK Stream (create(stream=True), base_url)" in results
    if HAVE_MATPLOTLIB:
        assert (tmp_path / "results.png").read_bytes().startswith(b"\x89PNG")
    else:
        assert "chart: matplotlib is not installed" in results
    # The reliability workloads ran against the loopback server, and the report shows them.
    saved = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    runs = saved["context"]["reliability"]["results"]
    clients = ["ours", "openai"] if HAVE_OPENAI else ["ours"]
    sizes = reliability.QUICK
    for name, count in (("calls", sizes.calls), ("streams", sizes.streams)):
        for client in clients:
            [run] = runs[name][client]
            assert run["successes"] == count and run["server"]["reads"] == count, run
            assert 0 < run["server"]["accepts"] <= count + 1 and run["peak_rss_mib"] > 10
    assert runs["streams"]["ours"][0]["chunks_per_second"] > 0
    for name, count in (("fault_calls", sizes.fault_calls),
                        ("fault_streams", sizes.fault_streams)):
        for client in clients:
            [run] = runs[name][client]
            assert run["server"]["heads"] >= count and len(run["server"]["played"]) >= 3, run
            assert run["successes"] + sum(run["errors"].values()) == count
        ours = runs[name]["ours"][0]
        # the client's own promises: no POST resent once read, no stream cut short silently
        assert ours["server"]["resent_after_read"] == 0 and ours["silently_truncated"] == 0
        assert ours["untyped"] == {}
    section = results.split("## Reliability under load and under faults", 1)[1]
    assert section.count("| openrouter_client (AsyncOpenRouter) |") == 4
    if HAVE_OPENAI:
        assert section.count("| openai SDK (AsyncOpenAI, base_url) |") == 4
    else:
        assert "reliability / openai: the `openai` package is not installed" in results
    # The report can be rewritten from the saved times without measuring again.
    (tmp_path / "RESULTS.md").unlink()
    again = subprocess.run([sys.executable, "-m", "benchmarks", "--report-only", "--out",
                            str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                           timeout=120, check=False)
    assert again.returncode == 0, again.stderr[-3000:]
    assert (tmp_path / "RESULTS.md").read_text(encoding="utf-8") == results


@pytest.mark.skipif(not HAVE_MATPLOTLIB, reason=NO_MATPLOTLIB)
def test_the_chart_is_a_png(tmp_path: Path) -> None:
    from benchmarks.report import render_chart

    decode = _result("decode", baseline=[1.0], ours=[1.5], anchor=[9.0])
    render_chart({"decode": decode}, tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("variant", ["baseline", "ours", "anchor", "openai"])
def test_each_first_response_probe_is_a_complete_program(variant: str) -> None:
    """The probes run in other interpreters; here each is at least valid Python that imports
    its client and times up to the answer's text."""
    script = first_response.probe(variant)
    compile(script, f"<{variant}>", "exec")
    assert script.startswith("import time\nstart = time.perf_counter()\n")
    assert "assert text" in script and script.rstrip().endswith("print(repr(time.perf_counter() - start))")


def test_the_ours_probe_answers_through_the_committed_package() -> None:
    done = subprocess.run([sys.executable, "-c", first_response.probe("ours")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert float(done.stdout.strip().splitlines()[-1]) > 0


def test_the_fault_plan_is_seeded_per_call_and_attempt() -> None:
    plan = [reliability.fault_for(19, f"c{call}", attempt) for call in range(200)
            for attempt in (1, 2, 3)]
    assert plan == [reliability.fault_for(19, f"c{call}", attempt) for call in range(200)
                    for attempt in (1, 2, 3)]
    assert set(plan) == {name for name, _ in reliability.FAULTS_CALL}
    streams = {reliability.fault_for(19, f"s{call}", 1) for call in range(300)}
    assert "half_event" in streams and "half_event" not in plan
    assert plan != [reliability.fault_for(20, f"c{call}", attempt) for call in range(200)
                    for attempt in (1, 2, 3)]


def test_merge_keeps_the_sections_not_rerun_and_says_so(tmp_path: Path) -> None:
    from benchmarks.run import merge_results, save_results

    earlier = {"decode": _result("decode", baseline=[1.0], ours=[2.0])}
    save_results(tmp_path / "results.json", earlier,
                 {"started": "2026-12-01T10:00:00+00:00", "commit": "abc1234",
                  "bounds": {"x": 1}, "reliability": {"old": True}})
    now = {"stream": _result("stream", baseline=[1.0], ours=[1.5])}
    merged, context = merge_results(tmp_path / "results.json", now,
                                    {"reliability": {"new": True}}, ("stream", "reliability"))
    assert set(merged) == {"decode", "stream"}
    assert context["bounds"] == {"x": 1} and context["reliability"] == {"new": True}
    assert context["carried_over"] == [
        "decode: from the run of 2026-12-01 10:00 UTC, commit abc1234",
        "bounds: from the run of 2026-12-01 10:00 UTC, commit abc1234"]
    text = render_markdown(merged, {**context, "reliability": {}})
    assert "## Carried over from an earlier run" in text and "- decode: from the run" in text
