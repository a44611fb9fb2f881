"""The copy-on-write AVL+ tree of one store, with exactly cosmos/iavl v1's insert, remove and
rebalancing steps (``mutable_tree.go``), so the same operations in the same order give the same
shape, versions and root hash.

Persisted nodes are immutable. Changing the tree clones each persisted node on the path into a
new node of the working version and records the clone's origin in the version's orphan list
(spec §3.5): those are exactly the nodes live at ``version - 1`` and unreachable from ``version``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from hashlib import sha256

from app.store.db import Reader, WriteBatch
from app.store.encoding import be32, be64, zigzag_varint
from app.store.errors import StoreError
from app.store.node import (
    NODE_PREFIX,
    Node,
    decode_node,
    encode_node,
    inner_hash,
    leaf_hash,
    new_leaf,
)

EMPTY_ROOT_HASH = sha256(b"").digest()
"""Root hash of an empty tree (IAVL ``Hash()`` of a nil root)."""

ROOT_PREFIX = b"r"
"""``r ‖ sid ‖ BE64(version)`` → 12-byte root node key, or b"" for an empty tree."""

ORPHAN_PREFIX = b"o"
"""``o ‖ sid ‖ BE64(version)`` → node keys live at version-1 and replaced in version."""


PINNED_HEIGHT = 8
"""Nodes this high or higher (about 1/256 of a tree) stay cached: every path crosses them."""


class NodeCache:
    """Loads persisted nodes by LevelDB key, keeping at most ``capacity`` lower nodes.

    Shared by all trees of a MultiStore (keys carry the store id). The upper levels of every tree
    are pinned, so first-in-first-out eviction of the rest (a hit costs one lookup and no LRU
    bookkeeping on the hot path) never throws out the nodes every path walks through.
    """

    def __init__(self, db: Reader, capacity: int) -> None:
        self._db = db
        self._capacity = max(capacity, 1)
        self._nodes: OrderedDict[bytes, Node] = OrderedDict()
        self._pinned: dict[bytes, Node] = {}

    def load(self, db_key: bytes) -> Node:
        # Pinned first: a small, CPU-cache-resident dict that serves the top of every path.
        node = self._pinned.get(db_key) or self._nodes.get(db_key)
        if node is not None:
            return node
        body = self._db.get(db_key)
        if body is None:
            raise StoreError(f"missing tree node {db_key.hex()}")
        node = decode_node(db_key, body)
        self.add(node)
        return node

    def add(self, node: Node) -> None:
        """Cache a persisted node."""
        assert node.db_key is not None
        if node.height >= PINNED_HEIGHT:
            self._pinned[node.db_key] = node
            return
        nodes = self._nodes
        nodes[node.db_key] = node
        if len(nodes) > self._capacity:
            nodes.popitem(last=False)

    def add_saved(self, saved: list[Node], orphans: list[bytes]) -> None:
        """Cache the nodes of a newly committed version and unpin the nodes it replaced.

        Replaced nodes stay loadable from the database for historical reads; unpinning them keeps
        the pinned set at the size of one tree top instead of growing with every version.
        """
        pinned, nodes, capacity = self._pinned, self._nodes, self._capacity
        for node in saved:
            if node.height >= PINNED_HEIGHT:
                pinned[node.db_key] = node  # type: ignore[index]
            else:
                nodes[node.db_key] = node  # type: ignore[index]
        while len(nodes) > capacity:
            nodes.popitem(last=False)
        unpin = pinned.pop
        for db_key in orphans:
            unpin(db_key, None)

    def forget(self, db_key: bytes) -> None:
        """Drop a pruned node."""
        self._nodes.pop(db_key, None)
        self._pinned.pop(db_key, None)


def left_of(node: Node, cache: NodeCache) -> Node:
    """The left child of an inner node (pointer if new, loaded if persisted)."""
    return node.left or cache.load(node.left_key)


def right_of(node: Node, cache: NodeCache) -> Node:
    """The right child of an inner node (pointer if new, loaded if persisted)."""
    return node.right or cache.load(node.right_key)


def root_key(sid: bytes, version: int) -> bytes:
    """LevelDB key of a version's root pointer."""
    return ROOT_PREFIX + sid + be64(version)


