"""Coin, Coins, DecCoin, DecCoins: canonical sets with the SDK's operations."""

import copy
import hashlib
import pickle
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.types import (
    Coin,
    Coins,
    Dec,
    DecCoin,
    DecCoins,
    Int,
    IntOverflowError,
    InvalidCoinsError,
    InvalidDenomError,
    NegativeCoinsError,
    validate_denom,
)

IBC_ATOM = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"


def coins(text: str) -> Coins:
    return Coins.parse(text)


def dec_coins(text: str) -> DecCoins:
    return DecCoins.parse(text)


# ---- denoms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "denom",
    ["uxprt", "abc", "stk/uatom", IBC_ATOM, "factory/persistence1xyz/x", "a:b", "A.b_c-d",
     "a" * 128],
)  # fmt: skip
def test_valid_denoms(denom: str) -> None:
    validate_denom(denom)


@pytest.mark.parametrize(
    "denom", ["", "ab", "1abc", "/abc", "a bc", "abc!", "a" * 129, "ébc", "abc\n"]
)
def test_invalid_denoms(denom: str) -> None:
    with pytest.raises(InvalidDenomError):
        validate_denom(denom)


def test_ibc_denom_of_the_devnet_matches_its_hash() -> None:
    digest = hashlib.sha256(b"transfer/channel-0/uatom").hexdigest().upper()
    assert f"ibc/{digest}" == IBC_ATOM
    validate_denom(IBC_ATOM)


# ---- Coin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "denom", "amount"),
    [
        ("100uxprt", "uxprt", 100),
        ("0uxprt", "uxprt", 0),
        (" 7 uxprt ", "uxprt", 7),
        (f"5{IBC_ATOM}", IBC_ATOM, 5),
        ("12stk/uatom", "stk/uatom", 12),
    ],
)
def test_coin_parse(text: str, denom: str, amount: int) -> None:
    assert Coin.parse(text) == Coin(denom, Int(amount))


@pytest.mark.parametrize("text", ["", "uxprt", "100", "-1uxprt", "1.5uxprt", "1ab", "1 u xprt"])
def test_coin_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidCoinsError):
        Coin.parse(text)


def test_coin_parse_overflow() -> None:
    with pytest.raises(IntOverflowError):
        Coin.parse(f"{2**256}uxprt")


def test_coin_str_and_validate() -> None:
    coin = Coin("uxprt", Int(100))
    assert str(coin) == "100uxprt"
    coin.validate()
    Coin("uxprt", Int(0)).validate()
    with pytest.raises(InvalidCoinsError, match="negative"):
        Coin("uxprt", Int(-1)).validate()
    with pytest.raises(InvalidCoinsError, match="denom"):
        Coin("x", Int(1)).validate()


def test_coin_is_frozen() -> None:
    coin = Coin("uxprt", Int(1))
    with pytest.raises(AttributeError):
        coin.denom = "other"  # type: ignore[misc]


# ---- Coins construction ------------------------------------------------------------------------


def test_from_iterable_sorts_and_drops_zeros() -> None:
    built = Coins.from_iterable([Coin("ccc", Int(3)), Coin("aaa", Int(1)), Coin("bbb", Int(0))])
    assert list(built) == [Coin("aaa", Int(1)), Coin("ccc", Int(3))]
    assert str(built) == "1aaa,3ccc"
    assert built.denoms() == ("aaa", "ccc")
    assert len(built) == 2 and bool(built)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([Coin("aaa", Int(1)), Coin("aaa", Int(2))], "duplicate"),
        ([Coin("aaa", Int(-1))], "not positive"),
        ([Coin("a!a", Int(1))], "denom"),
    ],
)
def test_from_iterable_rejects(items: list[Coin], message: str) -> None:
    with pytest.raises(InvalidCoinsError, match=message):
        Coins.from_iterable(items)


def test_parse() -> None:
    assert coins("2bbb,1aaa") == Coins.from_iterable([Coin("aaa", Int(1)), Coin("bbb", Int(2))])
    assert coins("") == Coins() == Coins.from_iterable([])
    assert str(coins("")) == ""
    assert not coins("")
    assert coins("0aaa") == Coins()
    with pytest.raises(InvalidCoinsError):
        coins("1aaa,,2bbb")
    with pytest.raises(InvalidCoinsError):
        coins("1aaa,2aaa")


@dataclass
class WireCoin:
    denom: str
    amount: str


