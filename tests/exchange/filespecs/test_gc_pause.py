"""The collector pause around file operations nests and always restores the previous state."""

from __future__ import annotations

import gc

import pytest

from calaim.exchange.filespecs.gc_pause import gc_paused


def test_the_pause_nests_and_restores_automatic_collection() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "an inner exit does not resume while the outer block runs"
    assert gc.isenabled()


def test_an_error_inside_still_restores_collection() -> None:
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
