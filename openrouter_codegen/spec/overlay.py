"""Overlays: OpenAPI Overlay 1.0 documents applied, in file-name order, after normalization.

Targets are JSONPath expressions (jsonpath-ng's extended parser, which reads the RFC 9535
forms we use: `$.a.b`, `$.paths['/x'].post`, `['400','500']` name unions, `*`, `..` and
`[?@.key]` filters). Semantics of Overlay 1.0 as implemented here:
- `update` on an object deep-merges: nested objects merge key by key, anything else
  (scalars, arrays) is replaced; `update` on an array appends the value (or its items);
- `remove: true` deletes every matched node from its parent (`update` is then ignored);
- an action whose target matches nothing is a warning naming the overlay file and action.
One extension, `x-only-missing: true` on an action, makes its `update` add only the keys the
target lacks (or holds as an empty object): what the documents declare wins, whole. It lets an overlay supply what
older pages state only in prose (a streaming response, an error body) without overriding a
document that declares it. Component schemas the overlays added that nothing reaches after the
last overlay (their only users were skipped that way) are dropped and listed in the report.
A schema an overlay marks `x-integer: true` has its `number` type made `integer`
(`openrouter_codegen/spec/normalize/integer_marks.py`). An overlay that does not parse or is not an Overlay 1.0
document stops the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jsonpath_ng import Fields, Index
from jsonpath_ng.exceptions import JSONPathError
from jsonpath_ng.ext.parser import parse as parse_jsonpath

from openrouter_codegen.common.diagnostics import Diagnostic, GeneratorError, Location, Severity
from openrouter_codegen.common.files import SourceFile
from openrouter_codegen.common.schema_tools import plain_copy, schemas_of
from openrouter_codegen.spec.fragments import JsonDoc
from openrouter_codegen.spec.normalize.integer_marks import apply_integer_marks
from openrouter_codegen.spec.normalize.prune import reachable
from openrouter_codegen.spec.yaml_data import load_yaml

_VERSION = re.compile(r"^1\.0\.\d+$")
_TOP_KEYS = {"overlay", "info", "extends", "actions"}
_ACTION_KEYS = {"target", "description", "update", "remove"}
_ONLY_MISSING = "x-only-missing"


@dataclass(frozen=True)
class Action:
    """One overlay action, parsed and checked."""

    file: str
    index: int
    line: int | None
    target: str
    description: str
    update: Any
    remove: bool
    path: Any  # the parsed JSONPath expression
    only_missing: bool = False  # `x-only-missing: true`: add only what the target lacks


@dataclass(frozen=True)
class Overlay:
    """A parsed Overlay 1.0 document."""

    file: str
    title: str
    version: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class ActionReport:
    """What one action matched and did."""

    action: Action
    matched: int
    changed: int  # matched nodes the action changed (fewer than matched with x-only-missing)


@dataclass(frozen=True)
class OverlayResult:
    """The document after all overlays, and what every action did."""

    doc: JsonDoc
    overlays: tuple[Overlay, ...]
    actions: tuple[ActionReport, ...]
    warnings: tuple[Diagnostic, ...]
    unused: tuple[str, ...] = ()  # component schemas the overlays added and nothing reaches


def parse_overlay(source: SourceFile) -> Overlay:
    """Parse and check one Overlay 1.0 document; errors name the file and line."""
    data, lines = load_yaml(source.text, source.path, 1)

    def fail(message: str, ptr: str = "") -> GeneratorError:
        return GeneratorError([Diagnostic(Severity.ERROR, Location(
            source.path, lines.get(ptr, 1), ptr or None), f"not an Overlay 1.0 document: {message}")])

    if not isinstance(data, dict):
        raise fail("the file is not a mapping")
    version = data.get("overlay")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise fail(f"`overlay` must be a 1.0.x version string, got {version!r}",
                   "/overlay" if "overlay" in data else "")
    unknown = [k for k in data if k not in _TOP_KEYS and not str(k).startswith("x-")]
    if unknown:
        raise fail(f"unknown top-level key(s): {', '.join(map(str, unknown))}", f"/{unknown[0]}")
    info = data.get("info")
    if not (isinstance(info, dict) and isinstance(info.get("title"), str)
            and isinstance(info.get("version"), str)):
        raise fail("`info` with string `title` and `version` is required",
                   "/info" if "info" in data else "")
    raw_actions = data.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        raise fail("`actions` must be a non-empty list", "/actions" if "actions" in data else "")
    actions: list[Action] = []
    for i, raw in enumerate(raw_actions):
        ptr = f"/actions/{i}"
        if not isinstance(raw, dict):
            raise fail(f"action {i} is not a mapping", ptr)
        unknown = [k for k in raw if k not in _ACTION_KEYS and not str(k).startswith("x-")]
        if unknown:
            raise fail(f"action {i} has unknown key(s): {', '.join(map(str, unknown))}", ptr)
        target = raw.get("target")
        if not isinstance(target, str) or not target.startswith("$"):
            raise fail(f"action {i} needs a JSONPath `target` starting with `$`", ptr)
        remove = raw.get("remove", False)
        if not isinstance(remove, bool):
            raise fail(f"action {i}: `remove` must be a boolean", f"{ptr}/remove")
        if not remove and "update" not in raw:
            raise fail(f"action {i} has neither `update` nor `remove: true`", ptr)
        only_missing = raw.get(_ONLY_MISSING, False)
        if not isinstance(only_missing, bool):
            raise fail(f"action {i}: `{_ONLY_MISSING}` must be a boolean", f"{ptr}/{_ONLY_MISSING}")
        try:
            path = parse_jsonpath(target)
        except (JSONPathError, ValueError) as exc:
            raise fail(f"action {i}: target {target!r} is not a JSONPath we can read ({exc})",
                       f"{ptr}/target") from None
        actions.append(Action(source.path, i, lines.get(ptr), target,
                              str(raw.get("description") or ""), raw.get("update"), remove, path,
                              only_missing))
    return Overlay(source.path, info["title"], info["version"], tuple(actions))


def apply_overlays(doc: JsonDoc, sources: tuple[SourceFile, ...]) -> OverlayResult:
    """Apply every overlay in order to a copy of `doc` (pure)."""
    overlays = tuple(parse_overlay(s) for s in sources)
    work = plain_copy(doc)
    reports: list[ActionReport] = []
    warnings: list[Diagnostic] = []
    for overlay in overlays:
        for action in overlay.actions:
            matched, changed = _apply(work, action)
            reports.append(ActionReport(action, matched, changed))
            if matched == 0:
                warnings.append(Diagnostic(
                    Severity.WARNING, Location(action.file, action.line),
                    f"overlay action {action.index} target {action.target!r} matches nothing",
                    "action skipped"))
    apply_integer_marks(work)  # overlays mark integral numbers; the spec then says `integer`
    unused = _drop_unused_added(work, set(schemas_of(doc)))
    return OverlayResult(work, overlays, tuple(reports), tuple(warnings), unused)


def _drop_unused_added(doc: JsonDoc, before: set[str]) -> tuple[str, ...]:
    """Delete the component schemas overlays added that nothing reaches; their names, sorted."""
    schemas = schemas_of(doc)
    keep = reachable(doc)
    unused = sorted(n for n in schemas if n not in before and n not in keep)
    for name in unused:
        del schemas[name]
    return tuple(unused)


def _apply(doc: JsonDoc, action: Action) -> tuple[int, int]:
    """Apply one action; how many nodes it matched and how many of them it changed."""
    matches = action.path.find(doc)
    if action.remove:
        removals: list[tuple[Any, Any]] = []
        for match in matches:
            if match.context is None:
                raise _action_error(action, "cannot remove the document root")
            parent = match.context.value
            key = _key(match.path)
            if isinstance(key, int) and isinstance(parent, list) and key < 0:
                key += len(parent)
            removals.append((parent, key))
        # Delete list items from the highest index down so earlier indexes stay valid.
        for parent, key in sorted(removals, key=lambda r: r[1] if isinstance(r[1], int) else -1,
                                  reverse=True):
            present = (key in parent if isinstance(parent, dict) else
                       isinstance(key, int) and key < len(parent))
            if present:
                del parent[key]
        return len(removals), len(removals)
    changed = 0
    for match in matches:
        target = match.value
        if isinstance(target, dict) and isinstance(action.update, dict):
            if action.only_missing:
                changed += fill_missing(target, action.update)
                continue
            deep_merge(target, action.update)
        elif isinstance(target, list):
            target.extend(plain_copy(action.update) if isinstance(action.update, list)
                          else [plain_copy(action.update)])
        else:
            raise _action_error(action, f"cannot update {type(target).__name__} at "
                                f"{match.full_path} with {type(action.update).__name__}")
        changed += 1
    return len(matches), changed


def _key(path: Any) -> Any:
    if isinstance(path, Fields) and len(path.fields) == 1:
        return path.fields[0]
    if isinstance(path, Index) and len(path.indices) == 1:
        return path.indices[0]
    return None


def _action_error(action: Action, message: str) -> GeneratorError:
    return GeneratorError([Diagnostic(Severity.ERROR, Location(action.file, action.line),
                                      f"overlay action {action.index}: {message}")])


def deep_merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    """Merge `update` into `target` in place: objects merge recursively, the rest replaces."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        else:
            target[key] = plain_copy(value)


def fill_missing(target: dict[str, Any], update: dict[str, Any]) -> int:
    """Give `target` in place each key of `update` it lacks or holds as an empty object; 1 if
    anything was added, else 0. A key with any other value is kept as the document has it, whole
    (a declared media type is not merged with the overlay's, only left alone)."""
    added = 0
    for key, value in update.items():
        if key not in target or target[key] == {}:
            target[key] = plain_copy(value)
            added = 1
    return added
