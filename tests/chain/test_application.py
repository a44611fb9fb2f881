"""The application driven directly with real signed txs: genesis, blocks, queries, restart."""

from __future__ import annotations

import os

import pytest

from app.chain.ante import MAX_TX_BYTES
from app.chain.application import EMPTY_HASH
from app.chain.errors import InvariantViolation
from app.chain.wiring import MODULE_ACCOUNT_PERMISSIONS
from app.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from app.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci
from app.pb.cosmos.tx.v1beta1 import service_pb2, tx_pb2
from app.pb.tendermint.abci import types_pb2 as abci
from app.store import LevelDatabase
from app.types import DecCoins, module_address
from app.types.address import acc_to_bech32
from tests.chain.helpers import (
    ALICE,
    BOB,
    CAROL,
    DENOM,
    check,
    coin,
    finalize,
    init_chain,
    make_app,
    query,
    run_block,
    send_msg,
    signed,
)

# Auth genesis numbers the module accounts first, then the funded accounts (alice before bob).
ALICE_NUMBER = len(MODULE_ACCOUNT_PERMISSIONS)
BOB_NUMBER = ALICE_NUMBER + 1
FEE_COLLECTOR = acc_to_bech32(module_address("fee_collector"))


def balance(app, address: str, denom: str = DENOM, height: int = 0) -> int:
    response = query(
        app,
        "/cosmos.bank.v1beta1.Query/Balance",
        bank_query.QueryBalanceRequest(address=address, denom=denom),
        height,
    )
    assert response.code == 0, response.log
    return int(bank_query.QueryBalanceResponse.FromString(response.value).balance.amount)


def sequence(app, address: str) -> int:
    response = query(
        app,
        "/cosmos.auth.v1beta1.Query/AccountInfo",
        auth_query.QueryAccountInfoRequest(address=address),
    )
    assert response.code == 0, response.log
    return auth_query.QueryAccountInfoResponse.FromString(response.value).info.sequence


def alice_send(amount: int = 100, *, sequence: int = 0, fee: str = "10uxprt", **kwargs) -> bytes:
    return signed(
        ALICE,
        [send_msg(ALICE, BOB.bech32, [coin(amount)])],
        sequence=sequence,
        account_number=ALICE_NUMBER,
        fee=fee,
        **kwargs,
    )


@pytest.fixture
def app():
    application = make_app()
    init_chain(application)
    run_block(application, [])
    return application


def test_init_chain_returns_empty_hash_and_persists_nothing() -> None:
    application = make_app()
    response = init_chain(application)
    assert response.app_hash == EMPTY_HASH
    assert len(response.validators) == 0
    assert application.info(abci.RequestInfo()).last_block_height == 0
    assert application.store.last_height == 0


def test_send_moves_coins_pays_fee_and_increments_sequence(app) -> None:
    tx = alice_send(100)
    assert check(app, tx).code == 0
    response = run_block(app, [tx])
    result = response.tx_results[0]
    assert result.code == 0, result.log
    assert 0 < result.gas_used <= result.gas_wanted == 200_000
    msg_data = sdk_abci.TxMsgData.FromString(result.data)
    assert msg_data.msg_responses[0].type_url == "/cosmos.bank.v1beta1.MsgSendResponse"
    assert balance(app, ALICE.bech32) == 1_000_000 - 110
    assert balance(app, BOB.bech32) == 1_000_100
    assert balance(app, FEE_COLLECTOR) == 10
    assert sequence(app, ALICE.bech32) == 1
    event_types = [event.type for event in result.events]
    assert event_types.count("transfer") == 2
    message = next(e for e in result.events if e.type == "message" and len(e.attributes) == 4)
    attributes = {a.key: a.value for a in message.attributes}
    assert attributes == {
        "action": "/cosmos.bank.v1beta1.MsgSend",
        "sender": ALICE.bech32,
        "module": "bank",
        "msg_index": "0",
    }
    assert all(attribute.index for event in result.events for attribute in event.attributes)


def test_account_created_on_first_receipt(app) -> None:
    tx = signed(
        ALICE, [send_msg(ALICE, CAROL.bech32, [coin(5)])], sequence=0, account_number=ALICE_NUMBER
    )
    assert run_block(app, [tx]).tx_results[0].code == 0
    response = query(
        app,
        "/cosmos.auth.v1beta1.Query/AccountInfo",
        auth_query.QueryAccountInfoRequest(address=CAROL.bech32),
    )
    info = auth_query.QueryAccountInfoResponse.FromString(response.value).info
    assert info.account_number == BOB_NUMBER + 1
    assert info.sequence == 0


