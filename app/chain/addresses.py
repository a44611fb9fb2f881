"""Reading addresses out of messages: bech32 text → bytes, or the SDK's invalid-address error."""

from __future__ import annotations

from functools import lru_cache

from app.chain.errors import ErrInvalidAddress
from app.types.address import AccAddress, acc_address_from_bech32, acc_to_bech32
from app.types.errors import AddressError

__all__ = ["format_acc_address", "parse_acc_address"]


@lru_cache(maxsize=65536)
def _decode(text: str) -> AccAddress:
    # Decoding bech32 in Python costs more than the rest of a send's checks; addresses repeat.
    return acc_address_from_bech32(text)


def parse_acc_address(text: str, field: str) -> AccAddress:
    """The account address in `text`, for message field `field` (named in the error).

    Raises:
        ChainError: sdk 7 "invalid <field> address: <reason>".
    """
    try:
        return _decode(text)
    except AddressError as exc:
        raise ErrInvalidAddress.wrap(f"invalid {field} address: {exc}") from None


@lru_cache(maxsize=65536)
def format_acc_address(address: bytes) -> str:
    """The bech32 text of an account address (cached: events name the same accounts often)."""
    return acc_to_bech32(address)