def orphan_key(sid: bytes, version: int) -> bytes:
    """LevelDB key of the orphan list written by ``version``."""
    return ORPHAN_PREFIX + sid + be64(version)


def load_root(db: Reader, cache: NodeCache, sid: bytes, version: int) -> Node | None:
    """The root node of a committed version (None for an empty tree).

    Raises StoreError when the version has no root pointer (never committed or pruned).
    """
    pointer = db.get(root_key(sid, version))
    if pointer is None:
        raise StoreError(f"store {sid.hex()} has no root at version {version}")
    if not pointer:
        return None
    return cache.load(NODE_PREFIX + sid + pointer)


class MutableTree:
    """One store's tree: the committed root and the working root of the next version."""

    def __init__(self, sid: bytes, cache: NodeCache, root: Node | None) -> None:
        self.sid = sid
        self._cache = cache
        self.committed_root = root
        self.working_root = root
        self._orphans: list[bytes] = []
        self._new_nodes: list[Node] = []

    # -- changes -------------------------------------------------------------------------------

    def _clone(self, node: Node) -> Node:
        """A mutable copy of an inner node; a persisted original becomes an orphan."""
        if node.db_key is None:
            return node
        self._orphans.append(node.db_key)
        load = self._cache.load
        left, right = load(node.left_key), load(node.right_key)
        return Node(node.key, None, node.height, node.size, left, right)

    def _update_height_size(self, node: Node) -> None:
        left, right = node.left, node.right
        assert left is not None and right is not None
        node.height = (left.height if left.height > right.height else right.height) + 1
        node.size = left.size + right.size

    def _rotate_right(self, node: Node) -> Node:
        node = self._clone(node)
        assert node.left is not None
        pivot = self._clone(node.left)
        node.left = pivot.right
        pivot.right = node
        self._update_height_size(node)
        self._update_height_size(pivot)
        return pivot

    def _rotate_left(self, node: Node) -> Node:
        node = self._clone(node)
        assert node.right is not None
        pivot = self._clone(node.right)
        node.right = pivot.left
        pivot.left = node
        self._update_height_size(node)
        self._update_height_size(pivot)
        return pivot

    def _balance(self, node: Node) -> Node:
        """IAVL ``balance``: single or double rotation when the heights differ by more than 1."""
        left, right = node.left, node.right
        assert left is not None and right is not None
        balance = left.height - right.height
        cache = self._cache
        if balance > 1:
            if left_of(left, cache).height - right_of(left, cache).height >= 0:
                return self._rotate_right(node)
            node.left = self._rotate_left(left)
            return self._rotate_right(node)
        if balance < -1:
            if left_of(right, cache).height - right_of(right, cache).height <= 0:
                return self._rotate_left(node)
            node.right = self._rotate_right(right)
            return self._rotate_left(node)
        return node

    def set(self, key: bytes, value: bytes) -> None:
        """Insert or update ``key`` (IAVL ``recursiveSet``, unrolled: descend, then ascend).

        The hot path of a block, so ``_clone``, ``_update_height_size`` and the no-rotation case
        of ``_balance`` are written out inline; a persisted parent on the path is cloned with the
        new child in place, loading only the sibling.
        """
        root = self.working_root
        if root is None:
            self.working_root = new_leaf(key, value)
            return
        load = self._cache.load
        path: list[Node] = []
        node = root
        while node.height:
            path.append(node)
            if key < node.key:
                node = node.left or load(node.left_key)
            else:
                node = node.right or load(node.right_key)
        orphans = self._orphans
        updated = False
        if key == node.key:
            if node.db_key is not None:
                orphans.append(node.db_key)
            child = new_leaf(key, value)
            updated = True
        elif key < node.key:
            child = Node(node.key, None, 1, 2, new_leaf(key, value), node)
        else:
            child = Node(key, None, 1, 2, node, new_leaf(key, value))
        for parent in reversed(path):
            went_left = key < parent.key
            if parent.db_key is not None:
                orphans.append(parent.db_key)
                height, size = parent.height, parent.size
                if went_left:
                    sibling = parent.right or load(parent.right_key)
                    parent = Node(parent.key, None, height, size, child, sibling)
                else:
                    sibling = parent.left or load(parent.left_key)
                    parent = Node(parent.key, None, height, size, sibling, child)
            elif went_left:
                parent.left = child
            else:
                parent.right = child
            if updated:  # same shape, same heights and sizes: only the child's hash changes
                child = parent
                continue
            left, right = parent.left, parent.right
            assert left is not None and right is not None
            left_height, right_height = left.height, right.height
            parent.height = (left_height if left_height > right_height else right_height) + 1
            parent.size = left.size + right.size
            balance = left_height - right_height
            child = parent if -2 < balance < 2 else self._balance(parent)
        self.working_root = child

    def remove(self, key: bytes) -> None:
        """Delete ``key`` if present (IAVL ``recursiveRemove``, unrolled); else a no-op."""
        root = self.working_root
        if root is None:
            return
        cache = self._cache
        path: list[tuple[Node, bool]] = []
        node = root
        while node.height:
            went_left = key < node.key
            path.append((node, went_left))
            node = left_of(node, cache) if went_left else right_of(node, cache)
        if node.key != key:
            return
        if node.db_key is not None:
            self._orphans.append(node.db_key)
        if not path:
            self.working_root = None
            return
        # The removed leaf's parent is replaced by the leaf's sibling; when the leaf was a left
        # child, the parent's key (smallest key on its right) moves up to the nearest ancestor
        # that reached this subtree from the right.
        parent, went_left = path.pop()
        if parent.db_key is not None:
            self._orphans.append(parent.db_key)
        child = right_of(parent, cache) if went_left else left_of(parent, cache)
        new_key: bytes | None = parent.key if went_left else None
        for ancestor, went_left in reversed(path):
            ancestor = self._clone(ancestor)
            if went_left:
                ancestor.left = child
            else:
                ancestor.right = child
                if new_key is not None:
                    ancestor.key = new_key
                    new_key = None
            self._update_height_size(ancestor)
            child = self._balance(ancestor)
        self.working_root = child

    # -- saving --------------------------------------------------------------------------------

    def save(self, version: int, batch: WriteBatch) -> bytes:
        """Assign node keys ``(version, nonce)`` pre-order to the new nodes, hash them post-order,
        and put nodes, the root pointer and the orphan list into ``batch``. Returns the root hash.

        Two flat passes instead of a recursive walk: ``new_nodes_preorder`` numbers the nodes
        (parents before children, left before right, as IAVL's ``saveNewNodes``), and walking that
        list backwards reaches every child before its parent, so each inner node can hash its
        children's finished hashes.

        Idempotent per working tree: nothing on the tree is changed that a repeat would see
        differently; the caller must not save again after ``commit_saved``.
        """
        sid = self.sid
        node_prefix = NODE_PREFIX + sid
        version_prefix = node_prefix + be64(version)
        version_zz = zigzag_varint(version)
        root = self.working_root
        new_nodes = new_nodes_preorder(root)
        for nonce, node in enumerate(new_nodes, 1):
            node.db_key = version_prefix + be32(nonce)
            node.version = version
        put = batch.put
        for node in reversed(new_nodes):
            if node.height:
                left, right = node.left, node.right
                assert left is not None and right is not None
                node.left_key = left.db_key  # type: ignore[assignment]
                node.right_key = right.db_key  # type: ignore[assignment]
                node.hash = inner_hash(node.height, node.size, version_zz, left.hash, right.hash)
            else:
                node.hash = leaf_hash(node.key, node.value, version_zz)  # type: ignore[arg-type]
            put(node.db_key, encode_node(node))  # type: ignore[arg-type]
        if root is None:
            batch.put(root_key(sid, version), b"")
            root_hash = EMPTY_ROOT_HASH
        else:
            batch.put(root_key(sid, version), root.db_key[len(node_prefix) :])  # type: ignore[index]
            root_hash = root.hash
        if self._orphans:
            batch.put(
                orphan_key(sid, version), b"".join(k[len(node_prefix) :] for k in self._orphans)
            )
        self._new_nodes = new_nodes
        return root_hash

    def commit_saved(self) -> None:
        """The saved version is durable: make it the committed tree and cache its nodes.

        Saved nodes drop their child pointers so that cached nodes never pin whole subtrees.
        """
        for node in self._new_nodes:
            node.left = None
            node.right = None
        self._cache.add_saved(self._new_nodes, self._orphans)
        self._new_nodes = []
        self._orphans = []
        self.committed_root = self.working_root

    def discard(self) -> None:
        """Drop the working changes (and any saved-but-uncommitted version)."""
        self._new_nodes = []
        self._orphans = []
        self.working_root = self.committed_root


