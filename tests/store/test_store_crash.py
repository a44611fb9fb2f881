"""SIGKILL a committing process at random moments: the store reopens at H-1 or H, with the hash
of a clean in-memory replay, and keeps going."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.store import LevelDatabase, MemoryDatabase, MultiStore
from tests.store import crash_worker

REPO = Path(__file__).resolve().parents[2]


def replay_hashes(up_to: int) -> list[bytes]:
    store = MultiStore(MemoryDatabase(), crash_worker.NAMES)
    hashes = []
    for height in range(1, up_to + 1):
        hashes.append(crash_worker.execute(store, height))
        store.commit()
    return hashes


def test_sigkill_during_commits_leaves_last_or_previous_height(tmp_path: Path) -> None:
    path = str(tmp_path / "db")
    rng = random.Random(42)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    results: list[tuple[int, int]] = []
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, crash_worker.__file__, path],
            stdout=subprocess.PIPE,
            env=env,
        )
        time.sleep(rng.uniform(0.4, 1.2))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        printed = [int(line) for line in out.split()]
        store = MultiStore(LevelDatabase(path), crash_worker.NAMES)
        results.append((printed[-1] if printed else -1, store.last_height))
        store.close()
    final = results[-1][1]
    hashes = replay_hashes(final)
    for last_printed, height in results:
        assert height in (last_printed, last_printed + 1) or last_printed == -1
    store = MultiStore(
        LevelDatabase(path),
        crash_worker.NAMES,
        keep_recent=crash_worker.KEEP_RECENT,
        prune_interval=crash_worker.PRUNE_INTERVAL,
    )
    assert store.last_app_hash == hashes[final - 1]
    for height in range(store.earliest_height, final + 1):
        assert store.commit_info(height).hash() == hashes[height - 1]
        view = store.query_view(height)
        assert view.commit_info.hash() == hashes[height - 1]
    crash_worker.execute(store, final + 1)
    store.commit()
    store.close()
