"""The [PURE] vectors and D-n micro-vectors of vectors/alliance.md, on the pure functions.

Each test names its vector. Asserted and derived numbers are both checked.
"""

from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.modules.alliance import math
from app.modules.alliance.errors import STAKING_CODESPACE
from app.modules.alliance.math import StakingValidator
from app.modules.alliance.types import Params, RewardHistory, RewardWeightRange
from app.types import (
    GO_ZERO_TIME,
    MINUTE,
    SECOND,
    Coin,
    Coins,
    Dec,
    Int,
    Timestamp,
    format_rfc3339,
    parse_rfc3339,
    val_address_from_bech32,
    val_to_bech32,
)
from app.types.time import HOUR, Duration
from tests.modules.alliance.fixtures import (
    DAY,
    T0,
    Ledger,
    dec,
    dec_coins,
    make_asset,
    make_info,
    operator,
)


def at(offset: int, base: Timestamp = T0) -> Timestamp:
    return Timestamp(base + offset)


# ---- D-n: LegacyDec behaviour the module depends on ------------------------------------------


@pytest.mark.parametrize(
    ("vector", "value", "expected"),
    [
        ("D-1", lambda: dec("2").quo(dec("12")), "0.166666666666666667"),
        ("D-1", lambda: dec("10").quo(dec("12")), "0.833333333333333333"),
        ("D-2", lambda: dec("1").quo(dec("3")).mul(dec("3000000")), "999999.999999999999"),
        (
            "D-2",
            lambda: dec("2000000").quo(dec("3000000")).mul(dec("3000000")),
            "2000000.000000000001",
        ),
        ("D-4", lambda: dec("0.9").power(12), "0.282429536481000000"),
        ("D-4", lambda: dec("1.5").power(2), "2.250000000000000000"),
        ("D-4", lambda: dec("0.5").power(2), "0.250000000000000000"),
        ("D-4", lambda: dec("0.2").power(2), "0.040000000000000000"),
        (
            "D-5",
            lambda: dec("8").mul(dec("999999.999999999999")).quo_int(Int(3_000_000)),
            "2.666666666666666664",
        ),
        (
            "D-6",
            lambda: (
                dec("10000000").quo(dec("30000000")).mul(dec("2000000"))
                + dec("20000000").quo(dec("40000000")).mul(dec("10000000"))
            ),
            "5666666.666666666666",
        ),
        (
            "D-7",
            lambda: (
                dec("19000000").quo(dec("39000000")).mul(dec("2000000"))
                + dec("19000000").quo(dec("39000000")).mul(dec("10000000"))
            ),
            "5846153.846153846148",
        ),
        ("D-10", lambda: (dec("1") - dec("0.5")).power(1).mul_int(Int(10**9)), "500000000"),
    ],
)
def test_micro_vectors(vector: str, value, expected: str) -> None:
    assert str(value()) == str(dec(expected)), vector


def test_d6_truncates_to_whole_tokens() -> None:
    assert dec("5666666.666666666666").truncate_int() == Int(5_666_666)


# ---- TYP-1: SubtractDecCoinsWithRounding ------------------------------------------------------


@pytest.mark.parametrize(
    ("subtrahend", "expected"),
    [
        ({"aaa": "400", "bbb": "1000"}, {"aaa": "600", "ccc": "1000"}),
        ({"aaa": "400", "bbb": "1000.90"}, {"aaa": "600", "ccc": "1000"}),
    ],
)
def test_typ1_subtract_with_rounding(subtrahend, expected) -> None:
    minuend = dec_coins({"aaa": "1000", "bbb": "1000", "ccc": "1000"})
    result = math.subtract_dec_coins_with_rounding(minuend, dec_coins(subtrahend))
    assert result == dec_coins(expected)


def test_typ1_excess_of_one_or_more_fails() -> None:
    minuend = dec_coins({"aaa": "1000", "bbb": "1000", "ccc": "1000"})
    with pytest.raises(ValueError, match="negative"):
        math.subtract_dec_coins_with_rounding(minuend, dec_coins({"aaa": "400", "bbb": "1010.10"}))


# ---- WGT: reward weight schedule -------------------------------------------------------------


