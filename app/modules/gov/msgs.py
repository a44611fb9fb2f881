"""Gov messages: MsgSubmitProposal, MsgDeposit, MsgVote, MsgVoteWeighted, MsgUpdateParams.

Each has its signers, a stateless `validate_*` and a handler (x/gov v1 ``keeper/msg_server.go``).
"""

from __future__ import annotations

from itertools import pairwise

from app.chain.addresses import parse_acc_address
from app.chain.authority import check_authority
from app.chain.coins import parse_coins, parse_positive_coins
from app.chain.context import Context
from app.modules.gov import events
from app.modules.gov.errors import (
    ErrInvalidParams,
    ErrInvalidProposalContent,
    ErrInvalidVote,
    ErrNoProposalMsgs,
)
from app.modules.gov.keeper import GovKeeper, parse_vote_options
from app.modules.gov.state import Params
from app.pb.cosmos.gov.v1 import gov_pb2, tx_pb2
from app.types.address import AccAddress, acc_address_from_bech32
from app.types.dec import Dec
from app.types.errors import AddressError

__all__ = [
    "handle_deposit",
    "handle_submit_proposal",
    "handle_update_params",
    "handle_vote",
    "handle_vote_weighted",
    "params_from_proto",
    "validate_params",
]


# ---- MsgSubmitProposal -------------------------------------------------------------------------


def signers_of_submit_proposal(msg: tx_pb2.MsgSubmitProposal) -> list[AccAddress]:
    return [parse_acc_address(msg.proposer, "proposer")]


def validate_submit_proposal(msg: tx_pb2.MsgSubmitProposal) -> None:
    """A valid proposer and initial deposit; messages or metadata; a title and a summary."""
    parse_acc_address(msg.proposer, "proposer")
    parse_coins(msg.initial_deposit)
    if len(msg.messages) == 0 and not msg.metadata:
        raise ErrNoProposalMsgs.wrap("either metadata or Msgs length must be non-nil")
    if not msg.title:
        raise ErrInvalidProposalContent.wrap("proposal title cannot be empty")
    if not msg.summary:
        raise ErrInvalidProposalContent.wrap("proposal summary cannot be empty")


def handle_submit_proposal(
    keeper: GovKeeper, ctx: Context, msg: tx_pb2.MsgSubmitProposal
) -> tx_pb2.MsgSubmitProposalResponse:
    """Check the initial deposit, store the proposal, then deposit; voting starts at once when
    the initial deposit reaches min_deposit (``submit_proposal(voting_period_start)``)."""
    proposer = parse_acc_address(msg.proposer, "proposer")
    deposit = parse_coins(msg.initial_deposit)
    keeper.check_initial_deposit(ctx, deposit, msg.expedited)
    proposal = keeper.submit_proposal(
        ctx, msg.messages, msg.metadata, msg.title, msg.summary, proposer, msg.expedited
    )
    if keeper.add_deposit(ctx, proposal.id, proposer, deposit):
        ctx.emit(events.voting_period_start_event(proposal.id))
    return tx_pb2.MsgSubmitProposalResponse(proposal_id=proposal.id)


# ---- MsgDeposit --------------------------------------------------------------------------------


def signers_of_deposit(msg: tx_pb2.MsgDeposit) -> list[AccAddress]:
    return [parse_acc_address(msg.depositor, "depositor")]


def validate_deposit(msg: tx_pb2.MsgDeposit) -> None:
    parse_acc_address(msg.depositor, "depositor")
    parse_positive_coins(msg.amount)


def handle_deposit(
    keeper: GovKeeper, ctx: Context, msg: tx_pb2.MsgDeposit
) -> tx_pb2.MsgDepositResponse:
    depositor = parse_acc_address(msg.depositor, "depositor")
    if keeper.add_deposit(ctx, msg.proposal_id, depositor, parse_positive_coins(msg.amount)):
        ctx.emit(events.voting_period_start_event(msg.proposal_id))
    return tx_pb2.MsgDepositResponse()


# ---- MsgVote / MsgVoteWeighted -----------------------------------------------------------------


def signers_of_vote(msg: tx_pb2.MsgVote | tx_pb2.MsgVoteWeighted) -> list[AccAddress]:
    return [parse_acc_address(msg.voter, "voter")]


def single_option(option: gov_pb2.VoteOption) -> gov_pb2.WeightedVoteOption:
    """A whole vote for one option: weight "1.000000000000000000" (``NewNonSplitVoteOption``)."""
    return gov_pb2.WeightedVoteOption(option=option, weight=str(Dec.one()))


def validate_vote(msg: tx_pb2.MsgVote) -> None:
    parse_acc_address(msg.voter, "voter")
    if not gov_pb2.VOTE_OPTION_YES <= msg.option <= gov_pb2.VOTE_OPTION_NO_WITH_VETO:
        raise ErrInvalidVote.wrap(f"invalid option {msg.option}")


