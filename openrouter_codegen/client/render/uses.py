"""Where each model is used, as a sentence: the docstring of a model the spec does not describe.

A class whose docstring only repeats its name tells a reader nothing; where the schema is used
("The `usage` of a `ChatResponse`.", "The answer of `client.models.list()`.") tells what it is.
"""

from __future__ import annotations

from collections.abc import Iterator

from openrouter_codegen.client.model.ir import (
    AliasModel,
    Group,
    ListOf,
    MapOf,
    Model,
    Named,
    Nullable,
    ObjectModel,
    TypeRef,
    UnionModel,
    UnionOf,
)


def model_uses(models: tuple[Model, ...], groups: tuple[Group, ...]) -> dict[str, str]:
    """For each model used somewhere, one sentence naming its first use: an operation's answer,
    body, stream event or parameter first (in the groups' order), then a field, an item or a
    form of another model (in the models' order)."""
    uses: dict[str, str] = {}
    for group in groups:
        for op in group.operations:
            call = f"`client.{group.attr}.{op.method_name}()`"
            sites: list[tuple[TypeRef | None, str]] = [(op.response, f"the answer of {call}")]
            if op.body is not None:
                sites.append((op.body.type, f"the request body of {call}"))
                sites += [(f.type, f"the `{f.json_name}` argument of {call}")
                          for f in op.body.fields]
            if op.stream is not None:
                sites.append((op.stream.chunk, f"an event of the stream of {call}"))
            sites += [(p.type, f"the `{p.name}` parameter of {call}") for p in op.params]
            for t, site in sites:
                if t is not None:
                    _record(uses, t, site)
    for m in models:
        for t, site in _model_sites(m):
            _record(uses, t, site)
    return uses


def _model_sites(m: Model) -> Iterator[tuple[TypeRef, str]]:
    if isinstance(m, ObjectModel):
        for f in m.fields:
            yield f.type, f"the `{f.json_name}` of {_a(m.name)} `{m.name}`"
        if m.additional is not None:
            yield m.additional, f"a value of the extra keys of {_a(m.name)} `{m.name}`"
    elif isinstance(m, UnionModel):
        if m.discriminator is not None:  # tagged: each branch is the union with one tag value
            tag = m.discriminator.property
            for value, name in m.discriminator.mapping:
                yield Named(name), f"the form of `{m.name}` whose `{tag}` is `{value}`"
        for option in m.options:
            yield option, f"one form of `{m.name}`"
    elif isinstance(m, AliasModel):
        yield m.target, f"what `{m.name}` holds"


def _record(uses: dict[str, str], t: TypeRef, site: str) -> None:
    """Note `site` for every model `t` names that has no use yet; a list item or map value says
    so ("An item of ...")."""
    for name, how in _named(t, ""):
        if name not in uses:
            uses[name] = _capitalized(f"{how}{site}.")


def _named(t: TypeRef, how: str) -> Iterator[tuple[str, str]]:
    """The model names inside `t`, each with the words saying how it sits there."""
    if isinstance(t, Named):
        yield t.name, how
    elif isinstance(t, Nullable):
        yield from _named(t.inner, how)
    elif isinstance(t, ListOf):
        yield from _named(t.item, how or "an item of ")
    elif isinstance(t, MapOf):
        yield from _named(t.value, how or "a value of ")
    elif isinstance(t, UnionOf):
        for option in t.options:
            yield from _named(option, how or "one form of ")


def _a(name: str) -> str:
    """The article before a class name, by its first letter."""
    return "an" if name[:1].lower() in "aeio" else "a"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]
