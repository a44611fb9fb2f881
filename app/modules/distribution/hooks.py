"""Distribution's staking hooks: where a delegation or validator changes, settle the rewards
first, exactly where cosmos-sdk v0.50's ``x/distribution/keeper/hooks.go`` does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.chain.context import Context
from app.types.dec import Dec

if TYPE_CHECKING:
    from app.modules.distribution.keeper import DistributionKeeper

__all__ = ["DistributionHooks"]


class DistributionHooks:
    """Implements the staking module's `StakingHooks`; the hooks distribution ignores are no-ops."""

    def __init__(self, keeper: DistributionKeeper) -> None:
        self.keeper = keeper

    def after_validator_created(self, ctx: Context, val: bytes) -> None:
        """A new validator gets its first reward periods and empty records."""
        self.keeper.initialize_validator(ctx, val)

    def before_validator_modified(self, ctx: Context, val: bytes) -> None:
        """Nothing to settle: commission changes apply to later allocations."""

    def after_validator_removed(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """Pay the last commission and drop the validator's records."""
        self.keeper.remove_validator(ctx, val)

    def after_validator_bonded(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """Bonding changes nothing in the reward accounting."""

    def after_validator_begin_unbonding(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """Unbonding changes nothing in the reward accounting."""

    def before_delegation_created(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        """End the validator's period so the new delegation starts on a fresh one."""
        self.keeper.before_delegation_created(ctx, val)

    def before_delegation_shares_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        """Withdraw the rewards earned on the shares about to change."""
        self.keeper.before_delegation_shares_modified(ctx, delegator, val)

    def before_delegation_removed(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        """Already settled by `before_delegation_shares_modified`."""

    def after_delegation_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        """Restart the delegation's accounting at its new stake."""
        self.keeper.initialize_delegation(ctx, val, delegator)

    def before_validator_slashed(self, ctx: Context, val: bytes, fraction: Dec) -> None:
        """End the period at the slash and record its fraction."""
        self.keeper.record_slash(ctx, val, fraction)

    def after_unbonding_initiated(self, ctx: Context, unbonding_id: int) -> None:
        """Unbonding entries do not earn rewards."""
