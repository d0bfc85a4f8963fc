"""Readable class names for the schemas of a document: from `x-python-name`, the title, the use
site or the tag, never the docs tool's (`APIKeys_getCurrentKey_Response_200`,
`ChatMessageContentItemVideo0`, `...RequestBodyContentApplicationJsonSchemaUsage`).

A name the document gives that reads well (see `unreadable`) is kept, so names stay stable when
other schemas change; only the others are derived, each from what uses it:
- an operation: the 2xx answer of `get-current-key` is `CurrentKey`, of `list` on `/keys`
  `KeyList`, of `create-keys` `CreateKeysResponse`; its body `CreateKeysRequest`;
- a property of another schema: its name under the parent (`CurrentKeyData`, and words the two
  share are said once: `...ImageUrl`, not `...ImageImageUrl`);
- a branch of a union: its tag (`type: input_video` -> `ChatMessageContentItemInputVideo`), else
  its title, else its shape (`...List`, `...Object`, `...Value`);
- an inline schema datamodel-code-generator makes a model of: its component's name and the way
  to it (properties, items, branches), and when that is taken its tag, shape or required keys.
Names over 40 characters drop their leading parent words. Collisions go to the next candidate,
then `unique`'s suffix; every choice depends only on the document, in a fixed order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from openrouter_codegen.client.model.naming import unique, words
from openrouter_codegen.client.model.prepare import HTTP_METHODS

MAX_LENGTH = 40
EXTENSION = "x-python-name"
_PREFIX = "#/components/schemas/"
_DOCS_TOOL = ("ContentApplicationJson", "RequestBodyContent", "ResponsesContent")
_STATUS_SUFFIX = re.compile(r"(Response|_)[1-5][0-9X]{2}$")
# A single trailing digit after a word (`Video0`, `Content1`, `Type1`): a position, not a name.
# Longer numbers (`Bm25`, `20250825`) and single letters (`V2`) are part of what they name.
_NUMBERED = re.compile(r"(?<![0-9])([0-9]|_[0-9]+)$")
_GET_VERBS = frozenset({"get", "retrieve", "fetch", "read", "show", "describe"})
_LIST_VERBS = frozenset({"list"})
TAG_KEYS = ("type", "role", "kind", "object", "event")


def unreadable(name: str, limit: int = MAX_LENGTH) -> str | None:
    """Why `name` is not a class name a person would write, or None when it reads well."""
    if len(name) > limit:
        return f"longer than {limit} characters"
    for fragment in _DOCS_TOOL:
        if fragment in name:
            return f"contains the docs tool's {fragment!r}"
    if _STATUS_SUFFIX.search(name):
        return "ends in an HTTP status"
    split_words = words(name)
    if _NUMBERED.search(name) and (name[-2:-1] == "_" or len(split_words) < 2
                                   or len(split_words[-2]) > 1):
        return "ends in a bare number"
    split = [w.lower() for w in words(name)]
    for size in range(1, len(split) // 2 + 1):
        for i in range(len(split) - 2 * size + 1):
            if split[i:i + size] == split[i + size:i + 2 * size]:
                return f"repeats {''.join(words(name)[i:i + size])!r}"
    return None


def _pascal_words(text: str) -> list[str]:
    return [w[:1].upper() + w[1:] for w in words(text)]


def join(parent: list[str], child: list[str]) -> str:
    """`parent` then `child`, the words the end of one shares with the start of the other said
    once (`ContentItemImage` + `ImageUrl` -> `ContentItemImageUrl`)."""
    low_p, low_c = [w.lower() for w in parent], [w.lower() for w in child]
    for k in range(min(len(parent), len(child)), 0, -1):
        if low_p[len(parent) - k:] == low_c[:k]:
            child = child[k:]
            break
    return "".join(parent + child)


def _singular(ws: list[str]) -> list[str]:
    """The words of a list's name for one of its items (`Keys` -> `Key`, `Data` -> `DataItem`)."""
    last = ws[-1] if ws else ""
    if len(last) > 3 and last.endswith("ies"):
        return ws[:-1] + [last[:-3] + "y"]
    if len(last) > 1 and last.endswith("s") and not last.endswith("ss"):
        return ws[:-1] + [last[:-1]]
    return ws + ["Item"]


