"""Hypothesis state machine over the real keepers: random delegate / undelegate / redelegate /
claim / take-rate periods / weight changes / slashes / EndBlocks. After each step the alliance
invariants hold (balances = tokens + pending undelegations; share sums), claims never take more
than the rewards account holds, and after a rebalance the virtual stake per bonded validator
equals the formula of `compute_rebalance_plan` (nothing left to adjust)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from app.chain.errors import ChainError
from app.modules.alliance import state
from app.modules.alliance.end_block import process_end_block
from app.modules.alliance.math import StakingValidator, compute_rebalance_plan
from app.types import Coin, Dec, Int, Timestamp
from app.types.time import MINUTE, SECOND
from tests.modules.alliance.chain_fixture import AllianceChain, account
from tests.modules.alliance.fixtures import make_asset

T0 = Timestamp(1_700_000_000 * SECOND)
DENOMS = ("aaa", "bbbb")
USERS = tuple(account(f"u{i}") for i in range(3))


class AllianceMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.chain = AllianceChain(time=T0, height=1)
        self.chain.set_assets(
            make_asset("aaa", "0.5", take="0.01", start=T0, weight_range=("0", "5")),
            make_asset("bbbb", "2", start=T0, weight_range=("0", "5")),
        )
        self.validators = (self.chain.v0, self.chain.add_validator(1), self.chain.add_validator(2))
        for user in USERS:
            for denom in DENOMS:
                self.chain.fund(user, 10**12, denom)
        self.chain.fund_module("fee_collector", 10**9, "stake")

    def _attempt(self, action: object) -> None:
        with suppress(ChainError):
            action()  # type: ignore[operator]

    @rule(
        u=st.sampled_from(USERS),
        v=st.integers(0, 2),
        d=st.sampled_from(DENOMS),
        amount=st.integers(1, 10**10),
    )
    def delegate(self, u: bytes, v: int, d: str, amount: int) -> None:
        self._attempt(lambda: self.chain.delegate(u, self.validators[v], amount, d))

    @rule(
        u=st.sampled_from(USERS),
        v=st.integers(0, 2),
        d=st.sampled_from(DENOMS),
        amount=st.integers(1, 10**10),
    )
    def undelegate(self, u: bytes, v: int, d: str, amount: int) -> None:
        coin = Coin(d, Int(amount))
        self._attempt(
            lambda: self.chain.keeper.undelegate(self.chain.ctx, u, self.validators[v], coin)
        )

    @rule(
        u=st.sampled_from(USERS),
        s=st.integers(0, 2),
        t=st.integers(0, 2),
        d=st.sampled_from(DENOMS),
        amount=st.integers(1, 10**10),
    )
    def redelegate(self, u: bytes, s: int, t: int, d: str, amount: int) -> None:
        coin = Coin(d, Int(amount))
        keeper, ctx = self.chain.keeper, self.chain.ctx
        self._attempt(
            lambda: keeper.redelegate(ctx, u, self.validators[s], self.validators[t], coin)
        )

    @rule(u=st.sampled_from(USERS), v=st.integers(0, 2), d=st.sampled_from(DENOMS))
    def claim(self, u: bytes, v: int, d: str) -> None:
        try:
            self.chain.claim(u, self.validators[v], d)
        except ChainError as error:
            # a claim must never overdraw the rewards account (insufficient funds, sdk 5)
            assert (error.codespace, error.code) != ("sdk", 5)

    @rule(weight=st.sampled_from(["0", "0.1", "1", "3"]))
    def change_weight(self, weight: str) -> None:
        asset = self.chain.asset("bbbb")
        self.chain.keeper._store_asset_update(
            self.chain.ctx, asset, replace(asset, reward_weight=Dec.from_str(weight))
        )

    @rule(v=st.integers(0, 2), fraction=st.sampled_from(["0.01", "0.05"]))
    def slash(self, v: int, fraction: str) -> None:
        validator = self.chain.validator(self.validators[v])
        if validator.tokens.is_zero():
            return
        power = validator.consensus_power(Int(1_000_000))
        height = self.chain.ctx.block.height
        self.chain.chain.staking.slash(
            self.chain.ctx, validator.consensus_address(), height, power, Dec.from_str(fraction)
        )

    @rule(minutes=st.integers(1, 20))
    def end_block(self, minutes: int) -> None:
        block = self.chain.ctx.block
        self.chain.at(time=Timestamp(block.time + minutes * MINUTE), height=block.height + 1)
        self.chain.allocate(
            *((v, 1) for v in self.validators if self.chain.validator(v).is_bonded())
        )
        process_end_block(self.chain.keeper, self.chain.ctx)
        self.chain.keeper.rebalance(self.chain.ctx)
        keeper, ctx = self.chain.keeper, self.chain.ctx
        store = ctx.store(state.STORE_NAME)
        infos = list(state.iterate_validator_infos(store))
        vals = {}
        for op in self.validators:
            val = self.chain.validator(op)
            vals[op] = StakingValidator(op, val.is_bonded(), val.tokens, val.delegator_shares)
        delegations = keeper.staking.get_delegator_delegations(ctx, keeper.module_address)
        plan = compute_rebalance_plan(
            infos,
            vals,
            [(d.validator, d.shares) for d in delegations],  # type: ignore[misc]
            keeper.get_all_assets(ctx),
            keeper.staking.total_bonded_tokens(ctx),
            ctx.block.time,
        )
        assert all(abs(int(a.amount)) <= 1 for a in plan.adjustments), plan

    @invariant()
    def invariants_hold(self) -> None:
        self.chain.check_invariants()


AllianceMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestAllianceMachine = AllianceMachine.TestCase
