"""Staking through the real application: txs in blocks, the queues in EndBlock, validator updates
returned by FinalizeBlock; exact share and token numbers per the SDK's LegacyDec arithmetic."""

from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.modules.staking.types import BondStatus
from app.pb.cosmos.staking.v1beta1 import staking_pb2
from app.pb.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.types import Dec, Int
from app.types.address import module_address
from tests.chain.helpers import AccountKey
from tests.modules.pos.support import (
    DEL1,
    DEL2,
    FUNDS,
    NO_INFLATION,
    UNBONDING_SECONDS,
    VAL1,
    VAL2,
    dec,
    delegate,
    failed,
    mul_int,
    quo_round,
    redelegate,
    staking_state,
    truncate_int,
    two_validator_chain,
    undelegate,
    updates_by_power,
)
from tests.support.app_chain import AppChain, consensus_key, duplicate_vote, ucoin, valoper

BONDED_POOL = module_address("bonded_tokens_pool")
NOT_BONDED_POOL = module_address("not_bonded_tokens_pool")
DO_NOT_MODIFY = "[do-not-modify]"


def pub_key(key: AccountKey) -> bytes:
    return consensus_key(key.address.hex()).public_key.key


def shares_of(chain: AppChain, delegator: AccountKey, validator: AccountKey) -> Dec:
    delegation = chain.chain.staking.get_delegation(
        chain.ctx(), delegator.address, validator.address
    )
    return delegation.shares if delegation is not None else Dec.zero()


def test_genesis_validators_from_gentxs() -> None:
    chain = two_validator_chain()
    assert {u.pub_key.ed25519: u.power for u in chain.genesis_updates} == {
        pub_key(VAL1): 10,
        pub_key(VAL2): 5,
    }
    assert chain.balance(BONDED_POOL) == 15_000_000


def test_create_validator_by_tx_joins_the_set_in_the_same_block() -> None:
    chain = two_validator_chain()
    chain.ok(DEL1, chain.create_validator_msg(DEL1, 3_000_000))
    assert updates_by_power(chain.last) == {pub_key(DEL1): 3}
    validator = chain.validator(DEL1)
    assert validator.status == BondStatus.BONDED
    assert validator.tokens == Int(3_000_000)
    assert validator.delegator_shares == Dec.from_int(Int(3_000_000))
    assert shares_of(chain, DEL1, DEL1) == Dec.from_int(Int(3_000_000))
    assert chain.balance(DEL1) == FUNDS - 3_000_000
    assert chain.power_set(chain.height + 2)[chain.cons_of(DEL1)] == 3


def test_first_delegation_is_one_to_one_and_changes_power() -> None:
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL2, 2_000_000))
    assert shares_of(chain, DEL1, VAL2) == Dec.from_int(Int(2_000_000))
    assert chain.validator(VAL2).tokens == Int(7_000_000)
    assert updates_by_power(chain.last) == {pub_key(VAL2): 7}
    assert chain.balance(DEL1) == FUNDS - 2_000_000
    assert chain.balance(BONDED_POOL) == 17_000_000


def test_undelegation_completes_at_its_time_in_end_block() -> None:
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL2, 2_000_000))
    result = chain.ok(DEL1, undelegate(DEL1, VAL2, 500_000))
    response = staking_tx.MsgUndelegateResponse()
    from app.pb.cosmos.base.abci.v1beta1 import abci_pb2

    data = abci_pb2.TxMsgData.FromString(result.data)
    data.msg_responses[0].Unpack(response)
    assert response.completion_time.seconds == chain.seconds + UNBONDING_SECONDS
    assert response.amount.amount == "500000"
    # 6 500 000 tokens → power 6
    assert updates_by_power(chain.last) == {pub_key(VAL2): 6}
    assert chain.balance(NOT_BONDED_POOL) == 500_000
    completion = chain.seconds + UNBONDING_SECONDS
    while chain.seconds + 5 < completion:
        chain.next_block()
        assert chain.balance(DEL1) == FUNDS - 2_000_000
    chain.next_block(seconds=completion - chain.seconds)
    assert chain.balance(DEL1) == FUNDS - 1_500_000
    assert chain.balance(NOT_BONDED_POOL) == 0
    assert (
        chain.chain.staking.get_unbonding_delegation(chain.ctx(), DEL1.address, VAL2.address)
        is None
    )