@dataclass(frozen=True)
class _Site:
    """One place a schema is used: under another schema (`parent`, the words of the way there),
    or by an operation (`parent` None, `words` the whole name)."""

    order: tuple[int, str, str]  # operations first, then by parent and path
    parent: str | None
    words: tuple[str, ...]


@dataclass(frozen=True)
class _Chosen:
    """A chosen name and how it was made: a root name and the words added under it."""

    name: str
    root: tuple[str, ...]
    chain: tuple[tuple[str, ...], ...] = ()

    @property
    def name_words(self) -> list[str]:
        """The words of the name."""
        return words(self.name)


class _Namer:
    def __init__(self, document: dict[str, Any]) -> None:
        components = document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        self.schemas: dict[str, Any] = schemas if isinstance(schemas, dict) else {}
        self.sites: dict[str, list[_Site]] = {}
        self.chosen: dict[str, _Chosen] = {}
        self.kept: dict[str, str] = {}
        self.taken: set[str] = set()
        self.busy: set[str] = set()
        self._collect_operations(document.get("paths"))
        for name in sorted(self.schemas, key=str):
            self._collect(self.schemas[name], str(name))

    # -- where each schema is used -----------------------------------------------------------
    def _add(self, target: str, site: _Site) -> None:
        self.sites.setdefault(target, []).append(site)

    def _collect_operations(self, paths: Any) -> None:
        if not isinstance(paths, dict):
            return
        for path in sorted(paths, key=str):
            item = paths[path]
            for method in HTTP_METHODS:
                op = item.get(method) if isinstance(item, dict) else None
                if isinstance(op, dict):
                    self._collect_operation(op, method, str(path))

    def _collect_operation(self, op: dict[str, Any], method: str, path: str) -> None:
        op_words = _pascal_words(str(op.get("operationId") or f"{method} {path}"))
        key = f"{path} {HTTP_METHODS.index(method)}"

        def site(schema: Any, role: str, name: list[str]) -> None:
            target = _ref_target(schema)
            if target is not None and name:
                self._add(target, _Site((0, key, role), None, tuple(name)))

        for param in op.get("parameters") or []:
            if isinstance(param, dict) and "name" in param:
                site(param.get("schema"), f"3 {param['name']}",
                     op_words + _pascal_words(str(param["name"])))
        body = op.get("requestBody")
        for media in _media(body.get("content") if isinstance(body, dict) else None):
            site(media.get("schema"), "1", op_words + ["Request"])
        responses = op.get("responses")
        responses = responses if isinstance(responses, dict) else {}
        for status in sorted(responses, key=str):
            response = responses[status]
            for ctype, media in _media_items(response.get("content")
                                             if isinstance(response, dict) else None):
                if str(ctype) == "text/event-stream":
                    name = op_words + ["Event"]
                elif str(status).startswith("2"):
                    name = _answer_name(op_words, path)
                else:
                    name = op_words + _status_words(str(status))
                site(media.get("schema"), f"2 {status}", name)
                site(media.get("itemSchema"), f"2 {status}", op_words + ["Event"])

    def _collect(self, node: Any, parent: str) -> None:
        """Record every `$ref` under component `parent`, with the steps of the way to it."""
        # An explicit stack, not recursion: schemas may nest deeper than Python's stack.
        stack: list[tuple[Any, list[str]]] = [(node, [])]
        while stack:
            node, steps = stack.pop()
            if not isinstance(node, dict):
                continue
            target = _ref_target(node)
            if target is not None:
                self._add(target, _Site((1, parent, "/".join(steps)), parent, tuple(steps)))
                continue
            props = node.get("properties")
            if isinstance(props, dict):
                for prop in sorted(props, key=str):
                    stack.append((props[prop], steps + ["." + str(prop)]))
            if isinstance(node.get("items"), dict):
                stack.append((node["items"], steps + ["[]"]))
            if isinstance(node.get("additionalProperties"), dict):
                stack.append((node["additionalProperties"], steps + ["{}"]))
            for key in ("oneOf", "anyOf", "allOf"):
                branches = node.get(key)
                if not isinstance(branches, list):
                    continue
                real = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
                for i, branch in enumerate(branches):
                    if len(real) <= 1:  # a nullable wrapper: the branch is the value itself
                        stack.append((branch, steps))
                    elif key != "allOf":  # allOf's parts are bases, not uses with a role
                        stack.append((branch, steps + [f"|{i}"]))

    # -- names -------------------------------------------------------------------------------
    def name_all(self, dcg_names: dict[str, str], dcg_tags: dict[str, str]
                 ) -> dict[str, str]:
        """A class name for every component, and for the inline schemas dcg made models of."""
        kept: dict[str, str] = {}
        for component in sorted(self.schemas, key=str):
            schema = self.schemas[component]
            fixed = schema.get(EXTENSION) if isinstance(schema, dict) else None
            own = _model_name(dcg_names.get(_PREFIX + _escape(component)) or component)
            if isinstance(fixed, str) and fixed:
                kept[component] = _model_name(fixed)
            elif unreadable(own) is None:
                kept[component] = own
        for component, name in kept.items():
            self.kept[component] = unique(name, self.taken)
        out: dict[str, str] = {}
        for component in sorted(self.schemas, key=str):
            out[_PREFIX + _escape(component)] = self.component(component, dcg_names).name
        for path in sorted(dcg_names):
            if path not in out:
                out[path] = self.inline(path, dcg_names[path], dcg_tags.get(path))
        return out

    def component(self, component: str, dcg_names: dict[str, str]) -> _Chosen:
        """The name of `component`, its parents named first (a cycle skips that use site)."""
        done = self.chosen.get(component)
        if done is not None:
            return done
        self.busy.add(component)
        schema = self.schemas.get(component)
        own = _model_name(dcg_names.get(_PREFIX + _escape(component)) or component)
        sites = self._ranked(self.sites.get(component, []), own, schema)
        if component in self.kept:
            chosen = self._kept(self.kept[component], schema, sites, dcg_names)
            self.busy.discard(component)
            self.chosen[component] = chosen
            return chosen
        candidates: list[_Chosen] = []
        title = schema.get("title") if isinstance(schema, dict) else None
        if isinstance(title, str):
            candidates.append(_Chosen(_model_name(title), tuple(_pascal_words(title))))
        own_words = tuple(words(own))
        for site in sites:
            candidates.extend(self._from_site(site, schema, dcg_names))
        if unreadable(own, limit=10**6) is None:  # only too long: a real name, shortened
            candidates.extend(self._shortened(own_words, ()))
        candidates.extend(self._shortened(_clean(own_words), ()))
        found = next((c for c in candidates
                      if unreadable(c.name) is None and c.name not in self.taken), None)
        if found is None:
            name = unique(_model_name("".join(_clean(own_words)) or own), self.taken)
            found = _Chosen(name, tuple(words(name)))
        else:
            self.taken.add(found.name)
        chosen = found
        self.busy.discard(component)
        self.chosen[component] = chosen
        return chosen

    def _ranked(self, sites: list[_Site], own: str, schema: Any) -> list[_Site]:
        """Use sites, best first: operations, then the sites whose words end the schema's own
        name (a schema shared by `audio` and `image` and called `...Image` is the image's), then
        the parents whose name starts the same, then by parent and path."""
        # Compared without plural `s` (`OrderItems` is the name of an `order` item).
        own_low = [w.lower().rstrip("s") for w in words(own)]

        def rank(site: _Site) -> tuple[int, int, tuple[int, str, str]]:
            if site.parent is None:
                return (0, 0, site.order)
            added = [w.lower().rstrip("s")
                     for w in _step_words(list(site.words), schema, self.schemas)]
            tail = next((k for k in range(min(len(added), len(own_low)), 0, -1)
                         if added[-k:] == own_low[-k:]), 0)
            parent = [w.lower().rstrip("s") for w in words(site.parent)]
            head = next((k for k in range(min(len(parent), len(own_low)), 0, -1)
                         if parent[:k] == own_low[:k]), 0)
            return (-tail, -head, site.order)

        return sorted(sites, key=rank)

    def _kept(self, name: str, schema: Any, sites: list[_Site], dcg_names: dict[str, str]
              ) -> _Chosen:
        """A kept name, with the way to it from the schema whose name it extends (if any), so
        that a too long name under it can drop that schema's name (`ProviderMaxPriceCompletion`
        under `ChatGenerationParams`)."""
        for site in sites:
            if site.parent is None or site.parent in self.busy:
                continue
            parent = self.component(site.parent, dcg_names)
            lower = [w.lower() for w in words(name)]
            if lower[:len(parent.name_words)] == [w.lower() for w in parent.name_words]:
                added = _step_words(list(site.words), schema, self.schemas)
                return _Chosen(name, parent.root, parent.chain + (tuple(added),))
        return _Chosen(name, tuple(words(name)))

    def _from_site(self, site: _Site, schema: Any, dcg_names: dict[str, str]
                   ) -> Iterator[_Chosen]:
        if site.parent is None:
            yield from self._shortened(tuple(site.words), ())
            return
        if site.parent in self.busy:
            return
        parent = self.component(site.parent, dcg_names)
        added = _step_words(list(site.words), schema, self.schemas)
        if join(parent.name_words, added) == parent.name:
            # the words only repeat the parent's (`video_url` under `...VideoUrl`)
            added = added + _shape_words(schema, self.schemas)
        yield from self._shortened(parent.root, parent.chain + (tuple(added),))

    def _shortened(self, root: tuple[str, ...], chain: tuple[tuple[str, ...], ...]
                   ) -> Iterator[_Chosen]:
        """The full name, then, while it is too long, without the root, then without the
        first added parts, then without leading words."""
        flat: list[str] = list(root)
        for part in chain:
            flat = _once(words(join(flat, list(part))))
        yield _Chosen(_model_name("".join(flat)), root, chain)
        if len(_model_name("".join(flat))) <= MAX_LENGTH:
            return
        for i in range(len(chain)):
            rest: list[str] = []
            for part in chain[i:]:
                rest = _once(words(join(rest, list(part))))
            if len(rest) >= 2:
                yield _Chosen(_model_name("".join(rest)), tuple(rest))
        if chain and root:
            first = words(join([root[0]], [w for part in chain for w in part]))
            yield _Chosen(_model_name("".join(first)), tuple(first))
        for i in range(1, len(flat) - 1):
            yield _Chosen(_model_name("".join(flat[i:])), tuple(flat[i:]))

    def inline(self, path: str, dcg_name: str, tag: str | None) -> str:
        """An inline schema dcg made a model of: its component's name and the way to it; when
        that is taken, with its tag (`tag`, the constant dcg found in it) or its shape."""
        component, steps = _split_dcg_path(path)
        parent = self.chosen.get(component) if component is not None else None
        extra = [_pascal_words(tag)] if tag else []
        if component is None or parent is None or steps is None:
            # a pointer dcg gives without its component: dcg's name, made readable
            own = tuple(_once(_pascal_words(dcg_name)))
            return self._first([c for variant in [[], *extra, ["Value"]]
                                for c in self._shortened(_clean(own + tuple(variant)), ())],
                               _model_name(dcg_name))
        node: Any = self.schemas.get(component)
        added: list[str] = []
        previous = ""
        for step in steps:
            if step[0] == component and not added:
                continue  # dcg repeats the component's name for a union at its root
            node, added = _walk(node, step, previous, added, self.schemas)
            previous = step[1]
        fixed = node.get(EXTENSION) if isinstance(node, dict) else None
        if isinstance(fixed, str) and fixed:
            return unique(_model_name(fixed), self.taken)
        candidates: list[_Chosen] = []
        for variant in [[], *extra, _shape_words(node, self.schemas), _key_words(node)]:
            candidates += self._shortened(parent.root, parent.chain + (tuple(added + variant),))
        candidates.append(_Chosen(_model_name(dcg_name), tuple(words(dcg_name))))
        return self._first(candidates, candidates[0].name)

    def _first(self, candidates: list[_Chosen], fallback: str) -> str:
        """The first readable candidate no other schema has, else `fallback` made unique."""
        for c in candidates:
            if unreadable(c.name) is None and c.name not in self.taken:
                self.taken.add(c.name)
                return c.name
        return unique(fallback, self.taken)


