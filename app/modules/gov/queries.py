"""Gov queries (``/cosmos.gov.v1.Query/…``)."""

from __future__ import annotations

from app.chain.addresses import parse_acc_address
from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest, ErrNotFound
from app.chain.pagination import DEFAULT_PAGE_LIMIT, paginate
from app.modules.gov import state
from app.modules.gov.errors import ErrUnknownProposal
from app.modules.gov.keeper import GovKeeper
from app.modules.gov.tally import Tally
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2
from app.pb.cosmos.gov.v1 import gov_pb2, query_pb2
from app.types.dec import Dec

__all__ = [
    "query_constitution",
    "query_deposit",
    "query_deposits",
    "query_params",
    "query_proposal",
    "query_proposals",
    "query_tally_result",
    "query_vote",
    "query_votes",
]


def _require_id(proposal_id: int) -> int:
    if proposal_id == 0:
        raise ErrInvalidRequest.wrap("proposal id can not be 0")
    return proposal_id


def query_constitution(
    keeper: GovKeeper, ctx: Context, req: query_pb2.QueryConstitutionRequest
) -> query_pb2.QueryConstitutionResponse:
    return query_pb2.QueryConstitutionResponse(
        constitution=state.get_constitution(ctx.store(state.STORE_NAME))
    )


def query_proposal(
    keeper: GovKeeper, ctx: Context, req: query_pb2.QueryProposalRequest
) -> query_pb2.QueryProposalResponse:
    """One proposal; sdk 38 "proposal N doesn't exist" when unknown (as the SDK)."""
    proposal = state.get_proposal(ctx.store(state.STORE_NAME), _require_id(req.proposal_id))
    if proposal is None:
        raise ErrNotFound.wrap(f"proposal {req.proposal_id} doesn't exist")
    return query_pb2.QueryProposalResponse(proposal=proposal)


def query_proposals(
    keeper: GovKeeper, ctx: Context, req: query_pb2.QueryProposalsRequest
) -> query_pb2.QueryProposalsResponse:
    """Proposals in id order, paginated; optionally only those with a status, a vote of
    `voter` or a deposit of `depositor` (filters page over the matching proposals)."""
    store = ctx.store(state.STORE_NAME)
    voter = parse_acc_address(req.voter, "voter") if req.voter else None
    depositor = parse_acc_address(req.depositor, "depositor") if req.depositor else None
    if not (req.proposal_status or voter or depositor):
        entries, page = paginate(store, state.PROPOSAL_PREFIX, req.pagination)
        proposals = [gov_pb2.Proposal.FromString(raw) for _, raw in entries]
        return query_pb2.QueryProposalsResponse(proposals=proposals, pagination=page)

    def matches(proposal: gov_pb2.Proposal) -> bool:
        if req.proposal_status and proposal.status != req.proposal_status:
            return False
        if voter is not None and state.get_vote(store, proposal.id, voter) is None:
            return False
        return depositor is None or state.get_deposit(store, proposal.id, depositor) is not None

    matching = [p for p in state.iterate_proposals(store) if matches(p)]
    chosen, page = _page_of(matching, req.pagination)
    return query_pb2.QueryProposalsResponse(proposals=chosen, pagination=page)


def _page_of(
    proposals: list[gov_pb2.Proposal], request: pagination_pb2.PageRequest
) -> tuple[list[gov_pb2.Proposal], pagination_pb2.PageResponse]:
    """Key or offset paging over an already filtered list (keys are 8-byte proposal ids)."""
    if request.key and request.offset:
        raise ErrInvalidRequest.wrap("either offset or key is expected, got both")
    ordered = list(reversed(proposals)) if request.reverse else proposals
    start = request.offset
    if request.key:
        key_id = int.from_bytes(request.key, "big")
        start = next(
            (
                i
                for i, p in enumerate(ordered)
                if (p.id <= key_id if request.reverse else p.id >= key_id)
            ),
            len(ordered),
        )
    limit = request.limit or DEFAULT_PAGE_LIMIT
    chosen = ordered[start : start + limit]
    rest = ordered[start + limit :]
    response = pagination_pb2.PageResponse(next_key=state.id_bytes(rest[0].id) if rest else b"")
    if request.count_total and not request.key:
        response.total = len(ordered)
    return chosen, response


