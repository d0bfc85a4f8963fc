"""black, as the last step of rendering; a template bug that yields invalid Python is reported here.

black is the slowest step of generation (about 0.3 ms a line). Files are cut into top-level blocks
(`blocks.py`) that black formats the same alone as in the whole file; the blocks are formatted in
parallel, and an optional content-addressed cache (given by the CLI, the only place that touches disk)
skips every block black has seen before. Output is the same with or without the cache.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from openrouter_codegen.client.render.blocks import JOIN, join_blocks, split_blocks
from openrouter_codegen.common.diagnostics import Diagnostic, GeneratorError, Location, Severity

if TYPE_CHECKING:
    from black.mode import Mode

# black is imported only when something is to be formatted: a regeneration that the cache answers
# (nothing changed) does not pay its import (about 0.1 s).
LINE_LENGTH = 100
TARGET_VERSION = "py311"
_SETTINGS = f"target {TARGET_VERSION}, line length {LINE_LENGTH}"  # black_mode(); in every key


@functools.cache
def black_mode() -> Mode:
    """The black settings of every generated file."""
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion[TARGET_VERSION.upper()]}, line_length=LINE_LENGTH)


def format_once(source: str) -> str:
    """One black pass over `source`.

    black.format_str formats twice whenever the first pass changed anything (a guard for rare
    trailing-comma cases), which doubles the cost on freshly rendered code. One pass is enough for what
    our templates render: tests/generator/test_black_stable.py checks the committed package is a fixed
    point of the full format_str, so a template that ever needed the second pass fails there.
    """
    import black

    once = getattr(black, "_format_str_once", black.format_str)
    formatted: str = once(source, mode=black_mode())
    return formatted


class FormatCache(Protocol):
    """Formatted text by key; `get` returns None for a miss."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, text: str) -> None: ...


class DirectoryCache:
    """A FormatCache of one file per key under `root` (the CLI's `.cache/black`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, key: str) -> str | None:
        """The text stored under `key`, or None."""
        path = self.root / key
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def put(self, key: str, text: str) -> None:
        """Store `text` under `key`, atomically (a concurrent reader sees all of it or none)."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{key}.{os.getpid()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.root / key)


@functools.cache
def _black_version() -> str:
    return version("black")


def cache_key(source: str) -> str:
    """Key of a rendered source under this black version and these settings."""
    digest = hashlib.sha256(f"{_black_version()}|{_SETTINGS}\n".encode())
    digest.update(source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def format_python(source: str, name: str, first_line: int = 1) -> str:
    """Format `source` with black; a syntax error names the file and line of the rendered code.

    `first_line` is where `source` starts in the rendered file (it may be one block of it).
    """
    from black.parsing import InvalidInput

    try:
        return format_once(source)
    except InvalidInput as exc:
        text = str(exc)
        parts = text.split(":")
        line = int(parts[1]) if len(parts) > 1 and parts[1].strip().isdigit() else None
        raise GeneratorError([unparsable(name, source, line, text, first_line)]) from exc


def unparsable(name: str, source: str, line: int | None, what: str, first_line: int = 1) -> Diagnostic:
    """A formatter's syntax error at `line` of `source` (which starts at `first_line` of the
    rendered file `name`), with the offending line quoted."""
    lines = source.splitlines()
    snippet = lines[line - 1].strip()[:200] if line and line <= len(lines) else ""
    return Diagnostic(Severity.ERROR,
                      Location(f"<rendered {name}>", line + first_line - 1 if line else None),
                      f"rendered code does not parse ({what}): {snippet}")


@dataclass(frozen=True)
class _Job:
    name: str  # the file the block belongs to
    first_line: int  # where the block starts in the rendered file
    source: str


def _format_job(job: _Job) -> str | GeneratorError:
    try:
        return format_python(job.source, job.name, job.first_line)
    except GeneratorError as exc:
        return exc


def format_files(files: dict[str, str], cache: FormatCache | None = None) -> dict[str, str]:
    """black every `.py` file of `files` (others unchanged), in parallel, through `cache` if given.

    Each file is formatted as independent top-level blocks (`blocks.split_blocks`): the blocks spread
    over the cores, and the cache holds blocks, so an unchanged class is never formatted twice.
    """
    out = dict(files)
    layout: dict[str, list[str]] = {}  # file -> cache keys of its blocks, in order
    done: dict[str, str] = {}  # cache key -> formatted block
    todo: dict[str, _Job] = {}
    whole: dict[str, str] = {}  # file -> cache key of its whole text (with a cache only)
    for name, source in files.items():
        if not name.endswith(".py"):
            continue
        if cache is not None:
            # An unchanged file is one lookup: no cutting, no hashing of its blocks.
            whole[name] = cache_key(source)
            hit = cache.get(whole[name])
            if hit is not None:
                out[name] = hit
                continue
        keys = []
        line = 1
        for block in split_blocks(source):
            key = cache_key(block)
            keys.append(key)
            if key not in done and key not in todo:
                hit = cache.get(key) if cache is not None else None
                if hit is not None:
                    done[key] = hit
                else:
                    todo[key] = _Job(name, line, block)
            line += block.count("\n") + JOIN.count("\n")  # the blank lines between blocks
        layout[name] = keys
    jobs = sorted(todo.items(), key=lambda item: -len(item[1].source))  # biggest first balances
    workers = min(len(jobs), os.cpu_count() or 1)
    if jobs:
        black_mode()  # import black once, before the workers fork
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_format_job, [job for _, job in jobs], chunksize=4))
    else:
        results = [_format_job(job) for _, job in jobs]
    failures = [r for r in results if isinstance(r, GeneratorError)]
    if failures:
        raise GeneratorError([d for f in failures for d in f.diagnostics])
    for (key, _), formatted in zip(jobs, results):
        assert isinstance(formatted, str)
        done[key] = formatted
        if cache is not None:
            cache.put(key, formatted)
    for name, keys in layout.items():
        out[name] = join_blocks([done[key] for key in keys])
        if cache is not None:
            cache.put(whole[name], out[name])
    return out
