"""The annual → per-interval take-rate conversion, checked against exact `Fraction` bounds."""

from __future__ import annotations

from fractions import Fraction
from math import gcd

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.cli.take_rate import (
    SECONDS_PER_YEAR,
    annual_to_interval_take_rate,
    compute_interval_retention_round_up,
)
from app.types import Dec

S = 10**18
ULP = Dec.from_scaled(1)

annual_rates = st.integers(min_value=0, max_value=S - 1).map(Dec.from_scaled)
small_annual_rates = st.integers(min_value=0, max_value=10**17).map(Dec.from_scaled)
# Intervals Y·e/n with small n, so that (x/S)^n stays cheap to compute exactly.
small_exponents = st.tuples(
    st.integers(min_value=1, max_value=5), st.sampled_from([1, 2, 3, 4, 5, 8, 9, 10, 12, 73, 120])
)


def is_floor_of_exact_rate(rate: Dec, y: Dec, e: int, n: int) -> bool:
    """rate = floor(S·(1 - (1-y)^(e/n)))/S, i.e. (1-rate)^n ≥ (1-y)^e > (1-rate-ulp)^n.

    r ≤ exact ⇔ 1 - r ≥ p ⇔ (1-r)^n ≥ a^e (powers are increasing on non-negatives); and
    r + ulp > exact ⇔ 1 - r - ulp < p ⇔ (1-r-ulp)^n < a^e.
    """
    retained = 1 - Fraction(y.scaled, S)
    kept = 1 - Fraction(rate.scaled, S)
    return kept**n >= retained**e > (kept - Fraction(1, S)) ** n


@given(annual_rates, small_exponents)
def test_rounds_down_from_the_exact_rate(y: Dec, exponent: tuple[int, int]) -> None:
    common = gcd(*exponent)
    e, n = exponent[0] // common, exponent[1] // common
    rate = annual_to_interval_take_rate(y, SECONDS_PER_YEAR * e // n)  # every n divides Y
    assert is_floor_of_exact_rate(rate, y, e, n)


@given(small_annual_rates, st.sampled_from([10, 300, 3_600, 86_400]))
def test_between_the_simple_interest_share_and_the_annual_rate(y: Dec, interval: int) -> None:
    """Bernoulli: (1-y)^t ≤ 1 - t·y for 0 ≤ t ≤ 1, so t·y ≤ r ≤ y; rounding down keeps
    floor(t·y) ≤ rate."""
    rate = annual_to_interval_take_rate(y, interval)
    share = y.scaled * interval // SECONDS_PER_YEAR
    assert share <= rate.scaled <= y.scaled


@given(small_annual_rates, small_annual_rates)
def test_increasing_in_the_annual_rate(first: Dec, second: Dec) -> None:
    low, high = sorted([first, second], key=lambda dec: dec.scaled)
    assert annual_to_interval_take_rate(low, 300) <= annual_to_interval_take_rate(high, 300)


@pytest.mark.parametrize(
    ("annual", "interval", "expected"),
    [
        ("0", 300, "0"),
        ("0.005", SECONDS_PER_YEAR, "0.005"),  # one interval a year: the rate itself
        ("0.005", 2 * SECONDS_PER_YEAR, "0.009975"),  # 1 - 0.995^2, exact
        ("0.75", SECONDS_PER_YEAR // 2, "0.5"),  # 1 - sqrt(0.25): an exact tie
        ("0.271", SECONDS_PER_YEAR // 3, "0.1"),  # 1 - cbrt(0.729)
        ("0.005", 300, "0.000000047683996423"),  # the module's default interval
        ("0.005", 10, "0.000000001589466584"),  # the devnet's interval
    ],
)
def test_table(annual: str, interval: int, expected: str) -> None:
    assert annual_to_interval_take_rate(Dec.from_str(annual), interval) == Dec.from_str(expected)


def test_default_interval_matches_exact_integers() -> None:
    """The 300 s interval (n = 105,120), checked with the exact integer inequality."""
    y = Dec.from_str("0.005")
    rate = annual_to_interval_take_rate(y, 300)
    kept = S - rate.scaled
    retained = S - y.scaled
    assert kept**105_120 >= retained * S**105_119 > (kept - 1) ** 105_120


def test_retention_of_a_nearly_total_take_is_tiny_but_positive() -> None:
    """a = 10^-18 over one second of a year: p = a^(1/Y) = exp(-41.4465/Y) ≈ 0.99999868574."""
    retained = compute_interval_retention_round_up(1, 1, SECONDS_PER_YEAR)
    assert 999_998_685_700_000_000 < retained < 999_998_685_800_000_000
    assert compute_interval_retention_round_up(0, 1, 2) == 0


@pytest.mark.parametrize(("annual", "interval"), [("1", 300), ("-0.1", 300), ("0.1", 0)])
def test_refuses_rates_outside_zero_one_and_empty_intervals(annual: str, interval: int) -> None:
    with pytest.raises(ValueError):
        annual_to_interval_take_rate(Dec.from_str(annual), interval)
