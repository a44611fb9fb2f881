from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.chain.gas import GasKVStore, GasMeter
from app.store import MemoryDatabase, MultiStore


def store_and_meter(limit: int | None = None):
    view = MultiStore(MemoryDatabase(), ["s"]).block_view()
    meter = GasMeter(limit)
    return view.store("s"), GasKVStore(view.store("s"), meter), meter


def test_costs_follow_kv_gas_config() -> None:
    raw, store, meter = store_and_meter()
    store.set(b"ab", b"xyz")
    assert meter.consumed == 2000 + 30 * 5
    assert store.get(b"ab") == b"xyz"
    assert meter.consumed == 2150 + 1000 + 3 * 5
    assert store.get(b"zz") is None
    assert meter.consumed == 3165 + 1000 + 3 * 2
    assert store.has(b"ab")
    store.delete(b"ab")
    assert meter.consumed == 4171 + 2000
    assert raw.get(b"ab") is None


def test_iteration_charges_per_entry_and_at_the_end() -> None:
    raw, store, meter = store_and_meter()
    raw.set(b"a1", b"v")
    raw.set(b"a2", b"vv")
    assert [k for k, _ in store.iterate_prefix(b"a")] == [b"a1", b"a2"]
    assert meter.consumed == (30 + 3 * 3) + (30 + 3 * 4) + 30


def test_out_of_gas_is_sdk_code_11_and_keeps_the_excess() -> None:
    _, store, meter = store_and_meter(limit=1500)
    with pytest.raises(ChainError) as info:
        store.set(b"k", b"v")
    assert (info.value.codespace, info.value.code) == ("sdk", 11)
    assert "gasWanted: 1500, gasUsed: 2000" in info.value.message
    assert meter.consumed == 2000
