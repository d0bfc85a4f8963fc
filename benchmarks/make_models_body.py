"""A realistic `GET /models` response body, as the live API sends it (DESIGN.md section 3).

Deterministic (seeded): the same ``n`` and ``seed`` always give the same bytes. Field names follow
the spec's schemas (ModelsListResponse, Model, PublicPricing, ModelArchitecture, TopProviderInfo,
PerRequestLimits, DefaultParameters); the values carry the live API's quirks:

- nulls where the docs say required: ``per_request_limits``, ``hugging_face_id``,
  ``top_provider.max_completion_tokens``, ``default_parameters``, ``context_length``; and some
  of those left out altogether;
- unknown keys on the model, its pricing, architecture, top provider and default parameters;
- unknown enum values: new tokenizers (ModelGroup), instruct types, input/output modalities,
  supported parameters;
- integers where the docs declare floats (``created``, ``context_length``, token counts, ``0``
  discount), prices as decimal strings (``"0.000003"``, and ``"-1"`` for routers).

``complete=True`` gives the same models with every key the live API sends today and the official
``openrouter`` SDK (1.3.84) insists on: ``links`` and ``supported_voices`` on every model,
``links`` and ``total_count`` on the list, and no required key left out (nulls, unknown keys and
unknown enum values stay). The SDK rejects the whole list when any one of them is missing, so the
benchmarks compare against it on this variant.

Usage: ``python -m benchmarks.make_models_body OUT.json [--n 350] [--seed 0] [--complete]``, or
``make_models_body(n=350, seed=0, complete=False) -> bytes``.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

# (author, display prefix, tokenizer). Tokenizers outside the docs' ModelGroup enum on purpose:
# "Kimi", "GLM", "Gemma", "Phi" appear live long before the docs list them.
_VENDORS: list[tuple[str, str, str]] = [
    ("openai", "OpenAI", "GPT"),
    ("anthropic", "Anthropic", "Claude"),
    ("google", "Google", "Gemini"),
    ("google", "Google", "Gemma"),
    ("meta-llama", "Meta", "Llama3"),
    ("meta-llama", "Meta", "Llama4"),
    ("mistralai", "Mistral", "Mistral"),
    ("deepseek", "DeepSeek", "DeepSeek"),
    ("qwen", "Qwen", "Qwen"),
    ("qwen", "Qwen", "Qwen3"),
    ("x-ai", "xAI", "Grok"),
    ("cohere", "Cohere", "Cohere"),
    ("amazon", "Amazon", "Nova"),
    ("moonshotai", "MoonshotAI", "Kimi"),
    ("z-ai", "Z.AI", "GLM"),
    ("microsoft", "Microsoft", "Phi"),
    ("nousresearch", "Nous", "Llama3"),
    ("thedrummer", "TheDrummer", "Mistral"),
    ("01-ai", "01.AI", "Yi"),
    ("inflection", "Inflection", "Other"),
]
_FAMILIES = ["pro", "flash", "mini", "nano", "large", "small", "medium", "turbo", "instruct",
             "chat", "coder", "vision", "reasoner", "lite", "max", "plus", "ultra", "air"]
_VERSIONS = ["1", "1.5", "2", "2.5", "3", "3.1", "3.5", "4", "4.1", "4o", "5", "7b", "8b",
             "14b", "32b", "70b", "72b", "235b-a22b", "405b", "8x7b"]
_INSTRUCT_TYPES = [None, None, None, None, "chatml", "llama3", "mistral", "gemma", "deepseek-r1",
                   "qwen3", "vicuna", "alpaca", "harmony"]  # "harmony": not in the docs' enum
_KNOWN_PARAMETERS = [
    "temperature", "top_p", "top_k", "min_p", "top_a", "frequency_penalty", "presence_penalty",
    "repetition_penalty", "max_tokens", "logit_bias", "logprobs", "top_logprobs", "seed",
    "response_format", "structured_outputs", "stop", "tools", "tool_choice",
    "parallel_tool_calls", "include_reasoning", "reasoning", "web_search_options", "verbosity",
]
_NEW_PARAMETERS = ["reasoning_effort", "prediction", "modalities", "audio"]  # not in the docs
_SENTENCES = [
    "It is optimized for complex reasoning, coding and agentic workflows.",
    "The model supports a long context window and native tool calling.",
    "Trained on a mixture of licensed, synthetic and publicly available data.",
    "This is a fine-tune tuned for roleplay and creative writing.",
    "It delivers strong multilingual performance across more than 100 languages.",
    "Pricing is per token; image inputs are billed per image.",
    "Suited to low-latency use cases such as chat and autocomplete.",
    "Read more in the [launch announcement](https://example.com/blog/launch).",
    "Note: this model may be deprecated with short notice by its provider.",
    "Uses a mixture-of-experts architecture with a fraction of parameters active per token.",
    "Outputs are moderated by the provider before they are returned.",
    "Supports structured outputs via JSON schema and function calling.",
]


def _price(rng: random.Random, low: float, high: float) -> str:
    """A per-token price as the live API writes it: a plain decimal string, never exponent."""
    value = rng.uniform(low, high)
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text or "0"


def _pricing(rng: random.Random, is_router: bool, modalities: list[str]) -> dict[str, Any]:
    if is_router:
        return {"prompt": "-1", "completion": "-1"}
    pricing: dict[str, Any] = {
        "prompt": _price(rng, 0.00000002, 0.000015),
        "completion": _price(rng, 0.00000008, 0.00006),
    }
    free = rng.random() < 0.12
    if free:
        pricing = {"prompt": "0", "completion": "0"}
    pricing["request"] = "0"
    if "image" in modalities:
        pricing["image"] = _price(rng, 0.0001, 0.005)
    if rng.random() < 0.5:
        pricing["web_search"] = rng.choice(["0", "0.004", "0.01"])
        pricing["internal_reasoning"] = "0"
    if rng.random() < 0.35:
        pricing["input_cache_read"] = _price(rng, 0.00000001, 0.000002)
    if rng.random() < 0.2:
        pricing["input_cache_write"] = _price(rng, 0.000001, 0.00002)
    if "audio" in modalities:
        pricing["audio"] = _price(rng, 0.00001, 0.0001)
    if rng.random() < 0.1:
        pricing["discount"] = 0  # an integer where the docs declare a double
    if rng.random() < 0.08:
        pricing["audio_output"] = _price(rng, 0.00001, 0.0002)  # unknown key
    return pricing


def _architecture(rng: random.Random, tokenizer: str) -> dict[str, Any]:
    inputs = ["text"]
    for extra, chance in (("image", 0.45), ("file", 0.25), ("audio", 0.08), ("video", 0.05)):
        if rng.random() < chance:
            inputs.append(extra)
    outputs = ["text"]
    if rng.random() < 0.04:
        outputs.append("image")
    if rng.random() < 0.02:
        outputs.append("audio")  # not in the docs' OutputModality
    if rng.random() < 0.02:
        inputs.append("pdf")  # not in the docs' InputModality
    architecture: dict[str, Any] = {
        "modality": f"{'+'.join(inputs)}->{'+'.join(outputs)}",
        "input_modalities": inputs,
        "output_modalities": outputs,
        "tokenizer": tokenizer,
        "instruct_type": rng.choice(_INSTRUCT_TYPES),
    }
    if rng.random() < 0.05:
        architecture["reasoning"] = {"native": True, "format": "think-tags"}  # unknown, nested
    return architecture


def _supported_parameters(rng: random.Random) -> list[str]:
    chosen = sorted(rng.sample(_KNOWN_PARAMETERS, rng.randint(3, len(_KNOWN_PARAMETERS))))
    if rng.random() < 0.1:
        chosen.append(rng.choice(_NEW_PARAMETERS))
    return chosen


def _default_parameters(rng: random.Random) -> dict[str, Any] | None:
    roll = rng.random()
    if roll < 0.35:
        return None
    if roll < 0.75:
        return {"temperature": None, "top_p": None, "frequency_penalty": None}
    params: dict[str, Any] = {
        "temperature": rng.choice([0.6, 0.7, 1, 1.0, 0.3]),  # 1: an integer for a double
        "top_p": rng.choice([None, 0.95, 1]),
        "frequency_penalty": None,
    }
    if rng.random() < 0.3:
        params["top_k"] = rng.choice([20, 40, 64])  # unknown key
    return params


def _model(rng: random.Random, index: int, taken: set[str]) -> dict[str, Any]:
    while True:  # ids are unique in the live list
        author, prefix, tokenizer = rng.choice(_VENDORS)
        family = rng.choice(_FAMILIES)
        version = rng.choice(_VERSIONS)
        base = f"{family}-{version}"
        slug = f"{author}/{base}"
        variant = rng.choices(["", ":free", ":beta", ":thinking"], weights=[85, 10, 3, 2])[0]
        if f"{slug}{variant}" not in taken:
            break
    is_router = index == 0
    if is_router:
        author, prefix, tokenizer, slug, variant = "openrouter", "Auto", "Router", "openrouter/auto", ""
    created = 1_690_000_000 + index * 97_531 + rng.randint(0, 90_000)
    context = rng.choice([4096, 8192, 32768, 65536, 128000, 131072, 200000, 262144, 1048576])
    architecture = _architecture(rng, tokenizer)
    taken.add(f"{slug}{variant}")
    model: dict[str, Any] = {
        "id": f"{slug}{variant}",
        "canonical_slug": f"{slug}-{2024 + index % 2}{(index % 12) + 1:02d}{(index % 28) + 1:02d}",
        "hugging_face_id": rng.choice([None, "", f"{author}/{base.title()}"]),
        "name": "Auto Router" if is_router
        else f"{prefix}: {family.title()} {version}" + (" (free)" if variant == ":free" else ""),
        "created": created,
        "description": " ".join(rng.sample(_SENTENCES, rng.randint(1, 5))),
        "context_length": context if rng.random() > 0.01 else None,
        "architecture": architecture,
        "pricing": _pricing(rng, is_router, architecture["input_modalities"]),
        "top_provider": {
            "context_length": context if rng.random() > 0.05 else None,
            "max_completion_tokens": rng.choice([None, None, 4096, 8192, 16384, 32768, 65536]),
            "is_moderated": rng.random() < 0.2,
        },
        "per_request_limits": None,
        "supported_parameters": _supported_parameters(rng),
        "default_parameters": _default_parameters(rng),
    }
    # Keys the docs do not know, on most models: the API adds them all the time.
    if rng.random() < 0.6:
        model["expiration_date"] = rng.choice([None, None, "2026-03-31"])
    if rng.random() < 0.5:
        model["links"] = {"details": f"/api/v1/models/{slug}/endpoints"}
    if rng.random() < 0.05:
        model["top_provider"]["is_free_tier"] = True
    roll = rng.random()
    if roll < 0.03:
        model["per_request_limits"] = {"prompt_tokens": 1_000_000, "completion_tokens": 32768}
    elif roll < 0.06:
        del model["per_request_limits"]  # required in the docs, absent live
    if rng.random() < 0.03:
        del model["default_parameters"]
    if rng.random() < 0.02:
        del model["description"]
    return model


def _complete(model: dict[str, Any]) -> dict[str, Any]:
    """The model with the keys the live API always sends today (no random draws: the default
    body's sequence stays the same)."""
    model.setdefault("per_request_limits", None)
    model.setdefault("default_parameters", None)
    slug = model["id"].partition(":")[0]
    model.setdefault("links", {"details": f"/api/v1/models/{slug}/endpoints"})
    model.setdefault("supported_voices", None)
    return model


def make_models_body(n: int = 350, seed: int = 0, complete: bool = False) -> bytes:
    """The JSON body of a live-like `GET /models` response with ``n`` models (compact UTF-8)."""
    rng = random.Random(seed)
    taken: set[str] = set()
    body: dict[str, Any] = {"data": [_model(rng, i, taken) for i in range(n)]}
    if complete:
        body["data"] = [_complete(model) for model in body["data"]]
        body["links"] = {"next": None}
        body["total_count"] = n
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def main(argv: list[str] | None = None) -> None:
    """Write the body to the path given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="file to write the JSON body to")
    parser.add_argument("--n", type=int, default=350, help="number of models (default 350)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--complete", action="store_true",
                        help="every key the live API sends today (see the module docstring)")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(make_models_body(args.n, args.seed, args.complete))


if __name__ == "__main__":
    main()