def test_wgt1_reward_range_with_change_rate_over_time() -> None:
    common = {"weight_range": ("0.05", "0.10"), "interval": 30 * DAY}
    rising = make_asset("alliance", "0.075", rate="1.5", **common)
    falling = make_asset("alliance2", "0.075", rate="0.5", **common)
    assert math.compute_scheduled_weight_change(rising, GO_ZERO_TIME) is None
    block_time = at(60 * DAY, GO_ZERO_TIME)
    assert format_rfc3339(block_time) == "0001-03-02T00:00:00Z"
    up = math.compute_scheduled_weight_change(rising, block_time)
    down = math.compute_scheduled_weight_change(falling, block_time)
    assert up is not None and down is not None
    # 0.075 × 2.25 = 0.16875 → clamped 0.10; 0.075 × 0.25 = 0.01875 → clamped 0.05.
    assert dec("0.075").mul(dec("1.5").power(2)) == dec("0.16875")
    assert (up.reward_weight, down.reward_weight) == (dec("0.10"), dec("0.05"))
    assert up.last_reward_change_time == down.last_reward_change_time == block_time
    assert up == rising.__class__(
        **{**_fields(rising), "reward_weight": dec("0.1"), "last_reward_change_time": block_time}
    )


def _fields(asset):
    return {name: getattr(asset, name) for name in asset.__slots__}


def test_wgt2_reward_weight_decay_and_anchor_rules() -> None:
    created = math.compute_new_asset(
        "alliance",
        dec("1"),
        dec("0"),
        dec("0.5"),
        Duration(30 * DAY),
        RewardWeightRange(dec("0"), dec("5")),
        T0,
        Duration(7 * DAY),
    )
    start = at(7 * DAY)
    assert (created.reward_start_time, created.last_reward_change_time) == (start, start)
    assert math.compute_scheduled_weight_change(created, T0) is None
    decayed = math.compute_scheduled_weight_change(created, at(30 * DAY, start))
    assert decayed is not None
    assert decayed.reward_weight == dec("0.5")
    assert decayed.last_reward_change_time == at(30 * DAY, start)
    assert _fields(decayed) | {"reward_weight": None, "last_reward_change_time": None} == _fields(
        created
    ) | {"reward_weight": None, "last_reward_change_time": None}
    later = at(30 * DAY + 10 * HOUR, start)
    weight_range = RewardWeightRange(dec("0"), dec("5"))
    # Old rate 0.5 was active: the anchor is kept.
    first = math.compute_asset_update(
        decayed, dec("0.5"), dec("0"), dec("1"), Duration(0), weight_range, later
    )
    assert first.last_reward_change_time == decayed.last_reward_change_time
    # Old rate 1 was inactive: the anchor moves to the block time.
    second = math.compute_asset_update(
        first, dec("0.5"), dec("0"), dec("0.1"), Duration(30 * DAY), weight_range, later
    )
    assert second.last_reward_change_time == later


def test_tak4_rate_change_from_inactive_schedule_moves_anchor() -> None:
    asset = make_asset("alliance", "2", start=T0)
    block_time = at(10 * HOUR)
    updated = math.compute_asset_update(
        asset,
        dec("2"),
        dec("0"),
        dec("1.001"),
        Duration(5 * MINUTE),
        RewardWeightRange(dec("0"), dec("5")),
        block_time,
    )
    assert updated.last_reward_change_time == block_time


def test_gov1_create_and_update_alliance() -> None:
    created = math.compute_new_asset(
        "uluna",
        dec("1"),
        dec("0.5"),
        dec("1"),
        Duration(0),
        RewardWeightRange(dec("0"), dec("5")),
        GO_ZERO_TIME,
        Params.default().reward_delay_time,
    )
    assert format_rfc3339(created.reward_start_time) == "0001-01-08T00:00:00Z"
    assert created.last_reward_change_time == created.reward_start_time
    assert (created.total_tokens, created.total_validator_shares) == (Int(0), Dec.zero())
    stored = make_asset("uluna", "2", take="0.99", rate="0", weight_range=("0", "10"))
    updated = math.compute_asset_update(
        stored,
        dec("11"),
        dec("0"),
        dec("1"),
        Duration(0),
        RewardWeightRange(dec("0"), dec("11")),
        GO_ZERO_TIME,
    )
    assert (updated.reward_weight, updated.take_rate, updated.reward_change_rate) == (
        dec("11"),
        Dec.zero(),
        dec("1"),
    )
    assert updated.last_reward_change_time == GO_ZERO_TIME
    assert updated.reward_weight_range == RewardWeightRange(dec("0"), dec("11"))


# ---- TAK / GEN-3: take rate ------------------------------------------------------------------


def claim_params(last: Timestamp) -> Params:
    return Params(Duration(60 * MINUTE), Duration(5 * MINUTE), last)


