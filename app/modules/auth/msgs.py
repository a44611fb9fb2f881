"""Auth messages: only ``MsgUpdateParams``, gated by the governance authority."""

from __future__ import annotations

from app.chain.addresses import parse_acc_address
from app.chain.authority import check_authority
from app.chain.context import Context
from app.modules.auth.keeper import AccountKeeper
from app.modules.auth.state import Params
from app.pb.cosmos.auth.v1beta1 import tx_pb2
from app.types.address import AccAddress

__all__ = ["handle_update_params", "signers_of_update_params", "validate_update_params"]


def signers_of_update_params(msg: tx_pb2.MsgUpdateParams) -> list[AccAddress]:
    """The authority signs."""
    return [parse_acc_address(msg.authority, "authority")]


def validate_update_params(msg: tx_pb2.MsgUpdateParams) -> None:
    """The authority is an address and the params are valid."""
    parse_acc_address(msg.authority, "authority")
    Params.from_proto(msg.params).validate()


def handle_update_params(
    keeper: AccountKeeper, ctx: Context, msg: tx_pb2.MsgUpdateParams
) -> tx_pb2.MsgUpdateParamsResponse:
    """Replace the auth params; the signer must be the authority (checked first)."""
    check_authority(keeper.authority, msg.authority)
    params = Params.from_proto(msg.params)
    params.validate()
    keeper.set_params(ctx, params)
    return tx_pb2.MsgUpdateParamsResponse()
