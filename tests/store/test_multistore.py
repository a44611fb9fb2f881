"""MultiStore lifecycle, views, model-based properties, reopen and pruning."""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.store import LevelDatabase, MemoryDatabase, MultiStore, StoreError, prefix_end
from app.store.tree import check_invariants

NAMES = ["bank", "acc", "staking"]
Block = list[tuple[str, bytes, bytes | None]]


def run_block(store: MultiStore, height: int, ops: Block) -> bytes:
    view = store.block_view()
    for name, key, value in ops:
        if value is None:
            view.store(name).delete(key)
        else:
            view.store(name).set(key, value)
    app_hash = store.finalize(view, height)
    store.commit()
    return app_hash


def blocks_strategy() -> st.SearchStrategy[list[Block]]:
    key = st.binary(min_size=1, max_size=3)
    op = st.tuples(st.sampled_from(NAMES), key, st.one_of(st.none(), st.binary(max_size=6)))
    return st.lists(st.lists(op, max_size=40), min_size=1, max_size=8)


def apply_model(model: dict[str, dict[bytes, bytes]], ops: Block) -> None:
    for name, key, value in ops:
        if value is None:
            model[name].pop(key, None)
        else:
            model[name][key] = value


# -- basics ------------------------------------------------------------


def test_empty_store_reports_height_zero_and_empty_hash() -> None:
    store = MultiStore(MemoryDatabase(), NAMES)
    assert store.last_height == 0
    assert store.last_app_hash == sha256(b"").digest()
    assert store.query_view().store("bank").get(b"k") is None


def test_empty_block_hash_lists_every_store_with_empty_root() -> None:
    store = MultiStore(MemoryDatabase(), NAMES)
    app_hash = run_block(store, 1, [])
    info = store.commit_info(1)
    assert [s.name for s in info.store_infos] == sorted(NAMES)
    assert all(s.root_hash == sha256(b"").digest() for s in info.store_infos)
    assert app_hash == info.hash() == store.last_app_hash


def test_finalize_is_repeatable_after_discard() -> None:
    store = MultiStore(MemoryDatabase(), NAMES)
    run_block(store, 1, [("bank", b"a", b"1"), ("acc", b"b", b"2")])
    ops: Block = [("bank", b"c", b"3"), ("bank", b"a", None), ("staking", b"z", b"9")]
    view = store.block_view()
    for name, key, value in ops:
        (view.store(name).delete(key) if value is None else view.store(name).set(key, value))
    first = store.finalize(view, 2)
    with pytest.raises(StoreError):
        store.finalize(view, 2)
    store.discard_pending()
    assert store.last_height == 1
    assert store.query_view().store("bank").get(b"a") == b"1"
    assert store.finalize(view, 2) == first
    store.commit()
    assert store.last_app_hash == first
    assert store.query_view().store("bank").get(b"a") is None


def test_finalize_rejects_wrong_height_and_commit_without_finalize() -> None:
    store = MultiStore(MemoryDatabase(), NAMES)
    with pytest.raises(StoreError):
        store.finalize(store.block_view(), 2)
    with pytest.raises(StoreError):
        store.commit()
    store.set_initial_version(10)
    run_block(store, 10, [("bank", b"k", b"v")])
    with pytest.raises(StoreError):
        store.set_initial_version(3)
    assert store.last_height == 10


def test_query_view_rejects_future_and_serves_history() -> None:
    store = MultiStore(MemoryDatabase(), NAMES)
    run_block(store, 1, [("bank", b"k", b"v1")])
    run_block(store, 2, [("bank", b"k", b"v2")])
    with pytest.raises(StoreError, match="not yet committed"):
        store.query_view(3)
    assert store.query_view(1).store("bank").get(b"k") == b"v1"
    assert store.query_view(0).store("bank").get(b"k") == b"v2"
    assert store.query_view(0).height == 2
    with pytest.raises(StoreError):
        store.query_view(1).store("nope")


