"""The staking module as the chain sees it: store, routes, genesis, end block."""

from __future__ import annotations

from app.chain.context import Context
from app.chain.module import GenesisJSON, KeeperModule, NoBeginBlock, ValidatorUpdate
from app.chain.router import MsgServiceRoute
from app.modules.staking import end_block, genesis, msgs, queries, state
from app.modules.staking.keeper import StakingKeeper
from app.pb.cosmos.staking.v1beta1 import tx_pb2

QUERY_SERVICE = "cosmos.staking.v1beta1.Query"

MSG_ROUTES: tuple[MsgServiceRoute[StakingKeeper], ...] = (
    (
        tx_pb2.MsgCreateValidator,
        msgs.signers_of_validator,
        msgs.validate_create_validator,
        msgs.handle_create_validator,
    ),
    (
        tx_pb2.MsgEditValidator,
        msgs.signers_of_validator,
        msgs.validate_edit_validator,
        msgs.handle_edit_validator,
    ),
    (tx_pb2.MsgDelegate, msgs.signers_of_delegator, msgs.validate_delegate, msgs.handle_delegate),
    (
        tx_pb2.MsgBeginRedelegate,
        msgs.signers_of_delegator,
        msgs.validate_redelegate,
        msgs.handle_redelegate,
    ),
    (
        tx_pb2.MsgUndelegate,
        msgs.signers_of_delegator,
        msgs.validate_undelegate,
        msgs.handle_undelegate,
    ),
    (
        tx_pb2.MsgCancelUnbondingDelegation,
        msgs.signers_of_delegator,
        msgs.validate_cancel_unbonding,
        msgs.handle_cancel_unbonding,
    ),
    (
        tx_pb2.MsgUpdateParams,
        msgs.signers_of_authority,
        msgs.validate_update_params,
        msgs.handle_update_params,
    ),
)


class StakingModule(KeeperModule[StakingKeeper], NoBeginBlock):
    """Validators and delegations; the validator set goes to CometBFT at every EndBlock.

    No BeginBlock: historical info is not kept (no IBC light clients here).
    """

    name = "staking"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: StakingKeeper) -> None:
        super().__init__(keeper, genesis, MSG_ROUTES, QUERY_SERVICE, queries.ROUTES)

    def init_genesis(self, ctx: Context, section: GenesisJSON) -> tuple[ValidatorUpdate, ...]:
        return genesis.init_genesis(self.keeper, ctx, section)

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        return end_block.process_end_block(self.keeper, ctx)
