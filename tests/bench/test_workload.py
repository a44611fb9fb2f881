"""The benchmark workload helpers: tx ordering for the load generator and kvstore tx shapes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.workload import interleave, kvstore_txs, mean_size


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
