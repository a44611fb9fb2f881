"""The alliance module as the chain sees it: its store, routes, genesis and EndBlock."""

from __future__ import annotations

from app.chain.context import Context
from app.chain.module import KeeperModule, NoBeginBlock, ValidatorUpdate
from app.chain.router import MsgServiceRoute
from app.modules.alliance import genesis, msgs, state
from app.modules.alliance.end_block import process_end_block
from app.modules.alliance.keeper import AllianceKeeper
from app.modules.alliance.queries import QUERY_ROUTES
from app.pb.alliance.alliance import tx_pb2

__all__ = ["QUERY_SERVICE", "AllianceModule"]

QUERY_SERVICE = "alliance.alliance.Query"

MSG_ROUTES: tuple[MsgServiceRoute[AllianceKeeper], ...] = (
    (tx_pb2.MsgDelegate, msgs.signers_of_delegator, msgs.validate_delegate, msgs.handle_delegate),
    (
        tx_pb2.MsgUndelegate,
        msgs.signers_of_delegator,
        msgs.validate_delegate,
        msgs.handle_undelegate,
    ),
    (
        tx_pb2.MsgRedelegate,
        msgs.signers_of_delegator,
        msgs.validate_redelegate,
        msgs.handle_redelegate,
    ),
    (
        tx_pb2.MsgClaimDelegationRewards,
        msgs.signers_of_delegator,
        msgs.validate_claim_rewards,
        msgs.handle_claim_rewards,
    ),
    (
        tx_pb2.MsgUpdateParams,
        msgs.signers_of_authority,
        msgs.validate_update_params,
        msgs.handle_update_params,
    ),
    (
        tx_pb2.MsgCreateAlliance,
        msgs.signers_of_authority,
        msgs.validate_create_alliance_msg,
        msgs.handle_create_alliance,
    ),
    (
        tx_pb2.MsgUpdateAlliance,
        msgs.signers_of_authority,
        msgs.validate_update_alliance_msg,
        msgs.handle_update_alliance,
    ),
    (
        tx_pb2.MsgDeleteAlliance,
        msgs.signers_of_authority,
        msgs.validate_authority_msg,
        msgs.handle_delete_alliance,
    ),
)


class AllianceModule(KeeperModule[AllianceKeeper], NoBeginBlock):
    """Alliance assets staked for virtual native stake; EndBlock only (no BeginBlock: distribution
    pays the take-rate proceeds)."""

    name = "alliance"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: AllianceKeeper) -> None:
        super().__init__(keeper, genesis, MSG_ROUTES, QUERY_SERVICE, QUERY_ROUTES)

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        """The six steps of `process_end_block`; validator updates come from staking."""
        process_end_block(self.keeper, ctx)
        return ()