def test_check_tx_tracks_pending_sequences_until_commit(app) -> None:
    assert check(app, alice_send(sequence=0)).code == 0
    assert check(app, alice_send(sequence=1)).code == 0
    again = check(app, alice_send(sequence=1, amount=7))
    assert (again.codespace, again.code) == ("sdk", 32)
    assert "account sequence mismatch, expected 2, got 1" in again.log
    run_block(app, [])  # nothing committed: the check state restarts from the chain
    assert check(app, alice_send(sequence=0, amount=9)).code == 0


def test_recheck_skips_signature_but_checks_sequence(app) -> None:
    tx = alice_send(sequence=0)
    run_block(app, [tx])
    stale = check(app, tx, recheck=True)
    assert (stale.codespace, stale.code) == ("sdk", 32)
    wrong_chain = alice_send(sequence=1, chain_id="other-chain")
    assert check(app, wrong_chain, recheck=True).code == 0
    assert check(app, alice_send(sequence=2, chain_id="another")).code == 4


def _state_after_block(app, txs):
    before = (balance(app, ALICE.bech32), balance(app, BOB.bech32), sequence(app, ALICE.bech32))
    response = run_block(app, txs)
    after = (balance(app, ALICE.bech32), balance(app, BOB.bech32), sequence(app, ALICE.bech32))
    return before, after, response


BAD_TXS = {
    "random bytes": (lambda: os.urandom(64) + b"\xff\xff", ("sdk", 2)),
    "truncated": (lambda: alice_send()[:-20], ("sdk", 2)),
    "wrong signature": (
        lambda: signed(
            ALICE, [send_msg(ALICE, BOB.bech32, [coin(1)])], sequence=0, account_number=BOB_NUMBER
        ),
        ("sdk", 4),
    ),
    "wrong chain id": (lambda: alice_send(chain_id="cosmoshub-4"), ("sdk", 4)),
    "future sequence": (lambda: alice_send(sequence=5), ("sdk", 32)),
    "signer is not sender": (
        lambda: signed(
            BOB, [send_msg(ALICE, BOB.bech32, [coin(1)])], sequence=0, account_number=BOB_NUMBER
        ),
        ("sdk", 8),
    ),
    "fee beyond balance": (lambda: alice_send(fee="2000000uxprt"), ("sdk", 5)),
    "zero amount": (lambda: alice_send(0), ("sdk", 10)),
    "negative amount": (
        lambda: signed(
            ALICE,
            [send_msg(ALICE, BOB.bech32, [coin(-5)])],
            sequence=0,
            account_number=ALICE_NUMBER,
        ),
        ("sdk", 10),
    ),
    "overflowing amount": (
        lambda: signed(
            ALICE,
            [send_msg(ALICE, BOB.bech32, [coin(2**256)])],
            sequence=0,
            account_number=ALICE_NUMBER,
        ),
        ("sdk", 10),
    ),
    "malformed denom": (
        lambda: signed(
            ALICE,
            [send_msg(ALICE, BOB.bech32, [coin(5, "1x")])],
            sequence=0,
            account_number=ALICE_NUMBER,
        ),
        ("sdk", 10),
    ),
    "bad recipient": (
        lambda: signed(
            ALICE,
            [send_msg(ALICE, "persistence1xyz", [coin(5)])],
            sequence=0,
            account_number=ALICE_NUMBER,
        ),
        ("sdk", 7),
    ),
    "oversize": (lambda: alice_send(memo="x" * (MAX_TX_BYTES + 1)), ("sdk", 21)),
    "memo too long": (lambda: alice_send(memo="x" * 257), ("sdk", 12)),
    "zero gas": (lambda: alice_send(gas=0), ("sdk", 41)),
    "timed out": (lambda: alice_send(timeout_height=1), ("sdk", 30)),
    "unknown message type": (
        lambda: signed(
            ALICE, [tx_pb2.SignDoc(chain_id="x")], sequence=0, account_number=ALICE_NUMBER
        ),
        ("sdk", 2),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_TXS))
def test_bad_tx_fails_in_check_tx_and_finalize_without_state_change(app, case: str) -> None:
    make, expected = BAD_TXS[case]
    raw = make()
    checked = check(app, raw)
    assert (checked.codespace, checked.code) == expected, checked.log
    assert checked.log
    before, after, response = _state_after_block(app, [raw])
    result = response.tx_results[0]
    assert (result.codespace, result.code) == expected, result.log
    assert result.log
    assert before == after


