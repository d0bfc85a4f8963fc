"""Generation of the whole published API: our `generate --from-spec` against openapi-python-client
on the same document (the newest in ../shared/openapi/openrouter/), in fresh processes,
interleaved; the peak memory of each, and `mypy --strict` over our package (its time and verdict).

Peak memory is the largest resident set of any process a run started (`ru_maxrss` of the waited-for
children, read by a small wrapper that runs nothing else): our generator runs datamodel-code-generator
in a second process, openapi-python-client runs ruff.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.harness import ROOT, Result, Series, rotations, run_timed

SHARED_DOCS = ROOT.parent / "shared" / "openapi" / "openrouter"

# Runs one command, then prints its wall time and the peak RSS (KiB on Linux) of its processes.
_MEASURE = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kib": peak, "rc": done.returncode,
                  "said": (done.stdout + done.stderr)[-2000:]}))
"""


def published_document(newest: bool) -> Path | None:
    """The newest (else the oldest and smallest) published OpenRouter document, or None where
    ../shared/ is absent."""
    documents = sorted(SHARED_DOCS.glob("*.yaml")) if SHARED_DOCS.is_dir() else []
    if not documents:
        return None
    return documents[-1] if newest else documents[0]


def _measured(python: str, command: Sequence[str], env: dict[str, str], cwd: Path
              ) -> dict[str, object]:
    _, output = run_timed([python, "-c", _MEASURE, *command], env=env, cwd=cwd)
    found: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    if found["rc"] != 0:
        raise RuntimeError(f"{' '.join(command)} exited {found['rc']}: {found['said']}")
    return found


def run(python: str, opc: str | None, env: dict[str, str], work: Path, rounds: int,
        log: Callable[[str], None], *, newest: bool = True, typecheck: bool = True
        ) -> tuple[Result | None, list[str]]:
    """The result (None without a published document) and lines for the skipped list."""
    document = published_document(newest)
    if document is None:
        return None, [f"generation, whole API: no document in {SHARED_DOCS} (../shared/ absent)"]
    skipped: list[str] = []
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ours_out, opc_out = work / "ours", work / "opc"
    commands: dict[str, list[str]] = {
        "ours": [python, "-m", "openrouter_codegen", "generate", "--from-spec", str(document),
                 "--out", str(ours_out)]}
    if opc:
        commands["anchor"] = [opc, "generate", "--path", str(document), "--output-path",
                              str(opc_out), "--overwrite"]
    else:
        skipped.append("generation, whole API / openapi-python-client: not installed")
    labels = {"ours": f"generate --from-spec {document.name}",
              "anchor": f"openapi-python-client generate --path {document.name}"}
    series = {key: Series(key, labels[key]) for key in commands}
    peaks: dict[str, int] = {key: 0 for key in commands}
    for order in rotations(list(commands), rounds):
        for key in order:
            shutil.rmtree(ours_out if key == "ours" else opc_out, ignore_errors=True)
            found = _measured(sys.executable, commands[key], env, work)
            series[key].times.append(float(str(found["seconds"])))
            peaks[key] = max(peaks[key], int(str(found["peak_kib"])))
        log("  generation, whole API: " + ", ".join(
            f"{k} {series[k].times[-1]:.2f} s" for k in commands))
    for key in commands:
        series[key].note = f"peak memory {peaks[key] / 1024:.0f} MiB (largest process)"
    result = Result("generation_full", "s", series, rounds)
    if typecheck:
        seconds, said = _mypy(python, ours_out, env)
        groups = sum(1 for _ in ours_out.rglob("api/*.py"))
        result.notes.append(f"`mypy --strict` on our package of {document.name} ({groups} api "
                            f"modules): {said} in {seconds:.1f} s")
    else:
        skipped.append("generation, whole API / mypy --strict: not run with --quick")
    return result, skipped


def _mypy(python: str, out: Path, env: dict[str, str]) -> tuple[float, str]:
    package = next(p for p in out.iterdir() if (p / "__init__.py").exists())
    seconds, output = run_timed([python, "-m", "mypy", "--strict", "--no-incremental",
                                 package.name], env=env, cwd=out)
    return seconds, output.strip().splitlines()[-1]
