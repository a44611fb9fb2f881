"""What the chain and the modules need from the store: a view of named key-value stores.

`StateView` is the structural type of the store's `CacheView` (a block's or a tx's buffered
state). Committed state for queries (`ReadView`) only reads; `ReadOnlyView` gives it the same
shape, and a write through it is a bug of the query handler, so it raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Final, Protocol, TypeVar

from app.chain.errors import InvariantViolation
from app.store.views import KVReader, KVStore

__all__ = [
    "DECODED_RECORDS_CACHED",
    "KVReader",
    "KVStore",
    "ReadOnlyView",
    "StateView",
    "decoded_by_stored_bytes",
]

RecordT = TypeVar("RecordT")

DECODED_RECORDS_CACHED: Final = 4096
"""How many decoded records one `decoded_by_stored_bytes` decoder remembers."""


def decoded_by_stored_bytes(decode: Callable[[bytes], RecordT]) -> Callable[[bytes], RecordT]:
    """`decode`, remembering its last DECODED_RECORDS_CACHED results by the stored bytes.

    Only for decoders of immutable records: decoding is a pure function of the bytes, so equal
    bytes may share one record, and a write shows at once (new bytes, new entry). The store read,
    and the gas it costs, still happen; only the protobuf and decimal parsing is skipped.
    """
    return lru_cache(maxsize=DECODED_RECORDS_CACHED)(decode)


class StateView(Protocol):
    """A consistent state of every store, readable and writable by store name."""

    def store(self, name: str) -> KVStore: ...


class ReadableView(Protocol):
    """Committed state: readable by store name."""

    def store(self, name: str) -> KVReader: ...


class _ReadOnlyStore:
    """A `KVReader` presented as a `KVStore` whose writes raise."""

    __slots__ = ("_reader",)

    def __init__(self, reader: KVReader) -> None:
        self._reader = reader

    def get(self, key: bytes) -> bytes | None:
        return self._reader.get(key)

    def has(self, key: bytes) -> bool:
        return self._reader.has(key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, *, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        return self._reader.iterate(start, end, reverse=reverse)

    def iterate_prefix(
        self, prefix: bytes, *, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        return self._reader.iterate_prefix(prefix, reverse=reverse)

    def set(self, key: bytes, value: bytes) -> None:
        raise InvariantViolation("a query tried to write to committed state")

    def delete(self, key: bytes) -> None:
        raise InvariantViolation("a query tried to delete from committed state")


class ReadOnlyView:
    """Committed state as a `StateView` for query handlers; writes raise `InvariantViolation`."""

    __slots__ = ("_view",)

    def __init__(self, view: ReadableView) -> None:
        self._view = view

    def store(self, name: str) -> KVStore:
        return _ReadOnlyStore(self._view.store(name))
