"""Reliability under load and under faults, side by side with the ``openai`` SDK, over loopback.

A loopback HTTP/1.1 server (asyncio, its own process: ``python -m benchmarks.reliability serve``)
answers ``POST /chat/completions`` with the same JSON body or event stream for every client, and
counts what it sees: connections accepted, request heads and whole requests read, per call. Each
client workload runs in a fresh process of its own (``python -m benchmarks.reliability client``),
so its peak RSS is its own, through the async client of each SDK:

- ``calls``: N concurrent chat calls (all started at once): throughput, p50/p99 latency;
- ``streams``: N concurrent streamed chats of K chunks each: chunks/s, p50/p99 stream time;
- ``faults``: chat calls and streams under seeded faults, chosen per (call, attempt) from the
  seed, so both clients meet the same plan: the connection reset before the request is read
  (RST after the head, body unread) or after it was read, 429 with ``Retry-After: 1``, 503, a
  truncated body (a JSON body shorter than its Content-Length; a stream cut without its last
  chunk), a stall longer than the read timeout, and (streams) a half-written event followed by
  a clean end of the HTTP body.

Counted per workload: successes, errors by class and whether each is the SDK's own type, attempts
per call (request heads the server read), POSTs resent after the server had read the whole
request and started acting on it (every fault except 429, 503 and the reset before reading;
target 0: a resent completion is paid twice) and streams that ended without an error but
incomplete (fewer chunks than sent, no ``finish_reason``; target 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import socket
import statistics
import struct
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from benchmarks.harness import ROOT, BenchmarkError, bench_env
from benchmarks.make_stream_body import (
    CHAT_REQUEST,
    MODEL,
    make_chat_response_body,
    make_stream_pieces,
)

API_KEY = "sk-or-bench"
CALL_HEADER = "x-bench-call"
FAULTS_CALL: tuple[tuple[str, int], ...] = (
    ("ok", 55), ("reset_before_read", 7), ("reset_after_read", 7), ("429", 8), ("503", 8),
    ("truncated", 7), ("stall", 8))
FAULTS_STREAM: tuple[tuple[str, int], ...] = (
    ("ok", 51), ("reset_before_read", 7), ("reset_after_read", 7), ("429", 7), ("503", 7),
    ("truncated", 7), ("stall", 7), ("half_event", 7))
# After these the server had read the request and acted on it: resending costs a completion.
PROCESSED = frozenset({"ok", "reset_after_read", "truncated", "stall", "half_event"})
VARIANTS = ("ours", "openai")
LABELS = {"ours": "openrouter_client (AsyncOpenRouter)",
          "openai": "openai SDK (AsyncOpenAI, base_url)"}


@dataclass(frozen=True)
class Sizes:
    """How much each workload does (bounded in count and time)."""

    calls: int = 500
    streams: int = 200
    chunks: int = 60
    chunk_gap: float = 0.005
    fault_calls: int = 300
    fault_streams: int = 100
    fault_concurrency: int = 50
    timeout: float = 1.0  # the clients' timeout under faults; a stall lasts twice as long
    load_timeout: float = 60.0  # and under load alone (a loaded 2-core machine is slow)
    rounds: int = 3


FULL = Sizes()
QUICK = Sizes(calls=20, streams=10, chunks=10, chunk_gap=0.001, fault_calls=24,
              fault_streams=12, fault_concurrency=12, timeout=0.3, rounds=1)


def fault_for(seed: int, call: str, attempt: int) -> str:
    """The fault the server plays for this attempt of this call (the same for every client);
    a call named ``s<n>`` is a stream, ``c<n>`` a plain call."""
    table = FAULTS_STREAM if call.startswith("s") else FAULTS_CALL
    rng = random.Random(f"{seed}:{call}:{attempt}")
    return rng.choices([name for name, _ in table], weights=[w for _, w in table])[0]


# ---------------------------------------------------------------------------------------------
# The server


@dataclass
class ServerState:
    """What the server counts between two ``/_reset`` requests."""

    seed: int = 0
    faults: bool = False
    chunks: int = 10
    chunk_gap: float = 0.0
    stall: float = 2.0
    accepts: int = 0
    heads: int = 0
    reads: int = 0
    resent_after_read: int = 0
    attempts: Counter[str] = field(default_factory=Counter)
    processed: set[str] = field(default_factory=set)
    played: Counter[str] = field(default_factory=Counter)

    def stats(self) -> dict[str, Any]:
        """The counters as JSON."""
        return {"accepts": self.accepts, "heads": self.heads, "reads": self.reads,
                "resent_after_read": self.resent_after_read, "calls": len(self.attempts),
                "played": dict(self.played)}


def _head(status: int, headers: list[tuple[str, str]]) -> bytes:
    reason = {200: "OK", 429: "Too Many Requests", 503: "Service Unavailable"}.get(status, "OK")
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _json(status: int, body: bytes, extra: list[tuple[str, str]] | None = None,
          length: int | None = None) -> bytes:
    headers = [("Content-Type", "application/json"),
               ("Content-Length", str(len(body) if length is None else length)), *(extra or [])]
    return _head(status, headers) + body


def _error(code: int, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode()


def _chunked(piece: bytes) -> bytes:
    return f"{len(piece):x}\r\n".encode() + piece + b"\r\n"


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with an RST (SO_LINGER 0), as a crashed proxy does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class Server:
    """The loopback server's connection handler and control endpoints."""

    def __init__(self) -> None:
        self.state = ServerState()
        self.body = make_chat_response_body()
        self.pieces = make_stream_pieces(self.state.chunks)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one connection until the client closes it or a fault ends it."""
        self.state.accepts += 1
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        line = await reader.readline()
        if not line:
            return False
        headers: dict[str, str] = {}
        while True:
            raw = await reader.readline()
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        target = line.decode("latin-1").split(" ", 2)[1]
        length = int(headers.get("content-length", "0"))
        if target.startswith("/_"):
            body = await reader.readexactly(length)
            return await self._control(target, body, writer)
        state = self.state
        call = headers.get(CALL_HEADER, "")
        state.heads += 1
        state.attempts[call] += 1
        if call in state.processed:
            state.resent_after_read += 1
        fault = "ok"
        if state.faults and call:
            fault = fault_for(state.seed, call, state.attempts[call])
        state.played[fault] += 1
        if fault == "reset_before_read":
            _reset(writer)
            return False
        body = await reader.readexactly(length)
        state.reads += 1
        stream = bool(json.loads(body or b"{}").get("stream"))
        if fault in PROCESSED and call:
            state.processed.add(call)
        return await self._answer(writer, fault, stream)

    async def _answer(self, writer: asyncio.StreamWriter, fault: str, stream: bool) -> bool:
        state = self.state
        if fault == "reset_after_read":
            _reset(writer)
            return False
        if fault == "429":
            writer.write(_json(429, _error(429, "Rate limit exceeded"), [("Retry-After", "1")]))
            await writer.drain()
            return True
        if fault == "503":
            writer.write(_json(503, _error(503, "Service Unavailable")))
            await writer.drain()
            return True
        if not stream:
            if fault == "truncated":
                writer.write(_json(200, self.body[: len(self.body) // 2], length=len(self.body)))
                await writer.drain()
                return False
            if fault == "stall":
                await asyncio.sleep(state.stall)
                return False
            writer.write(_json(200, self.body))
            await writer.drain()
            return True
        writer.write(_head(200, [("Content-Type", "text/event-stream"),
                                 ("Transfer-Encoding", "chunked"), ("Cache-Control", "no-cache")]))
        pieces = self.pieces
        cut = len(pieces) // 2 if fault in ("truncated", "stall", "half_event") else len(pieces)
        for index, piece in enumerate(pieces[:cut]):
            if index and state.chunk_gap:
                await asyncio.sleep(state.chunk_gap)
            writer.write(_chunked(piece))
            await writer.drain()
        if fault == "truncated":
            return False  # hang up without the last chunk of the chunked body
        if fault == "stall":
            await asyncio.sleep(state.stall)
            return False
        if fault == "half_event":
            writer.write(_chunked(b'data: {"id": "gen-1760000000-Qm9vYmFyYmF6", "choi'))
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True

    async def _control(self, target: str, body: bytes, writer: asyncio.StreamWriter) -> bool:
        state = self.state
        if target.startswith("/_reset"):
            settings = json.loads(body)
            self.state = ServerState(**settings)
            self.pieces = make_stream_pieces(self.state.chunks)
            answer = b"{}"
        else:
            answer = json.dumps(state.stats()).encode()
        writer.write(_json(200, answer))
        await writer.drain()
        return True


async def _serve() -> None:
    server = Server()
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, backlog=2048,
                                          limit=1 << 20)
    port = listener.sockets[0].getsockname()[1]
    print(port, flush=True)
    async with listener:
        await listener.serve_forever()


# ---------------------------------------------------------------------------------------------
# The clients (each run in a fresh process)


@dataclass
class Outcome:
    """One call or stream as the client saw it."""

    seconds: float
    error: str = ""  # the exception's class name, "" on success
    typed: bool = True  # the error is the SDK's own type
    chunks: int = 0
    finished: bool = False  # a stream's last chunk carried finish_reason


def _messages(call: int) -> list[dict[str, str]]:
    return [*CHAT_REQUEST["messages"][:1], {"role": "user", "content": f"call {call}"}]


def _ours(url: str, timeout: float) -> tuple[Any, type[BaseException], Callable[..., Any]]:
    from openrouter_client import AsyncOpenRouter, OpenRouterError

    client = AsyncOpenRouter(api_key=API_KEY, base_url=url, timeout=timeout, max_retries=2)

    def create(**kwargs: Any) -> Awaitable[Any]:
        return client.chat.send(**kwargs)

    return client, OpenRouterError, create


def _openai(url: str, timeout: float) -> tuple[Any, type[BaseException], Callable[..., Any]]:
    import openai

    client = openai.AsyncOpenAI(api_key=API_KEY, base_url=url, timeout=timeout, max_retries=2)

    def create(**kwargs: Any) -> Awaitable[Any]:
        answer: Awaitable[Any] = client.chat.completions.create(**kwargs)
        return answer

    return client, openai.OpenAIError, create


async def _workload(variant: str, kind: str, url: str, count: int, concurrency: int,
                    timeout: float, chunks: int) -> tuple[list[Outcome], float]:
    client, own_error, create = (_ours if variant == "ours" else _openai)(url, timeout)
    gate = asyncio.Semaphore(concurrency)
    streaming = kind == "streams"

    async def one(call: int) -> Outcome:
        async with gate:
            started = time.perf_counter()
            outcome = Outcome(0.0)
            try:
                name = f"{kind[0]}{call}"
                kwargs = {"model": MODEL, "messages": _messages(call),
                          "extra_headers": {CALL_HEADER: name}}
                if not streaming:
                    answer = await create(**kwargs)
                    assert answer.choices[0].message.content, "no content"
                else:
                    stream = await create(stream=True, **kwargs)
                    async with stream:
                        async for chunk in stream:
                            outcome.chunks += 1
                            if chunk.choices and chunk.choices[0].finish_reason:
                                outcome.finished = True
            except Exception as exc:  # noqa: BLE001 - every outcome is counted
                outcome.error = type(exc).__name__
                outcome.typed = isinstance(exc, own_error)
            outcome.seconds = time.perf_counter() - started
            return outcome

    started = time.perf_counter()
    outcomes = await asyncio.gather(*(one(i) for i in range(count)))
    wall = time.perf_counter() - started
    await client.close()
    return list(outcomes), wall


def _summary(outcomes: list[Outcome], wall: float, kind: str, chunks: int) -> dict[str, Any]:
    ok = [o for o in outcomes if not o.error]
    latencies = sorted(o.seconds for o in outcomes)
    errors = Counter(o.error for o in outcomes if o.error)
    untyped = Counter(o.error for o in outcomes if o.error and not o.typed)
    silent = sum(1 for o in ok if kind == "streams" and (o.chunks < chunks or not o.finished))
    return {
        "count": len(outcomes), "successes": len(ok), "wall": wall,
        "per_second": len(ok) / wall if wall else 0.0,
        "chunks_per_second": sum(o.chunks for o in ok) / wall if wall else 0.0,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": dict(errors), "untyped": dict(untyped), "silently_truncated": silent,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _client_main(args: argparse.Namespace) -> int:
    outcomes, wall = asyncio.run(_workload(args.variant, args.kind, args.url, args.count,
                                           args.concurrency, args.timeout, args.chunks))
    print(json.dumps(_summary(outcomes, wall, args.kind, args.chunks)))
    return 0


# ---------------------------------------------------------------------------------------------
# The coordinator (called by benchmarks.run)


def _control(url: str, path: str, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    import httpx

    response = httpx.post(url + path, json=settings or {}, timeout=10.0)
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


def _run_client(python: str, variant: str, kind: str, url: str, count: int, concurrency: int,
                timeout: float, chunks: int) -> dict[str, Any]:
    command = [python, "-m", "benchmarks.reliability", "client", variant, kind, url,
               "--count", str(count), "--concurrency", str(concurrency),
               "--timeout", str(timeout), "--chunks", str(chunks)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=bench_env(),
                          timeout=600, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"reliability {variant} {kind} failed:\n{done.stderr[-3000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def measure(pythons: dict[str, str], sizes: Sizes, log: Callable[[str], None],
            seed: int = 19) -> dict[str, Any]:
    """Every workload for every variant (variant -> interpreter); JSON-ready results."""
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.reliability", "serve"],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT, env=bench_env())
    try:
        assert server.stdout is not None
        url = f"http://127.0.0.1:{int(server.stdout.readline())}"
        plans = {
            "calls": (sizes.calls, sizes.calls, False, sizes.rounds),
            "streams": (sizes.streams, sizes.streams, False, sizes.rounds),
            "fault_calls": (sizes.fault_calls, sizes.fault_concurrency, True, 1),
            "fault_streams": (sizes.fault_streams, sizes.fault_concurrency, True, 1),
        }
        results: dict[str, dict[str, list[dict[str, Any]]]] = {
            name: {v: [] for v in pythons} for name in plans}
        for name, (count, concurrency, faults, rounds) in plans.items():
            kind = "streams" if name.endswith("streams") else "calls"
            for round_index in range(rounds):
                order = list(pythons)[round_index % len(pythons):] + \
                    list(pythons)[:round_index % len(pythons)]
                for variant in order:
                    _control(url, "/_reset", {"seed": seed, "faults": faults,
                                              "chunks": sizes.chunks,
                                              "chunk_gap": sizes.chunk_gap,
                                              "stall": sizes.timeout * 2})
                    timeout = sizes.timeout if faults else sizes.load_timeout
                    found = _run_client(pythons[variant], variant, kind, url, count,
                                        concurrency, timeout, sizes.chunks)
                    found["server"] = _control(url, "/_stats")
                    results[name][variant].append(found)
                    log(f"  reliability {name} / {variant}: {found['successes']}/{count} ok in "
                        f"{found['wall']:.2f} s, {found['server']['accepts']} connections")
        return {"sizes": asdict(sizes), "seed": seed, "labels": {v: LABELS[v] for v in pythons},
                "results": results}
    finally:
        server.terminate()
        server.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    """``serve`` (the loopback server) or ``client VARIANT KIND URL`` (one workload)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve")
    client = sub.add_parser("client")
    client.add_argument("variant", choices=VARIANTS)
    client.add_argument("kind", choices=("calls", "streams"))
    client.add_argument("url")
    client.add_argument("--count", type=int, required=True)
    client.add_argument("--concurrency", type=int, required=True)
    client.add_argument("--timeout", type=float, required=True)
    client.add_argument("--chunks", type=int, required=True)
    args = parser.parse_args(argv)
    if args.command == "serve":
        asyncio.run(_serve())
        return 0
    return _client_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
