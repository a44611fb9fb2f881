"""Alliance state: the key table of store ``alliance`` and typed access to its records.

Key table (terra-money/alliance ``x/alliance/types/keys.go``, spec §2). `len` is one byte
(``address.MustLengthPrefix``); `denom0` is len(denom)+1 | denom | 0x00; `T` is the 29-byte
sortable UTC time ``YYYY-MM-DDThh:mm:ss.nnnnnnnnn`` (``sdk.FormatTimeBytes``):

    0x01                                                   module account (reserved, unused)
    0x02                                                   -> Params
    0x11 | len | denom                                     -> AllianceAsset
    0x12 | len | operator                                  -> AllianceValidatorInfo
    0x13                                                   -> 0x00   rebalance flag
    0x14 | denom0 | len | operator | height (8 bytes BE)   -> RewardWeightChangeSnapshot
    0x15                                                   reward-weight decay queue (reserved)
    0x21 | len | delegator | len | operator | denom0        -> Delegation
    0x22 | len | delegator | denom0 | len | dst | T         -> Redelegation
    0x23 | T                                               -> QueuedRedelegation
    0x24 | len | T | len | delegator                       -> QueuedUndelegation
    0x31 | len | src | len | T | denom0 | len | dst | len | delegator   -> empty (by source)
    0x32 | len | operator | len | T | denom0 | len | delegator          -> empty (by validator)

Iteration follows key order: assets by (len(denom), denom), so shorter denoms first; infos by
operator bytes; delegations by (delegator, operator, denom0). Keys are built only here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from app.chain.kv import KVReader, KVStore, decoded_by_stored_bytes
from app.modules.alliance.types import (
    AllianceAsset,
    AllianceValidatorInfo,
    Delegation,
    Params,
    QueuedRedelegation,
    QueuedUndelegation,
    Redelegation,
    RewardWeightChangeSnapshot,
)
from app.pb.alliance.alliance import alliance_pb2, delegations_pb2, params_pb2, redelegations_pb2
from app.types.address import AccAddress, ValAddress
from app.types.time import SECOND, Timestamp, format_rfc3339, parse_rfc3339

__all__ = [
    "STORE_NAME",
    "ParsedRedelegationIndexKey",
    "ParsedUndelegationIndexKey",
    "asset_key",
    "consume_rebalance_flag",
    "delegation_key",
    "delegations_prefix",
    "delete_asset",
    "delete_delegation",
    "delete_redelegation",
    "delete_redelegation_index",
    "delete_redelegation_queue",
    "delete_undelegation_bucket",
    "delete_undelegation_index",
    "delete_validator_info",
    "format_time_key",
    "get_asset",
    "get_delegation",
    "get_params",
    "get_redelegation",
    "get_redelegation_queue",
    "get_snapshot",
    "get_undelegation_bucket",
    "get_validator_info",
    "has_redelegation_to",
    "iterate_all_snapshots",
    "iterate_assets",
    "iterate_delegations",
    "iterate_mature_redelegation_queues",
    "iterate_mature_undelegation_buckets",
    "iterate_redelegation_index",
    "iterate_redelegations",
    "iterate_snapshots",
    "iterate_undelegation_buckets",
    "iterate_undelegation_index",
    "iterate_validator_infos",
    "parse_delegation_key",
    "parse_redelegation_index_key",
    "parse_redelegation_key",
    "parse_redelegation_queue_key",
    "parse_snapshot_key",
    "parse_time_key",
    "parse_undelegation_index_key",
    "parse_undelegation_queue_key",
    "parse_validator_info_key",
    "redelegation_index_key",
    "redelegation_index_prefix",
    "redelegation_key",
    "redelegation_queue_key",
    "redelegations_prefix",
    "set_asset",
    "set_delegation",
    "set_params",
    "set_rebalance_flag",
    "set_redelegation",
    "set_redelegation_index",
    "set_redelegation_queue",
    "set_snapshot",
    "set_undelegation_bucket",
    "set_undelegation_index",
    "set_validator_info",
    "snapshot_key",
    "snapshot_prefix",
    "undelegation_index_key",
    "undelegation_index_prefix",
    "undelegation_queue_key",
    "validator_info_key",
]

STORE_NAME: Final = "alliance"
"""The alliance store key, as upstream."""

PARAMS_KEY: Final = b"\x02"
ASSET_PREFIX: Final = b"\x11"
VALIDATOR_INFO_PREFIX: Final = b"\x12"
REBALANCE_FLAG_KEY: Final = b"\x13"
SNAPSHOT_PREFIX: Final = b"\x14"
DELEGATION_PREFIX: Final = b"\x21"
REDELEGATION_PREFIX: Final = b"\x22"
REDELEGATION_QUEUE_PREFIX: Final = b"\x23"
UNDELEGATION_QUEUE_PREFIX: Final = b"\x24"
REDELEGATION_BY_SOURCE_PREFIX: Final = b"\x31"
UNDELEGATION_BY_VALIDATOR_PREFIX: Final = b"\x32"

TIME_KEY_LENGTH: Final = 29
"""Length of a sortable time: ``YYYY-MM-DDThh:mm:ss.nnnnnnnnn``."""


# ---- key pieces --------------------------------------------------------------------------------


def _length_prefixed(data: bytes) -> bytes:
    """len(data) as one byte, then data (``address.MustLengthPrefix``; > 255 bytes is a bug)."""
    if len(data) > 255:
        raise ValueError(f"key part of {len(data)} bytes exceeds 255")
    return bytes((len(data),)) + data


def _denom_part(denom: str) -> bytes:
    """len(denom)+1 | denom | 0x00, the denom encoding of every key that holds one."""
    return _length_prefixed(denom.encode() + b"\x00")


def format_time_key(time: Timestamp) -> bytes:
    """The 29-byte sortable UTC form ``YYYY-MM-DDThh:mm:ss.nnnnnnnnn`` (``FormatTimeBytes``)."""
    nanos = time % SECOND
    whole_seconds = format_rfc3339(Timestamp(time - nanos))[:-1]  # drop "Z"
    return f"{whole_seconds}.{nanos:09d}".encode()


def parse_time_key(raw: bytes) -> Timestamp:
    """Inverse of `format_time_key`. Raises `ValueError` on any other bytes."""
    if len(raw) != TIME_KEY_LENGTH:
        raise ValueError(f"time key of {len(raw)} bytes, expected {TIME_KEY_LENGTH}")
    return parse_rfc3339(raw.decode() + "Z")


class _Reader:
    """Walks a key: each `take_*` consumes one part; `end` checks nothing is left."""

    __slots__ = ("_at", "_key")

    def __init__(self, key: bytes, prefix: bytes) -> None:
        if not key.startswith(prefix):
            raise ValueError(f"key {key.hex()} lacks prefix {prefix.hex()}")
        self._key = key
        self._at = len(prefix)

    def take(self, length: int) -> bytes:
        part = self._key[self._at : self._at + length]
        if len(part) != length:
            raise ValueError(f"key {self._key.hex()} is too short")
        self._at += length
        return part

    def take_prefixed(self) -> bytes:
        return self.take(self.take(1)[0])

    def take_denom(self) -> str:
        part = self.take_prefixed()
        if not part.endswith(b"\x00"):
            raise ValueError(f"denom part {part!r} lacks its 0x00 terminator")
        return part[:-1].decode()

    def take_time(self, prefixed: bool) -> Timestamp:
        return parse_time_key(self.take_prefixed() if prefixed else self.take(TIME_KEY_LENGTH))

    def end(self) -> None:
        if self._at != len(self._key):
            raise ValueError(f"key {self._key.hex()} has trailing bytes")


# ---- key builders and parsers ------------------------------------------------------------------


def asset_key(denom: str) -> bytes:
    """0x11 | len | denom."""
    return ASSET_PREFIX + _length_prefixed(denom.encode())


def validator_info_key(operator: ValAddress) -> bytes:
    """0x12 | len | operator."""
    return VALIDATOR_INFO_PREFIX + _length_prefixed(operator)


def parse_validator_info_key(key: bytes) -> ValAddress:
    reader = _Reader(key, VALIDATOR_INFO_PREFIX)
    operator = ValAddress(reader.take_prefixed())
    reader.end()
    return operator


def snapshot_prefix(denom: str, operator: ValAddress) -> bytes:
    """0x14 | denom0 | len | operator: every snapshot of one asset on one validator."""
    return SNAPSHOT_PREFIX + _denom_part(denom) + _length_prefixed(operator)


def snapshot_key(denom: str, operator: ValAddress, height: int) -> bytes:
    """0x14 | denom0 | len | operator | height (uint64 big-endian), so heights sort."""
    return snapshot_prefix(denom, operator) + height.to_bytes(8, "big")


def parse_snapshot_key(key: bytes) -> tuple[str, ValAddress, int]:
    """(denom, operator, height) of a snapshot key."""
    reader = _Reader(key, SNAPSHOT_PREFIX)
    denom = reader.take_denom()
    operator = ValAddress(reader.take_prefixed())
    height = int.from_bytes(reader.take(8), "big")
    reader.end()
    return denom, operator, height


def delegations_prefix(delegator: AccAddress) -> bytes:
    """0x21 | len | delegator: every delegation of one delegator."""
    return DELEGATION_PREFIX + _length_prefixed(delegator)


def delegation_key(delegator: AccAddress, operator: ValAddress, denom: str) -> bytes:
    """0x21 | len | delegator | len | operator | denom0."""
    return delegations_prefix(delegator) + _length_prefixed(operator) + _denom_part(denom)


def parse_delegation_key(key: bytes) -> tuple[AccAddress, ValAddress, str]:
    """(delegator, operator, denom) of a delegation key."""
    reader = _Reader(key, DELEGATION_PREFIX)
    delegator = AccAddress(reader.take_prefixed())
    operator = ValAddress(reader.take_prefixed())
    denom = reader.take_denom()
    reader.end()
    return delegator, operator, denom


def redelegation_key(
    delegator: AccAddress, denom: str, destination: ValAddress, completion: Timestamp
) -> bytes:
    """0x22 | len | delegator | denom0 | len | dst | T."""
    return (
        REDELEGATION_PREFIX
        + _length_prefixed(delegator)
        + _denom_part(denom)
        + _length_prefixed(destination)
        + format_time_key(completion)
    )


def parse_redelegation_key(key: bytes) -> tuple[AccAddress, str, ValAddress, Timestamp]:
    """(delegator, denom, destination, completion) of a redelegation record key."""
    reader = _Reader(key, REDELEGATION_PREFIX)
    delegator = AccAddress(reader.take_prefixed())
    denom = reader.take_denom()
    destination = ValAddress(reader.take_prefixed())
    completion = reader.take_time(prefixed=False)
    reader.end()
    return delegator, denom, destination, completion


def redelegation_queue_key(completion: Timestamp) -> bytes:
    """0x23 | T."""
    return REDELEGATION_QUEUE_PREFIX + format_time_key(completion)


def parse_redelegation_queue_key(key: bytes) -> Timestamp:
    reader = _Reader(key, REDELEGATION_QUEUE_PREFIX)
    completion = reader.take_time(prefixed=False)
    reader.end()
    return completion


def redelegation_index_key(
    source: ValAddress,
    completion: Timestamp,
    denom: str,
    destination: ValAddress,
    delegator: AccAddress,
) -> bytes:
    """0x31 | len | src | len | T | denom0 | len | dst | len | delegator."""
    return (
        REDELEGATION_BY_SOURCE_PREFIX
        + _length_prefixed(source)
        + _length_prefixed(format_time_key(completion))
        + _denom_part(denom)
        + _length_prefixed(destination)
        + _length_prefixed(delegator)
    )


@dataclass(frozen=True, slots=True)
class ParsedRedelegationIndexKey:
    """The parts of a 0x31 key; `record_key` is the redelegation record it points to."""

    source: ValAddress
    completion: Timestamp
    denom: str
    destination: ValAddress
    delegator: AccAddress

    @property
    def record_key(self) -> bytes:
        return redelegation_key(self.delegator, self.denom, self.destination, self.completion)


def parse_redelegation_index_key(key: bytes) -> ParsedRedelegationIndexKey:
    reader = _Reader(key, REDELEGATION_BY_SOURCE_PREFIX)
    source = ValAddress(reader.take_prefixed())
    completion = reader.take_time(prefixed=True)
    denom = reader.take_denom()
    destination = ValAddress(reader.take_prefixed())
    delegator = AccAddress(reader.take_prefixed())
    reader.end()
    return ParsedRedelegationIndexKey(source, completion, denom, destination, delegator)


def undelegation_queue_key(completion: Timestamp, delegator: AccAddress) -> bytes:
    """0x24 | len | T | len | delegator: one bucket per (completion, delegator)."""
    return (
        UNDELEGATION_QUEUE_PREFIX
        + _length_prefixed(format_time_key(completion))
        + _length_prefixed(delegator)
    )


def parse_undelegation_queue_key(key: bytes) -> tuple[Timestamp, AccAddress]:
    reader = _Reader(key, UNDELEGATION_QUEUE_PREFIX)
    completion = reader.take_time(prefixed=True)
    delegator = AccAddress(reader.take_prefixed())
    reader.end()
    return completion, delegator


def undelegation_index_key(
    operator: ValAddress, completion: Timestamp, denom: str, delegator: AccAddress
) -> bytes:
    """0x32 | len | operator | len | T | denom0 | len | delegator."""
    return (
        UNDELEGATION_BY_VALIDATOR_PREFIX
        + _length_prefixed(operator)
        + _length_prefixed(format_time_key(completion))
        + _denom_part(denom)
        + _length_prefixed(delegator)
    )


@dataclass(frozen=True, slots=True)
class ParsedUndelegationIndexKey:
    """The parts of a 0x32 key; `queue_key` is the bucket it points to."""

    operator: ValAddress
    completion: Timestamp
    denom: str
    delegator: AccAddress

    @property
    def queue_key(self) -> bytes:
        return undelegation_queue_key(self.completion, self.delegator)


def parse_undelegation_index_key(key: bytes) -> ParsedUndelegationIndexKey:
    reader = _Reader(key, UNDELEGATION_BY_VALIDATOR_PREFIX)
    operator = ValAddress(reader.take_prefixed())
    completion = reader.take_time(prefixed=True)
    denom = reader.take_denom()
    delegator = AccAddress(reader.take_prefixed())
    reader.end()
    return ParsedUndelegationIndexKey(operator, completion, denom, delegator)


# ---- typed access ------------------------------------------------------------------------------


# A delegate reads the same asset, validator info and delegation several times per tx.


@decoded_by_stored_bytes
def _decode_params(raw: bytes) -> Params:
    return Params.from_proto(params_pb2.Params.FromString(raw))


@decoded_by_stored_bytes
def _decode_asset(raw: bytes) -> AllianceAsset:
    return AllianceAsset.from_proto(alliance_pb2.AllianceAsset.FromString(raw))


@decoded_by_stored_bytes
def _decode_validator_info(raw: bytes) -> AllianceValidatorInfo:
    return AllianceValidatorInfo.from_proto(delegations_pb2.AllianceValidatorInfo.FromString(raw))


@decoded_by_stored_bytes
def _decode_delegation(raw: bytes) -> Delegation:
    return Delegation.from_proto(delegations_pb2.Delegation.FromString(raw))


def _encode(record: AllianceAsset | AllianceValidatorInfo | Delegation | Params) -> bytes:
    return record.to_proto().SerializeToString(deterministic=True)


def get_params(store: KVReader) -> Params:
    """The params; all zero (durations 0, zero time) on an empty store, as upstream."""
    raw = store.get(PARAMS_KEY)
    return _decode_params(raw or b"")


def set_params(store: KVStore, params: Params) -> None:
    store.set(PARAMS_KEY, _encode(params))


def get_asset(store: KVReader, denom: str) -> AllianceAsset | None:
    raw = store.get(asset_key(denom))
    return None if raw is None else _decode_asset(raw)


def set_asset(store: KVStore, asset: AllianceAsset) -> None:
    store.set(asset_key(asset.denom), _encode(asset))


def delete_asset(store: KVStore, denom: str) -> None:
    store.delete(asset_key(denom))


def iterate_assets(store: KVReader) -> Iterator[AllianceAsset]:
    """Every asset in key order: shorter denoms first, then bytewise."""
    for _, raw in store.iterate_prefix(ASSET_PREFIX):
        yield _decode_asset(raw)


def get_validator_info(store: KVReader, operator: ValAddress) -> AllianceValidatorInfo | None:
    raw = store.get(validator_info_key(operator))
    if raw is None:
        return None
    return _decode_validator_info(raw)


def set_validator_info(store: KVStore, operator: ValAddress, info: AllianceValidatorInfo) -> None:
    store.set(validator_info_key(operator), _encode(info))


def delete_validator_info(store: KVStore, operator: ValAddress) -> None:
    store.delete(validator_info_key(operator))


def iterate_validator_infos(
    store: KVReader,
) -> Iterator[tuple[ValAddress, AllianceValidatorInfo]]:
    """Every validator info in operator-bytes order."""
    for key, raw in store.iterate_prefix(VALIDATOR_INFO_PREFIX):
        yield parse_validator_info_key(key), _decode_validator_info(raw)


def set_rebalance_flag(store: KVStore) -> None:
    """Asks the next EndBlock to rebalance (`QueueAssetRebalanceEvent`)."""
    store.set(REBALANCE_FLAG_KEY, b"\x00")


def consume_rebalance_flag(store: KVStore) -> bool:
    """Whether a rebalance was asked for, clearing the request (`ConsumeAssetRebalanceEvent`)."""
    if store.get(REBALANCE_FLAG_KEY) is None:
        return False
    store.delete(REBALANCE_FLAG_KEY)
    return True


def get_delegation(
    store: KVReader, delegator: AccAddress, operator: ValAddress, denom: str
) -> Delegation | None:
    raw = store.get(delegation_key(delegator, operator, denom))
    return None if raw is None else _decode_delegation(raw)


def set_delegation(
    store: KVStore, delegator: AccAddress, operator: ValAddress, delegation: Delegation
) -> None:
    store.set(delegation_key(delegator, operator, delegation.denom), _encode(delegation))


def delete_delegation(
    store: KVStore, delegator: AccAddress, operator: ValAddress, denom: str
) -> None:
    store.delete(delegation_key(delegator, operator, denom))


def iterate_delegations(
    store: KVReader, delegator: AccAddress | None = None
) -> Iterator[Delegation]:
    """Every delegation (of one delegator when given), in key order."""
    prefix = DELEGATION_PREFIX if delegator is None else delegations_prefix(delegator)
    for _, raw in store.iterate_prefix(prefix):
        yield _decode_delegation(raw)


def get_snapshot(
    store: KVReader, denom: str, operator: ValAddress, height: int
) -> RewardWeightChangeSnapshot | None:
    raw = store.get(snapshot_key(denom, operator, height))
    if raw is None:
        return None
    return RewardWeightChangeSnapshot.from_proto(
        alliance_pb2.RewardWeightChangeSnapshot.FromString(raw)
    )


def set_snapshot(
    store: KVStore,
    denom: str,
    operator: ValAddress,
    height: int,
    snapshot: RewardWeightChangeSnapshot,
) -> None:
    """Writes a snapshot; a second change in the same block overwrites it (same key)."""
    raw = snapshot.to_proto().SerializeToString(deterministic=True)
    store.set(snapshot_key(denom, operator, height), raw)


def iterate_snapshots(
    store: KVReader, denom: str, operator: ValAddress, from_height: int
) -> Iterator[tuple[int, RewardWeightChangeSnapshot]]:
    """The snapshots of (denom, operator) at heights >= from_height, ascending."""
    prefix = snapshot_prefix(denom, operator)
    end = _prefix_end(prefix)
    for key, raw in store.iterate(prefix + from_height.to_bytes(8, "big"), end):
        snapshot = RewardWeightChangeSnapshot.from_proto(
            alliance_pb2.RewardWeightChangeSnapshot.FromString(raw)
        )
        yield parse_snapshot_key(key)[2], snapshot


def get_undelegation_bucket(
    store: KVReader, completion: Timestamp, delegator: AccAddress
) -> QueuedUndelegation | None:
    raw = store.get(undelegation_queue_key(completion, delegator))
    if raw is None:
        return None
    return QueuedUndelegation.from_proto(delegations_pb2.QueuedUndelegation.FromString(raw))


def set_undelegation_bucket(
    store: KVStore, completion: Timestamp, delegator: AccAddress, bucket: QueuedUndelegation
) -> None:
    raw = bucket.to_proto().SerializeToString(deterministic=True)
    store.set(undelegation_queue_key(completion, delegator), raw)


def get_redelegation_queue(store: KVReader, completion: Timestamp) -> QueuedRedelegation | None:
    raw = store.get(redelegation_queue_key(completion))
    if raw is None:
        return None
    return QueuedRedelegation.from_proto(redelegations_pb2.QueuedRedelegation.FromString(raw))


def set_redelegation_queue(
    store: KVStore, completion: Timestamp, queue: QueuedRedelegation
) -> None:
    raw = queue.to_proto().SerializeToString(deterministic=True)
    store.set(redelegation_queue_key(completion), raw)


def _prefix_end(prefix: bytes) -> bytes | None:
    """The smallest key greater than every key starting with `prefix` (None: no bound)."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes((stripped[-1] + 1,))


