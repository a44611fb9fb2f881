from __future__ import annotations

import pytest

from app.tx.cache import BoundedCache


def test_get_add_and_discard() -> None:
    cache: BoundedCache[bytes, int] = BoundedCache(4)
    assert cache.get(b"a") is None
    cache.add(b"a", 1)
    cache.add(b"b", 2)
    assert (cache.get(b"a"), cache.get(b"b"), len(cache)) == (1, 2, 2)
    assert b"a" in cache and b"c" not in cache
    cache.discard([b"a", b"missing"])
    assert cache.get(b"a") is None and len(cache) == 1


def test_oldest_entry_goes_first_when_full() -> None:
    cache: BoundedCache[int, str] = BoundedCache(3)
    for key in range(5):
        cache.add(key, str(key))
    assert [cache.get(key) for key in range(5)] == [None, None, "2", "3", "4"]


def test_replacing_a_key_evicts_nothing() -> None:
    cache: BoundedCache[int, str] = BoundedCache(2)
    cache.add(1, "one")
    cache.add(2, "two")
    cache.add(2, "deux")
    assert (cache.get(1), cache.get(2), len(cache)) == ("one", "deux", 2)


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError):
        BoundedCache(0)
