"""Staking queries (``/cosmos.staking.v1beta1.Query/…``), shared by ABCI Query and gRPC."""

from __future__ import annotations

from app.chain.addresses import parse_acc_address
from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest, ErrNotFound
from app.chain.pagination import paginate
from app.modules.staking import state
from app.modules.staking.errors import (
    ErrNoDelegation,
    ErrNoRedelegation,
    ErrNoUnbondingDelegation,
    ErrNoValidatorFound,
)
from app.modules.staking.keeper import StakingKeeper
from app.modules.staking.msgs import parse_val_address
from app.modules.staking.types import Delegation, Redelegation, Validator
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.cosmos.staking.v1beta1 import query_pb2, staking_pb2
from app.types.int import Int


def _validator(keeper: StakingKeeper, ctx: Context, text: str) -> Validator:
    if not text:
        raise ErrInvalidRequest.wrap("validator address cannot be empty")
    validator = keeper.get_validator(ctx, parse_val_address(text))
    if validator is None:
        raise ErrNotFound.wrap(f"validator {text} not found")
    return validator


def delegation_response(
    keeper: StakingKeeper, ctx: Context, delegation: Delegation
) -> staking_pb2.DelegationResponse:
    """The delegation and its token value: trunc(TokensFromShares(shares))."""
    validator = keeper.get_validator(ctx, delegation.validator)
    if validator is None:
        raise ErrNoValidatorFound.error()
    tokens = validator.tokens_from_shares(delegation.shares).truncate_int()
    return staking_pb2.DelegationResponse(
        delegation=state.delegation_to_proto(delegation),
        balance=coin_pb2.Coin(denom=keeper.bond_denom(ctx), amount=str(tokens)),
    )


def redelegation_response(
    keeper: StakingKeeper, ctx: Context, red: Redelegation
) -> staking_pb2.RedelegationResponse:
    """Each entry with its current value at the destination: trunc(TokensFromShares(shares_dst))."""
    destination = keeper.get_validator(ctx, red.validator_dst)
    entries = []
    for entry in red.entries:
        balance = (
            destination.tokens_from_shares(entry.shares_dst).truncate_int()
            if destination is not None and destination.delegator_shares.is_positive()
            else Int(0)
        )
        entries.append(
            staking_pb2.RedelegationEntryResponse(
                redelegation_entry=state.red_entry_to_proto(entry), balance=str(balance)
            )
        )
    pb = state.red_to_proto(red)
    del pb.entries[:]
    return staking_pb2.RedelegationResponse(redelegation=pb, entries=entries)


def query_validators(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryValidatorsRequest
) -> query_pb2.QueryValidatorsResponse:
    """Validators in operator order, paginated; `status` (``BOND_STATUS_BONDED`` …) filters the
    page."""
    if req.status and req.status not in staking_pb2.BondStatus.keys():  # noqa: SIM118
        raise ErrInvalidRequest.wrap(f"invalid validator status {req.status}")
    entries, page = paginate(ctx.store(state.STORE_NAME), state.VALIDATORS_PREFIX, req.pagination)
    validators = [staking_pb2.Validator.FromString(raw) for _, raw in entries]
    if req.status:
        wanted = staking_pb2.BondStatus.Value(req.status)
        validators = [v for v in validators if v.status == wanted]
    return query_pb2.QueryValidatorsResponse(validators=validators, pagination=page)


def query_validator(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryValidatorRequest
) -> query_pb2.QueryValidatorResponse:
    validator = _validator(keeper, ctx, req.validator_addr)
    return query_pb2.QueryValidatorResponse(validator=state.validator_to_proto(validator))


def query_validator_delegations(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryValidatorDelegationsRequest
) -> query_pb2.QueryValidatorDelegationsResponse:
    """Every delegation to the validator (not paginated: a scan, as the SDK's fallback)."""
    validator = _validator(keeper, ctx, req.validator_addr)
    responses = [
        delegation_response(keeper, ctx, d)
        for d in keeper.get_validator_delegations(ctx, validator.operator)
    ]
    return query_pb2.QueryValidatorDelegationsResponse(delegation_responses=responses)


