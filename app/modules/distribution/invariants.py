"""Distribution invariants (the SDK's crisis routes), as checks tests run after every block.

* can-withdraw: per validator, its commission plus what every delegation could withdraw now
  stays within its outstanding rewards;
* reference-count: the historical periods' reference counts add up to one per validator, one
  per delegation and one per slash event;
* module-account: the module holds the whole coins of all outstanding rewards plus the pool.
"""

from __future__ import annotations

from app.chain.context import Context
from app.chain.errors import InvariantViolation
from app.modules.distribution import state
from app.modules.distribution.keeper import MODULE_NAME, DistributionKeeper
from app.types.address import val_to_bech32

__all__ = ["assert_invariants", "broken_invariants"]


def can_withdraw(keeper: DistributionKeeper, ctx: Context) -> list[str]:
    broken = []
    store = ctx.store(state.STORE_NAME)
    for operator, outstanding in state.iterate_outstanding(store):
        due = state.get_commission(store, operator)
        for delegation in keeper.staking.get_validator_delegations(ctx, operator):
            due = due + keeper.delegation_rewards(ctx, delegation.delegator, operator)
        if not outstanding.is_all_gte(due):
            broken.append(f"validator {val_to_bech32(operator)} owes {due} but holds {outstanding}")
    return broken


def reference_count(keeper: DistributionKeeper, ctx: Context) -> list[str]:
    store = ctx.store(state.STORE_NAME)
    validators = sum(1 for _ in state.iterate_current(store))
    delegations = sum(1 for _ in state.iterate_starting_infos(store))
    slashes = sum(1 for _ in state.iterate_slash_events(store))
    counted = sum(record.reference_count for _, _, record in state.iterate_historical(store))
    expected = validators + delegations + slashes
    if counted != expected:
        return [f"reference counts add up to {counted}, expected {expected}"]
    return []


def module_account(keeper: DistributionKeeper, ctx: Context) -> list[str]:
    store = ctx.store(state.STORE_NAME)
    holdings = state.get_community_pool(store)
    for _, rewards in state.iterate_outstanding(store):
        holdings = holdings + rewards
    expected, _ = holdings.truncate_decimal()
    balance = keeper.bank.get_all_balances(ctx, keeper.accounts.get_module_address(MODULE_NAME))
    if balance != expected:
        return [f"module account holds {balance}, expected {expected}"]
    return []


def broken_invariants(keeper: DistributionKeeper, ctx: Context) -> list[str]:
    """Every broken invariant, described; empty when all hold."""
    return can_withdraw(keeper, ctx) + reference_count(keeper, ctx) + module_account(keeper, ctx)


def assert_invariants(keeper: DistributionKeeper, ctx: Context) -> None:
    """Raise `InvariantViolation` listing whatever is broken."""
    broken = broken_invariants(keeper, ctx)
    if broken:
        raise InvariantViolation("distribution invariants broken: " + "; ".join(broken))
