"""ICS23 proofs: build ``CommitmentProof`` bytes for store queries and verify them.

A query proof is two ops, as the SDK emits them (spec/store.md §6.2): ``ics23:iavl`` proves the
key (or its absence) against the store root with IavlSpec; ``ics23:simple`` proves the store root
under its name against the app hash with TendermintSpec.

Messages (``cosmos.ics23.v1``), encoded by hand: CommitmentProof{1 exist, 2 nonexist};
ExistenceProof{1 key, 2 value, 3 leaf LeafOp, 4 path repeated InnerOp};
NonExistenceProof{1 key, 2 left, 3 right}; LeafOp{1 hash, 2 prehash_key, 3 prehash_value,
4 length, 5 prefix}; InnerOp{1 hash, 2 prefix, 3 suffix}. Enums: SHA256 = 1, VAR_PROTO = 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import sha256

from app.store.commit_info import CommitInfo, commit_info_leaf, simple_merkle_aunts
from app.store.encoding import (
    DecodeError,
    pb_bytes_field,
    pb_fields,
    pb_message_field,
    pb_varint_field,
    read_zigzag_varint,
    uvarint,
    zigzag_varint,
)
from app.store.errors import StoreError
from app.store.node import Node
from app.store.tree import NodeCache, left_of, right_of, tree_iterate

IAVL_OP_TYPE = "ics23:iavl"
SIMPLE_OP_TYPE = "ics23:simple"
_SHA256 = 1
_VAR_PROTO = 1
_LEN_HASH = b"\x20"


@dataclass(frozen=True, slots=True)
class ProofOp:
    """One CometBFT ``crypto.ProofOp``: type, key, CommitmentProof bytes."""

    type: str
    key: bytes
    data: bytes


@dataclass(frozen=True, slots=True)
class InnerOp:
    """hash(prefix ‖ child ‖ suffix)."""

    prefix: bytes
    suffix: bytes


@dataclass(frozen=True, slots=True)
class ExistenceProof:
    """A key/value, its leaf prefix and the inner ops from the leaf up to the root."""

    key: bytes
    value: bytes
    leaf_prefix: bytes
    path: tuple[InnerOp, ...]


@dataclass(frozen=True, slots=True)
class ProofSpec:
    """The parts of an ICS23 ProofSpec our two specs differ in (child order is [0, 1])."""

    leaf_prefix: bytes
    child_size: int
    min_prefix_length: int
    max_prefix_length: int
    iavl: bool


IAVL_SPEC = ProofSpec(b"\x00", 33, 4, 12, iavl=True)
"""ics23 ``IavlSpec``."""

TENDERMINT_SPEC = ProofSpec(b"\x00", 32, 1, 1, iavl=False)
"""ics23 ``TendermintSpec``."""

_MAX_DEPTH = 128  # IavlSpec/TendermintSpec leave max_depth 0, which ics23 reads as 128


# -- building ------------------------------------------------------------------------------------


def iavl_existence_proof(root: Node, key: bytes, cache: NodeCache) -> ExistenceProof | None:
    """ExistenceProof of ``key`` under ``root`` (IAVL ``proof_ics23.go``); None if absent."""
    path: list[InnerOp] = []
    node = root
    while node.height:
        left, right = left_of(node, cache), right_of(node, cache)
        head = zigzag_varint(node.height) + zigzag_varint(node.size) + zigzag_varint(node.version)
        if key < node.key:
            path.append(InnerOp(head + _LEN_HASH, _LEN_HASH + right.hash))
            node = left
        else:
            path.append(InnerOp(head + _LEN_HASH + left.hash + _LEN_HASH, b""))
            node = right
    if node.key != key or node.value is None:
        return None
    path.reverse()
    leaf_prefix = b"\x00\x02" + zigzag_varint(node.version)
    return ExistenceProof(key, node.value, leaf_prefix, tuple(path))


def prove_key(
    info: CommitInfo, root: Node | None, store_name: str, key: bytes, cache: NodeCache
) -> list[ProofOp]:
    """The two proof ops for ``key`` in ``store_name`` under CommitInfo ``info``.

    Raises StoreError for an absent key in an empty store (no neighbours to prove with).
    """
    if root is None:
        raise StoreError("cannot prove absence in an empty store")
    exist = iavl_existence_proof(root, key, cache)
    if exist is not None:
        store_proof = pb_message_field(1, encode_existence(exist))
    else:
        left_key = next(tree_iterate(root, None, key, True, cache), (None, b""))[0]
        right_key = next(tree_iterate(root, key, None, False, cache), (None, b""))[0]
        body = pb_bytes_field(1, key)
        for field, neighbour in ((2, left_key), (3, right_key)):
            if neighbour is not None:
                proof = iavl_existence_proof(root, neighbour, cache)
                assert proof is not None  # the neighbour was just read from this tree
                body += pb_message_field(field, encode_existence(proof))
        store_proof = pb_message_field(2, body)
    return [
        ProofOp(IAVL_OP_TYPE, key, store_proof),
        ProofOp(SIMPLE_OP_TYPE, store_name.encode(), commit_info_proof(info, store_name)),
    ]


def commit_info_proof(info: CommitInfo, store_name: str) -> bytes:
    """CommitmentProof{exist} of store ``store_name``'s root in the CommitInfo simple tree."""
    items = [commit_info_leaf(s.name, s.root_hash) for s in info.store_infos]
    names = [s.name for s in info.store_infos]
    if store_name not in names:
        raise StoreError(f"store {store_name!r} not in commit info")
    index = names.index(store_name)
    path = tuple(
        InnerOp(b"\x01", sibling) if on_right else InnerOp(b"\x01" + sibling, b"")
        for sibling, on_right in simple_merkle_aunts(items, index)
    )
    proof = ExistenceProof(store_name.encode(), info.root_of(store_name), b"\x00", path)
    return pb_message_field(1, encode_existence(proof))


