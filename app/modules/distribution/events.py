"""Distribution events, exactly as the SDK emits them (``x/distribution/types/events.go``)."""

from __future__ import annotations

from app.chain.events import Event
from app.types.coin import Coins, DecCoins


def commission_event(amount: DecCoins, validator: str) -> Event:
    """Commission credited to a validator in AllocateTokens."""
    return Event("commission", (("amount", str(amount)), ("validator", validator)))


def rewards_event(amount: DecCoins, validator: str) -> Event:
    """Everything allocated to a validator (commission included) in AllocateTokens."""
    return Event("rewards", (("amount", str(amount)), ("validator", validator)))


def withdraw_rewards_event(amount: str, validator: str, delegator: str) -> Event:
    """A delegation's rewards paid out; `amount` is ``0<denom>`` when nothing was due."""
    return Event(
        "withdraw_rewards",
        (("amount", amount), ("validator", validator), ("delegator", delegator)),
    )


def withdraw_commission_event(amount: Coins) -> Event:
    """A validator's commission paid out."""
    return Event("withdraw_commission", (("amount", str(amount)),))


def set_withdraw_address_event(withdraw_address: str) -> Event:
    return Event("set_withdraw_address", (("withdraw_address", withdraw_address),))
