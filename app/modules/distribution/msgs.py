"""Distribution messages: withdraw rewards / commission, set the withdraw address, fund and
spend the community pool, update params.

Each has its signers, a stateless `validate_*` (run in the ante chain) and a handler that
changes state through the keeper (which emits the events) and returns the response.
"""

from __future__ import annotations

from app.chain.addresses import format_acc_address, parse_acc_address
from app.chain.authority import check_authority
from app.chain.coins import coins_to_proto, parse_positive_coins
from app.chain.context import Context
from app.chain.errors import ErrInvalidAddress, ErrInvalidRequest, ErrUnauthorized
from app.modules.distribution.keeper import DistributionKeeper
from app.modules.distribution.state import Params
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.cosmos.distribution.v1beta1 import distribution_pb2, tx_pb2
from app.types.address import AccAddress, ValAddress, val_address_from_bech32
from app.types.coin import Coins
from app.types.dec import Dec
from app.types.errors import AddressError


def parse_val_address(text: str, field: str) -> ValAddress:
    """The operator address in `text` (``persistencevaloper1…``).

    Raises:
        ChainError: sdk 7 "invalid <field> address: <reason>".
    """
    try:
        return val_address_from_bech32(text)
    except AddressError as exc:
        raise ErrInvalidAddress.wrap(f"invalid {field} address: {exc}") from None


def params_from_proto(msg: distribution_pb2.Params) -> Params:
    """Checked params (``Params.ValidateBasic``): 0 ≤ community tax ≤ 1.

    Raises:
        ChainError: sdk 18 naming the fault.
    """
    try:
        params = Params.from_proto(msg)
    except ValueError as exc:
        raise ErrInvalidRequest.wrap(f"invalid params: {exc}") from None
    tax = params.community_tax
    if tax.is_negative():
        raise ErrInvalidRequest.wrap(f"community tax must be positive: {tax}")
    if tax > Dec.one():
        raise ErrInvalidRequest.wrap(f"community tax too large: {tax}")
    return params


def coins_response(amount: Coins, denom: str) -> list[coin_pb2.Coin]:
    """A withdrawal's amount for its response: ``0<denom>`` when nothing was paid (as the SDK)."""
    if amount:
        return coins_to_proto(amount)
    return [coin_pb2.Coin(denom=denom, amount="0")]


# ---- MsgSetWithdrawAddress ---------------------------------------------------------------------


def signers_of_set_withdraw_address(msg: tx_pb2.MsgSetWithdrawAddress) -> list[AccAddress]:
    return [parse_acc_address(msg.delegator_address, "delegator")]


def validate_set_withdraw_address(msg: tx_pb2.MsgSetWithdrawAddress) -> None:
    parse_acc_address(msg.delegator_address, "delegator")
    parse_acc_address(msg.withdraw_address, "withdraw")


def handle_set_withdraw_address(
    keeper: DistributionKeeper, ctx: Context, msg: tx_pb2.MsgSetWithdrawAddress
) -> tx_pb2.MsgSetWithdrawAddressResponse:
    """Choose where the delegator's rewards go (refused for module accounts, or if disabled)."""
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    withdraw = parse_acc_address(msg.withdraw_address, "withdraw")
    keeper.set_withdraw_addr(ctx, delegator, withdraw)
    return tx_pb2.MsgSetWithdrawAddressResponse()


# ---- MsgWithdrawDelegatorReward ----------------------------------------------------------------


def signers_of_withdraw_reward(msg: tx_pb2.MsgWithdrawDelegatorReward) -> list[AccAddress]:
    return [parse_acc_address(msg.delegator_address, "delegator")]


def validate_withdraw_reward(msg: tx_pb2.MsgWithdrawDelegatorReward) -> None:
    parse_acc_address(msg.delegator_address, "delegator")
    parse_val_address(msg.validator_address, "validator")


def handle_withdraw_reward(
    keeper: DistributionKeeper, ctx: Context, msg: tx_pb2.MsgWithdrawDelegatorReward
) -> tx_pb2.MsgWithdrawDelegatorRewardResponse:
    """Pay the delegation's rewards to the withdraw address."""
    delegator = parse_acc_address(msg.delegator_address, "delegator")
    validator = parse_val_address(msg.validator_address, "validator")
    amount = keeper.withdraw_delegation_rewards(ctx, delegator, validator)
    return tx_pb2.MsgWithdrawDelegatorRewardResponse(
        amount=coins_response(amount, keeper.staking.bond_denom(ctx))
    )


