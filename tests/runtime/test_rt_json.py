"""The client's JSON parser gives exactly what `json.loads` gives, over HTTP and in streams.

msgspec parses; the stdlib takes over where msgspec is stricter. These tests pin the cases where
the two parsers disagree (big integers, NaN, Infinity, out-of-range floats, lone surrogates,
UTF-16 bodies) to the stdlib's answer, end to end on loopback and as a property over any JSON.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.runtime.helpers import Driver
from tests.support.fault_server import body_reply, sse_event, sse_reply

# Documents on which msgspec alone would fail or differ; json.loads accepts each of them.
AWKWARD = {
    "integer beyond 64 bits": b'{"id": 123456789012345678901234567890, "n": -18446744073709551617}',
    "NaN and Infinity": b'{"score": NaN, "hi": Infinity, "lo": -Infinity}',
    "float beyond double": b'{"x": 1e400}',
    "lone surrogate escape": b'{"text": "a\\ud800b"}',
    "UTF-16 body with BOM": '{"name": "caf\u00e9"}'.encode("utf-16"),
}


def same(a: Any, b: Any) -> bool:
    """Equal values of the same JSON classes (NaN equals NaN; -0.0 differs from 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


@pytest.mark.parametrize("case", sorted(AWKWARD))
def test_awkward_bodies_read_as_json_loads_reads_them(api: Driver, case: str):
    body = AWKWARD[case]
    api.server.script(body_reply(body))
    assert same(api.call(api.options()), json.loads(body))


def test_big_integers_and_nan_in_a_stream_event(api: Driver):
    events = ['{"id": 123456789012345678901234567890, "v": NaN}', '{"id": 1}']
    api.server.script(sse_reply([sse_event(e) for e in events] + [sse_event("[DONE]")]))
    outcome = api.stream(api.options("POST", "/chat/completions", json_body={"stream": True}))
    assert outcome.error is None
    assert len(outcome.chunks) == 2
    assert outcome.chunks[0]["id"] == 123456789012345678901234567890
    assert math.isnan(outcome.chunks[0]["v"])
    assert outcome.chunks[1] == {"id": 1}


def test_invalid_json_still_raises_json_decode_error(rt: SimpleNamespace):
    for bad in (b'{"a": }', b"", b"[1, 2", "{'a': 1}"):
        with pytest.raises(json.JSONDecodeError):
            rt.json.loads(bad)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES, ensure_ascii=st.booleans(), as_bytes=st.booleans())
def test_any_document_parses_as_json_loads_parses_it(
    rt: SimpleNamespace, value: Any, ensure_ascii: bool, as_bytes: bool
):
    text = json.dumps(value, ensure_ascii=ensure_ascii)
    document: str | bytes = text.encode("utf-8", "surrogatepass") if as_bytes else text
    try:
        expected = json.loads(document)
    except ValueError:
        # Lone surrogates written raw (ensure_ascii=False) are not UTF-8: the stdlib refuses them
        # too, and so must we.
        with pytest.raises(ValueError):
            rt.json.loads(document)
        return
    assert same(rt.json.loads(document), expected)


def test_msgspec_is_imported_on_the_first_parse_not_with_the_package(tmp_path: Path):
    generated = Path(__file__).resolve().parents[2] / "generated"
    script = (
        "import sys, openrouter_client\n"
        "assert 'msgspec' not in sys.modules, 'imported with the package'\n"
        "from openrouter_client._json import loads\n"
        "assert loads(b'[1]') == [1]\n"
        "assert 'msgspec' in sys.modules, 'not used for parsing'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, env={"PYTHONPATH": str(generated)}, check=False)
    assert done.returncode == 0, done.stderr
