"""The mint module as the chain sees it: its store, routes, genesis and BeginBlock."""

from __future__ import annotations

from functools import partial

from app.chain.context import Context
from app.chain.module import GenesisJSON, ValidatorUpdate
from app.chain.router import MsgRouter, QueryRouter
from app.modules.mint import genesis, msgs, queries, state
from app.modules.mint.keeper import MintKeeper
from app.pb.cosmos.mint.v1beta1 import query_pb2, tx_pb2

__all__ = ["MintModule"]

QUERY_SERVICE = "/cosmos.mint.v1beta1.Query/"


class MintModule:
    """Inflation: mints block provisions into the fee collector at every BeginBlock."""

    name = "mint"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: MintKeeper) -> None:
        self.keeper = keeper

    def register_routes(self, msg_router: MsgRouter, query_router: QueryRouter) -> None:
        keeper = self.keeper
        msg_router.register(
            tx_pb2.MsgUpdateParams,
            module=self.name,
            signers=msgs.signers_of_update_params,
            validate_basic=msgs.validate_update_params,
            handle=partial(msgs.handle_update_params, keeper),
        )
        routes = (
            ("Params", query_pb2.QueryParamsRequest, queries.query_params),
            ("Inflation", query_pb2.QueryInflationRequest, queries.query_inflation),
            (
                "AnnualProvisions",
                query_pb2.QueryAnnualProvisionsRequest,
                queries.query_annual_provisions,
            ),
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
        """Mint this block's provisions into the fee collector."""
        self.keeper.begin_block(ctx)

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        """Mint has no end-block work."""
        return ()
