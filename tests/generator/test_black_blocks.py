"""Formatting by top-level blocks gives exactly black's output for the whole file.

Generation cuts each rendered module into blocks (openrouter_codegen/client/render/blocks.py) so black can run on
them in parallel and cache them one by one. These tests render real packages without formatting
and compare, file by file, the block-wise result with one black pass over the whole file. (The
hostile-names document is left out for time alone: it takes 13 s here.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from openrouter_codegen.client.client_build import build_client
from openrouter_codegen.client.render.blocks import join_blocks, split_blocks
from openrouter_codegen.client.render.format import (
    cache_key,
    format_files,
    format_once,
    format_python,
)
from openrouter_codegen.common.diagnostics import GeneratorError
from tests.generality.hostile_documents import injection_document

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = {
    "openrouter": lambda: yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text("utf-8")),
    "library_31": lambda: yaml.safe_load(
        (ROOT / "tests" / "fixtures" / "generality" / "library_31.yaml").read_text("utf-8")),
    "fleet_30": lambda: yaml.safe_load(
        (ROOT / "tests" / "fixtures" / "generality" / "fleet_30.yaml").read_text("utf-8")),
    "injection": injection_document,
}


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_block_wise_formatting_equals_whole_file_black(document: str):
    rendered: dict[str, Any] = build_client(DOCUMENTS[document](), format_code=False).files
    python = {name: text for name, text in rendered.items() if name.endswith(".py")}
    assert any(len(split_blocks(text)) > 10 for text in python.values())  # cutting did happen
    by_blocks = format_files(python)
    for name, text in python.items():
        assert by_blocks[name] == format_once(text), name


def test_cuts_only_in_front_of_definitions_after_two_blank_lines():
    source = (
        '"""Doc."""\n\nimport a\n\nX = 1\n\n\ndef f():\n    return 1\n\n\n'
        "@decorator\nclass C:\n    pass\n\n\n"
        "# a comment that black may attach to what follows\n\n\ndef g():\n    pass\n"
        "\ndef h():\n    pass\n\n\n"
        "Y = 2\n\n\nasync def k():\n    pass\n"
    )
    blocks = split_blocks(source)
    assert [b.split("\n", 1)[0] for b in blocks] == [
        '"""Doc."""', "def f():", "@decorator", "async def k():"]
    assert join_blocks(blocks) == source
    # ... and black agrees with the blocks once each is formatted.
    assert join_blocks([format_python(b, "x.py") for b in blocks]) == format_once(source)


def test_source_that_does_not_parse_is_one_block():
    assert split_blocks("def f(:\n    pass\n\n\ndef g():\n    pass\n") == [
        "def f(:\n    pass\n\n\ndef g():\n    pass\n"]


def test_a_black_error_in_a_later_block_names_the_line_in_the_file():
    with pytest.raises(GeneratorError) as caught:
        format_python("x = 1\ny = (\n", "models.py", first_line=40)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location.line == 41
    assert "models.py" in str(diagnostic.location.file)


def test_the_cache_holds_blocks_so_an_unchanged_class_is_not_formatted_again():
    class Recording(dict[str, str]):
        def put(self, key: str, text: str) -> None:
            self[key] = text

    cache = Recording()
    before = "class A:\n    x: int\n\n\nclass B:\n    y: int\n"
    after = "class A:\n    x: int\n\n\nclass B:\n    y: str\n"
    first = format_files({"m.py": before}, cache)
    assert len(cache) == 3  # blocks A and B, and the whole file
    assert first["m.py"] == format_once(before)
    second = format_files({"m.py": after}, cache)
    assert len(cache) == 5  # only B's new text was formatted, and the new whole file stored
    assert second["m.py"] == format_once(after)
    # An unchanged file is answered by its whole-file entry, without cutting it into blocks.
    cache[cache_key(after)] = "from the whole-file entry\n"
    assert format_files({"m.py": after}, cache)["m.py"] == "from the whole-file entry\n"
