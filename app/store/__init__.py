"""Versioned, IAVL v1-compatible Merkle store on LevelDB (design: shared spec/store.md "PyAVL")."""

from app.store.commit_info import CommitInfo, StoreInfo
from app.store.db import Database, LevelDatabase, MemoryDatabase
from app.store.errors import StoreError
from app.store.multistore import MultiStore, ReadView
from app.store.proofs import (
    IAVL_SPEC,
    TENDERMINT_SPEC,
    ProofOp,
    verify_membership,
    verify_non_membership,
    verify_query_proof,
)
from app.store.views import CacheView, KVReader, KVStore, prefix_end

__all__ = [
    "IAVL_SPEC",
    "TENDERMINT_SPEC",
    "CacheView",
    "CommitInfo",
    "Database",
    "KVReader",
    "KVStore",
    "LevelDatabase",
    "MemoryDatabase",
    "MultiStore",
    "ProofOp",
    "ReadView",
    "StoreError",
    "StoreInfo",
    "prefix_end",
    "verify_membership",
    "verify_non_membership",
    "verify_query_proof",
]
