"""Gov state: proposals, their queues, deposits, votes, params; store ``gov``.

Key table (store ``gov``), as cosmos-sdk v0.50 ``x/gov/types/keys.go``:

    0x00 | id (8 BE)                          -> Proposal
    0x01 | end time (8 BE, biased) | id       -> empty   (active queue: voting ends then)
    0x02 | end time (8 BE, biased) | id       -> empty   (inactive queue: deposit period ends)
    0x03                                      -> next proposal id (8 BE)
    0x04 | id                                 -> 0x01    (index: proposals in voting period)
    0x10 | id | len(depositor) | depositor    -> Deposit
    0x20 | id | len(voter) | voter            -> Vote
    0x30                                      -> Params
    0x37                                      -> constitution (UTF-8)

Times in keys are nanoseconds plus 2^63, big-endian, so key order is time order. Proposals,
deposits and votes are stored as their protobuf messages (the records clients read).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.chain.coins import coins_to_proto, parse_coins
from app.chain.kv import KVStore
from app.pb.cosmos.gov.v1 import gov_pb2
from app.types.coin import Coin, Coins
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import (
    HOUR,
    Duration,
    Timestamp,
    duration_from_proto,
    duration_to_proto,
)

STORE_NAME = "gov"

PROPOSAL_PREFIX = b"\x00"
ACTIVE_QUEUE_PREFIX = b"\x01"
INACTIVE_QUEUE_PREFIX = b"\x02"
PROPOSAL_ID_KEY = b"\x03"
VOTING_PERIOD_PREFIX = b"\x04"
DEPOSIT_PREFIX = b"\x10"
VOTE_PREFIX = b"\x20"
PARAMS_KEY = b"\x30"
CONSTITUTION_KEY = b"\x37"

_TIME_BIAS = 1 << 63


def id_bytes(proposal_id: int) -> bytes:
    return proposal_id.to_bytes(8, "big")


def length_prefixed(address: bytes) -> bytes:
    return bytes((len(address),)) + address


def proposal_key(proposal_id: int) -> bytes:
    return PROPOSAL_PREFIX + id_bytes(proposal_id)


def queue_key(prefix: bytes, end: Timestamp, proposal_id: int) -> bytes:
    return prefix + (end + _TIME_BIAS).to_bytes(8, "big") + id_bytes(proposal_id)


def queue_until(prefix: bytes, now: Timestamp) -> bytes:
    """The first queue key after every entry ending at or before `now`."""
    return prefix + (now + 1 + _TIME_BIAS).to_bytes(8, "big")


def deposits_prefix(proposal_id: int) -> bytes:
    return DEPOSIT_PREFIX + id_bytes(proposal_id)


def deposit_key(proposal_id: int, depositor: bytes) -> bytes:
    return deposits_prefix(proposal_id) + length_prefixed(depositor)


def votes_prefix(proposal_id: int) -> bytes:
    return VOTE_PREFIX + id_bytes(proposal_id)


def vote_key(proposal_id: int, voter: bytes) -> bytes:
    return votes_prefix(proposal_id) + length_prefixed(voter)


# ---- params ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Params:
    """Gov v1 params (``x/gov/types/v1/params.go``) plus `tally_excluded_modules`: module
    accounts whose delegations are left out of tallies (empty by default: the SDK's tally)."""

    min_deposit: Coins
    max_deposit_period: Duration
    voting_period: Duration
    quorum: Dec
    threshold: Dec
    veto_threshold: Dec
    min_initial_deposit_ratio: Dec
    proposal_cancel_ratio: Dec
    proposal_cancel_dest: str
    expedited_voting_period: Duration
    expedited_threshold: Dec
    expedited_min_deposit: Coins
    burn_vote_quorum: bool
    burn_proposal_deposit_prevote: bool
    burn_vote_veto: bool
    min_deposit_ratio: Dec
    tally_excluded_modules: tuple[str, ...] = ()

    def min_deposit_for(self, expedited: bool) -> Coins:
        return self.expedited_min_deposit if expedited else self.min_deposit

    def voting_period_for(self, expedited: bool) -> Duration:
        return self.expedited_voting_period if expedited else self.voting_period

    def threshold_for(self, expedited: bool) -> Dec:
        return self.expedited_threshold if expedited else self.threshold

    def to_proto(self) -> gov_pb2.Params:
        return gov_pb2.Params(
            min_deposit=coins_to_proto(self.min_deposit),
            max_deposit_period=duration_to_proto(self.max_deposit_period),
            voting_period=duration_to_proto(self.voting_period),
            quorum=str(self.quorum),
            threshold=str(self.threshold),
            veto_threshold=str(self.veto_threshold),
            min_initial_deposit_ratio=str(self.min_initial_deposit_ratio),
            proposal_cancel_ratio=str(self.proposal_cancel_ratio),
            proposal_cancel_dest=self.proposal_cancel_dest,
            expedited_voting_period=duration_to_proto(self.expedited_voting_period),
            expedited_threshold=str(self.expedited_threshold),
            expedited_min_deposit=coins_to_proto(self.expedited_min_deposit),
            burn_vote_quorum=self.burn_vote_quorum,
            burn_proposal_deposit_prevote=self.burn_proposal_deposit_prevote,
            burn_vote_veto=self.burn_vote_veto,
            min_deposit_ratio=str(self.min_deposit_ratio),
            tally_excluded_modules=list(self.tally_excluded_modules),
        )

    @classmethod
    def from_proto(cls, pb: gov_pb2.Params) -> Params:
        """Unchecked params (see `msgs.validate_params`); raises `ValueError` on bad decimals
        or coins. gov v1 decimals are decimal text ("0.334"); empty reads as zero."""

        def dec(text: str) -> Dec:
            return Dec.from_str(text) if text else Dec.zero()

        return cls(
            min_deposit=parse_coins(pb.min_deposit),
            max_deposit_period=duration_from_proto(pb.max_deposit_period),
            voting_period=duration_from_proto(pb.voting_period),
            quorum=dec(pb.quorum),
            threshold=dec(pb.threshold),
            veto_threshold=dec(pb.veto_threshold),
            min_initial_deposit_ratio=dec(pb.min_initial_deposit_ratio),
            proposal_cancel_ratio=dec(pb.proposal_cancel_ratio),
            proposal_cancel_dest=pb.proposal_cancel_dest,
            expedited_voting_period=duration_from_proto(pb.expedited_voting_period),
            expedited_threshold=dec(pb.expedited_threshold),
            expedited_min_deposit=parse_coins(pb.expedited_min_deposit),
            burn_vote_quorum=pb.burn_vote_quorum,
            burn_proposal_deposit_prevote=pb.burn_proposal_deposit_prevote,
            burn_vote_veto=pb.burn_vote_veto,
            min_deposit_ratio=dec(pb.min_deposit_ratio),
            tally_excluded_modules=tuple(pb.tally_excluded_modules),
        )


DEFAULT_BOND_DENOM = "uxprt"


def default_params(bond_denom: str = DEFAULT_BOND_DENOM) -> Params:
    """The SDK v0.50 defaults (``DefaultParams``) in `bond_denom`."""
    return Params(
        min_deposit=Coins([Coin(bond_denom, Int(10_000_000))]),
        max_deposit_period=Duration(48 * HOUR),
        voting_period=Duration(48 * HOUR),
        quorum=Dec.from_str("0.334"),
        threshold=Dec.from_str("0.5"),
        veto_threshold=Dec.from_str("0.334"),
        min_initial_deposit_ratio=Dec.zero(),
        proposal_cancel_ratio=Dec.from_str("0.5"),
        proposal_cancel_dest="",
        expedited_voting_period=Duration(24 * HOUR),
        expedited_threshold=Dec.from_str("0.667"),
        expedited_min_deposit=Coins([Coin(bond_denom, Int(50_000_000))]),
        burn_vote_quorum=False,
        burn_proposal_deposit_prevote=False,
        burn_vote_veto=True,
        min_deposit_ratio=Dec.from_str("0.01"),
    )


def get_params(store: KVStore) -> Params:
    raw = store.get(PARAMS_KEY)
    if raw is None:
        return default_params()
    return Params.from_proto(gov_pb2.Params.FromString(raw))


def set_params(store: KVStore, params: Params) -> None:
    store.set(PARAMS_KEY, params.to_proto().SerializeToString(deterministic=True))


# ---- proposals and queues ----------------------------------------------------------------------


def get_next_proposal_id(store: KVStore) -> int:
    raw = store.get(PROPOSAL_ID_KEY)
    return 1 if raw is None else int.from_bytes(raw, "big")


def set_next_proposal_id(store: KVStore, proposal_id: int) -> None:
    store.set(PROPOSAL_ID_KEY, id_bytes(proposal_id))


def get_proposal(store: KVStore, proposal_id: int) -> gov_pb2.Proposal | None:
    raw = store.get(proposal_key(proposal_id))
    return None if raw is None else gov_pb2.Proposal.FromString(raw)


def set_proposal(store: KVStore, proposal: gov_pb2.Proposal) -> None:
    """Store a proposal and keep the voting-period index in step with its status."""
    store.set(proposal_key(proposal.id), proposal.SerializeToString(deterministic=True))
    index_key = VOTING_PERIOD_PREFIX + id_bytes(proposal.id)
    if proposal.status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD:
        store.set(index_key, b"\x01")
    else:
        store.delete(index_key)


def delete_proposal(store: KVStore, proposal_id: int) -> None:
    store.delete(proposal_key(proposal_id))
    store.delete(VOTING_PERIOD_PREFIX + id_bytes(proposal_id))


def is_in_voting_period(store: KVStore, proposal_id: int) -> bool:
    return store.has(VOTING_PERIOD_PREFIX + id_bytes(proposal_id))


def iterate_proposals(store: KVStore) -> Iterator[gov_pb2.Proposal]:
    for _, raw in store.iterate_prefix(PROPOSAL_PREFIX):
        yield gov_pb2.Proposal.FromString(raw)


def enqueue(store: KVStore, prefix: bytes, end: Timestamp, proposal_id: int) -> None:
    store.set(queue_key(prefix, end, proposal_id), b"")


def dequeue(store: KVStore, prefix: bytes, end: Timestamp, proposal_id: int) -> None:
    store.delete(queue_key(prefix, end, proposal_id))


def due_proposal_ids(store: KVStore, prefix: bytes, now: Timestamp) -> list[int]:
    """Ids queued under `prefix` whose period ended at or before `now`, in (time, id) order."""
    return [
        int.from_bytes(key[-8:], "big")
        for key, _ in store.iterate(prefix, queue_until(prefix, now))
    ]


# ---- deposits and votes ------------------------------------------------------------------------


def get_deposit(store: KVStore, proposal_id: int, depositor: bytes) -> gov_pb2.Deposit | None:
    raw = store.get(deposit_key(proposal_id, depositor))
    return None if raw is None else gov_pb2.Deposit.FromString(raw)


def set_deposit(store: KVStore, depositor: bytes, deposit: gov_pb2.Deposit) -> None:
    store.set(
        deposit_key(deposit.proposal_id, depositor), deposit.SerializeToString(deterministic=True)
    )


def iterate_deposits(store: KVStore, proposal_id: int) -> Iterator[tuple[bytes, gov_pb2.Deposit]]:
    """(depositor, deposit) of one proposal, in depositor key order."""
    prefix = deposits_prefix(proposal_id)
    for key, raw in store.iterate_prefix(prefix):
        yield key[len(prefix) + 1 :], gov_pb2.Deposit.FromString(raw)


def iterate_all_deposits(store: KVStore) -> Iterator[gov_pb2.Deposit]:
    for _, raw in store.iterate_prefix(DEPOSIT_PREFIX):
        yield gov_pb2.Deposit.FromString(raw)


def delete_deposit(store: KVStore, proposal_id: int, depositor: bytes) -> None:
    store.delete(deposit_key(proposal_id, depositor))


def get_vote(store: KVStore, proposal_id: int, voter: bytes) -> gov_pb2.Vote | None:
    raw = store.get(vote_key(proposal_id, voter))
    return None if raw is None else gov_pb2.Vote.FromString(raw)


def set_vote(store: KVStore, voter: bytes, vote: gov_pb2.Vote) -> None:
    store.set(vote_key(vote.proposal_id, voter), vote.SerializeToString(deterministic=True))


def iterate_votes(store: KVStore, proposal_id: int) -> Iterator[tuple[bytes, gov_pb2.Vote]]:
    """(voter, vote) of one proposal, in voter key order."""
    prefix = votes_prefix(proposal_id)
    for key, raw in store.iterate_prefix(prefix):
        yield key[len(prefix) + 1 :], gov_pb2.Vote.FromString(raw)


def iterate_all_votes(store: KVStore) -> Iterator[gov_pb2.Vote]:
    for _, raw in store.iterate_prefix(VOTE_PREFIX):
        yield gov_pb2.Vote.FromString(raw)


def delete_vote(store: KVStore, proposal_id: int, voter: bytes) -> None:
    store.delete(vote_key(proposal_id, voter))


def get_constitution(store: KVStore) -> str:
    raw = store.get(CONSTITUTION_KEY)
    return "" if raw is None else raw.decode()


def set_constitution(store: KVStore, constitution: str) -> None:
    store.set(CONSTITUTION_KEY, constitution.encode())