def test_reused_sequence_is_rejected(app) -> None:
    run_block(app, [alice_send(sequence=0)])
    replay = alice_send(sequence=0, amount=55)  # re-signed with the used sequence
    assert check(app, replay).code == 32
    before, after, response = _state_after_block(app, [replay])
    assert response.tx_results[0].code == 32
    assert before == after


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (lambda: send_msg(ALICE, BOB.bech32, [coin(2_000_000)]), ("sdk", 5)),
        (lambda: send_msg(ALICE, FEE_COLLECTOR, [coin(5)]), ("sdk", 4)),
    ],
    ids=["insufficient funds", "module account recipient"],
)
def test_failing_message_keeps_fee_and_sequence_only(app, message, expected) -> None:
    raw = signed(ALICE, [message()], sequence=0, account_number=ALICE_NUMBER, fee="10uxprt")
    checked = check(app, raw)
    assert (checked.codespace, checked.code) == expected  # the mempool refuses it outright
    assert check(app, alice_send(sequence=0)).code == 0  # and kept none of its effects
    before, after, response = _state_after_block(app, [raw])
    result = response.tx_results[0]
    assert (result.codespace, result.code) == expected
    if expected[1] == 4:
        assert "is not allowed to receive funds" in result.log
    assert after == (before[0] - 10, before[1], before[2] + 1)
    assert result.data == b""
    assert {event.type for event in result.events} <= {
        "tx",
        "coin_spent",
        "coin_received",
        "transfer",
        "message",
    }


def test_check_tx_sees_effects_of_admitted_txs(app) -> None:
    to_carol = signed(
        BOB, [send_msg(BOB, CAROL.bech32, [coin(50)])], sequence=0, account_number=BOB_NUMBER
    )
    from_carol = signed(
        CAROL, [send_msg(CAROL, BOB.bech32, [coin(20)])], sequence=0, account_number=BOB_NUMBER + 1
    )
    assert check(app, from_carol).code == 9  # Carol has no account yet
    assert check(app, to_carol).code == 0
    assert check(app, from_carol).code == 0  # funded by the pending tx
    response = run_block(app, [to_carol, from_carol])
    assert [result.code for result in response.tx_results] == [0, 0]
    assert balance(app, CAROL.bech32) == 30


def test_one_result_per_tx_and_failures_isolated(app) -> None:
    good = alice_send(sequence=0)
    response = run_block(app, [b"junk", good, alice_send(sequence=0, amount=3)])
    assert [r.code for r in response.tx_results] == [2, 0, 32]


def test_min_gas_prices_enforced_in_check_tx_only() -> None:
    application = make_app(min_gas_prices=DecCoins.parse("0.025uxprt"))
    init_chain(application)
    run_block(application, [])
    cheap = alice_send(fee="4999uxprt")
    response = check(application, cheap)
    assert (response.codespace, response.code) == ("sdk", 13)
    assert "insufficient fees" in response.log
    assert check(application, alice_send(fee="5000uxprt")).code == 0
    assert run_block(application, [cheap]).tx_results[0].code == 0


def test_block_gas_limit_in_ante_and_proposals() -> None:
    application = make_app()
    init_chain(application, max_gas=300_000)
    run_block(application, [])
    too_big = alice_send(gas=300_001)
    assert check(application, too_big).code == 41
    first = alice_send(sequence=0, gas=200_000)
    second = alice_send(sequence=1, gas=200_000)
    prepared = application.prepare_proposal(
        abci.RequestPrepareProposal(txs=[b"junk", first, second], max_tx_bytes=10**6)
    )
    assert list(prepared.txs) == [first]
    accept = application.process_proposal(abci.RequestProcessProposal(txs=[first, b"junk"]))
    assert accept.status == abci.ResponseProcessProposal.ACCEPT
    reject = application.process_proposal(abci.RequestProcessProposal(txs=[first, second]))
    assert reject.status == abci.ResponseProcessProposal.REJECT


def test_prepare_proposal_respects_max_tx_bytes(app) -> None:
    txs = [alice_send(sequence=i) for i in range(3)]
    limit = len(txs[0]) + len(txs[1])
    prepared = app.prepare_proposal(abci.RequestPrepareProposal(txs=txs, max_tx_bytes=limit))
    assert list(prepared.txs) == txs[:2]


def test_simulate_reports_gas_and_events_without_changing_state(app) -> None:
    raw = alice_send(sequence=0)
    request = service_pb2.SimulateRequest(tx_bytes=raw)
    response = app.query(
        abci.RequestQuery(
            path="/cosmos.tx.v1beta1.Service/Simulate", data=request.SerializeToString()
        )
    )
    assert response.code == 0, response.log
    simulated = service_pb2.SimulateResponse.FromString(response.value)
    assert simulated.gas_info.gas_used > 0
    assert any(event.type == "transfer" for event in simulated.result.events)
    assert simulated.result.msg_responses[0].type_url.endswith("MsgSendResponse")
    assert check(app, raw).code == 0  # the sequence was not consumed
    executed = run_block(app, [raw]).tx_results[0]
    assert executed.gas_used >= simulated.gas_info.gas_used - 1000 * 1  # no signature check