def test_tak1_claim_take_rate() -> None:
    params = claim_params(T0)
    a1 = make_asset("alliance", "2", take="0.5", tokens=10**9, shares="1000000000", start=T0)
    a2 = make_asset(
        "alliance2", "10", tokens=10**9, shares="1000000000", start=T0, weight_range=("2", "12")
    )
    assert not math.is_take_rate_due(params, T0)
    block_time = at(5 * MINUTE + SECOND)
    assert math.is_take_rate_due(params, block_time)
    result = math.compute_take_rate_deduction(params, [a1, a2], block_time)
    assert result.deducted == Coins.parse("500000000alliance")
    assert result.last_take_rate_claim_time == at(5 * MINUTE)
    assert [a.denom for a in result.assets] == ["alliance"]
    assert result.assets[0].total_tokens == Int(500_000_000)
    assert result.assets[0].reward_weight == dec("2")


def test_tak3_claim_take_rate_for_newly_added_assets() -> None:
    a1 = make_asset(
        "alliance", "2", tokens=10**9, shares="1000000000", start=T0, weight_range=("0", "0")
    )
    params = claim_params(T0)
    assert not math.is_take_rate_due(params, T0)
    block_time = at(5 * MINUTE + SECOND)
    first = math.compute_take_rate_deduction(params, [a1], block_time)
    assert first.deducted == Coins() and first.last_take_rate_claim_time == block_time
    params = claim_params(first.last_take_rate_claim_time)
    a2 = math.compute_new_asset(
        "alliance2",
        dec("1"),
        dec("0.1"),
        dec("1"),
        Duration(0),
        RewardWeightRange(dec("0"), dec("1")),
        block_time,
        params.reward_delay_time,
    )
    assert not math.is_take_rate_due(params, block_time)
    a2 = math.compute_delegation(make_info({}), a2, Int(10**9)).asset
    second_time = at(10 * MINUTE + 2 * SECOND)
    second = math.compute_take_rate_deduction(params, [a1, a2], second_time)
    assert second.deducted == Coins() and second.last_take_rate_claim_time == second_time
    params = claim_params(second_time)
    third_time = at(70 * MINUTE + 2 * SECOND)
    third = math.compute_take_rate_deduction(params, [a1, a2], third_time)
    assert dec("0.9").power(12) == dec("0.282429536481")
    assert third.deducted == Coins.parse("717570464alliance2")
    assert third.assets[0].total_tokens == Int(282_429_536)
    assert third.last_take_rate_claim_time == at(12 * 5 * MINUTE, second_time)


def test_gen3_first_claim_only_starts_the_clock() -> None:
    result = math.compute_take_rate_deduction(Params.default(), [], T0)
    assert result.last_take_rate_claim_time == T0 and result.deducted == Coins()


def test_d10_and_qry1_take_rate_steps() -> None:
    asset = make_asset("uluna", "2", take="0.00005", tokens=10**9, shares="1000000000")
    result = math.compute_take_rate_deduction(claim_params(T0), [asset], at(5 * MINUTE + SECOND))
    assert result.deducted == Coins.parse("50000uluna")
    assert result.assets[0].total_tokens == Int(999_950_000)
    assert result.last_take_rate_claim_time == at(5 * MINUTE)


# ---- delegations, undelegations, dust ---------------------------------------------------------


def test_unb1_delegate_returns_validator_shares() -> None:
    ledger = Ledger(
        {"alliance": make_asset("alliance", "1", start=T0, weight_range=("0", "1"))}, T0, 1
    )
    assert ledger.delegate("del", "V0", "alliance", 10**9) == dec("1000000000")
    assert ledger.delegate("del1", "V0", "alliance", 10**9) == dec("1000000000")


def test_del1_delegation_shares_and_asset_totals() -> None:
    ledger = Ledger({"alliance": make_asset("alliance", "2")})
    ledger.delegate("G", "V0", "alliance", 1_000_000)
    delegation = ledger.delegations[("G", "V0", "alliance")]
    assert delegation.shares == dec("1000000")
    assert delegation.reward_history == () and delegation.last_reward_claim_height == 0
    asset = ledger.assets["alliance"]
    assert (asset.total_tokens, asset.total_validator_shares) == (Int(1_000_000), dec("1000000"))
    ledger.delegate("G", "V0", "alliance", 1_000_000)
    assert ledger.delegations[("G", "V0", "alliance")].shares == dec("2000000")
    asset = ledger.assets["alliance"]
    assert (asset.total_tokens, asset.total_validator_shares) == (Int(2_000_000), dec("2000000"))


