"""`tx bank send|multi-send` and the shared tx flow against a fake node."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from app.cli.txs import compute_adjusted_gas, compute_fee_from_gas_prices
from app.codec import pack_any
from app.crypto.secp256k1 import PublicKey
from app.pb.cosmos.auth.v1beta1 import auth_pb2
from app.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.base.abci.v1beta1 import abci_pb2
from app.pb.cosmos.tx.v1beta1 import service_pb2, tx_pb2
from app.tx import sign_doc_bytes
from app.types import Coins, DecCoins
from tests.cli.conftest import TEST_CHAIN_ID, AbciFailure, ClientHome, FakeNode, RpcFailure

RECIPIENT = "persistence1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53w2dgc"
OTHER = "persistence1qgpqyqszqgpqyqszqgpqyqszqgpqyqszdmpggw"
ACCOUNT_NUMBER, SEQUENCE = 7, 3
BLOCK_TIME = "2026-03-04T05:06:07.891234567Z"


@pytest.fixture
def chain(fake_node: FakeNode, client_home: ClientHome) -> dict[str, Any]:
    """A fake chain that knows user1's account, accepts txs and simulates at 61_000 gas."""
    state: dict[str, Any] = {"broadcast": [], "simulated": [], "pending_polls": 0, "code": 0}

    def account(data: bytes, _height: int) -> auth_query.QueryAccountResponse:
        request = auth_query.QueryAccountRequest.FromString(data)
        if request.address != client_home.user.bech32_address:
            raise AbciFailure("sdk", 22, f"account {request.address} not found")
        base = auth_pb2.BaseAccount(
            address=request.address, account_number=ACCOUNT_NUMBER, sequence=SEQUENCE
        )
        return auth_query.QueryAccountResponse(account=pack_any(base))

    def simulate(data: bytes, _height: int) -> service_pb2.SimulateResponse:
        state["simulated"].append(service_pb2.SimulateRequest.FromString(data).tx_bytes)
        return service_pb2.SimulateResponse(gas_info=abci_pb2.GasInfo(gas_used=61_000))

    def broadcast(params: dict[str, Any]) -> dict[str, Any]:
        raw = base64.b64decode(params["tx"])
        state["broadcast"].append(raw)
        return {"code": 0, "data": "", "log": "", "codespace": "", "hash": tx_hash(raw)}

    def tx(params: dict[str, Any]) -> dict[str, Any]:
        if state["pending_polls"] > 0:
            state["pending_polls"] -= 1
            raise RpcFailure(-32603, "Internal error", "tx (X) not found")
        raw = state["broadcast"][-1]
        result: dict[str, Any] = {"log": "", "gas_wanted": "200000", "gas_used": "58000"}
        if state["code"]:
            result |= {"code": state["code"], "codespace": "sdk", "log": "insufficient funds"}
        result["events"] = [
            {"type": "transfer", "attributes": [{"key": "recipient", "value": RECIPIENT}]}
        ]
        return {
            "hash": tx_hash(raw),
            "height": "12",
            "index": 0,
            "tx": base64.b64encode(raw).decode(),
            "tx_result": result,
        }

    fake_node.abci["/cosmos.auth.v1beta1.Query/Account"] = account
    fake_node.abci["/cosmos.tx.v1beta1.Service/Simulate"] = simulate
    fake_node.methods["broadcast_tx_sync"] = broadcast
    fake_node.methods["tx"] = tx
    fake_node.methods["block"] = lambda _: {"block": {"header": {"time": BLOCK_TIME}}}
    return state


def tx_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest().upper()


def decode(raw: bytes) -> tuple[tx_pb2.TxRaw, tx_pb2.TxBody, tx_pb2.AuthInfo]:
    tx_raw = tx_pb2.TxRaw.FromString(raw)
    body = tx_pb2.TxBody.FromString(tx_raw.body_bytes)
    return tx_raw, body, tx_pb2.AuthInfo.FromString(tx_raw.auth_info_bytes)


