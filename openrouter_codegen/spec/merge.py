"""Merge: localized fragments -> one OpenAPI document, by a written precedence policy.

Policy (also printed at the top of MERGE_REPORT.md):
- Pages are ranked by file name; a later page wins over an earlier one for the same operation
  (path + method) and for the same component name.
- The winner is merged over the earlier version: whatever the earlier page has and the winner
  does not (extra properties, extra enum values, extra responses or parameters) is kept;
  wherever both say something different, the winner's version is used and the earlier one is
  listed as overridden. A schema whose shape differs ($ref target, type, union keyword) is
  replaced whole. One-value enums (literal tags) and union branch lists are never blended.
- Through a `$ref`: where one version of a schema is inline and the other a `$ref` to a
  component, the properties the winner lacks are still kept: in the inline winner, or in the
  referenced component when this is its only use, else in an `allOf` extension of it at this
  place (the component stays as its other users know it).
- Within one page, the same operation or component twice with different content is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openrouter_codegen.common.diagnostics import Diagnostic, GeneratorError, Location, Severity
from openrouter_codegen.common.schema_tools import (
    HTTP_METHODS,
    NOT_LITERAL,
    SCHEMA_KEYS,
    SCHEMA_LIST_KEYS,
    SCHEMA_MAP_KEYS,
    NotLiteral,
    iter_operations,
    iter_refs,
    literal_of,
    pinned_value,
    plain_copy,
    ref_name,
    resolve_pointer,
    schemas_of,
)
from openrouter_codegen.spec.fragments import JsonDoc, LocalFragment, Where, escape, pointer

OPENAPI_VERSION = "3.1.0"
PLACEHOLDER_INFO = {"title": "Untitled API", "version": "0.0.0"}


@dataclass(frozen=True)
class MergeEvent:
    """Something of an earlier page that was overridden by, or kept next to, a later page."""

    kind: str  # "overridden" | "kept"
    pointer: str
    detail: str
    winner: Where
    earlier: Where


@dataclass(frozen=True)
class Source:
    """An operation or component of the merged document and the blocks it comes from."""

    key: str  # "POST /chat/completions" or "schemas/ChatResponse"
    pointer: str
    winner: Where
    winner_title: str
    superseded: tuple[Where, ...]  # earlier versions with different content
    identical: tuple[Where, ...] = ()  # earlier versions with the same content
    block: LocalFragment | None = field(default=None, compare=False, repr=False)

    def where(self, ptr: str) -> Where:
        """File:line of a pointer inside this operation or component (nearest known line)."""
        return self.block.where(ptr) if self.block is not None else self.winner


@dataclass(frozen=True)
class MergeResult:
    """The merged document and what the merge did."""

    doc: JsonDoc
    events: tuple[MergeEvent, ...]
    operations: tuple[Source, ...]
    components: tuple[Source, ...]
    server_urls: tuple[str, ...]


@dataclass(frozen=True)
class _RefSwap:
    """A schema whose winning and earlier versions differ in being a `$ref` or inline: what the
    earlier one has beyond the winner is settled once every component is merged."""

    pointer: str
    earlier: dict[str, Any]  # the earlier version
    winner_at: Where
    earlier_at: Where


@dataclass
class _Versions:
    """Every page's version of one operation or component, oldest first."""

    versions: list[tuple[Any, LocalFragment]] = field(default_factory=list)


