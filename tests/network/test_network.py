"""The proof-of-stake chain on a real 4-validator network (one app + one CometBFT per validator).

One network serves the whole file, in this order (each step needs the set the previous one
left): a governance proposal changes a staking parameter with all four validators voting; node 3
is stopped and its validator is jailed for downtime and leaves CometBFT's set; validator 2 is
proven to have double-signed (crafted evidence through node 1's RPC) and is slashed, jailed and
tombstoned. Every validator holds 1/4 of the power, so the three others keep the chain going when
node 3 stops, and after each removal the remaining validators are all online. After every test,
each committed block has been replayed and every invariant checked (`tests.support.invariants`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.message import Message

from app.codec import pack_any
from app.crypto.hd import derive_private_key
from app.pb.cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.cosmos.gov.v1 import gov_pb2
from app.pb.cosmos.gov.v1 import query_pb2 as gov_query
from app.pb.cosmos.gov.v1 import tx_pb2 as gov_tx
from app.pb.cosmos.slashing.v1beta1 import query_pb2 as slashing_query
from app.pb.cosmos.staking.v1beta1 import query_pb2 as staking_query
from app.pb.cosmos.staking.v1beta1 import staking_pb2
from app.pb.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.types.address import acc_to_bech32, cons_to_bech32, module_address, val_to_bech32
from app.types.time import SECOND, parse_rfc3339, timestamp_from_proto
from tests.support.cometbft import COMETBFT
from tests.support.evidence import broadcast_double_sign
from tests.support.invariants import InvariantWatcher
from tests.support.network import RunningNetwork, running_network

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    pytest.mark.skipif(not COMETBFT.exists(), reason="CometBFT binary not built (scripts/setup)"),
]

SELF_DELEGATION = 100_000_000_000
"""config/devnet.json's `self_delegation` in uxprt: power 100000 for each validator."""

POWER = SELF_DELEGATION // 10**6
NEW_UNBONDING_SECONDS = 60
"""The staking parameter the proposal sets (the devnet genesis has 120 s)."""

VOTING_SECONDS = 15
"""A shorter voting period than the devnet's 30 s keeps the file within its time budget."""

DOWNTIME_TIMEOUT = 90.0
"""Window 20 blocks, jailed after more than 10 missed ones (and a full window since genesis)."""


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNetwork]:
    root: Path = tmp_path_factory.mktemp("network")
    gov_periods = {
        "params": {
            "voting_period": f"{VOTING_SECONDS}s",
            "max_deposit_period": f"{VOTING_SECONDS}s",
            "expedited_voting_period": f"{VOTING_SECONDS // 2}s",
        }
    }
    with running_network(root, 4, app_state={"gov": gov_periods}) as started:
        yield started


@pytest.fixture(scope="module")
def watcher(network: RunningNetwork) -> Iterator[InvariantWatcher]:
    """Replays node 0's blocks in the background; node 0 is never stopped."""
    started = InvariantWatcher(network.rpc(0)).start()
    yield started
    started.stop()


@pytest.fixture(autouse=True)
def invariants_hold(network: RunningNetwork, watcher: InvariantWatcher) -> Iterator[None]:
    """After each test: every block committed so far replays identically and breaks nothing."""
    yield
    target = network.height()
    network.wait_until(
        f"the invariant checker to replay up to block {target}",
        lambda: watcher.failed or watcher.height >= target,
        timeout=60,
    )
    watcher.check()


# ---- helpers -----------------------------------------------------------------------------------


def operator(network: RunningNetwork, index: int) -> str:
    """persistencevaloper… of validator `index` (the operator is the devnet key's account)."""
    key = derive_private_key(network.chain.keys[f"validator{index}"].mnemonic)
    return val_to_bech32(key.public_key.address())


def consensus_address(network: RunningNetwork, index: int) -> bytes:
    return network.nodes[index].consensus_key().public_key.address()


def staking_validator(network: RunningNetwork, index: int) -> staking_pb2.Validator:
    return network.query(
        "/cosmos.staking.v1beta1.Query/Validator",
        staking_query.QueryValidatorRequest(validator_addr=operator(network, index)),
        staking_query.QueryValidatorResponse,
    ).validator


def signing_info(network: RunningNetwork, index: int) -> slashing_query.QuerySigningInfoResponse:
    return network.query(
        "/cosmos.slashing.v1beta1.Query/SigningInfo",
        slashing_query.QuerySigningInfoRequest(
            cons_address=cons_to_bech32(consensus_address(network, index))
        ),
        slashing_query.QuerySigningInfoResponse,
    )


def comet_validator_set(network: RunningNetwork, index: int = 0) -> dict[bytes, int]:
    """CometBFT's current validator set as node `index` sees it: address → voting power."""
    with network.rpc(index) as rpc:
        validators = rpc.validators(0, per_page=100)["validators"]
    return {bytes.fromhex(v["address"]): int(v["voting_power"]) for v in validators}


def submit_ok(network: RunningNetwork, key_name: str, *messages: Message) -> sdk_abci.TxMsgData:
    """Submit, require success, and return the messages' responses."""
    result = network.submit(key_name, *messages)
    assert result.result.code == 0, f"{key_name}'s tx failed: {result.result.log}"
    return sdk_abci.TxMsgData.FromString(result.result.data)


def keeps_producing_blocks(network: RunningNetwork, nodes: list[int], blocks: int = 3) -> None:
    for index in nodes:
        network.wait_blocks(blocks, timeout=30, index=index)


# ---- the tests, in network order ---------------------------------------------------------------


