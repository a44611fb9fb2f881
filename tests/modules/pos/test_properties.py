"""Random delegate / undelegate / redelegate / cancel / wait sequences with double signs,
downtime and unjails
through the real application: every block keeps the invariants (the harness checks them), and no
sequence creates tokens: with no inflation and no fees, the supply only falls (slashes burn) and
a delegator never ends with more than it started with."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.pb.cosmos.slashing.v1beta1.tx_pb2 import MsgUnjail
from app.pb.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.types import Int
from tests.chain.helpers import AccountKey
from tests.modules.pos.support import (
    DEL1,
    DEL2,
    UNBONDING_SECONDS,
    VAL1,
    VAL2,
    delegate,
    redelegate,
    two_validator_chain,
    undelegate,
)
from tests.support.app_chain import AppChain, absent, duplicate_vote, ucoin, valoper

DELEGATORS = (DEL1, DEL2)
WINDOW = 4
JAIL_SECONDS = 20
SLASHING = {
    "slashing": {
        "params": {
            "signed_blocks_window": str(WINDOW),
            "min_signed_per_window": "0.5",
            "downtime_jail_duration": f"{JAIL_SECONDS}s",
            "slash_fraction_double_sign": "0.05",
            "slash_fraction_downtime": "0.01",
        }
    }
}
VALIDATORS = (VAL1, VAL2)


@dataclass(frozen=True, slots=True)
class Step:
    kind: str
    delegator: int
    src: int
    dst: int
    amount: int


steps = st.builds(
    Step,
    kind=st.sampled_from(
        [
            "delegate",
            "undelegate",
            "redelegate",
            "cancel",
            "wait",
            "double_sign",
            "downtime",
            "unjail",
        ]
    ),
    delegator=st.integers(0, 1),
    src=st.integers(0, 1),
    dst=st.integers(0, 1),
    amount=st.integers(1, 4_000_000),
)


def holdings(chain: AppChain, key: AccountKey) -> int:
    """Balance + the tokens its delegations stand for (truncated) + its unbonding entries."""
    ctx = chain.ctx()
    staking = chain.chain.staking
    total = chain.balance(key)
    for delegation in staking.get_delegator_delegations(ctx, key.address):
        validator = staking.get_validator(ctx, delegation.validator)
        assert validator is not None
        total += int(validator.tokens_from_shares_truncated(delegation.shares).truncate_int())
    for operator in VALIDATORS:
        ubd = staking.get_unbonding_delegation(ctx, key.address, operator.address)
        if ubd is not None:
            total += sum(int(entry.balance) for entry in ubd.entries)
    return total


def part_of(chain: AppChain, delegator: AccountKey, operator: AccountKey, step: Step) -> int:
    """step.amount / 4 000 000 of the tokens of a delegation (at least 1 token: a delegation
    that does not exist fails, which is part of what is tested)."""
    ctx = chain.ctx()
    delegation = chain.chain.staking.get_delegation(ctx, delegator.address, operator.address)
    validator = chain.chain.staking.get_validator(ctx, operator.address)
    if delegation is None or validator is None:
        return 1
    tokens = int(validator.tokens_from_shares_truncated(delegation.shares).truncate_int())
    return max(1, tokens * step.amount // 4_000_000)


def run(chain: AppChain, step: Step) -> None:
    delegator = DELEGATORS[step.delegator]
    src, dst = VALIDATORS[step.src], VALIDATORS[step.dst]
    if step.kind == "delegate":
        chain.exec(delegator, delegate(delegator, src, step.amount))
    elif step.kind == "undelegate":
        chain.exec(delegator, undelegate(delegator, src, part_of(chain, delegator, src, step)))
    elif step.kind == "redelegate":
        amount = part_of(chain, delegator, src, step)
        chain.exec(delegator, redelegate(delegator, src, dst, amount))
    elif step.kind == "cancel":
        ubd = chain.chain.staking.get_unbonding_delegation(
            chain.ctx(), delegator.address, src.address
        )
        if ubd is not None:
            entry = ubd.entries[-1]
            cancel = staking_tx.MsgCancelUnbondingDelegation(
                delegator_address=delegator.bech32,
                validator_address=valoper(src),
                amount=ucoin(min(step.amount, int(entry.balance))),
                creation_height=entry.creation_height,
            )
            chain.exec(delegator, cancel)
    elif step.kind == "downtime":
        chain.advance(WINDOW + 2, votes=absent(chain.cons_of(src)))
    elif step.kind == "unjail":
        chain.wait(JAIL_SECONDS)
        chain.exec(src, MsgUnjail(validator_addr=valoper(src)))
    elif step.kind == "wait":
        chain.wait(UNBONDING_SECONDS * step.amount // 4_000_000 + 1)
    else:
        validator = chain.chain.staking.get_validator(chain.ctx(), src.address)
        assert validator is not None
        power = int(validator.tokens) // 1_000_000
        if validator.is_bonded() and power > 0:
            evidence = duplicate_vote(chain.cons_of(src), power, chain.height, chain.seconds, 100)
            chain.next_block(misbehavior=[evidence])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=20))
def test_random_staking_sequences_keep_invariants_and_create_no_tokens(
    sequence: list[Step],
) -> None:
    chain = two_validator_chain(**SLASHING)
    chain.deliver(
        chain.tx(DEL1, delegate(DEL1, VAL1, 3_000_000)),
        chain.tx(DEL2, delegate(DEL2, VAL2, 3_000_000)),
    )
    supply = chain.supply()
    start = {key.address: holdings(chain, key) for key in DELEGATORS}
    for step in sequence:
        run(chain, step)
        assert chain.supply() <= supply
        supply = chain.supply()
        for key in DELEGATORS:
            assert holdings(chain, key) <= start[key.address]
    chain.wait(UNBONDING_SECONDS)
    bonded = sum((v.tokens for v in chain.chain.staking.get_all_validators(chain.ctx())), Int(0))
    assert int(bonded) <= supply
