"""`Dec`: the Cosmos SDK `LegacyDec` (cosmossdk.io/math v1.2.0), bit-exact.

A `Dec` is an integer `raw` standing for `raw / 10^18`. Arithmetic works on `raw` with Go's rules:
division truncates toward zero, and the rounding of every product and quotient is named by the
method (`mul` rounds half to even, `mul_truncate` toward zero, `mul_round_up` toward +infinity).
There is deliberately no `*` or `/` operator. After every operation except `quo_int`, a raw result
whose bit length exceeds 256 + 59 = 315 raises `IntOverflowError` (Go panics "Int overflow").

Notation in the docstrings: `A`, `B` are the raw integers of self and other, `P = 10^18`,
`tquo` is division truncated toward zero.
"""

from __future__ import annotations

import re
from typing import Any, Final, NoReturn

from app.types.errors import IntOverflowError
from app.types.int import Int, quo_toward_zero

PRECISION: Final = 18
"""Decimal places of a `Dec` (`LegacyPrecision`)."""

MAX_DEC_BIT_LEN = 256 + 59
"""Largest bit length of a `Dec`'s raw integer (`maxDecBitLen`; 59 bits hold 10^18)."""

_P = 10**PRECISION
_HALF_P = _P // 2
_P_SQUARED = _P * _P
_DECIMAL = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")
_PROTO_INTEGER = re.compile(r"-?[0-9]+")
_set_slot = object.__setattr__


def _chop_round_half_even(raw: int) -> int:
    """`tquo(raw, P)` rounded half to even on |raw|, sign restored (Go `chopPrecisionAndRound`)."""
    q, r = divmod(abs(raw), _P)
    if r > _HALF_P or (r == _HALF_P and q & 1):
        q += 1
    return -q if raw < 0 else q


def _chop_round_up(raw: int) -> int:
    """`raw / P` rounded toward +infinity (Go `chopPrecisionAndRoundUp`: negatives truncate)."""
    q, r = divmod(abs(raw), _P)
    if raw < 0:
        return -q
    return q + 1 if r else q


def _checked(raw: int) -> Dec:
    """Builds a `Dec` from a raw integer after the 315-bit range check."""
    if raw.bit_length() > MAX_DEC_BIT_LEN:
        raise IntOverflowError(f"Int overflow: Dec of {raw.bit_length()} bits > {MAX_DEC_BIT_LEN}")
    return _unchecked(raw)


def _unchecked(raw: int) -> Dec:
    result = object.__new__(Dec)
    _set_slot(result, "_raw", raw)
    return result