def encode_existence(proof: ExistenceProof) -> bytes:
    """ExistenceProof protobuf bytes (LeafOp SHA256 / NO_HASH / SHA256 / VAR_PROTO)."""
    leaf = (
        pb_varint_field(1, _SHA256)
        + pb_varint_field(3, _SHA256)
        + pb_varint_field(4, _VAR_PROTO)
        + pb_bytes_field(5, proof.leaf_prefix)
    )
    parts = [
        pb_bytes_field(1, proof.key),
        pb_bytes_field(2, proof.value),
        pb_message_field(3, leaf),
    ]
    for op in proof.path:
        body = (
            pb_varint_field(1, _SHA256)
            + pb_bytes_field(2, op.prefix)
            + pb_bytes_field(3, op.suffix)
        )
        parts.append(pb_message_field(4, body))
    return b"".join(parts)


# -- decoding ------------------------------------------------------------------------------------


def _decode_existence(data: bytes) -> ExistenceProof:
    key = value = leaf_prefix = b""
    path: list[InnerOp] = []
    for field, raw in pb_fields(data):
        if not isinstance(raw, bytes):
            raise DecodeError("ExistenceProof fields are length-delimited")
        if field == 1:
            key = raw
        elif field == 2:
            value = raw
        elif field == 3:
            leaf_prefix = _decode_leaf_op(raw)
        elif field == 4:
            path.append(_decode_inner_op(raw))
    return ExistenceProof(key, value, leaf_prefix, tuple(path))


def _decode_leaf_op(data: bytes) -> bytes:
    """Return the prefix after checking the op is SHA256 / NO_HASH / SHA256 / VAR_PROTO."""
    fields = dict(pb_fields(data))
    if (fields.get(1), fields.get(2, 0), fields.get(3), fields.get(4)) != (
        _SHA256,
        0,
        _SHA256,
        _VAR_PROTO,
    ):
        raise DecodeError("leaf op does not match the spec")
    prefix = fields.get(5, b"")
    if not isinstance(prefix, bytes):
        raise DecodeError("bad leaf prefix")
    return prefix


def _decode_inner_op(data: bytes) -> InnerOp:
    fields = dict(pb_fields(data))
    prefix, suffix = fields.get(2, b""), fields.get(3, b"")
    if fields.get(1) != _SHA256 or not isinstance(prefix, bytes) or not isinstance(suffix, bytes):
        raise DecodeError("inner op does not match the spec")
    return InnerOp(prefix, suffix)


def _decode_commitment(data: bytes) -> tuple[int, bytes]:
    fields = list(pb_fields(data))
    if len(fields) != 1 or fields[0][0] not in (1, 2) or not isinstance(fields[0][1], bytes):
        raise DecodeError("CommitmentProof must hold exactly one exist or nonexist proof")
    return fields[0][0], fields[0][1]


# -- verifying -----------------------------------------------------------------------------------


def calculate_root(proof: ExistenceProof) -> bytes:
    """Apply the leaf op then each inner op: the root this proof commits to."""
    digest = sha256(
        proof.leaf_prefix
        + uvarint(len(proof.key))
        + proof.key
        + _LEN_HASH
        + sha256(proof.value).digest()
    ).digest()
    for op in proof.path:
        digest = sha256(op.prefix + digest + op.suffix).digest()
    return digest


def _iavl_prefix_ok(prefix: bytes, layer: int) -> bool:
    """ics23 ``validateIavlOps``: zig-zag height, size, version; then nothing (leaf) or 1 / 34
    bytes (inner)."""
    try:
        height, pos = read_zigzag_varint(prefix, 0)
        size, pos = read_zigzag_varint(prefix, pos)
        version, pos = read_zigzag_varint(prefix, pos)
    except DecodeError:
        return False
    if height < 0 or height < layer or size < 0 or version < 0:
        return False
    rest = len(prefix) - pos
    if layer == 0:
        return rest == 0 and height == 0 and size == 1
    return rest in (1, 34)


