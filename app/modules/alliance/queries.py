"""Alliance queries (``/alliance.alliance.Query/<Method>``, spec §16), shared by ABCI and gRPC.

Denoms in requests are URL-unescaped (``ibc%2Fxyz`` → ``ibc/xyz``) as the reference's REST
routes do. List queries page over the store keys, so their order is the key order.
"""

from __future__ import annotations

from urllib.parse import unquote

from app.chain.addresses import parse_acc_address
from app.chain.coins import coin_to_proto, coins_to_proto
from app.chain.context import Context
from app.chain.pagination import paginate
from app.modules.alliance import errors, state
from app.modules.alliance.keeper import AllianceKeeper
from app.modules.alliance.math import compute_validator_asset_tokens
from app.modules.alliance.msgs import parse_val_address
from app.modules.alliance.types import (
    AllianceAsset,
    AllianceValidatorInfo,
    Delegation,
    QueuedUndelegation,
)
from app.pb.alliance.alliance import (
    alliance_pb2,
    delegations_pb2,
    query_pb2,
    redelegations_pb2,
    unbonding_pb2,
)
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.types.address import AccAddress, ValAddress, val_to_bech32
from app.types.coin import DecCoins
from app.types.dec import Dec
from app.types.time import Timestamp, timestamp_to_proto

__all__ = ["QUERY_ROUTES"]


def _asset_or_not_found(keeper: AllianceKeeper, ctx: Context, denom: str) -> AllianceAsset:
    asset = keeper.get_asset(ctx, denom)
    if asset is None:
        raise errors.asset_not_found(denom)
    return asset


def _existing_validator(keeper: AllianceKeeper, ctx: Context, text: str) -> ValAddress:
    operator = parse_val_address(text, "validator")
    if keeper.staking.get_validator(ctx, operator) is None:
        raise errors.validator_not_found(text)
    return operator


def _delegation_response(
    keeper: AllianceKeeper, ctx: Context, delegation: Delegation
) -> query_pb2.DelegationResponse:
    balance = keeper.get_delegation_tokens(ctx, delegation)
    return query_pb2.DelegationResponse(
        delegation=delegation.to_proto(), balance=coin_to_proto(balance)
    )


def _delegations_page(
    keeper: AllianceKeeper, ctx: Context, prefix: bytes, page: pagination_pb2.PageRequest
) -> query_pb2.QueryAlliancesDelegationsResponse:
    entries, response = paginate(ctx.store(state.STORE_NAME), prefix, page)
    delegations = [
        _delegation_response(
            keeper, ctx, Delegation.from_proto(delegations_pb2.Delegation.FromString(raw))
        )
        for _, raw in entries
    ]
    return query_pb2.QueryAlliancesDelegationsResponse(delegations=delegations, pagination=response)


def query_params(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryParamsRequest
) -> query_pb2.QueryParamsResponse:
    """The module params."""
    return query_pb2.QueryParamsResponse(params=keeper.get_params(ctx).to_proto())


def query_alliances(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAlliancesRequest
) -> query_pb2.QueryAlliancesResponse:
    """Every asset, in store order (shorter denoms first), paginated."""
    entries, page = paginate(ctx.store(state.STORE_NAME), state.ASSET_PREFIX, req.pagination)
    assets = [alliance_pb2.AllianceAsset.FromString(raw) for _, raw in entries]
    return query_pb2.QueryAlliancesResponse(alliances=assets, pagination=page)


def query_alliance(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAllianceRequest
) -> query_pb2.QueryAllianceResponse:
    """One asset; unknown: "alliance asset is not whitelisted" (code 30)."""
    asset = keeper.get_asset(ctx, unquote(req.denom))
    if asset is None:
        raise errors.ErrUnknownAsset.error()
    return query_pb2.QueryAllianceResponse(alliance=asset.to_proto())


def query_all_delegations(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAllAlliancesDelegationsRequest
) -> query_pb2.QueryAlliancesDelegationsResponse:
    """Every delegation with its token balance, in key order, paginated."""
    return _delegations_page(keeper, ctx, state.DELEGATION_PREFIX, req.pagination)


def query_delegator_delegations(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAlliancesDelegationsRequest
) -> query_pb2.QueryAlliancesDelegationsResponse:
    """A delegator's delegations, paginated."""
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    return _delegations_page(keeper, ctx, state.delegations_prefix(delegator), req.pagination)


def query_delegator_validator_delegations(
    keeper: AllianceKeeper,
    ctx: Context,
    req: query_pb2.QueryAlliancesDelegationByValidatorRequest,
) -> query_pb2.QueryAlliancesDelegationsResponse:
    """A delegator's delegations with one validator (which must exist), paginated."""
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    operator = _existing_validator(keeper, ctx, req.validator_addr)
    prefix = state.delegations_prefix(delegator) + bytes((len(operator),)) + operator
    return _delegations_page(keeper, ctx, prefix, req.pagination)


