"""Staking messages: create/edit validator, delegate, undelegate, redelegate, cancel unbonding,
update params. Each: signers, a stateless `validate_*`, and a handler (checks against state, the
keeper transition, events), following cosmos-sdk v0.50 ``x/staking/keeper/msg_server.go``."""

from __future__ import annotations

from dataclasses import replace

from app.chain.addresses import parse_acc_address
from app.chain.authority import check_authority
from app.chain.context import Context
from app.chain.errors import ErrInvalidAddress, ErrInvalidRequest, ErrInvalidType
from app.modules.staking import events, state
from app.modules.staking.errors import (
    ErrCommissionLTMinRate,
    ErrDelegatorShareExRateInvalid,
    ErrEmptyValidatorPubKey,
    ErrMinSelfDelegationDecreased,
    ErrNoValidatorFound,
    ErrSelfDelegationBelowMinimum,
    ErrValidatorOwnerExists,
    ErrValidatorPubKeyExists,
    ErrValidatorPubKeyTypeNotSupported,
)
from app.modules.staking.keeper import StakingKeeper
from app.modules.staking.math import (
    ensure_description_length,
    validate_commission_rates,
    validate_new_rate,
)
from app.modules.staking.types import (
    BondStatus,
    Commission,
    Params,
    Validator,
)
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.cosmos.crypto.ed25519 import keys_pb2
from app.pb.cosmos.staking.v1beta1 import staking_pb2, tx_pb2
from app.types.address import AccAddress, ValAddress, val_address_from_bech32
from app.types.coin import Coin, validate_denom
from app.types.dec import Dec
from app.types.errors import AddressError, InvalidDenomError, TypesError
from app.types.int import Int
from app.types.time import GO_ZERO_TIME, timestamp_to_proto

ED25519_KEY_LENGTH = 32


# ---- parsing helpers ----------------------------------------------------------------------


def parse_val_address(text: str, field: str = "validator") -> ValAddress:
    """Raises sdk 7 "invalid <field> address: …"."""
    try:
        return val_address_from_bech32(text)
    except AddressError as exc:
        raise ErrInvalidAddress.wrap(f"invalid {field} address: {exc}") from None


def parse_dec(text: str, field: str) -> Dec:
    try:
        return Dec.from_proto_str(text)
    except (TypesError, ValueError) as exc:
        raise ErrInvalidRequest.wrap(f"invalid {field}: {exc}") from None


def parse_int(text: str, field: str) -> Int:
    try:
        return Int.from_proto_str(text)
    except (TypesError, ValueError) as exc:
        raise ErrInvalidRequest.wrap(f"invalid {field}: {exc}") from None


def parse_positive_coin(pb: coin_pb2.Coin, what: str) -> Coin:
    """A valid coin with a positive amount, else sdk 18 "invalid <what> amount"."""
    try:
        validate_denom(pb.denom)
        amount = Int.from_proto_str(pb.amount)
    except (InvalidDenomError, TypesError, ValueError):
        raise ErrInvalidRequest.wrap(f"invalid {what} amount") from None
    if not amount.is_positive():
        raise ErrInvalidRequest.wrap(f"invalid {what} amount")
    return Coin(pb.denom, amount)


def check_bond_denom(keeper: StakingKeeper, ctx: Context, coin: Coin) -> None:
    bond_denom = keeper.bond_denom(ctx)
    if coin.denom != bond_denom:
        raise ErrInvalidRequest.wrap(
            f"invalid coin denomination: got {coin.denom}, expected {bond_denom}"
        )


def consensus_pubkey(msg: tx_pb2.MsgCreateValidator) -> bytes:
    """The ed25519 key in the message's ``Any``; staking 39 when absent, sdk 29 otherwise."""
    if not msg.HasField("pubkey") or not msg.pubkey.type_url:
        raise ErrEmptyValidatorPubKey.error()
    if msg.pubkey.type_url != state.ED25519_PUBKEY_TYPE:
        raise ErrValidatorPubKeyTypeNotSupported.wrap(
            f"got: {msg.pubkey.type_url}, expected: [ed25519]"
        )
    key = keys_pb2.PubKey.FromString(msg.pubkey.value).key
    if len(key) != ED25519_KEY_LENGTH:
        raise ErrInvalidType.wrap(f"ed25519 public key of {len(key)} bytes")
    return key


def signers_of_validator(
    msg: tx_pb2.MsgCreateValidator | tx_pb2.MsgEditValidator,
) -> list[AccAddress]:
    """The operator signs as its account (same bytes, account prefix)."""
    return [AccAddress(parse_val_address(msg.validator_address))]


