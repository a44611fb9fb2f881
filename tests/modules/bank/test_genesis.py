from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.modules.bank import genesis
from tests.chain.helpers import ALICE, BOB
from tests.modules.bank.test_keeper import setup

METADATA = {
    "description": "",
    "denom_units": [
        {"denom": "uxprt", "exponent": 0, "aliases": []},
        {"denom": "xprt", "exponent": 6, "aliases": []},
    ],
    "base": "uxprt",
    "display": "xprt",
    "name": "XPRT",
    "symbol": "XPRT",
    "uri": "",
    "uri_hash": "",
}


def section(**overrides):
    base = {
        "params": {"send_enabled": [], "default_send_enabled": True},
        "balances": [
            {"address": BOB.bech32, "coins": [{"denom": "uxprt", "amount": "7"}]},
            {
                "address": ALICE.bech32,
                "coins": [{"denom": "stake", "amount": "3"}, {"denom": "uxprt", "amount": "5"}],
            },
        ],
        "supply": [],
        "denom_metadata": [METADATA],
        "send_enabled": [{"denom": "stake", "enabled": False}],
    }
    base.update(overrides)
    return base


def test_init_then_export_round_trips() -> None:
    ctx, accounts, bank = setup()
    genesis.init_genesis(bank, ctx, section())
    assert accounts.has_account(ctx, ALICE.address) and accounts.has_account(ctx, BOB.address)
    exported = genesis.export_genesis(bank, ctx)
    assert exported["supply"] == [
        {"denom": "stake", "amount": "3"},
        {"denom": "uxprt", "amount": "12"},
    ]
    assert sorted(b["address"] for b in exported["balances"]) == sorted([ALICE.bech32, BOB.bech32])
    assert exported["denom_metadata"] == [METADATA]
    assert exported["send_enabled"] == [{"denom": "stake", "enabled": False}]
    ctx2, _, bank2 = setup()
    genesis.init_genesis(bank2, ctx2, exported)
    assert genesis.export_genesis(bank2, ctx2) == exported


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"supply": [{"denom": "uxprt", "amount": "1"}]}, 10),
        (
            {
                "balances": [
                    {"address": BOB.bech32, "coins": []},
                    {"address": BOB.bech32, "coins": []},
                ]
            },
            8,
        ),
        ({"balances": [{"address": "bad", "coins": []}]}, 7),
        ({"balances": [{"address": BOB.bech32, "coins": [{"denom": "uxprt", "amount": "0"}]}]}, 10),
        ({"denom_metadata": [METADATA, METADATA]}, 8),
        ({"denom_metadata": [{**METADATA, "display": "nope"}]}, 18),
        ({"params": {"default_send_enabled": "maybe"}}, 17),
    ],
)
def test_validation_failures(overrides, code) -> None:
    with pytest.raises(ChainError) as info:
        genesis.validate_genesis(section(**overrides))
    assert info.value.code == code


def test_correct_supply_is_accepted() -> None:
    genesis.validate_genesis(
        section(supply=[{"denom": "stake", "amount": "3"}, {"denom": "uxprt", "amount": "12"}])
    )
