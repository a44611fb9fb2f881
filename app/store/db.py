"""The key-value database under the store: LevelDB through plyvel, or an in-memory twin for tests.

Both implement ``Database``: point reads, ordered range iteration over ``[start, stop)``,
read snapshots, and write batches that are applied atomically by ``write()``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any, Protocol


class Reader(Protocol):
    """Point and range reads over a consistent state."""

    def get(self, key: bytes) -> bytes | None: ...

    def iterate(
        self, start: bytes, stop: bytes | None, *, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        """Pairs with ``start <= key < stop`` (stop None = no upper bound), in key order."""
        ...


class WriteBatch(Protocol):
    """Buffered writes; nothing reaches the database before ``write()``, which is atomic."""

    def put(self, key: bytes, value: bytes) -> None: ...

    def delete(self, key: bytes) -> None: ...

    def write(self) -> None: ...


class Snapshot(Reader, Protocol):
    """A read-only view frozen at creation time."""

    def close(self) -> None: ...


class Database(Reader, Protocol):
    """A durable ordered key-value store."""

    def put(self, key: bytes, value: bytes) -> None: ...

    def batch(self, *, sync: bool) -> WriteBatch:
        """A new write batch; ``sync`` makes its ``write()`` fsync before returning."""
        ...

    def snapshot(self) -> Snapshot: ...

    def close(self) -> None: ...


class LevelDatabase:
    """LevelDB via plyvel; one process may open a path at a time (LevelDB's LOCK file)."""

    def __init__(self, path: str, *, lru_cache_size: int = 256 << 20) -> None:
        import plyvel

        self._db: Any = plyvel.DB(
            path,
            create_if_missing=True,
            lru_cache_size=lru_cache_size,
            bloom_filter_bits=10,
            write_buffer_size=64 << 20,
        )

    def get(self, key: bytes) -> bytes | None:
        value: bytes | None = self._db.get(key)
        return value

    def iterate(
        self, start: bytes, stop: bytes | None, *, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        iterator: Iterator[tuple[bytes, bytes]] = self._db.iterator(
            start=start, stop=stop, reverse=reverse
        )
        return iterator

    def put(self, key: bytes, value: bytes) -> None:
        self._db.put(key, value)

    def batch(self, *, sync: bool) -> WriteBatch:
        # transaction=True only matters for `with` use; the store calls write() explicitly once.
        batch: WriteBatch = self._db.write_batch(transaction=True, sync=sync)
        return batch

    def snapshot(self) -> Snapshot:
        return _LevelSnapshot(self._db.snapshot())

    def close(self) -> None:
        self._db.close()


class _LevelSnapshot:
    def __init__(self, snapshot: Any) -> None:
        self._snapshot = snapshot

    def get(self, key: bytes) -> bytes | None:
        value: bytes | None = self._snapshot.get(key)
        return value

    def iterate(
        self, start: bytes, stop: bytes | None, *, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        iterator: Iterator[tuple[bytes, bytes]] = self._snapshot.iterator(
            start=start, stop=stop, reverse=reverse
        )
        return iterator

    def close(self) -> None:
        self._snapshot.close()


class _SortedItems:
    """A dict plus its sorted key list, rebuilt lazily after inserts or deletes."""

    def __init__(self, items: dict[bytes, bytes]) -> None:
        self.items = items
        self._keys: list[bytes] | None = None

    def invalidate(self) -> None:
        self._keys = None

    def range(self, start: bytes, stop: bytes | None, reverse: bool) -> list[tuple[bytes, bytes]]:
        if self._keys is None:
            self._keys = sorted(self.items)
        keys = self._keys
        lo = bisect.bisect_left(keys, start)
        hi = len(keys) if stop is None else bisect.bisect_left(keys, stop)
        selected = keys[lo:hi]
        if reverse:
            selected.reverse()
        items = self.items
        return [(key, items[key]) for key in selected]


class MemoryDatabase:
    """In-memory ``Database`` with plyvel's semantics for the subset the store uses.

    Iterators and snapshots see the state at their creation (LevelDB iterators are implicit
    snapshots); a batch applies all its writes at once on ``write()``.
    """

    def __init__(self) -> None:
        self._data = _SortedItems({})

    def get(self, key: bytes) -> bytes | None:
        return self._data.items.get(key)

    def iterate(
        self, start: bytes, stop: bytes | None, *, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        return iter(self._data.range(start, stop, reverse))

    def put(self, key: bytes, value: bytes) -> None:
        self.apply([(key, value)])

    def apply(self, writes: list[tuple[bytes, bytes | None]]) -> None:
        """Apply puts (value) and deletes (None) in order, as one atomic step."""
        items = self._data.items
        for key, value in writes:
            if value is None:
                items.pop(key, None)
            else:
                items[key] = value
        self._data.invalidate()

    def batch(self, *, sync: bool) -> WriteBatch:
        return _MemoryBatch(self)

    def snapshot(self) -> Snapshot:
        return _MemorySnapshot(dict(self._data.items))

    def close(self) -> None:
        """Nothing to release; the data stays readable, like a reopened LevelDB."""


class _MemoryBatch:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._writes: list[tuple[bytes, bytes | None]] = []

    def put(self, key: bytes, value: bytes) -> None:
        self._writes.append((key, value))

    def delete(self, key: bytes) -> None:
        self._writes.append((key, None))

    def write(self) -> None:
        self._db.apply(self._writes)
        self._writes = []


class _MemorySnapshot:
    def __init__(self, items: dict[bytes, bytes]) -> None:
        self._data = _SortedItems(items)

    def get(self, key: bytes) -> bytes | None:
        return self._data.items.get(key)

    def iterate(
        self, start: bytes, stop: bytes | None, *, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        return iter(self._data.range(start, stop, reverse))

    def close(self) -> None:
        """Nothing to release."""
