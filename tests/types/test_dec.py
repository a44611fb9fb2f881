"""Dec: LegacyDec of cosmossdk.io/math v1.2.0, checked against the spec tables and vectors."""

import copy
import math
import pickle
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.types import Dec, Int, IntOverflowError

P = 10**18
MAX_RAW = 2**315 - 1


def d(text: str) -> Dec:
    return Dec.from_str(text)


def n(value: int) -> Dec:
    return Dec.from_int(value)


# ---- vectors/alliance.md §8 -----------------------------------------------------------------

MICRO_VECTORS: list[tuple[str, Callable[[], Dec], str]] = [
    ("D-1 2/12", lambda: n(2).quo(n(12)), "0.166666666666666667"),
    ("D-1 10/12", lambda: n(10).quo(n(12)), "0.833333333333333333"),
    ("D-2 (1/3)*3e6", lambda: n(1).quo(n(3)).mul(n(3_000_000)), "999999.999999999999"),
    (
        "D-2 (2e6/3e6)*3e6",
        lambda: n(2_000_000).quo(n(3_000_000)).mul(n(3_000_000)),
        "2000000.000000000001",
    ),
    ("D-4 0.9^12", lambda: d("0.9").power(12), "0.282429536481"),
    ("D-4 1.5^2", lambda: d("1.5").power(2), "2.25"),
    ("D-4 0.5^2", lambda: d("0.5").power(2), "0.25"),
    ("D-4 0.2^2", lambda: d("0.2").power(2), "0.04"),
    (
        "D-5 (8*999999.999999999999) quo_int 3e6",
        lambda: n(8).mul(d("999999.999999999999")).quo_int(Int(3_000_000)),
        "2.666666666666666664",
    ),
    (
        "D-6",
        lambda: (
            n(10_000_000).quo(n(30_000_000)).mul(n(2_000_000))
            + n(20_000_000).quo(n(40_000_000)).mul(n(10_000_000))
        ),
        "5666666.666666666666",
    ),
    (
        "D-7",
        lambda: (
            n(19_000_000).quo(n(39_000_000)).mul(n(2_000_000))
            + n(19_000_000).quo(n(39_000_000)).mul(n(10_000_000))
        ),
        "5846153.846153846148",
    ),
    (
        "D-10 take-rate step",
        lambda: (n(1) - d("0.5")).power(1).mul_int(Int(1_000_000_000)),
        "500000000",
    ),
]


@pytest.mark.parametrize(
    ("expression", "result"),
    [(compute, expected) for _, compute, expected in MICRO_VECTORS],
    ids=[name for name, _, _ in MICRO_VECTORS],
)
def test_micro_vectors(expression: Callable[[], Dec], result: str) -> None:
    assert expression() == d(result)


def test_d6_truncates_to_whole_tokens() -> None:
    value = n(10_000_000).quo(n(30_000_000)).mul(n(2_000_000)) + n(20_000_000).quo(
        n(40_000_000)
    ).mul(n(10_000_000))
    assert value.truncate_int() == Int(5_666_666)


def test_d10_deducted_amount() -> None:
    total = Int(1_000_000_000)
    remaining = (n(1) - d("0.5")).power(1).mul_int(total).truncate_int()
    assert total - remaining == Int(500_000_000)


# ---- spec/alliance.md §3.1 and store.md §7.1 ------------------------------------------------

