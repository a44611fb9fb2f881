"""The key table (TYP-3 round trips, byte examples) and typed access over an in-memory store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.modules.alliance import state
from app.modules.alliance.types import (
    AllianceValidatorInfo,
    Delegation,
    Params,
    QueuedRedelegation,
    QueuedUndelegation,
    Redelegation,
    RewardWeightChangeSnapshot,
    Undelegation,
)
from app.store import MemoryDatabase, MultiStore
from app.types import GO_ZERO_TIME, AccAddress, Coin, Dec, Int, Timestamp, ValAddress
from app.types.time import SECOND
from tests.modules.alliance.fixtures import DAY, T0, dec, make_asset, make_info

DEL = AccAddress(bytes(range(1, 21)))
VAL = ValAddress(bytes(range(101, 121)))
DST = ValAddress(bytes(range(201, 221)))
WHEN = Timestamp(T0 + 123_456_789)


def kv():
    return MultiStore(MemoryDatabase(), [state.STORE_NAME]).block_view().store(state.STORE_NAME)


def test_byte_examples() -> None:
    assert state.asset_key("alliance") == bytes.fromhex("1108") + b"alliance"
    assert state.delegation_key(DEL, VAL, "alliance") == (
        b"\x21" + b"\x14" + DEL + b"\x14" + VAL + b"\x09alliance\x00"
    )
    assert state.validator_info_key(VAL) == b"\x12\x14" + VAL


@pytest.mark.parametrize(
    ("time", "text"),
    [
        (GO_ZERO_TIME, b"0001-01-01T00:00:00.000000000"),
        (Timestamp(GO_ZERO_TIME + 21 * DAY), b"0001-01-22T00:00:00.000000000"),
        (Timestamp(1_700_000_000 * SECOND + 5), b"2023-11-14T22:13:20.000000005"),
    ],
)
def test_sortable_time(time: Timestamp, text: bytes) -> None:
    assert state.format_time_key(time) == text
    assert state.parse_time_key(text) == time


def test_typ3_round_trips() -> None:
    assert state.parse_redelegation_key(state.redelegation_key(DEL, "alliance", DST, WHEN)) == (
        DEL,
        "alliance",
        DST,
        WHEN,
    )
    assert state.parse_redelegation_queue_key(state.redelegation_queue_key(WHEN)) == WHEN
    index = state.parse_redelegation_index_key(
        state.redelegation_index_key(VAL, WHEN, "alliance", DST, DEL)
    )
    assert (index.source, index.completion, index.denom, index.destination, index.delegator) == (
        VAL,
        WHEN,
        "alliance",
        DST,
        DEL,
    )
    assert index.record_key == state.redelegation_key(DEL, "alliance", DST, WHEN)
    unbonding = state.parse_undelegation_index_key(
        state.undelegation_index_key(VAL, WHEN, "ibc/X", DEL)
    )
    assert (unbonding.operator, unbonding.completion, unbonding.denom, unbonding.delegator) == (
        VAL,
        WHEN,
        "ibc/X",
        DEL,
    )
    assert unbonding.queue_key == state.undelegation_queue_key(WHEN, DEL)
    assert state.parse_undelegation_queue_key(state.undelegation_queue_key(WHEN, DEL)) == (
        WHEN,
        DEL,
    )
    assert state.parse_snapshot_key(state.snapshot_key("alliance", VAL, 100)) == (
        "alliance",
        VAL,
        100,
    )
    assert state.parse_validator_info_key(state.validator_info_key(VAL)) == VAL
    assert state.parse_delegation_key(state.delegation_key(DEL, VAL, "a/b")) == (DEL, VAL, "a/b")


def test_malformed_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        state.parse_delegation_key(state.delegation_key(DEL, VAL, "alliance") + b"x")
    with pytest.raises(ValueError):
        state.parse_validator_info_key(state.asset_key("alliance"))
    with pytest.raises(ValueError):
        state.parse_time_key(b"2023")


def test_records_and_iteration_order() -> None:
    store = kv()
    assert state.get_params(store) == Params(0, 0, GO_ZERO_TIME)  # type: ignore[arg-type]
    state.set_params(store, Params.default())
    assert state.get_params(store) == Params.default()
    for denom in ("bbbb", "zzz", "aaaa"):
        state.set_asset(store, make_asset(denom, "1"))
    assert [a.denom for a in state.iterate_assets(store)] == ["zzz", "aaaa", "bbbb"]
    state.delete_asset(store, "zzz")
    assert state.get_asset(store, "zzz") is None
    info = make_info({"aaaa": "3"})
    state.set_validator_info(store, VAL, info)
    state.set_validator_info(store, DST, AllianceValidatorInfo.empty())
    assert list(state.iterate_validator_infos(store)) == [
        (VAL, info),
        (DST, AllianceValidatorInfo.empty()),
    ]
    state.delete_validator_info(store, DST)
    assert state.get_validator_info(store, DST) is None
    delegation = Delegation("d", "v", "aaaa", dec("3"), (), 1)
    state.set_delegation(store, DEL, VAL, delegation)
    assert state.get_delegation(store, DEL, VAL, "aaaa") == delegation
    assert list(state.iterate_delegations(store, DEL)) == [delegation]
    state.delete_delegation(store, DEL, VAL, "aaaa")
    assert list(state.iterate_delegations(store)) == []


def test_rebalance_flag_reb5() -> None:
    store = kv()
    state.set_rebalance_flag(store)
    assert store.get(b"\x13") == b"\x00"
    assert state.consume_rebalance_flag(store)
    assert store.get(b"\x13") is None
    assert not state.consume_rebalance_flag(store)


def test_snapshots_from_a_height_ascending() -> None:
    store = kv()
    for height in (300, 5, 100):
        state.set_snapshot(
            store, "aaaa", VAL, height, RewardWeightChangeSnapshot(Dec.from_int(Int(height)), ())
        )
    state.set_snapshot(store, "aaaa", DST, 7, RewardWeightChangeSnapshot(Dec.one(), ()))
    assert [h for h, _ in state.iterate_snapshots(store, "aaaa", VAL, 6)] == [100, 300]
    assert state.get_snapshot(store, "aaaa", VAL, 5) == RewardWeightChangeSnapshot(
        Dec.from_int(Int(5)), ()
    )


def test_queues() -> None:
    store = kv()
    bucket = QueuedUndelegation((Undelegation("d", "v", Coin("aaaa", Int(1))),))
    state.set_undelegation_bucket(store, WHEN, DEL, bucket)
    assert state.get_undelegation_bucket(store, WHEN, DEL) == bucket
    queue = QueuedRedelegation((Redelegation("d", "s", "t", Coin("aaaa", Int(2))),))
    state.set_redelegation_queue(store, WHEN, queue)
    assert state.get_redelegation_queue(store, WHEN) == queue
    assert state.get_redelegation_queue(store, T0) is None


def test_a_read_sees_the_last_write_though_decoding_is_remembered() -> None:
    """The decode memo is keyed by the stored bytes: rewriting a record is read back at once,
    and equal bytes (here under another key) decode to an equal record."""
    store = kv()
    first = make_info({"aaa": "10"})
    second = make_info({"aaa": "11"})
    state.set_validator_info(store, VAL, first)
    assert state.get_validator_info(store, VAL) == first
    state.set_validator_info(store, VAL, second)
    assert state.get_validator_info(store, VAL) == second
    state.set_validator_info(store, DST, second)
    assert state.get_validator_info(store, DST) == second
    state.delete_validator_info(store, VAL)
    assert state.get_validator_info(store, VAL) is None
    asset = make_asset("aaa", "0.5")
    state.set_asset(store, asset)
    state.set_asset(store, replace(asset, total_tokens=Int(7)))
    assert state.get_asset(store, "aaa") == replace(asset, total_tokens=Int(7))
