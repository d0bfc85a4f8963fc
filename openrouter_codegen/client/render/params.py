"""Typed request dicts: the TypedDicts an endpoint argument accepts beside the dataclasses.

Every object schema an operation takes (through its parameters or body, however deep) gets a
TypedDict `<Model>Param` in the package's `types` module: required keys `Required[...]`, the
others optional (`total=False`), tags as `Literal`, nested objects as nested TypedDicts, enums as
`Literal[...] | str` (they are open), unions as unions of what their branches accept. The module
is read by type checkers (the endpoint modules import it under `TYPE_CHECKING`) and by programs
that annotate their own values with it; the client itself never imports it.
"""

from __future__ import annotations

import ast
import keyword
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from openrouter_codegen.client.model.ir import (
    AliasModel,
    EnumModel,
    Field,
    Group,
    ListOf,
    Lit,
    MapOf,
    Model,
    Named,
    Nullable,
    ObjectModel,
    Prim,
    TypeRef,
    UnionModel,
    UnionOf,
)
from openrouter_codegen.client.model.naming import BUILTINS, MODULE_NAMES, unique
from openrouter_codegen.client.render.environment import environment, py_literal, py_repr
from openrouter_codegen.client.render.expressions import Expressions, union_parts
from openrouter_codegen.client.render.format import LINE_LENGTH
from openrouter_codegen.client.render.imports import (
    IMPORTS_MARK,
    ModuleNames,
    import_block,
    module_names,
)

# Names the types module binds itself (imports and helpers): no TypedDict may take one.
_TYPES_NAMES = frozenset({"Required", "NotRequired", "TypedDict", "Protocol", "TypeVar",
                          "SupportsIndex", "Iterator", "SequenceNotStr", "_T_co"})
# Deeper than this many aliases, an argument's type is `Any` (a chain of a thousand aliases must
# not become a thousand nested annotations).
_ALIAS_DEPTH = 8
_PRIMS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "any": "Any", "none": "None"}
_ALSO = {"null": "None", "object": "Mapping[str, Any]", "array": "Sequence[Any]"}


@dataclass(frozen=True)
class ParamTypes:
    """The request types of a package: model name -> the name of its TypedDict or alias in
    `types`, for every model an operation's arguments reach (in the order first reached)."""

    names: dict[str, str]


def collect(models: dict[str, Model], groups: tuple[Group, ...]) -> ParamTypes:
    """Name a request type for every model the operations of `groups` take, however deep."""
    taken = set(models) | set(MODULE_NAMES) | set(BUILTINS) | set(_TYPES_NAMES) | {
        g.class_name for g in groups} | {f"Async{g.class_name}" for g in groups}
    names: dict[str, str] = {}
    todo: deque[TypeRef] = deque()
    for group in groups:
        for op in group.operations:
            todo.extend(p.type for p in op.params)
            if op.body is not None:
                todo.extend(f.type for f in op.body.fields if not f.read_only)
                if not op.body.fields:
                    todo.append(op.body.type)
    seen: set[str] = set()
    while todo:
        for name in _named(todo.popleft()):
            model = models.get(name)
            if name in seen or model is None:
                continue
            seen.add(name)
            if isinstance(model, ObjectModel):
                if _sent(model):
                    names[name] = unique(f"{name}Param", taken)
                todo.extend(f.type for f in _sent(model))
                if model.additional is not None:
                    todo.append(model.additional)
            elif isinstance(model, (UnionModel, EnumModel)):
                names[name] = unique(f"{name}Param", taken)
                if isinstance(model, UnionModel):
                    todo.extend(model.options)
            else:
                todo.append(model.target)
    return ParamTypes(names)


def _sent(model: ObjectModel) -> tuple[Field, ...]:
    """The fields a request may carry (read-only ones are only ever received)."""
    return tuple(f for f in model.fields if not f.read_only)


def _named(t: TypeRef) -> list[str]:
    """The model names inside one type, in order, without following them."""
    out: list[str] = []
    stack = [t]
    while stack:
        t = stack.pop()
        if isinstance(t, Named):
            out.append(t.name)
        elif isinstance(t, ListOf):
            stack.append(t.item)
        elif isinstance(t, MapOf):
            stack.append(t.value)
        elif isinstance(t, Nullable):
            stack.append(t.inner)
        elif isinstance(t, UnionOf):
            stack.extend(reversed(t.options))
    return out


