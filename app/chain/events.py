"""Typed events and their ABCI form, plus the events the chain itself emits (``message``, ``tx``).

An event is a type and ordered (key, value) string attributes. Every attribute is sent with
``index=True`` so CometBFT's kv indexer can search it (``transfer.recipient='…'``), as the SDK does.
Modules build their events with constructors in their own ``events.py``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass

from google.protobuf.internal.containers import RepeatedCompositeFieldContainer

from app.pb.tendermint.abci import types_pb2 as abci

__all__ = [
    "Event",
    "add_abci_events",
    "fee_event",
    "message_event",
    "sequence_event",
    "signature_event",
]


@dataclass(frozen=True, slots=True)
class Event:
    """One event: its type and its attributes in emission order."""

    type: str
    attributes: tuple[tuple[str, str], ...]

    def add_to(self, container: RepeatedCompositeFieldContainer[abci.Event]) -> None:
        """Append the ABCI form of this event, every attribute indexed, to `container`.

        Built in place: constructing messages and then copying them into a response costs
        twice as much, for a dozen events per tx.
        """
        event = container.add(type=self.type)
        attributes = event.attributes
        for key, value in self.attributes:
            attributes.add(key=key, value=value, index=True)


def add_abci_events(
    container: RepeatedCompositeFieldContainer[abci.Event], events: Iterable[Event]
) -> None:
    """Append the ABCI form of `events`, in order, to `container`."""
    for event in events:
        event.add_to(container)


def message_event(action: str, sender: str, module: str) -> Event:
    """The event the chain emits before each message's own events (baseapp ``createEvents``).

    ``action`` is the message's type URL, ``sender`` its first signer, ``module`` the module
    name taken from the type URL (``/cosmos.bank.v1beta1.MsgSend`` → ``bank``).
    """
    return Event("message", (("action", action), ("sender", sender), ("module", module)))


def fee_event(fee: str, fee_payer: str) -> Event:
    """``tx`` event of the fee deduction: the fee as a coin string and who paid it."""
    return Event("tx", (("fee", fee), ("fee_payer", fee_payer)))


def sequence_event(address: str, sequence: int) -> Event:
    """``tx`` event naming the signer and the sequence it signed with: ``acc_seq=addr/seq``."""
    return Event("tx", (("acc_seq", f"{address}/{sequence}"),))


def signature_event(signature: bytes) -> Event:
    """``tx`` event carrying a signature, base64 encoded."""
    return Event("tx", (("signature", base64.b64encode(signature).decode()),))
