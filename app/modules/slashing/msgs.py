"""Slashing messages: MsgUnjail and MsgUpdateParams (x/slashing ``keeper/msg_server.go``)."""

from __future__ import annotations

from app.chain.addresses import parse_acc_address
from app.chain.authority import check_authority
from app.chain.context import Context
from app.chain.errors import ErrInvalidAddress
from app.modules.slashing.errors import ErrInvalidParams
from app.modules.slashing.keeper import SlashingKeeper
from app.modules.slashing.state import Params
from app.pb.cosmos.slashing.v1beta1 import slashing_pb2, tx_pb2
from app.types.address import AccAddress, ValAddress, val_address_from_bech32
from app.types.dec import Dec
from app.types.errors import AddressError

__all__ = [
    "handle_unjail",
    "handle_update_params",
    "params_from_proto",
    "parse_val_address",
    "signers_of_unjail",
    "signers_of_update_params",
    "validate_params",
    "validate_unjail",
    "validate_update_params",
]


def parse_val_address(text: str, field: str) -> ValAddress:
    """The operator address in `text`; raises sdk 7 naming `field`."""
    try:
        return val_address_from_bech32(text)
    except AddressError as exc:
        raise ErrInvalidAddress.wrap(f"invalid {field} address: {exc}") from None


# ---- MsgUnjail ---------------------------------------------------------------------------------


def signers_of_unjail(msg: tx_pb2.MsgUnjail) -> list[AccAddress]:
    """The operator's account (same bytes as the operator address) signs."""
    return [AccAddress(parse_val_address(msg.validator_addr, "validator"))]


def validate_unjail(msg: tx_pb2.MsgUnjail) -> None:
    parse_val_address(msg.validator_addr, "validator")


def handle_unjail(
    keeper: SlashingKeeper, ctx: Context, msg: tx_pb2.MsgUnjail
) -> tx_pb2.MsgUnjailResponse:
    """Unjail the validator if every rule of `SlashingKeeper.unjail` holds."""
    keeper.unjail(ctx, parse_val_address(msg.validator_addr, "validator"))
    return tx_pb2.MsgUnjailResponse()


# ---- MsgUpdateParams ---------------------------------------------------------------------------


def validate_params(params: Params) -> None:
    """The SDK's ``Params.Validate``: a positive window and jail duration, fractions in [0, 1].

    Raises:
        ChainError: slashing 10 naming the faulty field.
    """
    if params.signed_blocks_window <= 0:
        raise ErrInvalidParams.wrap(
            f"signed blocks window must be positive: {params.signed_blocks_window}"
        )
    if params.downtime_jail_duration <= 0:
        raise ErrInvalidParams.wrap(
            f"downtime jail duration must be positive: {params.downtime_jail_duration}ns"
        )
    fractions = (
        ("min signed per window", params.min_signed_per_window),
        ("double sign slash fraction", params.slash_fraction_double_sign),
        ("downtime slash fraction", params.slash_fraction_downtime),
    )
    for name, value in fractions:
        if value.is_negative() or value > Dec.one():
            raise ErrInvalidParams.wrap(f"{name} must be within [0, 1]: {value}")


def params_from_proto(pb: slashing_pb2.Params) -> Params:
    """Checked params of a message or genesis; raises slashing 10."""
    try:
        params = Params.from_proto(pb)
    except ValueError as exc:
        raise ErrInvalidParams.wrap(str(exc)) from None
    validate_params(params)
    return params


def signers_of_update_params(msg: tx_pb2.MsgUpdateParams) -> list[AccAddress]:
    return [parse_acc_address(msg.authority, "authority")]


def validate_update_params(msg: tx_pb2.MsgUpdateParams) -> None:
    parse_acc_address(msg.authority, "authority")
    params_from_proto(msg.params)


def handle_update_params(
    keeper: SlashingKeeper, ctx: Context, msg: tx_pb2.MsgUpdateParams
) -> tx_pb2.MsgUpdateParamsResponse:
    """Replace the params; the signer must be the authority (checked first)."""
    check_authority(keeper.authority, msg.authority)
    keeper.set_params(ctx, params_from_proto(msg.params))
    return tx_pb2.MsgUpdateParamsResponse()