def test_send_signs_with_the_account_numbers_and_prints_the_broadcast_result(
    client_home: ClientHome, chain: dict[str, Any]
) -> None:
    outcome = client_home.run(
        "tx", "bank", "send", "user1", RECIPIENT, "1000uxprt,5stake", "-y", "--note", "hi"
    )
    assert outcome.code == 0, outcome.stderr
    [raw] = chain["broadcast"]
    tx_raw, body, auth_info = decode(raw)
    [message] = body.messages
    send = bank_tx.MsgSend.FromString(message.value)
    assert message.type_url == "/cosmos.bank.v1beta1.MsgSend"
    assert send.from_address == client_home.user.bech32_address
    assert send.to_address == RECIPIENT
    assert [(c.denom, c.amount) for c in send.amount] == [("stake", "5"), ("uxprt", "1000")]
    assert body.memo == "hi"
    assert auth_info.signer_infos[0].sequence == SEQUENCE
    assert auth_info.fee.gas_limit == 200_000 and list(auth_info.fee.amount) == []
    doc = sign_doc_bytes(tx_raw.body_bytes, tx_raw.auth_info_bytes, TEST_CHAIN_ID, ACCOUNT_NUMBER)
    assert PublicKey(client_home.user.pubkey).verify(doc, tx_raw.signatures[0])
    printed = json.loads(outcome.stdout)
    assert printed["txhash"] == tx_hash(raw) and printed["code"] == 0


def test_wait_polls_until_included_and_prints_the_full_tx_response(
    client_home: ClientHome, chain: dict[str, Any]
) -> None:
    chain["pending_polls"] = 2
    outcome = client_home.run("tx", "bank", "send", "user1", RECIPIENT, "10uxprt", "-y", "--wait")
    assert outcome.code == 0, outcome.stderr
    response = json.loads(outcome.stdout)
    assert response["height"] == "12"
    assert response["gas_used"] == "58000" and response["gas_wanted"] == "200000"
    assert response["timestamp"] == "2026-03-04T05:06:07Z"
    assert response["events"][0]["type"] == "transfer"
    assert response["tx"]["@type"] == "/cosmos.tx.v1beta1.Tx"
    assert response["tx"]["body"]["messages"][0]["to_address"] == RECIPIENT
    assert "waiting for tx" in outcome.stderr


def test_wait_exits_1_when_the_tx_failed_in_the_block(
    client_home: ClientHome, chain: dict[str, Any]
) -> None:
    chain["code"] = 5
    outcome = client_home.run("tx", "bank", "send", "user1", RECIPIENT, "10uxprt", "-y", "--wait")
    assert outcome.code == 1
    assert json.loads(outcome.stdout)["code"] == 5
    [line] = outcome.stderr.strip().splitlines()[-1:]
    assert line.startswith("Error: tx ") and "code=5: insufficient funds" in line
    assert "Traceback" not in outcome.stderr


def test_check_tx_rejection_prints_the_response_and_exits_1(
    client_home: ClientHome, fake_node: FakeNode, chain: dict[str, Any]
) -> None:
    fake_node.methods["broadcast_tx_sync"] = lambda _: {
        "code": 13,
        "codespace": "sdk",
        "log": "insufficient fee",
        "data": "",
        "hash": "AB",
    }
    outcome = client_home.run("tx", "bank", "send", "user1", RECIPIENT, "10uxprt", "-y", "--wait")
    assert outcome.code == 1
    assert json.loads(outcome.stdout)["raw_log"] == "insufficient fee"
    assert (
        outcome.stderr.strip() == "Error: tx AB rejected: codespace=sdk code=13: insufficient fee"
    )
    assert fake_node.called("tx") == []


def test_wait_gives_up_after_the_timeout(client_home: ClientHome, chain: dict[str, Any]) -> None:
    chain["pending_polls"] = 10_000
    outcome = client_home.run(
        "tx", "bank", "send", "user1", RECIPIENT, "1uxprt", "-y", "--wait", "--wait-timeout", "0.3"
    )
    assert outcome.code == 1
    assert "was not included within 0.3s" in outcome.stderr.strip().splitlines()[-1]


