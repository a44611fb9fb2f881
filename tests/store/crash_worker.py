"""Commits deterministic blocks to a LevelDB store forever; killed by test_store_crash.py.

Usage: python crash_worker.py DB_PATH. Prints each committed height, flushed, one per line.
"""

from __future__ import annotations

import random
import sys

from app.store import LevelDatabase, MultiStore

NAMES = ["bank", "staking"]
KEEP_RECENT = 2
PRUNE_INTERVAL = 3


def block_ops(height: int) -> list[tuple[str, bytes, bytes | None]]:
    """The writes of block ``height``: a pure function of the height."""
    rng = random.Random(height)
    ops: list[tuple[str, bytes, bytes | None]] = []
    for _ in range(300):
        key = rng.randbytes(2)
        ops.append((rng.choice(NAMES), key, None if rng.random() < 0.2 else rng.randbytes(16)))
    return ops


def execute(store: MultiStore, height: int) -> bytes:
    view = store.block_view()
    for name, key, value in block_ops(height):
        if value is None:
            view.store(name).delete(key)
        else:
            view.store(name).set(key, value)
    return store.finalize(view, height)


def main(path: str) -> None:
    store = MultiStore(
        LevelDatabase(path), NAMES, keep_recent=KEEP_RECENT, prune_interval=PRUNE_INTERVAL
    )
    height = store.last_height
    while True:
        height += 1
        execute(store, height)
        store.commit()
        print(height, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