def test_cancel_unbonding_restores_the_delegation() -> None:
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL2, 2_000_000))
    chain.ok(DEL1, undelegate(DEL1, VAL2, 500_000))
    creation = chain.height
    cancel = staking_tx.MsgCancelUnbondingDelegation(
        delegator_address=DEL1.bech32,
        validator_address=valoper(VAL2),
        amount=ucoin(200_000),
        creation_height=creation,
    )
    chain.ok(DEL1, cancel)
    assert shares_of(chain, DEL1, VAL2) == Dec.from_int(Int(1_700_000))
    ubd = chain.chain.staking.get_unbonding_delegation(chain.ctx(), DEL1.address, VAL2.address)
    assert ubd is not None and [e.balance for e in ubd.entries] == [Int(300_000)]
    assert chain.balance(NOT_BONDED_POOL) == 300_000
    chain.wait(UNBONDING_SECONDS)
    assert chain.balance(DEL1) == FUNDS - 2_000_000 + 300_000
    # cancelling more than the entry holds, or at a wrong height, is refused
    chain.ok(DEL1, undelegate(DEL1, VAL2, 100_000))
    too_much = staking_tx.MsgCancelUnbondingDelegation(
        delegator_address=DEL1.bech32,
        validator_address=valoper(VAL2),
        amount=ucoin(100_001),
        creation_height=chain.height,
    )
    assert chain.exec(DEL1, too_much).code != 0


def test_redelegation_and_the_transitive_rule() -> None:
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL1, 3_000_000))
    result = chain.ok(DEL1, redelegate(DEL1, VAL1, VAL2, 1_000_000))
    assert result.code == 0
    assert shares_of(chain, DEL1, VAL1) == Dec.from_int(Int(2_000_000))
    assert shares_of(chain, DEL1, VAL2) == Dec.from_int(Int(1_000_000))
    assert updates_by_power(chain.last) == {pub_key(VAL1): 12, pub_key(VAL2): 6}
    # VAL2 has an incoming redelegation of DEL1 that has not matured: no hop onwards
    before = chain.validator(VAL2)
    hop = chain.exec(DEL1, redelegate(DEL1, VAL2, VAL1, 500_000))
    assert failed(hop, "staking", 32), hop.log
    assert chain.validator(VAL2) == before
    chain.wait(UNBONDING_SECONDS)
    assert (
        chain.chain.staking.get_redelegation(chain.ctx(), DEL1.address, VAL1.address, VAL2.address)
        is None
    )
    chain.ok(DEL1, redelegate(DEL1, VAL2, VAL1, 500_000))


def test_bad_staking_input_is_rejected_and_changes_nothing() -> None:
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL1, 1_000_000))
    validators = (chain.validator(VAL1), chain.validator(VAL2))
    balance = chain.balance(DEL1)
    poor = chain.exec(DEL2, delegate(DEL2, VAL1, FUNDS + 1))
    assert failed(poor, "sdk", 5), poor.log
    too_much = chain.exec(DEL1, undelegate(DEL1, VAL1, 1_000_001))
    assert failed(too_much, "staking", 22), too_much.log
    nothing = chain.exec(DEL2, undelegate(DEL2, VAL1, 1))
    assert failed(nothing, "staking", 19), nothing.log
    missing = chain.exec(DEL1, redelegate(DEL1, VAL1, DEL2, 1))
    assert failed(missing, "staking", 31), missing.log
    to_nobody = chain.exec(DEL1, delegate(DEL1, DEL2, 1))
    assert failed(to_nobody, "staking", 3), to_nobody.log
    to_self = chain.exec(DEL1, redelegate(DEL1, VAL1, VAL1, 1))
    assert failed(to_self, "staking", 29), to_self.log
    assert (chain.validator(VAL1), chain.validator(VAL2)) == validators
    assert chain.balance(DEL1) == balance
    assert chain.balance(DEL2) == FUNDS
    assert shares_of(chain, DEL1, VAL1) == Dec.from_int(Int(1_000_000))


