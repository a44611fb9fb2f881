from __future__ import annotations

import time

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


def test_a_replaced_key_keeps_its_age() -> None:
    cache: BoundedCache[int, str] = BoundedCache(2)
    cache.add(1, "one")
    cache.add(2, "two")
    cache.add(1, "uno")
    cache.add(3, "three")
    assert (cache.get(1), cache.get(2), cache.get(3)) == (None, "two", "three")


def test_insertion_into_a_full_cache_does_not_walk_the_evicted_entries() -> None:
    # A dict evicted front-first makes each eviction scan the holes left by the earlier ones
    # (quadratic until a resize): about 15 us per insertion at this size, against 0.5 us for
    # an unlinked oldest entry. The budget sits ten times above the latter, for noisy machines.
    capacity = 50_000
    cache: BoundedCache[int, int] = BoundedCache(capacity)
    for key in range(capacity):
        cache.add(key, key)
    started = time.perf_counter()
    for key in range(capacity, 3 * capacity):
        cache.add(key, key)
    per_insertion = (time.perf_counter() - started) / (2 * capacity)
    assert len(cache) == capacity and cache.get(3 * capacity - 1) == 3 * capacity - 1
    assert per_insertion < 5e-6
