"""Random JSON objects for a generated model, and the check that its `to_json` gave back exactly
what was sent; shared by the looseness property on the committed package and the hostile-document
property.

"Exactly": the same keys at every level (a key sent as null comes back null, an absent one stays
absent, nothing is added), each value of the same JSON class (`true` is not `1`, `1` is not
`1.0`); `same_json` checks that. Key order is not compared (known fields come first, then the
unknown keys).
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import sys
from types import ModuleType
from typing import Any

from hypothesis import strategies as st

SCALARS = st.one_of(st.text(max_size=6), st.none(), st.booleans(), st.integers(),
                    st.floats(allow_nan=False, allow_infinity=False))


def model_classes(models: ModuleType) -> list[type[Any]]:
    """The generated dataclasses of a `models` package (every public name, each loaded), by
    name."""
    found = (getattr(models, name) for name in models.__all__)
    return sorted((c for c in found if isinstance(c, type) and dataclasses.is_dataclass(c)
                   and c.__module__.startswith(models.__name__ + ".")),
                  key=lambda c: c.__name__)


def member_values(model: type[Any]) -> list[Any]:
    """The JSON values of the members of every enum, and of every `Literal`, that `model`'s field
    annotations name (inside lists, maps, unions and type aliases too): values a random draw
    would rarely hit, and the ones decoding converts or picks a branch by."""
    # A name is looked up where the class is, else in the `models` package (an alias's text
    # names classes its own module imports, not the class's).
    module = sys.modules[model.__module__]
    package = sys.modules[model.__module__.rpartition(".")[0]]
    # The annotations are text (`from __future__ import annotations`), and some aliases are quoted
    # forward references that typing.get_type_hints cannot evaluate: read them as syntax.
    pending = [str(hint) for hint in model.__annotations__.values()]
    seen: set[str] = set()
    found: set[tuple[type[Any], Any]] = set()
    while pending:
        for node in ast.walk(ast.parse(pending.pop(), mode="eval")):
            if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
                    and node.value.id == "Literal"):
                items = ast.literal_eval(node.slice)
                found.update((type(item), item) for item in
                             (items if isinstance(items, tuple) else (items,)) if item is not None)
            elif isinstance(node, ast.Name) and node.id not in seen:
                seen.add(node.id)
                target = getattr(module, node.id, None) or getattr(package, node.id, None)
                if isinstance(target, type) and issubclass(target, enum.Enum):
                    found.update((type(m.value), m.value) for m in target)
                elif isinstance(target, str):  # a type alias written as a string
                    pending.append(target)
    return [value for _, value in sorted(found, key=repr)]


def json_values(known: list[Any]) -> st.SearchStrategy[Any]:
    """Any JSON value; half the time, when `known` (enum members, literals) is given, one of those
    or a list of them."""
    scalars = st.one_of(SCALARS, st.sampled_from(known)) if known else SCALARS
    nested = st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
        max_leaves=8)
    # Scalars get a branch of their own: most fields hold scalars, and a value drawn from
    # `nested` alone is mostly a container.
    anything = st.one_of(SCALARS, nested)
    if not known:
        return anything
    members = st.sampled_from(known + look_alikes(known))
    return st.one_of(st.one_of(members, st.lists(members, min_size=1, max_size=3)), anything)


def look_alikes(values: list[Any]) -> list[Any]:
    """Values of another JSON class that Python's `==` equates with one of `values` (`1`, `1.0`
    and `true`): no member of an enum of the other class, which a dict lookup would make one."""
    found: list[Any] = []
    for value in values:
        if isinstance(value, (bool, int, float)) and value == int(value):
            found.extend(v for v in (int(value), float(value), *([bool(value)] if value in (0, 1)
                                                                 else []))
                         if type(v) is not type(value))
    return found


def json_objects(model: type[Any], values: st.SearchStrategy[Any]
                 ) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with any of `model`'s own keys (each with a value from `values`) and a few unknown
    keys."""
    known = st.fixed_dictionaries({}, optional={key: values for key in sorted(model._json_keys)})
    unknown = st.dictionaries(st.text(max_size=6), values, max_size=2)
    return st.builds(lambda k, u: {**u, **k}, known, unknown)


def same_json(out: Any, sent: Any) -> bool:
    """Whether the JSON value `out` is exactly `sent` (see the module docstring)."""
    if isinstance(sent, dict):
        return (isinstance(out, dict) and out.keys() == sent.keys()
                and all(same_json(out[key], value) for key, value in sent.items()))
    if isinstance(sent, list):
        return (isinstance(out, list) and len(out) == len(sent)
                and all(same_json(o, s) for o, s in zip(out, sent, strict=True)))
    return type(out) is type(sent) and bool(out == sent)
