"""Property-based, over every model of the committed package: any JSON object (known keys with
values of any shape, enum members among them, unknown keys, nulls, nesting) decodes without an
exception, and `to_json` gives back exactly what was sent: nulls kept, absent keys left absent,
nothing added (`tests/support/json_objects.py`).
"""

from __future__ import annotations

import functools
import importlib
import json
from typing import Any

import openrouter_client.models as models_module
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.json_objects import (
    json_objects,
    json_values,
    member_values,
    model_classes,
    same_json,
)
from tests.support.seed_package import seed_package

MODELS = model_classes(models_module)


@functools.cache
def _objects(model: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return json_objects(model, json_values(member_values(model)))


def test_the_property_sees_every_model() -> None:
    public = [getattr(models_module, name) for name in models_module.__all__]
    assert MODELS and all(hasattr(m, "from_json") for m in MODELS)
    assert MODELS == sorted((m for m in public if isinstance(m, type) and hasattr(m, "to_json")),
                            key=lambda m: m.__name__)


def test_the_property_sees_the_enum_members_of_the_fields() -> None:
    # On the package of the frozen seed pages, whose models these are (spec/docs/ may change).
    seed = importlib.import_module(f"{seed_package().__name__}.models")
    assert len(model_classes(seed)) > 100
    assert "OpenAI" in member_values(seed.PublicEndpoint)
    assert "stop" in member_values(seed.ChatResponseChoice)
    assert "user" in member_values(seed.UserMessage)
    assert member_values(seed.PublicPricing) == []


def _round_trip(model: type[Any]) -> None:
    """The property for one model, run by Hypothesis: drawn objects decode and re-encode exactly.

    A fresh ``@given`` test per model, not ``@given`` under ``pytest.mark.parametrize``:
    Hypothesis' pytest plugin wraps a parametrized test's settings in a new settings object
    whose parent is the previous one, on the one function object, at every parametrized call
    (hypothesis 6.170), so the chain grows by one per model and reading a setting through it
    overflows the stack after about 950 models (a RecursionError in hypothesis/_settings.py)."""

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(sent=_objects(model))
    def decodes_and_re_encodes(sent: dict[str, Any]) -> None:
        decoded = model.from_json(sent)
        assert type(decoded) is model
        # Through real JSON text: enum members must encode as their values, nothing may stay a
        # model.
        out = json.loads(json.dumps(decoded.to_json()))
        assert same_json(out, sent), out

    decodes_and_re_encodes()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_any_object_decodes_and_re_encodes_exactly_what_was_sent(model: type[Any]) -> None:
    _round_trip(model)


def test_same_json_is_not_vacuous() -> None:
    assert same_json({"b": None, "a": [1, {"c": None}]}, {"a": [1, {"c": None}], "b": None})
    assert not same_json({"a": 1}, {"a": 1, "x": 2})  # an unknown key lost
    assert not same_json({"a": 1, "b": None}, {"a": 1})  # a null added
    assert not same_json({"a": 1}, {"a": 1, "b": None})  # a null lost
    assert not same_json({"a": {"b": 1}}, {"a": {"b": 1, "c": None}})  # lost deeper down
    assert not same_json({"a": 1.0}, {"a": 1})  # an integer turned float
    assert not same_json({"a": 1}, {"a": True})  # a boolean turned integer
    assert not same_json({"a": [1]}, {"a": [1, 2]})
    assert not same_json({"a": "x"}, {"a": None})  # a null replaced by something else