def signers_of_delegator(
    msg: tx_pb2.MsgDelegate
    | tx_pb2.MsgUndelegate
    | tx_pb2.MsgBeginRedelegate
    | tx_pb2.MsgCancelUnbondingDelegation,
) -> list[AccAddress]:
    return [parse_acc_address(msg.delegator_address, "delegator")]


# ---- MsgCreateValidator -------------------------------------------------------------------


def validate_create_validator(msg: tx_pb2.MsgCreateValidator) -> None:
    """Operator address, key, positive value, a description, valid commission rates, a positive
    minimum self-delegation not above the value (``MsgCreateValidator.Validate``)."""
    parse_val_address(msg.validator_address)
    consensus_pubkey(msg)
    value = parse_positive_coin(msg.value, "delegation")
    if state.description_from_proto(msg.description).is_empty():
        raise ErrInvalidRequest.wrap("empty description")
    if msg.commission == staking_pb2.CommissionRates():
        raise ErrInvalidRequest.wrap("empty commission")
    validate_commission_rates(*_rates(msg.commission))
    min_self = parse_int(msg.min_self_delegation, "minimum self delegation")
    if not min_self.is_positive():
        raise ErrInvalidRequest.wrap("minimum self delegation must be a positive integer")
    if value.amount < min_self:
        raise ErrSelfDelegationBelowMinimum.error()


def _rates(pb: staking_pb2.CommissionRates) -> tuple[Dec, Dec, Dec]:
    return (
        parse_dec(pb.rate, "commission rate"),
        parse_dec(pb.max_rate, "max commission rate"),
        parse_dec(pb.max_change_rate, "max commission change rate"),
    )


def handle_create_validator(
    keeper: StakingKeeper, ctx: Context, msg: tx_pb2.MsgCreateValidator
) -> tx_pb2.MsgCreateValidatorResponse:
    """Create the validator (unbonded, joining the set at EndBlock) and self-delegate `value`."""
    operator = parse_val_address(msg.validator_address)
    rate, max_rate, max_change_rate = _rates(msg.commission)
    params = keeper.get_params(ctx)
    if rate < params.min_commission_rate:
        raise ErrCommissionLTMinRate.wrap(
            f"cannot set validator commission to less than minimum rate of "
            f"{params.min_commission_rate}"
        )
    if keeper.get_validator(ctx, operator) is not None:
        raise ErrValidatorOwnerExists.error()
    pubkey = consensus_pubkey(msg)
    validator = Validator(
        operator=operator,
        consensus_pubkey=pubkey,
        jailed=False,
        status=BondStatus.UNBONDED,
        tokens=Int(0),
        delegator_shares=Dec.zero(),
        description=state.description_from_proto(msg.description),
        unbonding_height=0,
        unbonding_time=GO_ZERO_TIME,
        commission=Commission(rate, max_rate, max_change_rate, ctx.block.time),
        min_self_delegation=parse_int(msg.min_self_delegation, "minimum self delegation"),
    )
    if keeper.get_validator_by_cons_addr(ctx, validator.consensus_address()) is not None:
        raise ErrValidatorPubKeyExists.error()
    value = parse_positive_coin(msg.value, "delegation")
    check_bond_denom(keeper, ctx, value)
    ensure_description_length(validator.description)
    keeper.set_validator(ctx, validator)
    keeper.set_validator_by_cons_addr(ctx, validator)
    keeper.set_new_validator_by_power_index(ctx, validator)
    keeper.hooks.after_validator_created(ctx, operator)
    keeper.delegate(ctx, operator, value.amount, BondStatus.UNBONDED, validator, True)
    ctx.emit(events.create_validator_event(msg.validator_address, value))
    return tx_pb2.MsgCreateValidatorResponse()


# ---- MsgEditValidator ---------------------------------------------------------------------


def validate_edit_validator(msg: tx_pb2.MsgEditValidator) -> None:
    """A description; a rate, if given, within [0, 1]; a minimum, if given, positive."""
    parse_val_address(msg.validator_address)
    if state.description_from_proto(msg.description).is_empty():
        raise ErrInvalidRequest.wrap("empty description")
    if (
        msg.min_self_delegation
        and not parse_int(msg.min_self_delegation, "minimum self delegation").is_positive()
    ):
        raise ErrInvalidRequest.wrap("minimum self delegation must be a positive integer")
    if msg.commission_rate:
        rate = parse_dec(msg.commission_rate, "commission rate")
        if rate.is_negative() or rate > Dec.one():
            raise ErrInvalidRequest.wrap("commission rate must be between 0 and 1 (inclusive)")


