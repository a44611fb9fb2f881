"""The distribution module as the chain sees it: its store, routes, genesis and BeginBlock."""

from __future__ import annotations

from functools import partial

from app.chain.context import Context
from app.chain.module import GenesisJSON, ValidatorUpdate
from app.chain.router import MsgRouter, QueryRouter
from app.modules.distribution import genesis, msgs, queries, state
from app.modules.distribution.keeper import DistributionKeeper
from app.pb.cosmos.distribution.v1beta1 import query_pb2, tx_pb2

__all__ = ["DistributionModule"]

QUERY_SERVICE = "/cosmos.distribution.v1beta1.Query/"


class DistributionModule:
    """Fee allocation each BeginBlock, rewards, commission and the community pool."""

    name = "distribution"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: DistributionKeeper) -> None:
        self.keeper = keeper

    def register_routes(self, msg_router: MsgRouter, query_router: QueryRouter) -> None:
        keeper = self.keeper
        msg_router.register(
            tx_pb2.MsgSetWithdrawAddress,
            module=self.name,
            signers=msgs.signers_of_set_withdraw_address,
            validate_basic=msgs.validate_set_withdraw_address,
            handle=partial(msgs.handle_set_withdraw_address, keeper),
        )
        msg_router.register(
            tx_pb2.MsgWithdrawDelegatorReward,
            module=self.name,
            signers=msgs.signers_of_withdraw_reward,
            validate_basic=msgs.validate_withdraw_reward,
            handle=partial(msgs.handle_withdraw_reward, keeper),
        )
        msg_router.register(
            tx_pb2.MsgWithdrawValidatorCommission,
            module=self.name,
            signers=msgs.signers_of_withdraw_commission,
            validate_basic=msgs.validate_withdraw_commission,
            handle=partial(msgs.handle_withdraw_commission, keeper),
        )
        msg_router.register(
            tx_pb2.MsgFundCommunityPool,
            module=self.name,
            signers=msgs.signers_of_fund_community_pool,
            validate_basic=msgs.validate_fund_community_pool,
            handle=partial(msgs.handle_fund_community_pool, keeper),
        )
        msg_router.register(
            tx_pb2.MsgCommunityPoolSpend,
            module=self.name,
            signers=msgs.signers_of_authority,
            validate_basic=msgs.validate_community_pool_spend,
            handle=partial(msgs.handle_community_pool_spend, keeper),
        )
        msg_router.register(
            tx_pb2.MsgUpdateParams,
            module=self.name,
            signers=msgs.signers_of_authority,
            validate_basic=msgs.validate_update_params,
            handle=partial(msgs.handle_update_params, keeper),
        )
        routes = (
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
            (
                "ValidatorSlashes",
                query_pb2.QueryValidatorSlashesRequest,
                queries.query_validator_slashes,
            ),
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
        """Allocate the previous block's fees and mint to its voters."""
        self.keeper.begin_block(ctx)

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        """Distribution has no end-block work."""
        return ()