# ---- redelegations -----------------------------------------------------------------------------


def _redelegation_from(raw: bytes) -> Redelegation:
    return Redelegation.from_proto(redelegations_pb2.Redelegation.FromString(raw))


def get_redelegation(
    store: KVReader,
    delegator: AccAddress,
    denom: str,
    destination: ValAddress,
    completion: Timestamp,
) -> Redelegation | None:
    raw = store.get(redelegation_key(delegator, denom, destination, completion))
    return None if raw is None else _redelegation_from(raw)


def set_redelegation(
    store: KVStore,
    delegator: AccAddress,
    denom: str,
    destination: ValAddress,
    completion: Timestamp,
    redelegation: Redelegation,
) -> None:
    raw = redelegation.to_proto().SerializeToString(deterministic=True)
    store.set(redelegation_key(delegator, denom, destination, completion), raw)


def delete_redelegation(
    store: KVStore,
    delegator: AccAddress,
    denom: str,
    destination: ValAddress,
    completion: Timestamp,
) -> None:
    store.delete(redelegation_key(delegator, denom, destination, completion))


def redelegations_prefix(delegator: AccAddress, denom: str | None) -> bytes:
    """0x22 | len | delegator (| denom0): the redelegation records of a delegator (and denom)."""
    prefix = REDELEGATION_PREFIX + _length_prefixed(delegator)
    return prefix if denom is None else prefix + _denom_part(denom)