def test_del5_redelegating_more_than_the_delegation_fails() -> None:
    asset = make_asset("alliance", "2", tokens=1_000_000, shares="1000000")
    source = make_info({"alliance": "500000"})
    destination = make_info({"alliance": "500000"})
    with pytest.raises(ChainError) as raised:
        math.compute_redelegation(source, destination, asset, dec("500000"), Int(1_000_000))
    assert (raised.value.codespace, raised.value.code) == (STAKING_CODESPACE, 22)


def test_e2e1_full_undelegation_of_a_large_amount_leaves_nothing() -> None:
    amount = 100_033_333_333_333_333
    asset = make_asset(
        "test", "0.03", take="0.02", rate="0.01", interval=60 * SECOND, weight_range=("0", "0.1")
    )
    delegated = math.compute_delegation(make_info({}), asset, Int(amount))
    assert delegated.info.total_delegator_shares.amount_of("test") == dec(str(amount))
    balance = math.compute_delegation_tokens(
        delegated.delegation_shares, delegated.info, delegated.asset
    )
    assert balance == Coin("test", Int(amount))
    undelegated = math.compute_undelegation(
        delegated.info, delegated.asset, delegated.delegation_shares, balance.amount
    )
    assert undelegated.delegation_shares == delegated.delegation_shares  # all shares: deleted
    assert undelegated.info.validator_shares.amount_of("test") == Dec.zero()
    assert undelegated.asset.total_tokens == Int(0)
    again = math.compute_delegation(undelegated.info, undelegated.asset, Int(33_333))
    assert again.delegation_shares == dec("33333")


def test_e2e4_small_delegation_next_to_a_huge_one() -> None:
    asset = make_asset("asset2", "10", take="0.1", weight_range=("2", "12"))
    v1 = math.compute_delegation(make_info({}), asset, Int(200))
    v2 = math.compute_delegation(make_info({}), v1.asset, Int(10**18))
    asset = v2.asset
    assert math.compute_validator_asset_tokens(v1.info, asset) == dec("200.00000000000004")
    assert math.compute_delegation_tokens(v1.delegation_shares, v1.info, asset) == Coin(
        "asset2", Int(200)
    )
    with pytest.raises(ChainError):
        math.compute_undelegation(v1.info, asset, v1.delegation_shares, Int(10**18))
    done = math.compute_undelegation(v1.info, asset, v1.delegation_shares, Int(200))
    assert done.delegation_shares == v1.delegation_shares


@pytest.mark.parametrize("by_redelegation", [False, True])
def test_e2e7_dust_validator_shares_after_full_withdrawal(by_redelegation: bool) -> None:
    asset = make_asset("asset2", "10", take="0.1", weight_range=("5", "0"))
    v1 = math.compute_delegation(make_info({}), asset, Int(1_000))
    v2 = math.compute_delegation(make_info({}), v1.asset, Int(0))  # keeper-level 0 delegation
    assert v2.delegation_shares == Dec.zero()
    asset = v2.asset
    if by_redelegation:
        moved = math.compute_redelegation(v1.info, v2.info, asset, v1.delegation_shares, Int(1_000))
        source, asset = moved.source.info, asset
        assert moved.destination.delegation_shares == dec("1000")
    else:
        out = math.compute_undelegation(v1.info, asset, v1.delegation_shares, Int(1_000))
        source, asset = out.info, out.asset
    clearance = math.compute_dust_clearance(None, source, asset)
    reset = math.compute_asset_reset(asset)
    if reset is not None:
        asset = reset
        source = math.compute_info_without_validator_shares(clearance.info, asset.denom)
    else:
        source = clearance.info
    again = math.compute_delegation(source, asset, Int(200))  # no division by zero
    assert again.delegation_shares.is_positive()


# ---- rebalancing ------------------------------------------------------------------------------


def validator(index: int, tokens: int, shares: str, bonded: bool = True) -> StakingValidator:
    return StakingValidator(operator(index), bonded, Int(tokens), dec(shares))


def plan_amounts(plan) -> list[tuple[int, int]]:
    return [
        (adjustment.validator[0] - 0x10, int(adjustment.amount)) for adjustment in plan.adjustments
    ]


