"""Properties of the alliance math, and the fixes made to the reference's behaviour."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chain.errors import ChainError, InvariantViolation
from app.modules.alliance import errors, math
from app.modules.alliance.types import Params, QueuedUndelegation, Undelegation
from app.types import GO_ZERO_TIME, Coin, Coins, Dec, Int, Timestamp
from app.types.time import MINUTE, Duration
from tests.modules.alliance.fixtures import T0, make_asset, make_info

amounts = st.integers(min_value=1, max_value=10**15)


@settings(max_examples=300, deadline=None)
@given(existing=amounts, price_percent=st.integers(min_value=1, max_value=10_000), new=amounts)
def test_delegating_then_withdrawing_never_creates_value(
    existing: int, price_percent: int, new: int
) -> None:
    """Shares bought with `new` tokens are never worth more than `new` tokens.

    Limit (spec §3.2 precision note): holds while a share is worth at most 100 tokens. At
    extreme prices (10^10 tokens per share) the 18-decimal share ratio loses enough precision
    for the reference formulas to pay one token more; take rates only lower the price.
    """
    pool_value = max(1, existing * price_percent // 100)
    asset = make_asset("alliance", "1")
    first = math.compute_delegation(make_info({}), asset, Int(existing))
    # Grow (or shrink) the asset's tokens without new shares, as a take rate or slash would.
    asset = first.asset.__class__(
        **{name: getattr(first.asset, name) for name in first.asset.__slots__}
        | {"total_tokens": Int(pool_value)}
    )
    second = math.compute_delegation(first.info, asset, Int(new))
    value = math.compute_delegation_tokens(second.delegation_shares, second.info, second.asset)
    assert value.amount <= Int(new)


@settings(max_examples=200, deadline=None)
@given(amount=amounts, others=amounts)
def test_full_withdrawal_takes_all_shares_and_no_more_tokens(amount: int, others: int) -> None:
    asset = make_asset("alliance", "1")
    mine = math.compute_delegation(make_info({}), asset, Int(amount))
    theirs = math.compute_delegation(mine.info, mine.asset, Int(others))
    balance = math.compute_delegation_tokens(mine.delegation_shares, theirs.info, theirs.asset)
    assert balance.amount <= Int(amount)
    out = math.compute_undelegation(
        theirs.info, theirs.asset, mine.delegation_shares, balance.amount
    )
    assert out.delegation_shares == mine.delegation_shares
    with pytest.raises(ChainError):
        math.compute_undelegation(
            theirs.info, theirs.asset, mine.delegation_shares, balance.amount + Int(1)
        )


@settings(max_examples=200, deadline=None)
@given(
    take=st.integers(min_value=1, max_value=10**18 - 1),
    tokens=st.integers(min_value=2, max_value=10**24),
    periods=st.integers(min_value=1, max_value=50),
)
def test_take_rate_rounds_in_favour_of_the_fee_collector(
    take: int, tokens: int, periods: int
) -> None:
    rate = Dec.from_scaled(take)
    asset = make_asset("lsd", "1", take=str(rate), tokens=tokens, shares=str(tokens))
    params = Params(Duration(0), Duration(5 * MINUTE), T0)
    result = math.compute_take_rate_deduction(params, [asset], Timestamp(T0 + periods * 5 * MINUTE))
    exact_kept = (Dec.one() - rate).power(periods).mul_int(Int(tokens))
    deducted = result.deducted.amount_of("lsd")
    if exact_kept <= Dec.one():  # too small to tax: left alone
        assert deducted.is_zero()
    else:
        assert Dec.from_int(Int(tokens) - deducted) <= exact_kept  # never keeps more
        assert Int(tokens) - deducted == exact_kept.truncate_int()


@settings(max_examples=100, deadline=None)
@given(fraction=st.integers(min_value=1, max_value=10**18), amount=amounts)
def test_slash_cuts_never_exceed_the_slashed_amounts(fraction: int, amount: int) -> None:
    f = Dec.from_scaled(fraction)
    bucket = QueuedUndelegation((Undelegation("d", "v", Coin("alliance", Int(amount))),))
    reduced, cut = math.compute_undelegation_slash(bucket, f)
    assert reduced.entries[0].balance.amount + cut.amount_of("alliance") == Int(amount)
    assert cut.amount_of("alliance") <= Int(amount)
    asset = make_asset("alliance", "1", tokens=amount, shares=str(amount))
    slash = math.compute_validator_slash(
        make_info({"alliance": str(amount)}), {"alliance": asset}, f
    )
    left = slash.info.validator_shares.amount_of("alliance")
    assert left + slash.slashed_shares.amount_of("alliance") == Dec.from_int(Int(amount))
    assert slash.assets[0].total_validator_shares == left


def test_zero_shares_convert_to_the_whole_pool() -> None:
    """Reference quirk kept: ConvertNewShareToDecToken with no shares returns the total."""
    assert math.compute_tokens_for_shares(
        Dec.from_int(Int(7)), Dec.zero(), Dec.one()
    ) == Dec.from_int(Int(7))


def test_rounder_counts_near_whole_values_as_whole() -> None:
    info = make_info({"aaa": "3000000"}, {"aaa": "3"})
    asset = make_asset("aaa", "1", tokens=3_000_000, shares="3000000")
    # 1 of 3 shares: (1 ⊘ 3) ⊗ 3e6 = 999999.999999999999 → + 0.01 → 1,000,000.
    assert math.compute_delegation_tokens(Dec.one(), info, asset) == Coin("aaa", Int(1_000_000))


def test_weights_all_zero_do_not_divide_by_zero() -> None:
    """Fix: the reference panics when every eligible asset has weight 0."""
    asset = make_asset("aaa", "0", tokens=10, shares="10")
    info = make_info({"aaa": "10"})
    assert math.compute_reward_index_update(info, [asset], Coins.parse("5stake"), T0) is None


def test_no_delegators_means_rewards_cannot_be_attributed() -> None:
    asset = make_asset("aaa", "1", tokens=10, shares="10")
    info = make_info({"aaa": "10"}, {})
    assert math.compute_reward_index_update(info, [asset], Coins.parse("5stake"), T0) is None


def test_claim_payout_is_capped_by_the_pool() -> None:
    owed = Coins.parse("10stake,4uxprt")
    assert math.compute_claim_payout(owed, Coins.parse("9stake,7uxprt")) == Coins.parse(
        "9stake,4uxprt"
    )
    assert math.compute_claim_payout(owed, Coins()) == Coins()


def test_undelegation_entries_are_capped() -> None:
    math.check_undelegation_entries(math.MAX_UNDELEGATION_ENTRIES - 1)
    with pytest.raises(ChainError) as raised:
        math.check_undelegation_entries(math.MAX_UNDELEGATION_ENTRIES)
    assert raised.value.code == errors.ErrTooManyUndelegations.code


def test_zero_take_rate_interval_is_an_invariant_violation() -> None:
    params = Params(Duration(0), Duration(0), T0)
    with pytest.raises(InvariantViolation):
        math.compute_take_rate_deduction(params, [], T0)


def test_elapsed_time_saturates_like_go() -> None:
    far = Timestamp(GO_ZERO_TIME + 2**64)
    assert math.compute_elapsed(far, GO_ZERO_TIME) == 2**63 - 1
    assert math.compute_elapsed(GO_ZERO_TIME, far) == -(2**63)


def test_saturated_schedule_advances_in_steps() -> None:
    asset = make_asset("a", "1", rate="0.5", interval=10**18, weight_range=("0", "1"))
    block_time = Timestamp(GO_ZERO_TIME + 2**64)
    changed = math.compute_scheduled_weight_change(asset, block_time)
    assert changed is not None
    periods = (2**63 - 1) // 10**18
    assert changed.last_reward_change_time == GO_ZERO_TIME + periods * 10**18
    assert changed.reward_weight == Dec.one().mul(Dec.from_str("0.5").power(periods))


def test_clamp_checks_min_first() -> None:
    from app.modules.alliance.types import RewardWeightRange

    inverted = RewardWeightRange(Dec.from_int(Int(5)), Dec.zero())
    assert math.compute_clamped_weight(Dec.from_int(Int(10)), inverted) == Dec.zero()
    assert math.compute_clamped_weight(Dec.one(), inverted) == Dec.zero()


def test_take_rate_is_not_advanced_when_qualifying_assets_yield_nothing() -> None:
    tiny = make_asset("a", "1", take="0.5", tokens=2, shares="2")
    params = Params(Duration(0), Duration(5 * MINUTE), T0)
    result = math.compute_take_rate_deduction(params, [tiny], Timestamp(T0 + 10 * MINUTE))
    # 0.25 × 2 = 0.5 ≤ 1: skipped, and the claim time stays for the next block.
    assert result.deducted == Coins() and result.last_take_rate_claim_time == T0
