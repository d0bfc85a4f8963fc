"""Type-driven snippets the templates place: annotations and straight-line decode expressions.

Decoding is forgiving by construction: every conversion is guarded by an exact class check, so a value of an
unexpected shape is kept as the server sent it instead of failing the whole response.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from openrouter_codegen.client.model.ir import (
    AliasModel,
    EnumModel,
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

_HINTS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "any": "Any", "none": "None"}
_ALSO_HINTS = {"null": "None", "object": "dict[str, Any]", "array": "list[Any]"}


@dataclass
class Expressions:
    """Builds snippets for one module; `helpers` collects per-union decoder functions it needed."""

    models: dict[str, Model]
    prefix: str = ""  # how this module reaches the models module's names ("" inside it)
    helpers: dict[str, UnionOf] = field(default_factory=dict)
    _decoded: frozenset[str] | None = field(default=None, repr=False)

    def needs_decode(self, name: str) -> bool:
        """True when values of the named model are converted on decode (not kept as sent)."""
        if self._decoded is None:
            self._decoded = _models_needing_decode(self.models)
        return name in self._decoded

    # ---- annotations -------------------------------------------------------------------------
    def hint(self, t: TypeRef) -> str:
        """The annotation for a value of type `t`, open enums included (`Enum | str`)."""
        if isinstance(t, Prim):
            return _HINTS[t.kind]
        if isinstance(t, Lit):
            if all(v is None or isinstance(v, str) or _literal_int(v) for v in t.values):
                return "Literal[" + ", ".join(repr(v) for v in t.values) + "]"
            # Literal takes no floats, and mypy no integers beyond 64 bits: name the classes.
            return " | ".join(dict.fromkeys(
                "None" if v is None else "float" if isinstance(v, float) else
                "int" if isinstance(v, int) else "Any" for v in t.values))
        if isinstance(t, ListOf):
            return f"list[{self.hint(t.item)}]"
        if isinstance(t, MapOf):
            return f"dict[str, {self.hint(t.value)}]"
        if isinstance(t, Nullable):
            return _union_hint([self.hint(t.inner), "None"])
        if isinstance(t, UnionOf):
            return _union_hint(self.hint(o) for o in t.options)
        model = self.models.get(t.name)
        if isinstance(model, EnumModel):
            # Null, object and array items are no members, but values of those classes are
            # allowed wherever the enum is used.
            return " | ".join([t.name, *_member_classes(model),
                               *(_ALSO_HINTS[kind] for kind in model.also)])
        return t.name

    # ---- decoding ----------------------------------------------------------------------------
    def decode(self, t: TypeRef, v: str, depth: int = 0) -> str:
        """An expression turning the JSON value named `v` into the typed value (identity if none)."""
        if isinstance(t, (Prim, Lit)):
            return v
        if isinstance(t, Nullable):
            return self.decode(t.inner, v, depth)
        if isinstance(t, ListOf):
            x = f"x{depth}"
            inner = self.decode(t.item, x, depth + 1)
            if inner == x:
                return v
            return f"[{parenthesized(inner)} for {x} in {v}] if {v}.__class__ is list else {v}"
        if isinstance(t, MapOf):
            x, k = f"x{depth}", f"k{depth}"
            inner = self.decode(t.value, x, depth + 1)
            if inner == x:
                return v
            return (f"{{{k}: {parenthesized(inner)} for {k}, {x} in {v}.items()}} "
                    f"if {v}.__class__ is dict else {v}")
        if isinstance(t, UnionOf):
            if all(self.decode(o, v, depth) == v for o in t.options):
                return v
            return f"{self.union_helper(t)}({v})"
        model = self.models.get(t.name)
        if isinstance(model, ObjectModel):
            return f"{self.prefix}_{t.name}_from_json({v}) if {v}.__class__ is dict else {v}"
        if isinstance(model, EnumModel):
            # Looked up only with values of its members' JSON classes: an enum of integers is never
            # looked up with a string, nor the reverse.
            expr = v
            for kind, table in reversed(enum_tables(model).items()):
                expr = f"{self.prefix}{table}.get({v}, {v}) if {v}.__class__ is {kind} else {expr}"
            return expr
        if isinstance(model, (UnionModel, AliasModel)):
            # By name, never by expanding the target: aliases may chain a thousand deep.
            return f"{self.prefix}_decode_{t.name}({v})" if self.needs_decode(t.name) else v
        return v

    def union_helper(self, t: UnionOf) -> str:
        """Name of a module-level decoder for an anonymous union (created on first use)."""
        name = "_decode_union_" + "_".join(_slug(self.hint(o)) for o in t.options)[:80]
        existing = self.helpers.get(name)
        n = 2
        base = name
        while existing is not None and existing != t:
            name = f"{base}_{n}"
            existing = self.helpers.get(name)
            n += 1
        self.helpers[name] = t
        return name

    def union_branches(self, t: UnionOf, v: str) -> tuple[list[tuple[str, str]], list[str]]:
        """(condition, expression) pairs for scalar/list branches, and object model names to pick from.

        Branches are tried most specific first: lists, then objects (by shape), then scalars as sent.
        """
        branches: list[tuple[str, str]] = []
        objects: list[str] = []
        # One branch per JSON class that enum members have: the tables of every enum with members
        # of that class are looked up in turn, so a value of a later enum is not left a plain
        # string (or number) by an earlier one's miss.
        enums: dict[str, tuple[str, list[str]]] = {}  # check -> (JSON class, enum names)
        for option in t.options:
            core = option.inner if isinstance(option, Nullable) else option
            if isinstance(core, ListOf):
                branches.append((f"{v}.__class__ is list", self.decode(core, v, 1)))
            elif isinstance(core, MapOf):
                branches.append((f"{v}.__class__ is dict", self.decode(core, v, 1)))
            elif isinstance(core, Named):
                model = self.models.get(core.name)
                if isinstance(model, ObjectModel):
                    objects.append(core.name)
                elif isinstance(model, EnumModel):
                    for kind in _member_classes(model):
                        check = f"{v}.__class__ is {kind}"
                        if check not in enums:
                            enums[check] = (kind, [])
                            branches.append((check, ""))
                        enums[check][1].append(core.name)
                elif model is not None:
                    branches.append(("True", self.decode(core, v, 1)))
        branches = [(cond, self._enum_lookups(*enums[cond], v) if cond in enums else expr)
                    for cond, expr in branches]
        seen: set[str] = set()
        unique_branches = []
        for cond, expr in branches:
            if cond not in seen:
                seen.add(cond)
                unique_branches.append((cond, expr))
        return unique_branches, objects

    def _enum_lookups(self, kind: str, names: list[str], v: str) -> str:
        """`v`, of JSON class `kind`, looked up in each enum's table for that class in turn (the
        first that knows it wins), else `v`."""
        expr = v
        for name in reversed(dict.fromkeys(names)):
            model = self.models[name]
            assert isinstance(model, EnumModel)
            expr = f"{self.prefix}{enum_tables(model)[kind]}.get({v}, {expr})"
        return expr

    # ---- encoding ----------------------------------------------------------------------------
    def encode(self, t: TypeRef, v: str) -> str:
        """An expression turning the typed value `v` into JSON (identity for scalars and enums)."""
        if isinstance(t, (Prim, Lit)):
            return v if t != Prim("any") else f"_encode({v})"
        if isinstance(t, Nullable):
            return self.encode(t.inner, v)
        model = self.models.get(t.name) if isinstance(t, Named) else None
        if isinstance(model, EnumModel) and enum_base(model) != "Enum":
            return v  # StrEnum / IntEnum members serialise as their value
        return f"_encode({v})"


def _literal_int(value: object) -> bool:
    """Whether `value` may be written in a `Literal[...]`: mypy takes integers (and bools) only
    strictly inside the signed 64-bit range."""
    return isinstance(value, int) and -(2**63) < value < 2**63


def enum_base(model: EnumModel) -> str:
    """The class a generated enum derives from: StrEnum or IntEnum when every member is a string
    or every member an integer (its members are then their own JSON), else Enum."""
    kinds = {type(v) for _, v in model.members}
    if kinds == {str}:
        return "StrEnum"
    if kinds == {int}:
        return "IntEnum"
    return "Enum"


def _member_classes(model: EnumModel) -> list[str]:
    """The names of the JSON classes of `model`'s members; `str` for an enum with no items at all,
    none for one whose items are all null, objects or arrays (no member, so nothing to look up:
    its values stay as sent, and its hint names no scalar class)."""
    if not model.members:
        return [] if model.also else ["str"]
    return sorted({type(val).__name__ for _, val in model.members})


def enum_tables(model: EnumModel) -> dict[str, str]:
    """The name of the value -> member table for each JSON class of `model`'s members: one
    `_X_BY_VALUE` when they are all of one class, else one per class (`_X_BY_BOOL`, ...), because
    a dict finds `True` under the key `1` (and `1` under `1.0`), which JSON tells apart."""
    kinds = _member_classes(model)
    if len(kinds) == 1:
        return {kinds[0]: f"_{model.name}_BY_VALUE"}
    return {kind: f"_{model.name}_BY_{kind.upper()}" for kind in kinds}


def _union_hint(hints: Iterable[str]) -> str:
    """One annotation for the union of `hints`: their members once each, in order (`Any` if any is)."""
    parts: list[str] = []
    for hint in hints:
        for part in union_parts(hint):
            if part not in parts:
                parts.append(part)
    return "Any" if "Any" in parts else " | ".join(parts)


def union_parts(hint: str) -> list[str]:
    """The members of a `A | B[C | D]` annotation, split at the top level only (`A`, `B[C | D]`)."""
    parts: list[str] = []
    depth, start, quote, escaped = 0, 0, "", False
    for i, char in enumerate(hint):
        if quote:  # inside a Literal's string: brackets and bars are text
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth == 0 and hint.startswith(" | ", i):
            parts.append(hint[start:i])
            start = i + 3
    parts.append(hint[start:])
    return parts


def _direct_names(t: TypeRef) -> set[str]:
    """Model names inside one type, without following them."""
    if isinstance(t, ListOf):
        return _direct_names(t.item)
    if isinstance(t, MapOf):
        return _direct_names(t.value)
    if isinstance(t, Nullable):
        return _direct_names(t.inner)
    if isinstance(t, UnionOf):
        return set().union(*(_direct_names(o) for o in t.options))
    return {t.name} if isinstance(t, Named) else set()


def _models_needing_decode(models: dict[str, Model]) -> frozenset[str]:
    """Names of the models whose values are converted on decode.

    Objects and enums always are, and so are unions with a discriminator; an alias or untagged union
    is when something it names is. Computed by propagation along reverse references (a worklist, no
    recursion), so chains and cycles of any length cost one pass: a cycle of aliases that reaches
    nothing converted stays as sent.
    """
    dependents: dict[str, set[str]] = defaultdict(set)
    todo: list[str] = []
    for name, model in models.items():
        if isinstance(model, (ObjectModel, EnumModel)) or (
                isinstance(model, UnionModel) and model.discriminator is not None):
            todo.append(name)
        elif isinstance(model, (AliasModel, UnionModel)):
            target = model.target if isinstance(model, AliasModel) else UnionOf(model.options)
            for used in _direct_names(target):
                dependents[used].add(name)
    found: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(dependents.get(name, ()))
    return frozenset(found)


def _slug(text: str) -> str:
    # ASCII only: `²` is alphanumeric to str.isalnum but not allowed in an identifier.
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in text).strip("_")


def parenthesized(expression: str) -> str:
    """A conditional expression in parentheses, for a comprehension's element or a call's argument.

    black adds them when it splits such an expression there and keeps them otherwise; `ruff format`
    keeps them but never adds them. Writing them always makes the two formatters agree.
    """
    return f"({expression})" if " if " in expression else expression
