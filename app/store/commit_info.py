"""CommitInfo: the per-height list of store roots, and the app hash built from it.

App hash (cosmos-sdk ``store/types/commit_info.go`` ``Hash``, ``rootmulti/internal/maps``):
a CometBFT simple Merkle tree (RFC 6962: leaf = sha256(0x00 ‖ item), inner =
sha256(0x01 ‖ left ‖ right), split at the largest power of two below n) over the items

    uv(len name) ‖ name ‖ uv(32) ‖ sha256(store_root)          sorted by name

Every configured store is listed, an empty tree with root sha256("") (what IAVL ``Hash()``
returns for a nil root, and thus the SDK's ``CommitID.Hash`` after ``SaveVersion``).
No stores at all hashes to sha256("").

Wire format (``cosmos.store.v1beta1``): CommitInfo{1 version int64, 2 store_infos repeated
StoreInfo, 3 timestamp}; StoreInfo{1 name string, 2 commit_id CommitID}; CommitID{1 version
int64, 2 hash bytes}. The timestamp is left out: it is not part of the hash and the store knows
no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import sha256

from app.store.encoding import (
    DecodeError,
    as_int64,
    pb_bytes_field,
    pb_fields,
    pb_message_field,
    pb_varint_field,
    uvarint,
)

_LEAF_PREFIX = b"\x00"
_INNER_PREFIX = b"\x01"


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """One store's root at a height."""

    name: str
    version: int
    root_hash: bytes


@dataclass(frozen=True, slots=True)
class CommitInfo:
    """The roots of all stores at one height; ``store_infos`` sorted by name."""

    version: int
    store_infos: tuple[StoreInfo, ...]

    def hash(self) -> bytes:
        """The app hash: simple Merkle root over ``commit_info_leaf`` of each store."""
        return simple_merkle_root([commit_info_leaf(s.name, s.root_hash) for s in self.store_infos])

    def root_of(self, name: str) -> bytes:
        """Root hash of store ``name``; KeyError if it is not listed."""
        for info in self.store_infos:
            if info.name == name:
                return info.root_hash
        raise KeyError(name)


def commit_info_leaf(name: str, root_hash: bytes) -> bytes:
    """The simple-Merkle item of one store: the SDK's KVPair(name, sha256(root)) bytes."""
    raw = name.encode()
    return uvarint(len(raw)) + raw + uvarint(32) + sha256(root_hash).digest()


def leaf_digest(item: bytes) -> bytes:
    """RFC 6962 leaf hash."""
    return sha256(_LEAF_PREFIX + item).digest()


def inner_digest(left: bytes, right: bytes) -> bytes:
    """RFC 6962 inner hash."""
    return sha256(_INNER_PREFIX + left + right).digest()


def split_point(count: int) -> int:
    """Largest power of two strictly below ``count`` (count >= 2)."""
    return 1 << ((count - 1).bit_length() - 1)


def simple_merkle_root(items: list[bytes]) -> bytes:
    """CometBFT ``merkle.HashFromByteSlices``; sha256("") for no items."""
    if not items:
        return sha256(b"").digest()
    if len(items) == 1:
        return leaf_digest(items[0])
    k = split_point(len(items))
    return inner_digest(simple_merkle_root(items[:k]), simple_merkle_root(items[k:]))


def simple_merkle_aunts(items: list[bytes], index: int) -> list[tuple[bytes, bool]]:
    """Sibling hashes from the leaf at ``index`` up to the root, each with ``True`` when the
    sibling is on the right (the path node is a left child)."""
    if len(items) <= 1:
        return []
    k = split_point(len(items))
    if index < k:
        return [*simple_merkle_aunts(items[:k], index), (simple_merkle_root(items[k:]), True)]
    return [*simple_merkle_aunts(items[k:], index - k), (simple_merkle_root(items[:k]), False)]


def encode_commit_info(info: CommitInfo) -> bytes:
    """Deterministic protobuf bytes of a CommitInfo."""
    parts = [pb_varint_field(1, info.version)]
    for store in info.store_infos:
        commit_id = pb_varint_field(1, store.version) + pb_bytes_field(2, store.root_hash)
        body = pb_bytes_field(1, store.name.encode()) + pb_message_field(2, commit_id)
        parts.append(pb_message_field(2, body))
    return b"".join(parts)


def decode_commit_info(data: bytes) -> CommitInfo:
    """Parse CommitInfo bytes written by ``encode_commit_info``. Raises DecodeError."""
    version = 0
    stores: list[StoreInfo] = []
    for field, value in pb_fields(data):
        if field == 1 and isinstance(value, int):
            version = as_int64(value)
        elif field == 2 and isinstance(value, bytes):
            stores.append(_decode_store_info(value))
    return CommitInfo(version, tuple(stores))


def _decode_store_info(data: bytes) -> StoreInfo:
    name = ""
    version = 0
    root_hash = b""
    for field, value in pb_fields(data):
        if field == 1 and isinstance(value, bytes):
            name = value.decode()
        elif field == 2 and isinstance(value, bytes):
            for sub_field, sub_value in pb_fields(value):
                if sub_field == 1 and isinstance(sub_value, int):
                    version = as_int64(sub_value)
                elif sub_field == 2 and isinstance(sub_value, bytes):
                    root_hash = sub_value
        elif field not in (1, 2):
            raise DecodeError(f"unexpected StoreInfo field {field}")
    return StoreInfo(name, version, root_hash)
