"""Alliance messages (``/alliance.alliance.Msg*``): signers, stateless checks, handlers.

Staking messages (Delegate, Undelegate, Redelegate, ClaimDelegationRewards) are signed by the
delegator; the four governance messages by the authority, which every handler checks first.
Each handler validates, calls one keeper transition (which emits the events) and returns the
empty response.
"""

from __future__ import annotations

from app.chain.addresses import parse_acc_address
from app.chain.authority import check_authority
from app.chain.context import Context
from app.chain.errors import ErrInvalidAddress, ErrInvalidCoins, ErrorKind
from app.modules.alliance import errors
from app.modules.alliance.keeper import AllianceKeeper, AssetFields
from app.modules.alliance.types import Params, RewardWeightRange, validate_params
from app.pb.alliance.alliance import tx_pb2
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.types.address import AccAddress, ValAddress, val_address_from_bech32
from app.types.coin import Coin
from app.types.dec import Dec
from app.types.errors import TypesError
from app.types.time import Duration, duration_from_proto

__all__ = [
    "handle_claim_rewards",
    "handle_create_alliance",
    "handle_delegate",
    "handle_delete_alliance",
    "handle_redelegate",
    "handle_undelegate",
    "handle_update_alliance",
    "handle_update_params",
    "parse_val_address",
    "signers_of_authority",
    "signers_of_delegator",
    "validate_authority_msg",
    "validate_claim_rewards",
    "validate_create_alliance_msg",
    "validate_delegate",
    "validate_redelegate",
    "validate_update_alliance_msg",
    "validate_update_params",
]

StakeMsg = tx_pb2.MsgDelegate | tx_pb2.MsgUndelegate
DelegatorMsg = StakeMsg | tx_pb2.MsgRedelegate | tx_pb2.MsgClaimDelegationRewards
AuthorityMsg = (
    tx_pb2.MsgUpdateParams
    | tx_pb2.MsgCreateAlliance
    | tx_pb2.MsgUpdateAlliance
    | tx_pb2.MsgDeleteAlliance
)


def parse_val_address(text: str, field: str) -> ValAddress:
    """The operator address in `text`.

    Raises:
        ChainError: `ErrEmptyValidatorAddr` when empty; sdk 7 when malformed.
    """
    if text == "":
        raise errors.ErrEmptyValidatorAddr.error()
    try:
        return val_address_from_bech32(text)
    except TypesError as exc:
        raise ErrInvalidAddress.wrap(f"invalid {field} address: {exc}") from None


def _positive_coin(pb: coin_pb2.Coin) -> Coin:
    """The message's amount: a valid coin of more than zero.

    Raises:
        ChainError: sdk 10 invalid coin; `ErrNonPositiveAmount`.
    """
    try:
        coin = Coin.from_proto(pb)
    except TypesError as exc:
        raise ErrInvalidCoins.wrap(str(exc)) from None
    if not coin.amount.is_positive():
        raise errors.ErrNonPositiveAmount.wrap(f"alliance amount {coin} must be more than zero")
    return coin


# ---- delegator messages ------------------------------------------------------------------------


def signers_of_delegator(msg: DelegatorMsg) -> list[AccAddress]:
    return [parse_acc_address(msg.delegator_address, "delegator")]


def validate_delegate(msg: StakeMsg) -> None:
    """Amount > 0, then the delegator and validator addresses (the reference's order)."""
    _positive_coin(msg.amount)
    parse_acc_address(msg.delegator_address, "delegator")
    parse_val_address(msg.validator_address, "validator")


def handle_delegate(
    keeper: AllianceKeeper, ctx: Context, msg: tx_pb2.MsgDelegate
) -> tx_pb2.MsgDelegateResponse:
    """Stake an alliance asset with an existing validator (any status)."""
    coin = _positive_coin(msg.amount)
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    operator = parse_val_address(msg.validator_address, "validator")
    keeper.get_validator_info(ctx, operator)
    keeper.delegate(ctx, delegator, operator, coin)
    return tx_pb2.MsgDelegateResponse()


def handle_undelegate(
    keeper: AllianceKeeper, ctx: Context, msg: tx_pb2.MsgUndelegate
) -> tx_pb2.MsgUndelegateResponse:
    """Unstake; the tokens return after the staking unbonding time."""
    coin = _positive_coin(msg.amount)
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    operator = parse_val_address(msg.validator_address, "validator")
    keeper.get_validator_info(ctx, operator)
    keeper.undelegate(ctx, delegator, operator, coin)
    return tx_pb2.MsgUndelegateResponse()


def validate_redelegate(msg: tx_pb2.MsgRedelegate) -> None:
    """Amount > 0 and the three addresses."""
    _positive_coin(msg.amount)
    parse_acc_address(msg.delegator_address, "delegator")
    parse_val_address(msg.validator_src_address, "source validator")
    parse_val_address(msg.validator_dst_address, "destination validator")


def handle_redelegate(
    keeper: AllianceKeeper, ctx: Context, msg: tx_pb2.MsgRedelegate
) -> tx_pb2.MsgRedelegateResponse:
    """Move stake between two existing validators at once."""
    coin = _positive_coin(msg.amount)
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    source = parse_val_address(msg.validator_src_address, "source validator")
    destination = parse_val_address(msg.validator_dst_address, "destination validator")
    keeper.get_validator_info(ctx, source)
    keeper.get_validator_info(ctx, destination)
    keeper.redelegate(ctx, delegator, source, destination, coin)
    return tx_pb2.MsgRedelegateResponse()