@pytest.mark.parametrize(
    ("vector", "assets", "validator_shares", "module_shares", "tokens", "total_bonded", "expected"),
    [
        # DEL-1: 2 × total bonded; V0 has 10^6 tokens per share.
        (
            "DEL-1",
            [("alliance", "2", 1_000_000)],
            {"alliance": "1000000"},
            None,
            1_000_000,
            1_000_000,
            [(0, 2_000_000)],
        ),
        # DEL-1 step 3: twice the asset, the same virtual stake (module holds 2 of V0's 3 shares).
        (
            "DEL-1",
            [("alliance", "2", 2_000_000)],
            {"alliance": "2000000"},
            "2",
            3_000_000,
            3_000_000,
            [],
        ),
        # DEL-2: 2 × 10^6 + 10 × 10^6.
        (
            "DEL-2",
            [("alliance", "2", 2_000_000), ("alliance2", "10", 1_000_000)],
            {"alliance": "2000000", "alliance2": "1000000"},
            None,
            1_000_000,
            1_000_000,
            [(0, 12_000_000)],
        ),
        # DEL-6 step 4: half undelegated, the remaining half carries the whole weight.
        (
            "DEL-6",
            [("alliance", "2", 500_000)],
            {"alliance": "500000"},
            "2",
            3_000_000,
            3_000_000,
            [],
        ),
    ],
)
def test_virtual_stake_on_one_validator(
    vector, assets, validator_shares, module_shares, tokens, total_bonded, expected
) -> None:
    asset_records = [make_asset(d, w, tokens=t, shares=str(t)) for d, w, t in assets]
    # V0: the genesis delegator's 1 share plus the module's.
    delegator_shares = "1" if module_shares is None else str(dec(module_shares) + Dec.one())
    staking = {operator(0): validator(0, tokens, delegator_shares)}
    delegations = [] if module_shares is None else [(operator(0), dec(module_shares))]
    plan = math.compute_rebalance_plan(
        [(operator(0), make_info(validator_shares))],
        staking,
        delegations,
        asset_records,
        Int(total_bonded),
        GO_ZERO_TIME,
    )
    assert plan_amounts(plan) == expected, vector
    assert not plan.requeue


def reb2_setup():
    a1 = make_asset("alliance", "0.1", tokens=50_000_000, shares="50000000")
    a2 = make_asset("alliance2", "0.5", tokens=40_000_000, shares="40000000")
    infos = [
        (operator(1), make_info({"alliance": "30000000", "alliance2": "20000000"})),
        (operator(2), make_info({"alliance": "20000000", "alliance2": "20000000"})),
    ]
    return [a1, a2], infos


def test_reb2_all_bonded() -> None:
    assets, infos = reb2_setup()
    staking = {operator(1): validator(1, 0, "0"), operator(2): validator(2, 0, "0")}
    plan = math.compute_rebalance_plan(infos, staking, [], assets, Int(10_000_000), GO_ZERO_TIME)
    assert plan_amounts(plan) == [(1, 3_100_000), (2, 2_900_000)]
    assert 10_000_000 + 3_100_000 + 2_900_000 == 16_000_000


def test_reb2_unbonded_validator_is_left_out_of_the_denominators() -> None:
    assets, infos = reb2_setup()
    staking = {
        operator(1): validator(1, 3_100_000, "3100000"),
        operator(2): validator(2, 2_900_000, "2900000", bonded=False),
    }
    module = [(operator(1), dec("3100000")), (operator(2), dec("2900000"))]
    plan = math.compute_rebalance_plan(
        infos, staking, module, assets, Int(13_100_000), GO_ZERO_TIME
    )
    # V1 = 0.1 × 10e6 × 30/30 + 0.5 × 10e6 × 20/20 = 6,000,000; V2 keeps its unbonded stake.
    assert plan_amounts(plan) == [(1, 2_900_000)]
    assert 13_100_000 + 2_900_000 == 16_000_000


def test_e2e3_sub_unit_virtual_stake_is_skipped() -> None:
    asset2 = make_asset(
        "asset2", "10", take="0.1", tokens=10**9 + 100, shares=str(10**9 + 100), start=T0
    )
    asset1 = make_asset("asset1", "2", start=T0)
    infos = [
        (operator(1), make_info({"asset2": "100"})),
        (operator(2), make_info({"asset2": "1000000000"})),
    ]
    staking = {operator(1): validator(1, 0, "0"), operator(2): validator(2, 0, "0")}
    plan = math.compute_rebalance_plan(infos, staking, [], [asset1, asset2], Int(1_000_000), T0)
    assert plan_amounts(plan) == [(2, 9_999_999)]


