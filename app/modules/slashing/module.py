"""The slashing module as the chain sees it: store, routes, genesis, begin-block."""

from __future__ import annotations

from app.chain.context import Context
from app.chain.module import KeeperModule, NoEndBlock
from app.chain.router import MsgServiceRoute, QueryMethod
from app.modules.slashing import genesis, msgs, queries, state
from app.modules.slashing.keeper import SlashingKeeper
from app.pb.cosmos.slashing.v1beta1 import query_pb2, tx_pb2

__all__ = ["SlashingModule"]

QUERY_SERVICE = "cosmos.slashing.v1beta1.Query"

MSG_ROUTES: tuple[MsgServiceRoute[SlashingKeeper], ...] = (
    (tx_pb2.MsgUnjail, msgs.signers_of_unjail, msgs.validate_unjail, msgs.handle_unjail),
    (
        tx_pb2.MsgUpdateParams,
        msgs.signers_of_update_params,
        msgs.validate_update_params,
        msgs.handle_update_params,
    ),
)

QUERY_ROUTES: tuple[QueryMethod[SlashingKeeper], ...] = (
    ("Params", query_pb2.QueryParamsRequest, queries.query_params),
    ("SigningInfo", query_pb2.QuerySigningInfoRequest, queries.query_signing_info),
    ("SigningInfos", query_pb2.QuerySigningInfosRequest, queries.query_signing_infos),
)


class SlashingModule(KeeperModule[SlashingKeeper], NoEndBlock):
    """Liveness and double-sign punishment; no end-block work (staking applies jailing)."""

    name = "slashing"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: SlashingKeeper) -> None:
        super().__init__(keeper, genesis, MSG_ROUTES, QUERY_SERVICE, QUERY_ROUTES)

    def begin_block(self, ctx: Context) -> None:
        """Liveness for every vote of the last commit, then every misbehavior of the block
        (the SDK's slashing then evidence BeginBlockers)."""
        for vote in ctx.block.votes:
            self.keeper.handle_validator_signature(
                ctx, vote.address, vote.power, vote.block_id_flag
            )
        for evidence in ctx.block.misbehavior:
            self.keeper.handle_equivocation(ctx, evidence)
