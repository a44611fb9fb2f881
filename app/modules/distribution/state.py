"""Distribution state and its records; store ``distribution``.

Key table, as cosmos-sdk v0.50 ``x/distribution/types/keys.go`` (``len`` is one byte):

    0x00                                          -> FeePool (community pool)
    0x01                                          -> previous proposer consensus address
    0x02 | len | validator                        -> ValidatorOutstandingRewards
    0x03 | len | delegator                        -> withdraw address (raw bytes)
    0x04 | len | validator | len | delegator       -> DelegatorStartingInfo
    0x05 | len | validator | period (8 bytes LE)  -> ValidatorHistoricalRewards
    0x06 | len | validator                        -> ValidatorCurrentRewards
    0x07 | len | validator                        -> ValidatorAccumulatedCommission
    0x08 | len | validator | height (8 BE) | period (8 BE) -> ValidatorSlashEvent
    0x09                                          -> Params

Values are the protobuf records; the Python records below are what the keeper works with.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from app.chain.kv import KVStore, decoded_by_stored_bytes
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.cosmos.distribution.v1beta1 import distribution_pb2 as pb
from app.types.coin import DecCoins
from app.types.dec import Dec

__all__ = [
    "STORE_NAME",
    "CurrentRewards",
    "HistoricalRewards",
    "Params",
    "SlashEvent",
    "StartingInfo",
    "dec_coins_to_proto",
]

STORE_NAME = "distribution"

FEE_POOL_KEY = b"\x00"
PROPOSER_KEY = b"\x01"
OUTSTANDING_PREFIX = b"\x02"
WITHDRAW_ADDR_PREFIX = b"\x03"
STARTING_INFO_PREFIX = b"\x04"
HISTORICAL_PREFIX = b"\x05"
CURRENT_PREFIX = b"\x06"
COMMISSION_PREFIX = b"\x07"
SLASH_EVENT_PREFIX = b"\x08"
PARAMS_KEY = b"\x09"


def dec_coins_to_proto(coins: DecCoins) -> list[coin_pb2.DecCoin]:
    """Protobuf DecCoins: amounts as the scaled integer's text."""
    return [coin_pb2.DecCoin(denom=c.denom, amount=c.amount.to_proto_str()) for c in coins]


# ---- records -----------------------------------------------------------------------------------


DEFAULT_COMMUNITY_TAX = Dec.new_with_prec(2, 2)
_ZERO = Dec.zero()


@dataclass(frozen=True, slots=True)
class Params:
    """Distribution params; the proposer rewards are zero since v0.50 and never used."""

    community_tax: Dec = DEFAULT_COMMUNITY_TAX
    withdraw_addr_enabled: bool = True
    base_proposer_reward: Dec = _ZERO
    bonus_proposer_reward: Dec = _ZERO

    def to_proto(self) -> pb.Params:
        return pb.Params(
            community_tax=self.community_tax.to_proto_str(),
            base_proposer_reward=self.base_proposer_reward.to_proto_str(),
            bonus_proposer_reward=self.bonus_proposer_reward.to_proto_str(),
            withdraw_addr_enabled=self.withdraw_addr_enabled,
        )

    @classmethod
    def from_proto(cls, msg: pb.Params) -> Params:
        """Raises `ValueError` on a malformed decimal (an empty one reads as zero)."""
        return cls(
            community_tax=_dec(msg.community_tax),
            withdraw_addr_enabled=msg.withdraw_addr_enabled,
            base_proposer_reward=_dec(msg.base_proposer_reward),
            bonus_proposer_reward=_dec(msg.bonus_proposer_reward),
        )


def _dec(text: str) -> Dec:
    return Dec.zero() if text == "" else Dec.from_proto_str(text)


@dataclass(frozen=True, slots=True)
class HistoricalRewards:
    """The cumulative reward per token at the end of a period, and its reference count: the
    delegations starting there, the slash events ending there, and the next period (1)."""

    cumulative_reward_ratio: DecCoins
    reference_count: int

    def to_proto(self) -> pb.ValidatorHistoricalRewards:
        return pb.ValidatorHistoricalRewards(
            cumulative_reward_ratio=dec_coins_to_proto(self.cumulative_reward_ratio),
            reference_count=self.reference_count,
        )

    @classmethod
    def from_proto(cls, msg: pb.ValidatorHistoricalRewards) -> HistoricalRewards:
        return cls(DecCoins.from_proto(msg.cumulative_reward_ratio), msg.reference_count)


