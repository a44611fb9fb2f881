"""The one place that assembles the chain: keepers, their wiring, routes, orders, store names.

A new module is a folder under `app/modules/` plus a few lines here: build its keeper with the
keepers it expects, append its `Module` to the genesis and block-hook orders, declare its module
accounts. The ABCI application never names a module.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.chain import consensus
from app.chain.module import Module
from app.chain.router import MsgRouter, QueryRouter
from app.modules.auth.keeper import AccountKeeper
from app.modules.auth.module import AuthModule
from app.modules.bank.keeper import BankKeeper
from app.modules.bank.module import BankModule
from app.types.address import module_address

__all__ = ["FEE_COLLECTOR", "GOV_MODULE", "MODULE_ACCOUNT_PERMISSIONS", "Chain", "build_chain"]

FEE_COLLECTOR = "fee_collector"
"""The module account that receives tx fees (distribution will pay them out)."""

GOV_MODULE = "gov"
"""The module whose account is the authority of every governance-gated message."""

MODULE_ACCOUNT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    FEE_COLLECTOR: (),
}
"""Every module account and its permissions (minter, burner, staking); all are blocked
recipients of user sends. Staking pools, distribution, mint, gov and alliance join here."""


@dataclass(frozen=True, slots=True)
class Chain:
    """The assembled chain: what the application needs to run blocks, txs and queries."""

    accounts: AccountKeeper
    bank: BankKeeper
    genesis_order: tuple[Module, ...]
    """InitChain runs module genesis in this order (auth before bank: balances need accounts)."""
    begin_block_order: tuple[Module, ...]
    end_block_order: tuple[Module, ...]
    msg_router: MsgRouter
    query_router: QueryRouter
    store_names: tuple[str, ...]
    """Every committed store: the modules' and the chain's own ``consensus`` store."""


def build_chain() -> Chain:
    """Create the keepers, wire them, and register every route."""
    authority = module_address(GOV_MODULE)
    accounts = AccountKeeper(MODULE_ACCOUNT_PERMISSIONS, authority)
    bank = BankKeeper(accounts, authority)
    auth_module = AuthModule(accounts)
    bank_module = BankModule(bank)
    modules: tuple[Module, ...] = (auth_module, bank_module)
    msg_router = MsgRouter()
    query_router = QueryRouter()
    for module in modules:
        module.register_routes(msg_router, query_router)
    store_names = tuple(
        sorted({name for module in modules for name in module.store_names} | {consensus.STORE_NAME})
    )
    return Chain(
        accounts=accounts,
        bank=bank,
        genesis_order=modules,
        begin_block_order=modules,
        end_block_order=modules,
        msg_router=msg_router,
        query_router=query_router,
        store_names=store_names,
    )
