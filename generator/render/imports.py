"""The import lines of a rendered module, read from what its code uses.

A module is rendered without imports; `import_block` parses it, finds every name it reads but
does not define, and imports each from where it lives: the standard library and runtime names
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
from collections.abc import Iterator, Mapping

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
    "TypeAlias": ("typing", "TypeAlias"),
    "Callable": ("collections.abc", "Callable"),
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
    "_query_value": ("._encoding", "query_value"),
    "APIResponse": ("._response", "APIResponse"),
    "AsyncStream": ("._streaming", "AsyncStream"),
    "Stream": ("._streaming", "Stream"),
    "NOT_GIVEN": ("._types", "NOT_GIVEN"),
    "NotGiven": ("._types", "NotGiven"),
    "Timeout": ("._types", "Timeout"),
}


def defined_names(tree: ast.Module) -> set[str]:
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


def _annotation_roots(tree: ast.Module) -> Iterator[ast.expr]:
    """Every annotation of the module, and the parsed text of quoted `TypeAlias` values."""
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign):
            yield node.annotation
            is_alias = isinstance(node.annotation, ast.Name) and node.annotation.id == "TypeAlias"
            if is_alias and isinstance(node.value, ast.Constant) and \
                    isinstance(node.value.value, str):
                yield ast.parse(node.value.value, mode="eval").body
        elif isinstance(node, ast.arg) and node.annotation is not None:
            yield node.annotation
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns:
            yield node.returns
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id == "cast" and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            yield ast.parse(node.args[0].value, mode="eval").body


def used_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(names read by code that runs, names read only in annotations)."""
    in_annotations: set[int] = set()
    typing_only: set[str] = set()
    for root in _annotation_roots(tree):
        for node in ast.walk(root):
            in_annotations.add(id(node))
            if isinstance(node, ast.Name):
                typing_only.add(node.id)
    runtime = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)
               and isinstance(node.ctx, ast.Load) and id(node) not in in_annotations}
    return runtime, typing_only - runtime


def import_block(source: str, owners: Mapping[str, str], *, defer_annotations: bool,
                 in_subpackage: bool = False) -> str:
    """The import lines `source` needs: standard names from `STANDARD`, other names from the
    module `owners` names for them (a relative module such as `._chat`). A module of a
    subpackage (`in_subpackage`) reaches the package's runtime modules with `..`."""
    tree = ast.parse(source)
    local = defined_names(tree)
    runtime, typing_only = used_names(tree)
    if not defer_annotations:
        runtime, typing_only = runtime | typing_only, set()
    # dataclasses reads `ClassVar` in the module's namespace to tell class variables from fields.
    runtime |= typing_only & _READ_AT_RUN_TIME
    typing_only -= _READ_AT_RUN_TIME
    lines: dict[str, set[str]] = defaultdict(set)
    checking: dict[str, set[str]] = defaultdict(set)
    for names, target in ((runtime, lines), (typing_only, checking)):
        for name in names - local - _BUILTINS:
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