@dataclass(frozen=True, slots=True)
class CurrentRewards:
    """Rewards accrued by a validator's delegators in the open period."""

    rewards: DecCoins
    period: int

    def to_proto(self) -> pb.ValidatorCurrentRewards:
        return pb.ValidatorCurrentRewards(
            rewards=dec_coins_to_proto(self.rewards), period=self.period
        )

    @classmethod
    def from_proto(cls, msg: pb.ValidatorCurrentRewards) -> CurrentRewards:
        return cls(DecCoins.from_proto(msg.rewards), msg.period)


@dataclass(frozen=True, slots=True)
class StartingInfo:
    """Where a delegation's rewards start: the period it follows, its token stake then, the
    height it was initialised at."""

    previous_period: int
    stake: Dec
    height: int

    def to_proto(self) -> pb.DelegatorStartingInfo:
        return pb.DelegatorStartingInfo(
            previous_period=self.previous_period,
            stake=self.stake.to_proto_str(),
            height=self.height,
        )

    @classmethod
    def from_proto(cls, msg: pb.DelegatorStartingInfo) -> StartingInfo:
        return cls(msg.previous_period, _dec(msg.stake), msg.height)


@dataclass(frozen=True, slots=True)
class SlashEvent:
    """A slash of the validator: the period it ended and the fraction of stake it took."""

    validator_period: int
    fraction: Dec

    def to_proto(self) -> pb.ValidatorSlashEvent:
        return pb.ValidatorSlashEvent(
            validator_period=self.validator_period, fraction=self.fraction.to_proto_str()
        )

    @classmethod
    def from_proto(cls, msg: pb.ValidatorSlashEvent) -> SlashEvent:
        return cls(msg.validator_period, _dec(msg.fraction))


# ---- keys --------------------------------------------------------------------------------------


def length_prefixed(address: bytes) -> bytes:
    return bytes((len(address),)) + address


def outstanding_key(validator: bytes) -> bytes:
    return OUTSTANDING_PREFIX + length_prefixed(validator)


def withdraw_addr_key(delegator: bytes) -> bytes:
    return WITHDRAW_ADDR_PREFIX + length_prefixed(delegator)


def starting_info_key(validator: bytes, delegator: bytes) -> bytes:
    return STARTING_INFO_PREFIX + length_prefixed(validator) + length_prefixed(delegator)


def historical_prefix(validator: bytes) -> bytes:
    return HISTORICAL_PREFIX + length_prefixed(validator)


def historical_key(validator: bytes, period: int) -> bytes:
    return historical_prefix(validator) + struct.pack("<Q", period)


def current_key(validator: bytes) -> bytes:
    return CURRENT_PREFIX + length_prefixed(validator)


def commission_key(validator: bytes) -> bytes:
    return COMMISSION_PREFIX + length_prefixed(validator)


def slash_events_prefix(validator: bytes) -> bytes:
    return SLASH_EVENT_PREFIX + length_prefixed(validator)


def slash_event_key(validator: bytes, height: int, period: int) -> bytes:
    return slash_events_prefix(validator) + struct.pack(">QQ", height, period)


def split_address(key: bytes, offset: int) -> tuple[bytes, int]:
    """The length-prefixed address at `offset` in `key`, and the offset after it."""
    length = key[offset]
    return key[offset + 1 : offset + 1 + length], offset + 1 + length


# ---- params, fee pool, proposer ----------------------------------------------------------------


# A withdrawal reads the same period records several times.


@decoded_by_stored_bytes
def _decode_historical(raw: bytes) -> HistoricalRewards:
    return HistoricalRewards.from_proto(pb.ValidatorHistoricalRewards.FromString(raw))


@decoded_by_stored_bytes
def _decode_current(raw: bytes) -> CurrentRewards:
    return CurrentRewards.from_proto(pb.ValidatorCurrentRewards.FromString(raw))


@decoded_by_stored_bytes
def _decode_outstanding(raw: bytes) -> DecCoins:
    return DecCoins.from_proto(pb.ValidatorOutstandingRewards.FromString(raw).rewards)


