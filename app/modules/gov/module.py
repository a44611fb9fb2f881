"""The gov module as the chain sees it: store, routes, genesis, end-block."""

from __future__ import annotations

from app.chain.context import Context
from app.chain.module import KeeperModule, NoBeginBlock, ValidatorUpdate
from app.chain.router import MsgServiceRoute, QueryMethod
from app.modules.gov import genesis, msgs, queries, state
from app.modules.gov.keeper import GovKeeper
from app.pb.cosmos.gov.v1 import query_pb2, tx_pb2

__all__ = ["GovModule"]

QUERY_SERVICE = "cosmos.gov.v1.Query"

MSG_ROUTES: tuple[MsgServiceRoute[GovKeeper], ...] = (
    (
        tx_pb2.MsgSubmitProposal,
        msgs.signers_of_submit_proposal,
        msgs.validate_submit_proposal,
        msgs.handle_submit_proposal,
    ),
    (tx_pb2.MsgDeposit, msgs.signers_of_deposit, msgs.validate_deposit, msgs.handle_deposit),
    (tx_pb2.MsgVote, msgs.signers_of_vote, msgs.validate_vote, msgs.handle_vote),
    (
        tx_pb2.MsgVoteWeighted,
        msgs.signers_of_vote,
        msgs.validate_vote_weighted,
        msgs.handle_vote_weighted,
    ),
    (
        tx_pb2.MsgUpdateParams,
        msgs.signers_of_update_params,
        msgs.validate_update_params,
        msgs.handle_update_params,
    ),
)

QUERY_ROUTES: tuple[QueryMethod[GovKeeper], ...] = (
    ("Constitution", query_pb2.QueryConstitutionRequest, queries.query_constitution),
    ("Proposal", query_pb2.QueryProposalRequest, queries.query_proposal),
    ("Proposals", query_pb2.QueryProposalsRequest, queries.query_proposals),
    ("Vote", query_pb2.QueryVoteRequest, queries.query_vote),
    ("Votes", query_pb2.QueryVotesRequest, queries.query_votes),
    ("Params", query_pb2.QueryParamsRequest, queries.query_params),
    ("Deposit", query_pb2.QueryDepositRequest, queries.query_deposit),
    ("Deposits", query_pb2.QueryDepositsRequest, queries.query_deposits),
    ("TallyResult", query_pb2.QueryTallyResultRequest, queries.query_tally_result),
)


class GovModule(KeeperModule[GovKeeper], NoBeginBlock):
    """Proposals, deposits and votes; the end-block settles proposals whose period ended."""

    name = "gov"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: GovKeeper) -> None:
        super().__init__(keeper, genesis, MSG_ROUTES, QUERY_SERVICE, QUERY_ROUTES)

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        """Drop or settle the proposals whose deposit or voting period ended."""
        self.keeper.process_end_block(ctx)
        return ()
