"""Checking command arguments: addresses, amounts and decimals.

Bad values raise `ValueError`s with one-line messages naming the argument, so they end as
"Error: ..." with exit code 1, as every client error does (click keeps exit code 2 for usage
errors such as a missing argument).
"""

from __future__ import annotations

from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.types import Coin, Coins, Dec, acc_address_from_bech32, val_address_from_bech32

__all__ = [
    "parse_account_address",
    "parse_amount",
    "parse_coin",
    "parse_dec",
    "parse_validator_address",
]


def parse_account_address(text: str, what: str = "address") -> str:
    """`text` if it is a `persistence1…` account address.

    Raises:
        ValueError: "invalid <what> <text>: <reason>".
    """
    try:
        acc_address_from_bech32(text)
    except ValueError as error:
        raise ValueError(f"invalid {what} {text!r}: {error}") from None
    return text


def parse_validator_address(text: str, what: str = "validator") -> str:
    """`text` if it is a `persistencevaloper1…` operator address.

    Raises:
        ValueError: "invalid <what> <text>: <reason>".
    """
    try:
        val_address_from_bech32(text)
    except ValueError as error:
        raise ValueError(f"invalid {what} {text!r}: {error}") from None
    return text


def parse_coin(text: str, what: str = "amount") -> coin_pb2.Coin:
    """One coin such as "1000uxprt" or "5ibc/…", as the protobuf `Coin` messages carry it.

    Raises:
        ValueError: "invalid <what> <text>: <reason>".
    """
    try:
        coin = Coin.parse(text)
    except ValueError as error:
        raise ValueError(f"invalid {what} {text!r}: {error}") from None
    return coin_pb2.Coin(denom=coin.denom, amount=str(coin.amount))


def parse_dec(text: str, what: str) -> Dec:
    """A decimal such as "0.05" (at most 18 decimals).

    Raises:
        ValueError: "invalid <what> <text>: <reason>".
    """
    try:
        return Dec.from_str(text)
    except ValueError as error:
        raise ValueError(f"invalid {what} {text!r}: {error}") from None


def parse_amount(text: str, what: str = "amount") -> Coins:
    """Non-empty coins from "1000uxprt,5stake" (zero amounts are dropped, as `Coins.parse` does).

    Raises:
        ValueError: the text is not a coin list, or no coin is left.
    """
    try:
        coins = Coins.parse(text)
    except ValueError as error:
        raise ValueError(f"invalid {what} {text!r}: {error}") from None
    if not coins:
        raise ValueError(f"invalid {what} {text!r}: must be a positive amount such as 1000uxprt")
    return coins
