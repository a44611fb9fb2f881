"""Random delegations, allocations, slashes and withdrawals keep the invariants, and every
allocated coin is either paid out, outstanding or in the community pool."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from app.chain.errors import ChainError
from app.types import Int
from tests.chain.helpers import ALICE, BOB, CAROL
from tests.modules.distribution.support import make_env, vote

DELEGATORS = (ALICE.address, BOB.address, CAROL.address)

actions = st.lists(
    st.one_of(
        st.tuples(st.just("delegate"), st.integers(0, 2), st.integers(0, 1), st.integers(1, 10**7)),
        st.tuples(st.just("fees"), st.integers(1, 10**8)),
        st.tuples(st.just("withdraw"), st.integers(0, 2), st.integers(0, 1)),
        st.tuples(st.just("slash"), st.integers(0, 1), st.sampled_from(["0.01", "0.05", "0.5"])),
        st.tuples(st.just("commission"), st.integers(0, 1)),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(actions, st.sampled_from(["0", "0.02", "0.3"]))
def test_random_activity_keeps_the_books(script, tax: str) -> None:
    env = make_env(community_tax=tax)
    validators = [
        env.staking.create_validator(env.ctx, 1, rate="0.05"),
        env.staking.create_validator(env.ctx, 2, rate="0.5"),
    ]
    env.staking.delegate(env.ctx, ALICE.address, validators[0], 1_000)
    env.staking.delegate(env.ctx, BOB.address, validators[1], 1_000)
    allocated = 0
    height = 1
    for action in script:
        height += 1
        env.at_height(height)
        kind = action[0]
        if kind == "delegate":
            _, who, val, amount = action
            env.staking.delegate(env.ctx, DELEGATORS[who], validators[val], amount)
        elif kind == "fees":
            env.collect_fees(f"{action[1]}uxprt")
            allocated += action[1]
            powers = [int(env.staking.validators[v].tokens) // 100 + 1 for v in validators]
            env.distr.allocate_tokens(
                env.ctx, sum(powers), [vote(1, powers[0]), vote(2, powers[1])]
            )
        elif kind == "withdraw":
            _, who, val = action
            if env.staking.get_delegation(env.ctx, DELEGATORS[who], validators[val]) is not None:
                env.distr.withdraw_delegation_rewards(env.ctx, DELEGATORS[who], validators[val])
        elif kind == "slash":
            env.staking.slash(env.ctx, validators[action[1]], action[2])
        else:
            with contextlib.suppress(ChainError):  # nothing accumulated yet
                env.distr.withdraw_validator_commission(env.ctx, validators[action[1]])
        env.check_invariants()
    # Delegators and operators start with nothing: whatever they hold was paid out.
    paid = sum((env.balance(owner) for owner in (*DELEGATORS, *validators)), Int(0))
    held = env.balance(env.accounts.get_module_address("distribution"))
    assert held + paid == Int(allocated)
