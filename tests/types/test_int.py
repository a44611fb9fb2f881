"""Int: the SDK's 256-bit math.Int with Go's truncating division."""

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.types import Int, IntOverflowError, quo_toward_zero, rem_toward_zero

MAX = 2**256 - 1
ints = st.integers(min_value=-MAX, max_value=MAX)
small = st.integers(min_value=-(2**127), max_value=2**127)


def test_bounds() -> None:
    assert int(Int(MAX)) == MAX
    assert int(Int(-MAX)) == -MAX
    with pytest.raises(IntOverflowError):
        Int(MAX + 1)
    with pytest.raises(IntOverflowError):
        Int(-MAX - 1)


@pytest.mark.parametrize(
    ("op", "a", "b"),
    [
        (Int.__add__, MAX, 1),
        (Int.__sub__, -MAX, 1),
        (Int.__mul__, 2**128, 2**128),
    ],
)
def test_results_beyond_256_bits_overflow(op: object, a: int, b: int) -> None:
    with pytest.raises(IntOverflowError):
        op(Int(a), Int(b))  # type: ignore[operator]


def test_overflow_is_a_value_error() -> None:
    assert issubclass(IntOverflowError, ValueError)


@pytest.mark.parametrize(
    ("a", "b", "quo", "rem"),
    [
        (7, 2, 3, 1),
        (-7, 2, -3, -1),
        (7, -2, -3, 1),
        (-7, -2, 3, -1),
        (0, 5, 0, 0),
        (-1, 3, 0, -1),
    ],
)
def test_quo_and_rem_truncate_toward_zero(a: int, b: int, quo: int, rem: int) -> None:
    assert Int(a).quo(Int(b)) == Int(quo)
    assert Int(a).rem(Int(b)) == Int(rem)


def test_division_by_zero() -> None:
    with pytest.raises(ZeroDivisionError):
        Int(1).quo(Int(0))
    with pytest.raises(ZeroDivisionError):
        Int(1).rem(Int(0))


@given(ints, ints.filter(lambda n: n != 0))
def test_quo_rem_identity(a: int, b: int) -> None:
    q, r = quo_toward_zero(a, b), rem_toward_zero(a, b)
    assert q * b + r == a
    assert abs(r) < abs(b)
    assert r == 0 or (r < 0) == (a < 0)


@given(small, small)
def test_operators_match_python_ints(a: int, b: int) -> None:
    x, y = Int(a), Int(b)
    assert int(x + y) == a + b
    assert int(x - y) == a - b
    assert int(x * y) == a * b
    assert int(-x) == -a
    assert int(abs(x)) == abs(a)
    assert (x < y, x <= y, x > y, x >= y, x == y) == (a < b, a <= b, a > b, a >= b, a == b)
    assert x.min(y) == Int(min(a, b))
    assert x.max(y) == Int(max(a, b))


@given(ints)
def test_string_round_trip(n: int) -> None:
    x = Int(n)
    assert str(x) == str(n)
    assert Int.from_str(str(x)) == x
    assert Int.from_proto_str(x.to_proto_str()) == x


@pytest.mark.parametrize("text", ["", "-", "+1", " 1", "1 ", "1_000", "0x10", "1.0", "１", "--1"])
def test_from_str_rejects_junk(text: str) -> None:
    with pytest.raises(ValueError):
        Int.from_str(text)


def test_from_str_overflow() -> None:
    with pytest.raises(IntOverflowError):
        Int.from_str(str(2**256))


def test_proto_empty_string_is_zero() -> None:
    assert Int.from_proto_str("") == Int.zero()
    assert Int.zero().to_proto_str() == "0"


def test_predicates() -> None:
    assert Int(0).is_zero() and not Int(0).is_positive() and not Int(0).is_negative()
    assert Int(3).is_positive() and not Int(3).is_zero()
    assert Int(-3).is_negative()


def test_no_mixing_with_plain_ints() -> None:
    assert Int(1) != 1
    assert (Int(1) == 1) is False
    with pytest.raises(TypeError):
        Int(1) + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        Int(1) < 2  # type: ignore[operator]  # noqa: B015
    with pytest.raises(TypeError):
        Int(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        bool(Int(0))


def test_immutable_hashable_and_copyable() -> None:
    x = Int(42)
    with pytest.raises(AttributeError):
        x._value = 1
    assert hash(x) == hash(Int(42))
    assert {x: "a"}[Int(42)] == "a"
    assert copy.deepcopy(x) == x
    assert pickle.loads(pickle.dumps(x)) == x
    assert repr(x) == "Int(42)"
