"""Each published version of OpenRouter's whole API, dropped into `spec/docs/` beside the seed pages,
regenerates with no code change: the package imports, passes `mypy --strict`, and the merge report
shows what the newer document replaced.

The documents are read from ../shared/openapi/openrouter/ (see tests/support/shared_data.py);
the `project` fixture (conftest.py) builds each version once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(root: Path, script: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(root / "generated")}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, check=False, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_package_imports_with_every_group_and_no_odd_module_names(project: Path) -> None:
    out = _run(project, (
        "import openrouter_client, pkgutil\n"
        "from openrouter_client import api\n"
        "print(openrouter_client.__file__)\n"
        "print(' '.join(sorted(m.name for m in pkgutil.iter_modules(api.__path__))))\n"
        "client = openrouter_client.OpenRouter(api_key='k')\n"
        "print(type(client.chat).__name__, type(client.models).__name__)\n"
    ))
    where, modules, resources = out.splitlines()
    assert where.startswith(str(project))
    names = modules.split()
    assert {"chat", "models", "anthropic_messages"} <= set(names)
    assert "responses" in names or "beta_responses" in names  # the tag changed in 2026-08
    # Tags spelled differently in the pages and the document (`models` / `Models`, `oAuth` /
    # `OAuth`) are one group, not `models_2` or `o_auth`.
    assert not [n for n in names if n[-1].isdigit() or n.startswith("o_")], names
    assert resources == "ChatResource ModelsResource"


def test_package_passes_mypy_strict(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null",
         "openrouter_client"],
        cwd=project / "generated", capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_merge_report_shows_what_the_document_replaced(project: Path) -> None:
    report = (project / "spec" / "MERGE_REPORT.md").read_text()
    row = next(line for line in report.splitlines() if line.startswith("| POST | `/chat/completions`"))
    # The document wins; the seed pages' three versions are listed as the earlier ones.
    assert "900_openrouter_" in row.split("|")[4], row
    assert row.count("002_") + row.count("003_") + row.count("004_") == 3, row


def test_streaming_is_taken_from_the_document(project: Path) -> None:
    # The document declares its own event streams: the overlay's chunk schemas go unused and are
    # dropped (and listed), chat streams the document's own chunk type.
    report = (project / "spec" / "MERGE_REPORT.md").read_text()
    chat = (project / "generated" / "openrouter_client" / "api" / "chat.py").read_text()
    assert "- `ChatStreamingChunk`" in report
    assert "request_stream(options, _m.ChatStreamingChunk" not in chat
    assert "-> Stream[" in chat and "stream: Literal[True]" in chat
