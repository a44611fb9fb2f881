"""Alliance EndBlock and claim costs on committed state, measured the way a node runs them.

State: F0 of vectors/alliance.md on the real keepers (the tests' `AllianceChain`): 4 validators,
2 assets. Its genesis state is committed as version 1 of a `MultiStore` on LevelDB in a temp dir;
then N delegations (10^3, 10^4, 10^5 by default) arrive in blocks of `BLOCK_DELEGATIONS`, each
block closed by the chain's EndBlock (gov, staking, alliance) and committed with
`MultiStore.finalize/commit`. Nothing is timed over an uncommitted pile of writes.

The store is then reopened (a node restart: the bulk build's LevelDB compactions finish first).

(1) EndBlock: after one warm-up block, `--blocks` blocks, 6 minutes apart (a take-rate period
    passes each time), each a fresh block view over the committed state with a pending rebalance
    (what a delegate tx in the block would leave); the chain's EndBlock and alliance's share of
    it are timed, then the block is committed. Target: flat within 1.5x from the smallest to the
    largest N.
(2) Claim against other delegations: `--claims` delegators claim (after rewards were paid to
    every validator in the block before), each in a fresh block view; mean per claim, at each N.
(3) Claim against weight-change snapshots: on the smallest state, K blocks each changing one
    asset's weight (one snapshot per validator), then the same claims; K in `--snapshots`.

Run: ``.venv/bin/python -m bench.alliance_bench [--sizes 1000 10000 100000] [--blocks 20]
[--claims 50] [--snapshots 0 10 100 1000]`` (``--quick`` for a smoke-test size).
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.chain.context import BlockContext, Context, ExecMode
from app.modules.alliance.end_block import process_end_block
from app.modules.alliance.keeper import AssetFields
from app.store import LevelDatabase, MultiStore
from app.types import AccAddress, Dec, Timestamp, ValAddress
from app.types.time import MINUTE, SECOND
from tests.modules.alliance.chain_fixture import AllianceChain, account
from tests.modules.alliance.fixtures import make_asset

T0 = Timestamp(1_700_000_000 * SECOND)
BLOCK_INTERVAL = 6 * SECOND
TIMED_BLOCK_INTERVAL = 6 * MINUTE
"""Timed blocks lie more than a take-rate period (5 minutes) apart: every one deducts and
rebalances for real."""

BLOCK_DELEGATIONS = 5_000
"""Delegations per building block: blocks of a realistic size, committed one by one."""

DENOMS = ("aaa", "bbbb")
"""The two assets of F0: `aaa` (weight 0.5, take rate 0.001) and `bbbb` (weight 2)."""

WEIGHTS = (Dec.from_str("0.5"), Dec.from_str("0.6"))
"""The weights `aaa` alternates between in the snapshot sweep."""

REWARD_PER_VALIDATOR = 1_000_000
TARGET_RATIO = 1.5


class CommittedChain:
    """An `AllianceChain` whose state lives in a LevelDB `MultiStore`, advanced block by block.

    `chain.view`/`chain.ctx` are always a fresh block view over the last commit; `commit`
    finalizes it as the next version and opens the next block.
    """

    def __init__(self, chain: AllianceChain, path: Path) -> None:
        self.chain = chain
        self.path = path
        self.store = MultiStore(LevelDatabase(str(path)), chain.chain.store_names)
        genesis = self.store.block_view()
        for name, changes in chain.view.changes().items():
            target = genesis.store(name)
            for key, value in changes.items():
                if value is not None:
                    target.set(key, value)
        self.store.finalize(genesis, 1)
        self.store.commit()
        self.time = chain.ctx.block.time
        self.open_block(BLOCK_INTERVAL)

    @property
    def ctx(self) -> Context:
        return self.chain.ctx

    def open_block(self, interval: int) -> None:
        """A fresh block view over the committed state, `interval` after the last block."""
        self.time = Timestamp(self.time + interval)
        self.chain.view = self.store.block_view()
        self.chain.ctx = Context(
            self.chain.view,
            BlockContext(self.store.last_height + 1, self.time, "test"),
            ExecMode.FINALIZE,
        )

    def restart(self) -> None:
        """Close and reopen the store, as a node restart would: LevelDB finishes the compactions
        the bulk build queued (they would otherwise stall the timed commits), and the build's
        garbage is collected."""
        self.store.close()
        gc.collect()
        self.store = MultiStore(LevelDatabase(str(self.path)), self.chain.chain.store_names)
        self.open_block(BLOCK_INTERVAL)

    def end_block(self) -> None:
        """The chain's EndBlock, in its module order."""
        for module in self.chain.chain.end_block_order:
            module.end_block(self.ctx)

    def commit(self, next_interval: int = BLOCK_INTERVAL) -> None:
        self.store.finalize(self.chain.view, self.store.last_height + 1)
        self.store.commit()
        self.open_block(next_interval)

    def close(self) -> None:
        self.store.close()