def test_query_errors_and_store_reads(app) -> None:
    unknown = app.query(abci.RequestQuery(path="/nope"))
    assert (unknown.codespace, unknown.code) == ("sdk", 6)
    assert "unknown query path" in unknown.log
    bad = query(
        app,
        "/cosmos.bank.v1beta1.Query/Balance",
        bank_query.QueryBalanceRequest(address="x", denom=DENOM),
    )
    assert bad.code == 7
    future = query(
        app,
        "/cosmos.bank.v1beta1.Query/Balance",
        bank_query.QueryBalanceRequest(address=ALICE.bech32, denom=DENOM),
        99,
    )
    assert future.code != 0
    raw = app.query(abci.RequestQuery(path="/store/consensus/key", data=b"\x00", prove=True))
    assert raw.code == 0 and raw.value == b"persistence-devnet-1"
    assert raw.height == 1
    assert len(raw.proof_ops.ops) == 2


def test_query_at_past_height(app) -> None:
    run_block(app, [alice_send(sequence=0)])
    assert balance(app, BOB.bech32, height=1) == 1_000_000
    assert balance(app, BOB.bech32, height=2) == 1_000_100


def test_multi_message_tx_is_atomic(app) -> None:
    messages = [send_msg(ALICE, BOB.bech32, [coin(5)]), send_msg(ALICE, BOB.bech32, [coin(10**9)])]
    raw = signed(ALICE, messages, sequence=0, account_number=ALICE_NUMBER)
    before, after, response = _state_after_block(app, [raw])
    assert response.tx_results[0].code == 5
    assert after == (before[0], before[1], before[2] + 1)


def test_info_after_reopening_leveldb(tmp_path) -> None:
    path = str(tmp_path / "db")
    database = LevelDatabase(path)
    application = make_app(database)
    init_chain(application)
    run_block(application, [])
    response = run_block(application, [alice_send(sequence=0)])
    database.close()
    reopened = make_app(LevelDatabase(path))
    info = reopened.info(abci.RequestInfo())
    assert info.last_block_height == 2
    assert info.last_block_app_hash == response.app_hash
    assert info.app_version == 1
    assert balance(reopened, BOB.bech32) == 1_000_100
    assert check(reopened, alice_send(sequence=1)).code == 0
    follow = run_block(reopened, [alice_send(sequence=1)])
    assert follow.tx_results[0].code == 0


def test_on_disconnect_allows_refinalizing_the_same_block(app) -> None:
    tx = alice_send(sequence=0)
    first = finalize(app, [tx], 2)
    app.on_disconnect()
    second = finalize(app, [tx], 2)
    assert first.app_hash == second.app_hash
    app.commit(abci.RequestCommit())
    assert app.info(abci.RequestInfo()).last_block_height == 2


def test_update_params_requires_gov_authority(app) -> None:
    msg = bank_tx.MsgUpdateParams(authority=ALICE.bech32)
    msg.params.default_send_enabled = False
    raw = signed(ALICE, [msg], sequence=0, account_number=ALICE_NUMBER)
    result = run_block(app, [raw]).tx_results[0]
    assert (result.codespace, result.code) == ("sdk", 4)
    assert "invalid authority" in result.log


def _break_send_handler(app, error: Exception) -> None:
    route = app.chain.msg_router.route("/cosmos.bank.v1beta1.MsgSend")

    def broken(ctx, msg):
        route_handle(ctx, msg)  # changes state first: the branch must be discarded
        raise error

    route_handle = route.handle
    object.__setattr__(route, "handle", broken)


def test_unexpected_exception_in_a_message_is_code_1_and_discarded(app) -> None:
    _break_send_handler(app, KeyError("secret"))
    before, after, response = _state_after_block(app, [alice_send(sequence=0)])
    result = response.tx_results[0]
    assert (result.codespace, result.code, result.log) == ("sdk", 1, "internal error")
    assert after == (before[0] - 10, before[1], before[2] + 1)


def test_invariant_violation_halts(app) -> None:
    _break_send_handler(app, InvariantViolation("supply broken"))
    with pytest.raises(InvariantViolation):
        finalize(app, [alice_send(sequence=0)], 2)


def test_unexpected_exception_in_query_is_code_1(app) -> None:
    route = app.chain.query_router.route("/cosmos.bank.v1beta1.Query/Params")

    def broken(ctx, request):
        raise RuntimeError("boom")

    object.__setattr__(route, "handle", broken)
    response = query(app, "/cosmos.bank.v1beta1.Query/Params", bank_query.QueryParamsRequest())
    assert (response.codespace, response.code, response.log) == ("sdk", 1, "internal error")
