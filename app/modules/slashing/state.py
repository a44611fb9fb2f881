"""Slashing state: params, signing infos, missed-block bitmaps, pubkeys; store ``slashing``.

Key table (store ``slashing``), as cosmos-sdk v0.50 ``x/slashing/types/keys.go``:

    0x00                                         -> Params
    0x01 | len(cons) | cons                      -> ValidatorSigningInfo
    0x02 | len(cons) | cons | chunk (8 bytes BE) -> missed-block bitmap chunk (128 bytes)
    0x03 | len(cons) | cons                      -> consensus pubkey (ed25519, 32 bytes)

The missed-block bitmap of a validator covers its signed-blocks window in chunks of 1024 bits;
bit ``i`` of a chunk is bit ``i % 8`` of byte ``i // 8``. An all-clear chunk is deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.chain.kv import KVStore
from app.pb.cosmos.slashing.v1beta1 import slashing_pb2
from app.types.address import cons_to_bech32
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import (
    SECOND,
    Duration,
    Timestamp,
    duration_from_proto,
    duration_to_proto,
    timestamp_from_proto,
    timestamp_to_proto,
)

STORE_NAME = "slashing"

PARAMS_KEY = b"\x00"
SIGNING_INFO_PREFIX = b"\x01"
MISSED_BLOCK_BITMAP_PREFIX = b"\x02"
PUBKEY_PREFIX = b"\x03"

MISSED_BLOCK_CHUNK_BITS = 1024
"""Bits per bitmap chunk (``MissedBlockBitmapChunkSize``)."""

UNIX_EPOCH = Timestamp(0)
"""``time.Unix(0, 0)``: the ``jailed_until`` of a validator never jailed."""


def length_prefixed(address: bytes) -> bytes:
    return bytes((len(address),)) + address


def signing_info_key(cons: bytes) -> bytes:
    return SIGNING_INFO_PREFIX + length_prefixed(cons)


def missed_bitmap_prefix(cons: bytes) -> bytes:
    return MISSED_BLOCK_BITMAP_PREFIX + length_prefixed(cons)


def missed_bitmap_chunk_key(cons: bytes, chunk: int) -> bytes:
    return missed_bitmap_prefix(cons) + chunk.to_bytes(8, "big")


def pubkey_key(cons: bytes) -> bytes:
    return PUBKEY_PREFIX + length_prefixed(cons)


# ---- params ------------------------------------------------------------------------------------


DEFAULT_MIN_SIGNED_PER_WINDOW = Dec.new_with_prec(5, 1)
DEFAULT_DOWNTIME_JAIL_DURATION = Duration(600 * SECOND)
DEFAULT_SLASH_FRACTION_DOUBLE_SIGN = Dec.new_with_prec(5, 2)
DEFAULT_SLASH_FRACTION_DOWNTIME = Dec.new_with_prec(1, 2)


@dataclass(frozen=True, slots=True)
class Params:
    """Slashing params; the defaults are the SDK's (``types/params.go``)."""

    signed_blocks_window: int = 100
    min_signed_per_window: Dec = DEFAULT_MIN_SIGNED_PER_WINDOW
    downtime_jail_duration: Duration = DEFAULT_DOWNTIME_JAIL_DURATION
    slash_fraction_double_sign: Dec = DEFAULT_SLASH_FRACTION_DOUBLE_SIGN
    slash_fraction_downtime: Dec = DEFAULT_SLASH_FRACTION_DOWNTIME

    def min_signed_blocks(self) -> int:
        """Blocks a validator must sign per window: round(min_signed_per_window × window)
        (``MinSignedPerWindowInt``, banker's rounding of LegacyDec ``RoundInt64``)."""
        return int(self.min_signed_per_window.mul_int(Int(self.signed_blocks_window)).round_int())

    def max_missed_blocks(self) -> int:
        """Blocks a validator may miss per window before it is slashed for downtime."""
        return self.signed_blocks_window - self.min_signed_blocks()

    def to_proto(self) -> slashing_pb2.Params:
        return slashing_pb2.Params(
            signed_blocks_window=self.signed_blocks_window,
            min_signed_per_window=self.min_signed_per_window.to_proto_str(),
            downtime_jail_duration=duration_to_proto(self.downtime_jail_duration),
            slash_fraction_double_sign=self.slash_fraction_double_sign.to_proto_str(),
            slash_fraction_downtime=self.slash_fraction_downtime.to_proto_str(),
        )

    @classmethod
    def from_proto(cls, pb: slashing_pb2.Params) -> Params:
        """The params in `pb`, unchecked (see `msgs.validate_params`); raises `ValueError` on a
        malformed decimal."""
        return cls(
            signed_blocks_window=pb.signed_blocks_window,
            min_signed_per_window=Dec.from_proto_str(pb.min_signed_per_window),
            downtime_jail_duration=duration_from_proto(pb.downtime_jail_duration),
            slash_fraction_double_sign=Dec.from_proto_str(pb.slash_fraction_double_sign),
            slash_fraction_downtime=Dec.from_proto_str(pb.slash_fraction_downtime),
        )


