"""The contract between the socket server and the application, grouped by connection.

CometBFT opens four connections (query, snapshot, mempool, consensus); the server calls these
methods one at a time, in arrival order per connection, never concurrently. Echo and Flush are
answered by the server and never reach the application.
"""

from __future__ import annotations

from typing import Protocol

from app.pb.tendermint.abci import types_pb2 as abci


class Application(Protocol):
    """What the ABCI server needs from an application (CometBFT v0.38, ABCI 2.0)."""

    # Info/query connection
    def info(self, req: abci.RequestInfo) -> abci.ResponseInfo:
        """Handshake and ``abci_info``: the last committed height and its app hash."""
        ...

    def query(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        """Read committed state at ``req.height`` (0 = latest)."""
        ...

    # Mempool connection
    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        """Admit a tx to the mempool (code 0) or refuse it (non-zero code, never an exception)."""
        ...

    # Consensus connection
    def init_chain(self, req: abci.RequestInitChain) -> abci.ResponseInitChain:
        """Genesis: sent when the application reports height 0."""
        ...

    def prepare_proposal(self, req: abci.RequestPrepareProposal) -> abci.ResponsePrepareProposal:
        """Proposer only: choose the block's txs, at most ``req.max_tx_bytes`` in total."""
        ...

    def process_proposal(self, req: abci.RequestProcessProposal) -> abci.ResponseProcessProposal:
        """Deterministically ACCEPT or REJECT a proposed block (UNKNOWN halts CometBFT)."""
        ...

    def extend_vote(self, req: abci.RequestExtendVote) -> abci.ResponseExtendVote:
        """Data to attach to this validator's precommit (vote extensions enabled only)."""
        ...

    def verify_vote_extension(
        self, req: abci.RequestVerifyVoteExtension
    ) -> abci.ResponseVerifyVoteExtension:
        """Deterministically ACCEPT or REJECT another validator's vote extension."""
        ...

    def finalize_block(self, req: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        """Execute a decided block: one ExecTxResult per tx, the new app hash; persist nothing."""
        ...

    def commit(self, req: abci.RequestCommit) -> abci.ResponseCommit:
        """Persist what the last FinalizeBlock staged."""
        ...

    # State-sync (snapshot) connection
    def list_snapshots(self, req: abci.RequestListSnapshots) -> abci.ResponseListSnapshots:
        """Snapshots this node can serve to peers."""
        ...

    def offer_snapshot(self, req: abci.RequestOfferSnapshot) -> abci.ResponseOfferSnapshot:
        """Decide whether to restore from a peer's snapshot."""
        ...

    def load_snapshot_chunk(
        self, req: abci.RequestLoadSnapshotChunk
    ) -> abci.ResponseLoadSnapshotChunk:
        """One chunk of a local snapshot, for a peer."""
        ...

    def apply_snapshot_chunk(
        self, req: abci.RequestApplySnapshotChunk
    ) -> abci.ResponseApplySnapshotChunk:
        """Restore one chunk of an accepted snapshot."""
        ...

    # Transport events
    def on_disconnect(self) -> None:
        """CometBFT went away: forget anything not committed (it may resend FinalizeBlock)."""
        ...


def truncate_txs(txs: list[bytes], max_tx_bytes: int) -> list[bytes]:
    """The longest prefix of ``txs`` whose total size is at most ``max_tx_bytes``.

    CometBFT refuses a proposal whose txs sum to more than ``max_tx_bytes`` (``Txs.Validate``),
    and keeping a prefix preserves the mempool's order.
    """
    kept: list[bytes] = []
    total = 0
    for tx in txs:
        total += len(tx)
        if total > max_tx_bytes:
            break
        kept.append(tx)
    return kept


class BaseApplication:
    """Correct do-nothing answers to every method; subclass and override what you need.

    Nothing is stored, every tx is accepted and succeeds, snapshots are not supported.
    """

    def info(self, req: abci.RequestInfo) -> abci.ResponseInfo:
        """Height 0 and no app hash: CometBFT will send InitChain."""
        return abci.ResponseInfo()

    def query(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        """Code 0 with no value."""
        return abci.ResponseQuery()

    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        """Accept every tx (code 0)."""
        return abci.ResponseCheckTx()

    def init_chain(self, req: abci.RequestInitChain) -> abci.ResponseInitChain:
        """Keep genesis validators, params and app hash."""
        return abci.ResponseInitChain()

    def prepare_proposal(self, req: abci.RequestPrepareProposal) -> abci.ResponsePrepareProposal:
        """The mempool's txs, truncated to ``max_tx_bytes``."""
        return abci.ResponsePrepareProposal(txs=truncate_txs(list(req.txs), req.max_tx_bytes))

    def process_proposal(self, req: abci.RequestProcessProposal) -> abci.ResponseProcessProposal:
        """ACCEPT."""
        return abci.ResponseProcessProposal(status=abci.ResponseProcessProposal.ACCEPT)

    def extend_vote(self, req: abci.RequestExtendVote) -> abci.ResponseExtendVote:
        """An empty extension."""
        return abci.ResponseExtendVote()

    def verify_vote_extension(
        self, req: abci.RequestVerifyVoteExtension
    ) -> abci.ResponseVerifyVoteExtension:
        """ACCEPT."""
        return abci.ResponseVerifyVoteExtension(status=abci.ResponseVerifyVoteExtension.ACCEPT)

    def finalize_block(self, req: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        """One successful (code 0) result per tx, no app hash."""
        return abci.ResponseFinalizeBlock(tx_results=[abci.ExecTxResult() for _ in req.txs])

    def commit(self, req: abci.RequestCommit) -> abci.ResponseCommit:
        """Nothing to persist; retain every block."""
        return abci.ResponseCommit()

    def list_snapshots(self, req: abci.RequestListSnapshots) -> abci.ResponseListSnapshots:
        """No snapshots."""
        return abci.ResponseListSnapshots()

    def offer_snapshot(self, req: abci.RequestOfferSnapshot) -> abci.ResponseOfferSnapshot:
        """REJECT: this application cannot restore snapshots."""
        return abci.ResponseOfferSnapshot(result=abci.ResponseOfferSnapshot.REJECT)

    def load_snapshot_chunk(
        self, req: abci.RequestLoadSnapshotChunk
    ) -> abci.ResponseLoadSnapshotChunk:
        """An empty chunk."""
        return abci.ResponseLoadSnapshotChunk()

    def apply_snapshot_chunk(
        self, req: abci.RequestApplySnapshotChunk
    ) -> abci.ResponseApplySnapshotChunk:
        """ABORT: no snapshot is ever accepted, so no chunk can be applied."""
        return abci.ResponseApplySnapshotChunk(result=abci.ResponseApplySnapshotChunk.ABORT)

    def on_disconnect(self) -> None:
        """Nothing uncommitted to drop."""
