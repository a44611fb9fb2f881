"""Alliance typed events, namespace ``alliance.alliance``.

A typed event is the protobuf message of `events.proto`: its type is the message's full name and
each attribute the JSON of one field (the SDK's ``EmitTypedEvent``). The first five are the
reference's; the last four are ours (attributes in the README): one per rebalanced validator,
per reward-weight change, per asset of a take-rate deduction and per alliance slash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from google.protobuf.message import Message

from app.chain.events import Event
from app.codec import to_json_dict
from app.modules.alliance.types import Undelegation
from app.pb.alliance.alliance import events_pb2
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.types.coin import Coin, Coins, DecCoins
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import Timestamp, timestamp_to_proto

__all__ = [
    "claim_rewards_event",
    "deduct_asset_event",
    "deduct_assets_event",
    "delegate_event",
    "rebalance_event",
    "redelegate_event",
    "slash_validator_event",
    "typed_event",
    "undelegate_event",
    "weight_change_event",
]


def typed_event(message: Message) -> Event:
    """The event of a typed-event message: type = full name, attribute = JSON of each field."""
    return _event(message.DESCRIPTOR.full_name, to_json_dict(message).items())


def _event(event_type: str, fields: Iterable[tuple[str, Any]]) -> Event:
    """One attribute per proto-JSON field, in the given order, its value as compact JSON text."""
    return Event(
        event_type,
        tuple((name, json.dumps(value, separators=(",", ":"))) for name, value in fields),
    )


def _in_proto_json_order(fields: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Fields in the order protobuf's `MessageToDict` prints them: those holding a value first,
    then those at their default ("" or []), each group in declaration order."""
    return [field for field in fields if field[1] not in _DEFAULTS] + [
        field for field in fields if field[1] in _DEFAULTS
    ]


_DEFAULTS: tuple[Any, ...] = ("", [])
"""The proto-JSON of unset string and repeated fields (the only kinds the direct events have)."""


def _direct_event(event_type: str, fields: Sequence[tuple[str, Any]]) -> Event:
    """What `typed_event` makes of a message whose proto-JSON fields, in declaration order, are
    `fields`, without building the message."""
    return _event(event_type, _in_proto_json_order(fields))


def _coin_json(coin: Coin) -> dict[str, str]:
    """A Coin's proto-JSON."""
    return dict(
        _in_proto_json_order((("denom", coin.denom), ("amount", coin.amount.to_proto_str())))
    )


_DELEGATE_EVENT_TYPE = events_pb2.DelegateAllianceEvent.DESCRIPTOR.full_name
_CLAIM_REWARDS_EVENT_TYPE = events_pb2.ClaimAllianceRewardsEvent.DESCRIPTOR.full_name


def _coin(coin: Coin) -> coin_pb2.Coin:
    return coin_pb2.Coin(denom=coin.denom, amount=coin.amount.to_proto_str())


def _coins(coins: Coins) -> list[coin_pb2.Coin]:
    return [_coin(coin) for coin in coins]


def delegate_event(sender: str, validator: str, coin: Coin, new_shares: Dec) -> Event:
    """A delegation; `new_shares` are the asset-level validator shares issued.

    Every delegate emits it, so the attributes are written directly rather than through the
    message's JSON: the same text as `typed_event` of a ``DelegateAllianceEvent`` (tested), with
    the LegacyDec `newShares` in its 18-decimal form.
    """
    return _direct_event(
        _DELEGATE_EVENT_TYPE,
        (
            ("allianceSender", sender),
            ("validator", validator),
            ("coin", _coin_json(coin)),
            ("newShares", str(new_shares)),
        ),
    )


def undelegate_event(undelegation: Undelegation, completion: Timestamp) -> Event:
    """An undelegation entering the queue until `completion`."""
    return typed_event(
        events_pb2.UndelegateAllianceEvent(
            allianceSender=undelegation.delegator_address,
            validator=undelegation.validator_address,
            coin=_coin(undelegation.balance),
            completionTime=timestamp_to_proto(completion),
        )
    )


def redelegate_event(
    sender: str, source: str, destination: str, coin: Coin, completion: Timestamp
) -> Event:
    """A redelegation, recorded until `completion`."""
    return typed_event(
        events_pb2.RedelegateAllianceEvent(
            allianceSender=sender,
            sourceValidator=source,
            destinationValidator=destination,
            coin=_coin(coin),
            completionTime=timestamp_to_proto(completion),
        )
    )


def claim_rewards_event(sender: str, validator: str, coins: Coins) -> Event:
    """Rewards paid to a delegator (every delegate that grows a delegation claims first).

    Written directly, as `delegate_event`: the same text as `typed_event` of a
    ``ClaimAllianceRewardsEvent`` (tested).
    """
    return _direct_event(
        _CLAIM_REWARDS_EVENT_TYPE,
        (
            ("allianceSender", sender),
            ("validator", validator),
            ("coins", [_coin_json(coin) for coin in coins]),
        ),
    )


def deduct_assets_event(coins: Coins) -> Event:
    """The take-rate proceeds of one claim, all assets together (the reference's event)."""
    return typed_event(events_pb2.DeductAllianceAssetsEvent(coins=_coins(coins)))


def deduct_asset_event(deducted: Coin, total_tokens: Int) -> Event:
    """Ours: one asset's take-rate deduction and its total tokens after it."""
    return typed_event(
        events_pb2.DeductAllianceAssetEvent(
            deducted=_coin(deducted), total_tokens=total_tokens.to_proto_str()
        )
    )


def rebalance_event(validator: str, change: Int, denom: str) -> Event:
    """Ours: the virtual stake minted and delegated (change > 0) or unbonded and burned."""
    minted = change if change.is_positive() else Int(0)
    burned = Int(0) - change if change.is_negative() else Int(0)
    return typed_event(
        events_pb2.RebalanceAllianceStakeEvent(
            validator=validator,
            minted=minted.to_proto_str(),
            burned=burned.to_proto_str(),
            denom=denom,
        )
    )


def weight_change_event(denom: str, previous: Dec, new: Dec) -> Event:
    """Ours: an asset's reward weight changed (governance or the schedule)."""
    return typed_event(
        events_pb2.ChangeAllianceRewardWeightEvent(
            denom=denom, previous_weight=previous.to_proto_str(), new_weight=new.to_proto_str()
        )
    )


def slash_validator_event(validator: str, fraction: Dec, slashed_shares: DecCoins) -> Event:
    """Ours: the asset-level shares a slash took from a validator."""
    return typed_event(
        events_pb2.SlashAllianceValidatorEvent(
            validator=validator,
            fraction=fraction.to_proto_str(),
            validator_shares=[
                coin_pb2.DecCoin(denom=c.denom, amount=c.amount.to_proto_str())
                for c in slashed_shares
            ],
        )
    )
