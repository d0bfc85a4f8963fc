"""Render the models package: the view of each IR model the template needs, one module per model
(or per cycle of models), and the lazy index that imports them on first use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openrouter_codegen.client.model.ir import (
    AliasModel,
    EnumModel,
    Field,
    ListOf,
    Lit,
    MapOf,
    Model,
    Named,
    Nullable,
    ObjectModel,
    TypeRef,
    UnionModel,
    UnionOf,
)
from openrouter_codegen.client.model.naming import snake, unique
from openrouter_codegen.client.render.environment import environment, laid_out, py_literal
from openrouter_codegen.client.render.expressions import (
    Expressions,
    enum_base,
    enum_tables,
    union_parts,
)
from openrouter_codegen.client.render.format import LINE_LENGTH
from openrouter_codegen.client.render.imports import (
    IMPORTS_MARK,
    ModuleNames,
    module_names,
    with_imports,
)


@dataclass(frozen=True)
class FieldView:
    """One field of a model as the models template renders it."""

    py_name: str
    json_name: str
    hint: str
    required: bool
    default: str | None
    literal: bool
    decode: str
    encode: str
    doc: str | None


@dataclass(frozen=True)
class DecoderView:
    """A module-level decoder of a union or alias: one branch per JSON class, then its object
    models (`objects`, picked by shape)."""

    name: str
    branches: tuple[tuple[str | None, str], ...]
    objects: tuple[str, ...]
    total: bool  # the last branch returns unconditionally


def field_view(f: Field, ex: Expressions) -> FieldView:
    """How one field is declared, decoded and encoded."""
    hint = ex.hint(f.type)
    literal = isinstance(f.type, Lit) and len(f.type.values) == 1
    if literal:
        default: str | None = py_literal(f.type.values[0])  # type: ignore[union-attr]
    elif f.required:
        default = None
    else:
        # UNSET (None to readers once built) tells a field left out from one given None.
        default = "UNSET"
        if hint != "Any" and not hint.endswith("| None"):
            hint = f"{hint} | None"
    return FieldView(
        py_name=f.py_name, json_name=f.json_name, hint=hint, required=f.required, default=default,
        literal=literal, decode=ex.decode(f.type, "v"), encode=ex.encode(f.type, f"self.{f.py_name}"),
        doc=f.description,
    )


def _optional_names(fields: tuple[Field, ...]) -> str:
    """The fields a constructor may leave out (their default is UNSET), as the tuple literal
    `_left_out` reads: a name, or `(python name, JSON name)` where the two differ; "" for none."""
    items = [py_literal(f.py_name) if f.py_name == f.json_name
             else f"({py_literal(f.py_name)}, {py_literal(f.json_name)})"
             for f in _ordered(fields)
             if not f.required and not (isinstance(f.type, Lit) and len(f.type.values) == 1)]
    if not items:
        return ""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def alias_value(head: str, hint: str) -> str:
    """The value after `head` (`Name: TypeAlias = `): `hint` quoted (its members may be defined
    further down the module). Too long for a line of its own, `Union[...]` of the quoted members,
    one a line: one long string is a layout black and ruff format differently, and a string cut
    into implicitly concatenated pieces is read as Unknown by pyright."""
    whole = py_literal(hint)
    parts = union_parts(hint)
    if 4 + len(whole) <= LINE_LENGTH or len(parts) < 2:  # fits on the head's line or its own
        return laid_out(head, whole, [whole])
    return "Union[\n" + "".join(f"    {py_literal(part)},\n" for part in parts) + "]"


def union_decoder(name: str, target: TypeRef, ex: Expressions) -> DecoderView:
    """A decoder function for a union (by shape) or an alias (by its target type)."""
    if isinstance(target, UnionOf):
        branches, objects = ex.union_branches(target, "v")
        return DecoderView(name, tuple(branches), tuple(objects), total=False)
    return DecoderView(name, ((None, ex.decode(target, "v", 1)),), (), total=True)


def render_models(models: tuple[Model, ...], title: str,
                  uses: dict[str, str] | None = None,
                  private_used: tuple[str, ...] = ()) -> dict[str, str]:
    """The files of the `models` package: one module per model (models that refer to each other
    in a cycle share one), each importing what it uses, and an `__init__.py` that imports a
    module the first time one of its names is used. `uses` (`model_uses`) gives the docstring
    of a model the spec does not describe; `private_used` the private names the endpoint modules
    use, declared to type checkers beside the public ones."""
    by_name = {m.name: m for m in models}
    groups = _module_groups(models)
    taken: set[str] = set()
    bodies: dict[str, str] = {}
    names: dict[str, ModuleNames] = {}
    owners: dict[str, str] = {}
    public: list[tuple[str, str]] = []
    module_of: dict[str, str] = {}
    for group in groups:
        module = unique(f"_{snake(group[0].name)}", taken)
        body, exported = _render_module(group, by_name, title, uses or {})
        bodies[module] = body
        names[module] = module_names(body)
        public += [(name, module) for name in exported]
        module_of.update((m.name, module) for m in group)
        for name in names[module].defined:
            owners.setdefault(name, f".{module}")
    depends = {module: sorted({module_of[n] for m in group for n in _references(m)
                               if n in module_of} - {module})
               for module, group in zip(bodies, groups, strict=True)}
    files = {f"models/{module}.py": with_imports(body, names[module], owners,
                                                 defer_annotations=False, in_subpackage=True)
             for module, body in bodies.items()}
    files["models/__init__.py"] = environment().get_template(
        "package/models__init__.py.jinja").render(
        title=title, public=sorted(public),
        private=[(name, owners[name].lstrip(".")) for name in private_used],
        index=sorted((name, module.lstrip(".")) for name, module in owners.items()),
        depends=sorted((module, deps) for module, deps in depends.items() if deps))
    return files


def _render_module(group: list[Model], by_name: dict[str, Model], title: str,
                   uses: dict[str, str]) -> tuple[str, list[str]]:
    """The body of one model module (imports left as `IMPORTS_MARK`) and its public names."""
    ex = Expressions(by_name)

    def class_doc(m: Model) -> str:
        # The spec's description, else where the model is used, else what it is part of.
        return m.description or uses.get(m.name) or f"The `{m.name}` schema of the {title}."

    enums: list[dict[str, Any]] = []
    objects: list[dict[str, Any]] = []
    aliases: list[dict[str, Any]] = []
    tagged: list[dict[str, Any]] = []
    decoders: list[DecoderView] = []
    for m in group:
        if isinstance(m, EnumModel):
            enums.append({"name": m.name, "doc": class_doc(m), "base": enum_base(m),
                          "members": m.members, "tables": enum_tables(m)})
        elif isinstance(m, ObjectModel):
            objects.append({
                "name": m.name, "doc": class_doc(m),
                "fields": [field_view(f, ex) for f in _ordered(m.fields)],
                "required": sorted(f.json_name for f in m.fields if f.required),
                "optional": _optional_names(m.fields),
            })
        else:
            target = UnionOf(m.options) if isinstance(m, UnionModel) else m.target
            hint = ex.hint(target)
            if isinstance(m, UnionModel) and m.discriminator is not None and hint != "Any":
                hint += " | dict[str, Any]"  # an unknown tag is kept as the plain mapping
            aliases.append({"name": m.name, "doc": class_doc(m), "hint": hint,
                            "value": alias_value(f"{m.name}: TypeAlias = ", hint)})
            mapping = _object_mapping(m, by_name) if isinstance(m, UnionModel) else ()
            if mapping and isinstance(m, UnionModel) and m.discriminator is not None:
                tagged.append({"name": m.name, "property": m.discriminator.property,
                               "mapping": mapping})
            elif ex.decode(Named(m.name), "v") != "v":
                decoders.append(union_decoder(f"_decode_{m.name}", target, ex))
    # Anonymous unions met while rendering fields; rendering a helper may discover more.
    done: set[str] = set()
    while set(ex.helpers) - done:
        for name in sorted(set(ex.helpers) - done):
            done.add(name)
            decoders.append(union_decoder(name, ex.helpers[name], ex))
    exported = sorted([e["name"] for e in enums] + [o["name"] for o in objects] +
                      [a["name"] for a in aliases])
    names = ", ".join(m.name for m in group)
    doc = f"{names}: {'a model' if len(group) == 1 else 'models that refer to each other'} " \
        f"of the {title}."
    body = environment().get_template("package/model_module.py.jinja").render(
        doc=doc, imports=IMPORTS_MARK, enums=enums, objects=objects, aliases=aliases,
        tagged=tagged, decoders=decoders, exported=exported)
    return body, exported


def _references(model: Model) -> set[str]:
    """The names of the models `model` refers to (through lists, maps, unions, nullables)."""
    roots: list[TypeRef] = []
    if isinstance(model, ObjectModel):
        roots = [f.type for f in model.fields]
        if model.additional is not None:
            roots.append(model.additional)
    elif isinstance(model, UnionModel):
        roots = list(model.options)
        if model.discriminator is not None:
            roots += [Named(name) for _, name in model.discriminator.mapping]
    elif isinstance(model, AliasModel):
        roots = [model.target]
    found: set[str] = set()
    while roots:
        t = roots.pop()
        if isinstance(t, Named):
            found.add(t.name)
        elif isinstance(t, ListOf):
            roots.append(t.item)
        elif isinstance(t, MapOf):
            roots.append(t.value)
        elif isinstance(t, Nullable):
            roots.append(t.inner)
        elif isinstance(t, UnionOf):
            roots.extend(t.options)
    return found


def _module_groups(models: tuple[Model, ...]) -> list[list[Model]]:
    """The models grouped by strongly connected component of their references (Tarjan's
    algorithm, without recursion: a document may chain thousands of schemas), in the order of
    each group's first model; a group's modules can then import each other without cycles."""
    by_name = {m.name: m for m in models}
    edges = {m.name: sorted(n for n in _references(m) if n in by_name) for m in models}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    count = 0
    for root in by_name:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            name, i = work.pop()
            if i == 0:
                index[name] = low[name] = len(index)
                stack.append(name)
                on_stack.add(name)
            if i < len(edges[name]):
                work.append((name, i + 1))
                nxt = edges[name][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[name] = min(low[name], index[nxt])
                continue
            if low[name] == index[name]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = count
                    if member == name:
                        break
                count += 1
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[name])
    groups: dict[int, list[Model]] = {}
    for m in models:
        groups.setdefault(component[m.name], []).append(m)
    return list(groups.values())


def _ordered(fields: tuple[Field, ...]) -> list[Field]:
    # Required first reads best in the class body; kw_only makes the order irrelevant to callers.
    return sorted(fields, key=lambda f: not f.required)


def tagged_objects(m: UnionModel, by_name: dict[str, Model]) -> tuple[tuple[str, str], ...]:
    """The (tag value, model name) pairs of a tagged union whose model is an object (decoded by
    `from_json`); empty when the union has no discriminator."""
    if m.discriminator is None:
        return ()
    return tuple((v, n) for v, n in m.discriminator.mapping
                 if isinstance(by_name.get(n), ObjectModel))


def _object_mapping(m: UnionModel, by_name: dict[str, Model]) -> tuple[tuple[str, str], ...]:
    """`tagged_objects`, when every tag names an object (the tag table decodes them all)."""
    pairs = tagged_objects(m, by_name)
    return pairs if m.discriminator and len(pairs) == len(m.discriminator.mapping) else ()


def model_kinds(models: tuple[Model, ...]) -> dict[str, Any]:
    """Name -> model, for the other renderers."""
    return {m.name: m for m in models}
