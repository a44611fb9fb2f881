"""Gov genesis: ``app_state.gov = {starting_proposal_id, deposits, votes, proposals, params,
constitution}`` (gov v1; the deprecated param sections are ignored).

`init_genesis` restores the queues from each proposal's status and times.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf import json_format

from app.chain.addresses import parse_acc_address
from app.chain.coins import parse_coins
from app.chain.context import Context
from app.chain.errors import ErrJSONUnmarshal
from app.chain.module import GenesisJSON
from app.codec import from_json_dict, to_json_dict
from app.modules.gov import state
from app.modules.gov.errors import ErrInvalidGenesis
from app.modules.gov.keeper import GovKeeper
from app.modules.gov.msgs import params_from_proto
from app.modules.gov.state import Params, default_params
from app.pb.cosmos.gov.v1 import genesis_pb2, gov_pb2
from app.types.time import timestamp_from_proto

__all__ = [
    "GovGenesis",
    "default_genesis",
    "export_genesis",
    "init_genesis",
    "parse_genesis",
    "validate_genesis",
]


@dataclass(frozen=True, slots=True)
class GovGenesis:
    starting_proposal_id: int
    params: Params
    proposals: tuple[gov_pb2.Proposal, ...]
    deposits: tuple[gov_pb2.Deposit, ...]
    votes: tuple[gov_pb2.Vote, ...]
    constitution: str


def default_genesis() -> GenesisJSON:
    return to_json_dict(
        genesis_pb2.GenesisState(starting_proposal_id=1, params=default_params().to_proto())
    )


def parse_genesis(genesis: GenesisJSON) -> GovGenesis:
    """The section, checked without touching state: valid params, a starting id above every
    proposal, unique proposals, deposits and votes that name known proposals.

    Raises:
        ChainError: sdk 17 malformed JSON; gov 8 an inconsistent section; gov 24 bad params.
    """
    try:
        pb = from_json_dict(genesis_pb2.GenesisState, genesis)
    except json_format.ParseError as exc:
        raise ErrJSONUnmarshal.wrap(f"gov genesis: {exc}") from None
    if pb.starting_proposal_id == 0:
        raise ErrInvalidGenesis.wrap("starting proposal id must be greater than 0")
    params = params_from_proto(pb.params) if pb.HasField("params") else default_params()
    ids = sorted(proposal.id for proposal in pb.proposals)
    if len(set(ids)) != len(ids):
        raise ErrInvalidGenesis.wrap("duplicate proposal id")
    if ids and ids[-1] >= pb.starting_proposal_id:
        raise ErrInvalidGenesis.wrap("starting proposal id must be above every proposal id")
    known = set(ids)
    for deposit in pb.deposits:
        parse_acc_address(deposit.depositor, "depositor")
        parse_coins(deposit.amount)
        if deposit.proposal_id not in known:
            raise ErrInvalidGenesis.wrap(f"deposit for unknown proposal {deposit.proposal_id}")
    for vote in pb.votes:
        parse_acc_address(vote.voter, "voter")
        if vote.proposal_id not in known:
            raise ErrInvalidGenesis.wrap(f"vote for unknown proposal {vote.proposal_id}")
    return GovGenesis(
        starting_proposal_id=pb.starting_proposal_id,
        params=params,
        proposals=tuple(sorted(pb.proposals, key=lambda p: p.id)),
        deposits=tuple(pb.deposits),
        votes=tuple(pb.votes),
        constitution=pb.constitution,
    )


def validate_genesis(genesis: GenesisJSON) -> None:
    parse_genesis(genesis)


def init_genesis(keeper: GovKeeper, ctx: Context, genesis: GenesisJSON) -> None:
    """Write the section and rebuild the deposit and voting queues."""
    parsed = parse_genesis(genesis)
    store = ctx.store(state.STORE_NAME)
    state.set_next_proposal_id(store, parsed.starting_proposal_id)
    keeper.set_params(ctx, parsed.params)
    state.set_constitution(store, parsed.constitution)
    for deposit in parsed.deposits:
        state.set_deposit(store, parse_acc_address(deposit.depositor, "depositor"), deposit)
    for vote in parsed.votes:
        state.set_vote(store, parse_acc_address(vote.voter, "voter"), vote)
    for proposal in parsed.proposals:
        if proposal.status == gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD:
            end = timestamp_from_proto(proposal.deposit_end_time)
            state.enqueue(store, state.INACTIVE_QUEUE_PREFIX, end, proposal.id)
        elif proposal.status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD:
            end = timestamp_from_proto(proposal.voting_end_time)
            state.enqueue(store, state.ACTIVE_QUEUE_PREFIX, end, proposal.id)
        state.set_proposal(store, proposal)


def export_genesis(keeper: GovKeeper, ctx: Context) -> GenesisJSON:
    store = ctx.store(state.STORE_NAME)
    return to_json_dict(
        genesis_pb2.GenesisState(
            starting_proposal_id=state.get_next_proposal_id(store),
            deposits=list(state.iterate_all_deposits(store)),
            votes=list(state.iterate_all_votes(store)),
            proposals=list(state.iterate_proposals(store)),
            params=keeper.get_params(ctx).to_proto(),
            constitution=state.get_constitution(store),
        )
    )