SPEC_EXAMPLES: list[tuple[str, Callable[[], Dec], str]] = [
    ("Quo(1,3)", lambda: n(1).quo(n(3)), "0.333333333333333333"),
    ("Quo(2,3)", lambda: n(2).quo(n(3)), "0.666666666666666667"),
    ("QuoTruncate(2,3)", lambda: n(2).quo_truncate(n(3)), "0.666666666666666666"),
    ("QuoTruncate(-2,3)", lambda: n(-2).quo_truncate(n(3)), "-0.666666666666666666"),
    ("QuoRoundUp(1,3)", lambda: n(1).quo_round_up(n(3)), "0.333333333333333334"),
    ("QuoRoundUp(-1,3)", lambda: n(-1).quo_round_up(n(3)), "-0.333333333333333333"),
    ("Quo(-2,3)", lambda: n(-2).quo(n(3)), "-0.666666666666666667"),
    (
        "Mul(0.5,3e-18) half to even",
        lambda: d("0.5").mul(Dec.from_scaled(3)),
        "0.000000000000000002",
    ),
    ("Mul(0.5,1e-18) half to even", lambda: d("0.5").mul(Dec.from_scaled(1)), "0"),
    ("Mul(-0.5,3e-18)", lambda: d("-0.5").mul(Dec.from_scaled(3)), "-0.000000000000000002"),
    (
        "MulTruncate(0.5,3e-18)",
        lambda: d("0.5").mul_truncate(Dec.from_scaled(3)),
        "0.000000000000000001",
    ),
    (
        "MulTruncate(-0.5,3e-18)",
        lambda: d("-0.5").mul_truncate(Dec.from_scaled(3)),
        "-0.000000000000000001",
    ),
    (
        "MulRoundUp(0.5,3e-18)",
        lambda: d("0.5").mul_round_up(Dec.from_scaled(3)),
        "0.000000000000000002",
    ),
    (
        "MulRoundUp(0.5,1e-18)",
        lambda: d("0.5").mul_round_up(Dec.from_scaled(1)),
        "0.000000000000000001",
    ),
    (
        "MulRoundUp(-0.5,3e-18)",
        lambda: d("-0.5").mul_round_up(Dec.from_scaled(3)),
        "-0.000000000000000001",
    ),
    ("(1/3)*3e6", lambda: n(1).quo(n(3)).mul(n(3_000_000)), "999999.999999999999"),
    ("MulInt exact", lambda: d("0.333333333333333333").mul_int(Int(3)), "0.999999999999999999"),
    ("QuoInt truncates", lambda: n(-2).quo_int(Int(3)), "-0.666666666666666666"),
    ("Power(0.99,365)", lambda: d("0.99").power(365), "0.025517964452291210"),
    ("Power(x,0)", lambda: d("0.99").power(0), "1"),
    ("Power(0,0)", lambda: n(0).power(0), "1"),
    ("Power(2,10)", lambda: n(2).power(10), "1024"),
    ("Ceil(-2.7)", lambda: d("-2.7").ceil(), "-2"),
    ("Ceil(2.1)", lambda: d("2.1").ceil(), "3"),
    ("Ceil(2)", lambda: d("2").ceil(), "2"),
    ("Ceil(-0.1)", lambda: d("-0.1").ceil(), "0"),
    ("TruncateDec(-2.7)", lambda: d("-2.7").truncate_dec(), "-2"),
    ("TruncateDec(2.7)", lambda: d("2.7").truncate_dec(), "2"),
]


@pytest.mark.parametrize(
    ("expression", "result"),
    [(compute, expected) for _, compute, expected in SPEC_EXAMPLES],
    ids=[name for name, _, _ in SPEC_EXAMPLES],
)
def test_spec_examples(expression: Callable[[], Dec], result: str) -> None:
    assert expression() == d(result)


def test_quo_rounds_twice() -> None:
    # 1e-18 / 1.999999999999999999 = 5.0000000000000000025e-19: the exact value is above half
    # a unit, but truncation at 36 decimals leaves exactly half, which rounds to even (0).
    one_unit, divisor = Dec.from_scaled(1), Dec.from_scaled(2 * P - 1)
    assert one_unit.quo(divisor) == Dec.zero()
    assert round(Fraction(1 * P, 2 * P - 1)) == 1  # a single rounding would give 1e-18
    assert one_unit.quo_round_up(divisor) == Dec.from_scaled(1)


@pytest.mark.parametrize(
    ("text", "rounded", "truncated"),
    [
        ("2.5", 2, 2),
        ("3.5", 4, 3),
        ("-2.5", -2, -2),
        ("-3.5", -4, -3),
        ("2.500000000000000001", 3, 2),
        ("-2.7", -3, -2),
        ("2.7", 3, 2),
        ("0.4", 0, 0),
    ],
)
def test_round_int_and_truncate_int(text: str, rounded: int, truncated: int) -> None:
    assert d(text).round_int() == Int(rounded)
    assert d(text).truncate_int() == Int(truncated)


def test_division_by_zero() -> None:
    for divide in (Dec.quo, Dec.quo_truncate, Dec.quo_round_up):
        with pytest.raises(ZeroDivisionError):
            divide(n(1), n(0))
    with pytest.raises(ZeroDivisionError):
        n(1).quo_int(Int(0))


def test_power_rejects_negative_exponent() -> None:
    with pytest.raises(ValueError):
        n(2).power(-1)


# ---- range -----------------------------------------------------------------------------------


def test_range_bounds() -> None:
    assert Dec.from_scaled(MAX_RAW).scaled == MAX_RAW
    assert Dec.from_scaled(-MAX_RAW).scaled == -MAX_RAW
    with pytest.raises(IntOverflowError):
        Dec.from_scaled(MAX_RAW + 1)
    with pytest.raises(IntOverflowError):
        Dec.from_scaled(-MAX_RAW - 1)


