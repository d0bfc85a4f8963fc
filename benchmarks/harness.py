"""Timing machinery: worker processes timed in interleaved rounds, fresh-process timings, statistics.

The machine is shared and noisy, so every benchmark is measured in rounds, and each round runs every
variant once, in an order that rotates from round to round. A ratio is computed within each round
(so a slow spell hits both sides of it) and the reported ratio is the median of those per-round
ratios; the reported times are the medians over rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class BenchmarkError(RuntimeError):
    """A benchmark could not run (a worker failed its check, a command failed)."""


@dataclass
class Series:
    """The per-round times of one variant of one benchmark, in seconds."""

    variant: str
    label: str
    times: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        """Median over rounds."""
        return statistics.median(self.times)

    @property
    def spread(self) -> tuple[float, float]:
        """The lowest and highest round."""
        return min(self.times), max(self.times)


@dataclass
class Result:
    """Every variant of one benchmark, measured in the same rounds."""

    name: str
    unit: str  # "ms" or "s": how to print the times
    series: dict[str, Series]
    rounds: int
    notes: list[str] = field(default_factory=list)

    def ratio(self, numerator: str, denominator: str) -> float | None:
        """Median over rounds of numerator time / denominator time (None when one is missing)."""
        top, bottom = self.series.get(numerator), self.series.get(denominator)
        if top is None or bottom is None or not top.times or not bottom.times:
            return None
        pairs = zip(top.times, bottom.times, strict=True)
        return statistics.median(a / b for a, b in pairs)


def rotations(items: Sequence[str], rounds: int) -> Iterator[list[str]]:
    """The order of ``items`` for each round: rotated by one every round."""
    for index in range(rounds):
        shift = index % len(items)
        yield [*items[shift:], *items[:shift]]


def bench_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for child processes: the repo importable, no bytecode writes, no hash seed
    drift between runs of the same variant."""
    env = dict(os.environ)
    paths = [str(ROOT), str(ROOT / "generated")]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if extra:
        env.update(extra)
    return env


class Worker:
    """A ``benchmarks.worker`` process serving one variant."""

    def __init__(self, python: str, case: str, variant: str, size: str,
                 batch_seconds: float) -> None:
        self.name = f"{case}/{variant}"
        self.process = subprocess.Popen(
            [python, "-m", "benchmarks.worker", case, variant, size, str(batch_seconds)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=ROOT, env=bench_env(),
        )
        hello = self._read()
        self.check = str(hello["check"])
        self.inner = int(str(hello["inner"]))

    def _read(self) -> dict[str, object]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            stderr = self.process.stderr.read() if self.process.stderr else ""
            raise BenchmarkError(f"worker {self.name} died: {stderr.strip()[-2000:]}")
        message: dict[str, object] = json.loads(line)
        if "error" in message:
            raise BenchmarkError(f"worker {self.name}: {message['error']}")
        return message

    def time_batch(self) -> float:
        """Seconds per call over one batch."""
        assert self.process.stdin is not None
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        seconds = self._read()["seconds"]
        assert isinstance(seconds, float)
        return seconds

    def close(self) -> None:
        """Ask the worker to quit and wait for it."""
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.write("quit\n")
                self.process.stdin.close()
                self.process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@contextmanager
def workers(specs: dict[str, tuple[str, str, str]], size: str,
            batch_seconds: float) -> Iterator[dict[str, Worker]]:
    """Start one worker per variant (``variant -> (python, case, variant)``); stop them after."""
    started: dict[str, Worker] = {}
    try:
        for key, (python, case, variant) in specs.items():
            started[key] = Worker(python, case, variant, size, batch_seconds)
        yield started
    finally:
        for worker in started.values():
            worker.close()


def measure_workers(name: str, labels: dict[str, str], specs: dict[str, tuple[str, str, str]],
                    *, size: str, rounds: int, batch_seconds: float,
                    progress: Callable[[str], None] = print) -> Result:
    """Time every variant of an in-process benchmark in interleaved rounds."""
    series = {key: Series(key, labels[key]) for key in specs}
    with workers(specs, size, batch_seconds) as running:
        for key, worker in running.items():
            series[key].note = f"{worker.check}; {worker.inner} call(s) per round"
        for order in rotations(list(specs), rounds):
            for key in order:
                series[key].times.append(running[key].time_batch())
            progress(f"  {name}: " + ", ".join(
                f"{key} {series[key].times[-1] * 1000:.2f} ms" for key in specs))
    return Result(name, "ms", series, rounds)


def run_timed(command: Sequence[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None,
              timeout: float = 900) -> tuple[float, str]:
    """Wall time of one command in a fresh process, and its combined output; fails loudly."""
    start = time.perf_counter()
    done = subprocess.run(list(command), cwd=cwd, env=env if env is not None else bench_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)
    elapsed = time.perf_counter() - start
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise BenchmarkError(f"{' '.join(command)} exited {done.returncode}: {output[-3000:]}")
    return elapsed, output


def python_version(python: str) -> str:
    """``sys.version`` of another interpreter."""
    if python == sys.executable:
        return sys.version.split()[0]
    _, output = run_timed([python, "-c", "import sys; print(sys.version.split()[0])"])
    return output
