"""The other doors into the modules: gRPC queries through the application, CheckTx admitting
staking txs, weighted votes, a bank MsgUpdateParams and a community-pool spend run by gov."""

from __future__ import annotations

from app.pb.cosmos.bank.v1beta1 import bank_pb2
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.distribution.v1beta1 import query_pb2 as dist_query
from app.pb.cosmos.distribution.v1beta1 import tx_pb2 as dist_tx
from app.pb.cosmos.gov.v1 import gov_pb2
from app.pb.cosmos.gov.v1 import query_pb2 as gov_query
from app.pb.cosmos.gov.v1 import tx_pb2 as gov_tx
from app.pb.cosmos.slashing.v1beta1 import query_pb2 as slashing_query
from app.pb.cosmos.staking.v1beta1 import query_pb2 as staking_query
from app.pb.tendermint.abci import types_pb2 as abci
from app.types import Dec
from app.types.address import cons_to_bech32
from tests.modules.pos.support import DEL1, DEL2, VAL1, VAL2, delegate, two_validator_chain
from tests.modules.pos.test_gov import (
    AUTHORITY,
    finish_voting,
    gov_state,
    proposal,
    submit,
    vote,
)
from tests.support.app_chain import ucoin, valoper


def test_queries_answer_through_the_application() -> None:
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL2, 2_000_000))
    validators = chain.query(
        "/cosmos.staking.v1beta1.Query/Validators",
        staking_query.QueryValidatorsRequest(),
        staking_query.QueryValidatorsResponse,
    )
    assert sorted(int(v.tokens) for v in validators.validators) == [7_000_000, 10_000_000]
    delegation = chain.query(
        "/cosmos.staking.v1beta1.Query/Delegation",
        staking_query.QueryDelegationRequest(
            delegator_addr=DEL1.bech32, validator_addr=valoper(VAL2)
        ),
        staking_query.QueryDelegationResponse,
    )
    assert delegation.delegation_response.balance.amount == "2000000"
    pool = chain.query(
        "/cosmos.staking.v1beta1.Query/Pool",
        staking_query.QueryPoolRequest(),
        staking_query.QueryPoolResponse,
    )
    assert pool.pool.bonded_tokens == "17000000"
    info = chain.query(
        "/cosmos.slashing.v1beta1.Query/SigningInfo",
        slashing_query.QuerySigningInfoRequest(cons_address=cons_to_bech32(chain.cons_of(VAL1))),
        slashing_query.QuerySigningInfoResponse,
    )
    assert info.val_signing_info.missed_blocks_counter == 0
    rewards = chain.query(
        "/cosmos.distribution.v1beta1.Query/DelegationRewards",
        dist_query.QueryDelegationRewardsRequest(
            delegator_address=DEL1.bech32, validator_address=valoper(VAL2)
        ),
        dist_query.QueryDelegationRewardsResponse,
    )
    assert list(rewards.rewards) == []


def test_check_tx_admits_a_delegation_and_refuses_an_unaffordable_one() -> None:
    chain = two_validator_chain()
    good = chain.tx(DEL1, delegate(DEL1, VAL1, 1_000_000))
    assert chain.app.check_tx(abci.RequestCheckTx(tx=good, type=abci.NEW)).code == 0
    bad = chain.tx(DEL2, delegate(DEL2, VAL1, 10**12))
    response = chain.app.check_tx(abci.RequestCheckTx(tx=bad, type=abci.NEW))
    assert (response.codespace, response.code) == ("sdk", 5)


def test_weighted_votes_split_power() -> None:
    """VAL1 (10M) votes 0.6 yes / 0.4 no; VAL2 (5M) abstains: yes 6M, no 4M, abstain 5M;
    yes ⊘ (15M − 5M) = 0.6 > 0.5: passes."""
    chain = two_validator_chain(**gov_state())
    msg = bank_tx.MsgUpdateParams(
        authority=AUTHORITY, params=bank_pb2.Params(default_send_enabled=True)
    )
    chain.ok(VAL1, submit(VAL1, msg))
    weighted = gov_tx.MsgVoteWeighted(
        proposal_id=1,
        voter=VAL1.bech32,
        options=[
            gov_pb2.WeightedVoteOption(option=gov_pb2.VOTE_OPTION_YES, weight="0.6"),
            gov_pb2.WeightedVoteOption(option=gov_pb2.VOTE_OPTION_NO, weight="0.4"),
        ],
    )
    chain.deliver(
        chain.tx(VAL1, weighted), chain.tx(VAL2, vote(VAL2, 1, gov_pb2.VOTE_OPTION_ABSTAIN))
    )
    tally = chain.query(
        "/cosmos.gov.v1.Query/TallyResult",
        gov_query.QueryTallyResultRequest(proposal_id=1),
        gov_query.QueryTallyResultResponse,
    ).tally
    assert (tally.yes_count, tally.no_count, tally.abstain_count) == (
        "6000000",
        "4000000",
        "5000000",
    )
    finish_voting(chain)
    assert proposal(chain, 1).status == gov_pb2.PROPOSAL_STATUS_PASSED


def test_gov_disables_sends_and_spends_the_community_pool() -> None:
    chain = two_validator_chain(**gov_state())
    chain.ok(
        DEL2,
        dist_tx.MsgFundCommunityPool(depositor=DEL2.bech32, amount=[ucoin(5_000)]),
    )
    disable = bank_tx.MsgUpdateParams(
        authority=AUTHORITY, params=bank_pb2.Params(default_send_enabled=False)
    )
    spend = dist_tx.MsgCommunityPoolSpend(
        authority=AUTHORITY, recipient=DEL1.bech32, amount=[ucoin(4_000)]
    )
    chain.ok(VAL1, submit(VAL1, spend, disable))
    chain.deliver(chain.tx(VAL1, vote(VAL1, 1, gov_pb2.VOTE_OPTION_YES)))
    before = chain.balance(DEL1)
    finish_voting(chain)
    assert proposal(chain, 1).status == gov_pb2.PROPOSAL_STATUS_PASSED
    assert chain.balance(DEL1) == before + 4_000
    pool = chain.chain.distribution.get_community_pool(chain.ctx()).amount_of("uxprt")
    assert pool >= Dec.from_str("1000")
    send = bank_tx.MsgSend(from_address=DEL1.bech32, to_address=DEL2.bech32, amount=[ucoin(1)])
    result = chain.exec(DEL1, send)
    assert result.code != 0 and result.codespace == "bank", result.log
