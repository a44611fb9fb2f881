"""The gov module as the chain sees it: store, routes, genesis, end-block."""

from __future__ import annotations

from functools import partial

from app.chain.context import Context
from app.chain.module import GenesisJSON, ValidatorUpdate
from app.chain.router import MsgRouter, QueryRouter
from app.modules.gov import genesis, msgs, queries, state
from app.modules.gov.keeper import GovKeeper
from app.pb.cosmos.gov.v1 import query_pb2, tx_pb2

__all__ = ["GovModule"]

QUERY_SERVICE = "/cosmos.gov.v1.Query/"


class GovModule:
    """Proposals, deposits and votes; the end-block settles proposals whose period ended."""

    name = "gov"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: GovKeeper) -> None:
        self.keeper = keeper

    def register_routes(self, msg_router: MsgRouter, query_router: QueryRouter) -> None:
        keeper = self.keeper
        msg_router.register(
            tx_pb2.MsgSubmitProposal,
            module=self.name,
            signers=msgs.signers_of_submit_proposal,
            validate_basic=msgs.validate_submit_proposal,
            handle=partial(msgs.handle_submit_proposal, keeper),
        )
        msg_router.register(
            tx_pb2.MsgDeposit,
            module=self.name,
            signers=msgs.signers_of_deposit,
            validate_basic=msgs.validate_deposit,
            handle=partial(msgs.handle_deposit, keeper),
        )
        msg_router.register(
            tx_pb2.MsgVote,
            module=self.name,
            signers=msgs.signers_of_vote,
            validate_basic=msgs.validate_vote,
            handle=partial(msgs.handle_vote, keeper),
        )
        msg_router.register(
            tx_pb2.MsgVoteWeighted,
            module=self.name,
            signers=msgs.signers_of_vote,
            validate_basic=msgs.validate_vote_weighted,
            handle=partial(msgs.handle_vote_weighted, keeper),
        )
        msg_router.register(
            tx_pb2.MsgUpdateParams,
            module=self.name,
            signers=msgs.signers_of_update_params,
            validate_basic=msgs.validate_update_params,
            handle=partial(msgs.handle_update_params, keeper),
        )
        routes = (
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
        for method, request_class, handler in routes:
            query_router.register(QUERY_SERVICE + method, request_class, partial(handler, keeper))

    def default_genesis(self) -> GenesisJSON:
        return genesis.default_genesis()

    def validate_genesis(self, section: GenesisJSON) -> None:
        genesis.validate_genesis(section)

    def init_genesis(self, ctx: Context, section: GenesisJSON) -> tuple[ValidatorUpdate, ...]:
        genesis.init_genesis(self.keeper, ctx, section)
        return ()

    def export_genesis(self, ctx: Context) -> GenesisJSON:
        return genesis.export_genesis(self.keeper, ctx)

    def begin_block(self, ctx: Context) -> None:
        """Gov has no begin-block work."""

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        """Drop or settle the proposals whose deposit or voting period ended."""
        self.keeper.process_end_block(ctx)
        return ()
