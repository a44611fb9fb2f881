"""Slashing events, exactly as the SDK emits them (``x/slashing/types/events.go``)."""

from __future__ import annotations

from app.chain.events import Event
from app.types.int import Int

REASON_DOUBLE_SIGN = "double_sign"
REASON_MISSING_SIGNATURE = "missing_signature"


def liveness_event(cons_address: str, missed_blocks: int, height: int) -> Event:
    """A validator missed the previous block (``HandleValidatorSignature``)."""
    return Event(
        "liveness",
        (("address", cons_address), ("missed_blocks", str(missed_blocks)), ("height", str(height))),
    )


def downtime_slash_event(cons_address: str, power: int, burned: Int) -> Event:
    """A validator is slashed and jailed for downtime: one event names both."""
    return Event(
        "slash",
        (
            ("address", cons_address),
            ("power", str(power)),
            ("reason", REASON_MISSING_SIGNATURE),
            ("jailed", cons_address),
            ("burned", str(burned)),
        ),
    )


def slash_event(cons_address: str, power: int, reason: str, burned: Int) -> Event:
    """A validator is slashed through the keeper (``SlashWithInfractionReason``)."""
    return Event(
        "slash",
        (
            ("address", cons_address),
            ("power", str(power)),
            ("reason", reason),
            ("burned", str(burned)),
        ),
    )


def jail_event(cons_address: str) -> Event:
    """A validator is jailed through the keeper (``Jail``)."""
    return Event("slash", (("jailed", cons_address),))