def query_validator_unbonding_delegations(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryValidatorUnbondingDelegationsRequest
) -> query_pb2.QueryValidatorUnbondingDelegationsResponse:
    validator = _validator(keeper, ctx, req.validator_addr)
    store = ctx.store(state.STORE_NAME)
    entries, page = paginate(store, state.ubds_by_val_prefix(validator.operator), req.pagination)
    ubds = []
    for key, _ in entries:
        delegator, _ = state.split_lp(key, 0)
        ubd = state.get_ubd(store, delegator, validator.operator)
        if ubd is not None:
            ubds.append(state.ubd_to_proto(ubd))
    return query_pb2.QueryValidatorUnbondingDelegationsResponse(
        unbonding_responses=ubds, pagination=page
    )


def query_delegation(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryDelegationRequest
) -> query_pb2.QueryDelegationResponse:
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    operator = parse_val_address(req.validator_addr)
    delegation = keeper.get_delegation(ctx, delegator, operator)
    if delegation is None:
        raise ErrNoDelegation.wrap(
            f"delegation with delegator {req.delegator_addr} not found for validator "
            f"{req.validator_addr}"
        )
    return query_pb2.QueryDelegationResponse(
        delegation_response=delegation_response(keeper, ctx, delegation)
    )


def query_unbonding_delegation(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryUnbondingDelegationRequest
) -> query_pb2.QueryUnbondingDelegationResponse:
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    operator = parse_val_address(req.validator_addr)
    ubd = keeper.get_unbonding_delegation(ctx, delegator, operator)
    if ubd is None:
        raise ErrNoUnbondingDelegation.wrap(
            f"unbonding delegation with delegator {req.delegator_addr} not found for validator "
            f"{req.validator_addr}"
        )
    return query_pb2.QueryUnbondingDelegationResponse(unbond=state.ubd_to_proto(ubd))


def query_delegator_delegations(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryDelegatorDelegationsRequest
) -> query_pb2.QueryDelegatorDelegationsResponse:
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    store = ctx.store(state.STORE_NAME)
    entries, page = paginate(store, state.delegations_prefix(delegator), req.pagination)
    responses = [
        delegation_response(
            keeper, ctx, state.delegation_from_proto(staking_pb2.Delegation.FromString(raw))
        )
        for _, raw in entries
    ]
    return query_pb2.QueryDelegatorDelegationsResponse(
        delegation_responses=responses, pagination=page
    )


def query_delegator_unbonding_delegations(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryDelegatorUnbondingDelegationsRequest
) -> query_pb2.QueryDelegatorUnbondingDelegationsResponse:
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    store = ctx.store(state.STORE_NAME)
    entries, page = paginate(store, state.ubds_prefix(delegator), req.pagination)
    ubds = [staking_pb2.UnbondingDelegation.FromString(raw) for _, raw in entries]
    return query_pb2.QueryDelegatorUnbondingDelegationsResponse(
        unbonding_responses=ubds, pagination=page
    )


def query_redelegations(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryRedelegationsRequest
) -> query_pb2.QueryRedelegationsResponse:
    """One redelegation (delegator, source and destination given), a delegator's (paginated),
    or those out of a source validator."""
    store = ctx.store(state.STORE_NAME)
    if req.delegator_addr and req.src_validator_addr and req.dst_validator_addr:
        red = keeper.get_redelegation(
            ctx,
            parse_acc_address(req.delegator_addr, "delegator"),
            parse_val_address(req.src_validator_addr, "source validator"),
            parse_val_address(req.dst_validator_addr, "destination validator"),
        )
        if red is None:
            raise ErrNoRedelegation.wrap(
                f"redelegation not found for delegator address {req.delegator_addr} from "
                f"validator address {req.src_validator_addr}"
            )
        return query_pb2.QueryRedelegationsResponse(
            redelegation_responses=[redelegation_response(keeper, ctx, red)]
        )
    if req.delegator_addr:
        delegator = parse_acc_address(req.delegator_addr, "delegator")
        entries, page = paginate(store, state.reds_prefix(delegator), req.pagination)
        reds = [
            state.red_from_proto(staking_pb2.Redelegation.FromString(raw)) for _, raw in entries
        ]
        return query_pb2.QueryRedelegationsResponse(
            redelegation_responses=[redelegation_response(keeper, ctx, r) for r in reds],
            pagination=page,
        )
    if req.src_validator_addr:
        source = parse_val_address(req.src_validator_addr, "source validator")
        reds = keeper.get_redelegations_from_src_validator(ctx, source)
        return query_pb2.QueryRedelegationsResponse(
            redelegation_responses=[redelegation_response(keeper, ctx, r) for r in reds]
        )
    raise ErrInvalidRequest.wrap("a delegator or a source validator address is required")