def handle_edit_validator(
    keeper: StakingKeeper, ctx: Context, msg: tx_pb2.MsgEditValidator
) -> tx_pb2.MsgEditValidatorResponse:
    """Update the description (``[do-not-modify]`` keeps a field), the rate (once per 24 h,
    `before_validator_modified` first), the minimum self-delegation (only upwards)."""
    operator = parse_val_address(msg.validator_address)
    validator = keeper.get_validator(ctx, operator)
    if validator is None:
        raise ErrNoValidatorFound.error()
    description = validator.description.updated_with(state.description_from_proto(msg.description))
    ensure_description_length(description)
    validator = replace(validator, description=description)
    if msg.commission_rate:
        new_rate = parse_dec(msg.commission_rate, "commission rate")
        validate_new_rate(validator.commission, new_rate, ctx.block.time)
        min_rate = keeper.get_params(ctx).min_commission_rate
        if new_rate < min_rate:
            raise ErrCommissionLTMinRate.wrap(
                f"cannot set validator commission to less than minimum rate of {min_rate}"
            )
        keeper.hooks.before_validator_modified(ctx, operator)
        commission = replace(validator.commission, rate=new_rate, update_time=ctx.block.time)
        validator = replace(validator, commission=commission)
    if msg.min_self_delegation:
        minimum = parse_int(msg.min_self_delegation, "minimum self delegation")
        if not minimum > validator.min_self_delegation:
            raise ErrMinSelfDelegationDecreased.error()
        if minimum > validator.tokens:
            raise ErrSelfDelegationBelowMinimum.error()
        validator = replace(validator, min_self_delegation=minimum)
    keeper.set_validator(ctx, validator)
    ctx.emit(events.edit_validator_event(validator.commission.rate, validator.min_self_delegation))
    return tx_pb2.MsgEditValidatorResponse()


# ---- MsgDelegate --------------------------------------------------------------------------


def validate_delegate(msg: tx_pb2.MsgDelegate) -> None:
    parse_acc_address(msg.delegator_address, "delegator")
    parse_val_address(msg.validator_address)
    parse_positive_coin(msg.amount, "delegation")


def handle_delegate(
    keeper: StakingKeeper, ctx: Context, msg: tx_pb2.MsgDelegate
) -> tx_pb2.MsgDelegateResponse:
    """Delegate bond-denom tokens from the delegator's balance."""
    operator = parse_val_address(msg.validator_address)
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    amount = parse_positive_coin(msg.amount, "delegation")
    validator = keeper.get_validator(ctx, operator)
    if validator is None:
        raise ErrNoValidatorFound.error()
    check_bond_denom(keeper, ctx, amount)
    shares = keeper.delegate(ctx, delegator, amount.amount, BondStatus.UNBONDED, validator, True)
    ctx.emit(events.delegate_event(msg.validator_address, msg.delegator_address, amount, shares))
    return tx_pb2.MsgDelegateResponse()


# ---- MsgBeginRedelegate -------------------------------------------------------------------


def validate_redelegate(msg: tx_pb2.MsgBeginRedelegate) -> None:
    parse_acc_address(msg.delegator_address, "delegator")
    parse_val_address(msg.validator_src_address, "source validator")
    parse_val_address(msg.validator_dst_address, "destination validator")
    parse_positive_coin(msg.amount, "shares")


def handle_redelegate(
    keeper: StakingKeeper, ctx: Context, msg: tx_pb2.MsgBeginRedelegate
) -> tx_pb2.MsgBeginRedelegateResponse:
    """Move tokens between validators; completion_time says when the source stops slashing."""
    src = parse_val_address(msg.validator_src_address, "source validator")
    dst = parse_val_address(msg.validator_dst_address, "destination validator")
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    amount = parse_positive_coin(msg.amount, "shares")
    shares = keeper.validate_unbond_amount(ctx, delegator, src, amount.amount)
    check_bond_denom(keeper, ctx, amount)
    completion = keeper.begin_redelegation(ctx, delegator, src, dst, shares)
    ctx.emit(
        events.redelegate_event(
            msg.validator_src_address,
            msg.validator_dst_address,
            msg.delegator_address,
            amount,
            completion,
        )
    )
    return tx_pb2.MsgBeginRedelegateResponse(completion_time=timestamp_to_proto(completion))


# ---- MsgUndelegate ------------------------------------------------------------------------


