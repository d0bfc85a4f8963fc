"""Make the IR models safe to render, whatever the schema names and shapes.

datamodel-code-generator names fields and enum members after the spec, and some spec names cannot be
Python names as they are (`str`, `名前`, `_missing_`, two properties that both become `foo_bar`).
It also keeps shapes that type checkers reject: chains of aliases (`A = B`, `B = C`, ... a thousand
deep), cycles of aliases, unions that contain themselves. This pass, pure and recursion-free over
names, renames what must be renamed and resolves those shapes; what it cannot mean (an alias cycle)
becomes `Any` with a warning naming the schema.
"""

from __future__ import annotations

from dataclasses import replace

from openrouter_codegen.client.model.ir import (
    AliasModel,
    EnumModel,
    Field,
    Model,
    Named,
    ObjectModel,
    Prim,
    TypeRef,
    UnionModel,
)
from openrouter_codegen.client.model.naming import (
    ENUM_MEMBER_RESERVED,
    FIELD_RESERVED,
    MODEL_RESERVED,
    identifier,
    pascal,
    snake,
    unique,
)
from openrouter_codegen.common.diagnostics import Diagnostic, Location, Severity


def model_name(name: str) -> str:
    """A class name for a schema: ASCII, an identifier, not shadowing a builtin or an import."""
    return identifier(name if name.isascii() else pascal(name), MODEL_RESERVED)


def collapse_aliases(models: list[Model], pointers: dict[str, str]) -> tuple[list[Model],
                                                                            list[Diagnostic]]:
    """Point every alias straight at what its chain ends in; alias cycles become `Any`."""
    by_name = {m.name: m for m in models}
    final: dict[str, TypeRef] = {}
    warnings: list[Diagnostic] = []
    for m in models:
        if not isinstance(m, AliasModel) or m.name in final:
            continue
        path = [m.name]
        target = m.target
        while isinstance(target, Named) and isinstance(by_name.get(target.name), AliasModel):
            if target.name in final:
                target = final[target.name]
                break
            if target.name in path:
                cycle = " -> ".join(path[path.index(target.name):] + [target.name])
                warnings.append(Diagnostic(
                    Severity.WARNING, Location(pointer=pointers.get(m.name, m.name)),
                    f"schemas are only references to each other in a cycle ({cycle})",
                    "typed as Any"))
                target = Prim("any")
                break
            path.append(target.name)
            target = by_name[target.name].target  # type: ignore[union-attr]
        for name in path:
            final[name] = target
    out: list[Model] = []
    for m in models:
        if isinstance(m, AliasModel):
            out.append(replace(m, target=final[m.name]))
        elif isinstance(m, UnionModel):
            out.append(_union_without_itself(m, final))
        else:
            out.append(m)
    return out, warnings


def _union_without_itself(m: UnionModel, aliases: dict[str, TypeRef]) -> Model:
    """A union listing itself (directly or through an alias) adds nothing by it; type checkers
    reject such a union, so that option goes."""
    options: list[TypeRef] = []
    for option in m.options:
        resolved = aliases.get(option.name, option) if isinstance(option, Named) else option
        if resolved != Named(m.name) and option != Named(m.name):
            options.append(option)
    if len(options) == len(m.options):
        return m
    if not options:
        return AliasModel(m.name, m.description, Prim("any"))
    return replace(m, options=tuple(options))


def enum_member_names(members: tuple[tuple[str, str | int | float], ...]
                      ) -> tuple[tuple[str, str | int | float], ...]:
    """Members as identifiers Enum accepts: ASCII, not `_sunder_`, not Enum's own names, unique."""
    taken: set[str] = set()
    out: list[tuple[str, str | int | float]] = []
    for name, value in members:
        safe = name if name.isascii() else (snake(str(value)).upper() or name)
        safe = identifier(safe, ENUM_MEMBER_RESERVED)
        if safe.startswith("_"):
            safe = "V" + safe
        out.append((unique(safe, taken), value))
    return tuple(out)


def field_names(fields: tuple[Field, ...], reserved: frozenset[str]) -> tuple[Field, ...]:
    """Field attribute names that are identifiers, unique, and shadow nothing the class uses."""
    taken: set[str] = set()
    out: list[Field] = []
    for f in fields:
        base = f.py_name if f.py_name.isascii() else snake(f.json_name)
        name = unique(identifier(base, reserved), taken)
        out.append(f if name == f.py_name else replace(f, py_name=name))
    return tuple(out)


def tidy_models(models: list[Model], pointers: dict[str, str]
                ) -> tuple[list[Model], list[Diagnostic]]:
    """Every fix of this module; `pointers` gives each model's JSON pointer for warnings."""
    models, warnings = collapse_aliases(models, pointers)
    model_names = frozenset(m.name for m in models)
    out: list[Model] = []
    for m in models:
        if isinstance(m, EnumModel):
            m = replace(m, members=enum_member_names(m.members))
        elif isinstance(m, ObjectModel):
            m = replace(m, fields=field_names(m.fields, FIELD_RESERVED | model_names))
        out.append(m)
    return out, warnings
