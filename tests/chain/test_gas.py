from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def charge_apart(limit: int | None, start: int, first: int, second: int) -> tuple[int, str]:
    meter = GasMeter(limit)
    meter.consumed = start
    try:
        meter.consume(first, "First")
        meter.consume(second, "Second")
    except ChainError as exc:
        return meter.consumed, exc.message
    return meter.consumed, ""


def charge_paired(limit: int | None, start: int, first: int, second: int) -> tuple[int, str]:
    meter = GasMeter(limit)
    meter.consumed = start
    try:
        meter.consume_pair(first, "First", second, "Second")
    except ChainError as exc:
        return meter.consumed, exc.message
    return meter.consumed, ""


@given(
    limit=st.none() | st.integers(0, 5000),
    start=st.integers(0, 5000),
    first=st.integers(0, 3000),
    second=st.integers(0, 3000),
)
def test_paired_charge_is_exactly_two_charges(
    limit: int | None, start: int, first: int, second: int
) -> None:
    assert charge_paired(limit, start, first, second) == charge_apart(limit, start, first, second)


@pytest.mark.parametrize(
    ("limit", "location", "used"),
    [(999, "ReadFlat", 1000), (1005, "ReadPerByte", 1000 + 3 * 4)],
)
def test_out_of_gas_on_read_names_the_sdk_location(limit: int, location: str, used: int) -> None:
    raw, store, meter = store_and_meter(limit=limit)
    raw.set(b"ab", b"cd")
    with pytest.raises(ChainError) as info:
        store.get(b"ab")
    assert f"out of gas in location: {location}; gasWanted: {limit}, gasUsed: {used}" in (
        info.value.message
    )
    assert meter.consumed == used


def test_out_of_gas_on_write_leaves_the_store_unchanged() -> None:
    raw, store, meter = store_and_meter(limit=2050)
    with pytest.raises(ChainError) as info:
        store.set(b"k", b"v")
    assert "location: WritePerByte" in info.value.message
    assert meter.consumed == 2000 + 30 * 2
    assert raw.get(b"k") is None
