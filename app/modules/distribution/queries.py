"""Distribution queries (``/cosmos.distribution.v1beta1.Query/…``), shared by ABCI Query and gRPC.

Reward queries compute what a withdrawal would pay now without writing anything: the open
period's ratio is derived in memory (`DistributionKeeper.pending_reward_ratio`).
"""

from __future__ import annotations

from app.chain.addresses import format_acc_address, parse_acc_address
from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest
from app.modules.distribution import state
from app.modules.distribution.errors import ErrNoValidatorExists
from app.modules.distribution.keeper import DistributionKeeper
from app.modules.distribution.msgs import parse_val_address
from app.modules.distribution.state import dec_coins_to_proto
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2
from app.pb.cosmos.distribution.v1beta1 import distribution_pb2, query_pb2
from app.types.address import ValAddress, val_to_bech32
from app.types.coin import DecCoins

__all__ = [
    "query_community_pool",
    "query_delegation_rewards",
    "query_delegation_total_rewards",
    "query_delegator_validators",
    "query_delegator_withdraw_address",
    "query_params",
    "query_validator_commission",
    "query_validator_distribution_info",
    "query_validator_outstanding_rewards",
    "query_validator_slashes",
]


def _existing_validator(keeper: DistributionKeeper, ctx: Context, text: str) -> ValAddress:
    """The operator address of `text`, which must name an existing validator."""
    if not text:
        raise ErrInvalidRequest.wrap("empty validator address")
    operator = parse_val_address(text, "validator")
    if keeper.staking.get_validator(ctx, operator) is None:
        raise ErrNoValidatorExists.wrap(text)
    return operator


def _delegator(text: str) -> bytes:
    if not text:
        raise ErrInvalidRequest.wrap("empty delegator address")
    return parse_acc_address(text, "delegator")


def query_params(
    keeper: DistributionKeeper, ctx: Context, req: query_pb2.QueryParamsRequest
) -> query_pb2.QueryParamsResponse:
    return query_pb2.QueryParamsResponse(params=keeper.get_params(ctx).to_proto())


def query_validator_distribution_info(
    keeper: DistributionKeeper, ctx: Context, req: query_pb2.QueryValidatorDistributionInfoRequest
) -> query_pb2.QueryValidatorDistributionInfoResponse:
    """The operator's self-delegation rewards and the validator's accumulated commission."""
    operator = _existing_validator(keeper, ctx, req.validator_address)
    self_delegation = keeper.staking.get_delegation(ctx, operator, operator)
    rewards = (
        DecCoins()
        if self_delegation is None
        else keeper.delegation_rewards(ctx, operator, operator)
    )
    return query_pb2.QueryValidatorDistributionInfoResponse(
        operator_address=format_acc_address(operator),
        self_bond_rewards=dec_coins_to_proto(rewards),
        commission=dec_coins_to_proto(state.get_commission(ctx.store(state.STORE_NAME), operator)),
    )


def query_validator_outstanding_rewards(
    keeper: DistributionKeeper,
    ctx: Context,
    req: query_pb2.QueryValidatorOutstandingRewardsRequest,
) -> query_pb2.QueryValidatorOutstandingRewardsResponse:
    operator = _existing_validator(keeper, ctx, req.validator_address)
    rewards = state.get_outstanding(ctx.store(state.STORE_NAME), operator)
    return query_pb2.QueryValidatorOutstandingRewardsResponse(
        rewards=distribution_pb2.ValidatorOutstandingRewards(rewards=dec_coins_to_proto(rewards))
    )


def query_validator_commission(
    keeper: DistributionKeeper, ctx: Context, req: query_pb2.QueryValidatorCommissionRequest
) -> query_pb2.QueryValidatorCommissionResponse:
    operator = _existing_validator(keeper, ctx, req.validator_address)
    commission = state.get_commission(ctx.store(state.STORE_NAME), operator)
    return query_pb2.QueryValidatorCommissionResponse(
        commission=distribution_pb2.ValidatorAccumulatedCommission(
            commission=dec_coins_to_proto(commission)
        )
    )


