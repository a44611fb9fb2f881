"""Reading addresses out of messages: bech32 text → bytes, or the SDK's invalid-address error."""

from __future__ import annotations

from functools import lru_cache

from app.chain.errors import ErrInvalidAddress
from app.types.address import AccAddress, acc_address_from_bech32, acc_to_bech32, account_prefix
from app.types.errors import AddressError

__all__ = ["format_acc_address", "parse_acc_address"]


@lru_cache(maxsize=65536)
def _decode(text: str, prefix: str) -> AccAddress:
    # Decoding bech32 in Python costs more than the rest of a send's checks; addresses repeat.
    return acc_address_from_bech32(text, prefix)


def parse_acc_address(text: str, field: str) -> AccAddress:
    """The account address in `text`, for message field `field` (named in the error).

    Raises:
        ChainError: sdk 7 "invalid <field> address: <reason>".
    """
    try:
        return _decode(text, account_prefix())
    except AddressError as exc:
        raise ErrInvalidAddress.wrap(f"invalid {field} address: {exc}") from None


def format_acc_address(address: bytes) -> str:
    """The bech32 text of an account address under the configured prefix."""
    return _encode(address, account_prefix())


@lru_cache(maxsize=65536)
def _encode(address: bytes, prefix: str) -> str:
    # Cached: events name the same accounts often.
    return acc_to_bech32(address, prefix)
