"""Coins across the protobuf boundary: decoded ``cosmos.base.v1beta1.Coin``s ↔ `Coins`."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from app.chain.errors import ErrInvalidCoins
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.types.coin import Coin, Coins, ProtoCoin
from app.types.errors import TypesError

__all__ = ["coin_to_proto", "coins_to_proto", "parse_coins", "parse_positive_coins"]


def coin_to_proto(coin: Coin) -> coin_pb2.Coin:
    """The protobuf ``Coin``: amount as decimal text."""
    return coin_pb2.Coin(denom=coin.denom, amount=str(coin.amount))


def coins_to_proto(coins: Iterable[Coin]) -> list[coin_pb2.Coin]:
    """Protobuf ``Coin``s in the given (canonical) order."""
    return [coin_to_proto(coin) for coin in coins]


def parse_coins(items: Iterable[ProtoCoin]) -> Coins:
    """Canonical coins from a message as sent (sorted, unique, positive, valid denoms).

    Raises:
        ChainError: sdk 10 naming the fault (bad denom, not sorted, zero, negative, overflow).
    """
    return _parse_coin_pairs(tuple((item.denom, item.amount) for item in items))


@lru_cache(maxsize=4096)
def _parse_coin_pairs(pairs: tuple[tuple[str, str], ...]) -> Coins:
    # Fees and amounts repeat across txs, and validating a coin costs more than the rest of a
    # send's decoding; `Coins` is immutable, so sharing a parsed value is safe.
    try:
        return Coins.from_proto(coin_pb2.Coin(denom=d, amount=a) for d, a in pairs)
    except TypesError as exc:
        raise ErrInvalidCoins.wrap(str(exc)) from None


def parse_positive_coins(items: Iterable[ProtoCoin]) -> Coins:
    """As `parse_coins`, and at least one coin (``IsAllPositive`` is false for the empty set)."""
    coins = parse_coins(items)
    if not coins:
        raise ErrInvalidCoins.wrap("no coins: amount must be positive")
    return coins
