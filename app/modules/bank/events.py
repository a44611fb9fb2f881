"""Bank events, exactly as the SDK emits them (``x/bank/types/events.go``)."""

from __future__ import annotations

from app.chain.events import Event
from app.types.coin import Coins


def transfer_event(recipient: str, sender: str, amount: Coins) -> Event:
    """A send between accounts."""
    return Event(
        "transfer", (("recipient", recipient), ("sender", sender), ("amount", str(amount)))
    )


def multi_send_transfer_event(recipient: str, amount: Coins) -> Event:
    """One output of a multi-send (the single sender is in the ``message`` event)."""
    return Event("transfer", (("recipient", recipient), ("amount", str(amount))))


def coin_spent_event(spender: str, amount: Coins) -> Event:
    """Coins left an account."""
    return Event("coin_spent", (("spender", spender), ("amount", str(amount))))


def coin_received_event(receiver: str, amount: Coins) -> Event:
    """Coins reached an account."""
    return Event("coin_received", (("receiver", receiver), ("amount", str(amount))))


def coinbase_event(minter: str, amount: Coins) -> Event:
    """Coins were minted by a module."""
    return Event("coinbase", (("minter", minter), ("amount", str(amount))))


def burn_event(burner: str, amount: Coins) -> Event:
    """Coins were burned by a module."""
    return Event("burn", (("burner", burner), ("amount", str(amount))))


def message_sender_event(sender: str) -> Event:
    """The ``message`` event naming the sender, emitted by every send."""
    return Event("message", (("sender", sender),))