def query_delegation(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAllianceDelegationRequest
) -> query_pb2.QueryAllianceDelegationResponse:
    """One delegation; a missing one reads as zero shares at the current height."""
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    operator = _existing_validator(keeper, ctx, req.validator_addr)
    denom = unquote(req.denom)
    _asset_or_not_found(keeper, ctx, denom)
    delegation = state.get_delegation(ctx.store(state.STORE_NAME), delegator, operator, denom)
    if delegation is None:
        delegation = Delegation(
            req.delegator_addr, req.validator_addr, denom, Dec.zero(), (), ctx.block.height
        )
    return query_pb2.QueryAllianceDelegationResponse(
        delegation=_delegation_response(keeper, ctx, delegation)
    )


def query_delegation_rewards(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAllianceDelegationRewardsRequest
) -> query_pb2.QueryAllianceDelegationRewardsResponse:
    """What claiming the delegation's rewards would pay now."""
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    operator = _existing_validator(keeper, ctx, req.validator_addr)
    rewards = keeper.preview_delegation_rewards(ctx, delegator, operator, unquote(req.denom))
    return query_pb2.QueryAllianceDelegationRewardsResponse(rewards=coins_to_proto(rewards))


def _dec_coins(coins: DecCoins) -> list[coin_pb2.DecCoin]:
    return [coin_pb2.DecCoin(denom=c.denom, amount=c.amount.to_proto_str()) for c in coins]


def _validator_response(
    keeper: AllianceKeeper, ctx: Context, operator: ValAddress, info: AllianceValidatorInfo
) -> query_pb2.QueryAllianceValidatorResponse:
    staked = []
    for coin in info.validator_shares:
        asset = keeper.get_asset(ctx, coin.denom)
        if asset is not None:
            tokens = compute_validator_asset_tokens(info, asset)
            staked.append(coin_pb2.DecCoin(denom=coin.denom, amount=tokens.to_proto_str()))
    return query_pb2.QueryAllianceValidatorResponse(
        validator_addr=val_to_bech32(operator),
        total_delegation_shares=_dec_coins(info.total_delegator_shares),
        validator_shares=_dec_coins(info.validator_shares),
        total_staked=staked,
    )


def query_validator(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAllianceValidatorRequest
) -> query_pb2.QueryAllianceValidatorResponse:
    """A validator's alliance shares and the tokens they are worth per asset."""
    operator = _existing_validator(keeper, ctx, req.validator_addr)
    info = state.get_validator_info(ctx.store(state.STORE_NAME), operator)
    return _validator_response(keeper, ctx, operator, info or AllianceValidatorInfo.empty())


def query_validators(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAllAllianceValidatorsRequest
) -> query_pb2.QueryAllianceValidatorsResponse:
    """Every validator info, by operator bytes, paginated."""
    store = ctx.store(state.STORE_NAME)
    entries, page = paginate(store, state.VALIDATOR_INFO_PREFIX, req.pagination)
    validators = []
    for key, raw in entries:
        operator = state.parse_validator_info_key(state.VALIDATOR_INFO_PREFIX + key)
        info = AllianceValidatorInfo.from_proto(
            delegations_pb2.AllianceValidatorInfo.FromString(raw)
        )
        validators.append(_validator_response(keeper, ctx, operator, info))
    return query_pb2.QueryAllianceValidatorsResponse(validators=validators, pagination=page)


def _unbondings(
    ctx: Context, delegator: AccAddress, denom: str, operator: ValAddress | None
) -> list[unbonding_pb2.UnbondingDelegation]:
    """Every entry of each bucket indexed under (denom, delegator) (and operator): whole
    buckets, duplicates included, as upstream."""
    store = ctx.store(state.STORE_NAME)
    result: list[unbonding_pb2.UnbondingDelegation] = []
    for index in state.iterate_undelegation_index(store, operator):
        if index.delegator != delegator or index.denom != denom:
            continue
        bucket = state.get_undelegation_bucket(store, index.completion, delegator)
        result.extend(_unbonding_entries(index.completion, bucket or QueuedUndelegation(())))
    return result


def _unbonding_entries(
    completion: Timestamp, bucket: QueuedUndelegation
) -> list[unbonding_pb2.UnbondingDelegation]:
    return [
        unbonding_pb2.UnbondingDelegation(
            completion_time=timestamp_to_proto(completion),
            validator_address=entry.validator_address,
            amount=entry.balance.amount.to_proto_str(),
            denom=entry.balance.denom,
        )
        for entry in bucket.entries
    ]


def query_unbondings_by_delegator(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAllianceUnbondingsByDelegatorRequest
) -> query_pb2.QueryAllianceUnbondingsByDelegatorResponse:
    """The unbondings of every asset of a delegator (pagination ignored, as upstream)."""
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    unbondings = []
    for asset in keeper.get_all_assets(ctx):
        unbondings.extend(_unbondings(ctx, delegator, asset.denom, None))
    return query_pb2.QueryAllianceUnbondingsByDelegatorResponse(unbondings=unbondings)


