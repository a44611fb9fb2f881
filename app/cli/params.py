"""Checking command arguments: addresses and amounts.

Bad values raise `ValueError`s with one-line messages naming the argument, so they end as
"Error: ..." with exit code 1, as every client error does (click keeps exit code 2 for usage
errors such as a missing argument).
"""

from __future__ import annotations

from app.types import Coins, acc_address_from_bech32

__all__ = ["parse_account_address", "parse_amount"]


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