@dataclass(frozen=True)
class Hints:
    """Annotations of request values: in `types` (TypedDicts only) and in endpoint signatures
    (the dataclasses too)."""

    models: dict[str, Model]
    params: ParamTypes
    ex: Expressions  # the output annotations (enums, literals)

    def param(self, t: TypeRef, depth: int = 0) -> str:
        """What a value of `t` may be inside a request dict."""
        if isinstance(t, Prim):
            return _PRIMS[t.kind]
        if isinstance(t, Lit):
            return self.ex.hint(t)
        if isinstance(t, ListOf):
            return f"{self._sequence(t.item)}[{self.param(t.item, depth)}]"
        if isinstance(t, MapOf):
            return f"Mapping[str, {self.param(t.value, depth)}]"
        if isinstance(t, Nullable):
            return union([self.param(t.inner, depth), "None"])
        if isinstance(t, UnionOf):
            return union(self.param(o, depth) for o in t.options)
        if t.name in self.params.names:
            return self.params.names[t.name]
        model = self.models.get(t.name)
        if isinstance(model, ObjectModel):  # no field to type: a plain mapping
            value = "Any" if model.additional is None else self.param(model.additional, depth)
            return f"Mapping[str, {value}]"
        if isinstance(model, AliasModel) and depth < _ALIAS_DEPTH:
            return self.param(model.target, depth + 1)
        return "Any"

    def argument(self, t: TypeRef, depth: int = 0) -> str:
        """What an endpoint argument of type `t` accepts: the dataclass of an object (of each
        object branch of a union) or its TypedDict, and what `param` accepts for the rest."""
        if isinstance(t, ListOf):
            return f"{self._sequence(t.item)}[{self.argument(t.item, depth)}]"
        if isinstance(t, MapOf):
            return f"Mapping[str, {self.argument(t.value, depth)}]"
        if isinstance(t, Nullable):
            return union([self.argument(t.inner, depth), "None"])
        if isinstance(t, UnionOf):
            return union(self.argument(o, depth) for o in t.options)
        model = self.models.get(t.name) if isinstance(t, Named) else None
        if isinstance(model, ObjectModel):
            return union([model.name, self.param(t, depth)])
        if isinstance(model, UnionModel):
            return union([*self._objects(model, depth), self.param(t, depth)])
        if isinstance(model, AliasModel) and depth < _ALIAS_DEPTH:
            return self.argument(model.target, depth + 1)
        if isinstance(model, EnumModel):
            return self.ex.hint(t)  # the enum's members, or any value
        return self.param(t, depth)

    def _objects(self, model: UnionModel, depth: int) -> list[str]:
        """The dataclasses among a union's branches (through nested unions and aliases). A
        branch that is a list of objects takes their TypedDicts only: spelling out each item's
        dataclass too made the Responses `input` annotation eighty lines long."""
        out: list[str] = []
        for option in model.options:
            core = option.inner if isinstance(option, Nullable) else option
            inner = self.models.get(core.name) if isinstance(core, Named) else None
            while isinstance(inner, AliasModel) and isinstance(inner.target, Named) and \
                    depth < _ALIAS_DEPTH:
                inner, depth = self.models.get(inner.target.name), depth + 1
            if isinstance(inner, ObjectModel):
                out.append(inner.name)
            elif isinstance(inner, UnionModel) and depth < _ALIAS_DEPTH:
                out.extend(self._objects(inner, depth + 1))
        return out

    def _sequence(self, item: TypeRef) -> str:
        """`SequenceNotStr` for arrays whose items may be strings (a `str` is a `Sequence[str]`,
        so a string given where a list goes would pass), else `Sequence`."""
        return "SequenceNotStr" if self._may_be_str(item, 0) else "Sequence"

    def _may_be_str(self, t: TypeRef, depth: int) -> bool:
        if depth > _ALIAS_DEPTH:
            return True
        if isinstance(t, Prim):
            return t.kind in ("str", "any")
        if isinstance(t, Lit):
            return any(isinstance(v, str) for v in t.values)
        if isinstance(t, Nullable):
            return self._may_be_str(t.inner, depth)
        if isinstance(t, UnionOf):
            return any(self._may_be_str(o, depth) for o in t.options)
        if isinstance(t, Named):
            model = self.models.get(t.name)
            if isinstance(model, EnumModel):
                return not model.members or any(isinstance(v, str) for _, v in model.members)
            if isinstance(model, UnionModel):
                return any(self._may_be_str(o, depth + 1) for o in model.options)
            if isinstance(model, AliasModel):
                return self._may_be_str(model.target, depth + 1)
            return model is None
        return False


def union(hints: Iterable[str]) -> str:
    """One annotation for the union of `hints`: members once each, in order; `Any` if any is."""
    parts: list[str] = []
    for hint in hints:
        for part in union_parts(hint):
            if part not in parts:
                parts.append(part)
    return "Any" if "Any" in parts else " | ".join(parts)


@dataclass(frozen=True)
class KeyView:
    """One key of a TypedDict: its JSON name, annotation (with `Required[...]`) and description."""

    name: str
    hint: str
    doc: str | None


@dataclass(frozen=True)
class DictView:
    """One TypedDict: class syntax when every key can be an attribute name, else the functional
    syntax (`TypedDict("Name", {"key-name": ...})`) with each annotation quoted where it names a
    type defined further down."""

    name: str
    doc: str
    keys: tuple[KeyView, ...]
    functional: bool
    reads: frozenset[str]  # the names its annotations read, quoted ones included


@dataclass(frozen=True)
class AliasView:
    """A union or enum as a `TypeAlias`; quoted where it names an alias defined further down."""

    name: str
    doc: str
    value: str
    # False for a name so long that `: TypeAlias = (` would not fit on its line: black then
    # splits the annotation and ruff does not, so the alias is written implicit (`Name = ...`).
    annotated: bool = True