OVERFLOWING: list[tuple[str, Callable[[], Dec]]] = [
    ("add", lambda: Dec.from_scaled(MAX_RAW) + Dec.from_scaled(1)),
    ("sub", lambda: Dec.from_scaled(-MAX_RAW) - Dec.from_scaled(1)),
    ("mul", lambda: Dec.from_scaled(MAX_RAW).mul(n(2))),
    ("mul_truncate", lambda: Dec.from_scaled(MAX_RAW).mul_truncate(n(2))),
    ("mul_round_up", lambda: Dec.from_scaled(MAX_RAW).mul_round_up(n(2))),
    ("mul_int", lambda: Dec.from_scaled(MAX_RAW).mul_int(Int(2))),
    ("quo", lambda: Dec.from_scaled(MAX_RAW).quo(d("0.5"))),
    ("quo_truncate", lambda: Dec.from_scaled(MAX_RAW).quo_truncate(d("0.5"))),
    ("quo_round_up", lambda: Dec.from_scaled(MAX_RAW).quo_round_up(d("0.5"))),
    ("power", lambda: n(2).power(300)),
    ("from_int", lambda: Dec.from_int(Int(2**256 - 1))),
    ("from_str", lambda: d(str(2**256))),
    ("from_proto_str", lambda: Dec.from_proto_str(str(2**315))),
]


@pytest.mark.parametrize(
    "operation", [op for _, op in OVERFLOWING], ids=[name for name, _ in OVERFLOWING]
)
def test_overflow_after_every_operation(operation: Callable[[], Dec]) -> None:
    with pytest.raises(IntOverflowError):
        operation()


def test_largest_values_that_fit() -> None:
    assert Dec.from_int(2**255).scaled == 2**255 * P
    assert Dec.from_scaled(MAX_RAW - 1) + Dec.from_scaled(1) == Dec.from_scaled(MAX_RAW)


