"""The import lines of a rendered module, read from what its code uses.

A module is rendered with `IMPORTS_MARK` where its imports go; `module_names` parses it once,
and `with_imports` imports every name it reads but does not define from where it lives: the standard library and runtime names
from a fixed table, other generated modules' names from `owners`. With `defer_annotations`, a
name read only in annotations (type hints, and the quoted values of `TypeAlias`es) is imported
under `if TYPE_CHECKING:`, so loading the module loads only what its code runs (the endpoint
modules); without, every name is imported for real, so `typing.get_type_hints` works on the
module's classes (the model modules).
"""

from __future__ import annotations

import ast
import builtins
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

_BUILTINS = frozenset(dir(builtins))
_READ_AT_RUN_TIME = frozenset({"ClassVar"})
# Names a generated module may use that come from the standard library or the runtime:
# name -> (module, name there); a runtime module is written relative to the package's root.
STANDARD: Mapping[str, tuple[str, str]] = {
    "dataclass": ("dataclasses", "dataclass"),
    "field": ("dataclasses", "field"),
    "Enum": ("enum", "Enum"),
    "IntEnum": ("enum", "IntEnum"),
    "StrEnum": ("enum", "StrEnum"),
    "Any": ("typing", "Any"),
    "ClassVar": ("typing", "ClassVar"),
    "Literal": ("typing", "Literal"),
    "Protocol": ("typing", "Protocol"),
    "Required": ("typing", "Required"),
    "SupportsIndex": ("typing", "SupportsIndex"),
    "TypeAlias": ("typing", "TypeAlias"),
    "TypedDict": ("typing", "TypedDict"),
    "TypeVar": ("typing", "TypeVar"),
    "Union": ("typing", "Union"),
    "AsyncIterator": ("collections.abc", "AsyncIterator"),
    "Callable": ("collections.abc", "Callable"),
    "Iterator": ("collections.abc", "Iterator"),
    "Mapping": ("collections.abc", "Mapping"),
    "Sequence": ("collections.abc", "Sequence"),
    "replace": ("dataclasses", "replace"),
    "cast": ("typing", "cast"),
    "overload": ("typing", "overload"),
    "_m": (".", "models"),
    "AsyncAPIClient": ("._base_client", "AsyncAPIClient"),
    "RequestOptions": ("._base_client", "RequestOptions"),
    "SyncAPIClient": ("._base_client", "SyncAPIClient"),
    "FileInput": ("._encoding", "FileInput"),
    "_deep_object": ("._encoding", "deep_object"),
    "_delimited": ("._encoding", "delimited"),
    "_encode": ("._encoding", "encode"),
    "_form_encode": ("._encoding", "form_encode"),
    "_multipart_encode": ("._encoding", "multipart_encode"),
    "_path_value": ("._encoding", "path_value"),
    "_pick_object": ("._encoding", "pick_object"),
    "_left_out": ("._encoding", "left_out"),
    "UNSET": ("._encoding", "UNSET"),
    "_ALL_SET": ("._encoding", "ALL_SET"),
    "_query_value": ("._encoding", "query_value"),
    "APIResponse": ("._response", "APIResponse"),
    "_expect_json": ("._response", "expect_json"),
    "_paginate": ("._pagination", "paginate"),
    "_apaginate": ("._pagination", "apaginate"),
    "AsyncStream": ("._streaming", "AsyncStream"),
    "AsyncBinaryStream": ("._binary", "AsyncBinaryStream"),
    "BinaryStream": ("._binary", "BinaryStream"),
    "Stream": ("._streaming", "Stream"),
    "NOT_GIVEN": ("._types", "NOT_GIVEN"),
    "NotGiven": ("._types", "NotGiven"),
    "Timeout": ("._types", "Timeout"),
}


@dataclass(frozen=True)
class ModuleNames:
    """What a module binds at its top level, reads in code that runs, and reads only in
    annotations (type hints, the quoted values of `TypeAlias`es or their quoted `Union` members,
    `cast`'s quoted type)."""

    defined: frozenset[str]
    runtime: frozenset[str]
    typing_only: frozenset[str]


