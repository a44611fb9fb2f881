"""One load generator for every benchmark run: submit pre-built txs, then measure what committed.

Submission: ``connections`` threads, each with its own keep-alive HTTP connection (the
standard library's `http.client`: it sent about 2.7x as many requests per second as httpx did
against kvstore on a 2-core machine, where the client shares the cores with the node), POST
``broadcast_tx_sync`` (or ``_async``) JSON-RPC calls to one node. Connection ``k`` sends
``txs[k], txs[k + C], txs[k + 2C], …`` in order and waits for each answer before the next, so
txs that must reach CheckTx in order (one sender's sequence run) belong in the same residue
class modulo ``C``. Submission stops at ``time_limit``; what was not sent by then is "unsent".

Measurement (from the chain, not from the client): the txs in blocks above the height seen
before submission, with header times::

    committed tx/s = successful txs committed ÷ (time(last block with txs) − time(block before
                     the first block with txs))

CometBFT's header time of block H is the median time of the precommits for H − 1, so the
denominator spans exactly one block interval per block with txs. Successful means
``ExecTxResult.code == 0``; txs committed with another code are counted as failed. The node is
assumed to receive no other load while it is measured.
"""

from __future__ import annotations

import base64
import http.client
import json
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from app.types.time import SECOND, parse_rfc3339

__all__ = [
    "BroadcastMethod",
    "CommittedBlocks",
    "LoadError",
    "LoadReport",
    "Submission",
    "collect_committed",
    "latest_height",
    "rpc_call",
    "run_load",
    "submit",
]

BroadcastMethod = Literal["broadcast_tx_sync", "broadcast_tx_async"]

ACCEPTED = "accepted"
"""Tally key of txs the node admitted (CheckTx code 0, or queued for async)."""

UNSENT = "unsent"
"""Tally key of txs not sent before the time limit."""

BLOCKCHAIN_PAGE = 20
"""`/blockchain` returns at most 20 block metas per call."""

REQUEST_TIMEOUT_SECONDS = 30.0
"""Per-request timeout: generous, a saturated node can take seconds to answer CheckTx."""

JSON_HEADERS = {"content-type": "application/json"}


class LoadError(RuntimeError):
    """The node did not answer as a CometBFT RPC server, or the txs did not settle in time."""


@dataclass(frozen=True, slots=True)
class Submission:
    """What the client saw while sending."""

    sent: int
    accepted: int
    unsent: int
    rejections: tuple[tuple[str, int], ...]
    """(reason, count), most frequent first: CheckTx codes and JSON-RPC/HTTP errors."""
    seconds: float

    @property
    def rejected(self) -> int:
        """Txs sent but refused (non-zero CheckTx code, RPC error, or transport error)."""
        return self.sent - self.accepted


@dataclass(frozen=True, slots=True)
class CommittedBlocks:
    """The blocks that carried the load, as the chain recorded them."""

    succeeded: int
    failed: int
    """Txs included with a non-zero ExecTxResult code."""
    first_height: int
    last_height: int
    blocks_with_txs: int
    seconds: float
    """Header time of the last block with txs minus that of the block before the first one."""

    @property
    def committed(self) -> int:
        return self.succeeded + self.failed

    @property
    def tx_per_second(self) -> float:
        """Successful txs committed per second of chain time (0 when nothing committed)."""
        return self.succeeded / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class LoadReport:
    """One run: what was submitted and what the chain committed."""

    submission: Submission
    committed: CommittedBlocks


