"""Weight schedule, take rate and native-staking vectors (WGT-n, TAK-3/4, DEL-8, REB-2 of
vectors/alliance.md) through the keeper's EndBlock hooks and the real staking keeper (F0)."""

from __future__ import annotations

from dataclasses import replace

from app.modules.alliance import state
from app.modules.alliance.keeper import AssetFields
from app.modules.alliance.types import Params, RewardWeightRange
from app.modules.staking.end_block import apply_validator_set_updates
from app.modules.staking.types import BondStatus
from app.types import GO_ZERO_TIME, Coin, Coins, Dec, Int, Timestamp
from app.types.time import HOUR, MINUTE, SECOND, Duration
from tests.modules.alliance.chain_fixture import AllianceChain, account
from tests.modules.alliance.fixtures import make_asset

DAY = 24 * HOUR
T0 = Timestamp(1_700_000_000 * SECOND)
A1, A2 = "alliance", "alliance2"
TAKE_PARAMS = Params(Duration(60 * MINUTE), Duration(5 * MINUTE), T0)


def fields(
    denom: str,
    weight: str,
    *,
    take: str = "0",
    rate: str = "1",
    interval: int = 0,
    weight_range: tuple[str, str] = ("0", "5"),
) -> AssetFields:
    return AssetFields(
        denom,
        Dec.from_str(weight),
        Dec.from_str(take),
        Dec.from_str(rate),
        Duration(interval),
        RewardWeightRange(Dec.from_str(weight_range[0]), Dec.from_str(weight_range[1])),
    )


def native_delegate(chain: AllianceChain, who: bytes, operator: bytes, amount: int) -> None:
    """staking.Delegate from an account (the reference's direct keeper call)."""
    staking = chain.chain.staking
    staking.delegate(
        chain.ctx, who, Int(amount), BondStatus.UNBONDED, chain.validator(operator), True
    )


def test_wgt1_reward_range_with_change_rate_over_time() -> None:
    chain = AllianceChain()
    band = ("0.05", "0.10")
    chain.set_assets(
        make_asset(A1, "0.075", rate="1.5", interval=30 * DAY, weight_range=band),
        make_asset(A2, "0.075", rate="0.5", interval=30 * DAY, weight_range=band),
    )
    before = chain.keeper.get_all_assets(chain.ctx)
    chain.keeper.apply_weight_schedule(chain.ctx)
    assert chain.keeper.get_all_assets(chain.ctx) == before
    later = Timestamp(GO_ZERO_TIME + 60 * DAY)
    chain.at(time=later)
    chain.keeper.apply_weight_schedule(chain.ctx)
    expected = [
        replace(asset, reward_weight=Dec.from_str(weight), last_reward_change_time=later)
        for asset, weight in zip(before, ("0.10", "0.05"), strict=True)
    ]
    assert chain.keeper.get_all_assets(chain.ctx) == expected


def test_wgt2_reward_weight_decay() -> None:
    chain = AllianceChain(time=T0, height=1)
    chain.set_assets()
    chain.fund(account("addr4"), 9_000_000, "stake")
    native_delegate(chain, account("addr4"), chain.v0, 9_000_000)
    created = chain.keeper.create_alliance(
        chain.ctx, fields(A1, "1", rate="0.5", interval=30 * DAY)
    )
    start = Timestamp(T0 + 7 * DAY)
    assert (created.reward_start_time, created.last_reward_change_time) == (start, start)
    chain.keeper.apply_weight_schedule(chain.ctx)
    assert chain.asset(A1) == created
    store = chain.ctx.store(state.STORE_NAME)
    state.consume_rebalance_flag(store)
    due = Timestamp(start + 30 * DAY)
    chain.at(time=due)
    chain.keeper.apply_weight_schedule(chain.ctx)
    assert chain.asset(A1) == replace(
        created, reward_weight=Dec.from_str("0.5"), last_reward_change_time=due
    )
    assert state.consume_rebalance_flag(store)

    later = Timestamp(due + 10 * HOUR)
    chain.at(time=later)
    chain.keeper.update_alliance(chain.ctx, fields(A1, "0.5"))
    assert chain.asset(A1).last_reward_change_time == due
    chain.keeper.update_alliance(chain.ctx, fields(A1, "0.5", rate="0.1", interval=30 * DAY))
    assert chain.asset(A1).last_reward_change_time == later
    chain.keeper.create_alliance(chain.ctx, fields(A2, "1", interval=30 * DAY))
    chain.at(time=Timestamp(later + HOUR))
    chain.keeper.update_alliance(chain.ctx, fields(A2, "0.5", rate="0.1", interval=30 * DAY))
    assert chain.asset(A2).last_reward_change_time == later + HOUR


