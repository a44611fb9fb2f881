"""Client-side conversion of an annual take rate to the per-interval rate the chain applies.

The alliance module skims `take_rate` once per `take_rate_claim_interval` I and has no notion of
years (spec §6). Someone who wants a yearly take y over Y = 365 days must give

    r = 1 - (1 - y)^(I / Y)        Y = 31,536,000 s

so that compounding r over the Y / I intervals of a year takes y. This module computes that r
exactly to 18 decimals, rounded down, with integer arithmetic only: no float and no `decimal`.

How (see `compute_interval_retention_round_up` for the proof): write I / Y = e / n in lowest
terms and a = 1 - y = A / S with S = 10^18. The retained fraction p = a^(e/n) is irrational in
general; what is needed is only the integer x* = ceil(S·p), because

    floor(S·r) = floor(S - S·p) = S - ceil(S·p) = S - x*.

x* is the least integer x with (x/S)^n ≥ a^e, a monotone predicate in x that bisection over
[0, S] finds in 60 steps. Each step decides the predicate from rigorous lower and upper bounds of
both sides (binary floating point with P-bit mantissas, every product rounded in one direction);
only if the bounds overlap is P raised, and past a limit the predicate is settled with exact
integers (x^n·S^e ≥ A^e·S^n), so the answer never depends on an approximation.
"""

from __future__ import annotations

from functools import lru_cache
from math import gcd

from app.types import Dec

__all__ = [
    "SECONDS_PER_YEAR",
    "annual_to_interval_take_rate",
    "compute_interval_retention_round_up",
]

SECONDS_PER_YEAR = 31_536_000
"""Y in r = 1 - (1 - y)^(I / Y): 365 days of 86,400 s (the year the issue fixes; no leap day)."""

_SCALE = 10**18
"""S: a Dec is its integer value scaled by 10^18."""

_PRECISIONS = (128, 512, 2048)
"""Mantissa bits tried in turn to decide one bisection step before falling back to exact integers.

128 bits decide every step unless the two sides agree to ~2^-120 relatively; ties that are real
(p·S an integer) need exponents n ≤ 59 (see `compute_interval_retention_round_up`), where the
exact check is cheap.
"""


def annual_to_interval_take_rate(y: Dec, interval_seconds: int) -> Dec:
    """The per-interval take rate equivalent to the annual take rate `y`, rounded down.

    r = 1 - (1 - y)^(I / 31,536,000) with I = `interval_seconds`, as the largest 18-decimal
    value not above the exact r. Rounding down never takes more than asked: compounding r over a
    year retains at least 1 - y. y = 0 gives 0; an interval of a whole year gives y itself.

    Parameters:
        y: the fraction of the staked tokens to take over a year, 0 ≤ y < 1.
        interval_seconds: the chain's `take_rate_claim_interval` in seconds, > 0.

    Returns:
        floor(10^18 · r) / 10^18, in [0, 1).

    Raises:
        ValueError: y outside [0, 1) or a non-positive interval.
    """
    if y.is_negative() or y >= Dec.one():
        raise ValueError(f"annual take rate {y} must be at least 0 and below 1")
    if interval_seconds <= 0:
        raise ValueError(f"take-rate interval must be positive, got {interval_seconds}s")
    common = gcd(interval_seconds, SECONDS_PER_YEAR)
    retained = compute_interval_retention_round_up(
        _SCALE - y.scaled, interval_seconds // common, SECONDS_PER_YEAR // common
    )
    return Dec.from_scaled(_SCALE - retained)


def compute_interval_retention_round_up(retained_per_year: int, e: int, n: int) -> int:
    """x* = ceil(S · (A/S)^(e/n)) with A = `retained_per_year` and S = 10^18, exactly.

    Proof of the result. For x ≥ 0 let G(x) be "(x/S)^n ≥ (A/S)^e". Both sides are non-negative
    and t ↦ t^n is increasing on t ≥ 0, so G(x) ⇔ x/S ≥ (A/S)^(e/n) ⇔ x ≥ S·p: G is monotone
    and its least true x is ceil(S·p) = x*. With 0 < A ≤ S, G(S) holds (1 ≥ (A/S)^e) and G(0)
    fails, so bisection keeping G(lo) false and G(hi) true ends at hi = x*. A = 0 gives x* = 0.

    Each G(x) is decided by `_decide`: it computes L ≤ (x/S)^n ≤ U and TL ≤ (A/S)^e ≤ TU
    (`_bound_power` rounds every product down for L, TL and up for U, TU; for positive operands the
    product is increasing in each, so by induction over the squarings the bounds hold). L ≥ TU
    proves G(x); U < TL proves not G(x); otherwise it retries with more bits, and at last
    compares the exact integers x^n·S^e and A^e·S^n (the same inequality multiplied by S^(n+e)).

    Ties (S·p an integer, so the bounds can never separate) need e/n in lowest terms with
    (x/S)^n = (A/S)^e: then A/S is the n-th power of a fraction whose denominator w^n divides
    10^18, so n ≤ 59 or A/S is 0 or 1; the exact fallback is then small.

    Parameters:
        retained_per_year: A, the scaled 1 - y, 0 ≤ A ≤ S.
        e, n: the exponent e/n, coprime, both > 0.

    Returns:
        x*, in [0, S].
    """
    if retained_per_year == 0:
        return 0
    low, high = 0, _SCALE
    while high - low > 1:
        middle = (low + high) // 2
        if _decide(middle, retained_per_year, e, n):
            high = middle
        else:
            low = middle
    return high


