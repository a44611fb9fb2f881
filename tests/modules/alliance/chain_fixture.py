"""F0 of vectors/alliance.md on the real keepers: an in-memory chain from `app.chain.wiring`.

The reference keeper tests call keeper functions directly on an SDK app; `AllianceChain` does the
same here. One genesis validator V0 (bonded, 1,000,000 tokens, commission 0) delegated by the
genesis account G; new validators are bonded with no tokens (the reference's
``RegisterNewValidator``), so their first delegation is 1:1. Unlike the reference's V0, whose
1,000,000 tokens stand for 1.0 share, V0 here issues shares 1:1 too: tests compare tokens.
"""

from __future__ import annotations

from dataclasses import replace

from app.chain.context import BlockContext, Context, ExecMode, VoteInfo
from app.chain.wiring import Chain, build_chain
from app.modules.alliance import state as alliance_state
from app.modules.alliance.invariants import all_invariants
from app.modules.alliance.keeper import AllianceKeeper
from app.modules.alliance.types import AllianceAsset, Params
from app.modules.staking.types import BondStatus, Commission, Description, Validator
from app.store import MemoryDatabase, MultiStore
from app.types import (
    GO_ZERO_TIME,
    AccAddress,
    Coin,
    Coins,
    Dec,
    Int,
    Timestamp,
    ValAddress,
)

GENESIS_TOKENS = 1_000_000
G_FUNDS = 100_000_000_000_000


def account(name: str) -> AccAddress:
    import hashlib

    return AccAddress(hashlib.sha256(b"acct:" + name.encode()).digest()[:20])


