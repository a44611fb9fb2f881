"""The alliance module as the chain sees it: its store, routes, genesis and EndBlock."""

from __future__ import annotations

from functools import partial

from app.chain.context import Context
from app.chain.module import GenesisJSON, ValidatorUpdate
from app.chain.router import MsgRouter, QueryRouter
from app.modules.alliance import genesis, msgs, state
from app.modules.alliance.end_block import process_end_block
from app.modules.alliance.keeper import AllianceKeeper
from app.modules.alliance.queries import QUERY_ROUTES
from app.pb.alliance.alliance import tx_pb2

__all__ = ["QUERY_SERVICE", "AllianceModule"]

QUERY_SERVICE = "alliance.alliance.Query"


class AllianceModule:
    """Alliance assets staked for virtual native stake; EndBlock only (no BeginBlock)."""

    name = "alliance"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: AllianceKeeper) -> None:
        self.keeper = keeper

    def register_routes(self, msg_router: MsgRouter, query_router: QueryRouter) -> None:
        keeper = self.keeper
        msg_router.register(
            tx_pb2.MsgDelegate,
            module=self.name,
            signers=msgs.signers_of_delegator,
            validate_basic=msgs.validate_delegate,
            handle=partial(msgs.handle_delegate, keeper),
        )
        msg_router.register(
            tx_pb2.MsgUndelegate,
            module=self.name,
            signers=msgs.signers_of_delegator,
            validate_basic=msgs.validate_delegate,
            handle=partial(msgs.handle_undelegate, keeper),
        )
        msg_router.register(
            tx_pb2.MsgRedelegate,
            module=self.name,
            signers=msgs.signers_of_delegator,
            validate_basic=msgs.validate_redelegate,
            handle=partial(msgs.handle_redelegate, keeper),
        )
        msg_router.register(
            tx_pb2.MsgClaimDelegationRewards,
            module=self.name,
            signers=msgs.signers_of_delegator,
            validate_basic=msgs.validate_claim_rewards,
            handle=partial(msgs.handle_claim_rewards, keeper),
        )
        msg_router.register(
            tx_pb2.MsgUpdateParams,
            module=self.name,
            signers=msgs.signers_of_authority,
            validate_basic=msgs.validate_update_params,
            handle=partial(msgs.handle_update_params, keeper),
        )
        msg_router.register(
            tx_pb2.MsgCreateAlliance,
            module=self.name,
            signers=msgs.signers_of_authority,
            validate_basic=msgs.validate_create_alliance_msg,
            handle=partial(msgs.handle_create_alliance, keeper),
        )
        msg_router.register(
            tx_pb2.MsgUpdateAlliance,
            module=self.name,
            signers=msgs.signers_of_authority,
            validate_basic=msgs.validate_update_alliance_msg,
            handle=partial(msgs.handle_update_alliance, keeper),
        )
        msg_router.register(
            tx_pb2.MsgDeleteAlliance,
            module=self.name,
            signers=msgs.signers_of_authority,
            validate_basic=msgs.validate_authority_msg,
            handle=partial(msgs.handle_delete_alliance, keeper),
        )
        query_router.register_service(QUERY_SERVICE, keeper, QUERY_ROUTES)

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
        """No begin-block work (distribution pays the take-rate proceeds)."""

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        """The six steps of `process_end_block`; validator updates come from staking."""
        process_end_block(self.keeper, ctx)
        return ()
