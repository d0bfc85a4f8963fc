"""Two bounded probes behind issue 19's unexplained observations (loopback only).

``python -m benchmarks.pool_probe cancel [--rounds 40] [--concurrency 30]``: rounds of
``asyncio.wait_for`` calls through one ``AsyncOpenRouter``, each cancelled after a random 0-10 ms
(so cancellations land at every point of a call); after each round, what the client's pool still
holds once every call has ended: requests left queued, and connections neither idle nor closed
(never connected, NEW, or ACTIVE with no reader): pool slots that are never given back.

``python -m benchmarks.pool_probe soak [--seconds 60]``: sequential chat calls through one
``OpenRouter``; RSS (``/proc/self/statm``), the bytes tracemalloc traces and the count of objects
the collector tracks, sampled as calls go, then RSS again after glibc's ``malloc_trim(0)``.
Prints one JSON line each.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import gc
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from typing import Any

from benchmarks.harness import ROOT, bench_env
from benchmarks.make_stream_body import CHAT_REQUEST, MODEL
from benchmarks.reliability import API_KEY


def _orphans(pool: Any) -> int:
    """What the pool holds with no call running: queued requests, connections in use."""
    return len(pool._requests) + sum(1 for connection in pool._connections
                                     if not connection.is_idle() and not connection.is_closed())


async def _cancel(url: str, rounds: int, concurrency: int, seed: int, max_delay: float,
                  max_connections: int) -> dict[str, Any]:
    from openrouter_client import AsyncOpenRouter

    rng = random.Random(seed)
    found: list[int] = []
    cancelled = 0
    import httpx

    limits = httpx.Limits(max_connections=max_connections)
    async with AsyncOpenRouter(api_key=API_KEY, base_url=url, max_retries=0,
                               connection_limits=limits) as client:
        pool = client._client._transport._pool  # type: ignore[attr-defined]

        async def one() -> bool:
            try:
                await asyncio.wait_for(
                    client.chat.send(model=MODEL, messages=CHAT_REQUEST["messages"]),
                    rng.uniform(0.0, max_delay))
            except TimeoutError:
                return True
            return False

        for _ in range(rounds):
            results = await asyncio.gather(*(one() for _ in range(concurrency)))
            cancelled += sum(results)
            await asyncio.sleep(0.01)
            found.append(_orphans(pool))
        connections = len(pool._connections)
    return {"rounds": rounds, "max_delay": max_delay, "max_connections": max_connections, "calls": rounds * concurrency, "cancelled": cancelled,
            "orphans_after_each_round": found, "orphans_at_end": found[-1],
            "pool_connections_at_end": connections}


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _soak(url: str, seconds: float, trace: bool) -> dict[str, Any]:
    from openrouter_client import OpenRouter

    if trace:
        tracemalloc.start()
    samples: list[tuple[int, int, int, int]] = []
    calls = 0
    with OpenRouter(api_key=API_KEY, base_url=url, max_retries=0) as client:
        for _ in range(200):  # warm up: caches, lazily imported modules, the pool
            client.chat.send(model=MODEL, messages=CHAT_REQUEST["messages"])
        baseline = tracemalloc.take_snapshot() if trace else None
        started = time.monotonic()
        next_sample = started
        while time.monotonic() - started < seconds:
            client.chat.send(model=MODEL, messages=CHAT_REQUEST["messages"])
            calls += 1
            if time.monotonic() >= next_sample:
                samples.append((calls, _rss(), tracemalloc.get_traced_memory()[0],
                                len(gc.get_objects())))
                next_sample += seconds / 20
        samples.append((calls, _rss(), tracemalloc.get_traced_memory()[0],
                        len(gc.get_objects())))
    grown = tracemalloc.take_snapshot().compare_to(baseline, "lineno") if baseline else []
    top = [f"{stat.traceback[0].filename.rsplit('/', 2)[-1]}:{stat.traceback[0].lineno} "
           f"{stat.size_diff:+d} B {stat.count_diff:+d} blocks" for stat in grown[:8]]
    before_trim = _rss()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    after_trim = _rss()
    first, last = samples[1], samples[-1]  # the first sample is taken before any timed call
    span = max(last[0] - first[0], 1)
    return {"calls": calls, "seconds": seconds,
            "rss_bytes_per_call": (last[1] - first[1]) / span,
            "traced_bytes_per_call": (last[2] - first[2]) / span,
            "gc_objects_first_last": [first[3], last[3]],
            "rss_mib_first_last": [first[1] / 2**20, last[1] / 2**20],
            "rss_mib_before_after_malloc_trim": [before_trim / 2**20, after_trim / 2**20],
            "traced_growth_top": top,
            "samples": samples}


def main(argv: list[str] | None = None) -> int:
    """Run one probe against the reliability benchmark's loopback server; print JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pool_probe")
    parser.add_argument("probe", choices=("cancel", "soak"))
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--no-trace", action="store_true",
                        help="soak without tracemalloc (its own bookkeeping grows too)")
    parser.add_argument("--max-delay", type=float, default=0.01,
                        help="each call is cancelled after a random 0..max-delay seconds")
    parser.add_argument("--max-connections", type=int, default=1000,
                        help="the pool's limit (fewer than --concurrency: calls queue)")
    args = parser.parse_args(argv)
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.reliability", "serve"],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT, env=bench_env())
    try:
        assert server.stdout is not None
        url = f"http://127.0.0.1:{int(server.stdout.readline())}"
        if args.probe == "cancel":
            found = asyncio.run(_cancel(url, args.rounds, args.concurrency, args.seed,
                                       args.max_delay, args.max_connections))
        else:
            found = _soak(url, args.seconds, not args.no_trace)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
