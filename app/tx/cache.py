"""A bounded memo for pure functions of a tx: its decoding, its signers, its signatures.

CometBFT hands the node the same tx bytes several times (CheckTx, RECHECK after every block,
PrepareProposal, FinalizeBlock); work that depends only on those bytes is done once and looked
up afterwards. Only pure results may be stored, so a hit changes speed, never an answer.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

__all__ = ["BoundedCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most `capacity` entries; once full, the oldest entry goes first (insertion order).

    An `OrderedDict`, not a dict: removing a plain dict's first entry leaves a hole that every
    later ``next(iter(…))`` walks over until the next resize, so a full cache of 65,536 paid
    about 25 µs per insertion; ``popitem(last=False)`` unlinks the oldest in constant time.
    """

    __slots__ = ("_capacity", "_entries")

    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError(f"capacity must be positive, got {capacity}")
        self._capacity = capacity
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value stored for `key`, or None."""
        return self._entries.get(key)

    def add(self, key: K, value: V) -> None:
        """Store `value` for `key`, evicting the oldest entry when full."""
        entries = self._entries
        if key not in entries and len(entries) >= self._capacity:
            entries.popitem(last=False)
        entries[key] = value

    def discard(self, keys: Iterable[K]) -> None:
        """Forget `keys` (absent ones are ignored)."""
        for key in keys:
            self._entries.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)
