"""CheckTx, RECHECK and FinalizeBlock run the same tx to the same answer, whatever they skip."""

from __future__ import annotations

import pytest

from app.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from app.pb.tendermint.abci import types_pb2 as abci
from app.types import DecCoins
from tests.chain.helpers import (
    ALICE,
    BOB,
    CAROL,
    check,
    coin,
    init_chain,
    make_app,
    query,
    run_block,
    send_msg,
    signed,
)


def account_info(app, address: str) -> auth_query.QueryAccountInfoResponse:
    response = query(
        app,
        "/cosmos.auth.v1beta1.Query/AccountInfo",
        auth_query.QueryAccountInfoRequest(address=address),
    )
    assert response.code == 0, response.log
    return auth_query.QueryAccountInfoResponse.FromString(response.value)


@pytest.fixture
def app():
    application = make_app(min_gas_prices=DecCoins.parse("0.0001uxprt"))
    init_chain(application)
    run_block(application, [])
    return application


def alice_tx(app, messages, *, sequence: int = 0, fee: str = "30uxprt") -> bytes:
    number = account_info(app, ALICE.bech32).info.account_number
    return signed(ALICE, messages, sequence=sequence, account_number=number, fee=fee)


def test_check_tx_recheck_and_block_charge_the_same_gas(app) -> None:
    txs = [
        alice_tx(app, [send_msg(ALICE, BOB.bech32, [coin(5)])]),
        alice_tx(app, [send_msg(ALICE, CAROL.bech32, [coin(7)])], sequence=1),
    ]
    checked = [check(app, raw) for raw in txs]
    assert [answer.code for answer in checked] == [0, 0]
    response = run_block(app, txs)
    assert [result.code for result in response.tx_results] == [0, 0]
    assert [result.gas_used for result in response.tx_results] == [a.gas_used for a in checked]
    # Rechecked against a fresh mempool state, the same txs are one sequence behind now.
    again = [check(app, raw, recheck=True) for raw in txs]
    assert [(answer.codespace, answer.code) for answer in again] == [("sdk", 32)] * 2


def test_block_events_carry_the_ante_and_message_events(app) -> None:
    raw = alice_tx(app, [send_msg(ALICE, BOB.bech32, [coin(5)])])
    assert check(app, raw).code == 0
    result = run_block(app, [raw]).tx_results[0]
    bank_send = ["coin_spent", "coin_received", "transfer", "message"]
    ante = [*bank_send, "tx", "tx", "tx"]  # the fee's transfer, then fee, acc_seq, signature
    assert [event.type for event in result.events] == [*ante, "message", *bank_send]
    attributes = [{a.key: a.value for a in event.attributes} for event in result.events]
    assert attributes[4] == {"fee": "30uxprt", "fee_payer": ALICE.bech32}
    assert attributes[5] == {"acc_seq": f"{ALICE.bech32}/0"}
    assert attributes[7]["action"] == "/cosmos.bank.v1beta1.MsgSend"
    assert all(event.get("msg_index") == "0" for event in attributes[7:])
    assert all("msg_index" not in event for event in attributes[:7])


def test_a_failing_message_in_check_tx_leaves_no_trace_in_the_mempool_state(app) -> None:
    failing = alice_tx(
        app,
        [send_msg(ALICE, BOB.bech32, [coin(5)]), send_msg(ALICE, BOB.bech32, [coin(10**15)])],
    )
    assert (check(app, failing).codespace, check(app, failing).code) == ("sdk", 5)
    # Neither the fee nor the sequence was taken: sequence 0 is still the one to use.
    follow_up = alice_tx(app, [send_msg(ALICE, BOB.bech32, [coin(5)])])
    assert check(app, follow_up).code == 0


def test_recheck_still_refuses_a_tx_whose_messages_now_fail(app) -> None:
    spend_all = alice_tx(app, [send_msg(ALICE, BOB.bech32, [coin(999_000)])], fee="30uxprt")
    small = alice_tx(app, [send_msg(ALICE, BOB.bech32, [coin(900_000)])], sequence=1)
    assert check(app, small).code == 32  # sequence 1 before 0 was admitted
    assert check(app, spend_all).code == 0
    assert check(app, small).code == 5  # the mempool state is already spent
    run_block(app, [spend_all])
    answer = app.check_tx(abci.RequestCheckTx(tx=small, type=abci.RECHECK))
    assert (answer.codespace, answer.code) == ("sdk", 5)