def query_vote(
    keeper: GovKeeper, ctx: Context, req: query_pb2.QueryVoteRequest
) -> query_pb2.QueryVoteResponse:
    voter = parse_acc_address(req.voter, "voter")
    vote = state.get_vote(ctx.store(state.STORE_NAME), _require_id(req.proposal_id), voter)
    if vote is None:
        raise ErrInvalidRequest.wrap(
            f"voter: {req.voter} not found for proposal: {req.proposal_id}"
        )
    return query_pb2.QueryVoteResponse(vote=vote)


def query_votes(
    keeper: GovKeeper, ctx: Context, req: query_pb2.QueryVotesRequest
) -> query_pb2.QueryVotesResponse:
    """The votes of a proposal still being voted on (votes are deleted by the tally)."""
    entries, page = paginate(
        ctx.store(state.STORE_NAME),
        state.votes_prefix(_require_id(req.proposal_id)),
        req.pagination,
    )
    votes = [gov_pb2.Vote.FromString(raw) for _, raw in entries]
    return query_pb2.QueryVotesResponse(votes=votes, pagination=page)


def query_params(
    keeper: GovKeeper, ctx: Context, req: query_pb2.QueryParamsRequest
) -> query_pb2.QueryParamsResponse:
    """The params; ``params_type`` deposit / voting / tallying also fills the legacy field."""
    params = keeper.get_params(ctx).to_proto()
    response = query_pb2.QueryParamsResponse(params=params)
    if req.params_type == "deposit":
        response.deposit_params.CopyFrom(
            gov_pb2.DepositParams(
                min_deposit=params.min_deposit, max_deposit_period=params.max_deposit_period
            )
        )
    elif req.params_type == "voting":
        response.voting_params.CopyFrom(gov_pb2.VotingParams(voting_period=params.voting_period))
    elif req.params_type == "tallying":
        response.tally_params.CopyFrom(
            gov_pb2.TallyParams(
                quorum=params.quorum,
                threshold=params.threshold,
                veto_threshold=params.veto_threshold,
            )
        )
    elif req.params_type:
        raise ErrInvalidRequest.wrap(f"{req.params_type} is not a valid parameter type")
    return response


def query_deposit(
    keeper: GovKeeper, ctx: Context, req: query_pb2.QueryDepositRequest
) -> query_pb2.QueryDepositResponse:
    depositor = parse_acc_address(req.depositor, "depositor")
    deposit = state.get_deposit(
        ctx.store(state.STORE_NAME), _require_id(req.proposal_id), depositor
    )
    if deposit is None:
        raise ErrInvalidRequest.wrap(
            f"depositer: {req.depositor} not found for proposal: {req.proposal_id}"
        )
    return query_pb2.QueryDepositResponse(deposit=deposit)


def query_deposits(
    keeper: GovKeeper, ctx: Context, req: query_pb2.QueryDepositsRequest
) -> query_pb2.QueryDepositsResponse:
    """Deposits still held for a proposal (refunded or burned ones are gone), paginated."""
    entries, page = paginate(
        ctx.store(state.STORE_NAME),
        state.deposits_prefix(_require_id(req.proposal_id)),
        req.pagination,
    )
    deposits = [gov_pb2.Deposit.FromString(raw) for _, raw in entries]
    return query_pb2.QueryDepositsResponse(deposits=deposits, pagination=page)


def query_tally_result(
    keeper: GovKeeper, ctx: Context, req: query_pb2.QueryTallyResultRequest
) -> query_pb2.QueryTallyResultResponse:
    """Zero in the deposit period, the running tally in the voting period, else the final one."""
    proposal = state.get_proposal(ctx.store(state.STORE_NAME), _require_id(req.proposal_id))
    if proposal is None:
        raise ErrUnknownProposal.wrap(f"proposal {req.proposal_id} doesn't exist")
    if proposal.status == gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD:
        zero = Dec.zero()
        tally = Tally(zero, zero, zero, zero, zero, zero).to_proto()
    elif proposal.status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD:
        tally = keeper.compute_proposal_tally(ctx, proposal.id).to_proto()
    else:
        tally = proposal.final_tally_result
    return query_pb2.QueryTallyResultResponse(tally=tally)
