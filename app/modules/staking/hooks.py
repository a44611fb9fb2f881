"""Staking hooks: what other modules learn of validator and delegation changes.

The set and the places they fire are cosmos-sdk v0.50's (``x/staking/types/hooks.go``); the
Alliance module depends on exactly which fire when (spec/alliance.md §8.1, §11). Addresses are raw
bytes: operator (ValAddress), consensus (ConsAddress) and delegator (AccAddress).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from app.chain.context import Context
from app.types.dec import Dec

__all__ = ["MultiStakingHooks", "NoStakingHooks", "StakingHooks"]


class StakingHooks(Protocol):
    """Reactions to staking events; every method may change its own module's state."""

    def after_validator_created(self, ctx: Context, val: bytes) -> None: ...
    def before_validator_modified(self, ctx: Context, val: bytes) -> None: ...
    def after_validator_removed(self, ctx: Context, cons: bytes, val: bytes) -> None: ...
    def after_validator_bonded(self, ctx: Context, cons: bytes, val: bytes) -> None: ...
    def after_validator_begin_unbonding(self, ctx: Context, cons: bytes, val: bytes) -> None: ...
    def before_delegation_created(self, ctx: Context, delegator: bytes, val: bytes) -> None: ...
    def before_delegation_shares_modified(
        self, ctx: Context, delegator: bytes, val: bytes
    ) -> None: ...
    def before_delegation_removed(self, ctx: Context, delegator: bytes, val: bytes) -> None: ...
    def after_delegation_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None: ...
    def before_validator_slashed(self, ctx: Context, val: bytes, fraction: Dec) -> None: ...
    def after_unbonding_initiated(self, ctx: Context, unbonding_id: int) -> None: ...


class NoStakingHooks:
    """Every hook a no-op: subclass it and override what a module reacts to."""

    def after_validator_created(self, ctx: Context, val: bytes) -> None:
        """A validator record was just written (MsgCreateValidator, genesis)."""

    def before_validator_modified(self, ctx: Context, val: bytes) -> None:
        """The commission changes (MsgEditValidator) or the validator is about to be slashed."""

    def after_validator_removed(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """An unbonded validator without shares was deleted."""

    def after_validator_bonded(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """The validator entered the active set (EndBlock)."""

    def after_validator_begin_unbonding(self, ctx: Context, cons: bytes, val: bytes) -> None:
        """The validator left the active set (EndBlock)."""

    def before_delegation_created(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        """A first delegation of `delegator` to `val` is about to be written."""

    def before_delegation_shares_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        """An existing delegation's shares are about to change."""

    def before_delegation_removed(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        """A delegation reaching zero shares is about to be deleted."""

    def after_delegation_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        """A delegation was written with its new shares."""

    def before_validator_slashed(self, ctx: Context, val: bytes, fraction: Dec) -> None:
        """Tokens of `val` are about to be burned: `fraction` = burned ⊘roundUp tokens."""

    def after_unbonding_initiated(self, ctx: Context, unbonding_id: int) -> None:
        """An unbonding delegation entry, redelegation entry or validator unbonding began."""


class MultiStakingHooks:
    """Several hooks called in list order (distribution, slashing, then alliance)."""

    def __init__(self, hooks: Sequence[StakingHooks]) -> None:
        self._hooks = tuple(hooks)

    def after_validator_created(self, ctx: Context, val: bytes) -> None:
        for hook in self._hooks:
            hook.after_validator_created(ctx, val)

    def before_validator_modified(self, ctx: Context, val: bytes) -> None:
        for hook in self._hooks:
            hook.before_validator_modified(ctx, val)

    def after_validator_removed(self, ctx: Context, cons: bytes, val: bytes) -> None:
        for hook in self._hooks:
            hook.after_validator_removed(ctx, cons, val)

    def after_validator_bonded(self, ctx: Context, cons: bytes, val: bytes) -> None:
        for hook in self._hooks:
            hook.after_validator_bonded(ctx, cons, val)

    def after_validator_begin_unbonding(self, ctx: Context, cons: bytes, val: bytes) -> None:
        for hook in self._hooks:
            hook.after_validator_begin_unbonding(ctx, cons, val)

    def before_delegation_created(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        for hook in self._hooks:
            hook.before_delegation_created(ctx, delegator, val)

    def before_delegation_shares_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        for hook in self._hooks:
            hook.before_delegation_shares_modified(ctx, delegator, val)

    def before_delegation_removed(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        for hook in self._hooks:
            hook.before_delegation_removed(ctx, delegator, val)

    def after_delegation_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        for hook in self._hooks:
            hook.after_delegation_modified(ctx, delegator, val)

    def before_validator_slashed(self, ctx: Context, val: bytes, fraction: Dec) -> None:
        for hook in self._hooks:
            hook.before_validator_slashed(ctx, val, fraction)

    def after_unbonding_initiated(self, ctx: Context, unbonding_id: int) -> None:
        for hook in self._hooks:
            hook.after_unbonding_initiated(ctx, unbonding_id)
