"""One benchmark variant in a process of its own, timed on request.

``python -m benchmarks.worker CASE VARIANT SIZE BATCH_SECONDS`` sets the work up, runs it once and
checks the result, picks how many calls make one batch of about BATCH_SECONDS, and prints one JSON
line: ``{"check": ..., "inner": ...}``. Then each ``run`` line on stdin times one batch (after a
``gc.collect()``, with the collector left on as in real use) and prints ``{"seconds": per_call}``;
``quit`` or the end of stdin ends the process. Keeping each variant in its own process means no
variant's heap or imports (pydantic, for one) slow another's allocations or collections, while the
coordinator still interleaves the rounds in time.
"""

from __future__ import annotations

import gc
import json
import sys
from time import perf_counter

from benchmarks.cases import setup

MAX_INNER = 10_000


def _batch(run: object, inner: int) -> float:
    work = run
    assert callable(work)
    gc.collect()
    start = perf_counter()
    for _ in range(inner):
        work()
    return (perf_counter() - start) / inner


def main(argv: list[str] | None = None) -> int:
    """Serve timing requests for one variant until told to quit."""
    case, variant, size, batch_seconds = (argv if argv is not None else sys.argv[1:])
    prepared = setup(case, variant, size)
    start = perf_counter()
    result = prepared.run()
    first = perf_counter() - start
    summary = prepared.check(result)
    del result
    # A second untimed call warms caches the first one filled (lazy imports, specialisation).
    once = _batch(prepared.run, 1)
    inner = max(1, min(MAX_INNER, round(float(batch_seconds) / max(min(first, once), 1e-7))))
    print(json.dumps({"check": summary, "inner": inner, "first_call": first}), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        if command != "run":
            print(json.dumps({"error": f"unknown command {command!r}"}), flush=True)
            continue
        print(json.dumps({"seconds": _batch(prepared.run, inner)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
