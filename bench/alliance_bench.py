"""Alliance EndBlock cost against the number of alliance delegations (target: flat within 1.5x).

Builds F0 with 4 validators and 2 assets, writes N delegations (10^3, 10^4, 10^5), then times a
full EndBlock with a pending rebalance. Run: ``.venv/bin/python bench/alliance_bench.py``.
"""

from __future__ import annotations

import sys
import time

from app.modules.alliance.end_block import process_end_block
from app.types import Timestamp
from app.types.time import MINUTE, SECOND
from tests.modules.alliance.chain_fixture import AllianceChain, account
from tests.modules.alliance.fixtures import make_asset

T0 = Timestamp(1_700_000_000 * SECOND)


def build(delegations: int) -> AllianceChain:
    chain = AllianceChain(time=T0, height=1)
    chain.set_assets(
        make_asset("aaa", "0.5", take="0.001", start=T0), make_asset("bbbb", "2", start=T0)
    )
    validators = [chain.v0] + [chain.add_validator(n) for n in (1, 2, 3)]
    for i in range(delegations):
        user = account(f"user{i}")
        denom = "aaa" if i % 2 else "bbbb"
        chain.fund(user, 1_000, denom)
        chain.delegate(user, validators[i % 4], 1_000, denom)
    return chain


def time_end_block(chain: AllianceChain, blocks: int = 5) -> float:
    start = time.perf_counter()
    for b in range(blocks):
        chain.at(time=Timestamp(T0 + (b + 1) * 6 * MINUTE), height=2 + b)
        chain.keeper.set_rebalance_flag(chain.ctx)
        process_end_block(chain.keeper, chain.ctx)
    return (time.perf_counter() - start) / blocks


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [1_000, 10_000, 100_000]
    results = []
    for size in sizes:
        chain = build(size)
        seconds = time_end_block(chain)
        results.append(seconds)
        print(f"{size:>7} delegations: EndBlock {seconds * 1000:.2f} ms")
    print(f"ratio largest/smallest: {max(results) / min(results):.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