def get_params(store: KVStore) -> Params:
    raw = store.get(PARAMS_KEY)
    return Params() if raw is None else Params.from_proto(pb.Params.FromString(raw))


def set_params(store: KVStore, params: Params) -> None:
    store.set(PARAMS_KEY, params.to_proto().SerializeToString(deterministic=True))


def get_community_pool(store: KVStore) -> DecCoins:
    raw = store.get(FEE_POOL_KEY)
    if raw is None:
        return DecCoins()
    return DecCoins.from_proto(pb.FeePool.FromString(raw).community_pool)


def set_community_pool(store: KVStore, pool: DecCoins) -> None:
    record = pb.FeePool(community_pool=dec_coins_to_proto(pool))
    store.set(FEE_POOL_KEY, record.SerializeToString(deterministic=True))


def get_previous_proposer(store: KVStore) -> bytes:
    return store.get(PROPOSER_KEY) or b""


def set_previous_proposer(store: KVStore, cons_address: bytes) -> None:
    store.set(PROPOSER_KEY, cons_address)


# ---- withdraw addresses ------------------------------------------------------------------------


def get_withdraw_addr(store: KVStore, delegator: bytes) -> bytes | None:
    return store.get(withdraw_addr_key(delegator))


def set_withdraw_addr(store: KVStore, delegator: bytes, withdraw: bytes) -> None:
    store.set(withdraw_addr_key(delegator), withdraw)


def iterate_withdraw_addrs(store: KVStore) -> Iterator[tuple[bytes, bytes]]:
    """(delegator, withdraw address) pairs, in key order."""
    for key, raw in store.iterate_prefix(WITHDRAW_ADDR_PREFIX):
        yield split_address(key, 1)[0], raw


# ---- per-validator dec-coin records: outstanding rewards, commission ---------------------------


def get_outstanding(store: KVStore, validator: bytes) -> DecCoins:
    raw = store.get(outstanding_key(validator))
    if raw is None:
        return DecCoins()
    return _decode_outstanding(raw)


def set_outstanding(store: KVStore, validator: bytes, rewards: DecCoins) -> None:
    record = pb.ValidatorOutstandingRewards(rewards=dec_coins_to_proto(rewards))
    store.set(outstanding_key(validator), record.SerializeToString(deterministic=True))


def has_outstanding(store: KVStore, validator: bytes) -> bool:
    return store.has(outstanding_key(validator))


def delete_outstanding(store: KVStore, validator: bytes) -> None:
    store.delete(outstanding_key(validator))


def iterate_outstanding(store: KVStore) -> Iterator[tuple[bytes, DecCoins]]:
    for key, raw in store.iterate_prefix(OUTSTANDING_PREFIX):
        yield split_address(key, 1)[0], _decode_outstanding(raw)


def get_commission(store: KVStore, validator: bytes) -> DecCoins:
    raw = store.get(commission_key(validator))
    if raw is None:
        return DecCoins()
    return DecCoins.from_proto(pb.ValidatorAccumulatedCommission.FromString(raw).commission)


def set_commission(store: KVStore, validator: bytes, commission: DecCoins) -> None:
    record = pb.ValidatorAccumulatedCommission(commission=dec_coins_to_proto(commission))
    store.set(commission_key(validator), record.SerializeToString(deterministic=True))


def delete_commission(store: KVStore, validator: bytes) -> None:
    store.delete(commission_key(validator))


def iterate_commissions(store: KVStore) -> Iterator[tuple[bytes, DecCoins]]:
    for key, raw in store.iterate_prefix(COMMISSION_PREFIX):
        commission = pb.ValidatorAccumulatedCommission.FromString(raw).commission
        yield split_address(key, 1)[0], DecCoins.from_proto(commission)


# ---- reward periods ----------------------------------------------------------------------------


def get_historical(store: KVStore, validator: bytes, period: int) -> HistoricalRewards | None:
    raw = store.get(historical_key(validator, period))
    return None if raw is None else _decode_historical(raw)


def set_historical(
    store: KVStore, validator: bytes, period: int, rewards: HistoricalRewards
) -> None:
    store.set(
        historical_key(validator, period), rewards.to_proto().SerializeToString(deterministic=True)
    )