def test_tak3_claim_take_rate_for_newly_added_assets() -> None:
    chain = AllianceChain(time=T0, height=1)
    chain.set_assets(make_asset(A1, "2", start=T0, weight_range=("0", "0")), params=TAKE_PARAMS)
    user = account("user1")
    chain.fund(user, 10**9, A1)
    chain.fund(user, 10**9, A2)
    chain.delegate(user, chain.v0, 10**9, A1)
    chain.rebalance()
    assert chain.keeper.deduct_take_rate(chain.ctx) == Coins()
    first = Timestamp(T0 + 5 * MINUTE + SECOND)
    chain.at(time=first, height=2)
    assert chain.keeper.deduct_take_rate(chain.ctx) == Coins()
    assert chain.keeper.get_params(chain.ctx).last_take_rate_claim_time == first
    created = chain.keeper.create_alliance(
        chain.ctx, fields(A2, "1", take="0.1", weight_range=("0", "1"))
    )
    assert created.reward_start_time == first + 60 * MINUTE
    assert chain.keeper.deduct_take_rate(chain.ctx) == Coins()
    chain.delegate(user, chain.v0, 10**9, A2)
    chain.at(time=Timestamp(T0 + 10 * MINUTE + 2 * SECOND), height=3)
    assert chain.keeper.deduct_take_rate(chain.ctx) == Coins()
    chain.at(time=Timestamp(T0 + 70 * MINUTE + 2 * SECOND), height=4)
    assert chain.keeper.deduct_take_rate(chain.ctx) == Coins([Coin(A2, Int(717_570_464))])
    assert chain.asset(A2).total_tokens == Int(282_429_536)
    chain.check_invariants()


def test_tak4_rate_change_from_an_inactive_schedule_moves_the_anchor() -> None:
    chain = AllianceChain(time=T0, height=1)
    chain.set_assets(make_asset(A1, "2", start=T0), params=TAKE_PARAMS)
    later = Timestamp(T0 + 10 * HOUR)
    chain.at(time=later)
    chain.keeper.update_alliance(chain.ctx, fields(A1, "2", rate="1.001", interval=5 * MINUTE))
    assert chain.asset(A1).last_reward_change_time == later


def test_del8_delegation_with_native_staking_changes() -> None:
    chain = AllianceChain(time=T0, height=1, community_tax="0")
    chain.set_assets(make_asset(A1, "2", start=T0), make_asset(A2, "10", start=T0, take="0.5"))
    v1, v2 = chain.add_validator(1, "0"), chain.add_validator(2, "1")
    user1, user2 = account("user1"), account("user2")
    for user in (user1, user2):
        chain.fund(user, 10**9, "stake")
        chain.fund(user, 10**9, A1)
        chain.fund(user, 2 * 10**9, A2)
    chain.delegate(user1, v1, 2_000_000, A1)
    chain.delegate(user2, v2, 2_000_000, A2)
    chain.rebalance()
    assert chain.total_bonded() == 13_000_000
    native_delegate(chain, user2, v2, 2_000_000)
    assert chain.total_bonded() == 15_000_000
    chain.rebalance()
    assert chain.total_bonded() == 39_000_000
    staking = chain.chain.staking
    staking.begin_redelegation(chain.ctx, user2, v2, v1, Dec.one())
    chain.rebalance()
    assert chain.total_bonded() == 39_000_000
    staking.undelegate(chain.ctx, user2, v2, Dec.from_int(1_000_000))
    chain.rebalance()
    assert chain.total_bonded() == 26_000_000
    assert (chain.module_stake(v1), chain.module_stake(v2)) == (4_000_000, 20_000_000)
    chain.check_invariants()


def test_reb2_rebalancing_with_unbonded_validator() -> None:
    chain = AllianceChain(time=T0, height=1, community_tax="0")
    chain.set_assets(make_asset(A1, "0.1"), make_asset(A2, "0.5"))
    users = [account(f"addr{n}") for n in range(5)]
    for user in users:
        chain.fund(user, 10_000_000, "stake")
        chain.fund(user, 50_000_000, A1)
        chain.fund(user, 50_000_000, A2)
    native_delegate(chain, users[4], chain.v0, 9_000_000)
    v1, v2 = chain.add_validator(1, "0"), chain.add_validator(2, "1")
    for denom, user, operator, amount in (
        (A1, users[0], v1, 20_000_000),
        (A1, users[0], v2, 10_000_000),
        (A1, users[1], v1, 10_000_000),
        (A1, users[1], v2, 10_000_000),
        (A2, users[0], v1, 10_000_000),
        (A2, users[0], v2, 10_000_000),
        (A2, users[1], v1, 10_000_000),
        (A2, users[1], v2, 10_000_000),
    ):
        chain.delegate(user, operator, amount, denom)
    staking = chain.chain.staking

    def with_max_validators(count: int) -> None:
        staking.set_params(chain.ctx, replace(staking.get_params(chain.ctx), max_validators=count))
        apply_validator_set_updates(staking, chain.ctx)

    chain.rebalance()
    with_max_validators(100)
    assert chain.total_bonded() == 16_000_000
    assert (chain.validator(v1).tokens, chain.validator(v2).tokens) == (
        Int(3_100_000),
        Int(2_900_000),
    )
    with_max_validators(2)
    assert chain.total_bonded() == 13_100_000
    bonded = staking.get_bonded_validators_by_power(chain.ctx)
    assert [v.description.moniker for v in bonded] == ["val0", "val1"]
    chain.rebalance()
    assert chain.total_bonded() == 16_000_000
    assert (chain.module_stake(v1), chain.validator(v2).tokens) == (6_000_000, Int(2_900_000))
    with_max_validators(3)
    assert chain.total_bonded() == 18_900_000
    chain.rebalance()
    assert chain.total_bonded() == 16_000_000
    chain.check_invariants()
