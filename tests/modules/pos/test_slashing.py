"""Slashing through the real application: liveness from the votes of the last commit, double
signs from the block's misbehavior, jailing through staking's EndBlock, unjail by tx."""

from __future__ import annotations

from app.modules.staking.types import BondStatus
from app.pb.cosmos.slashing.v1beta1 import tx_pb2 as slashing_tx
from app.types import Int
from tests.chain.helpers import AccountKey
from tests.modules.pos.support import (
    DEL1,
    VAL1,
    VAL2,
    delegate,
    failed,
    two_validator_chain,
    undelegate,
    updates_by_power,
)
from tests.support.app_chain import AppChain, absent, consensus_key, duplicate_vote, valoper

WINDOW = 20
JAIL_SECONDS = 60

SLASHING = {
    "slashing": {
        "params": {
            "signed_blocks_window": str(WINDOW),
            "min_signed_per_window": "0.500000000000000000",
            "downtime_jail_duration": f"{JAIL_SECONDS}s",
            "slash_fraction_double_sign": "0.050000000000000000",
            "slash_fraction_downtime": "0.010000000000000000",
        }
    }
}


def pub_key_of(key: AccountKey) -> bytes:
    return consensus_key(key.address.hex()).public_key.key


def events_of(chain: AppChain, kind: str) -> list[dict[str, str]]:
    return [
        {a.key: a.value for a in event.attributes}
        for event in chain.last.events
        if event.type == kind
    ]


def unjail(key: AccountKey) -> slashing_tx.MsgUnjail:
    return slashing_tx.MsgUnjail(validator_addr=valoper(key))


def test_downtime_slashes_one_percent_jails_and_unjail_brings_it_back() -> None:
    chain = two_validator_chain(**SLASHING)
    cons = chain.cons_of(VAL2)
    # max missed = window - 0.5·window = 10: the 11th miss after the first window is punished
    jailed_at = None
    for _ in range(3 * WINDOW):
        chain.next_block(votes=absent(cons))
        if chain.validator(VAL2).jailed:
            jailed_at = chain.height
            break
    assert jailed_at is not None
    assert jailed_at > WINDOW
    validator = chain.validator(VAL2)
    # 1% of 5 000 000 at height - 2 (no unbonding since): 50 000 burned
    assert validator.tokens == Int(4_950_000)
    assert updates_by_power(chain.last) == {pub_key_of(VAL2): 0}
    [slash] = events_of(chain, "slash")
    assert slash["reason"] == "missing_signature" and slash["jailed"]
    assert validator.status == BondStatus.UNBONDING
    info = chain.chain.slashing.get_signing_info(chain.ctx(), cons)
    assert info is not None and info.missed_blocks_counter == 0
    # too early: still jailed
    early = chain.exec(VAL2, unjail(VAL2))
    assert failed(early, "slashing", 4), early.log
    chain.wait(JAIL_SECONDS)
    chain.ok(VAL2, unjail(VAL2))
    assert not chain.validator(VAL2).jailed
    assert updates_by_power(chain.last) == {pub_key_of(VAL2): 4}
    # signing again keeps it in
    chain.advance(WINDOW + 2)
    assert not chain.validator(VAL2).jailed
    not_jailed = chain.exec(VAL1, unjail(VAL1))
    assert failed(not_jailed, "slashing", 5), not_jailed.log


def test_double_sign_slashes_at_infraction_power_tombstones_and_reaches_unbondings() -> None:
    chain = two_validator_chain(**SLASHING)
    cons = chain.cons_of(VAL2)
    chain.ok(DEL1, delegate(DEL1, VAL2, 2_000_000))
    chain.advance(2)  # VAL2 now signs with power 7
    infraction_height, infraction_seconds = chain.height, chain.seconds
    chain.advance(2)
    chain.ok(DEL1, undelegate(DEL1, VAL2, 1_000_000))  # after the infraction: slashable
    assert chain.validator(VAL2).tokens == Int(6_000_000)
    evidence = duplicate_vote(cons, 7, infraction_height, infraction_seconds, 17)
    burned_before = chain.supply()
    chain.next_block(misbehavior=[evidence])
    validator = chain.validator(VAL2)
    # 5% of power 7 = 350 000: 50 000 from the 1 000 000 unbonding, 300 000 from the validator
    ubd = chain.chain.staking.get_unbonding_delegation(chain.ctx(), DEL1.address, VAL2.address)
    assert ubd is not None and ubd.entries[0].balance == Int(950_000)
    assert ubd.entries[0].initial_balance == Int(1_000_000)
    assert validator.tokens == Int(5_700_000)
    assert chain.supply() == burned_before - 350_000
    assert validator.jailed
    assert updates_by_power(chain.last) == {pub_key_of(VAL2): 0}
    info = chain.chain.slashing.get_signing_info(chain.ctx(), cons)
    assert info is not None and info.tombstoned
    [slash, *_] = events_of(chain, "slash")
    assert slash["reason"] == "double_sign"
    # the same evidence again, and any later evidence, changes nothing
    chain.next_block(misbehavior=[evidence])
    assert chain.validator(VAL2).tokens == Int(5_700_000)
    assert events_of(chain, "slash") == []
    # a tombstoned validator cannot come back, even after its jail time
    chain.wait(JAIL_SECONDS)
    assert chain.exec(VAL2, unjail(VAL2)).code != 0
    assert chain.validator(VAL2).jailed


def test_evidence_against_an_unknown_validator_is_ignored() -> None:
    chain = two_validator_chain(**SLASHING)
    stranger = b"\x01" * 20
    chain.next_block(misbehavior=[duplicate_vote(stranger, 5, chain.height, chain.seconds, 15)])
    assert not chain.validator(VAL1).jailed and not chain.validator(VAL2).jailed


def test_a_jailed_validator_misses_nothing_and_needs_a_new_window_after_unjail() -> None:
    chain = two_validator_chain(**SLASHING)
    cons = chain.cons_of(VAL2)
    while not chain.validator(VAL2).jailed:
        chain.next_block(votes=absent(cons))
    tokens = chain.validator(VAL2).tokens
    chain.advance(2, votes=absent(cons))  # still in CometBFT's set: misses while jailed
    assert chain.validator(VAL2).tokens == tokens
    info = chain.chain.slashing.get_signing_info(chain.ctx(), cons)
    assert info is not None and info.missed_blocks_counter == 0
    chain.wait(JAIL_SECONDS)
    chain.ok(VAL2, unjail(VAL2))
    rebonded = chain.height
    info = chain.chain.slashing.get_signing_info(chain.ctx(), cons)
    assert info is not None and info.start_height == rebonded
    while not chain.validator(VAL2).jailed:
        chain.next_block(votes=absent(cons))
    assert chain.height > rebonded + WINDOW
    assert chain.validator(VAL2).tokens < tokens
