"""`ruff format` in black's place (the default formatter): black's output for our templates, ~100x faster.

black's style is the one of record. ruff's formatter is built to match it and, on what the templates
render, it does so byte for byte: where it would not (long union annotations, conditional elements and
arguments, long string constants and aliases, some docstring endings) the templates write black's
layout, which ruff keeps. tests/generator/test_formatters.py compares the two on every package the
tests generate, and tests/generator/test_black_stable.py checks the committed package is black's fixed
point, so CI notices the day they part.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from openrouter_codegen.client.render.format import LINE_LENGTH, TARGET_VERSION, unparsable
from openrouter_codegen.common.diagnostics import Diagnostic, GeneratorError, Location, Severity

# black's settings (format.black_mode) in ruff's words; --isolated keeps any pyproject.toml or
# ruff.toml around the files out of it.
RUFF_FORMAT = ("format", "--isolated", "--no-cache",
               "--line-length", str(LINE_LENGTH), "--target-version", TARGET_VERSION)
_PARSE_ERROR = re.compile(r"^error: Failed to parse (?P<path>.+?):(?P<line>\d+):\d+: (?P<what>.*)$")
# ruff formats files, not a stream of several, so the sources go to a scratch directory first. On a
# busy disk, creating its ~1,700 files for the whole published API cost more than ruff's formatting
# (1.3-3.6 s against 0.45-0.6 s in memory), so the directory is made in memory (tmpfs) where the
# system has one, else (or when it is too small for the sources) where `tempfile` puts it.
MEMORY_BACKED = Path("/dev/shm")


def ruff_binary() -> str:
    """The `ruff` executable of the installed ruff package."""
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def ruff_format_files(files: dict[str, str]) -> dict[str, str]:
    """`ruff format` every `.py` file of `files` (others unchanged) in one run of ruff.

    A file that does not parse is reported with its rendered line, like black's errors.
    """
    sources = {name: text for name, text in files.items() if name.endswith(".py")}
    if not sources:
        return dict(files)
    scratch = scratch_parent()
    try:
        formatted = _format_in(scratch, sources)
    except OSError:
        if scratch is None:
            raise
        formatted = _format_in(None, sources)  # the memory-backed directory is full
    return {**files, **formatted}


def scratch_parent() -> str | None:
    """Where the scratch directory goes: `MEMORY_BACKED` when there and writable, else None
    (`tempfile`'s choice)."""
    usable = MEMORY_BACKED.is_dir() and os.access(MEMORY_BACKED, os.W_OK | os.X_OK)
    return str(MEMORY_BACKED) if usable else None


def _format_in(parent: str | None, sources: dict[str, str]) -> dict[str, str]:
    """`sources` formatted by one run of ruff in a scratch directory made under `parent`."""
    with tempfile.TemporaryDirectory(prefix="ruff-format-", dir=parent) as tmp:
        root = Path(tmp)
        for name, text in sources.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        done = subprocess.run([ruff_binary(), *RUFF_FORMAT, str(root)], capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise GeneratorError(_diagnostics(done.stderr + done.stdout, root, sources))
        return {name: (root / name).read_text(encoding="utf-8") for name in sources}


def ruff_format_text(text: str, filename: str) -> str:
    """`ruff format` one text as the file `filename` would be (Markdown: its Python code blocks),
    so `ruff format --check generated` from the project root leaves it be."""
    done = subprocess.run([ruff_binary(), *RUFF_FORMAT, "--stdin-filename", filename, "-"],
                          input=text, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise GeneratorError([Diagnostic(Severity.ERROR, Location(file=filename),
                                         f"ruff format failed: {done.stderr.strip()[:2000]}")])
    return done.stdout


def _diagnostics(said: str, root: Path, sources: dict[str, str]) -> list[Diagnostic]:
    """ruff's parse errors as diagnostics on the rendered files; anything else as it was said."""
    found = []
    for line in said.splitlines():
        match = _PARSE_ERROR.match(line.strip())
        if match is None:
            continue
        path = Path(match["path"])
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        found.append(unparsable(name, sources.get(name, ""), int(match["line"]), match["what"]))
    if not found:
        found.append(Diagnostic(Severity.ERROR, Location(file="<ruff format>"),
                                f"ruff format failed: {said.strip()[:2000]}"))
    return found
