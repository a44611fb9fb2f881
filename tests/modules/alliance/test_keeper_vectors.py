"""The [SDK-*] and keeper-level vectors of vectors/alliance.md on the real keepers (F0)."""

from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.modules.alliance import state
from app.modules.alliance.keeper import AssetFields
from app.modules.alliance.math import compute_validator_asset_tokens
from app.modules.alliance.types import Params, RewardWeightRange
from app.types import GO_ZERO_TIME, Coin, Coins, Dec, Int, Timestamp
from app.types.time import HOUR, MINUTE, SECOND, Duration
from tests.modules.alliance.chain_fixture import AllianceChain, account
from tests.modules.alliance.fixtures import make_asset

DAY = 24 * HOUR
T0 = Timestamp(1_700_000_000 * SECOND)
A1, A2 = "alliance", "alliance2"


@pytest.fixture(params=["stake", "uxprt"])
def bond_denom(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def two_assets(chain: AllianceChain, *, start: Timestamp = GO_ZERO_TIME, take2: str = "0") -> None:
    chain.set_assets(
        make_asset(A1, "2", start=start, weight_range=("0", "5")),
        make_asset(A2, "10", start=start, take=take2, weight_range=("2", "12")),
    )


def test_del1_delegation_with_a_single_asset(bond_denom: str) -> None:
    chain = AllianceChain(bond_denom)
    two_assets(chain)
    chain.fund(chain.g, 2_000_000, A1)
    assert chain.total_bonded() == 1_000_000
    chain.delegate(chain.g, chain.v0, 1_000_000, A1)
    chain.rebalance()
    assert chain.module_stake(chain.v0) == 2_000_000
    assert len(chain.chain.staking.get_validator_delegations(chain.ctx, chain.v0)) == 2
    delegation = state.get_delegation(chain.ctx.store("alliance"), chain.g, chain.v0, A1)
    assert delegation is not None
    assert delegation.shares == Dec.from_int(1_000_000)
    assert delegation.reward_history == ()
    assert delegation.last_reward_claim_height == 0
    asset = chain.asset(A1)
    assert asset.total_tokens == Int(1_000_000)
    assert asset.total_validator_shares == Dec.from_int(1_000_000)
    chain.delegate(chain.g, chain.v0, 1_000_000, A1)
    chain.rebalance()
    assert chain.asset(A1).total_tokens == Int(2_000_000)
    assert chain.module_stake(chain.v0) == 2_000_000
    chain.check_invariants()


def test_del2_multiple_assets() -> None:
    chain = AllianceChain()
    two_assets(chain)
    chain.fund(chain.g, 2_000_000, A1)
    chain.fund(chain.g, 1_000_000, A2)
    chain.delegate(chain.g, chain.v0, 2_000_000, A1)
    chain.delegate(chain.g, chain.v0, 1_000_000, A2)
    chain.rebalance()
    assert chain.module_stake(chain.v0) == 12_000_000
    assert chain.validator(chain.v0).tokens == Int(13_000_000)


def test_del3_unknown_asset_changes_nothing() -> None:
    chain = AllianceChain()
    two_assets(chain)
    with pytest.raises(ChainError) as error:
        chain.delegate(chain.g, chain.v0, 2_000_000, "UNKNOWN")
    assert (error.value.codespace, error.value.code) == ("alliance", 30)


def test_del4_successful_redelegation_and_completion() -> None:
    chain = AllianceChain()
    two_assets(chain)
    v2 = chain.add_validator(2)
    del1, del2 = account("del1"), account("del2")
    chain.fund(del1, 1_000_000, A1)
    chain.fund(del2, 1_000_000, A1)
    chain.delegate(del1, chain.v0, 500_000, A1)
    completion = chain.keeper.redelegate(chain.ctx, del1, chain.v0, v2, Coin(A1, Int(500_000)))
    assert completion == GO_ZERO_TIME + 21 * DAY
    chain.check_invariants()
    chain.rebalance()
    assert chain.module_stake(v2) == 2_000_000
    assert chain.total_bonded() == 3_000_000
    store = chain.ctx.store("alliance")
    assert state.get_delegation(store, del1, chain.v0, A1) is None
    moved = state.get_delegation(store, del1, v2, A1)
    assert moved is not None and moved.shares == Dec.from_int(500_000)
    records = list(state.iterate_redelegations(store, del1))
    assert len(records) == 1 and records[0][2].balance == Coin(A1, Int(500_000))
    chain.delegate(del2, v2, 500_000, A1)
    chain.rebalance()
    chain.keeper.redelegate(chain.ctx, del2, v2, chain.v0, Coin(A1, Int(500_000)))
    chain.rebalance()
    assert chain.total_bonded() == 3_000_000
    assert chain.keeper.complete_redelegations(chain.ctx) == 0
    chain.at(time=Timestamp(completion + MINUTE))
    assert chain.keeper.complete_redelegations(chain.ctx) == 2
    assert list(state.iterate_redelegations(store)) == []
    assert chain.keeper.complete_redelegations(chain.ctx) == 0


def test_del5_failures() -> None:
    chain = AllianceChain()
    two_assets(chain)
    v2 = chain.add_validator(2)
    del1, del2 = account("del1"), account("del2")
    chain.fund(del1, 1_000_000, A1)
    chain.fund(del2, 1_000_000, A1)
    coin = Coin(A1, Int(500_000))
    with pytest.raises(ChainError) as error:
        chain.keeper.redelegate(chain.ctx, del2, v2, chain.v0, coin)
    assert (error.value.codespace, error.value.code) == ("staking", 21)
    chain.delegate(del1, chain.v0, 500_000, A1)
    chain.keeper.redelegate(chain.ctx, del1, chain.v0, v2, coin)
    chain.rebalance()
    with pytest.raises(ChainError) as error:
        chain.keeper.redelegate(chain.ctx, del1, v2, chain.v0, coin)
    assert (error.value.codespace, error.value.code) == ("staking", 32)
    chain.delegate(del2, v2, 500_000, A1)
    with pytest.raises(ChainError) as error:
        chain.keeper.redelegate(chain.ctx, del2, v2, chain.v0, Coin(A1, Int(1_000_000)))
    assert (error.value.codespace, error.value.code) == ("staking", 22)
    with pytest.raises(ChainError):
        chain.keeper.undelegate(chain.ctx, chain.g, chain.v0, Coin(A1, Int(1_000_000)))


def test_del6_successful_undelegation() -> None:
    chain = AllianceChain(time=T0)
    chain.set_assets(make_asset(A1, "2", start=T0), make_asset(A2, "10", weight_range=("2", "12")))
    chain.fund(chain.g, 2_000_000, A1)
    chain.fund_module("fee_collector", 2_000_000, "reward")
    chain.delegate(chain.g, chain.v0, 1_000_000, A1)
    chain.rebalance()
    assert chain.total_bonded() == 3_000_000
    assert chain.balance(chain.g, A1) == 1_000_000
    chain.keeper.add_assets_to_reward_pool(
        chain.ctx, "fee_collector", chain.v0, Coins([Coin("reward", Int(1_000_000))])
    )
    preview = chain.keeper.preview_delegation_rewards(chain.ctx, chain.g, chain.v0, A1)
    assert preview == Coins([Coin("reward", Int(1_000_000))])
    chain.keeper.undelegate(chain.ctx, chain.g, chain.v0, Coin(A1, Int(250_000)))
    chain.keeper.undelegate(chain.ctx, chain.g, chain.v0, Coin(A1, Int(250_000)))
    assert chain.balance(chain.g, "reward") == 1_000_000
    bucket = state.get_undelegation_bucket(chain.ctx.store("alliance"), T0 + 21 * DAY, chain.g)
    assert bucket is not None
    assert [e.balance for e in bucket.entries] == [Coin(A1, Int(250_000))] * 2
    chain.rebalance()
    assert chain.total_bonded() == 3_000_000
    chain.keeper.complete_undelegations(chain.ctx)
    assert chain.balance(chain.g, A1) == 1_000_000
    chain.at(time=Timestamp(T0 + 21 * DAY + MINUTE))
    chain.keeper.complete_undelegations(chain.ctx)
    assert chain.balance(chain.g, A1) == 1_500_000
    chain.keeper.complete_undelegations(chain.ctx)
    assert chain.balance(chain.g, A1) == 1_500_000
    chain.check_invariants()


def test_reb1_rebalancing_after_weight_change() -> None:
    chain = AllianceChain(time=T0, community_tax="0")
    chain.set_assets(
        make_asset(A1, "2", start=T0, weight_range=("0", "4")),
        make_asset(A2, "10", start=T0, weight_range=("2", "12")),
    )
    v1 = chain.add_validator(1)
    user = account("user1")
    chain.fund(user, 1_000_000, A1)
    chain.delegate(user, v1, 1_000_000, A1)
    chain.rebalance()
    assert chain.total_bonded() == 3_000_000
    assert chain.validator(v1).consensus_power(Int(1_000_000)) == 2

    def update(weight: str, low: str, high: str, take: str = "0") -> None:
        chain.keeper.update_alliance(
            chain.ctx,
            AssetFields(
                A1,
                Dec.from_str(weight),
                Dec.from_str(take),
                Dec.one(),
                Duration(0),
                RewardWeightRange(Dec.from_str(low), Dec.from_str(high)),
            ),
        )

    update("2", "0", "5", take="0.1")
    assert list(state.iterate_all_snapshots(chain.ctx.store("alliance"))) == []
    update("20", "5", "25")
    assert list(state.iterate_all_snapshots(chain.ctx.store("alliance"))) != []
    chain.rebalance()
    assert chain.total_bonded() == 21_000_000
    assert chain.validator(v1).consensus_power(Int(1_000_000)) == 20
    update("1", "0", "5")
    chain.rebalance()
    assert chain.total_bonded() == 2_000_000
    assert chain.validator(v1).consensus_power(Int(1_000_000)) == 1
    chain.check_invariants()


def test_tak1_claim_take_rate_then_distribution() -> None:
    chain = AllianceChain(time=T0, height=1)
    params = Params(Duration(60 * MINUTE), Duration(5 * MINUTE), T0)
    chain.set_assets(
        make_asset(A1, "2", start=T0, take="0.5"),
        make_asset(A2, "10", start=T0, weight_range=("2", "12")),
        params=params,
    )
    user = account("user1")
    chain.fund(user, 10**9, A1)
    chain.fund(user, 10**9, A2)
    chain.delegate(user, chain.v0, 10**9, A1)
    chain.delegate(user, chain.v0, 10**9, A2)
    chain.rebalance()
    assert chain.total_bonded() == 13_000_000
    assert chain.keeper.deduct_take_rate(chain.ctx) == Coins()
    chain.at(time=Timestamp(T0 + 5 * MINUTE + SECOND), height=2)
    taken = chain.keeper.deduct_take_rate(chain.ctx)
    assert taken == Coins([Coin(A1, Int(500_000_000))])
    assert chain.module_balance("fee_collector", A1) == 500_000_000
    assert chain.keeper.get_params(chain.ctx).last_take_rate_claim_time == T0 + 5 * MINUTE
    assert chain.asset(A1).total_tokens == Int(500_000_000)
    assert chain.asset(A1).reward_weight == Dec.from_int(2)
    chain.check_invariants()
    chain.allocate((chain.v0, 1))
    pool = chain.chain.distribution.get_community_pool(chain.ctx).amount_of(A1)
    assert pool == Dec.from_int(10_000_000)


def test_rwd2_claim_rewards() -> None:
    chain = AllianceChain()
    chain.set_assets(make_asset(A1, "2"), make_asset(A2, "8", weight_range=("2", "12")))
    user1, user2 = account("user1"), account("user2")
    chain.fund(user1, 1_000_000, A1)
    chain.fund(user2, 1_000_000, A2)
    chain.fund_module("mint", 10_000_000, "stake2")
    chain.fund_module("mint", 10_000_000, "stake")

    def add(amount: int, denom: str) -> None:
        coins = Coins([Coin(denom, Int(amount))])
        chain.keeper.add_assets_to_reward_pool(chain.ctx, "mint", chain.v0, coins)

    chain.delegate(user1, chain.v0, 1_000_000, A1)
    chain.rebalance()
    add(1_000_000, "stake")
    chain.delegate(user2, chain.v0, 1_000_000, A2)
    chain.rebalance()
    add(1_000_000, "stake")
    add(4_000_000, "stake2")
    info = chain.keeper.get_validator_info(chain.ctx, chain.v0)
    assert [(h.denom, str(h.index), h.alliance) for h in info.global_reward_history] == [
        ("stake", "1.200000000000000000", A1),
        ("stake", "0.800000000000000000", A2),
        ("stake2", "0.800000000000000000", A1),
        ("stake2", "3.200000000000000000", A2),
    ]
    assert chain.claim(user1, chain.v0, A1) == Coins.parse("1200000stake,800000stake2")
    with pytest.raises(ChainError):
        chain.claim(user2, chain.v0, A1)
    assert chain.claim(user2, chain.v0, A2) == Coins.parse("800000stake,3200000stake2")
    assert chain.chain.bank.get_all_balances(chain.ctx, chain.keeper.rewards_address) == Coins()


def test_rwd4_rewards_with_multiple_validators() -> None:
    chain = AllianceChain(time=T0, height=1, community_tax="0")
    chain.set_assets(make_asset(A1, "2", start=T0), make_asset(A2, "8", start=T0))
    v1, v2 = chain.add_validator(1, "0"), chain.add_validator(2, "1")
    user1, user2 = account("user1"), account("user2")
    chain.fund(user1, 1_000_000, A1)
    chain.fund(user2, 10_000_000, A2)
    chain.delegate(user1, v1, 1_000_000, A1)
    chain.delegate(user2, v2, 10_000_000, A2)
    chain.rebalance()
    assert chain.total_bonded() == 11_000_000
    chain.fund_module("fee_collector", 4_000_000, "stake")
    chain.at(height=2)
    chain.allocate((v1, 2), (v2, 8))
    assert chain.claim(user1, v1, A1) == Coins.parse("800000stake")
    assert chain.claim(user2, v2, A2) == Coins()


def test_qry1_claim_query_reward() -> None:
    chain = AllianceChain(time=T0, height=1)
    params = Params(Duration(60 * MINUTE), Duration(5 * MINUTE), T0)
    chain.set_assets(make_asset("uluna", "2", take="0.00005"), params=params)
    delegator = account("del")
    chain.fund(delegator, 10**9, "uluna")
    assert chain.delegate(delegator, chain.v0, 10**9, "uluna") == Dec.from_int(10**9)
    chain.rebalance()
    chain.at(time=Timestamp(T0 + 5 * MINUTE + SECOND), height=2)
    chain.keeper.deduct_take_rate(chain.ctx)
    assert chain.keeper.get_params(chain.ctx).last_take_rate_claim_time == T0 + 5 * MINUTE
    chain.allocate((chain.v0, 1))
    preview = chain.keeper.preview_delegation_rewards(chain.ctx, delegator, chain.v0, "uluna")
    assert preview == Coins.parse("32665uluna")
    assert chain.claim(delegator, chain.v0, "uluna") == Coins.parse("32665uluna")


def test_sla1_slashing_event() -> None:
    chain = AllianceChain(time=T0, height=1, community_tax="0")
    chain.set_assets(make_asset(A1, "2"), make_asset(A2, "10", weight_range=("2", "12")))
    v1, v2 = chain.add_validator(1, "0"), chain.add_validator(2, "1")
    for name in ("user1", "user2"):
        user = account(name)
        for denom in (A1, A2):
            chain.fund(user, 20_000_000, denom)
            chain.delegate(user, v1, 10_000_000, denom)
            chain.delegate(user, v2, 10_000_000, denom)
    chain.rebalance()
    assert chain.total_bonded() == 13_000_000
    cons = chain.validator(v1).consensus_address()
    chain.chain.staking.slash(chain.ctx, cons, 1, 6, Dec.from_str("0.05"))
    assert chain.total_bonded() == 12_700_000
    chain.rebalance()
    assert chain.total_bonded() == 12_999_999
    info1 = chain.keeper.get_validator_info(chain.ctx, v1)
    info2 = chain.keeper.get_validator_info(chain.ctx, v2)
    assert str(compute_validator_asset_tokens(info1, chain.asset(A1))).startswith(
        "19487179.48717948716"
    )
    assert compute_validator_asset_tokens(info1, chain.asset(A1)) < Dec.from_int(20_000_000)
    assert compute_validator_asset_tokens(info2, chain.asset(A1)) > Dec.from_int(20_000_000)
    assert chain.validator(v1).consensus_power(Int(1_000_000)) < 6
    chain.check_invariants()


def test_sla4_incorrect_fraction() -> None:
    chain = AllianceChain()
    with pytest.raises(ChainError, match=r"less than or equal to 1: 2\.000000000000000000"):
        chain.keeper.slash_validator(chain.ctx, chain.v0, Dec.from_int(2))
    with pytest.raises(ChainError, match=r": -1\.000000000000000000"):
        chain.keeper.slash_validator(chain.ctx, chain.v0, Dec.from_int(-1))


def test_gen3_first_take_rate_hook_starts_the_clock() -> None:
    chain = AllianceChain(time=T0, height=1)
    chain.set_assets()
    chain.keeper.deduct_take_rate(chain.ctx)
    assert chain.keeper.get_params(chain.ctx).last_take_rate_claim_time == T0
