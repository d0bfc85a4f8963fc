"""Render the models module: the view of each IR model the template needs, then the template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.model.ir import (
    EnumModel,
    Field,
    Lit,
    Model,
    Named,
    ObjectModel,
    TypeRef,
    UnionModel,
    UnionOf,
)
from generator.render.environment import environment, laid_out, py_literal
from generator.render.expressions import Expressions, enum_base, enum_tables, union_parts


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
        default = "None"
        if hint != "Any" and not hint.endswith("| None"):
            hint = f"{hint} | None"
    return FieldView(
        py_name=f.py_name, json_name=f.json_name, hint=hint, required=f.required, default=default,
        literal=literal, decode=ex.decode(f.type, "v"), encode=ex.encode(f.type, f"self.{f.py_name}"),
        doc=f.description,
    )


def alias_value(head: str, hint: str) -> str:
    """The quoted `hint` after `head` (`Name: TypeAlias = `); too long, it is cut at its members."""
    parts = union_parts(hint)
    pieces = [py_literal(parts[0]), *(py_literal(f" | {part}") for part in parts[1:])]
    return laid_out(head, py_literal(hint), pieces)


def union_decoder(name: str, target: TypeRef, ex: Expressions) -> DecoderView:
    """A decoder function for a union (by shape) or an alias (by its target type)."""
    if isinstance(target, UnionOf):
        branches, objects = ex.union_branches(target, "v")
        return DecoderView(name, tuple(branches), tuple(objects), total=False)
    return DecoderView(name, ((None, ex.decode(target, "v", 1)),), (), total=True)


def render_models(models: tuple[Model, ...], title: str) -> str:
    """The source of `models.py` for every model of the spec."""
    by_name = {m.name: m for m in models}
    ex = Expressions(by_name)
    enums: list[dict[str, Any]] = []
    objects: list[dict[str, Any]] = []
    aliases: list[dict[str, Any]] = []
    tagged: list[dict[str, Any]] = []
    decoders: list[DecoderView] = []
    for m in models:
        if isinstance(m, EnumModel):
            enums.append({"name": m.name, "doc": m.description or m.name, "base": enum_base(m),
                          "members": m.members, "tables": enum_tables(m)})
        elif isinstance(m, ObjectModel):
            objects.append({
                "name": m.name, "doc": m.description or m.name,
                "fields": [field_view(f, ex) for f in _ordered(m.fields)],
                "required": sorted(f.json_name for f in m.fields if f.required),
            })
        else:
            target = UnionOf(m.options) if isinstance(m, UnionModel) else m.target
            hint = ex.hint(target)
            if isinstance(m, UnionModel) and m.discriminator is not None and hint != "Any":
                hint += " | dict[str, Any]"  # an unknown tag is kept as the plain mapping
            aliases.append({"name": m.name, "doc": m.description or m.name, "hint": hint,
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
    return environment().get_template("package/models.py.jinja").render(
        title=title, enums=enums, objects=objects, aliases=aliases, tagged=tagged,
        decoders=decoders, exported=exported)


def _ordered(fields: tuple[Field, ...]) -> list[Field]:
    # Required first reads best in the class body; kw_only makes the order irrelevant to callers.
    return sorted(fields, key=lambda f: not f.required)


def _object_mapping(m: UnionModel, by_name: dict[str, Model]) -> tuple[tuple[str, str], ...]:
    if m.discriminator is None:
        return ()
    pairs = tuple((v, n) for v, n in m.discriminator.mapping if isinstance(by_name.get(n),
                                                                           ObjectModel))
    return pairs if len(pairs) == len(m.discriminator.mapping) else ()


def model_kinds(models: tuple[Model, ...]) -> dict[str, Any]:
    """Name -> model, for the other renderers."""
    return {m.name: m for m in models}
