"""Mint messages: only `MsgUpdateParams`, gated by the gov authority; and the params checks."""

from __future__ import annotations

from app.chain.addresses import parse_acc_address
from app.chain.authority import check_authority
from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest
from app.modules.mint.keeper import MintKeeper
from app.modules.mint.state import Params
from app.pb.cosmos.mint.v1beta1 import mint_pb2, tx_pb2
from app.types.address import AccAddress
from app.types.coin import validate_denom
from app.types.dec import Dec
from app.types.errors import InvalidDenomError


def _check_fraction(value: Dec, what: str, *, positive: bool = False) -> None:
    """0 ≤ value ≤ 1 (0 < value with `positive`), with the SDK's messages."""
    if positive and not value.is_positive():
        raise ErrInvalidRequest.wrap(f"{what} must be positive: {value}")
    if value.is_negative():
        raise ErrInvalidRequest.wrap(f"{what} cannot be negative: {value}")
    if value > Dec.one():
        raise ErrInvalidRequest.wrap(f"{what} too large: {value}")


def validate_params(params: Params) -> None:
    """``Params.Validate``: a valid denom, rates within [0, 1], a positive goal and pace, and
    min ≤ max inflation.

    Raises:
        ChainError: sdk 18 naming the fault.
    """
    if params.mint_denom.strip() == "":
        raise ErrInvalidRequest.wrap("mint denom cannot be blank")
    try:
        validate_denom(params.mint_denom)
    except InvalidDenomError as exc:
        raise ErrInvalidRequest.wrap(str(exc)) from None
    _check_fraction(params.inflation_rate_change, "inflation rate change")
    _check_fraction(params.inflation_max, "max inflation")
    _check_fraction(params.inflation_min, "min inflation")
    _check_fraction(params.goal_bonded, "goal bonded", positive=True)
    if params.blocks_per_year == 0:
        raise ErrInvalidRequest.wrap("blocks per year must be positive: 0")
    if params.inflation_max < params.inflation_min:
        raise ErrInvalidRequest.wrap(
            f"max inflation ({params.inflation_max}) must be greater than or equal to "
            f"min inflation ({params.inflation_min})"
        )


def params_from_proto(msg: mint_pb2.Params) -> Params:
    """Checked params of a message or genesis."""
    try:
        params = Params.from_proto(msg)
    except ValueError as exc:
        raise ErrInvalidRequest.wrap(f"invalid params: {exc}") from None
    validate_params(params)
    return params


def signers_of_update_params(msg: tx_pb2.MsgUpdateParams) -> list[AccAddress]:
    return [parse_acc_address(msg.authority, "authority")]


def validate_update_params(msg: tx_pb2.MsgUpdateParams) -> None:
    parse_acc_address(msg.authority, "authority")
    params_from_proto(msg.params)


def handle_update_params(
    keeper: MintKeeper, ctx: Context, msg: tx_pb2.MsgUpdateParams
) -> tx_pb2.MsgUpdateParamsResponse:
    """Replace the params; the signer must be the authority (checked first)."""
    check_authority(keeper.authority, msg.authority)
    keeper.set_params(ctx, params_from_proto(msg.params))
    return tx_pb2.MsgUpdateParamsResponse()
