"""Gov events, exactly as the SDK v0.50 emits them (``x/gov/types/events.go``)."""

from __future__ import annotations

from collections.abc import Sequence

from app.chain.events import Event
from app.types.coin import Coins

RESULT_DROPPED = "proposal_dropped"
RESULT_PASSED = "proposal_passed"
RESULT_REJECTED = "proposal_rejected"
RESULT_FAILED = "proposal_failed"
RESULT_EXPEDITED_REJECTED = "expedited_proposal_rejected"


def submit_proposal_event(proposal_id: int, type_urls: Sequence[str]) -> Event:
    """A proposal was stored: its id and its messages' type URLs, comma-separated."""
    return Event(
        "submit_proposal",
        (("proposal_id", str(proposal_id)), ("proposal_messages", ",".join(type_urls))),
    )


def voting_period_start_event(proposal_id: int) -> Event:
    """The initial deposit was enough: voting starts at once."""
    return Event("submit_proposal", (("voting_period_start", str(proposal_id)),))


def proposal_deposit_event(depositor: str, amount: Coins, proposal_id: int) -> Event:
    return Event(
        "proposal_deposit",
        (("depositor", depositor), ("amount", str(amount)), ("proposal_id", str(proposal_id))),
    )


def proposal_vote_event(voter: str, options: str, proposal_id: int) -> Event:
    """`options` is the SDK's text of the weighted options (``WeightedVoteOptions.String``)."""
    return Event(
        "proposal_vote",
        (("voter", voter), ("option", options), ("proposal_id", str(proposal_id))),
    )


def inactive_proposal_event(proposal_id: int) -> Event:
    """The deposit period ended without the minimum deposit."""
    return Event(
        "inactive_proposal",
        (("proposal_id", str(proposal_id)), ("proposal_result", RESULT_DROPPED)),
    )


def active_proposal_event(proposal_id: int, result: str, log: str) -> Event:
    """The voting period ended: passed, rejected, failed, or expedited converted."""
    return Event(
        "active_proposal",
        (("proposal_id", str(proposal_id)), ("proposal_result", result), ("proposal_log", log)),
    )
