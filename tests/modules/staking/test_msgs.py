"""Staking messages on an in-process chain: validator lifecycle, delegations, unbonding,
redelegation, bad input; invariants checked after every block (support.StakingChain)."""

from __future__ import annotations

from app.codec import pack_any
from app.pb.cosmos.crypto.ed25519 import keys_pb2
from app.pb.cosmos.staking.v1beta1 import staking_pb2
from app.pb.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.pb.tendermint.abci import types_pb2 as abci
from app.types import Dec, Int
from tests.chain.helpers import ALICE, BOB, CAROL, DENOM, coin
from tests.modules.staking.support import (
    BLOCK_SECONDS,
    SELF_BOND,
    UNBONDING_SECONDS,
    StakingChain,
    consensus_key,
    valoper,
)


def create_validator(amount: int, name: str = "bob", rate: str = "100000000000000000"):
    return staking_tx.MsgCreateValidator(
        description=staking_pb2.Description(moniker=name),
        commission=staking_pb2.CommissionRates(
            rate=rate, max_rate="200000000000000000", max_change_rate="10000000000000000"
        ),
        min_self_delegation="1",
        validator_address=valoper(BOB),
        pubkey=pack_any(keys_pb2.PubKey(key=consensus_key(name).public_key.key)),
        value=coin(amount),
    )


def delegate(key, validator: str, amount: int) -> staking_tx.MsgDelegate:
    return staking_tx.MsgDelegate(
        delegator_address=key.bech32, validator_address=validator, amount=coin(amount)
    )


def undelegate(key, validator: str, amount: int) -> staking_tx.MsgUndelegate:
    return staking_tx.MsgUndelegate(
        delegator_address=key.bech32, validator_address=validator, amount=coin(amount)
    )


def redelegate(key, src: str, dst: str, amount: int) -> staking_tx.MsgBeginRedelegate:
    return staking_tx.MsgBeginRedelegate(
        delegator_address=key.bech32,
        validator_src_address=src,
        validator_dst_address=dst,
        amount=coin(amount),
    )


def power_of(updates, name: str) -> int | None:
    key = consensus_key(name).public_key.key
    powers = [u.power for u in updates if u.pub_key.ed25519 == key]
    return powers[0] if powers else None


