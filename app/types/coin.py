"""Coins: `Coin`/`Coins` (integer amounts) and `DecCoin`/`DecCoins` (18-decimal amounts).

The coin sets follow cosmos-sdk `types/coin.go` and `types/dec_coin.go` (v0.50):
a set is canonical when it is sorted by denom, has no duplicate denom and no zero amount.
Building a set (`from_iterable`, `parse`) sorts, drops zeros and rejects duplicates, like
`NewCoins`; arithmetic keeps the set canonical and drops the zeros it creates. The one exception
is `safe_sub`, which (as in the SDK) returns the difference even when some amounts are negative,
together with a flag saying so.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, Protocol, Self, TypeVar, cast

from app.types.dec import Dec
from app.types.errors import InvalidCoinsError, InvalidDenomError, NegativeCoinsError
from app.types.int import Int

_DENOM = r"[a-zA-Z][a-zA-Z0-9/:._-]{2,127}"
_DENOM_RE = re.compile(_DENOM)
_COIN_RE = re.compile(rf"([0-9]+)\s*({_DENOM})")
_DEC_COIN_RE = re.compile(rf"([0-9]+(?:\.[0-9]+)?)\s*({_DENOM})")


def validate_denom(denom: str) -> None:
    """Checks a denom against the SDK rule `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`.

    Raises `InvalidDenomError` naming the denom.
    """
    if _DENOM_RE.fullmatch(denom) is None:
        raise InvalidDenomError(f"invalid denom: {denom!r}")


class ProtoCoin(Protocol):
    """What a decoded `cosmos.base.v1beta1.Coin` or `DecCoin` offers: wire-form strings."""

    @property
    def denom(self) -> str: ...

    @property
    def amount(self) -> str: ...


def _checked_denom(denom: str) -> str:
    try:
        validate_denom(denom)
    except InvalidDenomError as error:
        raise InvalidCoinsError(str(error)) from error
    return denom


@dataclass(frozen=True, slots=True)
class Coin:
    """An integer amount of one denom, e.g. `Coin("uxprt", Int(100))` printed "100uxprt"."""

    denom: str
    amount: Int

    @classmethod
    def parse(cls, text: str) -> Coin:
        """Parses "100uxprt" (also "100 uxprt", "5ibc/27394F..."); amounts are whole numbers.

        Raises `InvalidCoinsError` when the text is not an amount followed by a valid denom.
        """
        match = _COIN_RE.fullmatch(text.strip())
        if match is None:
            raise InvalidCoinsError(f"invalid coin expression: {text!r}")
        return cls(match.group(2), Int.from_str(match.group(1)))

    @classmethod
    def from_proto(cls, pb: ProtoCoin) -> Coin:
        """Reads a decoded protobuf Coin (amount is `math.Int` text) without validating it."""
        try:
            amount = Int.from_proto_str(pb.amount)
        except ValueError as error:
            raise InvalidCoinsError(f"invalid coin amount {pb.amount!r}: {error}") from error
        return cls(pb.denom, amount)

    def validate(self) -> None:
        """Checks the denom and that the amount is not negative (`Coin.Validate`).

        Raises `InvalidCoinsError`.
        """
        _checked_denom(self.denom)
        if self.amount.is_negative():
            raise InvalidCoinsError(f"negative coin amount: {self}")

    def __str__(self) -> str:
        return f"{self.amount}{self.denom}"


@dataclass(frozen=True, slots=True)
class DecCoin:
    """A decimal amount of one denom, printed "1.500000000000000000uxprt"."""

    denom: str
    amount: Dec

    @classmethod
    def parse(cls, text: str) -> DecCoin:
        """Parses "1.5uxprt" or "2uxprt" (at most 18 decimals).

        Raises `InvalidCoinsError` when the text is not a decimal followed by a valid denom.
        """
        match = _DEC_COIN_RE.fullmatch(text.strip())
        if match is None:
            raise InvalidCoinsError(f"invalid decimal coin expression: {text!r}")
        try:
            amount = Dec.from_str(match.group(1))
        except ValueError as error:
            raise InvalidCoinsError(f"invalid decimal coin expression: {text!r}") from error
        return cls(match.group(2), amount)

    @classmethod
    def from_proto(cls, pb: ProtoCoin) -> DecCoin:
        """Reads a decoded protobuf DecCoin (amount is the scaled integer's text)."""
        try:
            amount = Dec.from_proto_str(pb.amount)
        except ValueError as error:
            raise InvalidCoinsError(f"invalid coin amount {pb.amount!r}: {error}") from error
        return cls(pb.denom, amount)

    @classmethod
    def from_coin(cls, coin: Coin) -> DecCoin:
        """The same amount as a decimal (`NewDecCoinFromCoin`)."""
        return cls(coin.denom, Dec.from_int(coin.amount))

    def __str__(self) -> str:
        return f"{self.amount}{self.denom}"


class _Amount(Protocol):
    """The arithmetic that `Int` and `Dec` share, all a coin set needs from an amount."""

    def __add__(self, other: Self, /) -> Self: ...
    def __sub__(self, other: Self, /) -> Self: ...
    def __neg__(self) -> Self: ...
    def __lt__(self, other: Self, /) -> bool: ...
    def __gt__(self, other: Self, /) -> bool: ...
    def is_zero(self) -> bool: ...
    def is_positive(self) -> bool: ...
    def is_negative(self) -> bool: ...


class _AnyCoin(Protocol):
    @property
    def denom(self) -> str: ...

    @property
    def amount(self) -> Any: ...


CoinT = TypeVar("CoinT", bound=_AnyCoin)
AmountT = TypeVar("AmountT", bound=_Amount)
_set_slot = object.__setattr__


class _CoinSet(Generic[CoinT, AmountT]):
    """A sorted tuple of coins with distinct denoms: the logic `Coins` and `DecCoins` share."""

    __slots__ = ("_coins",)
    _coins: tuple[CoinT, ...]

    # ---- what each concrete set supplies -----------------------------------------------------

    @staticmethod
    def _coin(denom: str, amount: AmountT) -> CoinT:
        raise NotImplementedError

    @staticmethod
    def _parse_coin(text: str) -> CoinT:
        raise NotImplementedError

    @staticmethod
    def _zero() -> AmountT:
        raise NotImplementedError

    @staticmethod
    def _from_proto_coin(item: ProtoCoin) -> CoinT:
        raise NotImplementedError

    # ---- construction ------------------------------------------------------------------------

    def __init__(self, coins: Iterable[CoinT] = ()) -> None:
        """Same as `from_iterable`."""
        positive = [coin for coin in coins if not coin.amount.is_zero()]
        positive.sort(key=_denom_of)
        _set_slot(self, "_coins", tuple(positive))
        self.validate()

    @classmethod
    def from_iterable(cls, coins: Iterable[CoinT]) -> Self:
        """Sorts by denom and drops zero amounts, then validates (`NewCoins`, `NewDecCoins`).

        Raises `InvalidCoinsError` on a duplicate denom, a negative amount or a bad denom.
        """
        return cls(coins)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parses a comma-separated list ("1a,2b"; "" is empty), then builds as `from_iterable`."""
        if text.strip() == "":
            return cls._trusted(())
        return cls(cls._parse_coin(part) for part in text.split(","))

    @classmethod
    def from_proto(cls, items: Iterable[ProtoCoin]) -> Self:
        """Reads decoded protobuf coins as they are, then `validate()`s them.

        Unlike `from_iterable` nothing is sorted or dropped: a sender's unsorted, duplicated or
        zero coins are an error, as the SDK's `Coins.Validate` makes them.
        """
        result = cls._trusted(tuple(cls._from_proto_coin(item) for item in items))
        result.validate()
        return result

    @classmethod
    def _trusted(cls, coins: tuple[CoinT, ...]) -> Self:
        """Wraps coins already known to be sorted and unique (results of the set operations)."""
        result = object.__new__(cls)
        _set_slot(result, "_coins", coins)
        return result

    def validate(self) -> None:
        """Checks the set is canonical: valid denoms, positive amounts, strictly sorted denoms.

        Raises `InvalidCoinsError` naming the first offending coin (`Coins.Validate`).
        """
        previous = ""
        for coin in self._coins:
            _checked_denom(coin.denom)
            if coin.denom == previous:
                raise InvalidCoinsError(f"duplicate denomination {coin.denom}")
            if coin.denom < previous:
                raise InvalidCoinsError(f"denomination {coin.denom} is not sorted")
            if not coin.amount.is_positive():
                raise InvalidCoinsError(f"coin {coin} amount is not positive")
            previous = coin.denom

    # ---- immutability and container protocol ------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[Any, tuple[tuple[CoinT, ...]]]:
        return (type(self)._trusted, (self._coins,))

    def __iter__(self) -> Iterator[CoinT]:
        return iter(self._coins)

    def __len__(self) -> int:
        return len(self._coins)

    def __bool__(self) -> bool:
        return bool(self._coins)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._coins == other._coins

    def __hash__(self) -> int:
        return hash(self._coins)

    def __str__(self) -> str:
        return ",".join(str(coin) for coin in self._coins)

    def __repr__(self) -> str:
        return f"{type(self).__name__}.parse('{self}')"

    def denoms(self) -> tuple[str, ...]:
        """The denoms in sorted order."""
        return tuple(coin.denom for coin in self._coins)

    # ---- queries -----------------------------------------------------------------------------

    def amount_of(self, denom: str) -> AmountT:
        """The amount of `denom`, zero when absent (`AmountOf`)."""
        index = bisect_left(self._coins, denom, key=_denom_of)
        if index < len(self._coins) and self._coins[index].denom == denom:
            return cast(AmountT, self._coins[index].amount)
        return self._zero()

    def is_zero(self) -> bool:
        """True when every amount is zero, so also for the empty set (`IsZero`)."""
        return all(coin.amount.is_zero() for coin in self._coins)

    def is_any_negative(self) -> bool:
        """True when some amount is negative (only possible in a `safe_sub` result)."""
        return any(coin.amount.is_negative() for coin in self._coins)

    def is_all_gte(self, other: Self) -> bool:
        """True when self holds at least other's amount of every denom of other (`IsAllGTE`)."""
        return all(not coin.amount > self.amount_of(coin.denom) for coin in other)

    # ---- arithmetic --------------------------------------------------------------------------

    def _merge(self, other: Self, *, subtract: bool) -> Self:
        """self + other (or self - other) by a sorted merge, dropping zero results (`safeAdd`)."""
        merged: list[CoinT] = []
        mine, theirs = self._coins, other._coins
        i = j = 0
        while i < len(mine) or j < len(theirs):
            if j == len(theirs) or (i < len(mine) and mine[i].denom < theirs[j].denom):
                merged.append(mine[i])
                i += 1
                continue
            their_amount: AmountT = theirs[j].amount
            if subtract:
                their_amount = -their_amount
            if i == len(mine) or theirs[j].denom < mine[i].denom:
                merged.append(self._coin(theirs[j].denom, their_amount))
                j += 1
                continue
            total: AmountT = mine[i].amount + their_amount
            if not total.is_zero():
                merged.append(self._coin(mine[i].denom, total))
            i += 1
            j += 1
        return self._trusted(tuple(merged))

    def __add__(self, other: Self) -> Self:
        """The sum per denom (`Add`)."""
        if type(other) is not type(self):
            return NotImplemented
        return self._merge(other, subtract=False)

    def safe_sub(self, other: Self) -> tuple[Self, bool]:
        """The difference per denom and whether any of it is negative (`SafeSub`).

        When the flag is True the returned set holds the negative amounts: use it for messages
        only, never as a balance.
        """
        difference = self._merge(other, subtract=True)
        return difference, difference.is_any_negative()

    def __sub__(self, other: Self) -> Self:
        """The difference per denom (`Sub`); raises `NegativeCoinsError` if any is negative."""
        if type(other) is not type(self):
            return NotImplemented
        difference, negative = self.safe_sub(other)
        if negative:
            raise NegativeCoinsError(f"negative coin amount: {self} - {other} = {difference}")
        return difference


def _denom_of(coin: _AnyCoin) -> str:
    return coin.denom


class Coins(_CoinSet[Coin, Int]):
    """A canonical set of integer coins (cosmos-sdk `sdk.Coins`)."""

    __slots__ = ()

    @staticmethod
    def _coin(denom: str, amount: Int) -> Coin:
        return Coin(denom, amount)

    @staticmethod
    def _parse_coin(text: str) -> Coin:
        return Coin.parse(text)

    @staticmethod
    def _zero() -> Int:
        return Int.zero()

    @staticmethod
    def _from_proto_coin(item: ProtoCoin) -> Coin:
        return Coin.from_proto(item)


class DecCoins(_CoinSet[DecCoin, Dec]):
    """A canonical set of decimal coins (cosmos-sdk `sdk.DecCoins`)."""

    __slots__ = ()

    @staticmethod
    def _coin(denom: str, amount: Dec) -> DecCoin:
        return DecCoin(denom, amount)

    @staticmethod
    def _parse_coin(text: str) -> DecCoin:
        return DecCoin.parse(text)

    @staticmethod
    def _zero() -> Dec:
        return Dec.zero()

    @staticmethod
    def _from_proto_coin(item: ProtoCoin) -> DecCoin:
        return DecCoin.from_proto(item)

    @classmethod
    def from_coins(cls, coins: Coins) -> DecCoins:
        """The same coins with decimal amounts (`NewDecCoinsFromCoins`)."""
        return cls._trusted(tuple(DecCoin.from_coin(coin) for coin in coins))

    def _scaled(self, scale: Callable[[Dec], Dec]) -> DecCoins:
        """Applies `scale` to every amount, dropping the amounts that become zero."""
        scaled = (DecCoin(coin.denom, scale(coin.amount)) for coin in self._coins)
        return self._trusted(tuple(coin for coin in scaled if not coin.amount.is_zero()))

    def mul_dec(self, d: Dec) -> DecCoins:
        """Every amount times d, rounded half to even (`DecCoins.MulDec`)."""
        return self._scaled(lambda amount: amount.mul(d))

    def mul_dec_truncate(self, d: Dec) -> DecCoins:
        """Every amount times d, truncated toward zero (`DecCoins.MulDecTruncate`)."""
        return self._scaled(lambda amount: amount.mul_truncate(d))

    def quo_dec(self, d: Dec) -> DecCoins:
        """Every amount divided by d with `Dec.quo` rounding (`DecCoins.QuoDec`).

        Raises `ZeroDivisionError` when d is zero (Go panics "invalid zero decimal").
        """
        if d.is_zero():
            raise ZeroDivisionError("DecCoins divided by a zero decimal")
        return self._scaled(lambda amount: amount.quo(d))

    def quo_dec_truncate(self, d: Dec) -> DecCoins:
        """Every amount divided by d, truncated toward zero (`DecCoins.QuoDecTruncate`)."""
        if d.is_zero():
            raise ZeroDivisionError("DecCoins divided by a zero decimal")
        return self._scaled(lambda amount: amount.quo_truncate(d))

    def truncate_decimal(self) -> tuple[Coins, DecCoins]:
        """Splits into whole coins and the fractional change (`DecCoins.TruncateDecimal`).

        For each amount a: whole = TruncateInt(a), change = a - whole; zero parts are dropped.
        """
        whole: list[Coin] = []
        change: list[DecCoin] = []
        for coin in self._coins:
            truncated = coin.amount.truncate_int()
            remainder = coin.amount - Dec.from_int(truncated)
            if not truncated.is_zero():
                whole.append(Coin(coin.denom, truncated))
            if not remainder.is_zero():
                change.append(DecCoin(coin.denom, remainder))
        return Coins._trusted(tuple(whole)), DecCoins._trusted(tuple(change))

    def intersect(self, other: DecCoins) -> DecCoins:
        """Per denom of self, the smaller of the two amounts; zeros dropped (`Intersect`)."""
        least = (DecCoin(c.denom, c.amount.min(other.amount_of(c.denom))) for c in self._coins)
        return self._trusted(tuple(coin for coin in least if not coin.amount.is_zero()))