def merge(fragments: tuple[LocalFragment, ...]) -> MergeResult:
    """Merge localized fragments (in page order, then block order) into one document (pure)."""
    ops: dict[tuple[str, str], _Versions] = {}
    comps: dict[tuple[str, str], _Versions] = {}
    path_items: dict[str, _Versions] = {}
    top: dict[str, _Versions] = {}
    for page in _pages(fragments):
        page_ops, page_comps, page_items, page_top = _collect_page(page)
        for table, collected in ((ops, page_ops), (comps, page_comps), (path_items, page_items),
                                 (top, page_top)):
            for key, version in collected.items():
                table.setdefault(key, _Versions()).versions.append(version)
    events: list[MergeEvent] = []
    swaps: list[_RefSwap] = []
    sources: list[Source] = []
    doc: JsonDoc = {"openapi": OPENAPI_VERSION, "info": dict(PLACEHOLDER_INFO)}
    for key, versions in top.items():
        ctx = "named-list" if key == "tags" else "generic"
        doc[key] = _resolve(versions, pointer(key), ctx, events, swaps)[0]
    paths: dict[str, Any] = doc.setdefault("paths", {})
    for path, versions in path_items.items():
        paths.setdefault(path, {}).update(_resolve(versions, pointer("paths", path), "generic",
                                                   events, swaps)[0])
    op_sources: list[Source] = []
    for (path, method), versions in ops.items():
        ptr = pointer("paths", path, method)
        value, source = _resolve(versions, ptr, "generic", events, swaps,
                                 f"{method.upper()} {path}")
        paths.setdefault(path, {})[method] = value
        op_sources.append(source)
    components: dict[str, Any] = {}
    for (kind, name), versions in comps.items():
        ptr = pointer("components", kind, name)
        ctx = "schema" if kind == "schemas" else "generic"
        value, source = _resolve(versions, ptr, ctx, events, swaps, f"{kind}/{name}")
        components.setdefault(kind, {})[name] = value
        sources.append(source)
    if components:
        doc["components"] = components
    _keep_through_refs(doc, swaps, events)
    urls: list[str] = []
    for lf in fragments:
        url = lf.fragment.server_url
        if url and url not in urls:
            urls.append(url)
    return MergeResult(doc, tuple(events), tuple(op_sources), tuple(sources), tuple(urls))


def _resolve(versions: _Versions, ptr: str, ctx: str, events: list[MergeEvent],
             swaps: list[_RefSwap], label: str = "") -> tuple[Any, Source]:
    """The winning (newest) version with the earlier ones merged under it, newest first."""
    value, newest = versions.versions[-1]
    merged = plain_copy(value)
    contributors = [newest]
    superseded: list[Where] = []
    identical: list[Where] = []
    for old, lf in reversed(versions.versions[:-1]):
        if old != value:
            superseded.append(lf.where(ptr))
            merged = _Merger(contributors, lf, events, swaps).value(merged, old, ctx, ptr)
        else:
            identical.append(lf.where(ptr))
        contributors.append(lf)
    return merged, Source(label, ptr, newest.where(ptr), newest.origin.title,
                          tuple(reversed(superseded)), tuple(reversed(identical)), newest)


def _pages(fragments: tuple[LocalFragment, ...]) -> list[list[LocalFragment]]:
    pages: dict[str, list[LocalFragment]] = {}
    for lf in fragments:
        pages.setdefault(lf.origin.file, []).append(lf)
    return list(pages.values())


_Collected = dict[Any, tuple[Any, LocalFragment]]


def _collect_page(page: list[LocalFragment]
                  ) -> tuple[_Collected, _Collected, _Collected, _Collected]:
    """One page's operations and components; a conflicting duplicate in the page is fatal."""
    ops: _Collected = {}
    comps: _Collected = {}
    items: _Collected = {}
    top: _Collected = {}
    problems: list[Diagnostic] = []

    def add(table: _Collected, key: Any, value: Any, lf: LocalFragment, ptr: str,
            label: str) -> None:
        if key not in table:
            table[key] = (value, lf)
            return
        first_value, first = table[key]
        if first_value != value:
            problems.append(Diagnostic(
                Severity.ERROR, Location(lf.origin.file, lf.line_of(ptr), ptr),
                f"{label} is defined twice in this page with different content "
                f"(first at {first.where(ptr)}, again at {lf.where(ptr)})"))

    for lf in page:
        for path, method, op in iter_operations(lf.doc):
            add(ops, (path, method), op, lf, pointer("paths", path, method),
                f"operation {method.upper()} {path}")
        for path, item in (lf.doc.get("paths") or {}).items():
            extra = {k: v for k, v in (item or {}).items() if k not in HTTP_METHODS}
            if extra:
                add(items, path, extra, lf, pointer("paths", path), f"path item {path}")
        for kind, members in (lf.doc.get("components") or {}).items():
            for name, value in (members or {}).items():
                add(comps, (kind, name), value, lf, pointer("components", kind, name),
                    f"component {kind}/{name}")
        for key, value in lf.doc.items():
            if key not in ("openapi", "info", "paths", "components"):
                add(top, key, value, lf, pointer(key), f"top-level {key!r}")
    if problems:
        raise GeneratorError(problems)
    return ops, comps, items, top