def new_nodes_preorder(root: Node | None) -> list[Node]:
    """The unsaved nodes under ``root`` in pre-order (node, left subtree, right subtree).

    Saved nodes are never parents of unsaved ones, so the walk stops at the first saved node
    of every path.
    """
    found: list[Node] = []
    stack = [root] if root is not None and root.db_key is None else []
    while stack:
        node = stack.pop()
        found.append(node)
        right, left = node.right, node.left
        if right is not None and right.db_key is None:
            stack.append(right)
        if left is not None and left.db_key is None:
            stack.append(left)
    return found


# -- reads over an immutable root -----------------------------------------------------------------


def tree_get(root: Node | None, key: bytes, cache: NodeCache) -> bytes | None:
    """The value of ``key`` in the tree under ``root``, or None."""
    node = root
    if node is None:
        return None
    while node.height:
        node = left_of(node, cache) if key < node.key else right_of(node, cache)
    return node.value if node.key == key else None


def tree_iterate(
    root: Node | None,
    start: bytes | None,
    end: bytes | None,
    reverse: bool,
    cache: NodeCache,
) -> Iterator[tuple[bytes, bytes]]:
    """In-order (or reverse) leaves with ``start <= key < end``, skipping subtrees out of range.

    An inner node splits at its key: everything left is ``< key``, everything right ``>= key``.
    """
    if root is None:
        return
    stack = [root]
    near: Callable[[Node, NodeCache], Node] = right_of if reverse else left_of
    far: Callable[[Node, NodeCache], Node] = left_of if reverse else right_of
    while stack:
        node = stack.pop()
        if not node.height:
            key = node.key
            if (start is None or key >= start) and (end is None or key < end):
                assert node.value is not None
                yield key, node.value
            continue
        has_left = start is None or start < node.key
        has_right = end is None or end > node.key
        near_ok, far_ok = (has_right, has_left) if reverse else (has_left, has_right)
        if far_ok:
            stack.append(far(node, cache))
        if near_ok:
            stack.append(near(node, cache))


def check_invariants(root: Node | None, cache: NodeCache) -> int:
    """Verify AVL+ invariants under ``root``; return the number of leaves.

    Checks: keys ordered (left < node.key <= right, node.key = min key of the right subtree),
    height = 1 + max(child heights), size = sum of child sizes, |balance| <= 1.
    Raises StoreError on the first violation.
    """

    def walk(node: Node) -> tuple[bytes, bytes, int, int]:
        if not node.height:
            return node.key, node.key, 0, 1
        left, right = left_of(node, cache), right_of(node, cache)
        l_min, l_max, l_height, l_size = walk(left)
        r_min, r_max, r_height, r_size = walk(right)
        if not (l_max < node.key == r_min):
            raise StoreError(f"key order violated at {node.key.hex()}")
        if node.height != max(l_height, r_height) + 1 or node.size != l_size + r_size:
            raise StoreError(f"height/size wrong at {node.key.hex()}")
        if abs(l_height - r_height) > 1:
            raise StoreError(f"unbalanced at {node.key.hex()}")
        return l_min, r_max, node.height, node.size

    return 0 if root is None else walk(root)[3]