def query_unbondings_by_denom_and_delegator(
    keeper: AllianceKeeper,
    ctx: Context,
    req: query_pb2.QueryAllianceUnbondingsByDenomAndDelegatorRequest,
) -> query_pb2.QueryAllianceUnbondingsByDenomAndDelegatorResponse:
    """A delegator's unbondings of one asset."""
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    unbondings = _unbondings(ctx, delegator, unquote(req.denom), None)
    return query_pb2.QueryAllianceUnbondingsByDenomAndDelegatorResponse(unbondings=unbondings)


def query_unbondings(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAllianceUnbondingsRequest
) -> query_pb2.QueryAllianceUnbondingsResponse:
    """A delegator's unbondings of one asset from one validator."""
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    operator = parse_val_address(req.validator_addr, "validator")
    unbondings = _unbondings(ctx, delegator, unquote(req.denom), operator)
    return query_pb2.QueryAllianceUnbondingsResponse(unbondings=unbondings)


def _redelegations_page(
    ctx: Context, prefix: bytes, page: pagination_pb2.PageRequest
) -> tuple[list[redelegations_pb2.RedelegationEntry], pagination_pb2.PageResponse]:
    entries, response = paginate(ctx.store(state.STORE_NAME), prefix, page)
    result = []
    for key, raw in entries:
        completion = state.parse_redelegation_key(prefix + key)[3]
        record = redelegations_pb2.Redelegation.FromString(raw)
        result.append(
            redelegations_pb2.RedelegationEntry(
                delegator_address=record.delegator_address,
                src_validator_address=record.src_validator_address,
                dst_validator_address=record.dst_validator_address,
                balance=record.balance,
                completion_time=timestamp_to_proto(completion),
            )
        )
    return result, response


def query_redelegations_by_delegator(
    keeper: AllianceKeeper,
    ctx: Context,
    req: query_pb2.QueryAllianceRedelegationsByDelegatorRequest,
) -> query_pb2.QueryAllianceRedelegationsByDelegatorResponse:
    """A delegator's pending redelegation records, paginated."""
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    entries, page = _redelegations_page(
        ctx, state.redelegations_prefix(delegator, None), req.pagination
    )
    return query_pb2.QueryAllianceRedelegationsByDelegatorResponse(
        redelegations=entries, pagination=page
    )


def query_redelegations(
    keeper: AllianceKeeper, ctx: Context, req: query_pb2.QueryAllianceRedelegationsRequest
) -> query_pb2.QueryAllianceRedelegationsResponse:
    """A delegator's pending redelegation records of one asset, paginated."""
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    prefix = state.redelegations_prefix(delegator, unquote(req.denom))
    entries, page = _redelegations_page(ctx, prefix, req.pagination)
    return query_pb2.QueryAllianceRedelegationsResponse(redelegations=entries, pagination=page)


QUERY_ROUTES = (
    ("Params", query_pb2.QueryParamsRequest, query_params),
    ("Alliances", query_pb2.QueryAlliancesRequest, query_alliances),
    ("Alliance", query_pb2.QueryAllianceRequest, query_alliance),
    (
        "AllAlliancesDelegations",
        query_pb2.QueryAllAlliancesDelegationsRequest,
        query_all_delegations,
    ),
    (
        "AlliancesDelegation",
        query_pb2.QueryAlliancesDelegationsRequest,
        query_delegator_delegations,
    ),
    (
        "AlliancesDelegationByValidator",
        query_pb2.QueryAlliancesDelegationByValidatorRequest,
        query_delegator_validator_delegations,
    ),
    ("AllianceDelegation", query_pb2.QueryAllianceDelegationRequest, query_delegation),
    (
        "AllianceDelegationRewards",
        query_pb2.QueryAllianceDelegationRewardsRequest,
        query_delegation_rewards,
    ),
    ("AllianceValidator", query_pb2.QueryAllianceValidatorRequest, query_validator),
    ("AllAllianceValidators", query_pb2.QueryAllAllianceValidatorsRequest, query_validators),
    (
        "AllianceUnbondingsByDelegator",
        query_pb2.QueryAllianceUnbondingsByDelegatorRequest,
        query_unbondings_by_delegator,
    ),
    (
        "AllianceUnbondingsByDenomAndDelegator",
        query_pb2.QueryAllianceUnbondingsByDenomAndDelegatorRequest,
        query_unbondings_by_denom_and_delegator,
    ),
    ("AllianceUnbondings", query_pb2.QueryAllianceUnbondingsRequest, query_unbondings),
    (
        "AllianceRedelegationsByDelegator",
        query_pb2.QueryAllianceRedelegationsByDelegatorRequest,
        query_redelegations_by_delegator,
    ),
    ("AllianceRedelegations", query_pb2.QueryAllianceRedelegationsRequest, query_redelegations),
)
"""The 15 methods of ``alliance.alliance.Query``: (method, request class, handler)."""