def validate_undelegate(msg: tx_pb2.MsgUndelegate) -> None:
    parse_acc_address(msg.delegator_address, "delegator")
    parse_val_address(msg.validator_address)
    parse_positive_coin(msg.amount, "shares")


def handle_undelegate(
    keeper: StakingKeeper, ctx: Context, msg: tx_pb2.MsgUndelegate
) -> tx_pb2.MsgUndelegateResponse:
    """Unbond tokens; they are paid back after the unbonding time."""
    operator = parse_val_address(msg.validator_address)
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    amount = parse_positive_coin(msg.amount, "shares")
    shares = keeper.validate_unbond_amount(ctx, delegator, operator, amount.amount)
    check_bond_denom(keeper, ctx, amount)
    completion, tokens = keeper.undelegate(ctx, delegator, operator, shares)
    coin = Coin(amount.denom, tokens)
    ctx.emit(events.unbond_event(msg.validator_address, msg.delegator_address, coin, completion))
    return tx_pb2.MsgUndelegateResponse(
        completion_time=timestamp_to_proto(completion),
        amount=coin_pb2.Coin(denom=coin.denom, amount=str(coin.amount)),
    )


# ---- MsgCancelUnbondingDelegation ---------------------------------------------------------


def validate_cancel_unbonding(msg: tx_pb2.MsgCancelUnbondingDelegation) -> None:
    parse_acc_address(msg.delegator_address, "delegator")
    parse_val_address(msg.validator_address)
    parse_positive_coin(msg.amount, "amount")
    if msg.creation_height <= 0:
        raise ErrInvalidRequest.wrap("invalid height")


def handle_cancel_unbonding(
    keeper: StakingKeeper, ctx: Context, msg: tx_pb2.MsgCancelUnbondingDelegation
) -> tx_pb2.MsgCancelUnbondingDelegationResponse:
    """Delegate (part of) an unbonding entry back to its validator."""
    operator = parse_val_address(msg.validator_address)
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    amount = parse_positive_coin(msg.amount, "amount")
    check_bond_denom(keeper, ctx, amount)
    validator = keeper.get_validator(ctx, operator)
    if validator is None:
        raise ErrNoValidatorFound.error()
    if validator.has_invalid_exchange_rate():
        raise ErrDelegatorShareExRateInvalid.error()
    keeper.cancel_unbonding(ctx, delegator, validator, msg.creation_height, amount.amount)
    ctx.emit(
        events.cancel_unbonding_delegation_event(
            amount, msg.validator_address, msg.delegator_address, msg.creation_height
        )
    )
    return tx_pb2.MsgCancelUnbondingDelegationResponse()


# ---- MsgUpdateParams ----------------------------------------------------------------------


def signers_of_authority(msg: tx_pb2.MsgUpdateParams) -> list[AccAddress]:
    return [parse_acc_address(msg.authority, "authority")]


def checked_params(pb: staking_pb2.Params) -> Params:
    """Params of a message or genesis (``Params.Validate``): a positive unbonding time,
    max_validators and max_entries positive, a valid bond denom, 0 ≤ min commission ≤ 1.

    Raises:
        ChainError: sdk 18 naming the fault.
    """
    try:
        params = state.params_from_proto(pb)
        validate_denom(params.bond_denom)
    except (TypesError, ValueError) as exc:
        raise ErrInvalidRequest.wrap(f"invalid staking params: {exc}") from None
    if params.unbonding_time <= 0:
        raise ErrInvalidRequest.wrap(f"unbonding time must be positive: {params.unbonding_time}")
    if params.max_validators == 0:
        raise ErrInvalidRequest.wrap("max validators must be positive")
    if params.max_entries == 0:
        raise ErrInvalidRequest.wrap("max entries must be positive")
    rate = params.min_commission_rate
    if rate.is_negative() or rate > Dec.one():
        raise ErrInvalidRequest.wrap(f"minimum commission rate out of [0, 1]: {rate}")
    return params


def validate_update_params(msg: tx_pb2.MsgUpdateParams) -> None:
    parse_acc_address(msg.authority, "authority")
    checked_params(msg.params)


def handle_update_params(
    keeper: StakingKeeper, ctx: Context, msg: tx_pb2.MsgUpdateParams
) -> tx_pb2.MsgUpdateParamsResponse:
    """Replace the params; the signer must be the authority (checked first)."""
    check_authority(keeper.authority, msg.authority)
    keeper.set_params(ctx, checked_params(msg.params))
    return tx_pb2.MsgUpdateParamsResponse()