def has_redelegation_to(
    store: KVReader, delegator: AccAddress, denom: str, destination: ValAddress
) -> bool:
    """Whether a redelegation of (delegator, denom) into `destination` is still recorded."""
    prefix = redelegations_prefix(delegator, denom) + _length_prefixed(destination)
    return any(True for _ in store.iterate_prefix(prefix))


def iterate_redelegations(
    store: KVReader, delegator: AccAddress | None = None, denom: str | None = None
) -> Iterator[tuple[bytes, Timestamp, Redelegation]]:
    """(key below 0x22, completion, record) of every record, of one delegator (and denom)."""
    prefix = REDELEGATION_PREFIX if delegator is None else redelegations_prefix(delegator, denom)
    for key, raw in store.iterate_prefix(prefix):
        yield key[len(prefix) :], parse_redelegation_key(key)[3], _redelegation_from(raw)


def redelegation_index_prefix(source: ValAddress) -> bytes:
    """0x31 | len | src: the redelegations out of one validator."""
    return REDELEGATION_BY_SOURCE_PREFIX + _length_prefixed(source)


def set_redelegation_index(store: KVStore, index: ParsedRedelegationIndexKey) -> None:
    key = redelegation_index_key(
        index.source, index.completion, index.denom, index.destination, index.delegator
    )
    store.set(key, b"")


