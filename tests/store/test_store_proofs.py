"""ICS23 query proofs from the store verify, and tampered ones do not."""

from __future__ import annotations

import random

import pytest

from app.store import (
    IAVL_SPEC,
    MemoryDatabase,
    MultiStore,
    ProofOp,
    StoreError,
    verify_non_membership,
    verify_query_proof,
)

NAMES = ["acc", "bank", "distribution", "staking", "alliance"]


@pytest.fixture(scope="module")
def store() -> MultiStore:
    rng = random.Random(3)
    store = MultiStore(MemoryDatabase(), NAMES)
    for height in range(1, 6):
        view = store.block_view()
        for _ in range(200):
            view.store(rng.choice(NAMES)).set(rng.randbytes(rng.randint(1, 4)), rng.randbytes(9))
        store.finalize(view, height)
        store.commit()
    return store


@pytest.mark.parametrize("height", [0, 2, 5])
def test_existence_and_absence_proofs_verify(store: MultiStore, height: int) -> None:
    view = store.query_view(height)
    app_hash = view.commit_info.hash()
    for name in NAMES:
        pairs = list(view.store(name).iterate())
        for key, value in pairs[:: max(1, len(pairs) // 15)]:
            assert verify_query_proof(app_hash, view.prove(name, key), name, key, value)
            assert not verify_query_proof(app_hash, view.prove(name, key), name, key, value + b"x")
            assert not verify_query_proof(app_hash, view.prove(name, key), name, key, None)
        for probe in (b"\x00", b"\x80\x00\x01", b"\xff\xff\xff\xff\xff"):
            if view.store(name).get(probe) is None:
                ops = view.prove(name, probe)
                assert verify_query_proof(app_hash, ops, name, probe, None)
                assert not verify_query_proof(app_hash, ops, name, probe, b"v")


def test_proof_against_wrong_app_hash_or_store_fails(store: MultiStore) -> None:
    view = store.query_view()
    key, value = next(iter(view.store("bank").iterate()))
    ops = view.prove("bank", key)
    assert verify_query_proof(view.commit_info.hash(), ops, "bank", key, value)
    assert not verify_query_proof(store.commit_info(4).hash(), ops, "bank", key, value)
    assert not verify_query_proof(view.commit_info.hash(), ops, "acc", key, value)


def test_non_membership_rejects_a_non_adjacent_pair(store: MultiStore) -> None:
    view = store.query_view()
    keys = [k for k, _ in view.store("staking").iterate()]
    root = view.commit_info.root_of("staking")
    # Graft the neighbours of one gap onto the absence proof of a key in another gap.
    gap_a = keys[3] + b"\x00"
    gap_b = keys[10] + b"\x00"
    proof_a = view.prove("staking", gap_a)[0].data
    proof_b = view.prove("staking", gap_b)[0].data
    assert verify_non_membership(IAVL_SPEC, root, proof_a, gap_a)
    assert not verify_non_membership(IAVL_SPEC, root, proof_b, gap_a)


def test_tampered_bytes_are_rejected(store: MultiStore) -> None:
    view = store.query_view()
    key, value = next(iter(view.store("acc").iterate()))
    ops = view.prove("acc", key)
    data = bytearray(ops[0].data)
    data[len(data) // 2] ^= 1
    forged = [ProofOp(ops[0].type, ops[0].key, bytes(data)), ops[1]]
    assert not verify_query_proof(view.commit_info.hash(), forged, "acc", key, value)


def test_unknown_store_and_empty_store() -> None:
    store = MultiStore(MemoryDatabase(), ["a", "b"])
    view = store.block_view()
    view.store("a").set(b"k", b"v")
    store.finalize(view, 1)
    store.commit()
    with pytest.raises(StoreError):
        store.query_view().prove("zzz", b"k")
    with pytest.raises(StoreError):
        store.query_view().prove("b", b"k")
