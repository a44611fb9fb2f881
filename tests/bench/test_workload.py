"""The benchmark workload helpers: tx ordering for the load generator, kvstore tx shapes and the
alliance delegate workload."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.modules.alliance.genesis import default_genesis, parse_genesis
from app.pb.alliance.alliance import tx_pb2 as alliance_tx_pb2
from app.pb.cosmos.tx.v1beta1 import tx_pb2
from app.types import Timestamp
from bench.workload import (
    ALLIANCE_DENOM,
    fund_senders,
    interleave,
    kvstore_txs,
    list_bench_asset,
    make_senders,
    mean_size,
    sign_delegate_runs,
)

OPERATOR = "persistencevaloper1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjqxsny"


def test_interleave_is_round_robin() -> None:
    runs = [[b"a0", b"a1"], [b"b0", b"b1"], [b"c0"]]
    assert interleave(runs) == [b"a0", b"b0", b"c0", b"a1", b"b1"]


@given(
    senders_per_connection=st.integers(1, 4),
    connections=st.integers(1, 4),
    per_sender=st.integers(1, 5),
    keep=st.integers(0, 80),
)
def test_each_run_stays_on_one_connection_in_order(
    senders_per_connection: int, connections: int, per_sender: int, keep: int
) -> None:
    """What throughput relies on: dealing position i to connection i mod C keeps every sender's
    sequence run on one connection, in order, also for a prefix of the list."""
    senders = senders_per_connection * connections
    runs = [[bytes([s, q]) for q in range(per_sender)] for s in range(senders)]
    txs = interleave(runs)[:keep]
    for k in range(connections):
        stream = txs[k::connections]
        for sender in range(senders):
            sequences = [tx[1] for tx in stream if tx[0] == sender]
            assert sequences == list(range(len(sequences)))
            if sequences:
                assert sender % connections == k


def test_kvstore_txs_are_distinct_key_value_pairs_of_the_size() -> None:
    txs = kvstore_txs(50, 200)
    assert len(set(txs)) == 50
    for tx in txs:
        assert len(tx) == 200
        key, value = tx.split(b"=")
        assert key and value


def test_kvstore_txs_refuse_a_size_without_room_for_a_value() -> None:
    with pytest.raises(ValueError, match="at least"):
        kvstore_txs(1, 16)


def test_mean_size_rounds_to_nearest() -> None:
    assert mean_size([b"ab", b"abc"]) == 3  # 2.5 rounds up
    assert mean_size([b"a", b"a", b"abcd"]) == 2


def test_bench_asset_is_a_valid_started_alliance_genesis() -> None:
    genesis: dict[str, object] = {"app_state": {"alliance": default_genesis()}}
    list_bench_asset(genesis)
    parsed = parse_genesis(genesis["app_state"]["alliance"])  # type: ignore[index]
    (asset,) = parsed.assets
    assert asset.denom == ALLIANCE_DENOM
    assert asset.has_rewards_started(Timestamp(1))


def test_alliance_senders_hold_the_bench_asset() -> None:
    genesis: dict[str, object] = {"app_state": {}}
    fund_senders(genesis, make_senders(2), alliance=True)
    balances = genesis["app_state"]["bank"]["balances"]  # type: ignore[index]
    assert all(ALLIANCE_DENOM in {coin["denom"] for coin in entry["coins"]} for entry in balances)


def test_delegate_runs_are_sequenced_alliance_delegates_of_their_sender() -> None:
    senders = make_senders(3)
    runs = sign_delegate_runs(senders, [5, 6, 7], 2, OPERATOR)
    for sender, run in zip(senders, runs, strict=True):
        for sequence, raw in enumerate(run):
            tx = tx_pb2.TxRaw.FromString(raw)
            body = tx_pb2.TxBody.FromString(tx.body_bytes)
            auth = tx_pb2.AuthInfo.FromString(tx.auth_info_bytes)
            assert auth.signer_infos[0].sequence == sequence
            message = alliance_tx_pb2.MsgDelegate.FromString(body.messages[0].value)
            assert message.delegator_address == sender.bech32
            assert message.validator_address == OPERATOR
            assert (message.amount.denom, message.amount.amount) == (ALLIANCE_DENOM, "1")
