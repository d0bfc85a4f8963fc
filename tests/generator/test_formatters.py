"""`--formatter ruff` gives black's output, byte for byte, on every package the tests generate.

The templates write the few constructs where `ruff format` and black part ways (long union
annotations, conditional expressions as elements or arguments, long string literals, a docstring
ending in a quote or in a long line) in the layout black would give them, which ruff keeps. These
tests hold that true, and show each construct in isolation so a failure says which one moved.
"""

from __future__ import annotations

import ast
import io
import shutil
import subprocess
import tokenize
from pathlib import Path

import pytest

from openrouter_codegen.cli import main
from openrouter_codegen.client.client_build import build_client
from openrouter_codegen.client.render import ruff_format
from openrouter_codegen.client.render.api import Arg
from openrouter_codegen.client.render.environment import docstring, string_line
from openrouter_codegen.client.render.format import format_files, format_once
from openrouter_codegen.client.render.models import alias_value
from openrouter_codegen.client.render.ruff_format import RUFF_FORMAT, ruff_binary, ruff_format_files
from openrouter_codegen.common.diagnostics import GeneratorError
from tests.generator.test_black_blocks import DOCUMENTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_ruff_formats_every_generated_file_as_black_does(document: str):
    rendered = build_client(DOCUMENTS[document](), format_code=False).files
    by_black = format_files(rendered)
    by_ruff = ruff_format_files(rendered)
    assert by_ruff.keys() == by_black.keys()
    changed = [name for name in rendered if name.endswith(".py") and rendered[name] != by_black[name]]
    assert changed  # the formatters had work to do, not only already-formatted text to leave be
    assert [name for name in by_black if by_ruff[name] != by_black[name]] == []


def _ruff(source: str) -> str:
    done = subprocess.run([ruff_binary(), *RUFF_FORMAT, "-"], input=source, capture_output=True,
                          text=True, check=True)
    return done.stdout


def _agree(source: str) -> None:
    """black leaves `source` as it is, and so does ruff."""
    assert format_once(source) == source
    assert _ruff(source) == source


@pytest.mark.parametrize("length", [20, 60, 75, 90, 120])
@pytest.mark.parametrize("indent", [4, 8])
def test_long_union_annotations_get_the_parentheses_black_adds(length: int, indent: int):
    arg = Arg("limit", "A" * length + " | str | None | NotGiven", "NOT_GIVEN")
    declared = arg.declared_at(indent)
    assert declared.startswith("limit: (") == (indent + len(arg.declaration) + 1 > 100)
    inner = " " * indent
    head = "class C:\n    def f(\n        self,\n" if indent == 8 else "def f(\n    client,\n"
    tail = "    ) -> None:\n        pass\n" if indent == 8 else ") -> None:\n    pass\n"
    source = format_once(f"{head}{inner}*,\n{inner}{declared},\n{tail}")
    assert _ruff(source) == source
    if indent + len(arg.declaration) + 1 <= 100:
        assert "(" not in source.split("limit:")[1].split("=")[0]  # short: no parentheses at all


@pytest.mark.parametrize("members", [2, 4, 8])
@pytest.mark.parametrize("width", [5, 20, 40])
def test_long_quoted_aliases_and_constants_are_laid_out_as_black_lays_them_out(
        members: int, width: int):
    hint = " | ".join([chr(65 + i) * width for i in range(members)] + ["dict[str, Any]"])
    alias = f"Name: TypeAlias = {alias_value('Name: TypeAlias = ', hint)}\n"
    _agree(alias)
    # Each member's text is one string token: pyright reads implicitly concatenated pieces
    # as Unknown. The members, read back, are the hint's.
    strings = [t.string for t in tokenize.generate_tokens(io.StringIO(alias).readline)
               if t.type == tokenize.STRING]
    read = [ast.literal_eval(s) for s in strings]
    assert " | ".join(read) == hint
    value = "x" * (width * members * 3)
    source = f"USER_AGENT: Final = {string_line(value, 'USER_AGENT: Final = ')}\n"
    _agree(source)
    assert ast.literal_eval(source.split(" = ", 1)[1]) == value  # cutting kept the value


@pytest.mark.parametrize("text", [
    'ends in a quote "x"',
    'ends in three quotes """',
    "a summary\n\n" + "word " * 20 + "x" * 10,  # the last line is too long for the closing quotes
    "a summary\n\n" + "y" * 120,
])
def test_docstring_endings_black_and_ruff_keep(text: str):
    body = docstring(text, 4)
    source = f'def f():\n    """{body}"""\n    return 1\n'
    _agree(source)
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert (ast.get_docstring(function) or "").endswith(text.strip()[-5:])  # the text survived


def test_ruff_reports_unparsable_code_with_the_rendered_file_and_line():
    with pytest.raises(GeneratorError) as info:
        ruff_format_files({"pkg/ok.py": "x = 1\n", "pkg/bad.py": "x = 1\n\ndef f(:\n    pass\n"})
    text = str(info.value.diagnostics[0])
    assert "<rendered pkg/bad.py>:3" in text and "does not parse" in text and "def f(:" in text


def test_ruff_gives_the_same_files_wherever_its_scratch_directory_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    rendered = build_client(DOCUMENTS[min(DOCUMENTS)](), format_code=False).files
    in_memory = ruff_format_files(rendered)
    # No memory-backed directory (not Linux, or not writable): tempfile's place.
    monkeypatch.setattr(ruff_format, "MEMORY_BACKED", tmp_path / "absent")
    assert ruff_format.scratch_parent() is None
    assert ruff_format_files(rendered) == in_memory
    # One that cannot take the files (a container's small /dev/shm, full): tempfile's place too.
    monkeypatch.setattr(ruff_format, "MEMORY_BACKED", tmp_path)
    assert ruff_format.scratch_parent() == str(tmp_path)
    original = ruff_format._format_in
    tried: list[str | None] = []

    def full_when_in_memory(parent: str | None, sources: dict[str, str]) -> dict[str, str]:
        tried.append(parent)
        if parent is not None:
            raise OSError(28, "No space left on device")
        return original(parent, sources)

    monkeypatch.setattr(ruff_format, "_format_in", full_when_in_memory)
    assert ruff_format_files(rendered) == in_memory
    assert tried == [str(tmp_path), None]


def test_cli_generates_the_committed_package_with_either_formatter(tmp_path: Path):
    for formatter in ("black", "ruff"):
        out = tmp_path / formatter
        # The committed version to start from, so `__version__` is the committed one.
        out.mkdir()
        shutil.copy(ROOT / "generated" / "pyproject.toml", out / "pyproject.toml")
        code = main(["generate", "--root", str(ROOT), "--spec-dir", str(out / "spec"),
                     "--out", str(out), "--formatter", formatter])
        assert code == 0
        for path in (ROOT / "generated" / "openrouter_client").rglob("*.py"):
            relative = path.relative_to(ROOT / "generated")
            assert (out / relative).read_text("utf-8") == path.read_text("utf-8"), relative