def class_names(document: dict[str, Any], dcg_names: dict[str, str],
                dcg_tags: dict[str, str] | None = None) -> dict[str, str]:
    """Readable, unique class names for `document`'s schemas: for each dcg model pointer
    (`#/components/schemas/X`, or dcg's pointer of an inline schema), given dcg's names and
    the tag constant dcg found in a model (`type: langfuse`), if any."""
    return _Namer(document).name_all(dcg_names, dcg_tags or {})


def _model_name(name: str) -> str:
    # Imported here: tidy imports this module's neighbours, and model_name is tidy's rule.
    from openrouter_codegen.client.model.tidy import model_name

    return model_name(name)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _ref_target(schema: Any) -> str | None:
    """The component a schema refers to, directly or as the one non-null branch of a union."""
    if not isinstance(schema, dict):
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_PREFIX) and "/" not in ref[len(_PREFIX):]:
        return ref[len(_PREFIX):].replace("~1", "/").replace("~0", "~")
    for key in ("oneOf", "anyOf", "allOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            real = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")
                    and not (key == "allOf" and _only_notes(b))]
            if len(real) == 1 and len(branches) <= 2:
                return _ref_target(real[0])
    return None


def _only_notes(schema: Any) -> bool:
    """An allOf part that only annotates (`{description: ...}`): it adds no shape."""
    return isinstance(schema, dict) and all(
        k in ("description", "title", "example", "examples", "deprecated") or k.startswith("x-")
        for k in schema)