def _attribute_key(key: str, read: set[str]) -> bool:
    """Whether `key` can be written as a class attribute of a TypedDict: an identifier, no
    keyword, not mangled (`__x`), and no name the class's annotations `read` (it would shadow
    that name in them)."""
    return key.isidentifier() and not keyword.iskeyword(key) and not key.startswith("__") and \
        key not in read


def _names_read(hint: str) -> set[str]:
    """The names an annotation reads."""
    return {n.id for n in ast.walk(ast.parse(hint, mode="eval")) if isinstance(n, ast.Name)}


def _dict_view(model: ObjectModel, name: str, hints: Hints, defined: set[str]) -> DictView:
    """The view of one TypedDict; `defined` names the module's TypedDicts and aliases."""
    fields = sorted(_sent(model), key=lambda f: not f.required)
    raw = [hints.param(f.type) for f in fields]
    read = set().union(*(_names_read(h) for h in raw)) | ({"Required"} if any(
        f.required for f in fields) else set())
    functional = not all(_attribute_key(f.json_name, read) for f in fields)
    keys = []
    for f, hint in zip(fields, raw, strict=True):
        if functional and _names_read(hint) & defined:
            # Evaluated where it is defined, before the aliases and the TypedDicts after it:
            # a forward reference.
            hint = py_repr(hint)
        keys.append(KeyView(f.json_name, f"Required[{hint}]" if f.required else hint,
                            f.description))
    return DictView(name, model.description or model.name, tuple(keys), functional,
                    frozenset(read))


def _enum_hint(model: EnumModel) -> str:
    """An open enum's values: `Literal[...]` of its members, then their JSON classes (any other
    value of those is accepted, as the server may add some), then the non-member items."""
    literal = [py_literal(v) for _, v in model.members
               if isinstance(v, str) or (isinstance(v, int) and -(2**63) < v < 2**63)]
    classes = sorted({type(v).__name__ for _, v in model.members}) or ([] if model.also else ["str"])
    parts = ([f"Literal[{', '.join(literal)}]"] if literal else []) + classes
    return union(parts + [_ALSO[kind] for kind in model.also])


def render_types(models: dict[str, Model], params: ParamTypes, title: str) -> str:
    """The source of the `types` module: every request TypedDict and alias of `params`."""
    hints = Hints(models, params, Expressions(models))
    dicts: list[DictView] = []
    aliases: dict[str, str] = {}  # alias name -> annotation
    docs: dict[str, str] = {}
    for model_name, name in sorted(params.names.items(), key=lambda item: item[1]):
        model = models[model_name]
        docs[name] = model.description or model.name
        if isinstance(model, EnumModel):
            aliases[name] = _enum_hint(model)
        elif isinstance(model, UnionModel):
            aliases[name] = hints.param(UnionOf(model.options))
    alias_order = _alias_order(aliases)
    for model_name, name in sorted(params.names.items(), key=lambda item: item[1]):
        model = models[model_name]
        if isinstance(model, ObjectModel):
            dicts.append(_dict_view(model, name, hints, set(aliases) | set(params.names.values())))
    done: set[str] = set()
    views = []
    for name in alias_order:
        hint = aliases[name]
        value = hint if not (_names_read(hint) & (set(aliases) - done - {name}) or
                             name in _names_read(hint)) else py_repr(hint)
        done.add(name)
        views.append(AliasView(name, docs[name], value,
                               len(f"{name}: TypeAlias = (") <= LINE_LENGTH))
    functional = [d for d in dicts if d.functional]
    classes = [d for d in dicts if not d.functional]
    body = environment().get_template("package/types.py.jinja").render(
        title=title, imports=IMPORTS_MARK, classes=classes, functional=functional,
        aliases=views, exported=sorted([*params.names.values(), "SequenceNotStr"]))
    names = module_names(body)
    # Quoted annotations name types too (the parser skips strings): imported like the others.
    quoted = set().union(*(d.reads for d in functional), *(_names_read(aliases[a.name])
                                                            for a in views))
    names = ModuleNames(names.defined, names.runtime | names.typing_only | quoted, frozenset())
    return body.replace(IMPORTS_MARK + "\n", import_block(names, {}, defer_annotations=False,
                                                          in_subpackage=True), 1)


def _alias_order(aliases: dict[str, str]) -> list[str]:
    """The aliases in an order where each comes after the aliases it names (depth first, no
    recursion), by name otherwise; an alias in a cycle comes where the cycle is entered."""
    order: list[str] = []
    placed: set[str] = set()
    for root in sorted(aliases):
        stack: list[tuple[str, list[str]]] = []
        if root not in placed:
            placed.add(root)
            stack.append((root, sorted(_names_read(aliases[root]) & set(aliases))))
        while stack:
            name, deps = stack[-1]
            while deps and deps[0] in placed:
                deps.pop(0)
            if deps:
                nxt = deps.pop(0)
                placed.add(nxt)
                stack.append((nxt, sorted(_names_read(aliases[nxt]) & set(aliases))))
            else:
                stack.pop()
                order.append(name)
    return order
