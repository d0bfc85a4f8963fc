"""Time to first response: what a program pays from its first import to its first answer.

A fresh interpreter imports a client, builds it and makes one chat call over
``httpx.MockTransport`` (the same canned answer for all); the time is taken inside the process,
from before the first import to the decoded answer. Variants, each in interleaved rounds of fresh
processes:

- ``baseline``: bare httpx posting the request and reading the JSON;
- ``ours``: the committed package (generated from spec/docs/);
- ``ours_full``: the package generated from spec/docs/ plus the newest version of OpenRouter's
  published document (``../shared/openapi/openrouter/``): the whole API, 97 operations;
- ``anchor``: the official ``openrouter`` SDK; ``openai``: the ``openai`` SDK with ``base_url``
  (3.x is built on ``httpx2``, a fork of httpx, whose MockTransport it is given).

Each runs in the minimal venv of its package where ``make bench`` made one (benchmarks/envs.py),
so nothing else installed changes what ``import httpx`` costs. Bytecode is written (the child
environment drops PYTHONDONTWRITEBYTECODE) and an untimed first run fills it, as an installed
package has it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import ROOT, BenchmarkError, Series, bench_env, rotations, run_timed
from benchmarks.make_stream_body import CHAT_REQUEST, MODEL, make_chat_response_body

SHARED_DOCS = ROOT.parent / "shared" / "openapi" / "openrouter"
API_KEY = "sk-or-bench"
BASE_URL = "https://openrouter.ai/api/v1"

_HEAD = """\
import time
start = time.perf_counter()
import {http_module}
BODY = {body!r}
def answer(request):
    return httpx.Response(200, content=BODY, headers={{"content-type": "application/json"}})
http = httpx.Client(transport=httpx.MockTransport(answer))
MESSAGES = {messages!r}
"""
_TAIL = """\
assert text, "no message content"
print(repr(time.perf_counter() - start))
"""
_CALLS: dict[str, str] = {
    "baseline": """\
response = http.post({base_url!r} + "/chat/completions", json={{"model": {model!r},
                     "messages": MESSAGES}}, headers={{"authorization": "Bearer " + {key!r}}})
response.raise_for_status()
text = response.json()["choices"][0]["message"]["content"]
""",
    "ours": """\
from openrouter_client import OpenRouter
client = OpenRouter(api_key={key!r}, base_url={base_url!r}, http_client=http)
text = client.chat.send(model={model!r}, messages=MESSAGES).choices[0].message.content
""",
    "anchor": """\
import openrouter
client = openrouter.OpenRouter(api_key={key!r}, server_url={base_url!r}, client=http)
text = client.chat.send(model={model!r}, messages=MESSAGES).choices[0].message.content
""",
    "openai": """\
import openai
client = openai.OpenAI(api_key={key!r}, base_url={base_url!r}, http_client=http, max_retries=0)
text = client.chat.completions.create(model={model!r},
                                      messages=MESSAGES).choices[0].message.content
""",
}


def probe(variant: str) -> str:
    """The script a fresh interpreter runs for `variant` (``ours_full`` runs ``ours``'s)."""
    call = _CALLS["ours" if variant == "ours_full" else variant]
    # openai 3.x is built on httpx2, a fork of httpx: its http_client is an httpx2.Client.
    http_module = "httpx2 as httpx" if variant == "openai" else "httpx"
    values = {"body": make_chat_response_body(), "messages": CHAT_REQUEST["messages"],
              "key": API_KEY, "base_url": BASE_URL, "model": MODEL, "http_module": http_module}
    return _HEAD.format(**values) + call.format(**values) + _TAIL


def full_api_package(work: Path, python: str) -> Path | None:
    """Generate the package of spec/docs/ plus the newest published document under `work`;
    its `generated/` directory, or None when ../shared/ has no published document."""
    documents = sorted(SHARED_DOCS.glob("*.yaml")) if SHARED_DOCS.is_dir() else []
    if not documents:
        return None
    project = work / "full-api"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(ROOT / "spec" / "docs", project / "spec" / "docs")
    shutil.copytree(ROOT / "spec" / "overlays", project / "spec" / "overlays")
    shutil.copy(documents[-1], project / "spec" / "docs" / f"900_openrouter_{documents[-1].name}")
    run_timed([python, "-m", "openrouter_codegen", "generate", "--root", str(project)])
    return project / "generated"


def _time(python: str, script: str, pythonpath: str) -> float:
    # PYTHONPATH is set for the full-API package only: the committed one comes from the venv's
    # .pth file, the anchors from their venvs.
    _, output = run_timed([python, "-c", script], env=bench_env({"PYTHONPATH": pythonpath}))
    return float(output.strip().splitlines()[-1])


def measure(interpreters: dict[str, str], full_api: Path | None, rounds: int,
            log: Callable[[str], None]) -> dict[str, Series]:
    """Interleaved fresh-process rounds of every variant `interpreters` names (variant ->
    interpreter); ``ours_full`` also needs `full_api`."""
    variants = [v for v in interpreters if v != "ours_full" or full_api is not None]
    paths = {v: str(full_api) if v == "ours_full" else "" for v in variants}
    scripts = {v: probe(v) for v in variants}
    series = {v: Series(v, "") for v in variants}
    for variant in variants:  # untimed: byte-compile and warm the file cache
        _time(interpreters[variant], scripts[variant], paths[variant])
    for order in rotations(variants, rounds):
        for variant in order:
            series[variant].times.append(_time(interpreters[variant], scripts[variant],
                                               paths[variant]))
        log("  first response: " + ", ".join(
            f"{v} {series[v].times[-1] * 1000:.0f} ms" for v in variants))
    return series


def has_module(python: str, module: str) -> bool:
    """Whether `python` can import `module`."""
    try:
        done = subprocess.run([python, "-c", f"import {module}"], capture_output=True,
                              env=bench_env({"PYTHONPATH": ""}), timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BenchmarkError(f"{python} cannot be run: {exc}") from exc
    return done.returncode == 0
