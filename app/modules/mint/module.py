"""The mint module as the chain sees it: its store, routes, genesis and BeginBlock."""

from __future__ import annotations

from app.chain.context import Context
from app.chain.module import KeeperModule, NoEndBlock
from app.chain.router import MsgServiceRoute, QueryMethod
from app.modules.mint import genesis, msgs, queries, state
from app.modules.mint.keeper import MintKeeper
from app.pb.cosmos.mint.v1beta1 import query_pb2, tx_pb2

__all__ = ["MintModule"]

QUERY_SERVICE = "cosmos.mint.v1beta1.Query"

MSG_ROUTES: tuple[MsgServiceRoute[MintKeeper], ...] = (
    (
        tx_pb2.MsgUpdateParams,
        msgs.signers_of_update_params,
        msgs.validate_update_params,
        msgs.handle_update_params,
    ),
)

QUERY_ROUTES: tuple[QueryMethod[MintKeeper], ...] = (
    ("Params", query_pb2.QueryParamsRequest, queries.query_params),
    ("Inflation", query_pb2.QueryInflationRequest, queries.query_inflation),
    ("AnnualProvisions", query_pb2.QueryAnnualProvisionsRequest, queries.query_annual_provisions),
)


class MintModule(KeeperModule[MintKeeper], NoEndBlock):
    """Inflation: mints block provisions into the fee collector at every BeginBlock."""

    name = "mint"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: MintKeeper) -> None:
        super().__init__(keeper, genesis, MSG_ROUTES, QUERY_SERVICE, QUERY_ROUTES)

    def begin_block(self, ctx: Context) -> None:
        """Mint this block's provisions into the fee collector."""
        self.keeper.begin_block(ctx)
