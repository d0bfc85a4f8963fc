"""Property-based, over every model of the committed package: any JSON object (known keys with
values of any shape, unknown keys, nulls, nesting) decodes without an exception, and `to_json`
gives back everything that was sent.

"Everything": each key sent with a value comes back with the same JSON value, nested objects
included. `to_json` may add to it (a required field that was absent comes back null, a constant
field its constant) and may leave out a key that was sent as null; the test allows both and
nothing else.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import openrouter_client.models as models_module
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MODELS: list[type[Any]] = sorted(
    (c for c in vars(models_module).values()
     if isinstance(c, type) and dataclasses.is_dataclass(c)
     and c.__module__ == models_module.__name__),
    key=lambda c: c.__name__)

SCALARS = st.one_of(st.text(max_size=6), st.none(), st.booleans(), st.integers(),
                    st.floats(allow_nan=False, allow_infinity=False))
NESTED = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8)
# Strings get a branch of their own: most fields (every enum among them) hold strings, and a value
# drawn from NESTED alone is mostly a container.
VALUES = st.one_of(st.text(max_size=6), SCALARS, NESTED)


def _objects(model: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    # Any of the model's own keys (each with a value of any shape) plus a few unknown keys.
    known = st.fixed_dictionaries({}, optional={key: VALUES for key in sorted(model._json_keys)})
    unknown = st.dictionaries(st.text(max_size=6), VALUES, max_size=2)
    return st.builds(lambda k, u: {**u, **k}, known, unknown)


def covers(out: Any, sent: Any) -> bool:
    """Whether the JSON value `out` holds everything in `sent` (see the module docstring)."""
    if isinstance(sent, dict):
        return isinstance(out, dict) and all(
            (value is None and key not in out) or (key in out and covers(out[key], value))
            for key, value in sent.items())
    if isinstance(sent, list):
        return (isinstance(out, list) and len(out) == len(sent)
                and all(covers(o, s) for o, s in zip(out, sent, strict=True)))
    return type(out) is type(sent) and bool(out == sent)


def test_the_property_sees_every_model() -> None:
    assert len(MODELS) > 100 and all(hasattr(m, "from_json") for m in MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_object_decodes_and_re_encodes_everything_sent(model: type[Any], data: st.DataObject
                                                           ) -> None:
    sent = data.draw(_objects(model), label="sent")
    decoded = model.from_json(sent)
    assert type(decoded) is model
    # Through real JSON text: enum members must encode as their values, nothing may stay a model.
    out = json.loads(json.dumps(decoded.to_json()))
    assert covers(out, sent), out


def test_covers_is_not_vacuous() -> None:
    assert covers({"a": 1, "b": None, "c": None}, {"a": 1, "b": None})
    assert not covers({"a": 1}, {"a": 1, "x": 2})  # an unknown key lost
    assert not covers({"a": {"b": 1}}, {"a": {"b": 1, "c": [2]}})  # lost deeper down
    assert not covers({"a": 1.0}, {"a": 1})  # an integer turned float
    assert not covers({"a": [1]}, {"a": [1, 2]})
    assert not covers({"a": "x"}, {"a": None})  # a null replaced by something else