def test_genesis_validator_comes_from_the_gentx() -> None:
    chain = StakingChain()
    assert [u.power for u in chain.init_response.validators] == [SELF_BOND // 10**6]
    chain.block()
    validator = chain.app.chain.staking.get_validator(chain.ctx(), ALICE.address)
    assert validator is not None and validator.is_bonded()
    assert chain.balance(ALICE) == 100_000_000 - SELF_BOND


def test_create_validator_joins_the_set_at_end_block_with_tokens_over_1e6() -> None:
    chain = StakingChain()
    result = chain.deliver(BOB, create_validator(5_000_000))
    assert result.code == 0, result.log
    assert power_of(chain.last.validator_updates, "bob") == 5
    assert any(e.type == "create_validator" for e in result.events)
    validator = chain.app.chain.staking.get_validator(chain.ctx(), BOB.address)
    assert validator.is_bonded() and validator.delegator_shares == Dec.from_int(5_000_000)


def test_delegation_changes_power_and_issues_shares_pro_rata() -> None:
    chain = StakingChain()
    result = chain.deliver(CAROL, delegate(CAROL, valoper(ALICE), 3_000_000))
    assert result.code == 0, result.log
    assert power_of(chain.last.validator_updates, "alice") == 13
    delegation = chain.app.chain.staking.get_delegation(chain.ctx(), CAROL.address, ALICE.address)
    assert delegation.shares == Dec.from_int(3_000_000)
    event = next(e for e in result.events if e.type == "delegate")
    attributes = {a.key: a.value for a in event.attributes}
    assert attributes["new_shares"] == "3000000.000000000000000000"


def test_unbonding_completes_after_the_unbonding_time() -> None:
    chain = StakingChain()
    chain.deliver(CAROL, delegate(CAROL, valoper(ALICE), 3_000_000))
    before = chain.balance(CAROL)
    result = chain.deliver(CAROL, undelegate(CAROL, valoper(ALICE), 1_000_000))
    assert result.code == 0, result.log
    assert power_of(chain.last.validator_updates, "alice") == 12
    ubd = chain.app.chain.staking.get_unbonding_delegation(
        chain.ctx(), CAROL.address, ALICE.address
    )
    assert [e.balance for e in ubd.entries] == [Int(1_000_000)]
    for _ in range(UNBONDING_SECONDS // BLOCK_SECONDS - 1):
        chain.block()
        assert chain.balance(CAROL) == before
    chain.block()
    assert chain.balance(CAROL) == before + 1_000_000
    assert any(e.type == "complete_unbonding" for e in chain.last.events)
    assert (
        chain.app.chain.staking.get_unbonding_delegation(chain.ctx(), CAROL.address, ALICE.address)
        is None
    )


def test_cancel_unbonding_delegates_back() -> None:
    chain = StakingChain()
    chain.deliver(CAROL, delegate(CAROL, valoper(ALICE), 3_000_000))
    chain.deliver(CAROL, undelegate(CAROL, valoper(ALICE), 2_000_000))
    height = chain.height
    cancel = staking_tx.MsgCancelUnbondingDelegation(
        delegator_address=CAROL.bech32,
        validator_address=valoper(ALICE),
        amount=coin(500_000),
        creation_height=height,
    )
    result = chain.deliver(CAROL, cancel)
    assert result.code == 0, result.log
    ubd = chain.app.chain.staking.get_unbonding_delegation(
        chain.ctx(), CAROL.address, ALICE.address
    )
    assert [e.balance for e in ubd.entries] == [Int(1_500_000)]
    delegation = chain.app.chain.staking.get_delegation(chain.ctx(), CAROL.address, ALICE.address)
    assert delegation.shares == Dec.from_int(1_500_000)


def test_redelegation_moves_power_and_transitive_redelegation_is_refused() -> None:
    chain = StakingChain()
    chain.deliver(BOB, create_validator(5_000_000))
    chain.deliver(CAROL, delegate(CAROL, valoper(ALICE), 3_000_000))
    result = chain.deliver(CAROL, redelegate(CAROL, valoper(ALICE), valoper(BOB), 2_000_000))
    assert result.code == 0, result.log
    assert power_of(chain.last.validator_updates, "alice") == 11
    assert power_of(chain.last.validator_updates, "bob") == 7
    balance = chain.balance(CAROL)
    refused = chain.deliver(CAROL, redelegate(CAROL, valoper(BOB), valoper(ALICE), 1_000_000))
    assert (refused.codespace, refused.code) == ("staking", 32)
    assert chain.balance(CAROL) == balance


def test_bad_input_fails_with_a_clear_code_and_changes_nothing() -> None:
    chain = StakingChain()
    chain.deliver(CAROL, delegate(CAROL, valoper(ALICE), 1_000_000))
    staking = chain.app.chain.staking
    shares_before = staking.get_validator(chain.ctx(), ALICE.address).delegator_shares
    cases = [
        (delegate(CAROL, valoper(ALICE), 10**12), ("sdk", 5)),
        (undelegate(CAROL, valoper(ALICE), 2_000_000), ("staking", 22)),
        (delegate(CAROL, valoper(BOB), 1_000), ("staking", 3)),
        (redelegate(CAROL, valoper(ALICE), valoper(BOB), 1_000), ("staking", 31)),
        (redelegate(CAROL, valoper(ALICE), valoper(ALICE), 1_000), ("staking", 29)),
        (undelegate(BOB, valoper(ALICE), 1_000), ("staking", 19)),
    ]
    for message, expected in cases:
        signer = BOB if message.delegator_address == BOB.bech32 else CAROL
        balance = chain.balance(signer)
        result = chain.deliver(signer, message)
        assert (result.codespace, result.code) == expected, result.log
        assert chain.balance(signer) == balance
        assert staking.get_validator(chain.ctx(), ALICE.address).delegator_shares == shares_before


def test_validator_set_respects_max_validators_and_removes_with_power_zero() -> None:
    chain = StakingChain()  # max_validators = 2
    chain.deliver(BOB, create_validator(5_000_000))
    third = create_validator(20_000_000, name="carol")
    third.validator_address = valoper(CAROL)
    result = chain.deliver(CAROL, third)
    assert result.code == 0, result.log
    updates = chain.last.validator_updates
    assert power_of(updates, "carol") == 20
    assert power_of(updates, "bob") == 0
    bob = chain.app.chain.staking.get_validator(chain.ctx(), BOB.address)
    assert bob.is_unbonding()
    for _ in range(UNBONDING_SECONDS // BLOCK_SECONDS):
        chain.block()
    assert chain.app.chain.staking.get_validator(chain.ctx(), BOB.address).is_unbonded()


def test_the_last_validator_is_never_removed() -> None:
    chain = StakingChain()
    result = chain.deliver(ALICE, undelegate(ALICE, valoper(ALICE), SELF_BOND))
    assert result.code == 0, result.log
    assert list(chain.last.validator_updates) == []
    assert isinstance(chain.last, abci.ResponseFinalizeBlock)


def test_edit_validator_commission_once_a_day() -> None:
    chain = StakingChain()
    edit = staking_tx.MsgEditValidator(
        description=staking_pb2.Description(moniker="[do-not-modify]", details="hello"),
        validator_address=valoper(ALICE),
        commission_rate="110000000000000000",
    )
    result = chain.deliver(ALICE, edit)
    assert (result.codespace, result.code) == ("staking", 12)
    edit.commission_rate = ""
    result = chain.deliver(ALICE, edit)
    assert result.code == 0, result.log
    validator = chain.app.chain.staking.get_validator(chain.ctx(), ALICE.address)
    assert validator.description.moniker == "alice" and validator.description.details == "hello"
    assert chain.app.chain.staking.bond_denom(chain.ctx()) == DENOM