def handle_vote(keeper: GovKeeper, ctx: Context, msg: tx_pb2.MsgVote) -> tx_pb2.MsgVoteResponse:
    """Vote one option with all of the voter's stake."""
    voter = parse_acc_address(msg.voter, "voter")
    keeper.add_vote(ctx, msg.proposal_id, voter, [single_option(msg.option)], msg.metadata)
    return tx_pb2.MsgVoteResponse()


def validate_vote_weighted(msg: tx_pb2.MsgVoteWeighted) -> None:
    parse_acc_address(msg.voter, "voter")
    parse_vote_options(msg.options)


def handle_vote_weighted(
    keeper: GovKeeper, ctx: Context, msg: tx_pb2.MsgVoteWeighted
) -> tx_pb2.MsgVoteWeightedResponse:
    """Split the voter's stake between options whose weights sum to 1."""
    voter = parse_acc_address(msg.voter, "voter")
    keeper.add_vote(ctx, msg.proposal_id, voter, msg.options, msg.metadata)
    return tx_pb2.MsgVoteWeightedResponse()


# ---- MsgUpdateParams ---------------------------------------------------------------------------


def validate_params(params: Params) -> None:
    """The SDK's ``Params.ValidateBasic``, plus the excluded modules listed at most once.

    Raises:
        ChainError: gov 24 naming the faulty field.
    """
    if len(params.min_deposit) == 0:
        raise ErrInvalidParams.wrap("invalid minimum deposit: empty")
    if not params.expedited_min_deposit.is_all_gte(params.min_deposit) or (
        params.expedited_min_deposit == params.min_deposit
    ):
        raise ErrInvalidParams.wrap(
            f"expedited minimum deposit must be greater than minimum deposit: "
            f"{params.expedited_min_deposit}"
        )
    one = Dec.one()
    for name, value in (
        ("quorum", params.quorum),
        ("vote threshold", params.threshold),
        ("expedited vote threshold", params.expedited_threshold),
        ("veto threshold", params.veto_threshold),
    ):
        if not value.is_positive() or value > one:
            raise ErrInvalidParams.wrap(f"{name} must be positive and at most 1: {value}")
    if params.expedited_threshold <= params.threshold:
        raise ErrInvalidParams.wrap(
            f"expedited vote threshold {params.expedited_threshold} must be greater than "
            f"the regular threshold {params.threshold}"
        )
    for name, value in (
        ("minimum initial deposit ratio", params.min_initial_deposit_ratio),
        ("proposal cancel ratio", params.proposal_cancel_ratio),
        ("minimum deposit ratio", params.min_deposit_ratio),
    ):
        if value.is_negative() or value > one:
            raise ErrInvalidParams.wrap(f"{name} must be within [0, 1]: {value}")
    for name, period in (
        ("maximum deposit period", params.max_deposit_period),
        ("voting period", params.voting_period),
        ("expedited voting period", params.expedited_voting_period),
    ):
        if period <= 0:
            raise ErrInvalidParams.wrap(f"{name} must be positive: {period}ns")
    if params.expedited_voting_period >= params.voting_period:
        raise ErrInvalidParams.wrap("expedited voting period must be shorter than voting period")
    if params.proposal_cancel_dest:
        try:
            acc_address_from_bech32(params.proposal_cancel_dest)
        except AddressError as exc:
            raise ErrInvalidParams.wrap(f"invalid proposal cancel destination: {exc}") from None
    for previous, current in pairwise(sorted(params.tally_excluded_modules)):
        if previous == current:
            raise ErrInvalidParams.wrap(f"module {current} excluded from tallies twice")
    if any(not name for name in params.tally_excluded_modules):
        raise ErrInvalidParams.wrap("empty module name excluded from tallies")


def params_from_proto(pb: gov_pb2.Params) -> Params:
    """Checked params of a message or genesis; raises gov 24 (or sdk 10 for bad coins)."""
    try:
        params = Params.from_proto(pb)
    except ValueError as exc:
        raise ErrInvalidParams.wrap(str(exc)) from None
    validate_params(params)
    return params


def signers_of_update_params(msg: tx_pb2.MsgUpdateParams) -> list[AccAddress]:
    return [parse_acc_address(msg.authority, "authority")]


def validate_update_params(msg: tx_pb2.MsgUpdateParams) -> None:
    parse_acc_address(msg.authority, "authority")
    params_from_proto(msg.params)


def handle_update_params(
    keeper: GovKeeper, ctx: Context, msg: tx_pb2.MsgUpdateParams
) -> tx_pb2.MsgUpdateParamsResponse:
    """Replace the params; the signer must be the authority (checked first)."""
    check_authority(keeper.authority, msg.authority)
    keeper.set_params(ctx, params_from_proto(msg.params))
    return tx_pb2.MsgUpdateParamsResponse()
