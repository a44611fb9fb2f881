"""What a message handler, a query or a block hook sees: the block, the state, gas and events.

`BlockContext` is everything the chain knows about the block being built or checked (modules never
read the clock: block time comes from here). `Context` binds it to one state view, one gas meter
and one event list for one unit of work (a tx, a block hook, a query).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.chain.events import Event
from app.chain.gas import GasKVStore, GasMeter
from app.chain.kv import KVStore, StateView
from app.types.time import Timestamp

__all__ = [
    "BlockContext",
    "Context",
    "ExecMode",
    "Misbehavior",
    "VoteInfo",
]


class ExecMode(enum.Enum):
    """Why a tx or hook runs; only FINALIZE changes the chain."""

    CHECK = "check"
    """CheckTx of a new tx: the full ante chain, against the mempool's scratch state."""
    RECHECK = "recheck"
    """CheckTx after a commit: ante without signature verification."""
    SIMULATE = "simulate"
    """Gas estimation: no signature verification, infinite gas."""
    FINALIZE = "finalize"
    """FinalizeBlock: the state transition itself."""
    QUERY = "query"
    """A read of committed state."""


@dataclass(frozen=True, slots=True)
class VoteInfo:
    """A validator's vote on the previous block (``decided_last_commit``)."""

    address: bytes
    """Consensus address: sha256(ed25519 pubkey)[:20]."""
    power: int
    block_id_flag: int
    """CometBFT ``BlockIDFlag``: 1 absent, 2 commit, 3 nil."""


@dataclass(frozen=True, slots=True)
class Misbehavior:
    """Evidence of a validator's fault delivered with the block."""

    kind: int
    """CometBFT ``MisbehaviorType``: 1 duplicate vote, 2 light client attack."""
    address: bytes
    power: int
    height: int
    time: Timestamp
    """Time of the infraction."""
    total_voting_power: int


@dataclass(frozen=True, slots=True)
class BlockContext:
    """The block being executed (or, for CheckTx, the next block after the last commit)."""

    height: int
    time: Timestamp
    """Block time from the header (BFT time); modules never read the wall clock."""
    chain_id: str
    proposer: bytes = b""
    votes: tuple[VoteInfo, ...] = ()
    misbehavior: tuple[Misbehavior, ...] = ()
    max_block_gas: int = -1
    """Consensus param ``block.max_gas``; -1 means unlimited."""


EVENTLESS_MODES = frozenset((ExecMode.CHECK, ExecMode.RECHECK))
"""Modes whose events nobody reads: CometBFT ignores CheckTx events."""


class Context:
    """One unit of work: a state view, its block, a gas meter, the events emitted so far, a mode.

    Modules read and write only through `store`, which meters gas, and emit through `emit`.
    In CheckTx (`records_events` false) events are dropped: a hot path may skip building them.
    """

    __slots__ = ("_stores", "block", "events", "gas_meter", "mode", "records_events", "view")

    def __init__(
        self,
        view: StateView,
        block: BlockContext,
        mode: ExecMode,
        gas_meter: GasMeter | None = None,
    ) -> None:
        self.view = view
        self.block = block
        self.mode = mode
        self.records_events = mode not in EVENTLESS_MODES
        self.gas_meter = GasMeter(None) if gas_meter is None else gas_meter
        self.events: list[Event] = []
        self._stores: dict[str, KVStore] = {}

    def store(self, name: str) -> KVStore:
        """The named module store, charging this context's gas meter for every access."""
        store = self._stores.get(name)
        if store is None:
            store = self._stores[name] = GasKVStore(self.view.store(name), self.gas_meter)
        return store

    def emit(self, event: Event) -> None:
        """Record an event (unless `records_events` is false); it reaches the block results
        only if the work succeeds."""
        if self.records_events:
            self.events.append(event)