def test_gas_auto_simulates_and_applies_the_adjustment(
    client_home: ClientHome, chain: dict[str, Any]
) -> None:
    outcome = client_home.run(
        "tx", "bank", "send", "user1", RECIPIENT, "1uxprt", "-y",
        "--gas", "auto", "--gas-adjustment", "1.5", "--gas-prices", "0.025uxprt",
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    assert len(chain["simulated"]) == 1
    _, _, auth_info = decode(chain["broadcast"][0])
    assert auth_info.fee.gas_limit == 91_500
    assert [(c.denom, c.amount) for c in auth_info.fee.amount] == [("uxprt", "2288")]


def test_dry_run_prints_the_estimate_and_broadcasts_nothing(
    client_home: ClientHome, chain: dict[str, Any]
) -> None:
    outcome = client_home.run("tx", "bank", "send", "user1", RECIPIENT, "1uxprt", "--dry-run")
    assert outcome.code == 0, outcome.stderr
    assert outcome.stderr.strip() == "gas estimate: 61000"
    assert chain["broadcast"] == [] and outcome.stdout == ""


def test_generate_only_prints_the_unsigned_tx_for_a_bare_address(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    outcome = client_home.run(
        "tx", "bank", "send", OTHER, RECIPIENT, "3uxprt", "--generate-only", "--fees", "10uxprt"
    )
    assert outcome.code == 0, outcome.stderr
    unsigned = json.loads(outcome.stdout)
    assert unsigned["body"]["messages"][0]["from_address"] == OTHER
    assert unsigned["auth_info"]["fee"] == {
        "amount": [{"denom": "uxprt", "amount": "10"}],
        "gas_limit": "200000",
        "payer": "",
        "granter": "",
    }
    assert unsigned["signatures"] == []
    assert fake_node.calls == []


def test_offline_flags_skip_the_account_query(
    client_home: ClientHome, fake_node: FakeNode, chain: dict[str, Any]
) -> None:
    outcome = client_home.run(
        "tx", "bank", "send", "user1", RECIPIENT, "1uxprt", "-y", "-a", "70", "-s", "30"
    )
    assert outcome.code == 0, outcome.stderr
    assert fake_node.called("abci_query") == []
    tx_raw, _, auth_info = decode(chain["broadcast"][0])
    assert auth_info.signer_infos[0].sequence == 30
    doc = sign_doc_bytes(tx_raw.body_bytes, tx_raw.auth_info_bytes, TEST_CHAIN_ID, 70)
    assert PublicKey(client_home.user.pubkey).verify(doc, tx_raw.signatures[0])


def test_without_yes_the_tx_is_shown_and_a_refusal_cancels(
    client_home: ClientHome, chain: dict[str, Any]
) -> None:
    outcome = client_home.run("tx", "bank", "send", "user1", RECIPIENT, "1uxprt", input="n\n")
    assert outcome.code == 0
    assert "confirm transaction before signing and broadcasting [y/N]" in outcome.stderr
    assert '"/cosmos.bank.v1beta1.MsgSend"' in outcome.stderr
    assert "canceled transaction" in outcome.stderr
    assert chain["broadcast"] == []


def test_confirming_broadcasts(client_home: ClientHome, chain: dict[str, Any]) -> None:
    outcome = client_home.run("tx", "bank", "send", "user1", RECIPIENT, "1uxprt", input="y\n")
    assert outcome.code == 0, outcome.stderr
    assert len(chain["broadcast"]) == 1


def test_multi_send_split_divides_the_amount(
    client_home: ClientHome, chain: dict[str, Any]
) -> None:
    outcome = client_home.run(
        "tx", "bank", "multi-send", "user1", RECIPIENT, OTHER, "11uxprt,4stake", "--split", "-y"
    )
    assert outcome.code == 0, outcome.stderr
    _, body, _ = decode(chain["broadcast"][0])
    multi = bank_tx.MsgMultiSend.FromString(body.messages[0].value)
    assert [o.address for o in multi.outputs] == [RECIPIENT, OTHER]
    for output in multi.outputs:
        assert [(c.denom, c.amount) for c in output.coins] == [("stake", "2"), ("uxprt", "5")]
    [sent] = multi.inputs
    assert sent.address == client_home.user.bech32_address
    assert [(c.denom, c.amount) for c in sent.coins] == [("stake", "4"), ("uxprt", "10")]


def test_multi_send_without_split_pays_each_the_amount(
    client_home: ClientHome, chain: dict[str, Any]
) -> None:
    outcome = client_home.run("tx", "bank", "multi-send", "user1", RECIPIENT, OTHER, "7uxprt", "-y")
    assert outcome.code == 0, outcome.stderr
    multi = bank_tx.MsgMultiSend.FromString(decode(chain["broadcast"][0])[1].messages[0].value)
    assert [c.amount for c in multi.inputs[0].coins] == ["14"]
    assert [[c.amount for c in o.coins] for o in multi.outputs] == [["7"], ["7"]]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["user1", RECIPIENT, "12xx!"], 1, "Error: invalid amount '12xx!'"),
        (["user1", RECIPIENT, "0uxprt"], 1, "Error: invalid amount '0uxprt': must be a positive"),
        (["user1", "cosmos1abc", "1uxprt"], 1, "Error: invalid recipient address 'cosmos1abc'"),
        (["nobody", RECIPIENT, "1uxprt"], 1, "Error: "),
        (["user1", RECIPIENT, "1uxprt", "--fees", "1uxprt", "--gas-prices", "1uxprt"], 2,
         "Error: cannot provide both --fees and --gas-prices"),
        (["user1", RECIPIENT, "1uxprt", "--gas", "lots"], 2, "Error: Invalid value for --gas"),
    ],
)  # fmt: skip
def test_bad_input_is_one_error_line(
    client_home: ClientHome, chain: dict[str, Any], args: list[str], code: int, message: str
) -> None:
    outcome = client_home.run("tx", "bank", "send", *args, "-y")
    assert outcome.code == code
    [line] = outcome.stderr.strip().splitlines()[-1:]
    assert line.startswith(message), outcome.stderr
    if code == 1:
        assert outcome.stderr.count("\n") == 1
    assert "Traceback" not in outcome.stderr
    assert chain["broadcast"] == []


