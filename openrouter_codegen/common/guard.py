"""Checks that run before any schema work, and deep recursion kept within bounds.

A hostile or broken document must either generate or stop with an error naming its JSON pointer, never
crash, hang or read files. This module walks the document once without recursion and finds what would
break later: references that leave the document (datamodel-code-generator would read them from disk or
the network), references to nothing, nesting deeper than any real schema, `allOf` inheritance too deep
to flatten into a class. It also measures how deep `$ref` chains go, so the resolver can be given a
recursion budget that fits (`run_deep`) instead of hitting Python's default limit.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import unquote

from openrouter_codegen.common.diagnostics import Diagnostic, GeneratorError, Location, Severity
from openrouter_codegen.spec.fragments import escape

T = TypeVar("T")

# Inline nesting (objects in arrays in objects ...) beyond this is no real API; rendering it would
# also exceed what Python's parser accepts in one annotation.
MAX_NESTING = 100
# Longest `$ref` chain the generator resolves; deeper chains stop with an error naming their start.
MAX_REF_DEPTH = 5000
# Flattening `allOf` copies every inherited property into each class: deep inheritance makes the
# package grow with the square of the depth.
MAX_ALLOF_DEPTH = 64
_SCHEMAS = "/components/schemas/"


@dataclass(frozen=True)
class Checked:
    """What the pre-pass found: problems, and the longest `$ref` chain (length, starting pointer)."""

    diagnostics: tuple[Diagnostic, ...]
    ref_depth: int
    deepest: str


def walk(document: Any) -> Iterator[tuple[str, Any, int]]:
    """(pointer, node, depth) of every node, depth first, without recursion."""
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    while stack:
        pointer, node, depth = stack.pop()
        yield pointer, node, depth
        if isinstance(node, dict):
            stack.extend((f"{pointer}/{escape(str(k))}", v, depth + 1)
                         for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((f"{pointer}/{i}", v, depth + 1) for i, v in reversed(list(enumerate(node))))


def resolve_pointer(document: Any, ref: str) -> tuple[bool, Any]:
    """(found, target) of a local reference `#/a/b` (percent-encoded, as in a URI, or not)."""
    found, target = _resolve(document, ref)
    if not found and "%" in ref:
        found, target = _resolve(document, unquote(ref))
    return found, target


def _resolve(document: Any, ref: str) -> tuple[bool, Any]:
    target: Any = document
    for token in ref[2:].split("/") if ref != "#" else ():
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and token in target:
            target = target[token]
        elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
            target = target[int(token)]
        else:
            return False, None
    return True, target


def check_document(document: dict[str, Any]) -> Checked:
    """Find what would break schema resolution, before it runs."""
    diagnostics: list[Diagnostic] = []
    refs: dict[str, set[str]] = {}  # component pointer -> component pointers it references
    parents: dict[str, set[str]] = {}  # component pointer -> components it extends via allOf
    too_deep = False
    for pointer, node, depth in walk(document):
        for text in (pointer.rpartition("/")[2], node if isinstance(node, str) else ""):
            if not valid_unicode(text):
                diagnostics.append(_error(printable(pointer), "text here is not valid Unicode (a lone "
                                          "surrogate)", "fix the text"))
                break
        if depth > MAX_NESTING and not too_deep:
            too_deep = True
            diagnostics.append(nesting_error(pointer))
        if not isinstance(node, dict) or "$ref" not in node:
            continue
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            diagnostics.append(_error(f"{pointer}/$ref", f"reference {ref!r} leaves the document; "
                                      "only local references (#/...) are supported",
                                      "bundle the document into one file first"))
            continue
        if not resolve_pointer(document, ref)[0]:
            diagnostics.append(_error(f"{pointer}/$ref", f"reference {ref!r} points to nothing",
                                      "fix the reference or add the schema"))
            continue
        owner = _component(pointer)
        if owner is not None and ref.startswith("#" + _SCHEMAS):
            target = _component(ref[1:]) or ref[1:]
            refs.setdefault(owner, set()).add(target)
            if "/allOf/" in pointer[len(owner):]:
                parents.setdefault(owner, set()).add(target)
    depth, deepest = _longest_chain(refs)
    if depth > MAX_REF_DEPTH:
        diagnostics.append(_error(deepest, f"$ref chains from here go {depth} deep; the generator "
                                  f"resolves at most {MAX_REF_DEPTH}", "shorten the chain"))
    allof_depth, allof_deepest = _longest_chain(parents)
    if allof_depth > MAX_ALLOF_DEPTH:
        diagnostics.append(_error(allof_deepest, f"allOf inheritance from here goes {allof_depth} "
                                  f"deep; at most {MAX_ALLOF_DEPTH} levels are flattened into a "
                                  "class", "shorten the inheritance chain"))
    return Checked(tuple(diagnostics), depth, deepest)


def nesting_error(pointer: str) -> Diagnostic:
    """The error for a node nested more than MAX_NESTING levels deep, at `pointer`."""
    return _error(pointer, f"the document nests more than {MAX_NESTING} levels deep here",
                  "simplify or split the schema")


def valid_unicode(text: str) -> bool:
    """Whether `text` can be written as UTF-8 (it holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    """`text` (a pointer, a value) as it can be printed: lone surrogates written as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _component(pointer: str) -> str | None:
    """`/components/schemas/X` for any pointer inside that component."""
    if not pointer.startswith(_SCHEMAS):
        return None
    name = pointer[len(_SCHEMAS):].split("/", 1)[0]
    return _SCHEMAS + name


def _longest_chain(edges: dict[str, set[str]]) -> tuple[int, str]:
    """Length of the longest reference path (cycles cut where met) and the node it starts from."""
    depth: dict[str, int] = {}
    for start in sorted(edges):
        if start in depth:
            continue
        on_path = {start}
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges.get(start, ()))))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.discard(node)
                depth[node] = 1 + max((depth.get(c, 0) for c in edges.get(node, ())
                                       if c not in on_path), default=0)
            elif child not in depth and child not in on_path:
                on_path.add(child)
                stack.append((child, iter(sorted(edges.get(child, ())))))
    if not depth:
        return 0, ""
    deepest = max(sorted(depth), key=lambda n: depth[n])
    return depth[deepest], deepest


def _error(pointer: str, message: str, action: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, Location(pointer=pointer), message, action)


def run_deep(fn: Callable[[], T], depth: int) -> T:
    """Run `fn` with room for recursion `depth` levels deep (schema resolvers recurse per `$ref`).

    Python's default limit (1,000 frames) breaks on long but valid `$ref` chains. The limit is raised
    in proportion to `depth` (which the pre-pass bounds), and `fn` runs in a thread whose C stack is
    sized to match, so the raised limit cannot overflow the interpreter's own stack.
    """
    frames = 2000 + 40 * depth
    if frames <= sys.getrecursionlimit():
        return fn()
    result: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as exc:  # noqa: BLE001 (re-raised in the caller's thread)
            failure.append(exc)

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size()
    try:
        sys.setrecursionlimit(frames)
        threading.stack_size(min(1 << 30, (64 << 20) + frames * 4096))
        worker = threading.Thread(target=target, name="deep-schema-resolution")
        worker.start()
    finally:
        threading.stack_size(old_stack)
    try:
        worker.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if failure:
        raise failure[0]
    return result[0]


def raise_errors(diagnostics: tuple[Diagnostic, ...]) -> None:
    """Raise a GeneratorError holding every error among `diagnostics`, if any."""
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise GeneratorError(errors)
