"""The ABCI server under a real CometBFT v0.38.25 node, with a tiny in-memory kvstore app."""

from __future__ import annotations

import base64
import calendar
import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from google.protobuf.timestamp_pb2 import Timestamp

from app.abci.application import BaseApplication
from app.abci.framing import encode_varint, frame
from app.pb.tendermint.abci import types_pb2 as abci
from app.pb.tendermint.types.canonical_pb2 import (
    CanonicalBlockID,
    CanonicalPartSetHeader,
    CanonicalVote,
)
from app.pb.tendermint.types.types_pb2 import SIGNED_MSG_TYPE_PRECOMMIT
from tests.support.cometbft import (
    COMETBFT,
    CometNode,
    RpcError,
    abci_server_in_thread,
    b64,
    init_home,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not COMETBFT.exists(), reason="CometBFT binary not built (scripts/setup)"),
]

BAD_TX_CODE = 1


def parse_tx(tx: bytes) -> tuple[bytes, bytes] | None:
    """A kvstore tx is ``key=value`` with a non-empty key."""
    key, sep, value = tx.partition(b"=")
    return (key, value) if sep and key else None


def compute_app_hash(state: dict[bytes, bytes]) -> bytes:
    """sha256 over the length-prefixed (key, value) pairs in key order."""
    digest = hashlib.sha256()
    for key in sorted(state):
        digest.update(encode_varint(len(key)) + key + encode_varint(len(state[key])) + state[key])
    return digest.digest()


