"""The fast save pass, varint tables, node cache and GC policy against their plain definitions.

``MutableTree.save`` numbers and hashes new nodes in two flat passes; here each saved tree is
re-derived the slow, obvious way (a recursive pre-order walk for nonces, a recursive hash from the
leaves up) and must agree node for node.
"""

from __future__ import annotations

import gc
from hashlib import sha256

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.store import MemoryDatabase, MultiStore
from app.store.encoding import read_uvarint, uvarint, zigzag_varint
from app.store.node import NODE_KEY_LEN, Node, decode_node, encode_node
from app.store.tree import PINNED_HEIGHT, MutableTree, NodeCache, left_of, right_of

Op = tuple[bytes, bytes | None]


def reference_uvarint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def reference_hash(node: Node, cache: NodeCache) -> bytes:
    """IAVL's writeHashBytes, recomputed recursively from the leaves."""
    version = zigzag_varint(node.version)
    if not node.height:
        assert node.value is not None
        body = uvarint(len(node.key)) + node.key + b"\x20" + sha256(node.value).digest()
        return sha256(b"\x00\x02" + version + body).digest()
    left = reference_hash(left_of(node, cache), cache)
    right = reference_hash(right_of(node, cache), cache)
    head = zigzag_varint(node.height) + zigzag_varint(node.size) + version
    return sha256(head + b"\x20" + left + b"\x20" + right).digest()


def nonces_in_preorder(node: Node, version: int, cache: NodeCache, out: list[int]) -> None:
    """Nonces of the nodes created in ``version``, visiting node, left subtree, right subtree."""
    assert node.db_key is not None
    if int.from_bytes(node.db_key[-NODE_KEY_LEN:-4], "big") != version:
        return
    out.append(int.from_bytes(node.db_key[-4:], "big"))
    if node.height:
        nonces_in_preorder(left_of(node, cache), version, cache, out)
        nonces_in_preorder(right_of(node, cache), version, cache, out)


versions_strategy = st.lists(
    st.lists(
        st.tuples(st.binary(min_size=1, max_size=2), st.one_of(st.none(), st.binary(max_size=4))),
        max_size=30,
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(versions_strategy)
def test_saved_nodes_match_recursive_numbering_and_hashing(versions: list[list[Op]]) -> None:
    db = MemoryDatabase()
    cache = NodeCache(db, 1_000)
    tree = MutableTree(b"\x01", cache, None)
    for version, ops in enumerate(versions, start=1):
        for key, value in sorted(ops, key=lambda op: op[0]):
            if value is None:
                tree.remove(key)
            else:
                tree.set(key, value)
        batch = db.batch(sync=False)
        root_hash = tree.save(version, batch)
        batch.write()
        tree.commit_saved()
        root = tree.committed_root
        if root is None:
            assert root_hash == sha256(b"").digest()
            continue
        assert root_hash == root.hash == reference_hash(root, cache)
        nonces: list[int] = []
        nonces_in_preorder(root, version, cache, nonces)
        assert nonces == list(range(1, len(nonces) + 1))
        for db_key in (root.db_key, root.left_key, root.right_key):
            if db_key:
                stored = db.get(db_key)
                assert stored is not None
                assert encode_node(decode_node(db_key, stored)) == stored


def test_uvarint_table_and_loop_match_the_definition() -> None:
    edges = [127, 128, 16_383, 16_384, 2**21 - 1, 2**21, 2**63 - 1]
    for value in [*range(20_000), *edges]:
        encoded = uvarint(value)
        assert encoded == reference_uvarint(value), value
        assert read_uvarint(encoded, 0) == (value, len(encoded))


def test_pinned_nodes_stay_one_tree_top_across_versions() -> None:
    db = MemoryDatabase()
    store = MultiStore(db, ["bank"])
    keys = [index.to_bytes(3, "big") for index in range(3_000)]
    for height in range(1, 11):
        view = store.block_view()
        for key in keys[:: 1 + height % 3]:
            view.store("bank").set(key, bytes([height]))
        store.finalize(view, height)
        store.commit()
    root = store.query_view().commit_info  # committed, so the cache is settled
    assert root.version == 10
    pinned = store._cache._pinned
    live_pinned = 0
    stack = [store._trees["bank"].committed_root]
    while stack:
        node = stack.pop()
        assert node is not None
        if node.height >= PINNED_HEIGHT:
            live_pinned += 1
            assert pinned.get(node.db_key) is node  # type: ignore[arg-type]
            stack += [left_of(node, store._cache), right_of(node, store._cache)]
    assert len(pinned) == live_pinned


@pytest.mark.parametrize("enabled", [True, False])
def test_finalize_restores_the_collector_state(
    enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = MultiStore(MemoryDatabase(), ["bank"])
    was_enabled = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        view = store.block_view()
        view.store("bank").set(b"k", b"v")
        store.finalize(view, 1)
        assert gc.isenabled() is enabled
        store.commit()

        def failing_save(self: MutableTree, version: int, batch: object) -> bytes:
            raise RuntimeError("disk full")

        monkeypatch.setattr(MutableTree, "save", failing_save)
        view = store.block_view()
        view.store("bank").set(b"k", b"w")
        with pytest.raises(RuntimeError, match="disk full"):
            store.finalize(view, 2)
        assert gc.isenabled() is enabled
    finally:
        if was_enabled:
            gc.enable()