def test_exchange_rate_after_a_slash_and_truncated_unbonding() -> None:
    """After VAL1 loses 5% for a double sign, its 10 000 000 shares stand for 9 500 000 tokens:
    a new delegation of 1 000 000 gets D·1 000 000 ⊘ᵢ T shares (truncated), and unbonding
    redeems (shares ⊗ᵢ T) ⊘ D rounded, truncated to whole tokens."""
    chain = two_validator_chain()
    cons = chain.cons_of(VAL1)
    chain.next_block(misbehavior=[duplicate_vote(cons, 10, chain.height, chain.seconds, 15)])
    validator = chain.validator(VAL1)
    # burned = 10 power · 10^6 · 0.05 = 500 000
    assert validator.tokens == Int(9_500_000)
    assert validator.jailed
    assert updates_by_power(chain.last) == {pub_key(VAL1): 0}
    chain.ok(DEL1, delegate(DEL1, VAL1, 1_000_000))
    shares = shares_of(chain, DEL1, VAL1)
    # 10 000 000·10^18 · 1 000 000 // 9 500 000 = 1 052 631.578947368421052631
    assert shares.to_proto_str() == "1052631578947368421052631"
    total_shares = dec(10_000_000) + int(shares.to_proto_str())
    tokens = 10_500_000
    # undelegate 333 333 tokens: shares = D·333 333 ⊘ᵢ T, redeemed = trunc((s ⊗ᵢ T) ⊘ D)
    want_shares = mul_int(total_shares, 333_333) // tokens
    want_tokens = truncate_int(quo_round(mul_int(want_shares, tokens), total_shares))
    balance = chain.balance(DEL1)
    chain.ok(DEL1, undelegate(DEL1, VAL1, 333_333))
    remaining = int(shares_of(chain, DEL1, VAL1).to_proto_str())
    assert remaining == int(shares.to_proto_str()) - want_shares
    assert chain.validator(VAL1).tokens == Int(tokens - want_tokens)
    ubd = chain.chain.staking.get_unbonding_delegation(chain.ctx(), DEL1.address, VAL1.address)
    assert ubd is not None and ubd.entries[0].balance == Int(want_tokens)
    assert want_tokens in (333_332, 333_333)
    chain.wait(UNBONDING_SECONDS)
    assert chain.balance(DEL1) == balance + want_tokens


def test_max_validators_pushes_the_smallest_out_with_a_power_zero_update() -> None:
    chain = AppChain(
        [(VAL1, 10_000_000), (VAL2, 5_000_000)],
        {DEL1: FUNDS},
        {**staking_state(max_validators=2), **NO_INFLATION},
    )
    chain.ok(DEL1, chain.create_validator_msg(DEL1, 7_000_000))
    assert updates_by_power(chain.last) == {pub_key(DEL1): 7, pub_key(VAL2): 0}
    pushed = chain.validator(VAL2)
    assert pushed.status == BondStatus.UNBONDING
    assert chain.balance(NOT_BONDED_POOL) == 5_000_000
    assert chain.balance(BONDED_POOL) == 17_000_000
    chain.wait(UNBONDING_SECONDS)
    assert chain.validator(VAL2).status == BondStatus.UNBONDED
    # a delegation bringing it above the smallest bonded validator brings it back
    chain.ok(DEL1, delegate(DEL1, VAL2, 3_000_000))
    assert updates_by_power(chain.last) == {pub_key(VAL2): 8, pub_key(DEL1): 0}