def test_unknown_key_names_the_key(client_home: ClientHome, chain: dict[str, Any]) -> None:
    outcome = client_home.run("tx", "bank", "send", "nobody", RECIPIENT, "1uxprt", "-y")
    assert outcome.code == 1
    assert outcome.stderr.count("\n") == 1 and "nobody" in outcome.stderr


def test_a_sender_that_never_received_funds_is_explained(
    tmp_path: Any, client_home: ClientHome, fake_node: FakeNode, chain: dict[str, Any]
) -> None:
    outcome = client_home.run(
        "tx", "bank", "send", "user1", RECIPIENT, "1uxprt", "-y", "--keyring-backend", "test"
    )
    assert outcome.code == 0
    fake_node.abci["/cosmos.auth.v1beta1.Query/Account"] = _not_found
    outcome = client_home.run("tx", "bank", "send", "user1", RECIPIENT, "1uxprt", "-y")
    assert outcome.code == 1
    assert outcome.stderr.strip() == (
        f"Error: account {client_home.user.bech32_address} not found: it has never received funds"
    )


def _not_found(data: bytes, _height: int) -> auth_query.QueryAccountResponse:
    address = auth_query.QueryAccountRequest.FromString(data).address
    raise AbciFailure("sdk", 22, f"account {address} not found")


def test_fee_from_gas_prices_rounds_up_per_denom() -> None:
    prices = DecCoins.parse("0.025uxprt,1.5stake")
    assert compute_fee_from_gas_prices(prices, 100_001) == Coins.parse("150002stake,2501uxprt")
    assert compute_fee_from_gas_prices(DecCoins.parse("0uxprt"), 5) == Coins.parse("")


def test_adjusted_gas_truncates_like_the_sdk() -> None:
    assert compute_adjusted_gas(61_000, "1.5") == 91_500
    assert compute_adjusted_gas(3, "1.3") == 3
    assert compute_adjusted_gas(10, "1") == 10


def test_the_chain_id_comes_from_the_node_when_not_configured(
    client_home: ClientHome, fake_node: FakeNode, chain: dict[str, Any]
) -> None:
    (client_home.path / "config" / "client.toml").write_text(
        f'keyring-backend = "test"\nnode = "{fake_node.url}"\n'
    )
    fake_node.methods["status"] = lambda _: {"node_info": {"network": "from-node-7"}}
    outcome = client_home.run("tx", "bank", "send", "user1", RECIPIENT, "1uxprt", "-y")
    assert outcome.code == 0, outcome.stderr
    tx_raw, _, _ = decode(chain["broadcast"][0])
    doc = sign_doc_bytes(tx_raw.body_bytes, tx_raw.auth_info_bytes, "from-node-7", ACCOUNT_NUMBER)
    assert PublicKey(client_home.user.pubkey).verify(doc, tx_raw.signatures[0])


def test_the_chain_id_flag_is_what_gets_signed(
    client_home: ClientHome, chain: dict[str, Any]
) -> None:
    outcome = client_home.run(
        "tx", "bank", "send", "user1", RECIPIENT, "1uxprt", "-y", "--chain-id", "other-2"
    )
    assert outcome.code == 0, outcome.stderr
    tx_raw, _, _ = decode(chain["broadcast"][0])
    doc = sign_doc_bytes(tx_raw.body_bytes, tx_raw.auth_info_bytes, "other-2", ACCOUNT_NUMBER)
    assert PublicKey(client_home.user.pubkey).verify(doc, tx_raw.signatures[0])