def delete_historical(store: KVStore, validator: bytes, period: int) -> None:
    store.delete(historical_key(validator, period))


def delete_all_historical(store: KVStore, validator: bytes) -> None:
    for key in [key for key, _ in store.iterate_prefix(historical_prefix(validator))]:
        store.delete(key)


def iterate_historical(store: KVStore) -> Iterator[tuple[bytes, int, HistoricalRewards]]:
    """(validator, period, record) in key order (periods little-endian, so not numeric)."""
    for key, raw in store.iterate_prefix(HISTORICAL_PREFIX):
        validator, offset = split_address(key, 1)
        (period,) = struct.unpack("<Q", key[offset:])
        yield validator, period, _decode_historical(raw)


def get_current(store: KVStore, validator: bytes) -> CurrentRewards | None:
    raw = store.get(current_key(validator))
    return None if raw is None else _decode_current(raw)


def set_current(store: KVStore, validator: bytes, rewards: CurrentRewards) -> None:
    store.set(current_key(validator), rewards.to_proto().SerializeToString(deterministic=True))


def delete_current(store: KVStore, validator: bytes) -> None:
    store.delete(current_key(validator))


def iterate_current(store: KVStore) -> Iterator[tuple[bytes, CurrentRewards]]:
    for key, raw in store.iterate_prefix(CURRENT_PREFIX):
        yield split_address(key, 1)[0], _decode_current(raw)


# ---- delegator starting info -------------------------------------------------------------------


def get_starting_info(store: KVStore, validator: bytes, delegator: bytes) -> StartingInfo | None:
    raw = store.get(starting_info_key(validator, delegator))
    if raw is None:
        return None
    return StartingInfo.from_proto(pb.DelegatorStartingInfo.FromString(raw))


def set_starting_info(
    store: KVStore, validator: bytes, delegator: bytes, info: StartingInfo
) -> None:
    store.set(
        starting_info_key(validator, delegator),
        info.to_proto().SerializeToString(deterministic=True),
    )


def delete_starting_info(store: KVStore, validator: bytes, delegator: bytes) -> None:
    store.delete(starting_info_key(validator, delegator))


def iterate_starting_infos(store: KVStore) -> Iterator[tuple[bytes, bytes, StartingInfo]]:
    """(validator, delegator, info) in key order."""
    for key, raw in store.iterate_prefix(STARTING_INFO_PREFIX):
        validator, offset = split_address(key, 1)
        delegator, _ = split_address(key, offset)
        info = StartingInfo.from_proto(pb.DelegatorStartingInfo.FromString(raw))
        yield validator, delegator, info


# ---- slash events ------------------------------------------------------------------------------


def set_slash_event(store: KVStore, validator: bytes, height: int, event: SlashEvent) -> None:
    key = slash_event_key(validator, height, event.validator_period)
    store.set(key, event.to_proto().SerializeToString(deterministic=True))


def iterate_slash_events_between(
    store: KVStore, validator: bytes, starting_height: int, ending_height: int
) -> Iterator[tuple[int, SlashEvent]]:
    """(height, event) of the validator's slashes with starting ≤ height ≤ ending, in order."""
    start = slash_events_prefix(validator) + struct.pack(">Q", starting_height)
    end = slash_events_prefix(validator) + struct.pack(">Q", ending_height + 1)
    for key, raw in store.iterate(start, end):
        yield _slash_event_entry(key, raw)


def _slash_event_entry(key: bytes, raw: bytes) -> tuple[int, SlashEvent]:
    (height,) = struct.unpack(">Q", key[-16:-8])
    return height, SlashEvent.from_proto(pb.ValidatorSlashEvent.FromString(raw))


def iterate_slash_events(store: KVStore) -> Iterator[tuple[bytes, int, SlashEvent]]:
    """(validator, height, event) of every slash, in key order."""
    for key, raw in store.iterate_prefix(SLASH_EVENT_PREFIX):
        validator, _ = split_address(key, 1)
        height, event = _slash_event_entry(key, raw)
        yield validator, height, event


def delete_slash_events(store: KVStore, validator: bytes) -> None:
    for key in [key for key, _ in store.iterate_prefix(slash_events_prefix(validator))]:
        store.delete(key)