def _decide(x: int, retained: int, e: int, n: int) -> bool:
    """G(x): (x/S)^n ≥ (A/S)^e, from directed-rounding bounds, else exactly (see above)."""
    for bits in _PRECISIONS:
        lower = _bound_power(_bound_of_ratio(x, bits, round_up=False), n, bits, round_up=False)
        target_upper = _target_bound(retained, e, bits, round_up=True)
        if not _is_less(lower, target_upper):
            return True
        upper = _bound_power(_bound_of_ratio(x, bits, round_up=True), n, bits, round_up=True)
        if _is_less(upper, _target_bound(retained, e, bits, round_up=False)):
            return False
    return bool(x**n * _SCALE**e >= retained**e * _SCALE**n)


# A bound is a positive value mantissa · 2^exponent, as the pair (mantissa, exponent), whose
# mantissa is cut to `bits` bits after every product, always down (a lower bound) or always up
# (an upper bound). For positive operands a product is increasing in each, so a chain of such
# products bounds the exact product from the same side.
_Bound = tuple[int, int]


@lru_cache(maxsize=64)
def _target_bound(retained: int, e: int, bits: int, *, round_up: bool) -> _Bound:
    """A bound of (A/S)^e, the same for every bisection step."""
    return _bound_power(_bound_of_ratio(retained, bits, round_up=round_up), e, bits, round_up)


def _bound_of_ratio(numerator: int, bits: int, *, round_up: bool) -> _Bound:
    """numerator / S rounded in the bound's direction (numerator > 0)."""
    shift = bits + _SCALE.bit_length()  # keeps ≥ `bits` significant bits for numerator ≥ 1
    quotient, remainder = divmod(numerator << shift, _SCALE)
    if round_up and remainder:
        quotient += 1
    return _bound_rounded(quotient, -shift, bits, round_up)


def _bound_rounded(mantissa: int, exponent: int, bits: int, round_up: bool) -> _Bound:
    """The mantissa cut to `bits` bits, down (floor) or up (ceiling)."""
    excess = mantissa.bit_length() - bits
    if excess <= 0:
        return mantissa, exponent
    cut = -(-mantissa >> excess) if round_up else mantissa >> excess
    return cut, exponent + excess


def _bound_power(base: _Bound, k: int, bits: int, round_up: bool) -> _Bound:
    """base^k by squaring (k ≥ 1), every product rounded in the bound's direction."""
    mantissa, exponent = 1, 0  # exactly 1: a bound from both sides
    base_mantissa, base_exponent = base
    while k:
        if k & 1:
            mantissa, exponent = _bound_rounded(
                mantissa * base_mantissa, exponent + base_exponent, bits, round_up
            )
        k >>= 1
        if k:
            base_mantissa, base_exponent = _bound_rounded(
                base_mantissa * base_mantissa, 2 * base_exponent, bits, round_up
            )
    return mantissa, exponent


def _is_less(left: _Bound, right: _Bound) -> bool:
    """Exact comparison of two bound values."""
    (left_mantissa, left_exponent), (right_mantissa, right_exponent) = left, right
    # A value m·2^k with m of b bits lies in [2^(k+b-1), 2^(k+b)).
    left_top = left_exponent + left_mantissa.bit_length()
    right_top = right_exponent + right_mantissa.bit_length()
    if left_top != right_top:
        return left_top < right_top
    # Same magnitude: the exponents differ by at most the mantissa widths.
    if left_exponent >= right_exponent:
        return left_mantissa << (left_exponent - right_exponent) < right_mantissa
    return left_mantissa < right_mantissa << (right_exponent - left_exponent)
