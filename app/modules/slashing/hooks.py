"""Slashing's reactions to staking (x/slashing ``keeper/hooks.go``)."""

from __future__ import annotations

from dataclasses import replace

from app.chain.context import Context
from app.modules.slashing.keeper import SlashingKeeper
from app.modules.slashing.state import SigningInfo
from app.modules.staking.hooks import NoStakingHooks

__all__ = ["SlashingHooks"]


class SlashingHooks(NoStakingHooks):
    """Keeps consensus keys (for evidence) and starts signing infos when validators bond."""

    def __init__(self, keeper: SlashingKeeper) -> None:
        self.keeper = keeper

    def after_validator_created(self, ctx: Context, val: bytes) -> None:
        """Remember the new validator's consensus key under its consensus address."""
        validator = self.keeper.staking.get_validator(ctx, val)
        if validator is not None:
            self.keeper.add_pubkey(ctx, validator.consensus_address(), validator.consensus_pubkey)

    def after_validator_bonded(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """The liveness window starts at this height: a new signing info, or the old one (its
        counters and tombstone kept) with its start height moved here."""
        info = self.keeper.get_signing_info(ctx, cons)
        height = ctx.block.height
        if info is None:
            info = SigningInfo(address=cons, start_height=height)
        else:
            info = replace(info, start_height=height)
        self.keeper.set_signing_info(ctx, info)

    def after_validator_removed(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """Forget the removed validator's consensus key."""
        self.keeper.delete_pubkey(ctx, cons)