def query_validator_slashes(
    keeper: DistributionKeeper, ctx: Context, req: query_pb2.QueryValidatorSlashesRequest
) -> query_pb2.QueryValidatorSlashesResponse:
    """The validator's slash events with starting_height ≤ height ≤ ending_height, in order;
    ``limit`` caps their number."""
    if not req.validator_address:
        raise ErrInvalidRequest.wrap("empty validator address")
    if req.ending_height < req.starting_height:
        raise ErrInvalidRequest.wrap(
            "starting height greater than ending height "
            f"({req.starting_height} > {req.ending_height})"
        )
    operator = parse_val_address(req.validator_address, "validator")
    slashes = [
        event.to_proto()
        for _, event in state.iterate_slash_events_between(
            ctx.store(state.STORE_NAME), operator, req.starting_height, req.ending_height
        )
    ]
    total = len(slashes)
    if req.pagination.limit:
        slashes = slashes[req.pagination.offset : req.pagination.offset + req.pagination.limit]
    return query_pb2.QueryValidatorSlashesResponse(
        slashes=slashes, pagination=pagination_pb2.PageResponse(total=total)
    )


def query_delegation_rewards(
    keeper: DistributionKeeper, ctx: Context, req: query_pb2.QueryDelegationRewardsRequest
) -> query_pb2.QueryDelegationRewardsResponse:
    """The rewards one delegation would withdraw now."""
    delegator = _delegator(req.delegator_address)
    operator = _existing_validator(keeper, ctx, req.validator_address)
    rewards = keeper.delegation_rewards(ctx, delegator, operator)
    return query_pb2.QueryDelegationRewardsResponse(rewards=dec_coins_to_proto(rewards))


def query_delegation_total_rewards(
    keeper: DistributionKeeper, ctx: Context, req: query_pb2.QueryDelegationTotalRewardsRequest
) -> query_pb2.QueryDelegationTotalRewardsResponse:
    """The rewards of each of the delegator's delegations, and their sum."""
    delegator = _delegator(req.delegator_address)
    total = DecCoins()
    entries = []
    for delegation in keeper.staking.get_delegator_delegations(ctx, delegator):
        rewards = keeper.delegation_rewards(ctx, delegator, delegation.validator)
        total = total + rewards
        entries.append(
            distribution_pb2.DelegationDelegatorReward(
                validator_address=val_to_bech32(delegation.validator),
                reward=dec_coins_to_proto(rewards),
            )
        )
    return query_pb2.QueryDelegationTotalRewardsResponse(
        rewards=entries, total=dec_coins_to_proto(total)
    )


def query_delegator_validators(
    keeper: DistributionKeeper, ctx: Context, req: query_pb2.QueryDelegatorValidatorsRequest
) -> query_pb2.QueryDelegatorValidatorsResponse:
    """The operators the delegator has delegated to."""
    delegator = _delegator(req.delegator_address)
    delegations = keeper.staking.get_delegator_delegations(ctx, delegator)
    return query_pb2.QueryDelegatorValidatorsResponse(
        validators=[val_to_bech32(delegation.validator) for delegation in delegations]
    )


def query_delegator_withdraw_address(
    keeper: DistributionKeeper,
    ctx: Context,
    req: query_pb2.QueryDelegatorWithdrawAddressRequest,
) -> query_pb2.QueryDelegatorWithdrawAddressResponse:
    delegator = _delegator(req.delegator_address)
    withdraw = keeper.get_withdraw_addr(ctx, delegator)
    return query_pb2.QueryDelegatorWithdrawAddressResponse(
        withdraw_address=format_acc_address(withdraw)
    )


def query_community_pool(
    keeper: DistributionKeeper, ctx: Context, req: query_pb2.QueryCommunityPoolRequest
) -> query_pb2.QueryCommunityPoolResponse:
    return query_pb2.QueryCommunityPoolResponse(
        pool=dec_coins_to_proto(keeper.get_community_pool(ctx))
    )
