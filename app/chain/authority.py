"""The check every governance-gated message makes first: is the signer the authority?"""

from __future__ import annotations

from app.chain.errors import ErrUnauthorized
from app.types.address import AccAddress, acc_to_bech32

__all__ = ["check_authority"]


def check_authority(authority: AccAddress, claimed: str) -> None:
    """Raise unless `claimed` (a message's ``authority`` field) is the bech32 of `authority`.

    Raises:
        ChainError: sdk 4 "invalid authority; expected X, got Y".
    """
    expected = acc_to_bech32(authority)
    if claimed != expected:
        raise ErrUnauthorized.wrap(f"invalid authority; expected {expected}, got {claimed}")
