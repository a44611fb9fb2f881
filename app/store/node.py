"""IAVL v1 tree nodes: layout, hashing and the on-disk body encoding.

Hashing (cosmos/iavl ``node.go`` ``writeHashBytes``), with zz = Go zig-zag varint and
uv = unsigned varint:

    leaf  = sha256(zz(0) ‖ zz(1) ‖ zz(version) ‖ uv(len key) ‖ key ‖ uv(32) ‖ sha256(value))
    inner = sha256(zz(height) ‖ zz(size) ‖ zz(version) ‖ uv(32) ‖ left.hash ‖ uv(32) ‖ right.hash)

Body on disk (ours; only the hash is consensus-relevant), stored under
``t ‖ sid ‖ BE64(version) ‖ BE32(nonce)``:

    leaf : 0x00 ‖ uv(len key) ‖ key ‖ uv(len value) ‖ value ‖ hash[32]
    inner: 0x01 ‖ uv(height) ‖ uv(size) ‖ uv(len key) ‖ key ‖ hash[32] ‖ leftNK[12] ‖ rightNK[12]
"""

from __future__ import annotations

from hashlib import sha256

from app.store.encoding import (
    SMALL_UVARINT_LIMIT,
    SMALL_UVARINTS,
    read_uvarint,
    uvarint,
    zigzag_varint,
)
from app.store.errors import StoreError

NODE_PREFIX = b"t"
"""LevelDB family of tree nodes: ``t ‖ sid ‖ BE64(version) ‖ BE32(nonce)``."""

NODE_KEY_LEN = 12
"""A node key inside a store: BE64(version) ‖ BE32(nonce)."""

HASH_LEN = 32
_LEN_HASH = b"\x20"  # uvarint(32), the length prefix of every hash inside a hashed preimage
_LEAF_HEIGHT_SIZE = b"\x00\x02"  # zz(height = 0) ‖ zz(size = 1)
_ZIGZAG_HEIGHTS: tuple[bytes, ...] = tuple(zigzag_varint(height) for height in range(64))
"""zz(height) for every possible height: an AVL tree of height 64 would hold over 2^44 leaves."""
_SMALL_ZIGZAG_LIMIT = SMALL_UVARINT_LIMIT >> 1
"""Non-negative values below this have zz(value) = SMALL_UVARINTS[2 * value]."""
_INNER_HEADS: tuple[bytes, ...] = tuple(b"\x01" + uvarint(height) for height in range(64))
"""Inner body prefix: tag ‖ uv(height)."""
_LEAF_TAG = 0
_INNER_TAG = 1


class Node:
    """One AVL+ node. Values live in leaves; an inner node's key is the smallest key on its right.

    A *persisted* node has ``db_key`` set and references its children only by ``left_key`` /
    ``right_key`` (full LevelDB keys), so a bounded node cache really bounds memory. A *new*
    node of the working version has ``db_key is None`` and holds ``left`` / ``right`` objects;
    it is mutated in place until it is saved, and never after. Child keys are ``b""`` until
    known (leaves never have children), so ``load(node.left_key)`` needs no None check.
    """

    __slots__ = (
        "db_key",
        "hash",
        "height",
        "key",
        "left",
        "left_key",
        "right",
        "right_key",
        "size",
        "value",
        "version",
    )

    def __init__(
        self,
        key: bytes,
        value: bytes | None,
        height: int,
        size: int,
        left: Node | None = None,
        right: Node | None = None,
    ) -> None:
        self.key = key
        self.value = value
        self.height = height
        self.size = size
        self.left = left
        self.right = right
        self.left_key = b""
        self.right_key = b""
        self.db_key: bytes | None = None
        self.hash: bytes = b""
        self.version = 0


def new_leaf(key: bytes, value: bytes) -> Node:
    """A fresh leaf of the working version."""
    return Node(key, value, 0, 1)


def leaf_hash(key: bytes, value: bytes, version_zz: bytes) -> bytes:
    """IAVL leaf hash; ``version_zz`` is zz(version), precomputed once per saved version."""
    return sha256(
        _LEAF_HEIGHT_SIZE
        + version_zz
        + uvarint(len(key))
        + key
        + _LEN_HASH
        + sha256(value).digest()
    ).digest()


def inner_hash(height: int, size: int, version_zz: bytes, left: bytes, right: bytes) -> bytes:
    """IAVL inner-node hash over the two child hashes."""
    size_zz = SMALL_UVARINTS[size << 1] if size < _SMALL_ZIGZAG_LIMIT else zigzag_varint(size)
    return sha256(
        b"".join((_ZIGZAG_HEIGHTS[height], size_zz, version_zz, _LEN_HASH, left, _LEN_HASH, right))
    ).digest()


def encode_node(node: Node) -> bytes:
    """The on-disk body of a saved node (children must already have node keys)."""
    key = node.key
    if node.height == 0:
        value = node.value
        assert value is not None  # a leaf always carries its value
        return b"".join((b"\x00", uvarint(len(key)), key, uvarint(len(value)), value, node.hash))
    return b"".join(
        (
            _INNER_HEADS[node.height],
            uvarint(node.size),
            uvarint(len(key)),
            key,
            node.hash,
            node.left_key[-NODE_KEY_LEN:],
            node.right_key[-NODE_KEY_LEN:],
        )
    )


def decode_node(db_key: bytes, body: bytes) -> Node:
    """Rebuild a persisted node from its LevelDB key and body.

    Child node keys are expanded to full LevelDB keys (same ``t ‖ sid`` prefix as ``db_key``).
    Raises StoreError on a corrupt body.
    """
    try:
        tag = body[0]
        if tag == _LEAF_TAG:
            key_len, pos = read_uvarint(body, 1)
            key = body[pos : pos + key_len]
            pos += key_len
            value_len, pos = read_uvarint(body, pos)
            value = body[pos : pos + value_len]
            pos += value_len
            node = Node(key, value, 0, 1)
        elif tag == _INNER_TAG:
            height, pos = read_uvarint(body, 1)
            size, pos = read_uvarint(body, pos)
            key_len, pos = read_uvarint(body, pos)
            key = body[pos : pos + key_len]
            pos += key_len
            node = Node(key, None, height, size)
            prefix = db_key[:-NODE_KEY_LEN]
            children = pos + HASH_LEN
            node.left_key = prefix + body[children : children + NODE_KEY_LEN]
            node.right_key = prefix + body[children + NODE_KEY_LEN : children + 2 * NODE_KEY_LEN]
        else:
            raise StoreError(f"corrupt node {db_key.hex()}: tag {tag}")
        node.hash = body[pos : pos + HASH_LEN]
    except (IndexError, ValueError) as exc:
        raise StoreError(f"corrupt node {db_key.hex()}") from exc
    if len(node.hash) != HASH_LEN:
        raise StoreError(f"corrupt node {db_key.hex()}: short hash")
    node.db_key = db_key
    node.version = int.from_bytes(db_key[-NODE_KEY_LEN:-4], "big")
    return node