def get_params(store: KVStore) -> Params:
    raw = store.get(PARAMS_KEY)
    return Params() if raw is None else Params.from_proto(slashing_pb2.Params.FromString(raw))


def set_params(store: KVStore, params: Params) -> None:
    store.set(PARAMS_KEY, params.to_proto().SerializeToString(deterministic=True))


# ---- signing infos -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SigningInfo:
    """A validator's liveness record (``ValidatorSigningInfo``), keyed by consensus address."""

    address: bytes
    start_height: int = 0
    index_offset: int = 0
    jailed_until: Timestamp = UNIX_EPOCH
    tombstoned: bool = False
    missed_blocks_counter: int = 0

    def to_proto(self) -> slashing_pb2.ValidatorSigningInfo:
        return slashing_pb2.ValidatorSigningInfo(
            address=cons_to_bech32(self.address),
            start_height=self.start_height,
            index_offset=self.index_offset,
            jailed_until=timestamp_to_proto(self.jailed_until),
            tombstoned=self.tombstoned,
            missed_blocks_counter=self.missed_blocks_counter,
        )

    @classmethod
    def from_proto(cls, address: bytes, pb: slashing_pb2.ValidatorSigningInfo) -> SigningInfo:
        return cls(
            address=address,
            start_height=pb.start_height,
            index_offset=pb.index_offset,
            jailed_until=timestamp_from_proto(pb.jailed_until),
            tombstoned=pb.tombstoned,
            missed_blocks_counter=pb.missed_blocks_counter,
        )


def get_signing_info(store: KVStore, cons: bytes) -> SigningInfo | None:
    raw = store.get(signing_info_key(cons))
    if raw is None:
        return None
    return SigningInfo.from_proto(cons, slashing_pb2.ValidatorSigningInfo.FromString(raw))


def set_signing_info(store: KVStore, info: SigningInfo) -> None:
    store.set(signing_info_key(info.address), info.to_proto().SerializeToString(deterministic=True))


def iterate_signing_infos(store: KVStore) -> Iterator[SigningInfo]:
    """Every signing info, in consensus-address key order."""
    for key, raw in store.iterate_prefix(SIGNING_INFO_PREFIX):
        cons = key[2 : 2 + key[1]]
        yield SigningInfo.from_proto(cons, slashing_pb2.ValidatorSigningInfo.FromString(raw))


# ---- missed-block bitmap -----------------------------------------------------------------------


def get_missed_block(store: KVStore, cons: bytes, index: int) -> bool:
    """Whether the validator missed the block at window position `index`."""
    chunk, bit = divmod(index, MISSED_BLOCK_CHUNK_BITS)
    raw = store.get(missed_bitmap_chunk_key(cons, chunk))
    return raw is not None and bool(raw[bit // 8] >> (bit % 8) & 1)


def set_missed_block(store: KVStore, cons: bytes, index: int, missed: bool) -> None:
    """Set or clear the bit of window position `index`; an all-clear chunk is deleted."""
    chunk, bit = divmod(index, MISSED_BLOCK_CHUNK_BITS)
    key = missed_bitmap_chunk_key(cons, chunk)
    raw = store.get(key)
    bits = bytearray(raw if raw is not None else bytes(MISSED_BLOCK_CHUNK_BITS // 8))
    if missed:
        bits[bit // 8] |= 1 << (bit % 8)
    else:
        bits[bit // 8] &= ~(1 << (bit % 8)) & 0xFF
    if any(bits):
        store.set(key, bytes(bits))
    else:
        store.delete(key)


def delete_missed_blocks(store: KVStore, cons: bytes) -> None:
    """Clear the whole bitmap of a validator."""
    keys = [key for key, _ in store.iterate_prefix(missed_bitmap_prefix(cons))]
    for key in keys:
        store.delete(key)


def iterate_missed_blocks(store: KVStore, cons: bytes) -> Iterator[int]:
    """Window positions the validator missed, ascending."""
    prefix = missed_bitmap_prefix(cons)
    for key, raw in store.iterate_prefix(prefix):
        base = int.from_bytes(key[len(prefix) :], "big") * MISSED_BLOCK_CHUNK_BITS
        for byte_index, byte in enumerate(raw):
            for bit in range(8):
                if byte >> bit & 1:
                    yield base + byte_index * 8 + bit


# ---- consensus pubkeys -------------------------------------------------------------------------


def has_pubkey(store: KVStore, cons: bytes) -> bool:
    return store.has(pubkey_key(cons))


def set_pubkey(store: KVStore, cons: bytes, pubkey: bytes) -> None:
    store.set(pubkey_key(cons), pubkey)


def delete_pubkey(store: KVStore, cons: bytes) -> None:
    store.delete(pubkey_key(cons))


def iterate_pubkeys(store: KVStore) -> Iterator[tuple[bytes, bytes]]:
    for key, raw in store.iterate_prefix(PUBKEY_PREFIX):
        yield key[2 : 2 + key[1]], raw