def rpc_call(client: httpx.Client, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """One JSON-RPC call; its `result`, or LoadError carrying the node's `error`."""
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    reply = client.post("/", json=body).json()
    if "error" in reply:
        raise LoadError(f"{method}: {reply['error']}")
    result: dict[str, Any] = reply["result"]
    return result


def latest_height(client: httpx.Client) -> int:
    """The node's latest committed height (`/status`)."""
    return int(rpc_call(client, "status", {})["sync_info"]["latest_block_height"])


def run_load(
    rpc_url: str,
    txs: Sequence[bytes],
    *,
    connections: int,
    time_limit: float,
    settle_timeout: float = 120.0,
    method: BroadcastMethod = "broadcast_tx_sync",
) -> LoadReport:
    """Submit `txs` (see the module docstring for the order), then measure the committed blocks."""
    with httpx.Client(base_url=rpc_url, timeout=REQUEST_TIMEOUT_SECONDS) as client:
        start_height = latest_height(client)
        submission = submit(
            rpc_url, txs, connections=connections, time_limit=time_limit, method=method
        )
        committed = collect_committed(
            client,
            after_height=start_height,
            expected=submission.accepted,
            timeout=settle_timeout,
        )
    return LoadReport(submission, committed)


def submit(
    rpc_url: str,
    txs: Sequence[bytes],
    *,
    connections: int,
    time_limit: float,
    method: BroadcastMethod = "broadcast_tx_sync",
) -> Submission:
    """Send every tx once over `connections` parallel connections, stopping at `time_limit` s.

    Request bodies are encoded before the clock starts, so the client's own JSON and base64
    work does not count against the node.
    """
    if connections < 1:
        raise ValueError("at least one connection is needed")
    bodies = [_broadcast_body(index, method, tx) for index, tx in enumerate(txs)]
    streams = [bodies[k::connections] for k in range(connections)]
    start = time.monotonic()
    deadline = start + time_limit
    with ThreadPoolExecutor(max_workers=connections) as pool:
        tallies = list(pool.map(lambda stream: _send_stream(rpc_url, stream, deadline), streams))
    seconds = time.monotonic() - start
    total: Counter[str] = Counter()
    for tally in tallies:
        total.update(tally)
    accepted = total.pop(ACCEPTED, 0)
    unsent = total.pop(UNSENT, 0)
    return Submission(
        sent=len(txs) - unsent,
        accepted=accepted,
        unsent=unsent,
        rejections=tuple(total.most_common()),
        seconds=seconds,
    )


def collect_committed(
    client: httpx.Client, *, after_height: int, expected: int, timeout: float
) -> CommittedBlocks:
    """Scan the blocks above `after_height` until `expected` txs are in, or the mempool drains.

    `after_height` must be at least 1 (its header time is the start of the first interval).
    A drained mempool means every admitted tx was either committed or dropped on recheck, so
    the scan stops there even when fewer than `expected` txs were found.
    Raises LoadError when neither happens within `timeout` seconds.
    """
    if after_height < 1:
        raise LoadError("measure from height 1 or above: block 0 has no time")
    deadline = time.monotonic() + timeout
    tx_counts: dict[int, int] = {}
    times: dict[int, int] = {}
    scanned = after_height - 1  # the block at after_height gives the time before the first
    while True:
        mempool_empty = _mempool_size(client) == 0
        top = latest_height(client)
        if top > scanned:
            _read_metas(client, scanned + 1, top, tx_counts, times)
            scanned = top
        loaded = [height for height, count in tx_counts.items() if count and height > after_height]
        found = sum(tx_counts[height] for height in loaded)
        if found >= expected or mempool_empty:
            break
        if time.monotonic() > deadline:
            raise LoadError(f"only {found} of {expected} txs committed after {timeout:.0f} s")
        time.sleep(0.2)
    if not loaded:
        return CommittedBlocks(0, 0, 0, 0, 0, 0.0)
    failed = sum(_failed_in_block(client, height) for height in loaded)
    first, last = min(loaded), max(loaded)
    return CommittedBlocks(
        succeeded=found - failed,
        failed=failed,
        first_height=first,
        last_height=last,
        blocks_with_txs=len(loaded),
        seconds=(times[last] - times[first - 1]) / SECOND,
    )


def _broadcast_body(request_id: int, method: BroadcastMethod, tx: bytes) -> bytes:
    params = {"tx": base64.b64encode(tx).decode()}
    return json.dumps(
        {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
    ).encode()


def _send_stream(rpc_url: str, bodies: Sequence[bytes], deadline: float) -> Counter[str]:
    """Send `bodies` one after another on one connection; tally the outcomes."""
    tally: Counter[str] = Counter()
    url = urlsplit(rpc_url)
    connection = http.client.HTTPConnection(
        url.hostname or "127.0.0.1", url.port, timeout=REQUEST_TIMEOUT_SECONDS
    )
    try:
        for index, body in enumerate(bodies):
            if time.monotonic() > deadline:
                tally[UNSENT] += len(bodies) - index
                break
            tally[_broadcast_outcome(connection, body)] += 1
    finally:
        connection.close()
    return tally


def _broadcast_outcome(connection: http.client.HTTPConnection, body: bytes) -> str:
    """ACCEPTED, or a short reason for the refusal."""
    try:
        connection.request("POST", "/", body, JSON_HEADERS)
        reply = json.loads(connection.getresponse().read())
    except (OSError, http.client.HTTPException, ValueError) as failure:
        connection.close()  # the next request reconnects
        return f"transport: {type(failure).__name__}"
    rpc_error = reply.get("error")
    if rpc_error is not None:
        # Node-level refusals (mempool full, tx in cache) come as JSON-RPC errors.
        detail = str(rpc_error.get("data") or rpc_error.get("message") or rpc_error)
        return f"rpc error: {detail[:80]}"
    result = reply.get("result") or {}
    code = int(result.get("code", 0))
    if code == 0:
        return ACCEPTED
    log = str(result.get("log", ""))
    return f"CheckTx {result.get('codespace', '')}/{code}: {log[:60]}"


def _mempool_size(client: httpx.Client) -> int:
    return int(rpc_call(client, "num_unconfirmed_txs", {})["total"])


def _read_metas(
    client: httpx.Client,
    low: int,
    high: int,
    tx_counts: dict[int, int],
    times: dict[int, int],
) -> None:
    """Record num_txs and header time of heights low..high (`/blockchain`, 20 per call)."""
    for page_low in range(low, high + 1, BLOCKCHAIN_PAGE):
        page_high = min(page_low + BLOCKCHAIN_PAGE - 1, high)
        params = {"minHeight": str(page_low), "maxHeight": str(page_high)}
        for meta in rpc_call(client, "blockchain", params)["block_metas"]:
            height = int(meta["header"]["height"])
            tx_counts[height] = int(meta["num_txs"])
            times[height] = parse_rfc3339(meta["header"]["time"])


def _failed_in_block(client: httpx.Client, height: int) -> int:
    """Txs of the block whose ExecTxResult code is non-zero (a missing code means 0)."""
    results = rpc_call(client, "block_results", {"height": str(height)})["txs_results"] or []
    return sum(1 for result in results if int(result.get("code", 0)) != 0)
