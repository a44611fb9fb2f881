"""The pure arithmetic of fee allocation and F1 rewards, rounded exactly as cosmos-sdk v0.50.

Every quantity is a `Dec` (LegacyDec) or `DecCoins`; the truncating variants are used wherever
the SDK truncates so that no one can withdraw more than was allocated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.types.coin import DecCoins
from app.types.dec import Dec

__all__ = [
    "SLASH_STAKE_TOLERANCE",
    "Allocation",
    "allocate",
    "next_reward_ratio",
    "reconcile_stake",
    "rewards_between",
    "slashed_stake",
    "split_commission",
]

SLASH_STAKE_TOLERANCE = Dec.from_scaled(3)
"""How far (3·10^-18) the stake rebuilt across slashes may exceed the current stake: the
rounding of per-period slashing, which the SDK forgives; any more is a broken invariant."""


@dataclass(frozen=True, slots=True)
class Allocation:
    """One block's fees split between the voters and the community pool."""

    rewards: tuple[DecCoins, ...]
    """Per vote, in vote order."""
    community_pool: DecCoins
    """The community tax plus every truncation remainder."""


def allocate(
    fees: DecCoins, community_tax: Dec, total_power: int, powers: Sequence[int]
) -> Allocation:
    """Split `fees` by voting power (``AllocateTokens``).

    feeMultiplier = fees ⊗trunc (1 − community_tax); voter i gets feeMultiplier ⊗trunc
    (power_i ⊘trunc total_power); the rest goes to the community pool. With no power at all
    everything goes to the community pool.
    """
    if total_power == 0:
        return Allocation((), fees)
    fee_multiplier = fees.mul_dec_truncate(Dec.one() - community_tax)
    total = Dec.from_int(total_power)
    rewards = tuple(
        fee_multiplier.mul_dec_truncate(Dec.from_int(power).quo_truncate(total)) for power in powers
    )
    remaining = fees
    for reward in rewards:
        remaining = remaining - reward
    return Allocation(rewards, remaining)


def split_commission(tokens: DecCoins, rate: Dec) -> tuple[DecCoins, DecCoins]:
    """(commission, shared) of a validator's reward: commission = tokens ⊗ rate (half-even)."""
    commission = tokens.mul_dec(rate)
    return commission, tokens - commission


def next_reward_ratio(previous_ratio: DecCoins, current_rewards: DecCoins, tokens: Dec) -> DecCoins:
    """The cumulative reward per token at the end of a period: previous + rewards ⊘trunc tokens.

    A validator without tokens has no ratio to raise; its rewards go to the community pool (the
    caller's job) and the ratio stays.
    """
    if tokens.is_zero():
        return previous_ratio
    return previous_ratio + current_rewards.quo_dec_truncate(tokens)


def rewards_between(starting_ratio: DecCoins, ending_ratio: DecCoins, stake: Dec) -> DecCoins:
    """(ending − starting) ⊗trunc stake: what `stake` earned between two period ends.

    Raises:
        ValueError: the stake is negative or the ratio decreased (both broken invariants).
    """
    if stake.is_negative():
        raise ValueError(f"stake should not be negative: {stake}")
    difference, negative = ending_ratio.safe_sub(starting_ratio)
    if negative:
        raise ValueError(f"negative rewards should not be possible: {difference}")
    return difference.mul_dec_truncate(stake)


def slashed_stake(stake: Dec, fraction: Dec) -> Dec:
    """A delegation's stake after a slash of its validator: stake ⊗trunc (1 − fraction)."""
    return stake.mul_truncate(Dec.one() - fraction)


def reconcile_stake(stake: Dec, current: Dec) -> Dec:
    """The stake to pay the last period on: the rebuilt stake, or `current` if the rebuilt one
    exceeds it by at most `SLASH_STAKE_TOLERANCE`.

    Raises:
        ValueError: the rebuilt stake exceeds the current one by more (x/distribution panics).
    """
    if not stake > current:
        return stake
    if stake <= current + SLASH_STAKE_TOLERANCE:
        return current
    raise ValueError(f"calculated final stake {stake} greater than current stake {current}")