def delete_redelegation_index(store: KVStore, index: ParsedRedelegationIndexKey) -> None:
    key = redelegation_index_key(
        index.source, index.completion, index.denom, index.destination, index.delegator
    )
    store.delete(key)


def iterate_redelegation_index(
    store: KVReader, source: ValAddress
) -> Iterator[ParsedRedelegationIndexKey]:
    """The index entries of the redelegations out of `source`, by completion time."""
    for key, _ in store.iterate_prefix(redelegation_index_prefix(source)):
        yield parse_redelegation_index_key(key)


def iterate_mature_redelegation_queues(
    store: KVReader, before: Timestamp
) -> Iterator[tuple[Timestamp, QueuedRedelegation]]:
    """The redelegation queues completing strictly before `before`, oldest first."""
    end = redelegation_queue_key(before)
    for key, raw in store.iterate(REDELEGATION_QUEUE_PREFIX, end):
        queue = QueuedRedelegation.from_proto(redelegations_pb2.QueuedRedelegation.FromString(raw))
        yield parse_redelegation_queue_key(key), queue


def delete_redelegation_queue(store: KVStore, completion: Timestamp) -> None:
    store.delete(redelegation_queue_key(completion))


# ---- undelegations -----------------------------------------------------------------------------


def _bucket_from(raw: bytes) -> QueuedUndelegation:
    return QueuedUndelegation.from_proto(delegations_pb2.QueuedUndelegation.FromString(raw))