def test_not_started_asset_requeues_the_rebalance() -> None:
    asset = make_asset("alliance", "2", tokens=10, shares="10", start=at(HOUR))
    infos = [(operator(1), make_info({"alliance": "10"}))]
    plan = math.compute_rebalance_plan(
        infos, {operator(1): validator(1, 0, "0")}, [], [asset], Int(1), T0
    )
    assert plan.adjustments == () and plan.requeue


SLASH_TEXT = "slashed fraction must be greater than 0 and less than or equal to 1"

# ---- slashing ---------------------------------------------------------------------------------


def test_sla1_slash_then_rebalance() -> None:
    assets = {
        "alliance": make_asset("alliance", "2", tokens=40_000_000, shares="40000000"),
        "alliance2": make_asset(
            "alliance2", "10", tokens=40_000_000, shares="40000000", weight_range=("2", "12")
        ),
    }
    v1 = make_info({"alliance": "20000000", "alliance2": "20000000"})
    v2 = make_info({"alliance": "20000000", "alliance2": "20000000"})
    # x/staking: 6 power × 10^6 × 0.05 = 300,000 of 6,000,000 tokens → effective fraction 0.05.
    fraction = dec("300000").quo_round_up(dec("6000000"))
    slash = math.compute_validator_slash(v1, assets, fraction)
    assert slash.info.validator_shares == dec_coins(
        {"alliance": "19000000", "alliance2": "19000000"}
    )
    slashed_assets = [a for a in slash.assets]
    assert [a.total_validator_shares for a in slashed_assets] == [dec("39000000")] * 2
    asset1 = slashed_assets[0]
    assert math.compute_validator_asset_tokens(slash.info, asset1) == dec("19487179.48717948716")
    assert math.compute_validator_asset_tokens(v2, asset1) == dec("20512820.51282051284")
    staking = {
        operator(1): validator(1, 5_700_000, "6000000"),
        operator(2): validator(2, 6_000_000, "6000000"),
    }
    module = [(operator(1), dec("6000000")), (operator(2), dec("6000000"))]
    total_bonded = 1_000_000 + 5_700_000 + 6_000_000
    assert total_bonded == 12_700_000
    plan = math.compute_rebalance_plan(
        [(operator(1), slash.info), (operator(2), v2)],
        staking,
        module,
        slashed_assets,
        Int(total_bonded),
        GO_ZERO_TIME,
    )
    assert plan_amounts(plan) == [(1, 146_153), (2, 153_846)]
    assert total_bonded + 146_153 + 153_846 == 12_999_999


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (
            "2",
            SLASH_TEXT + ": 2.000000000000000000",
        ),
        (
            "-1",
            SLASH_TEXT + ": -1.000000000000000000",
        ),
    ],
)
def test_sla4_slashing_incorrect_amount(fraction: str, text: str) -> None:
    with pytest.raises(ChainError) as raised:
        math.compute_validator_slash(make_info({}), {}, dec(fraction))
    assert raised.value.message == text


# ---- rewards ----------------------------------------------------------------------------------


def history(*entries: tuple[str, str, str]) -> tuple[RewardHistory, ...]:
    return tuple(RewardHistory(d, dec(i), a) for d, i, a in entries)


def two_asset_ledger(
    second_weight: str, second_range: tuple[str, str] = ("2", "12"), **starts
) -> Ledger:
    return Ledger(
        {
            "alliance": make_asset("alliance", "2", start=starts.get("a1", GO_ZERO_TIME)),
            "alliance2": make_asset(
                "alliance2",
                second_weight,
                weight_range=second_range,
                start=starts.get("a2", GO_ZERO_TIME),
            ),
        },
        starts.get("now", GO_ZERO_TIME),
    )


def test_rwd1_reward_pool_and_global_index() -> None:
    ledger = two_asset_ledger("10", ("5", "15"))
    ledger.delegate("user1", "V0", "alliance", 1_000_000)
    assert ledger.add_rewards("V0", "2000000stake")
    assert ledger.info("V0").global_reward_history == history(("stake", "2", "alliance"))
    ledger.delegate("user2", "V0", "alliance2", 1_000_000)
    ledger.add_rewards("V0", "2400000stake")
    assert ledger.info("V0").global_reward_history == history(
        ("stake", "2.400000000000000001", "alliance"),
        ("stake", "1.999999999999999999", "alliance2"),
    )
    ledger.add_rewards("V0", "1200000stake2")
    assert ledger.info("V0").global_reward_history[2:] == history(
        ("stake2", "0.2", "alliance"), ("stake2", "1.0", "alliance2")
    )


