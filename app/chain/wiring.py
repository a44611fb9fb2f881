"""The one place that assembles the chain: keepers, their wiring, routes, orders, store names.

A new module is a folder under `app/modules/` plus a few lines here: build its keeper with the
keepers it expects, append its `Module` to the genesis and block-hook orders, declare its module
accounts. The ABCI application never names a module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from google.protobuf.message import Message

from app.chain import consensus
from app.chain.context import Context
from app.chain.errors import ErrUnauthorized, ErrUnknownRequest
from app.chain.module import Module
from app.chain.router import MsgRoute, MsgRouter, QueryRouter
from app.codec import type_url_of
from app.modules.alliance.hooks import AllianceHooks
from app.modules.alliance.keeper import AllianceKeeper
from app.modules.alliance.module import AllianceModule
from app.modules.alliance.types import ALLIANCE_MODULE_NAME, REWARDS_MODULE_NAME
from app.modules.auth.keeper import BURNER, MINTER, STAKING, AccountKeeper
from app.modules.auth.module import AuthModule
from app.modules.bank.keeper import BankKeeper
from app.modules.bank.module import BankModule
from app.modules.distribution.keeper import DistributionKeeper
from app.modules.distribution.module import DistributionModule
from app.modules.genutil.module import GenutilModule
from app.modules.gov.keeper import GovKeeper
from app.modules.gov.module import GovModule
from app.modules.mint.keeper import MintKeeper
from app.modules.mint.module import MintModule
from app.modules.slashing.hooks import SlashingHooks
from app.modules.slashing.keeper import SlashingKeeper
from app.modules.slashing.module import SlashingModule
from app.modules.staking.hooks import MultiStakingHooks
from app.modules.staking.keeper import BONDED_POOL, NOT_BONDED_POOL, StakingKeeper
from app.modules.staking.module import StakingModule
from app.types.address import acc_to_bech32, module_address

__all__ = ["FEE_COLLECTOR", "GOV_MODULE", "MODULE_ACCOUNT_PERMISSIONS", "Chain", "build_chain"]

FEE_COLLECTOR = "fee_collector"
"""The module account that receives tx fees (distribution will pay them out)."""

GOV_MODULE = "gov"
"""The module whose account is the authority of every governance-gated message."""

MODULE_ACCOUNT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    FEE_COLLECTOR: (),
    BONDED_POOL: (BURNER, STAKING),
    NOT_BONDED_POOL: (BURNER, STAKING),
    "distribution": (),
    "mint": (MINTER,),
    GOV_MODULE: (BURNER,),
    ALLIANCE_MODULE_NAME: (MINTER, BURNER),
    REWARDS_MODULE_NAME: (),
}
"""Every module account and its permissions (minter, burner, staking); all are blocked
recipients of user sends. Staking pools, distribution, mint, gov and alliance join here."""


@dataclass(frozen=True, slots=True)
class Chain:
    """The assembled chain: what the application needs to run blocks, txs and queries."""

    accounts: AccountKeeper
    bank: BankKeeper
    staking: StakingKeeper
    slashing: SlashingKeeper
    gov: GovKeeper
    distribution: DistributionKeeper
    mint: MintKeeper
    alliance: AllianceKeeper
    genutil: GenutilModule
    """Delivers the gentxs at InitChain through the application's tx path (bound by it)."""
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
    staking = StakingKeeper(accounts, bank, authority)
    distribution = DistributionKeeper(accounts, bank, staking, authority, FEE_COLLECTOR)
    mint = MintKeeper(accounts, bank, staking, authority, FEE_COLLECTOR)
    slashing = SlashingKeeper(staking, authority)
    alliance = AllianceKeeper(accounts, bank, staking, distribution, authority, FEE_COLLECTOR)
    staking.set_hooks(
        MultiStakingHooks([distribution.hooks(), SlashingHooks(slashing), AllianceHooks(alliance)])
    )
    bank.add_supply_offset(alliance.supply_offset)
    msg_router = MsgRouter()
    gov = GovKeeper(bank, staking, GovMessageRouter(msg_router, authority))
    auth_module = AuthModule(accounts)
    bank_module = BankModule(bank)
    staking_module = StakingModule(staking)
    distribution_module = DistributionModule(distribution)
    mint_module = MintModule(mint)
    slashing_module = SlashingModule(slashing)
    gov_module = GovModule(gov)
    genutil_module = GenutilModule(staking)
    alliance_module = AllianceModule(alliance)
    modules: tuple[Module, ...] = (
        auth_module,
        bank_module,
        distribution_module,
        staking_module,
        slashing_module,
        gov_module,
        mint_module,
        genutil_module,
        alliance_module,
    )
    query_router = QueryRouter()
    for module in modules:
        module.register_routes(msg_router, query_router)
    store_names = tuple(
        sorted({name for module in modules for name in module.store_names} | {consensus.STORE_NAME})
    )
    return Chain(
        accounts=accounts,
        bank=bank,
        staking=staking,
        slashing=slashing,
        gov=gov,
        distribution=distribution,
        mint=mint,
        alliance=alliance,
        genutil=genutil_module,
        genesis_order=modules,
        begin_block_order=(mint_module, distribution_module, slashing_module, staking_module),
        end_block_order=(gov_module, staking_module, alliance_module),
        msg_router=msg_router,
        query_router=query_router,
        store_names=store_names,
    )


class GovMessageRouter:
    """Gov's view of the message router: a passed proposal's message runs as a tx message
    would (stateless checks, the signer must be the gov account, the handler and its events),
    minus the ``message`` event, which the SDK does not emit for proposal messages."""

    def __init__(self, router: MsgRouter, authority: bytes) -> None:
        self._router = router
        self._authority = authority

    def is_routed(self, msg: Message) -> bool:
        return self._router.route(type_url_of(msg)) is not None

    def signers(self, msg: Message) -> Sequence[bytes]:
        return self._route(msg).signers(msg)

    def validate_basic(self, msg: Message) -> None:
        self._route(msg).validate_basic(msg)

    def execute(self, ctx: Context, msg: Message) -> Message:
        route = self._route(msg)
        route.validate_basic(msg)
        if list(route.signers(msg)) != [self._authority]:
            raise ErrUnauthorized.wrap(
                f"proposal message must be signed by {acc_to_bech32(self._authority)} alone"
            )
        return route.handle(ctx, msg)

    def _route(self, msg: Message) -> MsgRoute:
        route = self._router.route(type_url_of(msg))
        if route is None:
            raise ErrUnknownRequest.wrap(f"unrouted message {type_url_of(msg)}")
        return route
