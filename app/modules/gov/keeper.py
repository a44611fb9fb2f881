"""The gov keeper: proposals, deposits, votes, and their life cycle at the end of each block.

A proposal (x/gov v1 ``keeper/proposal.go``, ``deposit.go``, ``vote.go``, ``abci.go``):

1. is submitted with messages whose only signer is the gov account and which some module
   routes; it waits in the deposit period (inactive queue, until ``max_deposit_period``);
2. enters the voting period (active queue, until ``voting_period``) once its deposits reach
   ``min_deposit``; deposits are accepted in both periods, votes only in the voting period;
3. at the end of its period: dropped (deposits refunded or burned by
   ``burn_proposal_deposit_prevote``) or tallied, and, if it passes, its messages run in order
   in one branch with the gov account as signer; one failure discards them all (status FAILED).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from google.protobuf import any_pb2
from google.protobuf.message import Message

from app.chain.addresses import format_acc_address
from app.chain.coins import coins_to_proto, parse_coins
from app.chain.context import Context
from app.chain.errors import ChainError, InvariantViolation
from app.codec import CodecError, unpack_any
from app.modules.gov import events, state
from app.modules.gov.errors import (
    ErrInactiveProposal,
    ErrInvalidDepositDenom,
    ErrInvalidProposalMsg,
    ErrInvalidSigner,
    ErrInvalidVote,
    ErrMetadataTooLong,
    ErrMinDepositTooSmall,
    ErrSummaryTooLong,
    ErrTitleTooLong,
    ErrUnknownProposal,
    ErrUnroutableProposalMsg,
)
from app.modules.gov.expected import BankKeeper, BranchableView, MessageRouter, StakingKeeper
from app.modules.gov.state import Params
from app.modules.gov.tally import (
    Ballot,
    BondedValidator,
    StakeShare,
    Tally,
    TallyOutcome,
    WeightedOption,
    compute_tally,
    decide_tally,
)
from app.pb.cosmos.gov.v1 import gov_pb2
from app.types.address import AccAddress, module_address
from app.types.coin import Coin, Coins
from app.types.dec import Dec
from app.types.time import Timestamp, timestamp_from_proto, timestamp_to_proto

__all__ = [
    "MAX_METADATA_LENGTH",
    "MAX_SUMMARY_LENGTH",
    "MAX_TITLE_LENGTH",
    "MODULE_NAME",
    "GovKeeper",
    "format_vote_options",
    "parse_vote_options",
]

log = logging.getLogger(__name__)

MODULE_NAME = "gov"
"""The module account holding deposits; its address is the governance authority."""

MAX_METADATA_LENGTH = 255
"""Longest proposal or vote metadata (the SDK's default ``MaxMetadataLen``)."""
MAX_TITLE_LENGTH = 255
MAX_SUMMARY_LENGTH = 10_200

VOTING_STATUS = gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD
DEPOSIT_STATUS = gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD


def parse_vote_options(options: Sequence[gov_pb2.WeightedVoteOption]) -> tuple[WeightedOption, ...]:
    """Checked weighted options: each a real option with a weight in (0, 1], none repeated,
    weights summing to exactly 1 (``msgServer.VoteWeighted``).

    Raises:
        ChainError: gov 7 naming the fault.
    """
    if len(options) == 0:
        raise ErrInvalidVote.wrap("no vote options")
    parsed: list[WeightedOption] = []
    total = Dec.zero()
    for option in options:
        try:
            weight = Dec.from_str(option.weight)
        except ValueError:
            raise ErrInvalidVote.wrap(f"invalid weight {option.weight!r}") from None
        valid_option = gov_pb2.VOTE_OPTION_YES <= option.option <= gov_pb2.VOTE_OPTION_NO_WITH_VETO
        if not valid_option or not weight.is_positive() or weight > Dec.one():
            raise ErrInvalidVote.wrap(format_vote_options([option]))
        if any(previous.option == option.option for previous in parsed):
            raise ErrInvalidVote.wrap("duplicated vote option")
        parsed.append(WeightedOption(option.option, weight))
        total = total + weight
    if total > Dec.one():
        raise ErrInvalidVote.wrap("total weight overflow 1.00")
    if total < Dec.one():
        raise ErrInvalidVote.wrap("total weight lower than 1.00")
    return tuple(parsed)


def format_vote_options(options: Sequence[gov_pb2.WeightedVoteOption]) -> str:
    """The SDK's text of weighted options (gogoproto compact text, one per line), as the
    ``option`` attribute of ``proposal_vote``: ``option:VOTE_OPTION_YES weight:"1.0…"``."""
    return " \n".join(
        f'option:{gov_pb2.VoteOption.Name(o.option)} weight:"{o.weight}"' for o in options
    )


class GovKeeper:
    """Store ``gov``; deposits are held by the ``gov`` module account."""

    def __init__(self, bank: BankKeeper, staking: StakingKeeper, router: MessageRouter) -> None:
        self.bank = bank
        self.staking = staking
        self.router = router
        self.authority: AccAddress = module_address(MODULE_NAME)

    # ---- params --------------------------------------------------------------------------------

    def get_params(self, ctx: Context) -> Params:
        return state.get_params(ctx.store(state.STORE_NAME))

    def set_params(self, ctx: Context, params: Params) -> None:
        state.set_params(ctx.store(state.STORE_NAME), params)

    def get_proposal(self, ctx: Context, proposal_id: int) -> gov_pb2.Proposal:
        """The proposal; raises gov 2 "unknown proposal" when there is none."""
        proposal = state.get_proposal(ctx.store(state.STORE_NAME), proposal_id)
        if proposal is None:
            raise ErrUnknownProposal.wrap(str(proposal_id))
        return proposal

    # ---- submit --------------------------------------------------------------------------------

    def check_proposal_message(self, packed: any_pb2.Any) -> Message:
        """Decode a proposal message and check it can run with the gov account's authority.

        Raises:
            ChainError: gov 12 undecodable or failing its stateless checks; gov 10 no module
            routes it; gov 13 its signer is not exactly the gov account.
        """
        try:
            msg = unpack_any(packed)
        except CodecError as exc:
            raise ErrInvalidProposalMsg.wrap(str(exc)) from None
        if not self.router.is_routed(msg):
            raise ErrUnroutableProposalMsg.wrap(packed.type_url)
        try:
            self.router.validate_basic(msg)
            signers = self.router.signers(msg)
        except ChainError as exc:
            raise ErrInvalidProposalMsg.wrap(exc.message) from None
        if len(signers) != 1:
            raise ErrInvalidSigner.error()
        if signers[0] != self.authority:
            raise ErrInvalidSigner.wrap(format_acc_address(signers[0]))
        return msg

    def submit_proposal(
        self,
        ctx: Context,
        messages: Sequence[any_pb2.Any],
        metadata: str,
        title: str,
        summary: str,
        proposer: AccAddress,
        expedited: bool,
    ) -> gov_pb2.Proposal:
        """Store a new proposal in its deposit period (``Keeper.SubmitProposal``).

        Emits ``submit_proposal(proposal_id, proposal_messages)``.

        Raises:
            ChainError: gov 15/23/21 metadata, title or summary too long; see
            `check_proposal_message`.
        """
        check_text_lengths(metadata, title, summary)
        type_urls = []
        for packed in messages:
            self.check_proposal_message(packed)
            type_urls.append(packed.type_url)
        store = ctx.store(state.STORE_NAME)
        proposal_id = state.get_next_proposal_id(store)
        state.set_next_proposal_id(store, proposal_id + 1)
        params = self.get_params(ctx)
        submit_time = ctx.block.time
        deposit_end = Timestamp(submit_time + params.max_deposit_period)
        proposal = gov_pb2.Proposal(
            id=proposal_id,
            messages=list(messages),
            status=DEPOSIT_STATUS,
            final_tally_result=Tally(
                Dec.zero(), Dec.zero(), Dec.zero(), Dec.zero(), Dec.zero(), Dec.zero()
            ).to_proto(),
            submit_time=timestamp_to_proto(submit_time),
            deposit_end_time=timestamp_to_proto(deposit_end),
            metadata=metadata,
            title=title,
            summary=summary,
            proposer=format_acc_address(proposer),
            expedited=expedited,
        )
        state.set_proposal(store, proposal)
        state.enqueue(store, state.INACTIVE_QUEUE_PREFIX, deposit_end, proposal_id)
        ctx.emit(events.submit_proposal_event(proposal_id, type_urls))
        return proposal

    def check_initial_deposit(self, ctx: Context, deposit: Coins, expedited: bool) -> None:
        """The initial deposit is at least min_deposit × min_initial_deposit_ratio (rounded)
        in every denom; a zero ratio accepts anything (``validateInitialDeposit``).

        Raises:
            ChainError: gov 16 "was (X), need (Y)".
        """
        params = self.get_params(ctx)
        ratio = params.min_initial_deposit_ratio
        if ratio.is_zero():
            return
        needed = Coins.from_iterable(
            Coin(coin.denom, Dec.from_int(coin.amount).mul(ratio).round_int())
            for coin in params.min_deposit_for(expedited)
        )
        if not deposit.is_all_gte(needed):
            raise ErrMinDepositTooSmall.wrap(f"was ({deposit}), need ({needed})")

    # ---- deposits ------------------------------------------------------------------------------

    def add_deposit(
        self, ctx: Context, proposal_id: int, depositor: AccAddress, amount: Coins
    ) -> bool:
        """Add a deposit to a proposal in its deposit or voting period (``Keeper.AddDeposit``);
        returns whether this deposit started the voting period.

        Only denoms of min_deposit are accepted; with a non-zero ``min_deposit_ratio`` the
        deposit must reach min_deposit × ratio (truncated) in at least one denom.
        Emits ``proposal_deposit(depositor, amount, proposal_id)``.

        Raises:
            ChainError: gov 2 unknown proposal; gov 3 finished proposal; gov 22 a foreign
            denom; gov 16 below the ratio; sdk 5 the depositor lacks the funds.
        """
        proposal = self.get_proposal(ctx, proposal_id)
        if proposal.status not in (DEPOSIT_STATUS, VOTING_STATUS):
            raise ErrInactiveProposal.wrap(str(proposal_id))
        params = self.get_params(ctx)
        min_deposit = params.min_deposit_for(proposal.expedited)
        accepted = min_deposit.denoms()
        if any(coin.denom not in accepted for coin in amount):
            raise ErrInvalidDepositDenom.wrap(
                f"deposited {amount}, but gov accepts only the following denom(s): "
                f"[{' '.join(accepted)}]"
            )
        if not params.min_deposit_ratio.is_zero():
            thresholds = [
                Coin(
                    coin.denom,
                    Dec.from_int(coin.amount).mul(params.min_deposit_ratio).truncate_int(),
                )
                for coin in min_deposit
            ]
            if not any(amount.amount_of(t.denom) >= t.amount for t in thresholds):
                raise ErrMinDepositTooSmall.wrap(
                    f"received {amount} but need at least one of the following: "
                    + ",".join(str(t) for t in thresholds)
                )
        self.bank.send_coins_from_account_to_module(ctx, depositor, MODULE_NAME, amount)
        total = parse_coins(proposal.total_deposit) + amount
        del proposal.total_deposit[:]
        proposal.total_deposit.extend(coins_to_proto(total))
        store = ctx.store(state.STORE_NAME)
        state.set_proposal(store, proposal)
        activated = proposal.status == DEPOSIT_STATUS and total.is_all_gte(min_deposit)
        if activated:
            self.activate_voting_period(ctx, proposal)
        existing = state.get_deposit(store, proposal_id, depositor)
        deposited = amount if existing is None else parse_coins(existing.amount) + amount
        state.set_deposit(
            store,
            depositor,
            gov_pb2.Deposit(
                proposal_id=proposal_id,
                depositor=format_acc_address(depositor),
                amount=coins_to_proto(deposited),
            ),
        )
        ctx.emit(events.proposal_deposit_event(format_acc_address(depositor), amount, proposal_id))
        return activated

    def activate_voting_period(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        """Move a proposal from the deposit queue to the voting queue, voting from now."""
        store = ctx.store(state.STORE_NAME)
        params = self.get_params(ctx)
        start = ctx.block.time
        end = Timestamp(start + params.voting_period_for(proposal.expedited))
        deposit_end = timestamp_from_proto(proposal.deposit_end_time)
        proposal.voting_start_time.CopyFrom(timestamp_to_proto(start))
        proposal.voting_end_time.CopyFrom(timestamp_to_proto(end))
        proposal.status = VOTING_STATUS
        state.set_proposal(store, proposal)
        state.dequeue(store, state.INACTIVE_QUEUE_PREFIX, deposit_end, proposal.id)
        state.enqueue(store, state.ACTIVE_QUEUE_PREFIX, end, proposal.id)

    def refund_and_delete_deposits(self, ctx: Context, proposal_id: int) -> None:
        """Return every deposit of the proposal to its depositor."""
        store = ctx.store(state.STORE_NAME)
        for depositor, deposit in list(state.iterate_deposits(store, proposal_id)):
            amount = parse_coins(deposit.amount)
            if len(amount) > 0:
                self.bank.send_coins_from_module_to_account(
                    ctx, MODULE_NAME, AccAddress(depositor), amount
                )
            state.delete_deposit(store, proposal_id, depositor)

    def delete_and_burn_deposits(self, ctx: Context, proposal_id: int) -> None:
        """Burn every deposit of the proposal."""
        store = ctx.store(state.STORE_NAME)
        total = Coins()
        for depositor, deposit in list(state.iterate_deposits(store, proposal_id)):
            total = total + parse_coins(deposit.amount)
            state.delete_deposit(store, proposal_id, depositor)
        if len(total) > 0:
            self.bank.burn_coins(ctx, MODULE_NAME, total)

    # ---- votes ---------------------------------------------------------------------------------

    def add_vote(
        self,
        ctx: Context,
        proposal_id: int,
        voter: AccAddress,
        options: Sequence[gov_pb2.WeightedVoteOption],
        metadata: str,
    ) -> None:
        """Record (or replace) a vote on a proposal in its voting period (``Keeper.AddVote``).

        Emits ``proposal_vote(voter, option, proposal_id)``.

        Raises:
            ChainError: gov 3 the proposal is not in its voting period (closed or unknown);
            gov 15 metadata too long; gov 7 invalid options.
        """
        store = ctx.store(state.STORE_NAME)
        if not state.is_in_voting_period(store, proposal_id):
            raise ErrInactiveProposal.wrap(str(proposal_id))
        if len(metadata) > MAX_METADATA_LENGTH:
            raise ErrMetadataTooLong.wrap(f"got {len(metadata)}, max {MAX_METADATA_LENGTH}")
        parse_vote_options(options)
        voter_text = format_acc_address(voter)
        vote = gov_pb2.Vote(
            proposal_id=proposal_id, voter=voter_text, options=list(options), metadata=metadata
        )
        state.set_vote(store, voter, vote)
        ctx.emit(events.proposal_vote_event(voter_text, format_vote_options(options), proposal_id))

    # ---- tally ---------------------------------------------------------------------------------

    def compute_proposal_tally(self, ctx: Context, proposal_id: int) -> Tally:
        """The current tally of a proposal's votes (read-only)."""
        validators = [
            BondedValidator(v.operator, v.tokens, v.delegator_shares)
            for v in self.staking.get_bonded_validators_by_power(ctx)
        ]
        ballots = [
            Ballot(
                voter=voter,
                options=parse_vote_options(vote.options),
                delegations=self._stake_of(ctx, voter),
            )
            for voter, vote in state.iterate_votes(ctx.store(state.STORE_NAME), proposal_id)
        ]
        excluded = [
            share
            for name in self.get_params(ctx).tally_excluded_modules
            for share in self._stake_of(ctx, module_address(name))
        ]
        return compute_tally(validators, ballots, excluded)

    def tally(self, ctx: Context, proposal: gov_pb2.Proposal) -> tuple[TallyOutcome, Tally]:
        """Tally a proposal whose voting ended, then delete its votes (``Keeper.Tally``)."""
        result = self.compute_proposal_tally(ctx, proposal.id)
        outcome = decide_tally(
            result, self.staking.total_bonded_tokens(ctx), self.get_params(ctx), proposal.expedited
        )
        store = ctx.store(state.STORE_NAME)
        for voter, _ in list(state.iterate_votes(store, proposal.id)):
            state.delete_vote(store, proposal.id, voter)
        return outcome, result

    def _stake_of(self, ctx: Context, delegator: bytes) -> tuple[StakeShare, ...]:
        return tuple(
            StakeShare(d.validator, d.shares)
            for d in self.staking.get_delegator_delegations(ctx, delegator)
        )

    # ---- end block -----------------------------------------------------------------------------

    def process_end_block(self, ctx: Context) -> None:
        """Drop proposals whose deposit period ended, then settle those whose voting ended
        (``gov.EndBlocker``), each queue in (end time, id) order."""
        store = ctx.store(state.STORE_NAME)
        for proposal_id in state.due_proposal_ids(
            store, state.INACTIVE_QUEUE_PREFIX, ctx.block.time
        ):
            self.process_inactive_proposal(ctx, self.get_proposal(ctx, proposal_id))
        for proposal_id in state.due_proposal_ids(store, state.ACTIVE_QUEUE_PREFIX, ctx.block.time):
            self.process_active_proposal(ctx, self.get_proposal(ctx, proposal_id))

    def process_inactive_proposal(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        """The deposit period ended short of min_deposit: refund (or burn) and delete."""
        if self.get_params(ctx).burn_proposal_deposit_prevote:
            self.delete_and_burn_deposits(ctx, proposal.id)
        else:
            self.refund_and_delete_deposits(ctx, proposal.id)
        store = ctx.store(state.STORE_NAME)
        state.dequeue(
            store,
            state.INACTIVE_QUEUE_PREFIX,
            timestamp_from_proto(proposal.deposit_end_time),
            proposal.id,
        )
        state.delete_proposal(store, proposal.id)
        ctx.emit(events.inactive_proposal_event(proposal.id))

    def process_active_proposal(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        """The voting period ended: tally; settle deposits (kept if a failed expedited
        proposal turns regular); run the messages of a passed proposal; record the result."""
        store = ctx.store(state.STORE_NAME)
        outcome, result = self.tally(ctx, proposal)
        if not (proposal.expedited and not outcome.passes):
            if outcome.burn_deposits:
                self.delete_and_burn_deposits(ctx, proposal.id)
            else:
                self.refund_and_delete_deposits(ctx, proposal.id)
        state.dequeue(
            store,
            state.ACTIVE_QUEUE_PREFIX,
            timestamp_from_proto(proposal.voting_end_time),
            proposal.id,
        )
        if outcome.passes:
            failure = self.execute_proposal_messages(ctx, proposal)
            if failure is None:
                proposal.status = gov_pb2.PROPOSAL_STATUS_PASSED
                result_value, log_text = events.RESULT_PASSED, "passed"
            else:
                proposal.status = gov_pb2.PROPOSAL_STATUS_FAILED
                proposal.failed_reason = failure
                result_value = events.RESULT_FAILED
                log_text = f"passed, but {failure}"
        elif proposal.expedited:
            # A failed expedited proposal becomes a regular one and is voted on until the
            # regular voting period (counted from its voting start) ends.
            proposal.expedited = False
            end = Timestamp(
                timestamp_from_proto(proposal.voting_start_time)
                + self.get_params(ctx).voting_period
            )
            proposal.voting_end_time.CopyFrom(timestamp_to_proto(end))
            state.enqueue(store, state.ACTIVE_QUEUE_PREFIX, end, proposal.id)
            result_value = events.RESULT_EXPEDITED_REJECTED
            log_text = "expedited proposal converted to regular"
        else:
            proposal.status = gov_pb2.PROPOSAL_STATUS_REJECTED
            proposal.failed_reason = "proposal did not get enough votes to pass"
            result_value, log_text = events.RESULT_REJECTED, "rejected"
        proposal.final_tally_result.CopyFrom(result.to_proto())
        state.set_proposal(store, proposal)
        ctx.emit(events.active_proposal_event(proposal.id, result_value, log_text))

    def execute_proposal_messages(self, ctx: Context, proposal: gov_pb2.Proposal) -> str | None:
        """Run a passed proposal's messages in order in one branch of the block's state; keep
        the branch and its events only if all succeed. Returns None, or why one failed."""
        view = ctx.view
        if not isinstance(view, BranchableView):
            raise InvariantViolation("gov end-block state cannot be branched")
        branch = view.branch()
        branch_ctx = Context(branch, ctx.block, ctx.mode, ctx.gas_meter)
        for index, packed in enumerate(proposal.messages):
            try:
                self.router.execute(branch_ctx, unpack_any(packed))
            except InvariantViolation:
                raise
            except Exception as exc:  # any failure fails the proposal, as SDK's safe execute
                if isinstance(exc, ChainError):
                    reason = exc.message
                else:
                    log.error("proposal %d message %d failed", proposal.id, index, exc_info=exc)
                    reason = "internal error"
                return f"msg {index} ({packed.type_url}) failed on execution: {reason}"
        branch.write()
        for event in branch_ctx.events:
            ctx.emit(event)
        return None


def check_text_lengths(metadata: str, title: str, summary: str) -> None:
    """Metadata and title at most 255 characters, summary at most 10200 (SDK defaults).

    Raises:
        ChainError: gov 15, 23 or 21.
    """
    if len(metadata) > MAX_METADATA_LENGTH:
        raise ErrMetadataTooLong.wrap(f"got {len(metadata)}, max {MAX_METADATA_LENGTH}")
    if len(title) > MAX_TITLE_LENGTH:
        raise ErrTitleTooLong.wrap(f"got {len(title)}, max {MAX_TITLE_LENGTH}")
    if len(summary) > MAX_SUMMARY_LENGTH:
        raise ErrSummaryTooLong.wrap(f"got {len(summary)}, max {MAX_SUMMARY_LENGTH}")