class _Merger:
    """Merges a winning value over an earlier one, recording what was overridden or kept."""

    def __init__(self, winners: list[LocalFragment], earlier: LocalFragment,
                 events: list[MergeEvent], swaps: list[_RefSwap]) -> None:
        self.winners = winners  # the blocks the merged value so far comes from, newest first
        self.earlier = earlier
        self.events = events
        self.swaps = swaps  # $ref-versus-inline replacements, settled after the components

    def value(self, win: Any, old: Any, ctx: str, ptr: str) -> Any:
        """`win` merged over `old` at `ptr`; `ctx` says what kind of value this is."""
        if win == old:
            return plain_copy(win)
        if isinstance(win, dict) and isinstance(old, dict):
            if ctx == "schema" and _shape(win) != _shape(old):
                self._event("overridden", ptr, f"{_describe(old)} replaced by {_describe(win)}")
                if _ref_versus_inline(win, old):
                    self.swaps.append(_RefSwap(ptr, plain_copy(old), self._winner_at(ptr),
                                               self.earlier.where(ptr)))
                return plain_copy(win)
            return self._dict(win, old, ctx, ptr)
        if isinstance(win, list) and isinstance(old, list):
            if ctx == "enum":
                return self._enum(win, old, ptr)
            if ctx == "parameters":
                return self._by_key(win, old, ptr, _parameter_key, "parameters")
            if ctx == "named-list":
                return self._by_key(win, old, ptr, _name_key, "entries")
            if ctx == "schema-list":
                self._event("overridden", ptr, _branch_change(old, win))
                copied: list[Any] = plain_copy(win)
                return copied
        self._event("overridden", ptr, f"{_describe(old)} replaced by {_describe(win)}")
        return plain_copy(win)

    def _dict(self, win: dict[str, Any], old: dict[str, Any], ctx: str, ptr: str
              ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in win.items():
            child = f"{ptr}/{escape(key)}"
            out[key] = (self.value(value, old[key], _child_ctx(ctx, key), child) if key in old
                        else plain_copy(value))
        extra = [k for k in old if k not in win and not (ctx == "schema" and _blocks(k, win))]
        for key in extra:
            out[key] = plain_copy(old[key])
        if extra:
            what = "properties" if ctx == "schema-map" else "keys"
            self._event("kept", ptr, f"{what} only in the earlier version: {', '.join(extra)}")
        return out

    def _enum(self, win: list[Any], old: list[Any], ptr: str) -> list[Any]:
        if len(win) == 1 or len(old) == 1:  # a pinned literal is a tag, not a value list
            self._event("overridden", ptr, f"{_describe(old)} replaced by {_describe(win)}")
            kept: list[Any] = plain_copy(win)
            return kept
        seen = {repr(literal_of(v)) for v in win}
        extra = [v for v in old if repr(literal_of(v)) not in seen]
        if extra:
            shown = ", ".join(repr(literal_of(v)) for v in extra)
            self._event("kept", ptr, f"enum values only in the earlier version: {shown}")
        merged: list[Any] = plain_copy(win) + plain_copy(extra)
        return merged

    def _by_key(self, win: list[Any], old: list[Any], ptr: str, key: Callable[[Any], Any],
                what: str) -> list[Any]:
        """Lists of named things (parameters, tags): merged item by item, extras kept."""
        old_by_key = {key(p): p for p in old}
        out = []
        for i, item in enumerate(win):
            match = old_by_key.get(key(item))
            out.append(self.value(item, match, "generic", f"{ptr}/{i}") if match is not None
                       else plain_copy(item))
        win_keys = {key(p) for p in win}
        extra = [p for p in old if key(p) not in win_keys]
        if extra:
            names = ", ".join(str(k[0]) if isinstance(k := key(p), tuple) else "?" for p in extra)
            self._event("kept", ptr, f"{what} only in the earlier version: {names}")
        extra_copy: list[Any] = plain_copy(extra)
        return out + extra_copy

    def _event(self, kind: str, ptr: str, detail: str) -> None:
        self.events.append(MergeEvent(kind, ptr, detail, self._winner_at(ptr),
                                      self.earlier.where(ptr)))

    def _winner_at(self, ptr: str) -> Where:
        """File:line of `ptr` in the newest block that has that exact place (else the nearest)."""
        for lf in self.winners:
            line = lf.exact_line(ptr)
            if line is not None:
                return Where(lf.origin.file, line)
        return self.winners[0].where(ptr)


def _ref_versus_inline(win: dict[str, Any], old: dict[str, Any]) -> bool:
    """True when one version is a component `$ref` and the other an inline object schema."""
    return ((ref_name(win) is not None and _is_object(old))
            or (ref_name(old) is not None and _is_object(win)))


def _is_object(schema: Any) -> bool:
    """An object schema with properties of its own (not a union, not a `$ref`)."""
    return (isinstance(schema, dict) and "$ref" not in schema
            and not any(k in schema for k in ("oneOf", "anyOf"))
            and schema.get("type", "object") == "object"
            and isinstance(schema.get("properties"), dict))


def _keep_through_refs(doc: JsonDoc, swaps: list[_RefSwap], events: list[MergeEvent]) -> None:
    """Keep the properties an earlier version had and a winner on the other side of a `$ref`
    lacks (the merge policy's "nothing is lost"), now that every component is merged."""
    schemas = schemas_of(doc)
    by_pointer: dict[str, list[_RefSwap]] = {}
    for swap in swaps:
        by_pointer.setdefault(swap.pointer, []).append(swap)  # newest earlier version first
    for ptr, group in by_pointer.items():
        try:
            site = resolve_pointer(doc, ptr)
        except KeyError:
            continue  # a later merge step replaced the place itself; that is reported there
        name = ref_name(site)
        if name is None:
            _keep_in_inline(site, schemas, ptr, group, events)
        else:
            _keep_beside_ref(doc, site, name, ptr, group, events)


def _keep_in_inline(site: dict[str, Any], schemas: dict[str, Any], ptr: str,
                    group: list[_RefSwap], events: list[MergeEvent]) -> None:
    """The winner is inline, earlier versions were `$ref`s: the referenced components'
    properties it lacks join its own."""
    props: dict[str, Any] = site["properties"]
    for swap in group:
        target = schemas.get(ref_name(swap.earlier) or "")
        if not isinstance(target, dict):
            continue
        have = _property_names(schemas, site, 0)
        missing = {k: v for k, v in _properties(schemas, target, 0).items() if k not in have}
        if missing:
            props.update(plain_copy(missing))
            events.append(MergeEvent(
                "kept", f"{ptr}/properties", "properties of "
                f"{_describe(swap.earlier)} (the earlier version) that the inline winner lacks: "
                f"{', '.join(missing)}", swap.winner_at, swap.earlier_at))


def _keep_beside_ref(doc: JsonDoc, site: dict[str, Any], name: str, ptr: str,
                     group: list[_RefSwap], events: list[MergeEvent]) -> None:
    """The winner is a `$ref`, earlier versions were inline: the properties the component lacks
    go into it when this is its only use, else into an `allOf` extension of it here."""
    schemas = schemas_of(doc)
    target = schemas.get(name)
    have = _property_names(schemas, target, 0)
    missing: dict[str, Any] = {}
    found: list[tuple[_RefSwap, list[str]]] = []
    for swap in group:
        new = [k for k in swap.earlier["properties"] if k not in have and k not in missing]
        missing.update((k, plain_copy(swap.earlier["properties"][k])) for k in new)
        if new:
            found.append((swap, new))
    if not missing:
        return
    ref = site["$ref"]
    if not _is_object(target) and not (isinstance(target, dict) and "allOf" in target):
        for swap, new in found:
            events.append(MergeEvent(
                "overridden", ptr, f"properties only in the earlier inline version: "
                f"{', '.join(new)} (not kept: $ref {name} is not an object schema)",
                swap.winner_at, swap.earlier_at))
        return
    assert isinstance(target, dict)
    component = f"/components/schemas/{escape(name)}"
    uses = sum(1 for at, r in iter_refs(doc) if r == ref and not at.startswith(component + "/"))
    if uses == 1:
        target.setdefault("properties", {}).update(missing)
        where, how = f"{component}/properties", f"added to {name}, used only here"
    else:
        # The component is shared: the others keep it as it is; this place gets its extension.
        site.pop("$ref")
        site["allOf"] = [{"$ref": ref}, {"type": "object", "properties": missing}]
        where, how = f"{ptr}/allOf/1/properties", \
            f"{name} is used {uses} times: kept in an allOf extension of it here"
    for swap, new in found:
        events.append(MergeEvent(
            "kept", where, f"properties of the earlier inline version at #{ptr} that $ref "
            f"{name} lacks: {', '.join(new)} ({how})", swap.winner_at, swap.earlier_at))


def _properties(schemas: dict[str, Any], schema: Any, depth: int) -> dict[str, Any]:
    """The properties of an object schema, its own and those of its `allOf` parts (through
    `$ref`s), by name; bounded so a cycle of references ends."""
    if not isinstance(schema, dict) or depth > 32:
        return {}
    name = ref_name(schema)
    if name is not None:
        return _properties(schemas, schemas.get(name), depth + 1)
    out: dict[str, Any] = {}
    parts = schema.get("allOf")
    for part in parts if isinstance(parts, list) else ():
        out.update(_properties(schemas, part, depth + 1))
    own = schema.get("properties")
    out.update(own if isinstance(own, dict) else {})
    return out


def _property_names(schemas: dict[str, Any], schema: Any, depth: int) -> set[str]:
    return set(_properties(schemas, schema, depth))


def _parameter_key(param: Any) -> Any:
    return (param.get("name"), param.get("in")) if isinstance(param, dict) else repr(param)


def _name_key(entry: Any) -> Any:
    return (entry.get("name"),) if isinstance(entry, dict) else repr(entry)


def _blocks(key: str, win: dict[str, Any]) -> bool:
    """True when keeping the earlier `key` would contradict the winner's schema."""
    return (key == "enum" and "const" in win) or (key == "const" and "enum" in win)


def _child_ctx(ctx: str, key: str) -> str:
    if ctx == "schema":
        if key in SCHEMA_MAP_KEYS:
            return "schema-map"
        if key in SCHEMA_KEYS:
            return "schema"
        if key == "enum":
            return "enum"
        return "schema-list" if key in SCHEMA_LIST_KEYS else "value"
    if ctx == "schema-map":
        return "schema"
    if ctx == "generic":
        if key == "schema":
            return "schema"
        if key == "parameters":
            return "parameters"
        return "generic"
    return "value"


def _shape(schema: dict[str, Any]) -> Any:
    """What kind of schema this is; different shapes are never blended."""
    if "$ref" in schema:
        return ("ref", schema["$ref"])
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            return ("union", key)
    kind = schema.get("type")
    return ("type", tuple(kind) if isinstance(kind, list) else kind)


def _branch_change(old: list[Any], win: list[Any]) -> str:
    before = [_describe(v) for v in old]
    after = [_describe(v) for v in win]
    removed = [d for d in before if d not in after]
    added = [d for d in after if d not in before]
    if not removed and not added:
        return f"{len(old)} branches replaced by the winner's {len(win)} (inline content differs)"
    parts = [f"removed {', '.join(removed)}" if removed else "",
             f"added {', '.join(added)}" if added else ""]
    return f"branches: {'; '.join(p for p in parts if p)}"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        name = ref_name(value)
        if name is not None:
            return f"$ref {name}"
        if "$ref" in value:
            return f"$ref {value['$ref']}"
        for key in ("oneOf", "anyOf", "allOf"):
            if isinstance(value.get(key), list):
                return f"{key} of {len(value[key])}"
        if "enum" in value and isinstance(value["enum"], list):
            return f"enum of {len(value['enum'])}"
        for prop, sub in (value.get("properties") or {}).items():
            pinned = pinned_value(sub)
            if pinned is not NOT_LITERAL and not isinstance(pinned, (dict, list)):
                return f"inline object ({prop}={pinned})"
        if "type" in value:
            return f"type {value['type']}"
        return "{" + ", ".join(list(value)[:4]) + (", ...}" if len(value) > 4 else "}")
    if isinstance(value, list):
        plain = [literal_of(v) for v in value]
        text = repr(plain)
        if len(text) <= 60 and not any(isinstance(v, NotLiteral) for v in plain):
            return text
        return f"list of {len(value)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
