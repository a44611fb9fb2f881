"""Alliance invariants (crisis routes ``alliance/*`` of the reference, plus the balance check).

Each returns a list of broken-rule descriptions, empty when the state is sound:

* delegator-shares — per (validator, denom) of the delegations, info.total_delegator_shares
  equals Σ delegation shares exactly; no negative shares.
* validator-shares — the reference's intended check, which never fires upstream: no negative
  validator shares and asset.total_validator_shares = Σ info.validator_shares, allowing the dust
  that clean-up removes from infos only (Σ ≤ total) and the sub-unit clamps of
  `subtract_dec_coins_with_rounding` (Σ exceeds total by less than one per validator).
* asset-balances — the `alliance` account holds, of each asset, its total tokens plus the
  pending undelegations.
"""

from __future__ import annotations

from app.chain.context import Context
from app.modules.alliance import state
from app.modules.alliance.keeper import AllianceKeeper
from app.types.address import val_address_from_bech32
from app.types.dec import Dec
from app.types.int import Int

__all__ = [
    "all_invariants",
    "asset_balances_invariant",
    "delegator_shares_invariant",
    "validator_shares_invariant",
]


def delegator_shares_invariant(keeper: AllianceKeeper, ctx: Context) -> list[str]:
    store = ctx.store(state.STORE_NAME)
    totals: dict[tuple[str, str], Dec] = {}
    broken: list[str] = []
    for delegation in state.iterate_delegations(store):
        if delegation.shares.is_negative():
            broken.append(f"negative delegation shares {delegation}")
        key = (delegation.validator_address, delegation.denom)
        totals[key] = totals.get(key, Dec.zero()) + delegation.shares
    infos = dict(state.iterate_validator_infos(store))
    for (validator, denom), total in sorted(totals.items()):
        info = infos.get(val_address_from_bech32(validator))
        recorded = Dec.zero() if info is None else info.total_delegator_shares.amount_of(denom)
        if recorded != total:
            broken.append(
                f"{validator} {denom}: total_delegator_shares {recorded}, delegations {total}"
            )
    return broken


def validator_shares_invariant(keeper: AllianceKeeper, ctx: Context) -> list[str]:
    store = ctx.store(state.STORE_NAME)
    sums: dict[str, Dec] = {}
    count = 0
    broken: list[str] = []
    for operator, info in state.iterate_validator_infos(store):
        count += 1
        for coin in info.validator_shares:
            if coin.amount.is_negative():
                broken.append(f"{operator.hex()}: negative validator shares {coin}")
            sums[coin.denom] = sums.get(coin.denom, Dec.zero()) + coin.amount
    for asset in state.iterate_assets(store):
        held = sums.get(asset.denom, Dec.zero())
        if asset.total_validator_shares.is_negative():
            broken.append(f"{asset.denom}: negative total_validator_shares")
        if held - asset.total_validator_shares >= Dec.from_int(max(count, 1)):
            broken.append(
                f"{asset.denom}: validators hold {held} shares, asset counts "
                f"{asset.total_validator_shares}"
            )
    return broken


def asset_balances_invariant(keeper: AllianceKeeper, ctx: Context) -> list[str]:
    store = ctx.store(state.STORE_NAME)
    pending: dict[str, Int] = {}
    for _, _, bucket in state.iterate_undelegation_buckets(store):
        for entry in bucket.entries:
            denom = entry.balance.denom
            pending[denom] = pending.get(denom, Int(0)) + entry.balance.amount
    broken: list[str] = []
    for asset in state.iterate_assets(store):
        expected = asset.total_tokens + pending.get(asset.denom, Int(0))
        held = keeper.bank.get_balance(ctx, keeper.module_address, asset.denom)
        if held != expected:
            broken.append(
                f"{asset.denom}: alliance account holds {held}, assets and undelegations {expected}"
            )
    return broken


def all_invariants(keeper: AllianceKeeper, ctx: Context) -> list[str]:
    """Every broken rule of the three invariants."""
    return (
        delegator_shares_invariant(keeper, ctx)
        + validator_shares_invariant(keeper, ctx)
        + asset_balances_invariant(keeper, ctx)
    )
