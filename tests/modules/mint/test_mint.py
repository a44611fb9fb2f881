from __future__ import annotations

from dataclasses import replace

import pytest

from app.chain.context import BlockContext, Context, ExecMode
from app.chain.errors import ChainError
from app.modules.auth.keeper import MINTER, AccountKeeper
from app.modules.bank.keeper import BankKeeper
from app.modules.mint import genesis, msgs, queries
from app.modules.mint.keeper import MintKeeper
from app.modules.mint.state import BLOCKS_PER_YEAR, Minter, Params
from app.pb.cosmos.mint.v1beta1 import query_pb2, tx_pb2
from app.store import MemoryDatabase, MultiStore
from app.types import Coins, Dec, Int, Timestamp, acc_to_bech32, module_address

GOV = module_address("gov")


class FakeStaking:
    def __init__(self, bonded: int) -> None:
        self.bonded = bonded

    def bond_denom(self, ctx: Context) -> str:
        return "uxprt"

    def total_bonded_tokens(self, ctx: Context) -> Int:
        return Int(self.bonded)


def setup(bonded: int = 0, supply: int = 0):
    store = MultiStore(MemoryDatabase(), ["acc", "bank", "mint"])
    ctx = Context(store.block_view(), BlockContext(1, Timestamp(0), "test"), ExecMode.FINALIZE)
    accounts = AccountKeeper({"fee_collector": (), "mint": (MINTER,)}, GOV)
    bank = BankKeeper(accounts, GOV)
    if supply:
        bank.mint_coins(ctx, "mint", Coins.parse(f"{supply}uxprt"))
        bank.send_coins_from_module_to_module(
            ctx, "mint", "fee_collector", Coins.parse(f"{supply}uxprt")
        )
        ctx.events.clear()
    keeper = MintKeeper(accounts, bank, FakeStaking(bonded), GOV, "fee_collector")
    genesis.init_genesis(keeper, ctx, genesis.default_genesis())
    return ctx, bank, keeper


def test_defaults_match_the_sdk() -> None:
    params = Params()
    assert params.blocks_per_year == BLOCKS_PER_YEAR == 6_311_520
    assert (str(params.inflation_min), str(params.inflation_max)) == (
        "0.070000000000000000",
        "0.200000000000000000",
    )
    assert str(Minter().inflation) == "0.130000000000000000"


def test_inflation_moves_toward_the_goal_and_is_clamped() -> None:
    params = Params()
    minter = Minter()
    # Below the goal (0 bonded): +0.13 / blocks_per_year.
    up = minter.next_inflation_rate(params, Dec.zero())
    assert up == Dec.from_str("0.13") + Dec.from_str("0.13").quo(Dec.from_int(BLOCKS_PER_YEAR))
    # At the goal nothing changes; above it inflation falls.
    assert minter.next_inflation_rate(params, Dec.from_str("0.67")) == minter.inflation
    assert minter.next_inflation_rate(params, Dec.one()) < minter.inflation
    fast = replace(params, blocks_per_year=1)
    assert Minter(Dec.from_str("0.19")).next_inflation_rate(fast, Dec.zero()) == Dec.from_str("0.2")
    assert Minter(Dec.from_str("0.08")).next_inflation_rate(fast, Dec.one()) == Dec.from_str("0.07")


def test_block_provision_truncates() -> None:
    minter = Minter(Dec.from_str("0.1"), Dec.from_int(BLOCKS_PER_YEAR * 3 + 5))
    assert minter.block_provision(Params()).amount == Int(3)
    assert minter.next_annual_provisions(Int(1000)) == Dec.from_int(100)


def test_begin_block_mints_into_the_fee_collector() -> None:
    ctx, bank, keeper = setup(bonded=500_000_000_000, supply=1_000_000_000_000)
    keeper.begin_block(ctx)
    minter = keeper.get_minter(ctx)
    # Bonded ratio 0.5 is under the goal: inflation rises a little.
    assert minter.inflation > Dec.from_str("0.13")
    assert minter.annual_provisions == minter.inflation.mul_int(Int(1_000_000_000_000))
    provision = minter.block_provision(keeper.get_params(ctx)).amount
    assert provision.is_positive()
    collector = module_address("fee_collector")
    assert bank.get_balance(ctx, collector, "uxprt") == Int(1_000_000_000_000) + provision
    mint_events = [dict(e.attributes) for e in ctx.events if e.type == "mint"]
    assert mint_events == [
        {
            "bonded_ratio": "0.500000000000000000",
            "inflation": str(minter.inflation),
            "annual_provisions": str(minter.annual_provisions),
            "amount": str(provision),
        }
    ]


def test_without_supply_nothing_is_minted() -> None:
    ctx, bank, keeper = setup()
    keeper.begin_block(ctx)
    assert bank.get_supply(ctx, "uxprt") == Int(0)
    assert [dict(e.attributes)["amount"] for e in ctx.events if e.type == "mint"] == ["0"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mint_denom": ""}, "mint denom cannot be blank"),
        ({"inflation_max": Dec.from_str("1.5")}, "max inflation too large"),
        ({"inflation_min": Dec.from_str("-0.1")}, "min inflation cannot be negative"),
        ({"goal_bonded": Dec.zero()}, "goal bonded must be positive"),
        ({"blocks_per_year": 0}, "blocks per year must be positive"),
        ({"inflation_min": Dec.from_str("0.5")}, "must be greater than or equal to min"),
    ],
)
def test_invalid_params(change: dict, message: str) -> None:
    with pytest.raises(ChainError, match=message):
        msgs.validate_params(replace(Params(), **change))


def test_update_params_needs_the_authority_and_queries_read_back() -> None:
    ctx, _, keeper = setup()
    params = replace(Params(), inflation_max=Dec.from_str("0.3")).to_proto()
    with pytest.raises(ChainError, match="invalid authority"):
        msgs.handle_update_params(
            keeper,
            ctx,
            tx_pb2.MsgUpdateParams(authority=acc_to_bech32(b"\x01" * 20), params=params),
        )
    msgs.handle_update_params(
        keeper, ctx, tx_pb2.MsgUpdateParams(authority=acc_to_bech32(GOV), params=params)
    )
    got = queries.query_params(keeper, ctx, query_pb2.QueryParamsRequest()).params
    assert got == params
    inflation = queries.query_inflation(keeper, ctx, query_pb2.QueryInflationRequest())
    assert inflation.inflation == b"130000000000000000"


def test_genesis_round_trip_and_validation() -> None:
    ctx, _, keeper = setup()
    keeper.set_minter(ctx, Minter(Dec.from_str("0.15"), Dec.from_int(42)))
    exported = genesis.export_genesis(keeper, ctx)
    assert genesis.parse_genesis(exported) == (
        Minter(Dec.from_str("0.15"), Dec.from_int(42)),
        Params(),
    )
    exported["minter"]["inflation"] = "-1"
    with pytest.raises(ChainError, match="should be positive"):
        genesis.validate_genesis(exported)
