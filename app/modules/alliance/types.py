"""Alliance records: frozen values with their protobuf forms, and the pure message-field checks.

Each record mirrors one ``alliance.alliance`` message (terra-money/alliance ``x/alliance/types``):
decimals are `Dec`, integers `Int`, times `Timestamp` and durations `Duration` (integer
nanoseconds), addresses the bech32 text the reference stores. ``from_proto`` reads a decoded
message as it is (an absent time is Go's zero time, an absent decimal is zero, as gogoproto's
non-nullable fields); ``to_proto`` always writes every field.

The ``validate_*`` functions hold the field rules of MsgCreateAlliance, MsgUpdateAlliance and
MsgUpdateParams (spec §4.5–4.7) so the handlers and genesis share one definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from google.protobuf import duration_pb2, timestamp_pb2

from app.modules.alliance import errors
from app.pb.alliance.alliance import (
    alliance_pb2,
    delegations_pb2,
    params_pb2,
    redelegations_pb2,
)
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.types.coin import Coin, DecCoins, validate_denom
from app.types.dec import Dec
from app.types.errors import InvalidDenomError
from app.types.int import Int
from app.types.time import (
    GO_ZERO_TIME,
    MINUTE,
    SECOND,
    Duration,
    Timestamp,
    duration_from_proto,
    duration_to_proto,
    timestamp_from_proto,
    timestamp_to_proto,
)

__all__ = [
    "ALLIANCE_MODULE_NAME",
    "DEFAULT_REWARD_DELAY_TIME",
    "DEFAULT_TAKE_RATE_CLAIM_INTERVAL",
    "REWARDS_MODULE_NAME",
    "AllianceAsset",
    "AllianceValidatorInfo",
    "Delegation",
    "Params",
    "QueuedRedelegation",
    "QueuedUndelegation",
    "Redelegation",
    "RewardHistory",
    "RewardWeightChangeSnapshot",
    "RewardWeightRange",
    "Undelegation",
    "validate_create_alliance",
    "validate_params",
    "validate_update_alliance",
]

ALLIANCE_MODULE_NAME: Final = "alliance"
"""Module account holding staked alliance tokens and the virtual stake (minter, burner)."""

REWARDS_MODULE_NAME: Final = "alliance_rewards"
"""Module account holding rewards until delegators claim them."""

DEFAULT_REWARD_DELAY_TIME: Final = Duration(7 * 24 * 3600 * SECOND)
"""Default wait between an alliance's creation and its reward start: 7 days."""

DEFAULT_TAKE_RATE_CLAIM_INTERVAL: Final = Duration(5 * MINUTE)
"""Default take-rate period: 5 minutes."""


def _time_from_proto(pb: timestamp_pb2.Timestamp, present: bool) -> Timestamp:
    # gogoproto's non-nullable stdtime leaves Go's zero time when the field is absent.
    return timestamp_from_proto(pb) if present else GO_ZERO_TIME


def _duration_from_proto(pb: duration_pb2.Duration, present: bool) -> Duration:
    return duration_from_proto(pb) if present else Duration(0)


def _coin_to_proto(coin: Coin) -> coin_pb2.Coin:
    return coin_pb2.Coin(denom=coin.denom, amount=coin.amount.to_proto_str())


def _dec_coins_to_proto(coins: DecCoins) -> list[coin_pb2.DecCoin]:
    return [coin_pb2.DecCoin(denom=c.denom, amount=c.amount.to_proto_str()) for c in coins]


# ---- params ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Params:
    """Module params (key 0x02). The take-rate periods are anchored at the last claim time."""

    reward_delay_time: Duration
    take_rate_claim_interval: Duration
    last_take_rate_claim_time: Timestamp

    @classmethod
    def default(cls) -> Params:
        """7 days of reward delay, 5-minute take-rate periods, claim time not started."""
        return cls(DEFAULT_REWARD_DELAY_TIME, DEFAULT_TAKE_RATE_CLAIM_INTERVAL, GO_ZERO_TIME)

    @classmethod
    def from_proto(cls, pb: params_pb2.Params) -> Params:
        return cls(
            _duration_from_proto(pb.reward_delay_time, pb.HasField("reward_delay_time")),
            _duration_from_proto(
                pb.take_rate_claim_interval, pb.HasField("take_rate_claim_interval")
            ),
            _time_from_proto(
                pb.last_take_rate_claim_time, pb.HasField("last_take_rate_claim_time")
            ),
        )

    def to_proto(self) -> params_pb2.Params:
        return params_pb2.Params(
            reward_delay_time=duration_to_proto(self.reward_delay_time),
            take_rate_claim_interval=duration_to_proto(self.take_rate_claim_interval),
            last_take_rate_claim_time=timestamp_to_proto(self.last_take_rate_claim_time),
        )


