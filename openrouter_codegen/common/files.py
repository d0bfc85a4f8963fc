"""The I/O edge: read input files, write output trees atomically, compare trees."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from openrouter_codegen.common.diagnostics import error, map_all

# Page formats the extractor understands; anything else in spec/docs is ignored on purpose
# (e.g. a README a maintainer drops there).
DOC_SUFFIXES = (".md", ".markdown", ".mdx", ".txt", ".yaml", ".yml", ".json")


@dataclass(frozen=True)
class SourceFile:
    """A file's path (as shown in messages) and its text."""

    path: str
    text: str


def read_dir(directory: Path, suffixes: tuple[str, ...], *, root: Path) -> tuple[SourceFile, ...]:
    """Read every file in `directory` with one of `suffixes`, sorted by file name.

    Raises one GeneratorError naming every file that cannot be read or is not UTF-8.
    """
    if not directory.is_dir():
        return ()
    files = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
    return tuple(map_all(lambda p: read_source(p, _display(p, root)), files))


def read_source(path: Path, shown: str) -> SourceFile:
    """An input file's text, as `Path.read_text` gives it (universal newlines), without a BOM.

    A file that cannot be read, or is not UTF-8, is an error naming `shown` and, for a bad byte,
    its line and column, instead of a traceback from deep inside the run.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror or exc}", file=shown) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        raise error(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at column {exc.start - line_start + 1} "
            "cannot be decoded (docs pages, overlays and specs are read as UTF-8)",
            file=shown, line=data.count(b"\n", 0, exc.start) + 1,
        ) from None
    return SourceFile(path=shown, text=text.replace("\r\n", "\n").replace("\r", "\n"))


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def write_files_atomically(files: dict[Path, str]) -> None:
    """Write every file, or none: all are staged in temp files first, then renamed in place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            staged.append((Path(tmp_name), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


def replace_tree(target: Path, files: dict[str, str]) -> None:
    """Replace directory `target` by exactly `files` (relative path -> text), swapped in whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new.", dir=target.parent))
    try:
        for rel, text in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def read_tree(directory: Path) -> dict[str, str]:
    """Every file under `directory` (relative posix path -> text), skipping caches."""
    out: dict[str, str] = {}
    if not directory.is_dir():
        return out
    for path in sorted(directory.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            # A committed file that is not UTF-8 is stale, not a crash: the diff shows it.
            text = path.read_text(encoding="utf-8", errors="replace")
            out[path.relative_to(directory).as_posix()] = text
    return out


def diff_trees(label: str, committed: dict[str, str], fresh: dict[str, str]) -> list[str]:
    """Unified diff lines between two trees (empty when identical)."""
    lines: list[str] = []
    for rel in sorted(set(committed) | set(fresh)):
        old, new = committed.get(rel), fresh.get(rel)
        if old == new:
            continue
        lines.extend(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"{label}/{rel} (committed)" if old is not None else "/dev/null",
                tofile=f"{label}/{rel} (regenerated)" if new is not None else "/dev/null",
            )
        )
    return lines
