"""Inside the app, no CometBFT: CheckTx per signed send, and FinalizeBlock + Commit of a send block.

Builds a `ChainApplication` over a LevelDB store in a temp dir, runs InitChain with a genesis
funding one sender per tx of a block, and grows the store to `--keys` entries: filler entries
(under a prefix no module reads, in the bank store, where sends write) ride along with empty
blocks through the app's own FinalizeBlock/Commit, as fast as the store takes them. Then:

(a) CheckTx (new txs) of `senders × blocks` fresh signed sends, mean µs per tx;
(b) `blocks` blocks of `senders` sends each (those same txs, one per sender per block),
    FinalizeBlock and Commit timed apart, mean ms per block, with the store writes of each block.

Targets (the issue's): CheckTx under 100 µs per tx; FinalizeBlock + Commit of a 1,000-send block
(about 4,000 store writes) under 300 ms on a store of 1 M keys.

Usage: .venv/bin/python -m bench.app_bench [--keys 1000000] [--senders 1000] [--blocks 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import timestamp_pb2

from app.chain.application import ChainApplication
from app.chain.wiring import build_chain
from app.crypto import ed25519
from app.node.devnet import create_devnet, load_devnet_config, load_devnet_keys
from app.node.home import NodeHome
from app.node.init import DEFAULT_BLOCK_MAX_BYTES, DEFAULT_BLOCK_MAX_GAS, read_genesis
from app.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query_pb2
from app.pb.tendermint.abci import types_pb2 as abci
from app.pb.tendermint.types import params_pb2, validator_pb2
from app.store import CacheView, LevelDatabase, MultiStore
from bench.workload import BENCH_CHAIN_ID, fund_senders, interleave, make_senders, sign_send_runs

ACCOUNT_INFO_PATH = "/cosmos.auth.v1beta1.Query/AccountInfo"

CHECK_TX_TARGET_US = 100.0
BLOCK_TARGET_MS = 300.0
TARGET_BLOCK_SENDS = 1_000
TARGET_STORE_KEYS = 1_000_000

FILLER_STORE = "bank"
"""Filler goes where sends write, so their tree paths are as deep as a 1 M-key store makes them."""

FILLER_PREFIX = b"\xfb"
"""A key prefix no module reads: the filler changes the tree's size, not the chain's state."""

FILLER_PER_BLOCK = 100_000
"""Filler entries per block: large blocks amortise the per-block cost of the store."""

GENESIS_SECONDS = 1_767_225_600
"""2026-01-01T00:00:00Z; block h is stamped h seconds later (no wall clock in the chain)."""

VALIDATOR_POWER = 100_000
"""Consensus power of the genesis validator: its 10^11 uxprt self-delegation / 10^6."""


class BenchStore(MultiStore):
    """A MultiStore that counts each block's writes and slips queued filler into the next block."""

    def __init__(self, db: LevelDatabase, store_names: Sequence[str]) -> None:
        super().__init__(db, store_names)
        self._filler: list[tuple[bytes, bytes]] = []
        self.last_block_writes = 0

    def queue_filler(self, entries: list[tuple[bytes, bytes]]) -> None:
        """Entries the next finalized block writes into FILLER_STORE besides its own changes."""
        self._filler.extend(entries)

    def finalize(self, view: CacheView, height: int) -> bytes:
        if self._filler:
            filler_store = view.store(FILLER_STORE)
            for key, value in self._filler:
                filler_store.set(key, value)
            self._filler = []
        self.last_block_writes = sum(len(changes) for changes in view.changes().values())
        return super().finalize(view, height)


@dataclass(frozen=True, slots=True)
class BlockTiming:
    """One timed block."""

    finalize_ms: float
    commit_ms: float
    writes: int
    gas_used: int

    @property
    def total_ms(self) -> float:
        return self.finalize_ms + self.commit_ms