# ---- text and wire forms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "shown"),
    [
        ("1", P, "1.000000000000000000"),
        ("2", 2 * P, "2.000000000000000000"),
        ("1.5", 3 * P // 2, "1.500000000000000000"),
        ("-0.25", -P // 4, "-0.250000000000000000"),
        ("-0.5", -P // 2, "-0.500000000000000000"),
        ("0", 0, "0.000000000000000000"),
        ("-0", 0, "0.000000000000000000"),
        ("0.000000000000000001", 1, "0.000000000000000001"),
        ("007.10", 71 * P // 10, "7.100000000000000000"),
        (
            "123456789.123456789123456789",
            123456789123456789123456789,
            "123456789.123456789123456789",
        ),
    ],
)
def test_from_str_and_str(text: str, raw: int, shown: str) -> None:
    value = Dec.from_str(text)
    assert value.scaled == raw
    assert str(value) == shown


@pytest.mark.parametrize(
    "text",
    ["", "-", ".5", "1.", "+1", "1e5", " 1", "1 ", "1,5", "--1", "0x1", "1.2.3", "NaN", "1_0",
     "0.0000000000000000001", "٣"],
)  # fmt: skip
def test_from_str_rejects_junk(text: str) -> None:
    with pytest.raises(ValueError):
        Dec.from_str(text)


def test_proto_wire_form() -> None:
    assert Dec.from_proto_str("") == Dec.zero()
    assert Dec.zero().to_proto_str() == "0"
    assert Dec.one().to_proto_str() == "1000000000000000000"
    assert Dec.from_proto_str("1000000000000000000") == Dec.one()
    assert Dec.from_proto_str("-5") == Dec.from_scaled(-5)
    for junk in ("1.0", "abc", " 1", "+1"):
        with pytest.raises(ValueError):
            Dec.from_proto_str(junk)


def test_new_with_prec() -> None:
    assert Dec.new_with_prec(5, 1) == d("0.5")
    assert Dec.new_with_prec(1, 2) == d("0.01")
    assert Dec.new_with_prec(7, 0) == n(7)
    assert Dec.new_with_prec(1, 18) == Dec.from_scaled(1)
    for bad in (-1, 19):
        with pytest.raises(ValueError):
            Dec.new_with_prec(1, bad)


def test_from_int_accepts_int_and_Int() -> None:
    assert Dec.from_int(3) == Dec.from_int(Int(3)) == d("3")
    assert Dec.from_int(-3).scaled == -3 * P


# ---- object behaviour --------------------------------------------------------------------------


def test_comparisons_and_predicates() -> None:
    assert d("0.1") < d("0.2") <= d("0.2") < d("1")
    assert d("1") > d("-1") >= d("-1")
    assert d("0.1").min(d("0.2")) == d("0.1")
    assert d("0.1").max(d("0.2")) == d("0.2")
    assert Dec.zero().is_zero() and d("1").is_positive() and d("-1").is_negative()
    assert d("-1.5").neg() == d("1.5") == -d("-1.5")
    assert d("-1.5").abs() == d("1.5") == abs(d("-1.5"))
    assert d("2").is_integer() and not d("2.5").is_integer() and d("-3").is_integer()


def test_no_implicit_operators_or_mixing() -> None:
    with pytest.raises(TypeError):
        d("1") * d("2")  # type: ignore[operator]
    with pytest.raises(TypeError):
        d("1") / d("2")  # type: ignore[operator]
    with pytest.raises(TypeError):
        d("1") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        bool(Dec.zero())
    with pytest.raises(TypeError):
        Dec()
    with pytest.raises(TypeError):
        Dec.from_scaled(1.5)  # type: ignore[arg-type]
    assert (d("1") == Int(1)) is False
    assert (d("1") == 1) is False


def test_immutable_hashable_and_copyable() -> None:
    value = d("1.25")
    with pytest.raises(AttributeError):
        value._raw = 0
    assert {value: 1}[d("1.250")] == 1
    assert copy.deepcopy(value) == value
    assert pickle.loads(pickle.dumps(value)) == value
    assert repr(value) == "Dec('1.250000000000000000')"


# ---- properties against an independent Fraction model -----------------------------------------

raws = st.integers(min_value=-(2**200), max_value=2**200)
small_raws = st.integers(min_value=-(10**30), max_value=10**30)
nonzero_raws = small_raws.filter(lambda r: r != 0)
non_negative_raws = st.integers(min_value=0, max_value=10**30)
positive_raws = st.integers(min_value=1, max_value=10**30)


def trunc(x: Fraction) -> int:
    return math.trunc(x)


@given(small_raws, small_raws)
def test_mul_family_matches_fraction_model(a: int, b: int) -> None:
    x, y = Dec.from_scaled(a), Dec.from_scaled(b)
    exact = Fraction(a * b, P)
    assert x.mul(y).scaled == round(exact)  # Fraction rounds half to even
    assert x.mul_truncate(y).scaled == trunc(exact)
    assert x.mul_round_up(y).scaled == math.ceil(exact)


@given(small_raws, nonzero_raws)
def test_quo_family_matches_fraction_model(a: int, b: int) -> None:
    x, y = Dec.from_scaled(a), Dec.from_scaled(b)
    at_36_decimals = trunc(Fraction(a * P * P, b))
    assert x.quo(y).scaled == round(Fraction(at_36_decimals, P))
    assert x.quo_truncate(y).scaled == trunc(Fraction(a * P, b))
    assert x.quo_round_up(y).scaled == math.ceil(Fraction(at_36_decimals, P))


@given(non_negative_raws, positive_raws)
def test_quo_roundings_are_ordered(a: int, b: int) -> None:
    x, y = Dec.from_scaled(a), Dec.from_scaled(b)
    assert x.quo_truncate(y) <= x.quo(y) <= x.quo_round_up(y)
    assert x.quo_round_up(y).scaled - x.quo_truncate(y).scaled <= 1


@given(non_negative_raws, non_negative_raws)
def test_mul_roundings_are_ordered(a: int, b: int) -> None:
    x, y = Dec.from_scaled(a), Dec.from_scaled(b)
    assert x.mul_truncate(y) <= x.mul(y) <= x.mul_round_up(y)


@given(raws)
def test_string_round_trips(raw: int) -> None:
    value = Dec.from_scaled(raw)
    assert Dec.from_str(str(value)) == value
    assert Dec.from_proto_str(value.to_proto_str()) == value


@given(raws)
def test_integer_parts(raw: int) -> None:
    value = Dec.from_scaled(raw)
    exact = Fraction(raw, P)
    assert int(value.truncate_int()) == trunc(exact)
    assert int(value.round_int()) == round(exact)
    assert value.ceil() == Dec.from_int(math.ceil(exact))
    assert value.truncate_dec() == Dec.from_int(trunc(exact))


@given(small_raws)
def test_power_small_exponents(raw: int) -> None:
    value = Dec.from_scaled(raw)
    assert value.power(1) == value
    assert value.power(2) == value.mul(value)
    assert value.power(3) == value.mul(value.mul(value))
