"""The foundation's user story against a real CometBFT node: keys, sends, queries, bad input."""

from __future__ import annotations

import json
import os

import pytest

from app.crypto.hd import derive_private_key
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.tx import Signer, build_signed_tx
from app.types import Coins
from tests.support.chain import RunningChain

pytestmark = pytest.mark.integration


def balance_of(chain: RunningChain, address: str, denom: str = "uxprt") -> int:
    reply = chain.cli_json("query", "bank", "balances", address)
    amounts = {entry["denom"]: int(entry["amount"]) for entry in reply["balances"]}
    return amounts.get(denom, 0)


def test_readme_flow_with_the_real_executable(chain: RunningChain) -> None:
    added = chain.run("keys", "add", "alice", "-o", "json")
    assert added.returncode == 0, added.stderr
    alice = json.loads(added.stdout)["address"]
    assert alice.startswith("persistence1")

    sent = chain.run(
        "tx", "bank", "send", "user1", alice, "1000uxprt", "--wait", "-y", "-o", "json"
    )
    assert sent.returncode == 0, sent.stderr
    response = json.loads(sent.stdout)
    assert response.get("code", 0) == 0
    assert int(response["height"]) > 0
    event_types = {event["type"] for event in response["events"]}
    assert {"transfer", "coin_spent", "coin_received", "message", "tx"} <= event_types

    queried = chain.run("query", "bank", "balances", alice, "-o", "json")
    assert queried.returncode == 0, queried.stderr
    assert json.loads(queried.stdout)["balances"] == [{"denom": "uxprt", "amount": "1000"}]


STTIA = "ibc/C022B02D049EBEF1F34B488AA27E87D074C689FFD218E9ABDB4C5854AD4A7335"


def supply_of(chain: RunningChain, denom: str) -> int:
    reply = chain.cli_json("query", "bank", "total")
    return sum(int(coin["amount"]) for coin in reply["supply"] if coin["denom"] == denom)


def test_send_moves_exactly_the_amount_and_supply_is_unchanged(chain: RunningChain) -> None:
    # stTIA: uxprt supply grows every block by inflation, an alliance asset's does not.
    sender, recipient = chain.address("user2"), chain.address("user3")
    supply_before = supply_of(chain, STTIA)
    before_sender = balance_of(chain, sender, STTIA)
    before_recipient = balance_of(chain, recipient, STTIA)

    reply = chain.cli_json(
        "tx", "bank", "send", "user2", recipient, f"12345{STTIA}", "--wait", "-y"
    )
    assert reply.get("code", 0) == 0

    assert balance_of(chain, recipient, STTIA) == before_recipient + 12345
    assert balance_of(chain, sender, STTIA) == before_sender - 12345
    assert supply_of(chain, STTIA) == supply_before


def test_multi_send_pays_every_output(chain: RunningChain) -> None:
    targets = [chain.address("validator1"), chain.address("validator2")]
    before = [balance_of(chain, address) for address in targets]
    reply = chain.cli_json("tx", "bank", "multi-send", "user3", *targets, "7uxprt", "--wait", "-y")
    assert reply.get("code", 0) == 0
    assert [balance_of(chain, address) for address in targets] == [b + 7 for b in before]


def test_query_tx_and_search_by_event(chain: RunningChain) -> None:
    recipient = chain.address("validator3")
    reply = chain.cli_json("tx", "bank", "send", "user1", recipient, "99uxprt", "--wait", "-y")
    txhash = reply["txhash"]

    found = chain.cli_json("query", "tx", txhash)
    assert found["txhash"] == txhash
    assert found["tx"]["body"]["messages"][0]["@type"] == "/cosmos.bank.v1beta1.MsgSend"

    search = chain.cli_json("query", "txs", "--events", f"transfer.recipient={recipient}")
    hashes = [tx["txhash"] for tx in search.get("txs", search.get("tx_responses", []))]
    assert txhash in hashes


def test_account_query_shows_number_and_sequence(chain: RunningChain) -> None:
    account = chain.cli_json("query", "auth", "account", chain.address("user1"))
    body = account.get("account", account)
    assert body["address"] == chain.address("user1")
    assert int(body["sequence"]) >= 1


def test_bad_transactions_get_codes_and_the_node_keeps_going(chain: RunningChain) -> None:
    rpc = chain.rpc()
    start_height = chain.height()

    garbage = rpc.broadcast_tx_sync(os.urandom(200))
    assert garbage.code != 0 and garbage.log

    key = derive_private_key(chain.keys["user2"].mnemonic)
    signer = Signer(public_key=key.public_key.key, sign=key.sign)
    account = chain.cli_json("query", "auth", "account", chain.address("user2"))
    account = account.get("account", account)
    send = bank_tx.MsgSend(
        from_address=chain.address("user2"),
        to_address=chain.address("user1"),
        amount=[coin_pb2.Coin(denom="uxprt", amount="1")],
    )
    common = {
        "account_number": int(account["account_number"]),
        "fee": Coins.parse(""),
        "gas_limit": 200_000,
    }
    wrong_chain = build_signed_tx(
        [send], signer, chain_id="another-chain", sequence=int(account["sequence"]), **common
    )
    reply = rpc.broadcast_tx_sync(wrong_chain)
    assert reply.code != 0 and "signature" in reply.log.lower()

    stale = build_signed_tx(
        [send], signer, chain_id=chain.chain_id, sequence=int(account["sequence"]) - 1, **common
    )
    reply = rpc.broadcast_tx_sync(stale)
    assert reply.code == 32 and "sequence" in reply.log

    too_much = chain.cli(
        "tx",
        "bank",
        "send",
        "user2",
        chain.address("user1"),
        "10000000000000000uxprt",
        "--wait",
        "-y",
    )
    assert too_much.exit_code == 1
    assert "insufficient funds" in too_much.output
    assert "Traceback" not in too_much.output

    chain.wait_for_height(start_height + 2)
    reply = chain.cli_json(
        "tx", "bank", "send", "user2", chain.address("user1"), "1uxprt", "--wait", "-y"
    )
    assert reply.get("code", 0) == 0


def test_status_and_validator_key(chain: RunningChain) -> None:
    status = chain.cli_json("status")
    text = json.dumps(status)
    assert chain.chain_id in text
    shown = chain.cli("comet", "show-validator", "--home", str(chain.home.root))
    assert shown.exit_code == 0, shown.output
    assert "/cosmos.crypto.ed25519.PubKey" in shown.output


def test_unreachable_node_is_one_line_and_exit_1(chain: RunningChain) -> None:
    result = chain.run(
        "query", "bank", "balances", chain.address("user1"), "--node", "tcp://127.0.0.1:1"
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
