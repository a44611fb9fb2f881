"""The alliance EndBlock: six named steps in the reference order (spec §13).

1. forget completed redelegations; 2. pay completed undelegations (and burn stray bond denom);
3. mark started assets initialized; 4. take rate; 5. reward-weight schedule; 6. rebalance when
asked. Runs last in the chain's EndBlock, after gov (which executes alliance proposals) and
staking; validator powers follow the new virtual stake at the next block's staking EndBlock.
"""

from __future__ import annotations

from app.chain.context import Context
from app.modules.alliance.keeper import AllianceKeeper

__all__ = ["process_end_block"]


def process_end_block(keeper: AllianceKeeper, ctx: Context) -> None:
    """Run the six steps; an error aborts the block, as upstream."""
    keeper.complete_redelegations(ctx)
    keeper.complete_undelegations(ctx)
    keeper.initialize_assets(ctx)
    keeper.deduct_take_rate(ctx)
    keeper.apply_weight_schedule(ctx)
    keeper.rebalance_if_requested(ctx)