def validate_params(params: Params) -> None:
    """Checks reward_delay_time >= 0 and take_rate_claim_interval > 0.

    The reference accepts a zero interval in MsgUpdateParams and then divides by it in EndBlock
    (a chain halt); here MsgUpdateParams and genesis both refuse it.

    Raises:
        ChainError: `ErrInvalidParams` naming the offending field.
    """
    if params.reward_delay_time < 0:
        raise errors.ErrInvalidParams.wrap("reward_delay_time must not be negative")
    if params.take_rate_claim_interval <= 0:
        raise errors.ErrInvalidParams.wrap("take_rate_claim_interval must be positive")


# ---- reward indices ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RewardHistory:
    """Cumulative reward per token of asset `alliance` in reward coin `denom`.

    An empty `alliance` marks a legacy index (one per reward denom, before per-asset indices);
    rewards from it are weighted by the asset's reward weight (spec §5.3).
    """

    denom: str
    index: Dec
    alliance: str

    @classmethod
    def from_proto(cls, pb: params_pb2.RewardHistory) -> RewardHistory:
        return cls(pb.denom, Dec.from_proto_str(pb.index), pb.alliance)

    def to_proto(self) -> params_pb2.RewardHistory:
        return params_pb2.RewardHistory(
            denom=self.denom, index=self.index.to_proto_str(), alliance=self.alliance
        )


def _histories_from_proto(items: Iterable[params_pb2.RewardHistory]) -> tuple[RewardHistory, ...]:
    return tuple(RewardHistory.from_proto(item) for item in items)


# ---- assets ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RewardWeightRange:
    """The [min, max] that scheduled weight changes are clamped to."""

    min: Dec
    max: Dec

    def contains(self, weight: Dec) -> bool:
        """min <= weight <= max."""
        return self.min <= weight <= self.max

    @classmethod
    def from_proto(cls, pb: alliance_pb2.RewardWeightRange) -> RewardWeightRange:
        return cls(Dec.from_proto_str(pb.min), Dec.from_proto_str(pb.max))

    def to_proto(self) -> alliance_pb2.RewardWeightRange:
        return alliance_pb2.RewardWeightRange(
            min=self.min.to_proto_str(), max=self.max.to_proto_str()
        )


@dataclass(frozen=True, slots=True)
class AllianceAsset:
    """A whitelisted asset (key 0x11 | len | denom); see spec §2.2 for each field's life."""

    denom: str
    reward_weight: Dec
    take_rate: Dec
    total_tokens: Int
    total_validator_shares: Dec
    reward_start_time: Timestamp
    reward_change_rate: Dec
    reward_change_interval: Duration
    last_reward_change_time: Timestamp
    reward_weight_range: RewardWeightRange
    is_initialized: bool

    def has_rewards_started(self, block_time: Timestamp) -> bool:
        """block_time >= reward_start_time (inclusive, `RewardsStarted`)."""
        return block_time >= self.reward_start_time

    @classmethod
    def from_proto(cls, pb: alliance_pb2.AllianceAsset) -> AllianceAsset:
        return cls(
            denom=pb.denom,
            reward_weight=Dec.from_proto_str(pb.reward_weight),
            take_rate=Dec.from_proto_str(pb.take_rate),
            total_tokens=Int.from_proto_str(pb.total_tokens),
            total_validator_shares=Dec.from_proto_str(pb.total_validator_shares),
            reward_start_time=_time_from_proto(
                pb.reward_start_time, pb.HasField("reward_start_time")
            ),
            reward_change_rate=Dec.from_proto_str(pb.reward_change_rate),
            reward_change_interval=_duration_from_proto(
                pb.reward_change_interval, pb.HasField("reward_change_interval")
            ),
            last_reward_change_time=_time_from_proto(
                pb.last_reward_change_time, pb.HasField("last_reward_change_time")
            ),
            reward_weight_range=RewardWeightRange.from_proto(pb.reward_weight_range),
            is_initialized=pb.is_initialized,
        )

    def to_proto(self) -> alliance_pb2.AllianceAsset:
        return alliance_pb2.AllianceAsset(
            denom=self.denom,
            reward_weight=self.reward_weight.to_proto_str(),
            take_rate=self.take_rate.to_proto_str(),
            total_tokens=self.total_tokens.to_proto_str(),
            total_validator_shares=self.total_validator_shares.to_proto_str(),
            reward_start_time=timestamp_to_proto(self.reward_start_time),
            reward_change_rate=self.reward_change_rate.to_proto_str(),
            reward_change_interval=duration_to_proto(self.reward_change_interval),
            last_reward_change_time=timestamp_to_proto(self.last_reward_change_time),
            reward_weight_range=self.reward_weight_range.to_proto(),
            is_initialized=self.is_initialized,
        )


