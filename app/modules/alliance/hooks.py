"""Alliance reactions to staking events (spec §11), registered after distribution and slashing.

Validator set changes and any delegation change (the module's own included) ask the next
EndBlock to rebalance; a removed validator loses its info; a slash cuts the alliance stake.
"""

from __future__ import annotations

from app.chain.context import Context
from app.modules.alliance.keeper import AllianceKeeper
from app.modules.staking.hooks import NoStakingHooks
from app.types.address import ValAddress
from app.types.dec import Dec

__all__ = ["AllianceHooks"]


class AllianceHooks(NoStakingHooks):
    """The staking hooks of the alliance module; the others are no-ops."""

    def __init__(self, keeper: AllianceKeeper) -> None:
        self._keeper = keeper

    def after_validator_removed(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """Delete the validator's info and rebalance."""
        self._keeper.delete_validator_info(ctx, ValAddress(val))
        self._keeper.set_rebalance_flag(ctx)

    def after_validator_bonded(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """The validator's asset stake now counts: rebalance."""
        self._keeper.set_rebalance_flag(ctx)

    def after_validator_begin_unbonding(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """The validator's asset stake no longer counts: rebalance."""
        self._keeper.set_rebalance_flag(ctx)

    def after_delegation_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        """Native stake changed (any delegator, this module too): rebalance."""
        self._keeper.set_rebalance_flag(ctx)

    def before_validator_slashed(self, ctx: Context, val: bytes, fraction: Dec) -> None:
        """Slash the alliance stake on `val` by the effective fraction, then rebalance."""
        self._keeper.handle_slash_hook(ctx, ValAddress(val), fraction)