def query_delegator_validators(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryDelegatorValidatorsRequest
) -> query_pb2.QueryDelegatorValidatorsResponse:
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    store = ctx.store(state.STORE_NAME)
    entries, page = paginate(store, state.delegations_prefix(delegator), req.pagination)
    validators = []
    for _, raw in entries:
        delegation = state.delegation_from_proto(staking_pb2.Delegation.FromString(raw))
        validator = keeper.get_validator(ctx, delegation.validator)
        if validator is not None:
            validators.append(state.validator_to_proto(validator))
    return query_pb2.QueryDelegatorValidatorsResponse(validators=validators, pagination=page)


def query_delegator_validator(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryDelegatorValidatorRequest
) -> query_pb2.QueryDelegatorValidatorResponse:
    delegator = parse_acc_address(req.delegator_addr, "delegator")
    operator = parse_val_address(req.validator_addr)
    if keeper.get_delegation(ctx, delegator, operator) is None:
        raise ErrNoDelegation.error()
    validator = _validator(keeper, ctx, req.validator_addr)
    return query_pb2.QueryDelegatorValidatorResponse(validator=state.validator_to_proto(validator))


def query_pool(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryPoolRequest
) -> query_pb2.QueryPoolResponse:
    """Balances of the bonded and not-bonded pools."""
    return query_pb2.QueryPoolResponse(
        pool=staking_pb2.Pool(
            not_bonded_tokens=str(keeper.not_bonded_tokens(ctx)),
            bonded_tokens=str(keeper.total_bonded_tokens(ctx)),
        )
    )


def query_params(
    keeper: StakingKeeper, ctx: Context, req: query_pb2.QueryParamsRequest
) -> query_pb2.QueryParamsResponse:
    return query_pb2.QueryParamsResponse(params=state.params_to_proto(keeper.get_params(ctx)))


ROUTES = (
    ("Validators", query_pb2.QueryValidatorsRequest, query_validators),
    ("Validator", query_pb2.QueryValidatorRequest, query_validator),
    (
        "ValidatorDelegations",
        query_pb2.QueryValidatorDelegationsRequest,
        query_validator_delegations,
    ),
    (
        "ValidatorUnbondingDelegations",
        query_pb2.QueryValidatorUnbondingDelegationsRequest,
        query_validator_unbonding_delegations,
    ),
    ("Delegation", query_pb2.QueryDelegationRequest, query_delegation),
    ("UnbondingDelegation", query_pb2.QueryUnbondingDelegationRequest, query_unbonding_delegation),
    (
        "DelegatorDelegations",
        query_pb2.QueryDelegatorDelegationsRequest,
        query_delegator_delegations,
    ),
    (
        "DelegatorUnbondingDelegations",
        query_pb2.QueryDelegatorUnbondingDelegationsRequest,
        query_delegator_unbonding_delegations,
    ),
    ("Redelegations", query_pb2.QueryRedelegationsRequest, query_redelegations),
    ("DelegatorValidators", query_pb2.QueryDelegatorValidatorsRequest, query_delegator_validators),
    ("DelegatorValidator", query_pb2.QueryDelegatorValidatorRequest, query_delegator_validator),
    ("Pool", query_pb2.QueryPoolRequest, query_pool),
    ("Params", query_pb2.QueryParamsRequest, query_params),
)
"""(gRPC method, request class, handler) of every staking query."""
