"""Root hashes of our tree equal the real cosmos/iavl v1 (Go) for the same operations."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from app.store import MemoryDatabase, MultiStore
from app.store.tree import MutableTree, NodeCache

GOCHECK_DIR = Path(__file__).resolve().parents[1] / "gocheck" / "iavlroots"

Op = tuple[bytes, bytes | None]


@pytest.fixture(scope="session")
def iavl_roots_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("go") is None:
        pytest.skip("Go toolchain not installed")
    binary = tmp_path_factory.mktemp("gocheck") / "iavlroots"
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=GOCHECK_DIR, check=True)
    return binary


def go_roots(binary: Path, versions: list[list[Op]], initial_version: int = 0) -> list[bytes]:
    workload = {
        "initial_version": initial_version,
        "versions": [
            [
                {"op": "set", "key": k.hex(), "value": v.hex()}
                if v is not None
                else {"op": "delete", "key": k.hex()}
                for k, v in ops
            ]
            for ops in versions
        ],
    }
    result = subprocess.run(
        [str(binary)], input=json.dumps(workload).encode(), capture_output=True, check=True
    )
    return [bytes.fromhex(line) for line in result.stdout.decode().split()]


def random_workload(seed: int, versions: int, ops_per_version: int) -> list[list[Op]]:
    """Inserts, updates of live keys, deletes of live and absent keys; short keys collide often."""
    rng = random.Random(seed)
    live: list[bytes] = []
    out: list[list[Op]] = []
    for _ in range(versions):
        ops: list[Op] = []
        for _ in range(rng.randint(0, ops_per_version)):
            roll = rng.random()
            if roll < 0.5 or not live:
                key = rng.randbytes(rng.randint(1, 5))
                live.append(key)
                ops.append((key, rng.randbytes(rng.randint(0, 20))))
            elif roll < 0.75:
                ops.append((rng.choice(live), rng.randbytes(8)))
            elif roll < 0.95:
                ops.append((rng.choice(live), None))
            else:
                ops.append((rng.randbytes(3), None))
        out.append(ops)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_raw_operation_order_matches_go(iavl_roots_binary: Path, seed: int) -> None:
    """Unsorted ops with repeats, applied in the given order, with a tiny node cache."""
    versions = random_workload(seed, versions=25, ops_per_version=300)
    expected = go_roots(iavl_roots_binary, versions)
    db = MemoryDatabase()
    cache = NodeCache(db, 64)
    tree = MutableTree(b"\x01", cache, None)
    for version, ops in enumerate(versions, start=1):
        for key, value in ops:
            if value is None:
                tree.remove(key)
            else:
                tree.set(key, value)
        batch = db.batch(sync=True)
        root = tree.save(version, batch)
        batch.write()
        tree.commit_saved()
        assert root == expected[version - 1], f"version {version}"


def test_multistore_blocks_match_go_with_initial_version(iavl_roots_binary: Path) -> None:
    """Blocks through CacheView/finalize equal Go fed the same sorted change sets."""
    versions = random_workload(7, versions=12, ops_per_version=400)
    store = MultiStore(MemoryDatabase(), ["bank", "staking"])
    store.set_initial_version(5)
    sorted_sets: list[list[Op]] = []
    for height, ops in enumerate(versions, start=5):
        view = store.block_view()
        bank = view.store("bank")
        last: dict[bytes, bytes | None] = {}
        for key, value in ops:
            if value is None:
                bank.delete(key)
            else:
                bank.set(key, value)
            last[key] = value
        sorted_sets.append(sorted(last.items()))
        store.finalize(view, height)
        store.commit()
    expected = go_roots(iavl_roots_binary, sorted_sets, initial_version=5)
    got = [store.commit_info(h).root_of("bank") for h in range(5, 5 + len(versions))]
    assert got == expected


def test_large_workload_matches_go(iavl_roots_binary: Path) -> None:
    versions = random_workload(11, versions=10, ops_per_version=3000)
    expected = go_roots(iavl_roots_binary, versions)
    db = MemoryDatabase()
    tree = MutableTree(b"\x02", NodeCache(db, 1000), None)
    for version, ops in enumerate(versions, start=1):
        for key, value in ops:
            if value is None:
                tree.remove(key)
            else:
                tree.set(key, value)
        batch = db.batch(sync=True)
        assert tree.save(version, batch) == expected[version - 1]
        batch.write()
        tree.commit_saved()