def delete_undelegation_bucket(
    store: KVStore, completion: Timestamp, delegator: AccAddress
) -> None:
    store.delete(undelegation_queue_key(completion, delegator))


def iterate_undelegation_buckets(
    store: KVReader,
) -> Iterator[tuple[Timestamp, AccAddress, QueuedUndelegation]]:
    """Every pending bucket, by completion time then delegator."""
    for key, raw in store.iterate_prefix(UNDELEGATION_QUEUE_PREFIX):
        completion, delegator = parse_undelegation_queue_key(key)
        yield completion, delegator, _bucket_from(raw)


def iterate_mature_undelegation_buckets(
    store: KVReader, before: Timestamp
) -> Iterator[tuple[Timestamp, AccAddress, QueuedUndelegation]]:
    """The buckets completing strictly before `before`, oldest first."""
    end = UNDELEGATION_QUEUE_PREFIX + _length_prefixed(format_time_key(before))
    for key, raw in store.iterate(UNDELEGATION_QUEUE_PREFIX, end):
        completion, delegator = parse_undelegation_queue_key(key)
        yield completion, delegator, _bucket_from(raw)


def undelegation_index_prefix(operator: ValAddress) -> bytes:
    """0x32 | len | operator: the undelegations from one validator."""
    return UNDELEGATION_BY_VALIDATOR_PREFIX + _length_prefixed(operator)