class BenchChain:
    """A ChainApplication driven the way CometBFT would drive a single-validator chain."""

    def __init__(
        self, path: Path, genesis_app_state: dict[str, Any], validator: ed25519.PrivateKey
    ) -> None:
        self.validator = validator
        chain = build_chain()
        self.store = BenchStore(LevelDatabase(str(path)), chain.store_names)
        self.app = ChainApplication(self.store, chain=chain)
        self.height = 0
        self.app.init_chain(
            abci.RequestInitChain(
                time=_block_time(0),
                chain_id=BENCH_CHAIN_ID,
                consensus_params=params_pb2.ConsensusParams(
                    block=params_pb2.BlockParams(
                        max_bytes=DEFAULT_BLOCK_MAX_BYTES, max_gas=DEFAULT_BLOCK_MAX_GAS
                    )
                ),
                app_state_bytes=json.dumps(genesis_app_state).encode(),
                initial_height=1,
            )
        )

    def finalize_block(self, txs: Sequence[bytes]) -> abci.ResponseFinalizeBlock:
        """FinalizeBlock of the next height, proposed and signed by the one validator."""
        self.height += 1
        address = self.validator.public_key.address()
        # Block 1 has no last commit; later blocks carry the one validator's precommit.
        vote = abci.VoteInfo(
            validator=abci.Validator(address=address, power=VALIDATOR_POWER),
            block_id_flag=validator_pb2.BLOCK_ID_FLAG_COMMIT,
        )
        return self.app.finalize_block(
            abci.RequestFinalizeBlock(
                txs=txs,
                decided_last_commit=abci.CommitInfo(votes=[vote] if self.height > 1 else []),
                hash=hashlib.sha256(self.height.to_bytes(8, "big")).digest(),
                height=self.height,
                time=_block_time(self.height),
                proposer_address=address,
            )
        )

    def commit(self) -> None:
        self.app.commit(abci.RequestCommit())

    def account_number(self, bech32: str) -> int:
        request = auth_query_pb2.QueryAccountInfoRequest(address=bech32)
        answer = self.app.query(
            abci.RequestQuery(path=ACCOUNT_INFO_PATH, data=request.SerializeToString())
        )
        if answer.code != 0:
            raise RuntimeError(f"account {bech32}: {answer.log}")
        return auth_query_pb2.QueryAccountInfoResponse.FromString(answer.value).info.account_number


def fill_store(chain: BenchChain, entries: int) -> float:
    """Add `entries` filler entries through empty blocks; returns the seconds it took."""
    start = time.perf_counter()
    for first in range(0, entries, FILLER_PER_BLOCK):
        count = min(FILLER_PER_BLOCK, entries - first)
        chain.store.queue_filler([_filler_entry(first + i) for i in range(count)])
        chain.finalize_block([])
        chain.commit()
    return time.perf_counter() - start


def time_check_tx(chain: BenchChain, txs: Sequence[bytes]) -> float:
    """Mean CheckTx (new) time per tx in µs; every tx must be accepted."""
    start = time.perf_counter()
    answers = [chain.app.check_tx(abci.RequestCheckTx(tx=tx, type=abci.NEW)) for tx in txs]
    elapsed = time.perf_counter() - start
    refused = [answer for answer in answers if answer.code != 0]
    if refused:
        raise RuntimeError(f"{len(refused)} CheckTx refusals, first: {refused[0].log}")
    return elapsed / len(txs) * 1e6


def time_block(chain: BenchChain, txs: Sequence[bytes]) -> BlockTiming:
    """FinalizeBlock then Commit of one block of `txs`; every tx must succeed."""
    start = time.perf_counter()
    response = chain.finalize_block(txs)
    finalized = time.perf_counter()
    chain.commit()
    committed = time.perf_counter()
    failed = [result for result in response.tx_results if result.code != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} sends failed in block, first: {failed[0].log}")
    return BlockTiming(
        finalize_ms=(finalized - start) * 1e3,
        commit_ms=(committed - finalized) * 1e3,
        writes=chain.store.last_block_writes,
        gas_used=sum(result.gas_used for result in response.tx_results),
    )


