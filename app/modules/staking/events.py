"""Constructors of staking's events, types and attribute keys as cosmos-sdk v0.50
``x/staking/types/events.go``."""

from __future__ import annotations

from app.chain.events import Event
from app.types.coin import Coin, Coins
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import Timestamp, format_rfc3339


def create_validator_event(validator: str, amount: Coin) -> Event:
    return Event("create_validator", (("validator", validator), ("amount", str(amount))))


def edit_validator_event(commission_rate: Dec, min_self_delegation: Int) -> Event:
    return Event(
        "edit_validator",
        (
            ("commission_rate", str(commission_rate)),
            ("min_self_delegation", str(min_self_delegation)),
        ),
    )


def delegate_event(validator: str, delegator: str, amount: Coin, new_shares: Dec) -> Event:
    return Event(
        "delegate",
        (
            ("validator", validator),
            ("delegator", delegator),
            ("amount", str(amount)),
            ("new_shares", str(new_shares)),
        ),
    )


def unbond_event(validator: str, delegator: str, amount: Coin, completion: Timestamp) -> Event:
    return Event(
        "unbond",
        (
            ("validator", validator),
            ("delegator", delegator),
            ("amount", str(amount)),
            ("completion_time", format_rfc3339(completion)),
        ),
    )


def redelegate_event(
    source: str, destination: str, delegator: str, amount: Coin, completion: Timestamp
) -> Event:
    return Event(
        "redelegate",
        (
            ("source_validator", source),
            ("destination_validator", destination),
            ("delegator", delegator),
            ("amount", str(amount)),
            ("completion_time", format_rfc3339(completion)),
        ),
    )


def cancel_unbonding_delegation_event(
    amount: Coin, validator: str, delegator: str, creation_height: int
) -> Event:
    return Event(
        "cancel_unbonding_delegation",
        (
            ("amount", str(amount)),
            ("validator", validator),
            ("delegator", delegator),
            ("creation_height", str(creation_height)),
        ),
    )


def complete_unbonding_event(amount: Coins, validator: str, delegator: str) -> Event:
    return Event(
        "complete_unbonding",
        (("amount", str(amount)), ("validator", validator), ("delegator", delegator)),
    )


def complete_redelegation_event(
    amount: Coins, delegator: str, source: str, destination: str
) -> Event:
    return Event(
        "complete_redelegation",
        (
            ("amount", str(amount)),
            ("delegator", delegator),
            ("source_validator", source),
            ("destination_validator", destination),
        ),
    )
