"""Bank messages: MsgSend, MsgMultiSend, MsgUpdateParams, MsgSetSendEnabled.

Each has its signers, a stateless `validate_*` (run in the ante chain) and a handler that checks
state, changes it through the keeper (which emits the events), and returns the response.
"""

from __future__ import annotations

from itertools import pairwise

from app.chain.addresses import parse_acc_address
from app.chain.authority import check_authority
from app.chain.coins import parse_positive_coins
from app.chain.context import Context
from app.chain.errors import ErrInvalidCoins, ErrInvalidRequest
from app.modules.bank.errors import (
    ErrDuplicateEntry,
    ErrInputOutputMismatch,
    ErrMultipleSenders,
    ErrNoInputs,
    ErrNoOutputs,
)
from app.modules.bank.keeper import BankKeeper
from app.modules.bank.state import Params
from app.pb.cosmos.bank.v1beta1 import bank_pb2, tx_pb2
from app.types.address import AccAddress
from app.types.coin import Coins, validate_denom
from app.types.errors import InvalidDenomError

# ---- MsgSend -----------------------------------------------------------------------------------


def signers_of_send(msg: tx_pb2.MsgSend) -> list[AccAddress]:
    return [parse_acc_address(msg.from_address, "from")]


def validate_send(msg: tx_pb2.MsgSend) -> None:
    """Both addresses valid; the amount valid and positive."""
    parse_acc_address(msg.from_address, "from")
    parse_acc_address(msg.to_address, "to")
    parse_positive_coins(msg.amount)


def handle_send(keeper: BankKeeper, ctx: Context, msg: tx_pb2.MsgSend) -> tx_pb2.MsgSendResponse:
    """Send `amount` if every denom may be sent and the recipient is not a module account."""
    sender = parse_acc_address(msg.from_address, "from")
    recipient = parse_acc_address(msg.to_address, "to")
    amount = parse_positive_coins(msg.amount)
    keeper.check_send_enabled(ctx, amount)
    keeper.check_not_blocked(recipient)
    keeper.send_coins(ctx, sender, recipient, amount)
    return tx_pb2.MsgSendResponse()


# ---- MsgMultiSend ------------------------------------------------------------------------------


def signers_of_multi_send(msg: tx_pb2.MsgMultiSend) -> list[AccAddress]:
    if len(msg.inputs) == 0:
        raise ErrNoInputs.error()
    return [parse_acc_address(msg.inputs[0].address, "input")]


def _parse_multi_send(
    msg: tx_pb2.MsgMultiSend,
) -> tuple[AccAddress, Coins, list[tuple[AccAddress, Coins]]]:
    """(sender, its coins, outputs), checked: one input, some outputs, equal totals."""
    if len(msg.inputs) == 0:
        raise ErrNoInputs.error()
    if len(msg.inputs) != 1:
        raise ErrMultipleSenders.error()
    if len(msg.outputs) == 0:
        raise ErrNoOutputs.error()
    sender = parse_acc_address(msg.inputs[0].address, "input")
    amount = parse_positive_coins(msg.inputs[0].coins)
    outputs = [
        (parse_acc_address(out.address, "output"), parse_positive_coins(out.coins))
        for out in msg.outputs
    ]
    total = Coins()
    for _, coins in outputs:
        total = total + coins
    if total != amount:
        raise ErrInputOutputMismatch.wrap(f"inputs {amount}, outputs {total}")
    return sender, amount, outputs


def validate_multi_send(msg: tx_pb2.MsgMultiSend) -> None:
    """Exactly one input, at least one output, valid coins, and input total == output total."""
    _parse_multi_send(msg)


def handle_multi_send(
    keeper: BankKeeper, ctx: Context, msg: tx_pb2.MsgMultiSend
) -> tx_pb2.MsgMultiSendResponse:
    """Pay every output from the single input; no output may be a module account."""
    sender, amount, outputs = _parse_multi_send(msg)
    keeper.check_send_enabled(ctx, amount)
    for recipient, _ in outputs:
        keeper.check_not_blocked(recipient)
    keeper.input_output_coins(ctx, sender, amount, outputs)
    return tx_pb2.MsgMultiSendResponse()


# ---- governance-gated --------------------------------------------------------------------------


def signers_of_authority(
    msg: tx_pb2.MsgUpdateParams | tx_pb2.MsgSetSendEnabled,
) -> list[AccAddress]:
    return [parse_acc_address(msg.authority, "authority")]


def params_from_proto(pb: bank_pb2.Params) -> Params:
    """Params of a message or genesis; the deprecated per-denom list must be empty.

    Raises:
        ChainError: sdk 18 when ``send_enabled`` is used inside params.
    """
    if len(pb.send_enabled) > 0:
        raise ErrInvalidRequest.wrap("use of send_enabled in params is no longer supported")
    return Params(default_send_enabled=pb.default_send_enabled)


def validate_update_params(msg: tx_pb2.MsgUpdateParams) -> None:
    parse_acc_address(msg.authority, "authority")
    params_from_proto(msg.params)


def handle_update_params(
    keeper: BankKeeper, ctx: Context, msg: tx_pb2.MsgUpdateParams
) -> tx_pb2.MsgUpdateParamsResponse:
    """Replace the bank params; the signer must be the authority (checked first)."""
    check_authority(keeper.authority, msg.authority)
    keeper.set_params(ctx, params_from_proto(msg.params))
    return tx_pb2.MsgUpdateParamsResponse()


def check_send_enabled_entries(denoms: list[str]) -> None:
    """Every denom valid and listed once; raises sdk 10 or bank 8."""
    for denom in denoms:
        try:
            validate_denom(denom)
        except InvalidDenomError as exc:
            raise ErrInvalidCoins.wrap(str(exc)) from None
    ordered = sorted(denoms)
    for previous, current in pairwise(ordered):
        if previous == current:
            raise ErrDuplicateEntry.wrap(f"duplicate denom entries found for {current!r}")


def validate_set_send_enabled(msg: tx_pb2.MsgSetSendEnabled) -> None:
    """Valid authority; each denom valid, once, and not both set and reset to default."""
    parse_acc_address(msg.authority, "authority")
    check_send_enabled_entries([entry.denom for entry in msg.send_enabled])
    check_send_enabled_entries(list(msg.use_default_for))
    set_denoms = [entry.denom for entry in msg.send_enabled]
    for denom in msg.use_default_for:
        if denom in set_denoms:
            raise ErrInvalidRequest.wrap(
                f"denom {denom} present in both send_enabled and use_default_for"
            )


def handle_set_send_enabled(
    keeper: BankKeeper, ctx: Context, msg: tx_pb2.MsgSetSendEnabled
) -> tx_pb2.MsgSetSendEnabledResponse:
    """Set per-denom flags, then drop the flags of `use_default_for` (authority checked first)."""
    check_authority(keeper.authority, msg.authority)
    validate_set_send_enabled(msg)
    for entry in msg.send_enabled:
        keeper.set_send_enabled(ctx, entry.denom, entry.enabled)
    for denom in msg.use_default_for:
        keeper.delete_send_enabled(ctx, denom)
    return tx_pb2.MsgSetSendEnabledResponse()