class Dec:
    """An immutable 18-decimal fixed-point number with LegacyDec's operations and rounding."""

    __slots__ = ("_raw",)
    _raw: int

    def __init__(self) -> None:
        raise TypeError(
            "build a Dec with Dec.from_int, from_str, from_scaled, new_with_prec or from_proto_str"
        )

    # ---- constructors ------------------------------------------------------------------------

    @classmethod
    def from_scaled(cls, raw: int) -> Dec:
        """The Dec whose raw (10^18-scaled) integer is `raw`."""
        if type(raw) is not int:
            raise TypeError(f"Dec.from_scaled needs an int, got {type(raw).__name__}")
        return _checked(raw)

    @classmethod
    def from_int(cls, n: int | Int) -> Dec:
        """`n` as a Dec: raw = n * 10^18 (`LegacyNewDec`, `LegacyNewDecFromInt`)."""
        whole = int(n) if isinstance(n, Int) else n
        return cls.from_scaled(whole * _P)

    @classmethod
    def new_with_prec(cls, i: int, prec: int) -> Dec:
        """`i * 10^-prec`, 0 <= prec <= 18 (`LegacyNewDecWithPrec`): (5, 1) is 0.5."""
        if not 0 <= prec <= PRECISION:
            raise ValueError(f"precision {prec} outside [0, {PRECISION}]")
        return cls.from_scaled(i * 10 ** (PRECISION - prec))

    @classmethod
    def from_str(cls, text: str) -> Dec:
        """Parses "1", "1.5", "-0.25" (at most 18 decimals), as `LegacyNewDecFromStr` does.

        Stricter than Go on signs: only one leading '-', no '+'. Raises `ValueError` on junk
        or on more than 18 decimals, `IntOverflowError` beyond 315 raw bits.
        """
        match = _DECIMAL.fullmatch(text)
        if match is None:
            raise ValueError(f"invalid decimal: {text!r}")
        sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
        if len(fraction) > PRECISION:
            raise ValueError(f"invalid decimal: {text!r} has more than {PRECISION} decimals")
        raw = int(whole + fraction.ljust(PRECISION, "0"))
        return _checked(-raw if sign else raw)

    @classmethod
    def from_proto_str(cls, text: str) -> Dec:
        """Parses the protobuf wire form: the raw integer's decimal text; "" is 0.

        gogoproto `customtype` LegacyDec marshals `big.Int.MarshalText()` of the scaled integer,
        so 1.0 travels as "1000000000000000000".
        """
        if text == "":
            return ZERO
        if _PROTO_INTEGER.fullmatch(text) is None:
            raise ValueError(f"invalid Dec wire text: {text!r}")
        return _checked(int(text))

    @classmethod
    def zero(cls) -> Dec:
        return ZERO

    @classmethod
    def one(cls) -> Dec:
        return ONE

    # ---- representation ----------------------------------------------------------------------

    @property
    def scaled(self) -> int:
        """The raw integer: the value times 10^18."""
        return self._raw

    def to_proto_str(self) -> str:
        """The protobuf wire form: the raw integer's decimal text ("0" for zero)."""
        return str(self._raw)

    def __str__(self) -> str:
        """Always 18 decimals: "2.000000000000000000", "-0.500000000000000000"."""
        whole, fraction = divmod(abs(self._raw), _P)
        sign = "-" if self._raw < 0 else ""
        return f"{sign}{whole}.{fraction:018d}"

    def __repr__(self) -> str:
        return f"Dec('{self}')"

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError("Dec is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Dec is immutable")

    def __reduce__(self) -> tuple[Any, tuple[int]]:
        return (Dec.from_scaled, (self._raw,))

    def __bool__(self) -> NoReturn:
        # An object is truthy by default, so `if rate:` would be True for zero: make it loud.
        raise TypeError("truth value of Dec is ambiguous: use is_zero() / is_positive()")

    # ---- comparisons -------------------------------------------------------------------------

    def __hash__(self) -> int:
        return hash(self._raw)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Dec:
            return NotImplemented
        return self._raw == other._raw

    def __lt__(self, other: Dec) -> bool:
        if type(other) is not Dec:
            return NotImplemented
        return self._raw < other._raw

    def __le__(self, other: Dec) -> bool:
        if type(other) is not Dec:
            return NotImplemented
        return self._raw <= other._raw

    def __gt__(self, other: Dec) -> bool:
        if type(other) is not Dec:
            return NotImplemented
        return self._raw > other._raw

    def __ge__(self, other: Dec) -> bool:
        if type(other) is not Dec:
            return NotImplemented
        return self._raw >= other._raw

    def is_zero(self) -> bool:
        return self._raw == 0

    def is_positive(self) -> bool:
        return self._raw > 0

    def is_negative(self) -> bool:
        return self._raw < 0

    def min(self, other: Dec) -> Dec:
        """The smaller of self and other (`LegacyMinDec`)."""
        return self if self._raw <= other._raw else other

    def max(self, other: Dec) -> Dec:
        """The larger of self and other (`LegacyMaxDec`)."""
        return self if self._raw >= other._raw else other

    # ---- addition ----------------------------------------------------------------------------

    def __add__(self, other: Dec) -> Dec:
        """A + B, range-checked (`LegacyDec.Add`)."""
        if type(other) is not Dec:
            return NotImplemented
        return _checked(self._raw + other._raw)

    def __sub__(self, other: Dec) -> Dec:
        """A - B, range-checked (`LegacyDec.Sub`)."""
        if type(other) is not Dec:
            return NotImplemented
        return _checked(self._raw - other._raw)

    def neg(self) -> Dec:
        """-self (`LegacyDec.Neg`)."""
        return _unchecked(-self._raw)

    def abs(self) -> Dec:
        """|self| (`LegacyDec.Abs`)."""
        return _unchecked(abs(self._raw))

    __neg__ = neg
    __abs__ = abs

    # ---- multiplication ----------------------------------------------------------------------

    def mul(self, other: Dec) -> Dec:
        """self * other rounded half to even: chopRound(A * B) (`LegacyDec.Mul`)."""
        return _checked(_chop_round_half_even(self._raw * other._raw))

    def mul_truncate(self, other: Dec) -> Dec:
        """self * other truncated toward zero: tquo(A * B, P) (`LegacyDec.MulTruncate`)."""
        return _checked(quo_toward_zero(self._raw * other._raw, _P))

    def mul_round_up(self, other: Dec) -> Dec:
        """self * other rounded toward +infinity: chopUp(A * B) (`LegacyDec.MulRoundUp`)."""
        return _checked(_chop_round_up(self._raw * other._raw))

    def mul_int(self, i: Int) -> Dec:
        """self * i exactly: A * i (`LegacyDec.MulInt`)."""
        return _checked(self._raw * int(i))

    # ---- division ----------------------------------------------------------------------------

    def quo(self, other: Dec) -> Dec:
        """self / other with two roundings: chopRound(tquo(A * P^2, B)) (`LegacyDec.Quo`).

        The quotient is first truncated at 36 decimals, then rounded half to even at 18.
        `ZeroDivisionError` when other is zero (Go panics).
        """
        return _checked(_chop_round_half_even(quo_toward_zero(self._raw * _P_SQUARED, other._raw)))

    def quo_truncate(self, other: Dec) -> Dec:
        """self / other toward zero: tquo(tquo(A * P^2, B), P) (`LegacyDec.QuoTruncate`)."""
        return _checked(quo_toward_zero(quo_toward_zero(self._raw * _P_SQUARED, other._raw), _P))

    def quo_round_up(self, other: Dec) -> Dec:
        """self / other toward +infinity: chopUp(tquo(A * P^2, B)) (`LegacyDec.QuoRoundUp`, v1.2.0).

        Later math versions changed this for some negative operands; v1.2.0 is kept.
        """
        return _checked(_chop_round_up(quo_toward_zero(self._raw * _P_SQUARED, other._raw)))

    def quo_int(self, i: Int) -> Dec:
        """self / i truncated toward zero: tquo(A, i) (`LegacyDec.QuoInt`; no range check in Go)."""
        return _unchecked(quo_toward_zero(self._raw, int(i)))

    # ---- powers and integer parts ------------------------------------------------------------

    def power(self, n: int) -> Dec:
        """self^n by squaring in Go's order, every product rounded by `mul` (`LegacyDec.Power`).

        n = 0 gives 1; otherwise: tmp = 1; d = self; while n > 1 { if n odd: tmp = tmp*d;
        n /= 2; d = d*d }; return d*tmp. The result can differ from repeated `mul` in the last
        digits, which is why the order is kept.
        """
        if n < 0:
            raise ValueError(f"power needs a non-negative exponent, got {n}")
        if n == 0:
            return ONE
        tmp = ONE
        d = self
        while n > 1:
            if n & 1:
                tmp = tmp.mul(d)
            n >>= 1
            d = d.mul(d)
        return d.mul(tmp)

    def truncate_int(self) -> Int:
        """The integer part toward zero: tquo(A, P); -2.7 gives -2 (`LegacyDec.TruncateInt`)."""
        return Int(quo_toward_zero(self._raw, _P))

    def round_int(self) -> Int:
        """Rounded half to even: chopRound(A); 2.5 gives 2, 3.5 gives 4 (`LegacyDec.RoundInt`)."""
        return Int(_chop_round_half_even(self._raw))

    def truncate_dec(self) -> Dec:
        """The integer part toward zero, as a Dec: tquo(A, P) * P (`LegacyDec.TruncateDec`)."""
        return _checked(quo_toward_zero(self._raw, _P) * _P)

    def ceil(self) -> Dec:
        """The smallest integer >= self, as a Dec; -2.7 gives -2, 2.1 gives 3 (`LegacyDec.Ceil`)."""
        return _checked(_chop_round_up(self._raw) * _P)

    def is_integer(self) -> bool:
        """True when self has no fractional part (`LegacyDec.IsInteger`)."""
        return self._raw % _P == 0


ZERO = _unchecked(0)
ONE = _unchecked(_P)