def validator_genesis(root: Path) -> tuple[dict[str, Any], ed25519.PrivateKey]:
    """A one-validator genesis made the Cosmos way (gentx of `validator0`) and its consensus key."""
    config = load_devnet_config()
    config["chain_id"] = BENCH_CHAIN_ID
    home = NodeHome(root)
    create_devnet(home, config, load_devnet_keys())
    return read_genesis(home.genesis_file), ed25519.load_priv_validator_key(
        home.priv_validator_key_file
    )


def run(keys: int, senders: int, blocks: int, workdir: Path) -> list[str]:
    """The whole benchmark; returns the report lines."""
    accounts = make_senders(senders)
    genesis, validator = validator_genesis(workdir / "validator")
    fund_senders(genesis, accounts)
    chain = BenchChain(workdir / "application.db", genesis["app_state"], validator)
    chain.finalize_block([])  # height 1 carries the genesis state
    chain.commit()
    genesis_keys = chain.store.last_block_writes
    filler = max(keys - genesis_keys, 0)
    fill_seconds = fill_store(chain, filler)
    numbers = [chain.account_number(account.bech32) for account in accounts]
    runs = sign_send_runs(accounts, numbers, blocks)
    check_us = time_check_tx(chain, interleave(runs))
    timings = [time_block(chain, [run[step] for run in runs]) for step in range(blocks)]
    return format_report(
        keys=genesis_keys + filler,
        fill_seconds=fill_seconds,
        senders=senders,
        check_us=check_us,
        check_count=senders * blocks,
        timings=timings,
    )


def format_report(
    *,
    keys: int,
    fill_seconds: float,
    senders: int,
    check_us: float,
    check_count: int,
    timings: Sequence[BlockTiming],
) -> list[str]:
    mean_finalize = sum(t.finalize_ms for t in timings) / len(timings)
    mean_commit = sum(t.commit_ms for t in timings) / len(timings)
    mean_total = mean_finalize + mean_commit
    mean_writes = sum(t.writes for t in timings) // len(timings)
    gas_per_send = sum(t.gas_used for t in timings) // (len(timings) * senders)
    comparable = senders >= TARGET_BLOCK_SENDS and keys >= TARGET_STORE_KEYS
    block_verdict = _verdict(mean_total < BLOCK_TARGET_MS) if comparable else "smaller setup"
    lines = [
        f"app bench: LevelDB store of {keys:,} keys (filled in {fill_seconds:.1f} s), "
        f"blocks of {senders} sends between funded accounts, no CometBFT",
        f"CheckTx (new), {check_count} signed sends: mean {check_us:.1f} us/tx "
        f"(target < {CHECK_TX_TARGET_US:.0f} us: {_verdict(check_us < CHECK_TX_TARGET_US)})",
        f"FinalizeBlock + Commit, {senders} sends: mean {mean_total:.1f} ms "
        f"(FinalizeBlock {mean_finalize:.1f} + Commit {mean_commit:.1f}; "
        f"target < {BLOCK_TARGET_MS:.0f} ms for 1,000 sends on 1 M keys: {block_verdict}), "
        f"{mean_writes:,} store writes per block, "
        f"{gas_per_send:,} gas per send",
    ]
    lines += [
        f"  block {index}: FinalizeBlock {t.finalize_ms:.1f} ms + Commit {t.commit_ms:.1f} ms "
        f"= {t.total_ms:.1f} ms, {t.writes:,} writes"
        for index, t in enumerate(timings, start=1)
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=1_000_000, help="store size before timing")
    parser.add_argument("--senders", type=int, default=1000, help="sends per block")
    parser.add_argument("--blocks", type=int, default=3, help="timed blocks")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="allianced-app-bench-") as workdir:
        for line in run(args.keys, args.senders, args.blocks, Path(workdir)):
            print(line)


def _block_time(height: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=GENESIS_SECONDS + height)


def _filler_entry(index: int) -> tuple[bytes, bytes]:
    """Key: the prefix and 26 pseudo-random bytes (balance-key sized); value: 16 bytes."""
    digest = hashlib.sha256(index.to_bytes(8, "big")).digest()
    return FILLER_PREFIX + digest[:26], digest[26:] + digest[:10]


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
