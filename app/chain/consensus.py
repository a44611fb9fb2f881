"""Chain-level state kept by the application itself, in store ``consensus``.

Key table (store ``consensus``):

    0x00  -> chain id (UTF-8)
    0x01  -> block limits: ``tendermint.types.BlockParams`` (max_bytes, max_gas)
    0x02  -> the last finalized block's height (8 bytes BE) and time (8 bytes BE, signed ns)

Written at InitChain (with genesis, in the first block's commit) and at every FinalizeBlock, so
CheckTx and queries know the chain id, the limits and the block time after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.chain.kv import KVReader, KVStore
from app.pb.tendermint.types import params_pb2
from app.types.time import Timestamp

__all__ = [
    "STORE_NAME",
    "BlockLimits",
    "LastBlock",
    "get_block_limits",
    "get_chain_id",
    "get_last_block",
    "set_block_limits",
    "set_chain_id",
    "set_last_block",
]

STORE_NAME = "consensus"

EPOCH = Timestamp(0)
"""1970-01-01T00:00:00Z: the time recorded before any block."""

CHAIN_ID_KEY = b"\x00"
BLOCK_LIMITS_KEY = b"\x01"
LAST_BLOCK_KEY = b"\x02"


@dataclass(frozen=True, slots=True)
class BlockLimits:
    """Consensus params ``block.max_bytes`` and ``block.max_gas`` (-1 = unlimited)."""

    max_bytes: int = -1
    max_gas: int = -1


@dataclass(frozen=True, slots=True)
class LastBlock:
    """Height and header time of the last finalized block (0 and the epoch before block 1)."""

    height: int = 0
    time: Timestamp = EPOCH


def get_chain_id(store: KVReader) -> str:
    """The chain id from genesis; "" before InitChain."""
    raw = store.get(CHAIN_ID_KEY)
    return "" if raw is None else raw.decode()


def set_chain_id(store: KVStore, chain_id: str) -> None:
    store.set(CHAIN_ID_KEY, chain_id.encode())


def get_block_limits(store: KVReader) -> BlockLimits:
    raw = store.get(BLOCK_LIMITS_KEY)
    if raw is None:
        return BlockLimits()
    pb = params_pb2.BlockParams.FromString(raw)
    return BlockLimits(max_bytes=pb.max_bytes, max_gas=pb.max_gas)


def set_block_limits(store: KVStore, limits: BlockLimits) -> None:
    pb = params_pb2.BlockParams(max_bytes=limits.max_bytes, max_gas=limits.max_gas)
    store.set(BLOCK_LIMITS_KEY, pb.SerializeToString(deterministic=True))


def get_last_block(store: KVReader) -> LastBlock:
    raw = store.get(LAST_BLOCK_KEY)
    if raw is None:
        return LastBlock()
    height = int.from_bytes(raw[:8], "big")
    time = Timestamp(int.from_bytes(raw[8:], "big", signed=True))
    return LastBlock(height, time)


def set_last_block(store: KVStore, block: LastBlock) -> None:
    time = block.time.to_bytes(8, "big", signed=True)
    store.set(LAST_BLOCK_KEY, block.height.to_bytes(8, "big") + time)
