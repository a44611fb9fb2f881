"""Staking's invariants (``x/staking/keeper/invariants.go``), for tests to run after every block.

Each returns a list of broken-rule descriptions, empty when the state is sound.
"""

from __future__ import annotations

from app.chain.context import Context
from app.modules.staking import state
from app.modules.staking.keeper import StakingKeeper
from app.types.dec import Dec
from app.types.int import Int


def module_accounts_invariant(keeper: StakingKeeper, ctx: Context) -> list[str]:
    """bonded pool = Σ tokens of bonded validators; not-bonded pool = Σ tokens of unbonding and
    unbonded validators + Σ balances of unbonding entries."""
    bonded = Int(0)
    not_bonded = Int(0)
    for validator in keeper.get_all_validators(ctx):
        if validator.is_bonded():
            bonded = bonded + validator.tokens
        else:
            not_bonded = not_bonded + validator.tokens
    for ubd in state.iterate_ubds(ctx.store(state.STORE_NAME)):
        for entry in ubd.entries:
            not_bonded = not_bonded + entry.balance
    broken = []
    pool_bonded = keeper.total_bonded_tokens(ctx)
    pool_not_bonded = keeper.not_bonded_tokens(ctx)
    if pool_bonded != bonded:
        broken.append(f"bonded pool holds {pool_bonded}, bonded validators {bonded}")
    if pool_not_bonded != not_bonded:
        broken.append(f"not-bonded pool holds {pool_not_bonded}, expected {not_bonded}")
    return broken


def delegator_shares_invariant(keeper: StakingKeeper, ctx: Context) -> list[str]:
    """Each validator's delegator_shares = Σ shares of its delegations."""
    totals: dict[bytes, Dec] = {}
    for delegation in keeper.get_all_delegations(ctx):
        totals[delegation.validator] = (
            totals.get(delegation.validator, Dec.zero()) + delegation.shares
        )
    broken = []
    for validator in keeper.get_all_validators(ctx):
        total = totals.get(validator.operator, Dec.zero())
        if total != validator.delegator_shares:
            broken.append(
                f"validator {validator.operator.hex()} shares {validator.delegator_shares}, "
                f"delegations {total}"
            )
    return broken


def all_invariants(keeper: StakingKeeper, ctx: Context) -> list[str]:
    return module_accounts_invariant(keeper, ctx) + delegator_shares_invariant(keeper, ctx)