def delegator(index: int) -> AccAddress:
    return account(f"user{index}")


def build(delegations: int, path: Path) -> tuple[CommittedChain, list[ValAddress]]:
    """F0 with two started assets and `delegations` delegations, committed on LevelDB."""
    chain = AllianceChain(time=T0, height=1)
    chain.set_assets(
        make_asset(DENOMS[0], "0.5", take="0.001", start=T0), make_asset(DENOMS[1], "2", start=T0)
    )
    validators = [chain.v0] + [chain.add_validator(n) for n in (1, 2, 3)]
    committed = CommittedChain(chain, path)
    for first in range(0, delegations, BLOCK_DELEGATIONS):
        for index in range(first, min(first + BLOCK_DELEGATIONS, delegations)):
            user = delegator(index)
            denom = DENOMS[index % 2]
            chain.fund(user, 1_000, denom)
            chain.delegate(user, validators[index % 4], 1_000, denom)
        committed.end_block()
        committed.commit()
    committed.restart()
    return committed, validators


@dataclass(frozen=True, slots=True)
class EndBlockTiming:
    """Mean milliseconds per block of the chain's EndBlock, alliance's part, and the commit."""

    chain_ms: float
    alliance_ms: float
    commit_ms: float
    writes: int


def time_end_blocks(committed: CommittedChain, blocks: int) -> EndBlockTiming:
    """EndBlock of `blocks` fresh blocks, each with a pending rebalance, committed after."""
    chain_s = alliance_s = commit_s = 0.0
    writes = 0
    keeper = committed.chain.keeper
    committed.end_block()  # warm-up: loads the roots and paths EndBlock reads
    committed.commit(TIMED_BLOCK_INTERVAL)
    for _ in range(blocks):
        ctx = committed.ctx
        keeper.set_rebalance_flag(ctx)
        start = time.perf_counter()
        for module in committed.chain.chain.end_block_order[:-1]:
            module.end_block(ctx)
        others = time.perf_counter()
        process_end_block(keeper, ctx)
        done = time.perf_counter()
        writes += sum(len(changes) for changes in committed.chain.view.changes().values())
        committed.commit(TIMED_BLOCK_INTERVAL)
        commit_s += time.perf_counter() - done
        chain_s += done - start
        alliance_s += done - others
    return EndBlockTiming(
        chain_s / blocks * 1e3, alliance_s / blocks * 1e3, commit_s / blocks * 1e3, writes // blocks
    )


def pay_rewards(committed: CommittedChain, validators: Sequence[ValAddress]) -> None:
    """Rewards to every validator's asset delegators, in the current block."""
    for operator in validators:
        committed.chain.add_rewards(operator, REWARD_PER_VALIDATOR, "stake")


def time_claims(committed: CommittedChain, validators: Sequence[ValAddress], claims: int) -> float:
    """Mean µs of one delegator's claim, each in a fresh view over the committed state (the
    views are dropped: every claim sees the same state)."""
    pay_rewards(committed, validators)
    committed.commit()
    total = 0.0
    for index in range(claims):
        committed.open_block(0)
        start = time.perf_counter()
        paid = committed.chain.claim(delegator(index), validators[index % 4], DENOMS[index % 2])
        total += time.perf_counter() - start
        if paid.is_zero():
            raise RuntimeError(f"claim of delegator {index} paid nothing: the bench is broken")
    committed.open_block(0)
    return total / claims * 1e6