def _check_against_spec(proof: ExistenceProof, spec: ProofSpec) -> bool:
    if not proof.leaf_prefix.startswith(spec.leaf_prefix):
        return False
    if spec.iavl and not _iavl_prefix_ok(proof.leaf_prefix, 0):
        return False
    if len(proof.path) > _MAX_DEPTH:
        return False
    max_prefix = spec.max_prefix_length + spec.child_size  # one possible left sibling
    for layer, op in enumerate(proof.path, start=1):
        if op.prefix.startswith(spec.leaf_prefix):
            return False
        if not spec.min_prefix_length <= len(op.prefix) <= max_prefix:
            return False
        if len(op.suffix) % spec.child_size:
            return False
        if spec.iavl and not _iavl_prefix_ok(op.prefix, layer):
            return False
    return True


def _existence_ok(proof: ExistenceProof, spec: ProofSpec, root: bytes) -> bool:
    return _check_against_spec(proof, spec) and calculate_root(proof) == root


def _branch(op: InnerOp, spec: ProofSpec) -> int | None:
    """Which child (0 left, 1 right) the op's padding says the proven node is; None if neither."""
    for branch in (0, 1):
        min_prefix = branch * spec.child_size + spec.min_prefix_length
        max_prefix = branch * spec.child_size + spec.max_prefix_length
        suffix = (1 - branch) * spec.child_size
        if min_prefix <= len(op.prefix) <= max_prefix and len(op.suffix) == suffix:
            return branch
    return None


def _is_extreme(path: tuple[InnerOp, ...], spec: ProofSpec, branch: int) -> bool:
    return all(_branch(op, spec) == branch for op in path)


def _is_left_neighbor(
    left: tuple[InnerOp, ...], right: tuple[InnerOp, ...], spec: ProofSpec
) -> bool:
    """ics23 ``IsLeftNeighbor``: drop the common ops near the root, then the paths must split
    left/right and continue right-most (left path) and left-most (right path)."""
    i, j = len(left) - 1, len(right) - 1
    while i >= 0 and j >= 0 and left[i] == right[j]:
        i, j = i - 1, j - 1
    if i < 0 or j < 0:
        return False
    if _branch(left[i], spec) != 0 or _branch(right[j], spec) != 1:
        return False
    return _is_extreme(left[:i], spec, 1) and _is_extreme(right[:j], spec, 0)


def verify_membership(spec: ProofSpec, root: bytes, proof: bytes, key: bytes, value: bytes) -> bool:
    """Whether CommitmentProof bytes ``proof`` prove ``key = value`` under ``root``."""
    try:
        kind, body = _decode_commitment(proof)
        if kind != 1:
            return False
        exist = _decode_existence(body)
    except DecodeError:
        return False
    return exist.key == key and exist.value == value and _existence_ok(exist, spec, root)


def verify_non_membership(spec: ProofSpec, root: bytes, proof: bytes, key: bytes) -> bool:
    """Whether CommitmentProof bytes ``proof`` prove ``key`` absent under ``root``."""
    try:
        kind, body = _decode_commitment(proof)
        if kind != 2:
            return False
        proven_key = b""
        left: ExistenceProof | None = None
        right: ExistenceProof | None = None
        for field, raw in pb_fields(body):
            if not isinstance(raw, bytes):
                return False
            if field == 1:
                proven_key = raw
            elif field == 2:
                left = _decode_existence(raw)
            elif field == 3:
                right = _decode_existence(raw)
    except DecodeError:
        return False
    if proven_key != key or (left is None and right is None):
        return False
    if left is not None and not (left.key < key and _existence_ok(left, spec, root)):
        return False
    if right is not None and not (key < right.key and _existence_ok(right, spec, root)):
        return False
    if left is None:
        return right is not None and _is_extreme(right.path, spec, 0)
    if right is None:
        return _is_extreme(left.path, spec, 1)
    return _is_left_neighbor(left.path, right.path, spec)


def verify_query_proof(
    app_hash: bytes, ops: list[ProofOp], store_name: str, key: bytes, value: bytes | None
) -> bool:
    """Verify a two-op query proof the way CometBFT's ProofOperators do: the IAVL op yields the
    store root (membership of ``value``, or absence when ``value`` is None); the simple op
    proves that root under ``store_name`` against ``app_hash`` (of the queried height)."""
    if len(ops) != 2 or ops[0].type != IAVL_OP_TYPE or ops[1].type != SIMPLE_OP_TYPE:
        return False
    if ops[0].key != key or ops[1].key != store_name.encode():
        return False
    try:
        kind, body = _decode_commitment(ops[1].data)
        if kind != 1:
            return False
        store_root = _decode_existence(body).value
    except DecodeError:
        return False
    if value is None:
        ok = verify_non_membership(IAVL_SPEC, store_root, ops[0].data, key)
    else:
        ok = verify_membership(IAVL_SPEC, store_root, ops[0].data, key, value)
    return ok and verify_membership(
        TENDERMINT_SPEC, app_hash, ops[1].data, store_name.encode(), store_root
    )