def module_names(source: str) -> ModuleNames:
    """Parse `source` once and read its names (one pass over the tree, no recursion)."""
    tree = ast.parse(source)
    runtime: set[str] = set()
    typing: set[str] = set()
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    pop, push = stack.pop, stack.append
    while stack:
        node, in_annotation = pop()
        kind = type(node)
        if kind is ast.Name:
            name = cast(ast.Name, node)
            if type(name.ctx) is ast.Load:
                (typing if in_annotation else runtime).add(name.id)
            continue
        if kind is ast.Constant:
            continue
        if kind is ast.AnnAssign:
            assert isinstance(node, ast.AnnAssign)
            push((node.annotation, True))
            value = node.value
            alias = isinstance(node.annotation, ast.Name) and node.annotation.id == "TypeAlias"
            if alias and _quoted(value):
                push((_parsed(value), True))
            elif alias and _quoted_union(value):
                # `Union["A", "B"]`: `Union` runs, the members are annotations.
                assert isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Tuple)
                push((value.value, in_annotation))
                for member in value.slice.elts:
                    push((_parsed(member) if _quoted(member) else member, True))
            elif value is not None:
                push((value, in_annotation))
            continue
        if kind is ast.arg:
            assert isinstance(node, ast.arg)
            if node.annotation is not None:
                push((node.annotation, True))
            continue
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if node.returns is not None:
                push((node.returns, True))
            push((node.args, in_annotation))
            for child in (*node.decorator_list, *node.body):
                push((child, in_annotation))
            continue
        if kind is ast.Call:
            assert isinstance(node, ast.Call)
            if isinstance(node.func, ast.Name) and node.func.id == "cast" and node.args and \
                    _quoted(node.args[0]):
                push((_parsed(node.args[0]), True))
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        push((item, in_annotation))
            elif isinstance(value, ast.AST):
                push((value, in_annotation))
    return ModuleNames(frozenset(_defined(tree)), frozenset(runtime),
                       frozenset(typing - runtime))


def _quoted(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _quoted_union(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and \
        node.value.id == "Union" and isinstance(node.slice, ast.Tuple)


def _parsed(node: ast.expr | None) -> ast.expr:
    assert isinstance(node, ast.Constant)
    return ast.parse(str(node.value), mode="eval").body


def _defined(tree: ast.Module) -> set[str]:
    """The names a module binds at its top level."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


# What a template writes where its module's imports go; `with_imports` replaces it once the body
# is known (a line no template writes otherwise).
IMPORTS_MARK = "#: imports"


def with_imports(body: str, names: ModuleNames, owners: Mapping[str, str], *,
                 defer_annotations: bool, in_subpackage: bool = False) -> str:
    """`body` (rendered with `IMPORTS_MARK` on a line of its own) with its import lines."""
    block = import_block(names, owners, defer_annotations=defer_annotations,
                         in_subpackage=in_subpackage)
    return body.replace(IMPORTS_MARK + "\n", block, 1)


def import_block(names: ModuleNames, owners: Mapping[str, str], *, defer_annotations: bool,
                 in_subpackage: bool = False) -> str:
    """The import lines a module with these `names` needs: standard names from `STANDARD`,
    other names from the module `owners` names for them (a relative module such as `._chat`).
    A module of a subpackage (`in_subpackage`) reaches the package's runtime modules with `..`."""
    local = names.defined
    runtime, typing_only = set(names.runtime), set(names.typing_only)
    if not defer_annotations:
        runtime, typing_only = runtime | typing_only, set()
    # dataclasses reads `ClassVar` in the module's namespace to tell class variables from fields.
    runtime |= typing_only & _READ_AT_RUN_TIME
    typing_only -= _READ_AT_RUN_TIME
    lines: dict[str, set[str]] = defaultdict(set)
    checking: dict[str, set[str]] = defaultdict(set)
    for read, target in ((runtime, lines), (typing_only, checking)):
        for name in read - local - _BUILTINS:
            if name in STANDARD:
                module, original = STANDARD[name]
                if in_subpackage and module.startswith("."):
                    module = "." + module
                target[module].add(original if original == name else f"{original} as {name}")
            elif name in owners:
                target[owners[name]].add(name)
    if checking:
        lines["typing"].add("TYPE_CHECKING")
    block = _format(lines) + ("\n\nif TYPE_CHECKING:\n" + _format(checking, "    ")
                              if checking else "")
    return block + "\n"


def _import_order(name: str) -> tuple[int, str]:
    """isort's order by type: CONSTANTS, then Classes, then functions and variables."""
    bare = name.split(" as ")[0]
    rank = 0 if bare.isupper() else 1 if bare[:1].isupper() else 2
    return rank, bare.lower()


def _format(modules: Mapping[str, set[str]], indent: str = "") -> str:
    """`from m import a, b` lines: the standard library first, then (after a blank line) the
    package's own."""
    ordered = sorted(modules, key=lambda m: (m.startswith("."), m))
    out: list[str] = []
    for i, module in enumerate(ordered):
        if i and module.startswith(".") and not ordered[i - 1].startswith("."):
            out.append("")
        names = sorted(modules[module], key=_import_order)
        aliased = [n for n in names if " as " in n]
        plain = [n for n in names if " as " not in n]
        if plain:
            out.append(f"{indent}from {module} import {', '.join(plain)}")
        out.extend(f"{indent}from {module} import {n}" for n in aliased)
    return "\n".join(out)
