"""`Int`: the Cosmos SDK `math.Int`, an integer bounded to 256 bits.

A thin immutable wrapper over a Python `int`. Every result is range-checked: an absolute value whose
bit length exceeds 256 raises `IntOverflowError`, as the SDK panics with "Int overflow". Division
truncates toward zero (Go `big.Int.Quo`), never floors. `Int` mixes only with `Int`: `Int(1) + 1`
is a `TypeError` and `Int(1) == 1` is `False`, so a bare `int` cannot slip into state arithmetic.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from app.types.errors import IntOverflowError

MAX_INT_BIT_LEN = 256
"""Largest bit length of an `Int`'s absolute value (cosmossdk.io/math `MaxBitLen`)."""

_DECIMAL_INTEGER = re.compile(r"-?[0-9]+")
_set_slot = object.__setattr__


def quo_toward_zero(a: int, b: int) -> int:
    """Quotient of `a / b` truncated toward zero, like Go `big.Int.Quo` (Python `//` floors).

    Raises `ZeroDivisionError` when `b` is zero.
    """
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def rem_toward_zero(a: int, b: int) -> int:
    """Remainder of `a / b` with the sign of the dividend, like Go `big.Int.Rem`.

    `a == quo_toward_zero(a, b) * b + rem_toward_zero(a, b)`.
    """
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def _checked(value: int) -> Int:
    """Builds an `Int` from an already-typed `int`, skipping the constructor's type check."""
    if value.bit_length() > MAX_INT_BIT_LEN:
        raise IntOverflowError(f"Int overflow: {value.bit_length()} bits > {MAX_INT_BIT_LEN}")
    result = object.__new__(Int)
    _set_slot(result, "_value", value)
    return result


class Int:
    """An immutable integer in [-(2^256 - 1), 2^256 - 1], with the SDK `math.Int` operations."""

    __slots__ = ("_value",)
    _value: int

    def __init__(self, n: int) -> None:
        if type(n) is not int:
            raise TypeError(f"Int needs an int, got {type(n).__name__}")
        if n.bit_length() > MAX_INT_BIT_LEN:
            raise IntOverflowError(f"Int overflow: {n.bit_length()} bits > {MAX_INT_BIT_LEN}")
        _set_slot(self, "_value", n)

    @classmethod
    def from_str(cls, text: str) -> Int:
        """Parses a decimal integer with an optional leading '-' (no '+', spaces or '_').

        Raises `ValueError` on any other text and `IntOverflowError` beyond 256 bits.
        """
        if _DECIMAL_INTEGER.fullmatch(text) is None:
            raise ValueError(f"invalid integer: {text!r}")
        return _checked(int(text))

    @classmethod
    def from_proto_str(cls, text: str) -> Int:
        """Parses the protobuf wire form of `math.Int` (its decimal text); "" means 0."""
        return ZERO if text == "" else cls.from_str(text)

    @classmethod
    def zero(cls) -> Int:
        """The integer 0."""
        return ZERO

    def to_proto_str(self) -> str:
        """The protobuf wire form: decimal text ("0" for zero), as `math.Int.Marshal` writes."""
        return str(self._value)

    # Immutability: slots can still be assigned unless refused here.
    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError("Int is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Int is immutable")

    def __reduce__(self) -> tuple[type[Int], tuple[int]]:
        return (Int, (self._value,))

    def __int__(self) -> int:
        return self._value

    def __str__(self) -> str:
        return str(self._value)

    def __repr__(self) -> str:
        return f"Int({self._value})"

    def __bool__(self) -> NoReturn:
        # An object is truthy by default, so `if amount:` would be True for zero: make it loud.
        raise TypeError("truth value of Int is ambiguous: use is_zero() / is_positive()")

    def __hash__(self) -> int:
        return hash(self._value)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Int:
            return NotImplemented
        return self._value == other._value

    def __lt__(self, other: Int) -> bool:
        if type(other) is not Int:
            return NotImplemented
        return self._value < other._value

    def __le__(self, other: Int) -> bool:
        if type(other) is not Int:
            return NotImplemented
        return self._value <= other._value

    def __gt__(self, other: Int) -> bool:
        if type(other) is not Int:
            return NotImplemented
        return self._value > other._value

    def __ge__(self, other: Int) -> bool:
        if type(other) is not Int:
            return NotImplemented
        return self._value >= other._value

    def __add__(self, other: Int) -> Int:
        if type(other) is not Int:
            return NotImplemented
        return _checked(self._value + other._value)

    def __sub__(self, other: Int) -> Int:
        if type(other) is not Int:
            return NotImplemented
        return _checked(self._value - other._value)

    def __mul__(self, other: Int) -> Int:
        if type(other) is not Int:
            return NotImplemented
        return _checked(self._value * other._value)

    def __neg__(self) -> Int:
        return _checked(-self._value)

    def __abs__(self) -> Int:
        return _checked(abs(self._value))

    def quo(self, other: Int) -> Int:
        """self / other truncated toward zero (Go `Int.Quo`); `ZeroDivisionError` if other is 0."""
        return _checked(quo_toward_zero(self._value, other._value))

    def rem(self, other: Int) -> Int:
        """Remainder with the sign of self (Go `Int.Rem`); `ZeroDivisionError` if other is 0."""
        return _checked(rem_toward_zero(self._value, other._value))

    def is_zero(self) -> bool:
        return self._value == 0

    def is_positive(self) -> bool:
        return self._value > 0

    def is_negative(self) -> bool:
        return self._value < 0

    def min(self, other: Int) -> Int:
        """The smaller of self and other (`math.MinInt`)."""
        return self if self._value <= other._value else other

    def max(self, other: Int) -> Int:
        """The larger of self and other (`math.MaxInt`)."""
        return self if self._value >= other._value else other


ZERO = _checked(0)