def change_weight(committed: CommittedChain, weight: Dec) -> None:
    """`MsgUpdateAlliance` of `aaa` to `weight`: snapshots every validator's indices."""
    asset = committed.chain.asset(DENOMS[0])
    committed.chain.keeper.update_alliance(
        committed.ctx,
        AssetFields(
            asset.denom,
            weight,
            asset.take_rate,
            asset.reward_change_rate,
            asset.reward_change_interval,
            asset.reward_weight_range,
        ),
    )


def sweep_snapshots(
    committed: CommittedChain,
    validators: Sequence[ValAddress],
    checkpoints: Sequence[int],
    claims: int,
) -> list[tuple[int, float]]:
    """(K, mean claim µs) after K weight-change blocks since the delegators' last claim."""
    results = []
    changes = 0
    for target in sorted(checkpoints):
        while changes < target:
            change_weight(committed, WEIGHTS[(changes + 1) % 2])
            pay_rewards(committed, validators)
            committed.end_block()
            committed.commit()
            changes += 1
        results.append((changes, time_claims(committed, validators, claims)))
    return results


@dataclass(frozen=True, slots=True)
class Settings:
    sizes: tuple[int, ...]
    blocks: int
    claims: int
    snapshots: tuple[int, ...]


def run(settings: Settings, workdir: Path, emit: Callable[[str], None]) -> None:
    """The whole benchmark, one printed line per figure."""
    emit(
        f"alliance bench: 4 validators, 2 assets, delegations committed on LevelDB in blocks of "
        f"{BLOCK_DELEGATIONS:,}; EndBlock in fresh block views with a pending rebalance"
    )
    timings = []
    for size in settings.sizes:
        start = time.perf_counter()
        committed, validators = build(size, workdir / f"state-{size}")
        built = time.perf_counter() - start
        timing = time_end_blocks(committed, settings.blocks)
        claim_us = time_claims(committed, validators, settings.claims)
        committed.close()
        timings.append(timing)
        emit(
            f"{size:>7} delegations (built in {built:.1f} s): EndBlock {timing.chain_ms:.2f} ms "
            f"(alliance {timing.alliance_ms:.2f} ms, {timing.writes} writes; commit "
            f"{timing.commit_ms:.2f} ms); claim {claim_us:.0f} us"
        )
    ratio = max(t.chain_ms for t in timings) / min(t.chain_ms for t in timings)
    alliance_ratio = max(t.alliance_ms for t in timings) / min(t.alliance_ms for t in timings)
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    emit(
        f"EndBlock ratio largest/smallest: {ratio:.2f} (alliance alone {alliance_ratio:.2f}; "
        f"target <= {TARGET_RATIO}: {verdict})"
    )
    smallest = min(settings.sizes)
    committed, validators = build(smallest, workdir / "snapshots")
    for changes, claim_us in sweep_snapshots(
        committed, validators, settings.snapshots, settings.claims
    ):
        emit(
            f"claim after {changes:>5} weight changes ({smallest:,} delegations): {claim_us:.0f} us"
        )
    committed.close()


def parse_settings(argv: Sequence[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--blocks", type=int, default=20, help="timed EndBlocks per size")
    parser.add_argument("--claims", type=int, default=50, help="timed claims per figure")
    parser.add_argument("--snapshots", type=int, nargs="+", default=[0, 10, 100, 1000])
    parser.add_argument("--quick", action="store_true", help="smoke-test size")
    args = parser.parse_args(argv)
    if args.quick:
        return Settings(sizes=(100, 400), blocks=2, claims=4, snapshots=(0, 3))
    return Settings(tuple(args.sizes), args.blocks, args.claims, tuple(args.snapshots))


def main(argv: Sequence[str] | None = None) -> None:
    settings = parse_settings(argv)
    with tempfile.TemporaryDirectory(prefix="allianced-alliance-bench-") as workdir:
        run(settings, Path(workdir), print)


if __name__ == "__main__":
    main()
