"""Where the modules meet: slashes reaching redelegations, rewards across a slash, a validator
that empties and is removed, power changes too small to update CometBFT."""

from __future__ import annotations

from app.modules.staking.types import BondStatus
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.distribution.v1beta1 import tx_pb2 as dist_tx
from app.types import Dec, Int
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
    updates_by_power,
)
from tests.support.app_chain import duplicate_vote, ucoin, valoper


def test_double_sign_slashes_a_redelegation_started_after_the_infraction() -> None:
    """VAL2 (power 7) double-signs; DEL1 then moves 1 000 000 of its VAL2 stake to VAL1. The
    evidence burns 5% · 7 000 000 = 350 000: 50 000 by unbonding 50 000 of DEL1's new VAL1
    shares (5% of the entry's initial balance), 300 000 from VAL2."""
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL2, 2_000_000))
    chain.advance(2)
    infraction_height, infraction_seconds = chain.height, chain.seconds
    chain.advance(1)
    chain.ok(DEL1, redelegate(DEL1, VAL2, VAL1, 1_000_000))
    supply = chain.supply()
    evidence = duplicate_vote(chain.cons_of(VAL2), 7, infraction_height, infraction_seconds, 17)
    chain.next_block(misbehavior=[evidence])
    assert chain.validator(VAL2).tokens == Int(5_700_000)
    assert chain.validator(VAL1).tokens == Int(10_950_000)
    delegation = chain.chain.staking.get_delegation(chain.ctx(), DEL1.address, VAL1.address)
    assert delegation is not None and delegation.shares == Dec.from_int(Int(950_000))
    assert chain.supply() == supply - 350_000
    assert updates_by_power(chain.last) == {
        chain.validator(VAL2).consensus_pubkey: 0,
        chain.validator(VAL1).consensus_pubkey: 10,
    }


def test_rewards_across_a_slash_stay_covered_and_are_paid() -> None:
    """Fees before and after a double sign of VAL2 with DEL1 delegated: the F1 slash event splits
    DEL1's stake; the harness checks after each block that outstanding rewards cover every
    withdrawal; DEL1 then withdraws without error and the pool keeps only change."""
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL2, 5_000_000))
    chain.advance(2)

    def fee_block() -> None:
        send = bank_tx.MsgSend(from_address=DEL2.bech32, to_address=DEL2.bech32, amount=[ucoin(1)])
        chain.deliver(chain.tx(DEL2, send, fee="1000000uxprt"))
        chain.next_block()

    fee_block()
    evidence = duplicate_vote(chain.cons_of(VAL2), 10, chain.height, chain.seconds, 20)
    chain.next_block(misbehavior=[evidence])
    chain.ok(DEL1, delegate(DEL1, VAL1, 1_000_000))
    fee_block()
    owed = chain.chain.distribution.delegation_rewards(chain.ctx(), DEL1.address, VAL2.address)
    assert owed.amount_of("uxprt") > Dec.zero()
    before = chain.balance(DEL1)
    chain.ok(
        DEL1,
        dist_tx.MsgWithdrawDelegatorReward(
            delegator_address=DEL1.bech32, validator_address=valoper(VAL2)
        ),
    )
    assert chain.balance(DEL1) == before + int(owed.amount_of("uxprt").truncate_int())


def test_an_emptied_validator_leaves_the_set_and_is_removed_after_unbonding() -> None:
    chain = two_validator_chain()
    chain.ok(VAL2, undelegate(VAL2, VAL2, 5_000_000))
    validator = chain.validator(VAL2)
    assert validator.jailed  # self-delegation below its minimum
    assert updates_by_power(chain.last) == {validator.consensus_pubkey: 0}
    assert validator.status == BondStatus.UNBONDING
    # CometBFT keeps it two more heights; its votes must still find it (as in the SDK, a
    # validator removed before its last votes are allocated halts the chain)
    chain.advance(2)
    chain.wait(UNBONDING_SECONDS)
    assert chain.chain.staking.get_validator(chain.ctx(), VAL2.address) is None
    chain.advance(2)  # distribution's records of it are gone too (the invariants count them)


def test_a_power_change_below_one_unit_sends_no_update() -> None:
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL1, 999_999))
    assert list(chain.last.validator_updates) == []
    chain.ok(DEL1, delegate(DEL1, VAL1, 1))
    assert updates_by_power(chain.last) == {chain.validator(VAL1).consensus_pubkey: 11}