# ---- MsgWithdrawValidatorCommission ------------------------------------------------------------


def signers_of_withdraw_commission(
    msg: tx_pb2.MsgWithdrawValidatorCommission,
) -> list[AccAddress]:
    # The operator signs with the account of the same bytes.
    return [AccAddress(parse_val_address(msg.validator_address, "validator"))]


def validate_withdraw_commission(msg: tx_pb2.MsgWithdrawValidatorCommission) -> None:
    parse_val_address(msg.validator_address, "validator")


def handle_withdraw_commission(
    keeper: DistributionKeeper, ctx: Context, msg: tx_pb2.MsgWithdrawValidatorCommission
) -> tx_pb2.MsgWithdrawValidatorCommissionResponse:
    """Pay the validator's accumulated commission (its whole coins)."""
    validator = parse_val_address(msg.validator_address, "validator")
    amount = keeper.withdraw_validator_commission(ctx, validator)
    return tx_pb2.MsgWithdrawValidatorCommissionResponse(amount=coins_to_proto(amount))


# ---- community pool ----------------------------------------------------------------------------


def signers_of_fund_community_pool(msg: tx_pb2.MsgFundCommunityPool) -> list[AccAddress]:
    return [parse_acc_address(msg.depositor, "depositor")]


def validate_fund_community_pool(msg: tx_pb2.MsgFundCommunityPool) -> None:
    parse_acc_address(msg.depositor, "depositor")
    parse_positive_coins(msg.amount)


def handle_fund_community_pool(
    keeper: DistributionKeeper, ctx: Context, msg: tx_pb2.MsgFundCommunityPool
) -> tx_pb2.MsgFundCommunityPoolResponse:
    """Move the depositor's coins into the community pool."""
    depositor = parse_acc_address(msg.depositor, "depositor")
    keeper.fund_community_pool(ctx, parse_positive_coins(msg.amount), depositor)
    return tx_pb2.MsgFundCommunityPoolResponse()


def signers_of_authority(
    msg: tx_pb2.MsgUpdateParams | tx_pb2.MsgCommunityPoolSpend,
) -> list[AccAddress]:
    return [parse_acc_address(msg.authority, "authority")]


def validate_community_pool_spend(msg: tx_pb2.MsgCommunityPoolSpend) -> None:
    parse_acc_address(msg.authority, "authority")
    parse_acc_address(msg.recipient, "recipient")
    parse_positive_coins(msg.amount)


def handle_community_pool_spend(
    keeper: DistributionKeeper, ctx: Context, msg: tx_pb2.MsgCommunityPoolSpend
) -> tx_pb2.MsgCommunityPoolSpendResponse:
    """Pay a recipient from the community pool (authority checked first; no module accounts)."""
    check_authority(keeper.authority, msg.authority)
    recipient = parse_acc_address(msg.recipient, "recipient")
    if keeper.bank.is_blocked(recipient):
        raise ErrUnauthorized.wrap(
            f"{format_acc_address(recipient)} is not allowed to receive external funds"
        )
    keeper.distribute_from_community_pool(ctx, parse_positive_coins(msg.amount), recipient)
    return tx_pb2.MsgCommunityPoolSpendResponse()


# ---- MsgUpdateParams ---------------------------------------------------------------------------


def validate_update_params(msg: tx_pb2.MsgUpdateParams) -> None:
    parse_acc_address(msg.authority, "authority")
    params_from_proto(msg.params)


def handle_update_params(
    keeper: DistributionKeeper, ctx: Context, msg: tx_pb2.MsgUpdateParams
) -> tx_pb2.MsgUpdateParamsResponse:
    """Replace the params; the signer must be the authority (checked first)."""
    check_authority(keeper.authority, msg.authority)
    keeper.set_params(ctx, params_from_proto(msg.params))
    return tx_pb2.MsgUpdateParamsResponse()
