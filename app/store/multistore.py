"""MultiStore: every module store of the app, one IAVL tree each, in one LevelDB.

Block lifecycle (spec/store.md §3.3): the chain executes a block in ``block_view()``;
``finalize`` applies that view to the trees (stores in sorted name order, keys in sorted byte
order), hashes the new nodes and builds the single pending write batch, persisting nothing;
``commit`` writes the batch with sync=True, which is the only durable step of a block, and then
prunes. ``last_height`` / ``last_app_hash`` are read from disk at open, so after a crash they
describe exactly the last completed commit.

LevelDB layout (§3.2; sid = one byte per store name, fixed at first sight and never reused):

    m/latest -> BE64(H)        m/earliest -> BE64(first retained version)
    m/ci/BE64(h) -> CommitInfo m/sid/<name> -> sid      m/schema -> b"pyavl/1"
    t sid BE64(v) BE32(nonce) -> node    r sid BE64(v) -> root node key | b""
    o sid BE64(v) -> orphaned node keys  f sid key -> latest value
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import sha256

from app.store.commit_info import CommitInfo, StoreInfo, decode_commit_info, encode_commit_info
from app.store.db import Database, Reader, WriteBatch
from app.store.encoding import be64
from app.store.errors import StoreError
from app.store.node import NODE_KEY_LEN, NODE_PREFIX, Node
from app.store.proofs import ProofOp, prove_key
from app.store.tree import MutableTree, NodeCache, load_root, orphan_key, root_key
from app.store.views import (
    FAST_PREFIX,
    CacheView,
    FastIndexReader,
    KVReader,
    TreeReader,
    prefix_end,
)

LATEST_KEY = b"m/latest"
EARLIEST_KEY = b"m/earliest"
COMMIT_INFO_PREFIX = b"m/ci/"
SID_PREFIX = b"m/sid/"
SCHEMA_KEY = b"m/schema"
SCHEMA = b"pyavl/1"

EMPTY_APP_HASH = sha256(b"").digest()
"""App hash before the first commit (the SDK's empty ``CommitInfo`` hash)."""


def _read_be64(db: Reader, key: bytes) -> int:
    raw = db.get(key)
    return 0 if raw is None else int.from_bytes(raw, "big")


def _commit_info_key(height: int) -> bytes:
    return COMMIT_INFO_PREFIX + be64(height)


@dataclass(frozen=True, slots=True)
class _Pending:
    """A finalized block waiting for ``commit``."""

    height: int
    batch: WriteBatch
    commit_info: CommitInfo


class ReadView:
    """Committed state at one height: per-store readers and ICS23 proofs."""

    def __init__(
        self,
        height: int,
        commit_info: CommitInfo,
        roots: dict[str, Node | None],
        readers: dict[str, KVReader],
        cache: NodeCache,
    ) -> None:
        self.height = height
        self.commit_info = commit_info
        self._roots = roots
        self._readers = readers
        self._cache = cache

    def store(self, name: str) -> KVReader:
        """Reader of store ``name``. Raises StoreError for unknown names."""
        reader = self._readers.get(name)
        if reader is None:
            raise StoreError(f"unknown store {name!r}")
        return reader

    def prove(self, store_name: str, key: bytes) -> list[ProofOp]:
        """ICS23 proof ops for ``key`` in ``store_name`` at this height: the store-level
        existence or non-existence proof ("ics23:iavl"), then the store root's existence in
        the CommitInfo tree ("ics23:simple"). Raises StoreError for unknown stores."""
        if store_name not in self._roots:
            raise StoreError(f"unknown store {store_name!r}")
        return prove_key(self.commit_info, self._roots[store_name], store_name, key, self._cache)


class MultiStore:
    """All module stores of the app: one IAVL tree per store name, one LevelDB, one batch per block.

    Parameters: ``db`` (LevelDatabase or MemoryDatabase), ``store_names`` (committed stores; their
    names enter the app hash), ``keep_recent`` (versions kept below the latest; 0 keeps all),
    ``prune_interval`` (prune every N heights), ``node_cache_size`` (LRU bound, in nodes).
    """

    def __init__(
        self,
        db: Database,
        store_names: Sequence[str],
        *,
        keep_recent: int = 0,
        prune_interval: int = 10,
        node_cache_size: int = 1_000_000,
    ) -> None:
        if len(set(store_names)) != len(store_names) or not store_names:
            raise StoreError("store names must be non-empty and unique")
        if keep_recent < 0 or prune_interval < 1:
            raise StoreError("keep_recent must be >= 0 and prune_interval >= 1")
        self._db = db
        self._names = tuple(sorted(store_names))
        self._keep_recent = keep_recent
        self._prune_interval = prune_interval
        self._cache = NodeCache(db, node_cache_size)
        self._sids = self._load_sids()
        self._last_height = _read_be64(db, LATEST_KEY)
        self._earliest = _read_be64(db, EARLIEST_KEY)
        self._initial_version = 1
        self._last_commit_info = (
            self.commit_info(self._last_height) if self._last_height else CommitInfo(0, ())
        )
        roots = self._roots_at(self._last_commit_info)
        self._trees = {
            name: MutableTree(self._sids[name], self._cache, roots[name]) for name in self._names
        }
        self._bases: dict[str, KVReader] = {
            name: FastIndexReader(db, self._sids[name]) for name in self._names
        }
        self._pending: _Pending | None = None

    def _load_sids(self) -> dict[str, bytes]:
        """The persistent name → sid table; new names get the next free sids in name order."""
        db = self._db
        known = {
            key[len(SID_PREFIX) :].decode(): value
            for key, value in db.iterate(SID_PREFIX, prefix_end(SID_PREFIX))
        }
        next_sid = max((sid[0] for sid in known.values()), default=0) + 1
        added = [name for name in self._names if name not in known]
        if next_sid + len(added) > 256:
            raise StoreError("too many stores")
        if added or db.get(SCHEMA_KEY) is None:
            # Local bookkeeping, not consensus state: safe to write outside a block.
            batch = db.batch(sync=True)
            for offset, name in enumerate(added):
                known[name] = bytes((next_sid + offset,))
                batch.put(SID_PREFIX + name.encode(), known[name])
            batch.put(SCHEMA_KEY, SCHEMA)
            batch.write()
        return known

    def _roots_at(self, info: CommitInfo) -> dict[str, Node | None]:
        """Root node per configured store at ``info.version``; stores absent then are empty."""
        listed = {store.name for store in info.store_infos}
        return {
            name: (
                load_root(self._db, self._cache, self._sids[name], info.version)
                if name in listed
                else None
            )
            for name in self._names
        }

    # -- state ----------------------------------------------------------------------------------

    @property
    def last_height(self) -> int:
        """Last committed version; 0 if none."""
        return self._last_height

    @property
    def last_app_hash(self) -> bytes:
        """Hash of CommitInfo(last_height); sha256("") before the first commit."""
        if not self._last_height:
            return EMPTY_APP_HASH
        return self._last_commit_info.hash()

    @property
    def earliest_height(self) -> int:
        """Oldest retained version (0 before the first commit)."""
        return self._earliest

    def set_initial_version(self, height: int) -> None:
        """Version of the first commit (InitChain.initial_height). Only before any commit."""
        if self._last_height:
            raise StoreError("initial version can only be set before the first commit")
        if height < 1:
            raise StoreError("initial version must be >= 1")
        self._initial_version = height

    def commit_info(self, height: int) -> CommitInfo:
        """The stored CommitInfo of a retained height. Raises StoreError otherwise."""
        raw = self._db.get(_commit_info_key(height))
        if raw is None:
            raise StoreError(f"no commit info at version {height}")
        return decode_commit_info(raw)

    # -- views ------------------------------------------------------------------------------------

    def block_view(self) -> CacheView:
        """A fresh write-buffered view over the last committed state."""
        return CacheView(self._names, self._bases)

    def check_view(self) -> CacheView:
        """Same as ``block_view``; the CheckTx path keeps it and asks for a new one after Commit."""
        return CacheView(self._names, self._bases)

    def query_view(self, height: int = 0) -> ReadView:
        """Committed state at ``height`` (0 = latest). Latest reads use the fast index under a
        database snapshot; older versions walk their trees.

        Raises StoreError("version N is pruned" / "version N is not yet committed").
        """
        last = self._last_height
        if height == 0:
            height = last
        if height > last:
            raise StoreError(f"version {height} is not yet committed")
        if height == last:
            info = self._last_commit_info
            roots = {name: tree.committed_root for name, tree in self._trees.items()}
            snapshot = self._db.snapshot()
            readers: dict[str, KVReader] = {
                name: FastIndexReader(snapshot, self._sids[name]) for name in self._names
            }
            return ReadView(height, info, roots, readers, self._cache)
        if height < self._earliest:
            raise StoreError(f"version {height} is pruned")
        info = self.commit_info(height)
        roots = self._roots_at(info)
        readers = {name: TreeReader(roots[name], self._cache) for name in self._names}
        return ReadView(height, info, roots, readers, self._cache)

    # -- block lifecycle ---------------------------------------------------------------------

    def finalize(self, view: CacheView, height: int) -> bytes:
        """Apply the view to the trees as version ``height`` and stage one write batch.

        Stores in sorted name order, each store's keys in sorted byte order (deletes included),
        new nodes hashed with version = height. Persists nothing; returns the app hash. After
        ``discard_pending`` the same block can be finalized again with the same result.
        Raises StoreError when a block is already pending or ``height`` is not the next version.
        """
        if self._pending is not None:
            raise StoreError(f"version {self._pending.height} is finalized but not committed")
        expected = self._last_height + 1 if self._last_height else self._initial_version
        if height != expected:
            raise StoreError(f"finalize of version {height}, expected {expected}")
        if not view.is_top:
            raise StoreError("finalize needs a top-level view, not a branch")
        changes = view.changes()
        batch = self._db.batch(sync=True)
        infos = []
        try:
            with _cyclic_gc_paused():
                for name in self._names:
                    tree = self._trees[name]
                    store_changes = changes.get(name)
                    if store_changes:
                        _apply_sorted(tree, store_changes, FAST_PREFIX + tree.sid, batch)
                    infos.append(StoreInfo(name, height, tree.save(height, batch)))
        except BaseException:
            for tree in self._trees.values():
                tree.discard()
            raise
        info = CommitInfo(height, tuple(infos))
        batch.put(_commit_info_key(height), encode_commit_info(info))
        batch.put(LATEST_KEY, be64(height))
        if not self._earliest:
            batch.put(EARLIEST_KEY, be64(height))
        self._pending = _Pending(height, batch, info)
        return info.hash()

    def commit(self) -> None:
        """Write the pending block (one synced batch), make it the committed state, then prune."""
        pending = self._pending
        if pending is None:
            raise StoreError("nothing finalized to commit")
        pending.batch.write()
        self._pending = None
        for tree in self._trees.values():
            tree.commit_saved()
        self._last_height = pending.height
        self._last_commit_info = pending.commit_info
        if not self._earliest:
            self._earliest = pending.height
        self._prune()

    def discard_pending(self) -> None:
        """Drop a finalized-but-uncommitted block (and any half-applied working changes)."""
        self._pending = None
        for tree in self._trees.values():
            tree.discard()

    def close(self) -> None:
        """Drop any pending block and close the database."""
        self.discard_pending()
        self._db.close()

    # -- pruning ------------------------------------------------------------------------------

    def _prune(self) -> None:
        """Keep the last ``keep_recent`` versions below the latest (SDK: prune up to
        H - keep_recent - 1), pruning only at heights divisible by ``prune_interval``."""
        height = self._last_height
        if not self._keep_recent or height % self._prune_interval:
            return
        for version in range(self._earliest, height - self._keep_recent):
            self._prune_version(version)

    def _prune_version(self, version: int) -> None:
        """Delete version ``version`` (all older ones are gone) in one idempotent batch: the nodes
        orphaned by ``version + 1``, the orphan lists, the root pointers and the CommitInfo."""
        db = self._db
        batch = db.batch(sync=False)
        forgotten: list[bytes] = []
        for sid in self._sids.values():
            node_prefix = NODE_PREFIX + sid
            orphans_key = orphan_key(sid, version + 1)
            orphans = db.get(orphans_key) or b""
            for offset in range(0, len(orphans), NODE_KEY_LEN):
                db_key = node_prefix + orphans[offset : offset + NODE_KEY_LEN]
                batch.delete(db_key)
                forgotten.append(db_key)
            batch.delete(orphans_key)
            batch.delete(root_key(sid, version))
        batch.delete(_commit_info_key(version))
        batch.put(EARLIEST_KEY, be64(version + 1))
        batch.write()
        self._earliest = version + 1
        for db_key in forgotten:
            self._cache.forget(db_key)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Run the tree update with CPython's cyclic garbage collector out of the way.

    The node cache holds millions of long-lived, acyclic ``Node`` objects, and applying a block
    allocates tens of thousands more. Left to the collector, every full collection rescans the
    whole cache (measured 150-200 ms per 4,000-write block at 300 k keys, more than the tree work)
    and the young collections rescan the block's new nodes. So: collect whatever the block's
    execution left behind (cheap: only objects younger than the last freeze are scanned), freeze
    every live object into the permanent generation (O(1)), pause collection while the trees
    change, and on success freeze the new nodes too (the tree code makes no cycles, so nothing
    collectable is frozen). Reference counting still frees nodes that are replaced, evicted,
    pruned or discarded. The price: a cycle that becomes garbage after being frozen is never
    reclaimed.
    """
    gc.collect()
    gc.freeze()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def _apply_sorted(
    tree: MutableTree, changes: dict[bytes, bytes | None], fast_prefix: bytes, batch: WriteBatch
) -> None:
    """Apply one store's changes in sorted key order, mirroring them into the fast index."""
    for key in sorted(changes):
        value = changes[key]
        if value is None:
            tree.remove(key)
            batch.delete(fast_prefix + key)
        else:
            tree.set(key, value)
            batch.put(fast_prefix + key, value)
