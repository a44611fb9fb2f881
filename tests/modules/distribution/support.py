"""A small staking stand-in (real staking records, dict storage, SDK hook order) and a keeper
set for distribution tests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from app.chain.context import BlockContext, Context, ExecMode, VoteInfo
from app.modules.auth.keeper import MINTER, AccountKeeper
from app.modules.bank.keeper import BankKeeper
from app.modules.distribution.hooks import DistributionHooks
from app.modules.distribution.invariants import broken_invariants
from app.modules.distribution.keeper import DistributionKeeper
from app.modules.staking.types import (
    BondStatus,
    Commission,
    Delegation,
    Description,
    Validator,
)
from app.store import MemoryDatabase, MultiStore
from app.types import Coins, Dec, Int, Timestamp, module_address

DENOM = "uxprt"
PERMISSIONS = {"fee_collector": (), "distribution": (), "mint": (MINTER,)}
GOV = module_address("gov")


def operator(n: int) -> bytes:
    return bytes([0xA0 + n]) * 20


def cons(n: int) -> bytes:
    return bytes([0xC0 + n]) * 20


@dataclass
class FakeStaking:
    """Validators and delegations in dicts; `delegate`/`slash` fire the hooks where x/staking
    does."""

    validators: dict[bytes, Validator] = field(default_factory=dict)
    by_cons: dict[bytes, bytes] = field(default_factory=dict)
    delegations: dict[tuple[bytes, bytes], Delegation] = field(default_factory=dict)
    hooks: DistributionHooks | None = None

    def get_validator(self, ctx: Context, op: bytes) -> Validator | None:
        return self.validators.get(op)

    def get_validator_by_cons_addr(self, ctx: Context, address: bytes) -> Validator | None:
        op = self.by_cons.get(address)
        return None if op is None else self.validators[op]

    def get_all_validators(self, ctx: Context) -> list[Validator]:
        return [self.validators[k] for k in sorted(self.validators)]

    def get_delegation(self, ctx: Context, delegator: bytes, op: bytes) -> Delegation | None:
        return self.delegations.get((delegator, op))

    def get_delegator_delegations(self, ctx: Context, delegator: bytes) -> list[Delegation]:
        return [d for (who, _), d in sorted(self.delegations.items()) if who == delegator]

    def get_validator_delegations(self, ctx: Context, op: bytes) -> list[Delegation]:
        return [d for (_, val), d in sorted(self.delegations.items()) if val == op]

    def bond_denom(self, ctx: Context) -> str:
        return DENOM

    def total_bonded_tokens(self, ctx: Context) -> Int:
        total = Int(0)
        for validator in self.validators.values():
            total = total + validator.tokens
        return total

    # ---- what x/staking would do ---------------------------------------------------------------

    def create_validator(self, ctx: Context, n: int, rate: str = "0") -> bytes:
        op = operator(n)
        self.validators[op] = Validator(
            operator=op,
            consensus_pubkey=bytes([n]) * 32,
            jailed=False,
            status=BondStatus.BONDED,
            tokens=Int(0),
            delegator_shares=Dec.zero(),
            description=Description("v", "", "", "", ""),
            unbonding_height=0,
            unbonding_time=Timestamp(0),
            commission=Commission(Dec.from_str(rate), Dec.one(), Dec.one(), Timestamp(0)),
            min_self_delegation=Int(1),
        )
        self.by_cons[cons(n)] = op
        assert self.hooks is not None
        self.hooks.after_validator_created(ctx, op)
        return op

    def delegate(self, ctx: Context, delegator: bytes, op: bytes, amount: int) -> None:
        assert self.hooks is not None
        existing = self.delegations.get((delegator, op))
        if existing is None:
            self.hooks.before_delegation_created(ctx, delegator, op)
        else:
            self.hooks.before_delegation_shares_modified(ctx, delegator, op)
        validator, issued = self.validators[op].add_tokens_from_delegation(Int(amount))
        self.validators[op] = validator
        shares = issued if existing is None else existing.shares + issued
        self.delegations[(delegator, op)] = Delegation(delegator, op, shares)
        self.hooks.after_delegation_modified(ctx, delegator, op)

    def undelegate_all(self, ctx: Context, delegator: bytes, op: bytes) -> None:
        assert self.hooks is not None
        delegation = self.delegations[(delegator, op)]
        self.hooks.before_delegation_shares_modified(ctx, delegator, op)
        validator, _ = self.validators[op].remove_del_shares(delegation.shares)
        self.validators[op] = validator
        self.hooks.before_delegation_removed(ctx, delegator, op)
        del self.delegations[(delegator, op)]

    def slash(self, ctx: Context, op: bytes, fraction: str) -> None:
        assert self.hooks is not None
        validator = self.validators[op]
        burned = Dec.from_int(validator.tokens).mul(Dec.from_str(fraction)).truncate_int()
        effective = Dec.from_int(burned).quo_round_up(Dec.from_int(validator.tokens))
        self.hooks.before_validator_slashed(ctx, op, effective)
        self.validators[op] = replace(validator, tokens=validator.tokens - burned)


@dataclass
class Env:
    ctx: Context
    accounts: AccountKeeper
    bank: BankKeeper
    staking: FakeStaking
    distr: DistributionKeeper

    def at_height(self, height: int, votes: tuple[VoteInfo, ...] = ()) -> None:
        """Move the context to another block (same state)."""
        block = BlockContext(height, Timestamp(height * 5_000_000_000), "test", votes=votes)
        self.ctx = Context(self.ctx.view, block, ExecMode.FINALIZE)

    def collect_fees(self, amount: str) -> None:
        self.bank.mint_coins(self.ctx, "mint", Coins.parse(amount))
        self.bank.send_coins_from_module_to_module(
            self.ctx, "mint", "fee_collector", Coins.parse(amount)
        )

    def balance(self, address: bytes, denom: str = DENOM) -> Int:
        return self.bank.get_balance(self.ctx, address, denom)

    def check_invariants(self) -> None:
        assert broken_invariants(self.distr, self.ctx) == []


def make_env(community_tax: str = "0") -> Env:
    store = MultiStore(MemoryDatabase(), ["acc", "bank", "distribution"])
    ctx = Context(store.block_view(), BlockContext(1, Timestamp(0), "test"), ExecMode.FINALIZE)
    accounts = AccountKeeper(PERMISSIONS, GOV)
    bank = BankKeeper(accounts, GOV)
    staking = FakeStaking()
    distr = DistributionKeeper(accounts, bank, staking, GOV, "fee_collector")
    staking.hooks = distr.hooks()
    params = distr.get_params(ctx)
    distr.set_params(ctx, replace(params, community_tax=Dec.from_str(community_tax)))
    return Env(ctx, accounts, bank, staking, distr)


def vote(n: int, power: int) -> VoteInfo:
    return VoteInfo(cons(n), power, 2)