def test_from_proto_keeps_order_and_validates() -> None:
    decoded = Coins.from_proto([WireCoin("aaa", "1"), WireCoin("bbb", "2")])
    assert decoded == coins("1aaa,2bbb")
    cases = [
        ([WireCoin("bbb", "1"), WireCoin("aaa", "2")], "not sorted"),
        ([WireCoin("aaa", "1"), WireCoin("aaa", "2")], "duplicate"),
        ([WireCoin("aaa", "0")], "not positive"),
        ([WireCoin("aaa", "")], "not positive"),
        ([WireCoin("aaa", "-3")], "not positive"),
        ([WireCoin("a", "3")], "denom"),
        ([WireCoin("aaa", "1.5")], "amount"),
    ]
    for items, message in cases:
        with pytest.raises(InvalidCoinsError, match=message):
            Coins.from_proto(items)


def test_dec_coins_from_proto_reads_scaled_integers() -> None:
    decoded = DecCoins.from_proto([WireCoin("aaa", "1500000000000000000")])
    assert decoded == dec_coins("1.5aaa")


# ---- Coins arithmetic --------------------------------------------------------------------------


def test_add_merges() -> None:
    assert coins("1aaa,2bbb") + coins("3bbb,4ccc") == coins("1aaa,5bbb,4ccc")
    assert coins("1aaa") + Coins() == coins("1aaa")


def test_sub() -> None:
    assert coins("5aaa,2bbb") - coins("2aaa,2bbb") == coins("3aaa")
    with pytest.raises(NegativeCoinsError):
        coins("1aaa") - coins("2aaa")
    with pytest.raises(NegativeCoinsError):
        coins("1aaa") - coins("1bbb")


def test_safe_sub_reports_negative_results() -> None:
    difference, negative = coins("1aaa,5bbb").safe_sub(coins("2aaa"))
    assert negative
    assert difference.amount_of("aaa") == Int(-1)
    assert difference.is_any_negative()
    with pytest.raises(InvalidCoinsError):
        difference.validate()
    assert coins("3aaa").safe_sub(coins("1aaa")) == (coins("2aaa"), False)


def test_queries() -> None:
    held = coins("1aaa,5bbb")
    assert held.amount_of("bbb") == Int(5)
    assert held.amount_of("zzz") == Int(0)
    assert held.amount_of("aab") == Int(0)
    assert held.is_all_gte(coins("1aaa"))
    assert held.is_all_gte(Coins())
    assert not held.is_all_gte(coins("2aaa"))
    assert not held.is_all_gte(coins("1ccc"))
    assert not Coins().is_all_gte(coins("1aaa"))
    assert Coins().is_zero() and not held.is_zero()


def test_equality_hash_and_copy() -> None:
    held = coins("1aaa,5bbb")
    assert held == coins("5bbb,1aaa")
    assert held != coins("1aaa")
    assert (held == dec_coins("1aaa,5bbb")) is False
    assert hash(held) == hash(coins("5bbb,1aaa"))
    assert copy.deepcopy(held) == held
    assert pickle.loads(pickle.dumps(held)) == held
    with pytest.raises(AttributeError):
        held._coins = ()
    with pytest.raises(TypeError):
        held + dec_coins("1aaa")  # type: ignore[operator]


denoms = st.sampled_from(["aaa", "bbb", "ccc", "uxprt", IBC_ATOM])
amounts = st.integers(min_value=0, max_value=2**200)
coin_sets = st.dictionaries(denoms, amounts).map(
    lambda d: Coins.from_iterable(Coin(k, Int(v)) for k, v in d.items())
)


@given(coin_sets, coin_sets)
def test_add_then_sub_is_identity(a: Coins, b: Coins) -> None:
    assert a + b - b == a
    assert a + b == b + a
    (a + b).validate()
    assert (a + b).is_all_gte(a)


@given(coin_sets, coin_sets)
def test_safe_sub_flag_matches_is_all_gte(a: Coins, b: Coins) -> None:
    _, negative = a.safe_sub(b)
    assert negative == (not a.is_all_gte(b))


@given(coin_sets)
def test_coins_string_round_trip(a: Coins) -> None:
    assert Coins.parse(str(a)) == a


# ---- DecCoins --------------------------------------------------------------------------------


def test_dec_coin_forms() -> None:
    coin = DecCoin.parse("1.5uxprt")
    assert coin == DecCoin("uxprt", Dec.from_str("1.5"))
    assert str(coin) == "1.500000000000000000uxprt"
    assert DecCoin.parse("2 uxprt").amount == Dec.from_int(2)
    for junk in ("1.uxprt", ".5uxprt", "-1uxprt", "1.0000000000000000001uxprt", "1"):
        with pytest.raises(InvalidCoinsError):
            DecCoin.parse(junk)
    assert DecCoin.from_coin(Coin("uxprt", Int(3))) == DecCoin("uxprt", Dec.from_int(3))