def test_empty_key_rejected_empty_value_allowed() -> None:
    store = MultiStore(MemoryDatabase(), NAMES)
    view = store.block_view()
    with pytest.raises(StoreError):
        view.store("bank").set(b"", b"v")
    view.store("bank").set(b"k", b"")
    assert view.store("bank").get(b"k") == b""
    store.finalize(view, 1)
    store.commit()
    assert store.query_view().store("bank").get(b"k") == b""
    assert store.query_view().store("bank").has(b"k")


# -- views ------------------------------------------------------------


def test_branches_write_or_discard() -> None:
    store = MultiStore(MemoryDatabase(), NAMES)
    run_block(store, 1, [("bank", b"a", b"1"), ("bank", b"b", b"2")])
    block = store.block_view()
    failed = block.branch()
    failed.store("bank").set(b"a", b"x")
    assert failed.store("bank").get(b"a") == b"x"
    assert block.store("bank").get(b"a") == b"1"
    ok = block.branch()
    nested = ok.branch()
    nested.store("bank").delete(b"b")
    nested.write()
    ok.store("bank").set(b"c", b"3")
    ok.write()
    assert list(block.store("bank").iterate()) == [(b"a", b"1"), (b"c", b"3")]
    with pytest.raises(StoreError):
        block.write()


def test_iterate_merges_layers_in_both_directions_and_tolerates_writes() -> None:
    store = MultiStore(MemoryDatabase(), NAMES)
    run_block(store, 1, [("bank", bytes([i]), bytes([i])) for i in range(1, 10)])
    view = store.block_view()
    bank = view.store("bank")
    bank.delete(b"\x03")
    bank.set(b"\x05", b"five")
    child = view.branch()
    child.store("bank").set(b"\x0a", b"ten")
    child.store("bank").delete(b"\x07")
    seen = []
    for key, _ in child.store("bank").iterate(b"\x02", b"\x0b"):
        seen.append(key)
        child.store("bank").set(key + b"\x00", b"new")  # writes during iteration
        child.store("bank").delete(b"\x09")
    assert seen == [b"\x02", b"\x04", b"\x05", b"\x06", b"\x08", b"\x09", b"\x0a"]
    backwards = [k for k, _ in view.store("bank").iterate(b"\x02", b"\x06", reverse=True)]
    assert backwards == [b"\x05", b"\x04", b"\x02"]


def test_prefix_end() -> None:
    assert prefix_end(b"\x01\x02") == b"\x01\x03"
    assert prefix_end(b"\x01\xff") == b"\x02"
    assert prefix_end(b"\xff\xff") is None
    assert prefix_end(b"") is None


def test_iterate_prefix() -> None:
    store = MultiStore(MemoryDatabase(), NAMES)
    run_block(store, 1, [("acc", k, b"v") for k in (b"\x01", b"\x01\xff", b"\x02\x00", b"\x02")])
    reader = store.query_view().store("acc")
    assert [k for k, _ in reader.iterate_prefix(b"\x01")] == [b"\x01", b"\x01\xff"]
    assert [k for k, _ in reader.iterate_prefix(b"\x02", reverse=True)] == [b"\x02\x00", b"\x02"]


# -- properties ------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(blocks_strategy())
def test_random_blocks_match_dict_model_at_every_version(blocks: list[Block]) -> None:
    store = MultiStore(MemoryDatabase(), NAMES, node_cache_size=16)
    model: dict[str, dict[bytes, bytes]] = {name: {} for name in NAMES}
    history: list[dict[str, dict[bytes, bytes]]] = []
    for height, ops in enumerate(blocks, start=1):
        run_block(store, height, ops)
        apply_model(model, ops)
        history.append({name: dict(kv) for name, kv in model.items()})
    for height, snapshot in enumerate(history, start=1):
        view = store.query_view(height)
        for name in NAMES:
            expected = sorted(snapshot[name].items())
            reader = view.store(name)
            assert list(reader.iterate()) == expected
            assert list(reader.iterate(reverse=True)) == expected[::-1]
            for key, value in expected:
                assert reader.get(key) == value
            lo, hi = b"\x40", b"\xa0"
            assert list(reader.iterate(lo, hi)) == [(k, v) for k, v in expected if lo <= k < hi]
            root = store._trees[name].committed_root if height == len(blocks) else None
            if root is not None:
                assert check_invariants(root, store._cache) == len(expected)