@dataclass(frozen=True, slots=True)
class RewardWeightChangeSnapshot:
    """A validator's indices of one asset (plus legacy ones) just before its weight changed."""

    prev_reward_weight: Dec
    reward_histories: tuple[RewardHistory, ...]

    @classmethod
    def from_proto(cls, pb: alliance_pb2.RewardWeightChangeSnapshot) -> RewardWeightChangeSnapshot:
        return cls(
            Dec.from_proto_str(pb.prev_reward_weight), _histories_from_proto(pb.reward_histories)
        )

    def to_proto(self) -> alliance_pb2.RewardWeightChangeSnapshot:
        return alliance_pb2.RewardWeightChangeSnapshot(
            prev_reward_weight=self.prev_reward_weight.to_proto_str(),
            reward_histories=[h.to_proto() for h in self.reward_histories],
        )


# ---- validators and delegations ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AllianceValidatorInfo:
    """The alliance ledger of one validator (key 0x12 | len | operator).

    `total_delegator_shares[a]` sums the delegation shares of asset `a` on this validator;
    `validator_shares[a]` is this validator's part of `a.total_validator_shares`.
    """

    global_reward_history: tuple[RewardHistory, ...]
    total_delegator_shares: DecCoins
    validator_shares: DecCoins

    @classmethod
    def empty(cls) -> AllianceValidatorInfo:
        """The info created lazily for a validator that has none yet."""
        return cls((), DecCoins(), DecCoins())

    @classmethod
    def from_proto(cls, pb: delegations_pb2.AllianceValidatorInfo) -> AllianceValidatorInfo:
        return cls(
            _histories_from_proto(pb.global_reward_history),
            DecCoins.from_proto(pb.total_delegator_shares),
            DecCoins.from_proto(pb.validator_shares),
        )

    def to_proto(self) -> delegations_pb2.AllianceValidatorInfo:
        return delegations_pb2.AllianceValidatorInfo(
            global_reward_history=[h.to_proto() for h in self.global_reward_history],
            total_delegator_shares=_dec_coins_to_proto(self.total_delegator_shares),
            validator_shares=_dec_coins_to_proto(self.validator_shares),
        )


@dataclass(frozen=True, slots=True)
class Delegation:
    """One delegator's stake of one asset with one validator (key 0x21 | del | val | denom)."""

    delegator_address: str
    validator_address: str
    denom: str
    shares: Dec
    reward_history: tuple[RewardHistory, ...]
    last_reward_claim_height: int

    @classmethod
    def from_proto(cls, pb: delegations_pb2.Delegation) -> Delegation:
        return cls(
            pb.delegator_address,
            pb.validator_address,
            pb.denom,
            Dec.from_proto_str(pb.shares),
            _histories_from_proto(pb.reward_history),
            pb.last_reward_claim_height,
        )

    def to_proto(self) -> delegations_pb2.Delegation:
        return delegations_pb2.Delegation(
            delegator_address=self.delegator_address,
            validator_address=self.validator_address,
            denom=self.denom,
            shares=self.shares.to_proto_str(),
            reward_history=[h.to_proto() for h in self.reward_history],
            last_reward_claim_height=self.last_reward_claim_height,
        )


@dataclass(frozen=True, slots=True)
class Undelegation:
    """Tokens (`balance`, fixed at undelegation) owed to a delegator at completion."""

    delegator_address: str
    validator_address: str
    balance: Coin

    @classmethod
    def from_proto(cls, pb: delegations_pb2.Undelegation) -> Undelegation:
        return cls(pb.delegator_address, pb.validator_address, Coin.from_proto(pb.balance))

    def to_proto(self) -> delegations_pb2.Undelegation:
        return delegations_pb2.Undelegation(
            delegator_address=self.delegator_address,
            validator_address=self.validator_address,
            balance=_coin_to_proto(self.balance),
        )


@dataclass(frozen=True, slots=True)
class QueuedUndelegation:
    """Every undelegation of one delegator completing at one time (key 0x24 | T | del)."""

    entries: tuple[Undelegation, ...]

    @classmethod
    def from_proto(cls, pb: delegations_pb2.QueuedUndelegation) -> QueuedUndelegation:
        return cls(tuple(Undelegation.from_proto(entry) for entry in pb.entries))

    def to_proto(self) -> delegations_pb2.QueuedUndelegation:
        return delegations_pb2.QueuedUndelegation(entries=[e.to_proto() for e in self.entries])