class KVStoreApp(BaseApplication):
    """Stages in FinalizeBlock, commits in Commit, persists nothing, forgets on disconnect."""

    def __init__(self) -> None:
        self.committed: dict[bytes, bytes] = {}
        self.height = 0
        self.app_hash = b""
        self.staged: tuple[int, dict[bytes, bytes], bytes] | None = None
        self.disconnects = 0
        self.infos = 0

    def info(self, req: abci.RequestInfo) -> abci.ResponseInfo:
        self.infos += 1
        return abci.ResponseInfo(
            data="kvstore", last_block_height=self.height, last_block_app_hash=self.app_hash
        )

    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        if parse_tx(req.tx) is None:
            return abci.ResponseCheckTx(code=BAD_TX_CODE, log="expected key=value")
        return abci.ResponseCheckTx(gas_wanted=1)

    def finalize_block(self, req: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        state = dict(self.committed)
        results = []
        for tx in req.txs:
            parsed = parse_tx(tx)
            if parsed is None:
                results.append(abci.ExecTxResult(code=BAD_TX_CODE))
                continue
            state[parsed[0]] = parsed[1]
            attribute = abci.EventAttribute(key="key", value=parsed[0].decode(), index=True)
            event = abci.Event(type="app", attributes=[attribute])
            results.append(abci.ExecTxResult(events=[event]))
        app_hash = compute_app_hash(state)
        self.staged = (req.height, state, app_hash)
        return abci.ResponseFinalizeBlock(tx_results=results, app_hash=app_hash)

    def commit(self, req: abci.RequestCommit) -> abci.ResponseCommit:
        if self.staged is None:
            raise RuntimeError("Commit without FinalizeBlock")
        self.height, self.committed, self.app_hash = self.staged
        self.staged = None
        return abci.ResponseCommit()

    def query(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        value = self.committed.get(req.data)
        if value is None:
            return abci.ResponseQuery(code=BAD_TX_CODE, log="not found", height=self.height)
        return abci.ResponseQuery(key=req.data, value=value, height=self.height)

    def on_disconnect(self) -> None:
        self.disconnects += 1
        self.staged = None


def wait_until(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def find_tx(node: CometNode, tx_hash: str) -> bool:
    """Whether the node's indexer knows the tx (indexing trails Commit slightly)."""
    try:
        node.rpc("tx", hash=b64(bytes.fromhex(tx_hash)))
    except RpcError:
        return False
    return True


def parse_rfc3339(text: str) -> Timestamp:
    """CometBFT JSON times: RFC 3339 in UTC with up to nine fractional digits."""
    whole, _, fraction = text.rstrip("Z").partition(".")
    moment = datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    return Timestamp(seconds=calendar.timegm(moment.timetuple()), nanos=int(fraction.ljust(9, "0")))


def check_commit_signature(node: CometNode, home: Path, height: int) -> None:
    """The validator's precommit signature verifies over our CanonicalVote sign bytes."""
    commit = node.rpc("commit", height=str(height))["signed_header"]["commit"]
    signature = commit["signatures"][0]
    block_id = commit["block_id"]
    vote = CanonicalVote(
        type=SIGNED_MSG_TYPE_PRECOMMIT,
        height=int(commit["height"]),
        round=int(commit["round"]),
        block_id=CanonicalBlockID(
            hash=bytes.fromhex(block_id["hash"]),
            part_set_header=CanonicalPartSetHeader(
                total=int(block_id["parts"]["total"]), hash=bytes.fromhex(block_id["parts"]["hash"])
            ),
        ),
        timestamp=parse_rfc3339(signature["timestamp"]),
        chain_id="persistence-devnet-1",
    )
    sign_bytes = frame(vote.SerializeToString())
    key = json.loads((home / "config" / "priv_validator_key.json").read_text())
    public_key = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["pub_key"]["value"]))
    public_key.verify(base64.b64decode(signature["signature"]), sign_bytes)  # raises if wrong


def test_kvstore_under_a_real_node_survives_a_node_restart(tmp_path: Path) -> None:
    app = KVStoreApp()
    with abci_server_in_thread(app) as address:
        home = init_home(tmp_path / "node", proxy_app=address, chain_id="persistence-devnet-1")
        with CometNode(home) as node:
            node.wait_for_height(2)
            assert app.infos >= 1  # the Info handshake went through the query connection

            hashes = []
            for key, value in [(b"alpha", b"1"), (b"beta", b"2"), (b"gamma", b"3")]:
                reply = node.rpc("broadcast_tx_sync", tx=b64(key + b"=" + value))
                assert reply["code"] == 0, reply
                hashes.append(reply["hash"])
            refused = node.rpc("broadcast_tx_sync", tx=b64(b"no-equals-sign"))
            assert refused["code"] == BAD_TX_CODE and refused["log"] == "expected key=value"

            node.wait_for("txs in blocks", lambda: len(app.committed) == 3)
            node.wait_for("txs indexed", lambda: all(find_tx(node, h) for h in hashes))
            included = [node.rpc("tx", hash=b64(bytes.fromhex(h))) for h in hashes]
            assert all(int(tx["height"]) > 0 for tx in included)
            assert all(tx["tx_result"].get("code", 0) == 0 for tx in included)

            answer = node.rpc("abci_query", path="/store", data=b"beta".hex())["response"]
            assert answer.get("code", 0) == 0
            assert answer["value"] == b64(b"2")
            assert int(answer["height"]) >= max(int(tx["height"]) for tx in included)

            last = node.wait_for_height(max(int(tx["height"]) for tx in included) + 1)
            header_hash = node.rpc("block", height=str(last))["block"]["header"]["app_hash"]
            assert header_hash == compute_app_hash(app.committed).hex().upper()
            check_commit_signature(node, home.path, last - 1)
            assert app.disconnects == 0

        # The node is gone: the server saw EOF, told the app, and keeps listening.
        wait_until(lambda: app.disconnects == 1)
        assert app.staged is None
        stopped_at = app.height

        with CometNode(home) as node:
            node.wait_for_height(stopped_at + 2)
            answer = node.rpc("abci_query", path="/store", data=b"gamma".hex())["response"]
            assert answer["value"] == b64(b"3")
        wait_until(lambda: app.disconnects == 2)
