"""The distribution module as the chain sees it: its store, routes, genesis and BeginBlock."""

from __future__ import annotations

from app.chain.context import Context
from app.chain.module import KeeperModule, NoEndBlock
from app.chain.router import MsgServiceRoute, QueryMethod
from app.modules.distribution import genesis, msgs, queries, state
from app.modules.distribution.keeper import DistributionKeeper
from app.pb.cosmos.distribution.v1beta1 import query_pb2, tx_pb2

__all__ = ["DistributionModule"]

QUERY_SERVICE = "cosmos.distribution.v1beta1.Query"

MSG_ROUTES: tuple[MsgServiceRoute[DistributionKeeper], ...] = (
    (
        tx_pb2.MsgSetWithdrawAddress,
        msgs.signers_of_set_withdraw_address,
        msgs.validate_set_withdraw_address,
        msgs.handle_set_withdraw_address,
    ),
    (
        tx_pb2.MsgWithdrawDelegatorReward,
        msgs.signers_of_withdraw_reward,
        msgs.validate_withdraw_reward,
        msgs.handle_withdraw_reward,
    ),
    (
        tx_pb2.MsgWithdrawValidatorCommission,
        msgs.signers_of_withdraw_commission,
        msgs.validate_withdraw_commission,
        msgs.handle_withdraw_commission,
    ),
    (
        tx_pb2.MsgFundCommunityPool,
        msgs.signers_of_fund_community_pool,
        msgs.validate_fund_community_pool,
        msgs.handle_fund_community_pool,
    ),
    (
        tx_pb2.MsgCommunityPoolSpend,
        msgs.signers_of_authority,
        msgs.validate_community_pool_spend,
        msgs.handle_community_pool_spend,
    ),
    (
        tx_pb2.MsgUpdateParams,
        msgs.signers_of_authority,
        msgs.validate_update_params,
        msgs.handle_update_params,
    ),
)

QUERY_ROUTES: tuple[QueryMethod[DistributionKeeper], ...] = (
    ("Params", query_pb2.QueryParamsRequest, queries.query_params),
    (
        "ValidatorDistributionInfo",
        query_pb2.QueryValidatorDistributionInfoRequest,
        queries.query_validator_distribution_info,
    ),
    (
        "ValidatorOutstandingRewards",
        query_pb2.QueryValidatorOutstandingRewardsRequest,
        queries.query_validator_outstanding_rewards,
    ),
    (
        "ValidatorCommission",
        query_pb2.QueryValidatorCommissionRequest,
        queries.query_validator_commission,
    ),
    ("ValidatorSlashes", query_pb2.QueryValidatorSlashesRequest, queries.query_validator_slashes),
    (
        "DelegationRewards",
        query_pb2.QueryDelegationRewardsRequest,
        queries.query_delegation_rewards,
    ),
    (
        "DelegationTotalRewards",
        query_pb2.QueryDelegationTotalRewardsRequest,
        queries.query_delegation_total_rewards,
    ),
    (
        "DelegatorValidators",
        query_pb2.QueryDelegatorValidatorsRequest,
        queries.query_delegator_validators,
    ),
    (
        "DelegatorWithdrawAddress",
        query_pb2.QueryDelegatorWithdrawAddressRequest,
        queries.query_delegator_withdraw_address,
    ),
    ("CommunityPool", query_pb2.QueryCommunityPoolRequest, queries.query_community_pool),
)


class DistributionModule(KeeperModule[DistributionKeeper], NoEndBlock):
    """Fee allocation each BeginBlock, rewards, commission and the community pool."""

    name = "distribution"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: DistributionKeeper) -> None:
        super().__init__(keeper, genesis, MSG_ROUTES, QUERY_SERVICE, QUERY_ROUTES)

    def begin_block(self, ctx: Context) -> None:
        """Allocate the previous block's fees and mint to its voters."""
        self.keeper.begin_block(ctx)
