"""A realistic streamed chat completion (`POST /chat/completions`, `stream: true`), as SSE bytes.

Deterministic: the same ``n`` and ``seed`` always give the same bytes. The shape follows what the live
API sends (DESIGN.md section 3): ``: OPENROUTER PROCESSING`` comment lines before the first chunk and
now and then between chunks, one ``chat.completion.chunk`` object per ``data:`` line with keys the docs
do not list (``native_finish_reason``, ``logprobs: null``), integers for ``created``, a last chunk with
``finish_reason: "stop"`` and ``usage`` (with its own undocumented keys), then ``data: [DONE]``.

``make_stream_pieces`` gives the same bytes cut the way they arrive from the network when tokens are
generated one at a time: one piece per event (or comment). ``make_chat_response_body`` is the
non-streamed answer to the same request, for the per-call benchmark; ``CHAT_REQUEST`` is that request.

Usage: ``python -m benchmarks.make_stream_body OUT.txt [--n 2000] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

MODEL = "openai/gpt-4o-mini"
CREATED = 1_760_000_000
GENERATION_ID = "gen-1760000000-Qm9vYmFyYmF6cXV4"

# A chat completion request as users send it: a system and a user message and a couple of options.
CHAT_REQUEST: dict[str, Any] = {
    "model": MODEL,
    "messages": [
        {"role": "system", "content": "You are a concise assistant."},
        {"role": "user", "content": "Explain in two sentences why the sky is blue."},
    ],
    "temperature": 0.7,
    "max_tokens": 256,
}

_WORDS = [
    "the", "of", "and", "to", "in", "is", "that", "it", "for", "as", "with", "was", "on", "be",
    "by", "this", "are", "from", "at", "or", "an", "which", "light", "sky", "blue", "scattering",
    "Rayleigh", "wavelength", "shorter", "molecules", "air", "sunlight", "colors", "red",
    "violet", "atmosphere", "our", "eyes", "more", "sensitive", "strongly", "than", "longer",
    "wavelengths", "appears", "during", "day",
]
_PROCESSING = b": OPENROUTER PROCESSING\n\n"


def _token(rng: random.Random, index: int) -> str:
    word = rng.choice(_WORDS)
    if index % 17 == 16:
        return word + "."
    if index % 7 == 6:
        return word + ","
    return word if index == 0 else " " + word


def _chunk(choice: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    chunk: dict[str, Any] = {
        "id": GENERATION_ID,
        "provider": "OpenAI",
        "model": MODEL,
        "object": "chat.completion.chunk",
        "created": CREATED,
        "choices": [choice],
    }
    if extra:
        chunk.update(extra)
    return chunk


def _event(value: dict[str, Any]) -> bytes:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return b"data: " + text.encode("utf-8") + b"\n\n"


def make_stream_pieces(n: int = 2000, seed: int = 0) -> list[bytes]:
    """The stream as it arrives: one piece per event or comment; ``n`` chunk events in all."""
    rng = random.Random(seed)
    pieces = [_PROCESSING, _PROCESSING]
    for index in range(n - 1):
        delta: dict[str, Any] = {"content": _token(rng, index)}
        if index == 0:
            delta = {"role": "assistant", **delta}
        choice = {"index": 0, "delta": delta, "finish_reason": None,
                  "native_finish_reason": None, "logprobs": None}
        pieces.append(_event(_chunk(choice)))
        if rng.random() < 0.01:
            pieces.append(_PROCESSING)
    usage = {
        "prompt_tokens": 27,
        "completion_tokens": n - 1,
        "total_tokens": 27 + n - 1,
        "cost": round((27 * 0.15 + (n - 1) * 0.6) / 1_000_000, 9),
        "is_byok": False,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "cost_details": {"upstream_inference_cost": None},
        "completion_tokens_details": {"reasoning_tokens": 0, "image_tokens": 0},
    }
    last = {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": "stop",
            "native_finish_reason": "stop", "logprobs": None}
    pieces.append(_event(_chunk(last, {"system_fingerprint": "fp_560af6e559", "usage": usage})))
    pieces.append(b"data: [DONE]\n\n")
    return pieces


def make_stream_body(n: int = 2000, seed: int = 0) -> bytes:
    """The whole SSE body of a streamed chat completion with ``n`` chunk events."""
    return b"".join(make_stream_pieces(n, seed))


def make_chat_response_body(seed: int = 0) -> bytes:
    """The JSON body of the non-streamed answer to ``CHAT_REQUEST`` (live-like, with extra keys)."""
    rng = random.Random(seed)
    text = "".join(_token(rng, i) for i in range(60))
    body = {
        "id": GENERATION_ID,
        "provider": "OpenAI",
        "model": MODEL,
        "object": "chat.completion",
        "created": CREATED,
        "choices": [{
            "logprobs": None,
            "finish_reason": "stop",
            "native_finish_reason": "stop",
            "index": 0,
            "message": {"role": "assistant", "content": text, "refusal": None,
                        "reasoning": None},
        }],
        "system_fingerprint": "fp_560af6e559",
        "usage": {
            "prompt_tokens": 27, "completion_tokens": 60, "total_tokens": 87, "cost": 0.00004005,
            "is_byok": False,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "cost_details": {"upstream_inference_cost": None},
            "completion_tokens_details": {"reasoning_tokens": 0, "image_tokens": 0},
        },
    }
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def main(argv: list[str] | None = None) -> None:
    """Write the SSE body to the path given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="file to write the SSE body to")
    parser.add_argument("--n", type=int, default=2000, help="number of chunk events (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(make_stream_body(args.n, args.seed))


if __name__ == "__main__":
    main()
