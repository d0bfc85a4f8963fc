"""`collector_paused` pauses cyclic garbage collection for a block and restores it as it was."""

from __future__ import annotations

import gc

import pytest

from openrouter_codegen.common.collector import collector_paused


def test_the_collector_is_paused_inside_and_back_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("stage failed")
    assert gc.isenabled()


def test_a_caller_that_paused_the_collector_keeps_it_paused() -> None:
    gc.disable()
    try:
        with collector_paused():
            with collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
