"""The staking module as the chain sees it: store, routes, genesis, end block."""

from __future__ import annotations

from functools import partial

from app.chain.context import Context
from app.chain.module import GenesisJSON, ValidatorUpdate
from app.chain.router import MsgRouter, QueryRouter
from app.modules.staking import end_block, genesis, msgs, queries, state
from app.modules.staking.keeper import StakingKeeper
from app.pb.cosmos.staking.v1beta1 import tx_pb2

QUERY_SERVICE = "/cosmos.staking.v1beta1.Query/"


class StakingModule:
    """Validators and delegations; the validator set goes to CometBFT at every EndBlock."""

    name = "staking"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: StakingKeeper) -> None:
        self.keeper = keeper

    def register_routes(self, msg_router: MsgRouter, query_router: QueryRouter) -> None:
        keeper = self.keeper
        msg_router.register(
            tx_pb2.MsgCreateValidator,
            module=self.name,
            signers=msgs.signers_of_validator,
            validate_basic=msgs.validate_create_validator,
            handle=partial(msgs.handle_create_validator, keeper),
        )
        msg_router.register(
            tx_pb2.MsgEditValidator,
            module=self.name,
            signers=msgs.signers_of_validator,
            validate_basic=msgs.validate_edit_validator,
            handle=partial(msgs.handle_edit_validator, keeper),
        )
        msg_router.register(
            tx_pb2.MsgDelegate,
            module=self.name,
            signers=msgs.signers_of_delegator,
            validate_basic=msgs.validate_delegate,
            handle=partial(msgs.handle_delegate, keeper),
        )
        msg_router.register(
            tx_pb2.MsgBeginRedelegate,
            module=self.name,
            signers=msgs.signers_of_delegator,
            validate_basic=msgs.validate_redelegate,
            handle=partial(msgs.handle_redelegate, keeper),
        )
        msg_router.register(
            tx_pb2.MsgUndelegate,
            module=self.name,
            signers=msgs.signers_of_delegator,
            validate_basic=msgs.validate_undelegate,
            handle=partial(msgs.handle_undelegate, keeper),
        )
        msg_router.register(
            tx_pb2.MsgCancelUnbondingDelegation,
            module=self.name,
            signers=msgs.signers_of_delegator,
            validate_basic=msgs.validate_cancel_unbonding,
            handle=partial(msgs.handle_cancel_unbonding, keeper),
        )
        msg_router.register(
            tx_pb2.MsgUpdateParams,
            module=self.name,
            signers=msgs.signers_of_authority,
            validate_basic=msgs.validate_update_params,
            handle=partial(msgs.handle_update_params, keeper),
        )
        for method, request_class, handler in queries.ROUTES:
            query_router.register(QUERY_SERVICE + method, request_class, partial(handler, keeper))

    def default_genesis(self) -> GenesisJSON:
        return genesis.default_genesis()

    def validate_genesis(self, section: GenesisJSON) -> None:
        genesis.validate_genesis(section)

    def init_genesis(self, ctx: Context, section: GenesisJSON) -> tuple[ValidatorUpdate, ...]:
        return genesis.init_genesis(self.keeper, ctx, section)

    def export_genesis(self, ctx: Context) -> GenesisJSON:
        return genesis.export_genesis(self.keeper, ctx)

    def begin_block(self, ctx: Context) -> None:
        """Historical info is not kept (no IBC light clients here): nothing to do."""

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        return end_block.process_end_block(self.keeper, ctx)