@settings(max_examples=30, deadline=None)
@given(blocks_strategy(), st.randoms(use_true_random=False))
def test_app_hash_independent_of_write_order_in_view(blocks: list[Block], rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    first = MultiStore(MemoryDatabase(), NAMES)
    second = MultiStore(MemoryDatabase(), NAMES)
    for height, ops in enumerate(blocks, start=1):
        final: dict[tuple[str, bytes], bytes | None] = {}
        for name, key, value in ops:
            final[(name, key)] = value
        shuffled = list(final.items())
        rnd.shuffle(shuffled)
        # Same final change set, reached through a different write order and branch structure.
        view = second.block_view()
        branch = view.branch()
        for (name, key), value in shuffled:
            store = branch.store(name)
            store.set(key, b"tmp")
            (store.delete(key) if value is None else store.set(key, value))
        branch.write()
        expected = run_block(first, height, ops)
        assert second.finalize(view, height) == expected
        second.commit()


# -- persistence and pruning ------------------------------------------------------------


def test_reopen_from_leveldb_restores_state(tmp_path: Path) -> None:
    path = str(tmp_path / "db")
    store = MultiStore(LevelDatabase(path), NAMES)
    hashes = [
        run_block(store, h, [("bank", f"k{h}".encode(), b"v"), ("acc", b"x", bytes([h]))])
        for h in range(1, 6)
    ]
    store.close()
    reopened = MultiStore(LevelDatabase(path), list(reversed(NAMES)))
    assert reopened.last_height == 5
    assert reopened.last_app_hash == hashes[-1]
    assert reopened.query_view(3).store("acc").get(b"x") == b"\x03"
    assert [k for k, _ in reopened.query_view().store("bank").iterate()] == [
        f"k{h}".encode() for h in range(1, 6)
    ]
    assert run_block(reopened, 6, []) == reopened.commit_info(6).hash()
    reopened.close()


def test_pruning_keeps_recent_versions_and_survives_reopen(tmp_path: Path) -> None:
    path = str(tmp_path / "db")
    store = MultiStore(
        LevelDatabase(path), NAMES, keep_recent=3, prune_interval=5, node_cache_size=8
    )
    model: dict[str, dict[bytes, bytes]] = {name: {} for name in NAMES}
    history = {}
    for height in range(1, 21):
        ops: Block = [("bank", bytes([height % 7, i]), bytes([height])) for i in range(5)]
        ops.append(("bank", bytes([(height + 3) % 7, 1]), None))
        run_block(store, height, ops)
        apply_model(model, ops)
        history[height] = sorted(model["bank"].items())
    assert store.earliest_height == 17
    store.close()
    reopened = MultiStore(LevelDatabase(path), NAMES, keep_recent=3, prune_interval=5)
    assert reopened.earliest_height == 17
    for height in range(17, 21):
        view = reopened.query_view(height)
        assert list(view.store("bank").iterate()) == history[height]
        assert reopened.commit_info(height).root_of("bank") == view.commit_info.root_of("bank")
        root = reopened._roots_at(reopened.commit_info(height))["bank"]
        check_invariants(root, reopened._cache)
    for height in (1, 16):
        with pytest.raises(StoreError, match="pruned"):
            reopened.query_view(height)
    reopened.close()


def test_pruning_deletes_every_unreachable_node() -> None:
    db = MemoryDatabase()
    store = MultiStore(db, NAMES, keep_recent=1, prune_interval=1)
    for height in range(1, 30):
        run_block(
            store, height, [("bank", bytes([height % 5, i]), bytes([height])) for i in range(4)]
        )
    live: set[bytes] = set()
    for height in (store.earliest_height, store.last_height):
        for name in NAMES:
            root = store._roots_at(store.commit_info(height))[name]
            stack = [root] if root is not None else []
            while stack:
                node = stack.pop()
                assert node.db_key is not None
                live.add(node.db_key)
                if node.height:
                    stack += [store._cache.load(node.left_key), store._cache.load(node.right_key)]
    stored = {k for k, _ in db.iterate(b"t", b"u")}
    assert stored == live