def set_undelegation_index(store: KVStore, index: ParsedUndelegationIndexKey) -> None:
    key = undelegation_index_key(index.operator, index.completion, index.denom, index.delegator)
    store.set(key, b"")


def delete_undelegation_index(store: KVStore, index: ParsedUndelegationIndexKey) -> None:
    key = undelegation_index_key(index.operator, index.completion, index.denom, index.delegator)
    store.delete(key)


def iterate_undelegation_index(
    store: KVReader, operator: ValAddress | None = None
) -> Iterator[ParsedUndelegationIndexKey]:
    """The index entries (of one validator when given), in key order."""
    prefix = (
        UNDELEGATION_BY_VALIDATOR_PREFIX
        if operator is None
        else undelegation_index_prefix(operator)
    )
    for key, _ in store.iterate_prefix(prefix):
        yield parse_undelegation_index_key(key)


# ---- snapshots ---------------------------------------------------------------------------------


def iterate_all_snapshots(
    store: KVReader,
) -> Iterator[tuple[str, ValAddress, int, RewardWeightChangeSnapshot]]:
    """Every snapshot as (denom, operator, height, snapshot), in key order."""
    for key, raw in store.iterate_prefix(SNAPSHOT_PREFIX):
        denom, operator, height = parse_snapshot_key(key)
        snapshot = RewardWeightChangeSnapshot.from_proto(
            alliance_pb2.RewardWeightChangeSnapshot.FromString(raw)
        )
        yield denom, operator, height, snapshot
