"""Mint events, exactly as the SDK emits them (``x/mint/types/events.go``)."""

from __future__ import annotations

from app.chain.events import Event
from app.types.dec import Dec
from app.types.int import Int


def mint_event(bonded_ratio: Dec, inflation: Dec, annual_provisions: Dec, amount: Int) -> Event:
    """One block's minting: the ratio and rate it used and the amount minted."""
    return Event(
        "mint",
        (
            ("bonded_ratio", str(bonded_ratio)),
            ("inflation", str(inflation)),
            ("annual_provisions", str(annual_provisions)),
            ("amount", str(amount)),
        ),
    )
