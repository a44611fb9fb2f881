from __future__ import annotations

import pytest

from app.chain.context import BlockContext, Context, ExecMode
from app.chain.errors import ChainError, InvariantViolation
from app.modules.auth.keeper import BURNER, MINTER, AccountKeeper
from app.modules.bank.keeper import BankKeeper
from app.store import MemoryDatabase, MultiStore
from app.types import Coins, Int, Timestamp, acc_to_bech32, module_address
from tests.chain.helpers import ALICE, BOB

PERMISSIONS = {"fee_collector": (), "mint": (MINTER,), "burny": (BURNER,)}


def setup():
    store = MultiStore(MemoryDatabase(), ["acc", "bank"])
    ctx = Context(store.block_view(), BlockContext(1, Timestamp(0), "test"), ExecMode.FINALIZE)
    accounts = AccountKeeper(PERMISSIONS, module_address("gov"))
    return ctx, accounts, BankKeeper(accounts, module_address("gov"))


def events(ctx):
    return [(e.type, dict(e.attributes)) for e in ctx.events]


def test_mint_send_burn_track_supply_and_emit_events() -> None:
    ctx, accounts, bank = setup()
    bank.mint_coins(ctx, "mint", Coins.parse("100uxprt,5stake"))
    minter = acc_to_bech32(module_address("mint"))
    assert events(ctx) == [
        ("coin_received", {"receiver": minter, "amount": "5stake,100uxprt"}),
        ("coinbase", {"minter": minter, "amount": "5stake,100uxprt"}),
    ]
    assert bank.get_supply(ctx, "uxprt") == Int(100)
    ctx.events.clear()
    bank.send_coins_from_module_to_account(ctx, "mint", ALICE.address, Coins.parse("60uxprt"))
    assert bank.get_balance(ctx, ALICE.address, "uxprt") == Int(60)
    assert accounts.get_account(ctx, ALICE.address) is not None
    assert [t for t, _ in events(ctx)] == ["coin_spent", "coin_received", "transfer", "message"]
    bank.send_coins_from_account_to_module(ctx, ALICE.address, "burny", Coins.parse("10uxprt"))
    bank.burn_coins(ctx, "burny", Coins.parse("10uxprt"))
    assert bank.get_supply(ctx, "uxprt") == Int(90)
    assert bank.get_balance(ctx, module_address("burny"), "uxprt") == Int(0)
    assert events(ctx)[-1] == (
        "burn",
        {"burner": acc_to_bech32(module_address("burny")), "amount": "10uxprt"},
    )
    assert accounts.get_account(ctx, module_address("burny")).module_name == "burny"


def test_permissions_are_checked() -> None:
    ctx, _, bank = setup()
    with pytest.raises(ChainError, match="does not have permissions to mint"):
        bank.mint_coins(ctx, "burny", Coins.parse("1uxprt"))
    bank.mint_coins(ctx, "mint", Coins.parse("1uxprt"))
    with pytest.raises(ChainError, match="does not have permissions to burn"):
        bank.burn_coins(ctx, "mint", Coins.parse("1uxprt"))
    with pytest.raises(InvariantViolation):
        bank.mint_coins(ctx, "undeclared", Coins.parse("1uxprt"))


def test_module_accounts_are_blocked_recipients() -> None:
    ctx, _, bank = setup()
    bank.mint_coins(ctx, "mint", Coins.parse("10uxprt"))
    with pytest.raises(ChainError, match="is not allowed to receive funds") as info:
        bank.send_coins_from_module_to_account(
            ctx, "mint", module_address("fee_collector"), Coins.parse("1uxprt")
        )
    assert info.value.code == 4
    bank.send_coins_from_module_to_module(ctx, "mint", "fee_collector", Coins.parse("3uxprt"))
    assert bank.get_balance(ctx, module_address("fee_collector"), "uxprt") == Int(3)


def test_insufficient_funds_changes_nothing() -> None:
    ctx, _, bank = setup()
    bank.mint_coins(ctx, "mint", Coins.parse("10uxprt,10stake"))
    bank.send_coins_from_module_to_account(
        ctx, "mint", ALICE.address, Coins.parse("10uxprt,5stake")
    )
    with pytest.raises(
        ChainError, match=r"spendable balance 5stake is smaller than 6stake"
    ) as info:
        bank.send_coins(ctx, ALICE.address, BOB.address, Coins.parse("6stake,1uxprt"))
    assert info.value.code == 5
    assert bank.get_all_balances(ctx, ALICE.address) == Coins.parse("5stake,10uxprt")
    assert bank.get_all_balances(ctx, BOB.address) == Coins()


def test_zero_balances_are_not_stored() -> None:
    ctx, _, bank = setup()
    bank.mint_coins(ctx, "mint", Coins.parse("10uxprt"))
    bank.send_coins_from_module_to_account(ctx, "mint", ALICE.address, Coins.parse("10uxprt"))
    assert bank.get_all_balances(ctx, module_address("mint")) == Coins()
    assert list(ctx.view.store("bank").iterate_prefix(b"\x03")) != []
    bank.send_coins(ctx, ALICE.address, BOB.address, Coins.parse("10uxprt"))
    owners = [key for key, _ in ctx.view.store("bank").iterate_prefix(b"\x03uxprt\x00")]
    assert owners == [b"\x03uxprt\x00\x14" + BOB.address]
