"""The invariant checker: FinalizeBlock rebuilt from RPC JSON, result comparison, invariants."""

from __future__ import annotations

import base64
import hashlib

import pytest

from app.chain.application import ChainApplication
from app.chain.context import BlockContext, Context, ExecMode
from app.modules.bank import state as bank_state
from app.pb.tendermint.abci import types_pb2 as abci
from app.types.address import AccAddress, module_address
from app.types.int import Int
from app.types.time import Timestamp
from tests.chain.helpers import ALICE, CHAIN_ID, init_chain, make_app, run_block
from tests.support import invariants
from tests.support.invariants import (
    BONDED_POOL,
    InvariantBroken,
    bonded_pool_equals_bonded_tokens,
    check_invariants,
    compare_results,
    finalize_block_request,
    init_chain_request,
    misbehavior_of,
    supply_equals_balances,
)

ADDRESSES = [hashlib.sha256(bytes([n])).digest()[:20] for n in range(3)]


def block_json(
    height: int, flags: list[int], evidence: list[dict[str, object]]
) -> dict[str, object]:
    signatures = [
        {"block_id_flag": flag, "validator_address": "" if flag == 1 else address.hex().upper()}
        for flag, address in zip(flags, ADDRESSES, strict=True)
    ]
    return {
        "block_id": {"hash": "AB" * 32},
        "block": {
            "header": {
                "height": str(height),
                "time": "2026-01-02T03:04:05.5Z",
                "next_validators_hash": "CD" * 32,
                "proposer_address": ADDRESSES[1].hex().upper(),
            },
            "data": {"txs": [base64.b64encode(b"tx-one").decode()]},
            "evidence": {"evidence": evidence},
            "last_commit": {"round": 1, "signatures": signatures},
        },
    }


def validators_json(powers: list[int]) -> list[dict[str, object]]:
    return [
        {"address": address.hex().upper(), "voting_power": str(power)}
        for address, power in zip(ADDRESSES, powers, strict=True)
    ]


DUPLICATE_VOTE: dict[str, object] = {
    "type": "tendermint/DuplicateVoteEvidence",
    "value": {
        "vote_a": {"height": "7", "validator_address": ADDRESSES[2].hex().upper()},
        "vote_b": {"height": "7", "validator_address": ADDRESSES[2].hex().upper()},
        "TotalVotingPower": "60",
        "ValidatorPower": "20",
        "Timestamp": "2026-01-02T03:00:00Z",
    },
}


def test_finalize_request_pairs_last_validators_with_commit_signatures() -> None:
    request = finalize_block_request(block_json(9, [2, 1, 3], []), validators_json([30, 20, 10]))
    assert request.height == 9
    assert request.txs == [b"tx-one"]
    assert request.proposer_address == ADDRESSES[1]
    assert request.time.seconds % 60 == 5 and request.time.nanos == 500_000_000
    assert request.decided_last_commit.round == 1
    votes = [
        (vote.validator.address, vote.validator.power, vote.block_id_flag)
        for vote in request.decided_last_commit.votes
    ]
    # the absent validator keeps its address and power: they come from the validator set
    assert votes == [(ADDRESSES[0], 30, 2), (ADDRESSES[1], 20, 1), (ADDRESSES[2], 10, 3)]


def test_finalize_request_refuses_a_commit_that_does_not_match_the_set() -> None:
    with pytest.raises(ValueError):
        finalize_block_request(block_json(9, [2, 2, 2], []), validators_json([30, 20]))


def test_duplicate_vote_evidence_becomes_misbehavior() -> None:
    request = finalize_block_request(
        block_json(9, [2, 2, 2], [DUPLICATE_VOTE]), validators_json([1, 1, 1])
    )
    (misbehavior,) = request.misbehavior
    assert misbehavior.type == abci.DUPLICATE_VOTE
    assert misbehavior.validator.address == ADDRESSES[2]
    assert misbehavior.validator.power == 20
    assert misbehavior.height == 7
    assert misbehavior.total_voting_power == 60


def test_unknown_evidence_is_refused() -> None:
    with pytest.raises(InvariantBroken, match="LightClientAttack"):
        misbehavior_of({"type": "tendermint/LightClientAttackEvidence", "value": {}})


def test_init_chain_request_from_genesis() -> None:
    genesis = {
        "genesis_time": "2026-01-01T00:00:00Z",
        "chain_id": CHAIN_ID,
        "initial_height": "5",
        "consensus_params": {"block": {"max_bytes": "1000", "max_gas": "-1"}},
        "app_state": {"bank": {"balances": []}},
    }
    request = init_chain_request(genesis)
    assert (request.chain_id, request.initial_height) == (CHAIN_ID, 5)
    assert request.consensus_params.block.max_gas == -1
    assert request.app_state_bytes == b'{"bank": {"balances": []}}'


def test_compare_results_catches_a_different_app_hash_or_tx_code() -> None:
    response = abci.ResponseFinalizeBlock(app_hash=b"\x01" * 32)
    response.tx_results.add(code=0)
    same = {"app_hash": base64.b64encode(b"\x01" * 32).decode(), "txs_results": [{}]}
    compare_results(3, response, same)
    with pytest.raises(InvariantBroken, match="app hash"):
        compare_results(3, response, {**same, "app_hash": base64.b64encode(b"\x02" * 32).decode()})
    with pytest.raises(InvariantBroken, match="tx codes"):
        compare_results(3, response, {**same, "txs_results": [{"code": 5}]})


def committed_app() -> ChainApplication:
    """A chain that ran one block after its genesis."""
    app = make_app()
    init_chain(app)
    run_block(app, [])
    return app


def scratch_context(app: ChainApplication) -> Context:
    """A throw-away branch of the app's committed state."""
    block = BlockContext(height=app.store.last_height, time=Timestamp(0), chain_id=CHAIN_ID)
    return Context(app.store.check_view(), block, ExecMode.FINALIZE)


def test_invariants_hold_after_genesis() -> None:
    app = committed_app()
    assert check_invariants(app, BlockContext(height=1, time=Timestamp(0), chain_id=CHAIN_ID)) == []


def test_supply_invariant_sees_coins_created_without_supply() -> None:
    app = committed_app()
    ctx, chain = scratch_context(app), app.chain
    assert supply_equals_balances(ctx, chain) == []
    store = ctx.store("bank")
    bank_state.set_balance(store, AccAddress(ALICE.address), "uxprt", Int(1_000_001))
    (problem,) = supply_equals_balances(ctx, chain)
    assert "uxprt" in problem


def test_bonded_pool_invariant_sees_tokens_no_validator_owns() -> None:
    app = committed_app()
    ctx, chain = scratch_context(app), app.chain
    assert bonded_pool_equals_bonded_tokens(ctx, chain) == []
    store = ctx.store("bank")
    bank_state.set_balance(store, module_address(BONDED_POOL), "uxprt", Int(5))
    (problem,) = bonded_pool_equals_bonded_tokens(ctx, chain)
    assert "bonded pool holds 5uxprt" in problem


def test_an_invariant_that_cannot_run_is_reported_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    def explodes(ctx: Context, chain: object) -> list[str]:
        raise KeyError("missing record")

    monkeypatch.setattr(invariants, "INVARIANTS", (("test/explodes", explodes),))
    app = committed_app()
    (problem,) = check_invariants(app, BlockContext(height=1, time=Timestamp(0), chain_id=CHAIN_ID))
    assert problem.startswith("test/explodes: raised KeyError")
