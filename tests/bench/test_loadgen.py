"""The load generator's measurement, against a fake CometBFT RPC (no node needed)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.types.time import SECOND, Timestamp, format_rfc3339
from bench.loadgen import LoadError, collect_committed

T0 = 1_767_225_600 * SECOND


class FakeChain:
    """Blocks as (num_txs, header time ns, failed codes); a mempool count; answers JSON-RPC."""

    def __init__(self, blocks: list[tuple[int, int, int]], mempool: int = 0) -> None:
        self.blocks = blocks  # index 0 is height 1
        self.mempool = mempool

    def handle(self, request: httpx.Request) -> httpx.Response:
        call = json.loads(request.content)
        params: dict[str, Any] = call["params"]
        result: dict[str, Any]
        if call["method"] == "status":
            result = {"sync_info": {"latest_block_height": str(len(self.blocks))}}
        elif call["method"] == "num_unconfirmed_txs":
            result = {"total": str(self.mempool)}
        elif call["method"] == "blockchain":
            low, high = int(params["minHeight"]), int(params["maxHeight"])
            assert 1 <= low <= high <= len(self.blocks) and high - low < 20
            result = {"block_metas": [self._meta(h) for h in range(high, low - 1, -1)]}
        elif call["method"] == "block_results":
            txs, _, failed = self.blocks[int(params["height"]) - 1]
            # A successful ExecTxResult has no "code" key (omitempty).
            results = [{"code": 5} for _ in range(failed)] + [{} for _ in range(txs - failed)]
            result = {"txs_results": results or None}
        else:
            return httpx.Response(200, json={"error": {"message": "unknown method"}})
        return httpx.Response(200, json={"jsonrpc": "2.0", "id": call["id"], "result": result})

    def _meta(self, height: int) -> dict[str, Any]:
        txs, time_ns, _ = self.blocks[height - 1]
        header = {"height": str(height), "time": format_rfc3339(Timestamp(time_ns))}
        return {"header": header, "num_txs": str(txs)}


def client_for(chain: FakeChain) -> httpx.Client:
    return httpx.Client(base_url="http://fake", transport=httpx.MockTransport(chain.handle))


def test_throughput_spans_from_the_block_before_the_first_to_the_last() -> None:
    # Heights 1..6; the load started at height 2; txs land in 3, 4 and 5.
    blocks = [(0, T0, 0), (0, T0 + SECOND, 0), (100, T0 + 2 * SECOND, 0)]
    blocks += [(250, T0 + 3 * SECOND, 10), (50, T0 + 4 * SECOND, 0), (0, T0 + 5 * SECOND, 0)]
    with client_for(FakeChain(blocks)) as client:
        committed = collect_committed(client, after_height=2, expected=400, timeout=5)
    assert (committed.first_height, committed.last_height) == (3, 5)
    assert committed.blocks_with_txs == 3
    assert (committed.succeeded, committed.failed, committed.committed) == (390, 10, 400)
    assert committed.seconds == pytest.approx(3.0)  # time(5) - time(2)
    assert committed.tx_per_second == pytest.approx(130.0)


def test_txs_at_or_below_the_start_height_are_not_counted() -> None:
    blocks = [(7, T0, 0), (3, T0 + SECOND // 2, 0), (5, T0 + SECOND, 0)]
    with client_for(FakeChain(blocks)) as client:
        committed = collect_committed(client, after_height=2, expected=5, timeout=5)
    assert committed.committed == 5
    assert committed.seconds == pytest.approx(0.5)


def test_an_empty_mempool_ends_the_scan_with_what_committed() -> None:
    blocks = [(0, T0, 0), (4, T0 + SECOND, 0)]
    with client_for(FakeChain(blocks, mempool=0)) as client:
        committed = collect_committed(client, after_height=1, expected=10, timeout=5)
    assert committed.committed == 4


def test_nothing_committed_gives_zero_throughput() -> None:
    with client_for(FakeChain([(0, T0, 0), (0, T0 + SECOND, 0)])) as client:
        committed = collect_committed(client, after_height=1, expected=0, timeout=5)
    assert committed.committed == 0
    assert committed.tx_per_second == 0.0


def test_txs_stuck_in_the_mempool_time_out() -> None:
    with (
        client_for(FakeChain([(0, T0, 0), (1, T0 + SECOND, 0)], mempool=3)) as client,
        pytest.raises(LoadError, match="only 1 of 4"),
    ):
        collect_committed(client, after_height=1, expected=4, timeout=0.3)


def test_height_zero_is_refused() -> None:
    with client_for(FakeChain([(0, T0, 0)])) as client, pytest.raises(LoadError):
        collect_committed(client, after_height=0, expected=1, timeout=1)


def test_txs_of_the_start_block_do_not_satisfy_the_wait() -> None:
    blocks = [(0, T0, 0), (5, T0 + SECOND, 0)]
    with (
        client_for(FakeChain(blocks, mempool=3)) as client,
        pytest.raises(LoadError, match="only 0 of 3"),
    ):
        collect_committed(client, after_height=2, expected=3, timeout=0.3)
