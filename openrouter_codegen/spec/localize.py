"""Localize: give the docs tool's page-local schema names stable, global names.

The docs tool numbers anonymous schemas per page (`__schema0`, `Schema17Items3`, ...), so the
same name means different things on different pages. Before pages are merged, every such name
is either
- inlined at its use sites, when the schema is only a wrapper with no identity of its own
  (a nullable wrapper `oneOf: [X, {type: 'null'}]`, a primitive, an any-value, or an array of a
  referenced/primitive item), or
- renamed after where it is used: owner name + property path (`ChatGenerationParams` +
  `provider` -> `ChatGenerationParamsProvider`); a branch of a tagged union is named after its
  tag value (`...PluginsItems` + `web` -> `...PluginsItemsWeb`).
Names that are not identifiers (`API Keys_list_Response_200`) are turned into identifiers.
Every `$ref` of a block must resolve inside that block; one that does not stops the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openrouter_codegen.common.diagnostics import Diagnostic, GeneratorError, Location, Severity
from openrouter_codegen.common.schema_tools import (
    identifier,
    is_null_schema,
    iter_operations,
    iter_refs,
    nullable_inner,
    pascal,
    plain_copy,
    ref_name,
    ref_to,
    resolve_pointer,
    rewrite_refs,
    schema_ref_name,
    schemas_of,
    tag_property,
    unique,
)
from openrouter_codegen.spec.fragments import Fragment, LocalFragment, Rename, escape, pointer

PAGE_LOCAL = re.compile(r"^(__schema\d+|Schema\d+[A-Za-z0-9_]*)$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SCALAR_TYPES = {"string", "number", "integer", "boolean", "null"}
_PRIMITIVE_KEYS = {"type", "format", "description", "title", "default", "minimum", "maximum",
                   "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern",
                   "multipleOf", "example", "examples", "deprecated", "readOnly", "writeOnly"}
_ARRAY_KEYS = {"type", "items", "description", "title", "minItems", "maxItems", "uniqueItems"}


def is_page_local(name: str) -> bool:
    """True for names the docs tool invents per page (`__schema3`, `Schema17ItemsOneOf2Engine`)."""
    return PAGE_LOCAL.match(name) is not None


def localize(fragment: Fragment) -> LocalFragment:
    """Rename or inline the page-local schema names of one fragment (pure)."""
    doc = plain_copy(fragment.doc)
    _check_refs(doc, fragment)
    schemas = schemas_of(doc)
    mapped = _mapping_targets(doc)  # a discriminator mapping needs a named schema to point to
    wrappers = {n for n, s in schemas.items()
                if is_page_local(n) and n not in mapped and _is_wrapper(s, schemas)}
    renames: list[Rename] = []
    if wrappers:
        doc = _Inliner(schemas, wrappers).inline_doc(doc)
        schemas = schemas_of(doc)
        for name in [n for n in schemas if n in wrappers]:
            renames.append(Rename(name, None, f"inlined at its use sites ({_shape(schemas[name])})",
                                  fragment.origin.where(fragment.line_of(_cptr(name)))))
            del schemas[name]
    naming = _Naming(doc, fragment)
    mapping = naming.assign()
    for old, (new, reason) in mapping.items():
        renames.append(Rename(old, new, reason, fragment.origin.where(fragment.line_of(_cptr(old)))))
    if mapping:
        refs = {ref_to(old): ref_to(new) for old, (new, _) in mapping.items()}
        rewrite_refs(doc, lambda ref: refs.get(ref, ref))
        components = doc["components"]
        components["schemas"] = {mapping.get(n, (n, ""))[0]: s
                                 for n, s in components["schemas"].items()}
    page_names = {new: old for old, (new, _) in mapping.items()}
    return LocalFragment(fragment, doc, tuple(renames), page_names)


def _cptr(name: str) -> str:
    return pointer("components", "schemas", name)


def _check_refs(doc: dict[str, Any], fragment: Fragment) -> None:
    problems: list[Diagnostic] = []
    for ptr, ref in iter_refs(doc):
        if not ref.startswith("#/"):
            message = f"external $ref {ref!r} is not supported (a block must be self-contained)"
        else:
            try:
                resolve_pointer(doc, ref)
                continue
            except KeyError:
                message = f"$ref {ref!r} points to nothing in this block"
        problems.append(Diagnostic(Severity.ERROR, Location(
            fragment.origin.file, fragment.line_of(f"{ptr}/$ref"), f"{ptr}/$ref"), message))
    if problems:
        raise GeneratorError(problems)


def _mapping_targets(doc: dict[str, Any]) -> set[str]:
    targets: set[str] = set()
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            disc = node.get("discriminator")
            if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
                targets.update(n for v in disc["mapping"].values()
                               if (n := schema_ref_name(v)) is not None)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return targets


def _is_wrapper(schema: Any, schemas: dict[str, Any]) -> bool:
    """A schema with no identity of its own: inlining it loses nothing."""
    if not isinstance(schema, dict):
        return False
    keys = set(schema) - {"description", "title"}
    if not keys:
        return True  # any value
    inner = nullable_inner(schema)
    if inner is not None and len(keys) == 1:
        return True
    types = schema.get("type")
    type_set = set(types) if isinstance(types, list) else {types}
    if "type" in schema and type_set <= _SCALAR_TYPES and set(schema) <= _PRIMITIVE_KEYS:
        return True
    if type_set <= {"array", "null"} and "array" in type_set and set(schema) <= _ARRAY_KEYS:
        items = schema.get("items")
        return isinstance(items, dict) and (ref_name(items) is not None or (
            "type" in items and set(items) <= _PRIMITIVE_KEYS))
    return False


def _shape(schema: dict[str, Any]) -> str:
    if nullable_inner(schema) is not None:
        inner = nullable_inner(schema)
        return f"nullable wrapper around {ref_name(inner) or 'an inline schema'}"
    if set(schema) <= {"description", "title"}:
        return "any value"
    if "items" in schema:
        return "array wrapper"
    return f"primitive {schema.get('type')}"


class _Inliner:
    """Replaces `$ref`s to wrapper schemas by the wrapper's content (use-site keys win)."""

    def __init__(self, schemas: dict[str, Any], wrappers: set[str]) -> None:
        self.schemas = schemas
        self.wrappers = wrappers
        self._done: dict[str, Any] = {}
        self._active: set[str] = set()

    def inline_doc(self, doc: dict[str, Any]) -> Any:
        """A copy of `doc` with every wrapper reference replaced by the wrapper's content."""
        return self._node(doc)

    def _content(self, name: str) -> Any:
        if name not in self._done:
            self._active.add(name)
            self._done[name] = self._node(self.schemas[name])
            self._active.discard(name)
        return self._done[name]

    def _node(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self._node(v) for v in node]
        if not isinstance(node, dict):
            return node
        name = ref_name(node)
        if name in self.wrappers and name not in self._active:
            inlined = plain_copy(self._content(name))
            inlined.update((k, self._node(v)) for k, v in node.items() if k != "$ref")
            return inlined
        return {k: self._node(v) for k, v in node.items()}