class AllianceChain:
    """The real keepers over one writable in-memory view; `at` moves the block, not the state."""

    def __init__(
        self,
        bond_denom: str = "stake",
        *,
        time: Timestamp = GO_ZERO_TIME,
        height: int = 0,
        community_tax: str = "0.02",
    ) -> None:
        self.bond_denom = bond_denom
        self.chain: Chain = build_chain()
        self.store = MultiStore(MemoryDatabase(), self.chain.store_names)
        self.view = self.store.block_view()
        self.ctx = Context(self.view, BlockContext(height, time, "test"), ExecMode.FINALIZE)
        for module in self.chain.genesis_order:
            if module is self.chain.genutil:
                continue
            module.init_genesis(self.ctx, module.default_genesis())
        staking = self.chain.staking
        staking.set_params(self.ctx, replace(staking.get_params(self.ctx), bond_denom=bond_denom))
        distribution = self.chain.distribution
        distribution.set_params(
            self.ctx,
            replace(distribution.get_params(self.ctx), community_tax=Dec.from_str(community_tax)),
        )
        self.g = account("genesis")
        self.fund(self.g, G_FUNDS, bond_denom)
        self.v0 = self.add_validator(0)
        staking.delegate(
            self.ctx,
            self.g,
            Int(GENESIS_TOKENS),
            BondStatus.UNBONDED,
            self.validator(self.v0),
            True,
        )

    # ---- plumbing ------------------------------------------------------------------------------

    @property
    def keeper(self) -> AllianceKeeper:
        return self.chain.alliance

    def at(self, *, time: Timestamp | None = None, height: int | None = None) -> None:
        block = self.ctx.block
        self.ctx = Context(
            self.view,
            BlockContext(
                block.height if height is None else height,
                block.time if time is None else time,
                "test",
            ),
            ExecMode.FINALIZE,
        )

    def fund(self, address: AccAddress, amount: int, denom: str) -> None:
        coins = Coins([Coin(denom, Int(amount))])
        self.chain.bank.mint_coins(self.ctx, "mint", coins)
        self.chain.bank.send_coins_from_module_to_account(self.ctx, "mint", address, coins)

    def fund_module(self, module: str, amount: int, denom: str) -> None:
        coins = Coins([Coin(denom, Int(amount))])
        self.chain.bank.mint_coins(self.ctx, "mint", coins)
        if module != "mint":
            self.chain.bank.send_coins_from_module_to_module(self.ctx, "mint", module, coins)

    def balance(self, address: bytes, denom: str) -> int:
        return int(self.chain.bank.get_balance(self.ctx, AccAddress(address), denom))

    def module_balance(self, module: str, denom: str) -> int:
        return self.balance(self.chain.accounts.get_module_address(module), denom)

    def add_validator(self, n: int, commission: str = "0") -> ValAddress:
        """A bonded validator with no tokens (``RegisterNewValidator``)."""
        operator = ValAddress(bytes([0x40 + n]) * 20)
        validator = Validator(
            operator=operator,
            consensus_pubkey=bytes([0x80 + n]) * 32,
            jailed=False,
            status=BondStatus.BONDED,
            tokens=Int(0),
            delegator_shares=Dec.zero(),
            description=Description(moniker=f"val{n}"),
            unbonding_height=0,
            unbonding_time=Timestamp(0),
            commission=Commission(Dec.from_str(commission), Dec.one(), Dec.one(), Timestamp(0)),
            min_self_delegation=Int(1),
        )
        staking = self.chain.staking
        staking.set_validator(self.ctx, validator)
        staking.set_validator_by_cons_addr(self.ctx, validator)
        staking.set_validator_by_power_index(self.ctx, validator)
        staking.hooks.after_validator_created(self.ctx, operator)
        return operator

    def validator(self, operator: ValAddress) -> Validator:
        validator = self.chain.staking.get_validator(self.ctx, operator)
        assert validator is not None
        return validator

    # ---- alliance helpers ----------------------------------------------------------------------

    def set_assets(self, *assets: AllianceAsset, params: Params | None = None) -> None:
        store = self.ctx.store(alliance_state.STORE_NAME)
        alliance_state.set_params(store, params or Params.default())
        for asset in assets:
            alliance_state.set_asset(store, asset)

    def asset(self, denom: str) -> AllianceAsset:
        asset = self.keeper.get_asset(self.ctx, denom)
        assert asset is not None
        return asset

    def delegate(self, who: AccAddress, operator: ValAddress, amount: int, denom: str) -> Dec:
        return self.keeper.delegate(self.ctx, who, operator, Coin(denom, Int(amount)))

    def rebalance(self) -> None:
        self.keeper.rebalance(self.ctx)

    def total_bonded(self) -> int:
        return int(self.chain.staking.total_bonded_tokens(self.ctx))

    def module_stake(self, operator: ValAddress) -> int:
        """Tokens of the alliance account's staking delegation to `operator` (0 if none)."""
        delegation = self.chain.staking.get_delegation(
            self.ctx, self.keeper.module_address, operator
        )
        if delegation is None:
            return 0
        return int(self.validator(operator).tokens_from_shares(delegation.shares).truncate_int())

    def allocate(self, *powers: tuple[ValAddress, int]) -> None:
        """distribution.AllocateTokens with these (validator, power) votes."""
        votes = tuple(
            VoteInfo(self.validator(op).consensus_address(), power, 2) for op, power in powers
        )
        self.chain.distribution.allocate_tokens(self.ctx, sum(power for _, power in powers), votes)

    def add_rewards(
        self, operator: ValAddress, amount: int, denom: str, source: str = "mint"
    ) -> None:
        """AddAssetsToRewardPool of freshly minted coins held by module `source`."""
        self.fund_module(source, amount, denom)
        coins = Coins([Coin(denom, Int(amount))])
        self.keeper.add_assets_to_reward_pool(self.ctx, source, operator, coins)

    def rewards_pool(self) -> Coins:
        return self.chain.bank.get_all_balances(self.ctx, self.keeper.rewards_address)

    def claim(self, who: AccAddress, operator: ValAddress, denom: str) -> Coins:
        return self.keeper.claim_delegation_rewards(self.ctx, who, operator, denom)

    def check_invariants(self) -> None:
        broken = all_invariants(self.keeper, self.ctx)
        assert broken == [], broken
