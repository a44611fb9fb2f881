from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.modules.distribution import math
from app.types import Dec, DecCoins


def dc(text: str) -> DecCoins:
    return DecCoins.parse(text)


def test_allocation_by_power_rwd4() -> None:
    # RWD-4: 4,000,000 fees, no tax, powers 2 and 8 of 10.
    allocation = math.allocate(dc("4000000stake"), Dec.zero(), 10, [2, 8])
    assert allocation.rewards == (dc("800000stake"), dc("3200000stake"))
    assert allocation.community_pool == DecCoins()


def test_allocation_truncates_power_fraction_rwd5() -> None:
    # RWD-5 step 1: 2/12 and 10/12 of 10,000,000 with truncating quotients.
    allocation = math.allocate(dc("10000000stake"), Dec.zero(), 12, [2, 10])
    assert allocation.rewards == (
        dc("1666666.66666666666stake"),
        dc("8333333.33333333333stake"),
    )
    assert allocation.community_pool == dc("0.00000000001stake")


def test_community_tax_goes_to_pool_tak1_qry1() -> None:
    tak1 = math.allocate(dc("500000000alliance"), Dec.from_str("0.02"), 1, [1])
    assert tak1.rewards == (dc("490000000alliance"),)
    assert tak1.community_pool == dc("10000000alliance")
    qry1 = math.allocate(dc("50000uluna"), Dec.from_str("0.02"), 1, [1])
    assert qry1.rewards == (dc("49000uluna"),)


def test_no_power_sends_everything_to_the_pool() -> None:
    allocation = math.allocate(dc("7stake"), Dec.from_str("0.02"), 0, [])
    assert allocation.rewards == ()
    assert allocation.community_pool == dc("7stake")


def test_commission_rounds_half_even() -> None:
    commission, shared = math.split_commission(dc("0.000000000000000003stake"), Dec.from_str("0.5"))
    # 1.5e-18 rounds half to even: 2e-18.
    assert commission == dc("0.000000000000000002stake")
    assert shared == dc("0.000000000000000001stake")


def test_ratio_and_rewards_truncate() -> None:
    # QRY-1: 49,000 over 3,000,000 tokens, then 2,000,000 of stake.
    ratio = math.next_reward_ratio(DecCoins(), dc("49000uluna"), Dec.from_int(3_000_000))
    assert ratio == dc("0.016333333333333333uluna")
    rewards = math.rewards_between(DecCoins(), ratio, Dec.from_int(2_000_000))
    assert rewards == dc("32666.666666666666uluna")
    assert math.next_reward_ratio(ratio, dc("5uluna"), Dec.zero()) == ratio


def test_negative_reward_difference_is_refused() -> None:
    with pytest.raises(ValueError, match="negative rewards"):
        math.rewards_between(dc("2stake"), dc("1stake"), Dec.one())


def test_reconcile_stake_tolerates_three_units() -> None:
    current = Dec.from_int(100)
    assert math.reconcile_stake(Dec.from_int(99), current) == Dec.from_int(99)
    assert math.reconcile_stake(current + Dec.from_scaled(3), current) == current
    with pytest.raises(ValueError, match="greater than current stake"):
        math.reconcile_stake(current + Dec.from_scaled(4), current)


def test_slashed_stake_truncates() -> None:
    assert math.slashed_stake(Dec.from_str("0.000000000000000003"), Dec.from_str("0.5")) == (
        Dec.from_str("0.000000000000000001")
    )


@given(
    st.integers(min_value=0, max_value=10**15),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8),
    st.integers(min_value=0, max_value=100),
)
def test_allocation_conserves_fees(fees: int, powers: list[int], tax_percent: int) -> None:
    total = sum(powers)
    allocation = math.allocate(
        DecCoins.parse(f"{fees}stake") if fees else DecCoins(),
        Dec.new_with_prec(tax_percent, 2),
        total,
        powers,
    )
    summed = allocation.community_pool
    for reward in allocation.rewards:
        summed = summed + reward
    assert summed == (DecCoins.parse(f"{fees}stake") if fees else DecCoins())
