"""Split a rendered module into top-level blocks that black formats the same alone as in the whole file.

black's work is per statement, except for the blank lines between top-level statements. A class or
function that starts at column 0 after exactly two blank lines, with code (not a comment or a
decorator) before those lines, always gets exactly two blank lines from black, whatever precedes it;
and black formats its body without looking at what came before. So the module can be cut in front of
every such definition, each piece formatted alone, and the pieces joined with two blank lines: the
result is black's output for the whole file. Pieces are also the unit of the formatting cache, so a
docs change that touches a few models re-formats those models, not the whole 7,000-line module.

`tests/generator/test_black_blocks.py` checks the equivalence on every package the tests generate.
"""

from __future__ import annotations

import ast

# What joins two formatted blocks: the end of one block's last line, then two blank lines.
JOIN = "\n\n"


def split_blocks(source: str) -> list[str]:
    """`source` cut in front of each top-level definition black formats independently (see above).

    Joining the pieces with `JOIN` gives `source` back except for the two blank lines at each cut,
    which black would write anyway. Source that does not parse is one block, so black reports the error.
    """
    try:
        module = ast.parse(source)
    except (SyntaxError, ValueError):
        return [source]
    lines = source.split("\n")
    cuts: list[int] = []  # 0-based index of the first line of each block after the first
    previous_end = 0  # 1-based last line of the previous top-level statement
    for node in module.body:
        start = node.lineno
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            start = min([start, *(d.lineno for d in node.decorator_list)])
            if previous_end and _cuttable(lines, previous_end, start):
                cuts.append(start - 1)
        previous_end = node.end_lineno or start
    if not cuts:
        return [source]
    blocks = []
    begin = 0
    for cut in cuts:
        # The two blank lines in front of the cut belong to neither block.
        blocks.append("\n".join(lines[begin:cut - 2]) + "\n")
        begin = cut
    blocks.append("\n".join(lines[begin:]))
    return blocks


def _cuttable(lines: list[str], previous_end: int, start: int) -> bool:
    """Exactly two blank lines, and nothing else, between the previous statement and this definition.

    A comment in between (which black may attach to either side) makes the gap longer than two lines.
    """
    return start - previous_end == 3 and all(not line.strip() for line in lines[previous_end:start - 1])


def join_blocks(formatted: list[str]) -> str:
    """Formatted blocks (each ending in one newline) back into one module."""
    return JOIN.join(formatted)
