"""CometBFT-backed commands: query tx|txs|block and comet show-*."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from app.cli.comet import events_query
from app.codec import pack_any
from app.crypto import ed25519
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.tx.v1beta1 import tx_pb2
from app.types import address_from_ed25519_pubkey, cons_to_bech32
from tests.cli.conftest import ClientHome, FakeNode

RECIPIENT = "persistence1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53w2dgc"


def raw_send_tx(memo: str) -> bytes:
    body = tx_pb2.TxBody(
        messages=[pack_any(bank_tx.MsgSend(to_address=RECIPIENT))], memo=memo
    ).SerializeToString()
    auth_info = tx_pb2.AuthInfo(fee=tx_pb2.Fee(gas_limit=100)).SerializeToString()
    return tx_pb2.TxRaw(
        body_bytes=body, auth_info_bytes=auth_info, signatures=[b"s" * 64]
    ).SerializeToString()


def indexed(raw: bytes, height: int, code: int = 0) -> dict[str, Any]:
    result: dict[str, Any] = {"gas_wanted": "100", "gas_used": "90", "log": ""}
    if code:
        result |= {"code": code, "codespace": "sdk", "log": "out of gas"}
    return {
        "hash": hashlib.sha256(raw).hexdigest().upper(),
        "height": str(height),
        "index": 0,
        "tx": base64.b64encode(raw).decode(),
        "tx_result": result,
    }


def serve_blocks(fake_node: FakeNode) -> list[str]:
    asked: list[str] = []

    def block(params: dict[str, Any]) -> dict[str, Any]:
        asked.append(params.get("height", "latest"))
        second = int(params.get("height", "1")) % 60
        return {"block": {"header": {"time": f"2026-01-02T03:04:{second:02d}.5Z"}}}

    fake_node.methods["block"] = block
    return asked


def test_query_tx_decodes_the_tx_and_adds_the_block_time(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    raw = raw_send_tx("memo!")
    fake_node.methods["tx"] = lambda _: indexed(raw, 8, code=11)
    serve_blocks(fake_node)
    tx_hash = hashlib.sha256(raw).hexdigest().upper()
    outcome = client_home.run("q", "tx", tx_hash, "-o", "json")
    assert outcome.code == 0, outcome.stderr
    response = json.loads(outcome.stdout)
    assert response["txhash"] == tx_hash and response["height"] == "8"
    assert (response["code"], response["codespace"], response["raw_log"]) == (
        11,
        "sdk",
        "out of gas",
    )
    assert response["timestamp"] == "2026-01-02T03:04:08Z"
    assert response["tx"]["body"]["memo"] == "memo!"
    assert response["tx"]["body"]["messages"][0]["@type"] == "/cosmos.bank.v1beta1.MsgSend"
    assert response["tx"]["signatures"] == [base64.b64encode(b"s" * 64).decode()]


def test_query_tx_refuses_a_non_hex_hash(client_home: ClientHome, fake_node: FakeNode) -> None:
    outcome = client_home.run("q", "tx", "not-hex")
    assert (
        outcome.code == 1 and outcome.stderr == "Error: invalid tx hash 'not-hex': expected hex\n"
    )
    assert fake_node.calls == []


def test_query_txs_builds_the_event_query_and_pages(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    raws = [raw_send_tx("a"), raw_send_tx("b"), raw_send_tx("c")]
    fake_node.methods["tx_search"] = lambda _: {
        "txs": [indexed(raws[0], 4), indexed(raws[1], 4), indexed(raws[2], 9)],
        "total_count": "7",
    }
    asked_blocks = serve_blocks(fake_node)
    outcome = client_home.run(
        "q", "txs", "--events", f"transfer.recipient={RECIPIENT}&message.module=bank",
        "--events", "message.action=send", "--limit", "3", "--page", "2", "-o", "json",
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    [params] = fake_node.called("tx_search")
    assert params["query"] == (
        f"transfer.recipient='{RECIPIENT}' AND message.module='bank' AND message.action='send'"
    )
    assert (params["page"], params["per_page"], params["order_by"]) == ("2", "3", "asc")
    result = json.loads(outcome.stdout)
    paging = ("total_count", "count", "page_number", "page_total", "limit")
    assert [result[key] for key in paging] == ["7", "3", "2", "3", "3"]
    assert [tx["tx"]["body"]["memo"] for tx in result["txs"]] == ["a", "b", "c"]
    assert asked_blocks == ["4", "9"]


def test_events_query_quotes_values_and_joins_with_and() -> None:
    assert events_query(("transfer.recipient=abc",)) == "transfer.recipient='abc'"
    assert events_query(("a.b=1&c.d='x y'", "e.f=2")) == "a.b='1' AND c.d='x y' AND e.f='2'"
    assert events_query(()) == ""
    for bad in ("nodot=1", "a.b=", "a.b"):
        with pytest.raises(ValueError, match=r"expected type\.attribute=value"):
            events_query((bad,))


def test_query_txs_raw_query_and_missing_query(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    fake_node.methods["tx_search"] = lambda _: {"txs": [], "total_count": "0"}
    outcome = client_home.run("q", "txs", "--query", "tx.height>=5", "--order-by", "desc")
    assert outcome.code == 0, outcome.stderr
    [params] = fake_node.called("tx_search")
    assert (params["query"], params["order_by"]) == ("tx.height>=5", "desc")
    assert 'total_count: "0"' in outcome.stdout and "txs: []" in outcome.stdout
    assert client_home.run("q", "txs").code == 2


def test_query_block_latest_and_by_height(client_home: ClientHome, fake_node: FakeNode) -> None:
    asked = serve_blocks(fake_node)
    assert client_home.run("q", "block").code == 0
    outcome = client_home.run("q", "block", "7")
    assert outcome.code == 0
    assert json.loads(outcome.stdout)["block"]["header"]["time"] == "2026-01-02T03:04:07.5Z"
    assert asked == ["latest", "7"]


def test_comet_show_validator_address_and_node_id(tmp_path: Any) -> None:
    from tests.cli.conftest import run_allianced

    validator_key, node_key = ed25519.generate(), ed25519.generate()
    ed25519.save_priv_validator_key(tmp_path / "config" / "priv_validator_key.json", validator_key)
    ed25519.save_node_key(tmp_path / "config" / "node_key.json", node_key)
    pub = validator_key.public_key.key

    shown = run_allianced("comet", "show-validator", "--home", str(tmp_path))
    assert shown.code == 0, shown.stderr
    assert json.loads(shown.stdout) == {
        "@type": "/cosmos.crypto.ed25519.PubKey",
        "key": base64.b64encode(pub).decode(),
    }
    address = run_allianced("--home", str(tmp_path), "comet", "show-address")
    assert address.stdout.strip() == cons_to_bech32(address_from_ed25519_pubkey(pub))
    assert address.stdout.startswith("persistencevalcons1")
    node_id = run_allianced("--home", str(tmp_path), "tendermint", "show-node-id")
    assert node_id.stdout.strip() == hashlib.sha256(node_key.public_key.key).hexdigest()[:40]


def test_comet_show_validator_without_a_key_file(tmp_path: Any) -> None:
    from tests.cli.conftest import run_allianced

    outcome = run_allianced("comet", "show-validator", "--home", str(tmp_path))
    assert outcome.code == 1 and outcome.stderr.count("\n") == 1
    assert "priv_validator_key.json" in outcome.stderr