@dataclass(frozen=True, slots=True)
class Redelegation:
    """A redelegation record, kept until completion (key 0x22 | del | denom | dst | T)."""

    delegator_address: str
    src_validator_address: str
    dst_validator_address: str
    balance: Coin

    @classmethod
    def from_proto(cls, pb: redelegations_pb2.Redelegation) -> Redelegation:
        return cls(
            pb.delegator_address,
            pb.src_validator_address,
            pb.dst_validator_address,
            Coin.from_proto(pb.balance),
        )

    def to_proto(self) -> redelegations_pb2.Redelegation:
        return redelegations_pb2.Redelegation(
            delegator_address=self.delegator_address,
            src_validator_address=self.src_validator_address,
            dst_validator_address=self.dst_validator_address,
            balance=_coin_to_proto(self.balance),
        )


@dataclass(frozen=True, slots=True)
class QueuedRedelegation:
    """The redelegations completing at one time (key 0x23 | T)."""

    entries: tuple[Redelegation, ...]

    @classmethod
    def from_proto(cls, pb: redelegations_pb2.QueuedRedelegation) -> QueuedRedelegation:
        return cls(tuple(Redelegation.from_proto(entry) for entry in pb.entries))

    def to_proto(self) -> redelegations_pb2.QueuedRedelegation:
        return redelegations_pb2.QueuedRedelegation(entries=[e.to_proto() for e in self.entries])


# ---- message field rules -----------------------------------------------------------------------


def _validate_rates(
    reward_weight: Dec, take_rate: Dec, reward_change_rate: Dec, reward_change_interval: Duration
) -> None:
    """The rules MsgCreateAlliance and MsgUpdateAlliance share (spec §4.6, §4.7)."""
    if reward_weight.is_negative():
        raise errors.ErrInvalidRewardWeight.error()
    if take_rate.is_negative() or take_rate >= Dec.one():
        raise errors.ErrInvalidTakeRate.error()
    if not reward_change_rate.is_positive():
        raise errors.ErrInvalidRewardChangeRate.error()
    if reward_change_interval < 0:
        raise errors.ErrInvalidRewardChangeInterval.error()


def validate_create_alliance(
    denom: str,
    reward_weight: Dec,
    take_rate: Dec,
    reward_change_rate: Dec,
    reward_change_interval: Duration,
    reward_weight_range: RewardWeightRange,
    bond_denom: str,
) -> None:
    """The field checks of MsgCreateAlliance, in the reference order, plus the bond-denom guard.

    denom non-empty and valid; weight >= 0; 0 <= min <= max; min <= weight <= max;
    0 <= take_rate < 1; reward_change_rate > 0; reward_change_interval >= 0; denom != bond denom
    (the reference allows the bond denom, whose staked tokens its EndBlock would then burn).

    Raises:
        ChainError: the registered error of the first failed rule.
    """
    if denom == "":
        raise errors.ErrEmptyDenom.error()
    try:
        validate_denom(denom)
    except InvalidDenomError as error:
        raise errors.ErrInvalidDenom.wrap(repr(denom)) from error
    if reward_weight.is_negative():
        raise errors.ErrInvalidRewardWeight.error()
    weight_range = reward_weight_range
    if weight_range.min.is_negative() or weight_range.max.is_negative():
        raise errors.ErrInvalidRewardWeightRange.error()
    if weight_range.min > weight_range.max:
        raise errors.ErrInvalidRewardWeightRange.error()
    if not weight_range.contains(reward_weight):
        raise errors.ErrRewardWeightOutOfBound.error()
    _validate_rates(reward_weight, take_rate, reward_change_rate, reward_change_interval)
    if denom == bond_denom:
        raise errors.ErrBondDenomAsset.wrap(denom)


def validate_update_alliance(
    denom: str,
    reward_weight: Dec,
    take_rate: Dec,
    reward_change_rate: Dec,
    reward_change_interval: Duration,
) -> None:
    """The stateless checks of MsgUpdateAlliance, as the reference makes them.

    denom non-empty (not otherwise validated: the asset must exist anyway); weight >= 0;
    0 <= take_rate < 1; reward_change_rate > 0; reward_change_interval >= 0. The new range is
    checked against the weight after the asset lookup (`ErrRewardWeightOutOfBound`).

    Raises:
        ChainError: the registered error of the first failed rule.
    """
    if denom == "":
        raise errors.ErrEmptyDenom.error()
    _validate_rates(reward_weight, take_rate, reward_change_rate, reward_change_interval)