def test_rwd2_claim_rewards() -> None:
    ledger = two_asset_ledger("8")
    ledger.delegate("user1", "V0", "alliance", 1_000_000)
    ledger.add_rewards("V0", "1000000stake")
    ledger.delegate("user2", "V0", "alliance2", 1_000_000)
    ledger.add_rewards("V0", "1000000stake")
    info = ledger.info("V0")
    for denom in ("alliance", "alliance2"):
        assert math.compute_validator_asset_tokens(info, ledger.assets[denom]) == dec("1000000")
    ledger.add_rewards("V0", "4000000stake2")
    assert ledger.info("V0").global_reward_history == history(
        ("stake", "1.2", "alliance"),
        ("stake", "0.8", "alliance2"),
        ("stake2", "0.8", "alliance"),
        ("stake2", "3.2", "alliance2"),
    )
    first = ledger.claim("user1", "V0", "alliance")
    assert first == Coins.parse("1200000stake,800000stake2")
    assert ("user2", "V0", "alliance") not in ledger.delegations  # the claim would fail
    second = ledger.claim("user2", "V0", "alliance2")
    assert second == Coins.parse("800000stake,3200000stake2")
    assert first + second == Coins.parse("2000000stake,4000000stake2")  # pool emptied
    for delegator, denom in (("user1", "alliance"), ("user2", "alliance2")):
        paid = ledger.delegations[(delegator, "V0", denom)].reward_history
        assert paid == math.filter_reward_histories(ledger.info("V0").global_reward_history, denom)


def test_rwd3_claim_rewards_before_rewards_issuance() -> None:
    ledger = two_asset_ledger("8", ("0", "12"), a1=at(-HOUR), a2=at(HOUR), now=T0)
    ledger.delegate("user1", "V0", "alliance", 1_000_000)
    ledger.add_rewards("V0", "2000000stake")
    ledger.delegate("user2", "V0", "alliance2", 1_000_000)
    ledger.add_rewards("V0", "2000000stake")  # alliance2 not started: all to alliance
    assert ledger.claim("user1", "V0", "alliance") == Coins.parse("4000000stake")
    assert ledger.claim("user1", "V0", "alliance") == Coins()
    assert ledger.claim("user2", "V0", "alliance2") == Coins()
    ledger.height, ledger.time = 1, at(2 * HOUR)
    assert ledger.claim("user2", "V0", "alliance2") == Coins()
    ledger.add_rewards("V0", "2000000stake")
    assert ledger.claim("user2", "V0", "alliance2") == Coins.parse("1600000stake")


def test_rwd8_no_eligible_asset_leaves_indices_untouched() -> None:
    ledger = two_asset_ledger("10")
    ledger.delegate("user1", "V1", "alliance", 1_000_000)
    ledger.assets["alliance"] = make_asset("alliance", "2", tokens=0, shares="1000000")
    before = ledger.info("V1")
    assert not ledger.add_rewards("V1", "2000000stake")
    assert ledger.info("V1") == before


def legacy_ledger() -> Ledger:
    ledger = two_asset_ledger("8")
    ledger.height = 1
    return ledger


def add_legacy_index(ledger: Ledger, validator: str) -> None:
    info = ledger.info(validator)
    ledger.infos[validator] = info.__class__(
        info.global_reward_history + history(("stake", "0.5", "")),
        info.total_delegator_shares,
        info.validator_shares,
    )


def test_rwd10_migrated_rewards_with_rates_change() -> None:
    ledger = legacy_ledger()
    ledger.delegate("user1", "V1", "alliance", 1_000_000)
    ledger.delegate("user2", "V1", "alliance2", 1_000_000)
    add_legacy_index(ledger, "V1")
    preview = Ledger(
        dict(ledger.assets),
        ledger.time,
        ledger.height,
        dict(ledger.infos),
        dict(ledger.delegations),
    )
    assert preview.claim("user1", "V1", "alliance") == Coins.parse("1000000stake")
    ledger.add_rewards("V1", "10000000stake")  # +2 (alliance), +8 (alliance2)
    ledger.change_weight("alliance", "8", ("2", "12"))
    snapshot = ledger.snapshots[("alliance", "V1")][0]
    assert snapshot[0] == 1 and snapshot[1].prev_reward_weight == dec("2")
    ledger.add_rewards("V1", "10000000stake")  # +5 each
    assert ledger.claim("user1", "V1", "alliance") == Coins.parse("8000000stake")
    assert ledger.claim("user2", "V1", "alliance2") == Coins.parse("17000000stake")


