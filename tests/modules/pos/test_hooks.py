"""Which staking hooks fire, in which order, with which fraction, as in SDK v0.50 (the Alliance
module counts on it: spec/alliance.md §8.1, §11, §19), recorded behind the wired hooks."""

from __future__ import annotations

from app.chain.context import Context
from app.modules.staking.hooks import MultiStakingHooks, NoStakingHooks, StakingHooks
from app.types import Dec
from tests.chain.helpers import AccountKey
from tests.modules.pos.support import (
    DEL1,
    UNBONDING_SECONDS,
    VAL1,
    VAL2,
    delegate,
    redelegate,
    two_validator_chain,
    undelegate,
)
from tests.support.app_chain import AppChain, duplicate_vote

Record = tuple[str, ...]


class Recorder(NoStakingHooks):
    """Names each hook call with the keys it concerns (by name) and the slash fraction."""

    def __init__(self, names: dict[bytes, str]) -> None:
        self.calls: list[Record] = []
        self.names = names

    def _name(self, address: bytes) -> str:
        return self.names.get(address, address.hex())

    def after_validator_created(self, ctx: Context, val: bytes) -> None:
        self.calls.append(("after_validator_created", self._name(val)))

    def before_validator_modified(self, ctx: Context, val: bytes) -> None:
        self.calls.append(("before_validator_modified", self._name(val)))

    def after_validator_removed(self, ctx: Context, cons: bytes, val: bytes) -> None:
        self.calls.append(("after_validator_removed", self._name(val)))

    def after_validator_bonded(self, ctx: Context, cons: bytes, val: bytes) -> None:
        self.calls.append(("after_validator_bonded", self._name(val)))

    def after_validator_begin_unbonding(self, ctx: Context, cons: bytes, val: bytes) -> None:
        self.calls.append(("after_validator_begin_unbonding", self._name(val)))

    def before_delegation_created(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        self.calls.append(("before_delegation_created", self._name(delegator), self._name(val)))

    def before_delegation_shares_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        self.calls.append(
            ("before_delegation_shares_modified", self._name(delegator), self._name(val))
        )

    def before_delegation_removed(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        self.calls.append(("before_delegation_removed", self._name(delegator), self._name(val)))

    def after_delegation_modified(self, ctx: Context, delegator: bytes, val: bytes) -> None:
        self.calls.append(("after_delegation_modified", self._name(delegator), self._name(val)))

    def before_validator_slashed(self, ctx: Context, val: bytes, fraction: Dec) -> None:
        self.calls.append(("before_validator_slashed", self._name(val), str(fraction)))

    def after_unbonding_initiated(self, ctx: Context, unbonding_id: int) -> None:
        self.calls.append(("after_unbonding_initiated",))


def recording(chain: AppChain, *keys: AccountKey) -> Recorder:
    names = {key.address: name for key, name in zip(keys, ("val1", "val2", "del1"), strict=False)}
    recorder = Recorder(names)
    wired: StakingHooks = chain.chain.staking.hooks
    chain.chain.staking.set_hooks(MultiStakingHooks([wired, recorder]))
    return recorder


def calls_of(recorder: Recorder) -> list[Record]:
    calls = list(recorder.calls)
    recorder.calls.clear()
    return calls


def test_delegation_lifecycle_hooks() -> None:
    chain = two_validator_chain()
    hooks = recording(chain, VAL1, VAL2, DEL1)
    chain.ok(DEL1, delegate(DEL1, VAL2, 2_000_000))
    assert calls_of(hooks) == [
        ("before_delegation_created", "del1", "val2"),
        ("after_delegation_modified", "del1", "val2"),
    ]
    chain.ok(DEL1, delegate(DEL1, VAL2, 1_000_000))
    assert calls_of(hooks) == [
        ("before_delegation_shares_modified", "del1", "val2"),
        ("after_delegation_modified", "del1", "val2"),
    ]
    chain.ok(DEL1, undelegate(DEL1, VAL2, 1_000_000))
    assert calls_of(hooks) == [
        ("before_delegation_shares_modified", "del1", "val2"),
        ("after_delegation_modified", "del1", "val2"),
        ("after_unbonding_initiated",),
    ]
    chain.ok(DEL1, redelegate(DEL1, VAL2, VAL1, 2_000_000))
    assert calls_of(hooks) == [
        ("before_delegation_shares_modified", "del1", "val2"),
        ("before_delegation_removed", "del1", "val2"),
        ("before_delegation_created", "del1", "val1"),
        ("after_delegation_modified", "del1", "val1"),
        ("after_unbonding_initiated",),
    ]


def test_slash_jail_and_removal_hooks() -> None:
    """VAL2 (5 000 000, DEL1 unbonding 1 000 000 after the infraction) double-signs at power 6:
    300 000 to burn, 50 000 of it from the unbonding entry, so the validator's 5 000 000 tokens
    lose 250 000: effective fraction 250 000 ⊘roundUp 5 000 000 = 0.05."""
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL2, 1_000_000))
    chain.advance(2)
    infraction = (chain.height, chain.seconds)
    chain.advance(1)
    hooks = recording(chain, VAL1, VAL2, DEL1)
    chain.ok(DEL1, undelegate(DEL1, VAL2, 1_000_000))
    calls_of(hooks)
    evidence = duplicate_vote(chain.cons_of(VAL2), 6, infraction[0], infraction[1], 16)
    chain.next_block(misbehavior=[evidence])
    # Slash calls BeforeValidatorModified first; a validator that begins unbonding also
    # initiates an unbonding (v0.50's unbonding ids)
    assert calls_of(hooks) == [
        ("before_validator_modified", "val2"),
        ("before_validator_slashed", "val2", "0.050000000000000000"),
        ("after_validator_begin_unbonding", "val2"),
        ("after_unbonding_initiated",),
    ]
    chain.ok(VAL2, undelegate(VAL2, VAL2, 4_750_000))
    assert calls_of(hooks) == [
        ("before_delegation_shares_modified", "val2", "val2"),
        ("before_delegation_removed", "val2", "val2"),
        ("after_unbonding_initiated",),
    ]
    chain.wait(UNBONDING_SECONDS)
    assert ("after_validator_removed", "val2") in calls_of(hooks)


def test_no_slashed_hook_when_unbondings_absorb_the_whole_slash() -> None:
    """Everything bonded to VAL2 at the infraction (power 6) unbonds after it: the entries pay
    the whole 300 000, the validator has no tokens left to burn, so BeforeValidatorSlashed is
    not called (BeforeValidatorModified still is)."""
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL2, 1_000_000))
    chain.advance(2)
    infraction = (chain.height, chain.seconds)
    chain.advance(1)
    chain.deliver(
        chain.tx(DEL1, undelegate(DEL1, VAL2, 1_000_000)),
        chain.tx(VAL2, undelegate(VAL2, VAL2, 5_000_000)),
    )
    hooks = recording(chain, VAL1, VAL2, DEL1)
    supply = chain.supply()
    evidence = duplicate_vote(chain.cons_of(VAL2), 6, infraction[0], infraction[1], 16)
    chain.next_block(misbehavior=[evidence])
    assert calls_of(hooks) == [("before_validator_modified", "val2")]
    assert chain.supply() == supply - 300_000