@dataclass(frozen=True)
class _Site:
    owner: str | None  # component name, or None for an operation
    words: tuple[tuple[str, bool], ...]  # name parts; True marks a union-branch part
    ptr: str  # pointer of the use; relative to the owner component when there is one


class _Naming:
    """Chooses names for the page-local schemas left after inlining."""

    def __init__(self, doc: dict[str, Any], fragment: Fragment) -> None:
        self.doc = doc
        self.fragment = fragment
        self.schemas = schemas_of(doc)
        self.local = [n for n in self.schemas if is_page_local(n)]
        self.sites: dict[str, list[_Site]] = {n: [] for n in self.local}
        self.names: dict[str, tuple[str, str]] = {}
        self.taken: set[str] = set()
        self._words: dict[str, tuple[tuple[str, bool], ...]] = {}
        self._resolving: set[str] = set()
        self._op_name = ""

    def assign(self) -> dict[str, tuple[str, str]]:
        """Page name -> (new name, reason) for page-local and non-identifier names."""
        sanitized: dict[str, tuple[str, str]] = {}
        for name in self.schemas:
            if not is_page_local(name) and not _IDENTIFIER.match(name):
                new = unique(identifier(name), self.taken | set(self.schemas))
                sanitized[name] = (new, "not an identifier")
                self.taken.add(new)
            elif not is_page_local(name):
                self.taken.add(name)
        if not self.local:
            return sanitized
        self._collect_sites()
        for name in self.local:
            self._name_of(name)
        return {**sanitized, **self.names}

    def _collect_sites(self) -> None:
        for path, method, op in iter_operations(self.doc):
            base = pascal(op.get("operationId") or f"{method} {path}")
            self._op_name = self._op_name or base
            op_ptr = pointer("paths", path, method)
            for i, param in enumerate(op.get("parameters") or []):
                if isinstance(param, dict) and isinstance(param.get("schema"), dict):
                    words = ((base, False), (pascal(param.get("name", i)), False))
                    self._walk(param["schema"], None, words, f"{op_ptr}/parameters/{i}/schema")
            body = op.get("requestBody")
            for media, obj in _content(body):
                self._walk(obj["schema"], None, ((base, False), ("Request", False)),
                           f"{op_ptr}/requestBody/content/{escape(media)}/schema")
            for code, response in (op.get("responses") or {}).items():
                for media, obj in _content(response):
                    self._walk(obj["schema"], None,
                               ((base, False), (f"Response{pascal(code)}", False)),
                               f"{op_ptr}/responses/{escape(str(code))}/content/"
                               f"{escape(media)}/schema")
        for name, schema in self.schemas.items():
            self._walk(schema, name, (), "")

    def _walk(self, schema: Any, owner: str | None, words: tuple[tuple[str, bool], ...],
              ptr: str) -> None:
        if not isinstance(schema, dict):
            return
        target = ref_name(schema)
        if target is not None:
            if target in self.sites:
                self.sites[target].append(_Site(owner, words, ptr))
            return
        for key in ("properties", "patternProperties"):
            for prop, sub in (schema.get(key) or {}).items():
                self._walk(sub, owner, (*words, (pascal(prop), False)), f"{ptr}/{key}/{escape(prop)}")
        for key, word in (("items", "Items"), ("additionalProperties", "Value"), ("not", "Not")):
            self._walk(schema.get(key), owner, (*words, (word, False)), f"{ptr}/{key}")
        for key in ("oneOf", "anyOf", "allOf"):
            branches = schema.get(key)
            if not isinstance(branches, list):
                continue
            if key != "allOf" and nullable_inner(schema) is not None:
                for i, branch in enumerate(branches):
                    if not is_null_schema(branch):
                        self._walk(branch, owner, words, f"{ptr}/{key}/{i}")
                continue
            tagged = tag_property(self.doc, branches) if key != "allOf" else None
            for i, branch in enumerate(branches):
                word = pascal(tagged[1][i]) if tagged else str(i)
                self._walk(branch, owner, (*words, (word or str(i), True)), f"{ptr}/{key}/{i}")

    def _name_of(self, name: str) -> tuple[tuple[str, bool], ...] | None:
        """The name parts of a page-local schema (assigned on first request)."""
        if name in self.names:
            return self._words[name]
        if name in self._resolving:
            return None  # a cycle through page-local names: the caller picks another site
        self._resolving.add(name)
        candidates: list[tuple[tuple[tuple[str, bool], ...], _Site]] = []
        for site in self.sites[name]:
            if site.owner is None:
                candidates.append((site.words, site))
                continue
            owner = (self._name_of(site.owner) if is_page_local(site.owner)
                     else ((self._final(site.owner), False),))
            if owner is not None:
                candidates.append(((*owner, *site.words), site))
        self._resolving.discard(name)
        if candidates:
            words, reason = _choose(candidates, self._site_ptr)
        else:
            words = (((self._op_name or pascal(self.fragment.origin.title)) + pascal(name), False),)
            reason = "not referenced in its block; named after the block's operation"
        new = unique("".join(w for w, _ in words), self.taken)
        self.taken.add(new)
        self.names[name] = (new, reason)
        self._words[name] = words if new == "".join(w for w, _ in words) else ((new, False),)
        return self._words[name]

    def _site_ptr(self, site: _Site) -> str:
        if site.owner is None:
            return site.ptr
        owner = self.names[site.owner][0] if site.owner in self.names else self._final(site.owner)
        return _cptr(owner) + site.ptr

    def _final(self, name: str) -> str:
        return self.names[name][0] if name in self.names else (
            name if _IDENTIFIER.match(name) else identifier(name))


def _choose(candidates: list[tuple[tuple[tuple[str, bool], ...], _Site]],
            site_ptr: Callable[[_Site], str]) -> tuple[tuple[tuple[str, bool], ...], str]:
    """One name for a schema used at several sites.

    When all uses differ only in union-branch parts (a schema shared by every variant of a
    union) the name drops those parts; otherwise the first use in document order names it.
    """
    first_words, first_site = candidates[0]
    if len(candidates) > 1 and len({len(w) for w, _ in candidates}) == 1:
        keep: list[tuple[str, bool]] = []
        shared = True
        for position in zip(*(w for w, _ in candidates), strict=True):
            if len(set(position)) == 1:
                keep.append(position[0])
            elif all(is_branch for _, is_branch in position):
                continue
            else:
                shared = False
                break
        if shared:
            return tuple(keep), (f"named after its {len(candidates)} use sites in the variants "
                                 f"of one union (first: #{site_ptr(first_site)})")
    return first_words, f"named after its use site #{site_ptr(first_site)}"


def _content(message: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(message, dict) or not isinstance(message.get("content"), dict):
        return []
    return [(media, obj) for media, obj in message["content"].items()
            if isinstance(obj, dict) and isinstance(obj.get("schema"), dict)]