def test_rwd11_migrated_rewards() -> None:
    ledger = legacy_ledger()
    ledger.delegate("user1", "V1", "alliance", 1_000_000)
    ledger.delegate("user1", "V2", "alliance2", 1_000_000)
    ledger.delegate("user2", "V1", "alliance2", 1_000_000)
    ledger.delegate("user2", "V2", "alliance2", 1_000_000)
    add_legacy_index(ledger, "V1")
    add_legacy_index(ledger, "V2")
    a2 = ledger.assets["alliance2"]
    assert math.compute_validator_asset_tokens(ledger.info("V1"), a2) == dec("999999.999999999999")
    assert math.compute_validator_asset_tokens(ledger.info("V2"), a2) == dec("2000000.000000000001")
    ledger.add_rewards("V1", "10000000stake")
    ledger.add_rewards("V2", "10000000stake")
    assert ledger.info("V1").global_reward_history[1:] == history(
        ("stake", "4.285714285714285720", "alliance"),
        ("stake", "5.714285714285714286", "alliance2"),
    )
    assert ledger.info("V2").global_reward_history[1:] == history(
        ("stake", "4.999999999999999998", "alliance2")
    )
    expected = {
        ("user1", "V1", "alliance"): "5285714stake",
        ("user2", "V1", "alliance2"): "9714285stake",
        ("user1", "V2", "alliance2"): "8999999stake",
        ("user2", "V2", "alliance2"): "8999999stake",
    }
    for (delegator, validator_name, denom), coins in expected.items():
        assert ledger.claim(delegator, validator_name, denom) == Coins.parse(coins)
    for delegator, validator_name, denom in expected:
        assert ledger.claim(delegator, validator_name, denom) == Coins()


def test_qry1_index_after_take_rate() -> None:
    asset = make_asset("uluna", "2", take="0.00005", tokens=999_950_000, shares="1000000000")
    ledger = Ledger({"uluna": asset}, T0, 1)
    ledger.infos["V0"] = make_info({"uluna": "1000000000"})
    ledger.delegations[("del", "V0", "uluna")] = math.Delegation(
        "del", "V0", "uluna", dec("1000000000"), (), 1
    )
    # The module's 2,000,000 of V0's 3,000,000 tokens earn 0.016333333333333333 per token.
    withdrawn = dec("0.016333333333333333").mul_int(Int(2_000_000)).truncate_int()
    assert withdrawn == Int(32_666)
    ledger.add_rewards("V0", f"{withdrawn}uluna")
    assert ledger.info("V0").global_reward_history == history(
        ("uluna", "0.000032667633381669", "uluna")
    )
    assert ledger.claim("del", "V0", "uluna") == Coins.parse("32665uluna")


# ---- QRY-2 texts ------------------------------------------------------------------------------


def test_qry2_not_found_texts(chain) -> None:
    from app.modules.alliance.errors import asset_not_found, validator_not_found

    reference = "cosmosvaloper19lss6zgdh5vvcpjhfftdghrpsw7a4434elpwpu"
    raw = val_address_from_bech32(reference, "cosmosvaloper")
    shown = val_to_bech32(raw, chain.validator_prefix)
    assert validator_not_found(shown).message == f"Validator not found by address {shown}"
    if chain.validator_prefix == "cosmosvaloper":
        assert shown == reference
    assert asset_not_found("alliance").message == "AllianceAsset not found by denom alliance"


def test_qry2_delegation_balance_and_bond_denom_guard(chain) -> None:
    from app.modules.alliance.types import validate_create_alliance

    ledger = Ledger({"alliance": make_asset("alliance", "2")}, T0, 1)
    ledger.delegate("del", "V0", "alliance", 1_000_000)
    delegation = ledger.delegations[("del", "V0", "alliance")]
    balance = math.compute_delegation_tokens(
        delegation.shares, ledger.info("V0"), ledger.assets["alliance"]
    )
    assert (delegation.shares, balance, delegation.last_reward_claim_height) == (
        dec("1000000"),
        Coin("alliance", Int(1_000_000)),
        1,
    )
    with pytest.raises(ChainError, match="bond denom"):
        validate_create_alliance(
            chain.bond_denom,
            dec("1"),
            dec("0"),
            dec("1"),
            Duration(0),
            RewardWeightRange(dec("0"), dec("5")),
            chain.bond_denom,
        )


def test_del4_redelegation_completion_time() -> None:
    completion = at(21 * DAY, GO_ZERO_TIME)
    assert format_rfc3339(completion) == "0001-01-22T00:00:00Z"
    assert parse_rfc3339("0001-01-22T00:00:00Z") == completion