def _media(content: Any) -> Iterator[dict[str, Any]]:
    for _, media in _media_items(content):
        yield media


def _media_items(content: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(content, dict):
        for ctype in sorted(content, key=str):
            if isinstance(content[ctype], dict):
                yield str(ctype), content[ctype]


def _answer_name(op_words: list[str], path: str) -> list[str]:
    """A success answer: what a get returns (`CurrentKey`), a list of what a list returns
    (`KeyList`), else the operation's response (`CreateKeysResponse`)."""
    verb = op_words[0].lower() if op_words else ""
    rest = op_words[1:]
    if not rest:
        segments = [s for s in path.split("/") if s and not s.startswith("{")]
        rest = _pascal_words(segments[-1]) if segments else []
    if verb in _GET_VERBS and rest:
        return rest
    if verb in _LIST_VERBS and rest:
        one = _singular(rest)
        return (rest if one[-1] == "Item" else one) + ["List"]
    return op_words + ["Response"]


def _status_words(status: str) -> list[str]:
    """An error answer by its status's phrase (`404` -> `NotFound`); `default` -> `Error`."""
    try:
        return _pascal_words(HTTPStatus(int(status)).phrase)
    except ValueError:
        return ["Error"]


def _clean(name_words: tuple[str, ...]) -> tuple[str, ...]:
    """A name's words without the docs tool's: media type parts, status suffixes, a trailing
    position number, a run said twice."""
    out: list[str] = []
    skip = {"content", "application", "json", "schema", "responses", "body", "request"}
    methods = {"get", "post", "put", "patch", "delete"}
    for i, w in enumerate(name_words):
        after = name_words[i + 1].lower() if i + 1 < len(name_words) else ""
        if w.lower() in skip or w.isdigit() or (w.lower() in methods and after in skip):
            continue
        out.append(w)
    while len(out) > 1 and out[-1] in ("Response", "Request", "Post", "Get"):
        out.pop()
    return tuple(_once(out))


def _once(ws: list[str]) -> list[str]:
    """`ws` with every run of words said twice in a row said once."""
    out = list(ws)
    changed = True
    while changed:
        changed = False
        low = [w.lower() for w in out]
        for size in range(len(out) // 2, 0, -1):
            for i in range(len(out) - 2 * size + 1):
                if low[i:i + size] == low[i + size:i + 2 * size]:
                    del out[i + size:i + 2 * size]
                    changed = True
                    break
            if changed:
                break
    return out


def _tag_words(schema: Any, schemas: dict[str, Any]) -> list[str] | None:
    """The words of the constant that tags a union branch (`type: input_video`), if any."""
    target = _ref_target(schema)
    if target is not None:
        schema = schemas.get(target)
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict):
        return None
    for key in list(TAG_KEYS) + sorted(k for k in props if k not in TAG_KEYS):
        prop = props.get(key)
        if not isinstance(prop, dict):
            continue
        value = prop.get("const")
        enum = prop.get("enum")
        if value is None and isinstance(enum, list) and len(enum) == 1:
            value = enum[0]
        if isinstance(value, str) and words(value):
            return _pascal_words(value)
    return None


def _shape_words(schema: Any, schemas: dict[str, Any]) -> list[str]:
    target = _ref_target(schema)
    if target is not None:
        schema = schemas.get(target)
    if not isinstance(schema, dict):
        return ["Value"]
    title = schema.get("title")
    if isinstance(title, str) and words(title):
        return _pascal_words(title)
    if schema.get("type") == "array" or "items" in schema:
        return ["List"]
    if schema.get("type") == "object" or "properties" in schema or "allOf" in schema:
        return ["Object"]
    return ["Value"]


def _key_words(schema: Any) -> list[str]:
    """An untagged object by the keys it must have (`{prompt}` -> `Prompt`), one or two."""
    required = schema.get("required") if isinstance(schema, dict) else None
    keys = [str(k) for k in required if isinstance(k, str)] if isinstance(required, list) else []
    return [w for k in keys for w in _pascal_words(k)] if 0 < len(keys) <= 2 else ["Variant"]


def _step_words(steps: list[str], schema: Any, schemas: dict[str, Any]) -> list[str]:
    """The words a use site adds to its parent's name (`.rate_limit` -> `RateLimit`)."""
    out: list[str] = []
    for step in steps:
        if step.startswith("."):
            out += _pascal_words(step[1:])
        elif step == "[]":
            out = _singular(out) if out else ["Item"]
        elif step == "{}":
            out += ["Value"]
        elif step.startswith("|"):
            out += _tag_words(schema, schemas) or _shape_words(schema, schemas)
    return out


_DCG_SPECIAL = re.compile(r"#-datamodel-code-generator-#-(\w+)-#-special-#")


def _split_dcg_path(path: str) -> tuple[str | None, list[tuple[str, str]] | None]:
    """dcg's pointer of an inline schema as (component, [(text, kind), ...])."""
    if not path.startswith(_PREFIX):
        return None, None
    parts = path[len(_PREFIX):].split("/")
    head = parts[0].split("#")[0]
    component = head.replace("~1", "/").replace("~0", "~")
    steps: list[tuple[str, str]] = []
    head_kind = _DCG_SPECIAL.search(parts[0])
    if head_kind:
        steps.append(("", head_kind.group(1)))
    for part in parts[1:]:
        kind = _DCG_SPECIAL.search(part)
        steps.append((part.split("#")[0], kind.group(1) if kind else ""))
    return component, steps


def _walk(node: Any, step: tuple[str, str], previous: str, added: list[str],
          schemas: dict[str, Any]) -> tuple[Any, list[str]]:
    """One step of a dcg pointer through the schema: the node there and the words so far. A
    number indexes the previous step's kind (an array's items, a union's branches)."""
    text, _ = step
    if not isinstance(node, dict):
        return None, added + (_pascal_words(text) if text and not text.isdigit() else [])
    if text.isdigit():
        index = int(text)
        keys = [previous] if previous in ("oneOf", "anyOf", "allOf") else []
        if previous != "array":
            keys += ["oneOf", "anyOf", "allOf"]
        for key in keys:
            branches = node.get(key)
            if isinstance(branches, list) and index < len(branches):
                real = [b for b in branches
                        if not (isinstance(b, dict) and b.get("type") == "null")]
                branch = branches[index]
                if key == "allOf" or len(real) <= 1:
                    return branch, added
                return branch, added + (_tag_words(branch, schemas)
                                        or _shape_words(branch, schemas))
        if isinstance(node.get("items"), dict):
            return node["items"], _singular(added) if added else ["Item"]
        return node, added
    if text:
        for part in [node, *_parts(node)]:
            props = part.get("properties")
            if isinstance(props, dict) and isinstance(props.get(text), dict):
                return props[text], added + _pascal_words(text)
        return None, added + _pascal_words(text)
    return node, added


def _parts(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline schemas of a node's allOf / anyOf / oneOf (where dcg finds properties too)."""
    return [b for key in ("allOf", "anyOf", "oneOf") for b in node.get(key) or []
            if isinstance(b, dict)] if isinstance(node, dict) else []
