from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.modules.bank import msgs
from app.pb.cosmos.bank.v1beta1 import bank_pb2
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.types import Coins, Int, acc_to_bech32, module_address
from tests.chain.helpers import ALICE, BOB, CAROL, coin
from tests.modules.bank.test_keeper import setup

GOV = acc_to_bech32(module_address("gov"))


def funded():
    ctx, _, bank = setup()
    bank.mint_coins(ctx, "mint", Coins.parse("1000uxprt"))
    bank.send_coins_from_module_to_account(ctx, "mint", ALICE.address, Coins.parse("1000uxprt"))
    ctx.events.clear()
    return ctx, bank


def multi_send(inputs, outputs) -> bank_tx.MsgMultiSend:
    return bank_tx.MsgMultiSend(
        inputs=[bank_pb2.Input(address=a, coins=[coin(n)]) for a, n in inputs],
        outputs=[bank_pb2.Output(address=a, coins=[coin(n)]) for a, n in outputs],
    )


def test_multi_send_pays_every_output() -> None:
    ctx, bank = funded()
    msg = multi_send([(ALICE.bech32, 30)], [(BOB.bech32, 10), (CAROL.bech32, 20)])
    msgs.validate_multi_send(msg)
    msgs.handle_multi_send(bank, ctx, msg)
    assert bank.get_balance(ctx, ALICE.address, "uxprt") == Int(970)
    assert bank.get_balance(ctx, CAROL.address, "uxprt") == Int(20)
    assert [e.type for e in ctx.events] == [
        "coin_spent",
        "message",
        "coin_received",
        "transfer",
        "coin_received",
        "transfer",
    ]


@pytest.mark.parametrize(
    ("inputs", "outputs", "codespace", "code"),
    [
        ([], [("b", 1)], "bank", 2),
        ([("a", 1), ("a", 1)], [("b", 2)], "bank", 9),
        ([("a", 1)], [], "bank", 3),
        ([("a", 5)], [("b", 4)], "bank", 4),
    ],
)
def test_multi_send_validation(inputs, outputs, codespace, code) -> None:
    names = {"a": ALICE.bech32, "b": BOB.bech32}
    msg = multi_send([(names[a], n) for a, n in inputs], [(names[a], n) for a, n in outputs])
    with pytest.raises(ChainError) as info:
        msgs.validate_multi_send(msg)
    assert (info.value.codespace, info.value.code) == (codespace, code)


def test_send_disabled_denom_and_authority_messages() -> None:
    ctx, bank = funded()
    disable = bank_tx.MsgSetSendEnabled(
        authority=GOV, send_enabled=[bank_pb2.SendEnabled(denom="uxprt", enabled=False)]
    )
    with pytest.raises(ChainError, match="invalid authority"):
        msgs.handle_set_send_enabled(bank, ctx, bank_tx.MsgSetSendEnabled(authority=ALICE.bech32))
    msgs.handle_set_send_enabled(bank, ctx, disable)
    send = bank_tx.MsgSend(from_address=ALICE.bech32, to_address=BOB.bech32, amount=[coin(1)])
    with pytest.raises(ChainError, match="uxprt transfers are currently disabled") as info:
        msgs.handle_send(bank, ctx, send)
    assert (info.value.codespace, info.value.code) == ("bank", 5)
    msgs.handle_set_send_enabled(
        bank, ctx, bank_tx.MsgSetSendEnabled(authority=GOV, use_default_for=["uxprt"])
    )
    msgs.handle_send(bank, ctx, send)
    params = bank_tx.MsgUpdateParams(
        authority=GOV, params=bank_pb2.Params(default_send_enabled=False)
    )
    msgs.handle_update_params(bank, ctx, params)
    with pytest.raises(ChainError, match="disabled"):
        msgs.handle_send(bank, ctx, send)


def test_set_send_enabled_validation() -> None:
    duplicate = bank_tx.MsgSetSendEnabled(
        authority=GOV,
        send_enabled=[bank_pb2.SendEnabled(denom="uxprt"), bank_pb2.SendEnabled(denom="uxprt")],
    )
    with pytest.raises(ChainError) as info:
        msgs.validate_set_send_enabled(duplicate)
    assert (info.value.codespace, info.value.code) == ("bank", 8)
    both = bank_tx.MsgSetSendEnabled(
        authority=GOV, send_enabled=[bank_pb2.SendEnabled(denom="uxprt")], use_default_for=["uxprt"]
    )
    with pytest.raises(ChainError):
        msgs.validate_set_send_enabled(both)
    legacy = bank_tx.MsgUpdateParams(
        authority=GOV, params=bank_pb2.Params(send_enabled=[bank_pb2.SendEnabled(denom="x")])
    )
    with pytest.raises(ChainError, match="no longer supported"):
        msgs.validate_update_params(legacy)


def test_send_validation_errors() -> None:
    empty = bank_tx.MsgSend(from_address=ALICE.bech32, to_address=BOB.bech32)
    with pytest.raises(ChainError) as info:
        msgs.validate_send(empty)
    assert info.value.code == 10
    unsorted = bank_tx.MsgSend(
        from_address=ALICE.bech32, to_address=BOB.bech32, amount=[coin(1, "zzz"), coin(1, "aaa")]
    )
    with pytest.raises(ChainError, match="not sorted"):
        msgs.validate_send(unsorted)
    wrong_prefix = bank_tx.MsgSend(
        from_address="cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a",
        to_address=BOB.bech32,
        amount=[coin(1)],
    )
    with pytest.raises(ChainError) as info:
        msgs.validate_send(wrong_prefix)
    assert info.value.code == 7
