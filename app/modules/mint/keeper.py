"""The mint keeper: each block, recompute inflation from the bonded ratio and mint one block's
provisions of the bond denom into the fee collector (distribution pays them out)."""

from __future__ import annotations

from dataclasses import replace

from app.chain.context import Context
from app.modules.mint import events, state
from app.modules.mint.expected import AccountKeeper, BankKeeper, StakingKeeper
from app.modules.mint.state import Minter, Params
from app.types.address import AccAddress
from app.types.coin import Coins
from app.types.dec import Dec

__all__ = ["MODULE_NAME", "MintKeeper"]

MODULE_NAME = "mint"
"""The module account that mints (``minter`` permission)."""


class MintKeeper:
    """Minter and params of store ``mint``."""

    def __init__(
        self,
        accounts: AccountKeeper,
        bank: BankKeeper,
        staking: StakingKeeper,
        authority: AccAddress,
        fee_collector: str,
    ) -> None:
        self.accounts = accounts
        self.bank = bank
        self.staking = staking
        self.authority = authority
        self.fee_collector = fee_collector

    def get_minter(self, ctx: Context) -> Minter:
        return state.get_minter(ctx.store(state.STORE_NAME))

    def set_minter(self, ctx: Context, minter: Minter) -> None:
        state.set_minter(ctx.store(state.STORE_NAME), minter)

    def get_params(self, ctx: Context) -> Params:
        return state.get_params(ctx.store(state.STORE_NAME))

    def set_params(self, ctx: Context, params: Params) -> None:
        state.set_params(ctx.store(state.STORE_NAME), params)

    def bonded_ratio(self, ctx: Context) -> Dec:
        """Bonded tokens ⊘ the bond denom's supply (``BondedRatio``); zero without supply."""
        supply = self.bank.get_supply(ctx, self.staking.bond_denom(ctx))
        if not supply.is_positive():
            return Dec.zero()
        return Dec.from_int(self.staking.total_bonded_tokens(ctx)).quo_int(supply)

    def begin_block(self, ctx: Context) -> None:
        """Update inflation and annual provisions, mint this block's provision and hand it to
        the fee collector; emit ``mint``."""
        minter = self.get_minter(ctx)
        params = self.get_params(ctx)
        supply = self.bank.get_supply(ctx, self.staking.bond_denom(ctx))
        ratio = self.bonded_ratio(ctx)
        minter = replace(minter, inflation=minter.next_inflation_rate(params, ratio))
        minter = replace(minter, annual_provisions=minter.next_annual_provisions(supply))
        self.set_minter(ctx, minter)
        provision = minter.block_provision(params)
        minted = Coins([provision])
        if minted:
            self.bank.mint_coins(ctx, MODULE_NAME, minted)
        # As the SDK: the (possibly empty) provision always goes to the fee collector.
        self.bank.send_coins_from_module_to_module(ctx, MODULE_NAME, self.fee_collector, minted)
        ctx.emit(
            events.mint_event(ratio, minter.inflation, minter.annual_provisions, provision.amount)
        )