def validate_claim_rewards(msg: tx_pb2.MsgClaimDelegationRewards) -> None:
    """A denom, then the addresses."""
    if msg.denom == "":
        raise errors.ErrEmptyDenom.error()
    parse_acc_address(msg.delegator_address, "delegator")
    parse_val_address(msg.validator_address, "validator")


def handle_claim_rewards(
    keeper: AllianceKeeper, ctx: Context, msg: tx_pb2.MsgClaimDelegationRewards
) -> tx_pb2.MsgClaimDelegationRewardsResponse:
    """Pay a delegation's rewards (nothing before the asset's reward start)."""
    validate_claim_rewards(msg)
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    operator = parse_val_address(msg.validator_address, "validator")
    keeper.get_validator_info(ctx, operator)
    keeper.claim_delegation_rewards(ctx, delegator, operator, msg.denom)
    return tx_pb2.MsgClaimDelegationRewardsResponse()


# ---- governance messages -----------------------------------------------------------------------


def signers_of_authority(msg: AuthorityMsg) -> list[AccAddress]:
    return [parse_acc_address(msg.authority, "authority")]


def validate_authority_msg(msg: AuthorityMsg) -> None:
    """A well-formed authority address (whether it is *the* authority is checked in handlers)."""
    parse_acc_address(msg.authority, "authority")


def _dec_field(text: str, error: ErrorKind) -> Dec:
    """A LegacyDec field (scaled integer text); absent or malformed raises `error`."""
    if text == "":
        raise error.wrap("value must be set")
    try:
        return Dec.from_proto_str(text)
    except (TypesError, ValueError) as exc:
        raise error.wrap(str(exc)) from None


def _asset_fields(msg: tx_pb2.MsgCreateAlliance | tx_pb2.MsgUpdateAlliance) -> AssetFields:
    """The fields of a create/update message; the range must be present (it panics upstream).

    Raises:
        ChainError: the registered error of a missing or malformed field.
    """
    if not msg.HasField("reward_weight_range"):
        raise errors.ErrInvalidRewardWeightRange.wrap("reward_weight_range must be set")
    weight_range = RewardWeightRange(
        _dec_field(msg.reward_weight_range.min, errors.ErrInvalidRewardWeightRange),
        _dec_field(msg.reward_weight_range.max, errors.ErrInvalidRewardWeightRange),
    )
    interval = (
        duration_from_proto(msg.reward_change_interval)
        if msg.HasField("reward_change_interval")
        else Duration(0)
    )
    return AssetFields(
        denom=msg.denom,
        reward_weight=_dec_field(msg.reward_weight, errors.ErrInvalidRewardWeight),
        take_rate=_dec_field(msg.take_rate, errors.ErrInvalidTakeRate),
        reward_change_rate=_dec_field(msg.reward_change_rate, errors.ErrInvalidRewardChangeRate),
        reward_change_interval=interval,
        reward_weight_range=weight_range,
    )


def validate_create_alliance_msg(msg: tx_pb2.MsgCreateAlliance) -> None:
    """Authority address and well-formed fields (the value rules run in the handler)."""
    validate_authority_msg(msg)
    _asset_fields(msg)


def validate_update_alliance_msg(msg: tx_pb2.MsgUpdateAlliance) -> None:
    validate_authority_msg(msg)
    _asset_fields(msg)


def handle_create_alliance(
    keeper: AllianceKeeper, ctx: Context, msg: tx_pb2.MsgCreateAlliance
) -> tx_pb2.MsgCreateAllianceResponse:
    """List an asset (authority only); rewards start after the reward delay."""
    check_authority(keeper.authority, msg.authority)
    keeper.create_alliance(ctx, _asset_fields(msg))
    return tx_pb2.MsgCreateAllianceResponse()


def handle_update_alliance(
    keeper: AllianceKeeper, ctx: Context, msg: tx_pb2.MsgUpdateAlliance
) -> tx_pb2.MsgUpdateAllianceResponse:
    """Change an asset's weight, take rate, schedule and range (authority only)."""
    check_authority(keeper.authority, msg.authority)
    keeper.update_alliance(ctx, _asset_fields(msg))
    return tx_pb2.MsgUpdateAllianceResponse()


def handle_delete_alliance(
    keeper: AllianceKeeper, ctx: Context, msg: tx_pb2.MsgDeleteAlliance
) -> tx_pb2.MsgDeleteAllianceResponse:
    """Delist an asset without tokens (authority only)."""
    check_authority(keeper.authority, msg.authority)
    if msg.denom == "":
        raise errors.ErrEmptyDenom.error()
    keeper.delete_alliance(ctx, msg.denom)
    return tx_pb2.MsgDeleteAllianceResponse()


def validate_update_params(msg: tx_pb2.MsgUpdateParams) -> None:
    """Authority address; params with delay >= 0 and a positive take-rate interval."""
    validate_authority_msg(msg)
    validate_params(Params.from_proto(msg.params))


def handle_update_params(
    keeper: AllianceKeeper, ctx: Context, msg: tx_pb2.MsgUpdateParams
) -> tx_pb2.MsgUpdateParamsResponse:
    """Replace all three params, the last take-rate claim time included (authority only)."""
    check_authority(keeper.authority, msg.authority)
    params = Params.from_proto(msg.params)
    validate_params(params)
    keeper.set_params(ctx, params)
    return tx_pb2.MsgUpdateParamsResponse()
