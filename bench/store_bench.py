"""Store benchmark: block cost on a 1 M-key LevelDB store (spec/store.md §2, §4).

Builds the store through the normal block path in large blocks, then times blocks of 1,000 and
4,000 random writes (half updates of existing keys, half inserts) through
block_view → finalize → commit, and latest-state gets per second.

Usage: .venv/bin/python bench/store_bench.py [--keys 1000000] [--blocks 5] [--cache 1000000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time

from app.store import LevelDatabase, MultiStore

STORE = "bank"
BUILD_BLOCK = 50_000


def _key(rng: random.Random) -> bytes:
    return rng.randbytes(26)  # address-length keys, as in the spec's prototype


def build(store: MultiStore, keys: int, rng: random.Random) -> list[bytes]:
    written: list[bytes] = []
    start = time.perf_counter()
    while len(written) < keys:
        view = store.block_view()
        bank = view.store(STORE)
        for _ in range(min(BUILD_BLOCK, keys - len(written))):
            key = _key(rng)
            bank.set(key, rng.randbytes(40))
            written.append(key)
        store.finalize(view, store.last_height + 1)
        store.commit()
    elapsed = time.perf_counter() - start
    print(f"build: {keys} keys in {elapsed:.1f} s ({keys / elapsed:,.0f} inserts/s)")
    return written


def time_blocks(
    store: MultiStore, existing: list[bytes], writes: int, blocks: int, rng: random.Random
) -> None:
    totals = []
    for _ in range(blocks):
        start = time.perf_counter()
        view = store.block_view()
        bank = view.store(STORE)
        for i in range(writes):
            if i % 2:
                key = rng.choice(existing)
                bank.get(key)
            else:
                key = _key(rng)
                existing.append(key)
            bank.set(key, rng.randbytes(40))
        store.finalize(view, store.last_height + 1)
        store.commit()
        totals.append((time.perf_counter() - start) * 1000)
    totals.sort()
    median = totals[len(totals) // 2]
    print(
        f"block of {writes:>5} writes: median {median:7.1f} ms, best {totals[0]:7.1f} ms, "
        f"{median * 1000 / writes:6.1f} µs/write"
    )


def time_gets(store: MultiStore, existing: list[bytes], count: int, rng: random.Random) -> None:
    reader = store.query_view().store(STORE)
    sample = [rng.choice(existing) for _ in range(count)]
    start = time.perf_counter()
    for key in sample:
        reader.get(key)
    elapsed = time.perf_counter() - start
    print(f"get at latest: {count / elapsed:,.0f} gets/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--cache", type=int, default=1_000_000, help="node cache size (nodes)")
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as path:
        store = MultiStore(
            LevelDatabase(path), [STORE, "acc", "staking"], node_cache_size=args.cache
        )
        existing = build(store, args.keys, rng)
        for writes in (1_000, 4_000):
            time_blocks(store, existing, writes, args.blocks, rng)
        time_gets(store, existing, 100_000, rng)
        store.close()


if __name__ == "__main__":
    main()