def test_malformed_staking_messages_are_refused() -> None:
    chain = two_validator_chain()
    wrong_denom = delegate(DEL1, VAL1, 5)
    wrong_denom.amount.denom = "stake"
    assert failed(chain.exec(DEL1, wrong_denom), "sdk", 18)
    assert failed(chain.exec(DEL1, delegate(DEL1, VAL1, 0)), "sdk", 18)
    assert failed(chain.exec(DEL1, undelegate(DEL1, VAL1, 0)), "sdk", 18)
    assert failed(chain.exec(VAL1, chain.create_validator_msg(VAL1, 1_000_000)), "staking", 4)
    stolen_key = chain.create_validator_msg(DEL1, 1_000_000)
    assert isinstance(stolen_key, staking_tx.MsgCreateValidator)
    stolen_key.pubkey.CopyFrom(
        chain.create_validator_msg(VAL1, 1).pubkey  # type: ignore[attr-defined]
    )
    assert failed(chain.exec(DEL1, stolen_key), "staking", 5)
    assert chain.balance(DEL1) == FUNDS


def test_commission_changes_follow_the_24h_and_max_change_rules() -> None:
    chain = two_validator_chain()
    edit = staking_tx.MsgEditValidator(
        validator_address=valoper(VAL1),
        description=staking_pb2.Description(
            moniker=DO_NOT_MODIFY,
            identity=DO_NOT_MODIFY,
            website=DO_NOT_MODIFY,
            security_contact=DO_NOT_MODIFY,
            details=DO_NOT_MODIFY,
        ),
        commission_rate=Dec.from_str("0.11").to_proto_str(),
    )
    assert failed(chain.exec(VAL1, edit), "staking", 12)  # set at genesis, < 24 h ago
    chain.wait(24 * 3600)
    edit.commission_rate = Dec.from_str("0.2").to_proto_str()
    assert failed(chain.exec(VAL1, edit), "staking", 15)  # max change 0.01 a day
    edit.commission_rate = Dec.from_str("0.11").to_proto_str()
    chain.ok(VAL1, edit)
    assert chain.validator(VAL1).commission.rate == Dec.from_str("0.11")
    assert chain.validator(VAL1).description.moniker == VAL1.address.hex()


def test_equal_power_at_the_edge_of_the_set_goes_to_the_lower_operator_address() -> None:
    """The SDK's power index sorts equal powers by operator address (inverted bytes, iterated
    in reverse): the lower address wins the last seat, incumbent or not."""
    chain = AppChain(
        [(VAL1, 10_000_000), (VAL2, 5_000_000)],
        {DEL1: FUNDS},
        {**staking_state(max_validators=2), **NO_INFLATION},
    )
    chain.ok(DEL1, chain.create_validator_msg(DEL1, 5_000_000))
    lower, higher = sorted((VAL2, DEL1), key=lambda key: key.address)
    assert chain.validator(lower).status == BondStatus.BONDED
    assert chain.validator(higher).status != BondStatus.BONDED
    expected = {} if lower == VAL2 else {pub_key(DEL1): 5, pub_key(VAL2): 0}
    assert updates_by_power(chain.last) == expected


def test_genesis_whose_gentxs_bond_no_power_is_refused() -> None:
    """Below 10^6 tokens a validator has no consensus power: alone, it would leave CometBFT an
    empty set, which InitChain refuses like the SDK; beside a real validator it just waits."""
    chain = AppChain([(VAL1, 10_000_000), (VAL2, 500_000)], {}, staking_state())
    assert [update.power for update in chain.genesis_updates] == [10]
    assert chain.validator(VAL2).status == BondStatus.UNBONDED
    with pytest.raises(ChainError, match="validator set is empty"):
        AppChain([(VAL2, 500_000)], {}, staking_state())