def test_gentx_genesis_gives_each_validator_a_quarter_of_the_power(
    network: RunningNetwork,
) -> None:
    expected = {consensus_address(network, index): POWER for index in range(4)}
    assert comet_validator_set(network) == expected
    for index in range(4):
        validator = staking_validator(network, index)
        assert validator.status == staking_pb2.BOND_STATUS_BONDED
        assert int(validator.tokens) == SELF_DELEGATION
        assert validator.description.moniker == f"validator{index}"


def test_a_passed_proposal_changes_a_staking_parameter(network: RunningNetwork) -> None:
    params = network.query(
        "/cosmos.staking.v1beta1.Query/Params",
        staking_query.QueryParamsRequest(),
        staking_query.QueryParamsResponse,
    ).params
    assert params.unbonding_time.seconds == 120, "the devnet genesis sets 120 s"
    params.unbonding_time.seconds = NEW_UNBONDING_SECONDS
    update = staking_tx.MsgUpdateParams(
        authority=acc_to_bech32(module_address("gov")), params=params
    )
    proposal = gov_tx.MsgSubmitProposal(
        messages=[pack_any(update)],
        initial_deposit=[coin_pb2.Coin(denom="uxprt", amount="10000000")],
        proposer=network.address("user1"),
        title="Shorter unbonding",
        summary="Unbonding time 120 s -> 60 s",
    )
    (response,) = submit_ok(network, "user1", proposal).msg_responses
    submitted = gov_tx.MsgSubmitProposalResponse()
    response.Unpack(submitted)
    proposal_id = submitted.proposal_id
    for index in range(4):
        vote = gov_tx.MsgVote(
            proposal_id=proposal_id,
            voter=network.address(f"validator{index}"),
            option=gov_pb2.VOTE_OPTION_YES,
        )
        submit_ok(network, f"validator{index}", vote)

    def status() -> int:
        return network.query(
            "/cosmos.gov.v1.Query/Proposal",
            gov_query.QueryProposalRequest(proposal_id=proposal_id),
            gov_query.QueryProposalResponse,
        ).proposal.status

    network.wait_until(
        f"proposal {proposal_id} to leave its voting period",
        lambda: status() != gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD,
        timeout=VOTING_SECONDS + 30,
    )
    assert status() == gov_pb2.PROPOSAL_STATUS_PASSED

    # The change takes effect: a new unbonding completes 60 s after the block that starts it.
    amount = coin_pb2.Coin(denom="uxprt", amount="1000000")
    user = network.address("user1")
    validator = operator(network, 0)
    submit_ok(
        network,
        "user1",
        staking_tx.MsgDelegate(delegator_address=user, validator_address=validator, amount=amount),
        staking_tx.MsgUndelegate(
            delegator_address=user, validator_address=validator, amount=amount
        ),
    )
    unbondings = network.query(
        "/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations",
        staking_query.QueryDelegatorUnbondingDelegationsRequest(delegator_addr=user),
        staking_query.QueryDelegatorUnbondingDelegationsResponse,
    ).unbonding_responses
    (entry,) = [entry for unbonding in unbondings for entry in unbonding.entries]
    with network.rpc() as rpc:
        header = rpc.block(entry.creation_height)["block"]["header"]
    started = parse_rfc3339(header["time"])
    assert timestamp_from_proto(entry.completion_time) - started == NEW_UNBONDING_SECONDS * SECOND


def test_a_stopped_validator_is_jailed_for_downtime_and_leaves_the_set(
    network: RunningNetwork,
) -> None:
    absent = consensus_address(network, 3)
    assert absent in comet_validator_set(network)
    network.stop_node(3)
    network.wait_until(
        "validator3 to be jailed for downtime",
        lambda: staking_validator(network, 3).jailed,
        timeout=DOWNTIME_TIMEOUT,
    )
    network.wait_until(
        "validator3 to leave CometBFT's validator set",
        lambda: absent not in comet_validator_set(network),
        timeout=30,
    )
    validator = staking_validator(network, 3)
    assert validator.status != staking_pb2.BOND_STATUS_BONDED
    assert int(validator.tokens) == SELF_DELEGATION * 99 // 100, "slashed 1% for downtime"
    info = signing_info(network, 3).val_signing_info
    assert not info.tombstoned
    assert timestamp_from_proto(info.jailed_until) > 0
    keeps_producing_blocks(network, [0, 1, 2])
    assert set(comet_validator_set(network)) == {consensus_address(network, i) for i in range(3)}


def test_a_double_signing_validator_is_slashed_jailed_and_tombstoned(
    network: RunningNetwork,
) -> None:
    offender = network.nodes[2].consensus_key()
    assert offender.public_key.address() in comet_validator_set(network)
    before = int(staking_validator(network, 2).tokens)
    infraction_height = network.height() - 1
    with network.rpc(1) as rpc:
        broadcast_double_sign(rpc, offender, network.chain_id, infraction_height)
    network.wait_until(
        "validator2 to be tombstoned from the evidence",
        lambda: signing_info(network, 2).val_signing_info.tombstoned,
        timeout=45,
    )
    validator = staking_validator(network, 2)
    assert validator.jailed
    assert int(validator.tokens) == before - before * 5 // 100, "slashed 5% for double signing"
    network.wait_until(
        "validator2 to leave CometBFT's validator set",
        lambda: offender.public_key.address() not in comet_validator_set(network),
        timeout=30,
    )
    keeps_producing_blocks(network, [0, 1])
    assert set(comet_validator_set(network)) == {consensus_address(network, i) for i in range(2)}