def test_dec_coins_construction_and_str() -> None:
    built = dec_coins("2bbb,1.5aaa,0ccc")
    assert str(built) == "1.500000000000000000aaa,2.000000000000000000bbb"
    assert dec_coins("") == DecCoins()
    assert DecCoins.from_coins(coins("1aaa,2bbb")) == dec_coins("1aaa,2bbb")
    with pytest.raises(InvalidCoinsError):
        dec_coins("1aaa,1aaa")


def test_dec_coins_add_sub() -> None:
    assert dec_coins("1.5aaa") + dec_coins("0.5aaa,1bbb") == dec_coins("2aaa,1bbb")
    assert dec_coins("1.5aaa,1bbb") - dec_coins("1.5aaa") == dec_coins("1bbb")
    with pytest.raises(NegativeCoinsError):
        dec_coins("1aaa") - dec_coins("1.000000000000000001aaa")
    difference, negative = dec_coins("1aaa").safe_sub(dec_coins("2aaa"))
    assert negative and difference.amount_of("aaa") == Dec.from_int(-1)


def test_dec_coins_scaling() -> None:
    third = Dec.from_int(1).quo(Dec.from_int(3))
    held = dec_coins("1aaa,0.000000000000000001bbb")
    assert held.mul_dec(third) == dec_coins("0.333333333333333333aaa")
    assert held.mul_dec(Dec.from_str("0.5")) == dec_coins("0.5aaa")  # 0.5e-18 rounds to even 0
    assert held.mul_dec(Dec.from_str("1.5")) == dec_coins("1.5aaa,0.000000000000000002bbb")
    assert held.mul_dec_truncate(Dec.from_str("1.5")) == dec_coins("1.5aaa,0.000000000000000001bbb")
    assert dec_coins("2aaa").quo_dec(Dec.from_int(3)) == dec_coins("0.666666666666666667aaa")
    assert dec_coins("2aaa").quo_dec_truncate(Dec.from_int(3)) == dec_coins(
        "0.666666666666666666aaa"
    )
    assert held.mul_dec(Dec.zero()) == DecCoins()
    with pytest.raises(ZeroDivisionError):
        held.quo_dec(Dec.zero())
    with pytest.raises(ZeroDivisionError):
        held.quo_dec_truncate(Dec.zero())


def test_truncate_decimal() -> None:
    whole, change = dec_coins("1.5aaa,2bbb,0.25ccc").truncate_decimal()
    assert whole == coins("1aaa,2bbb")
    assert change == dec_coins("0.5aaa,0.25ccc")


def test_intersect_and_queries() -> None:
    mine = dec_coins("1aaa,5bbb,2ccc")
    assert mine.intersect(dec_coins("3aaa,1bbb")) == dec_coins("1aaa,1bbb")
    assert mine.amount_of("bbb") == Dec.from_int(5)
    assert mine.amount_of("zzz") == Dec.zero()
    assert mine.is_all_gte(dec_coins("1aaa,5bbb"))
    assert not mine.is_all_gte(dec_coins("1.000000000000000001aaa"))
    assert DecCoins().is_zero()


def test_subtract_with_rounding_vectors_typ1() -> None:
    """TYP-1 (SubtractDecCoinsWithRounding) expressed with these operations."""
    start = dec_coins("1000aaa,1000bbb,1000ccc")

    def subtract_with_rounding(d1: DecCoins, d2: DecCoins) -> DecCoins:
        clamped = []
        for coin in d2:
            held = d1.amount_of(coin.denom)
            excess = coin.amount - held
            take = held if excess.is_positive() and excess < Dec.one() else coin.amount
            clamped.append(DecCoin(coin.denom, take))
        return d1 - DecCoins.from_iterable(clamped)

    assert subtract_with_rounding(start, dec_coins("400aaa,1000bbb")) == dec_coins("600aaa,1000ccc")
    assert subtract_with_rounding(start, dec_coins("400aaa,1000.90bbb")) == dec_coins(
        "600aaa,1000ccc"
    )
    with pytest.raises(NegativeCoinsError):
        subtract_with_rounding(start, dec_coins("400aaa,1010.10bbb"))


dec_amounts = st.integers(min_value=0, max_value=10**40).map(Dec.from_scaled)
dec_coin_sets = st.dictionaries(denoms, dec_amounts).map(
    lambda d: DecCoins.from_iterable(DecCoin(k, v) for k, v in d.items())
)


@given(dec_coin_sets, dec_coin_sets)
def test_dec_coins_add_then_sub(a: DecCoins, b: DecCoins) -> None:
    assert a + b - b == a


@given(dec_coin_sets)
def test_dec_coins_round_trips(a: DecCoins) -> None:
    assert DecCoins.parse(str(a)) == a
    whole, change = a.truncate_decimal()
    assert DecCoins.from_coins(whole) + change == a
