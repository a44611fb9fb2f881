"""The RPC client against a local HTTP server speaking CometBFT's JSON encodings."""

from __future__ import annotations

import base64
import hashlib
import socket
from typing import Any

import httpx
import pytest

from app.cli.rpc import (
    NodeUnreachableError,
    QueryError,
    RpcClient,
    RpcError,
    TxNotFoundError,
    http_url,
)
from app.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from app.pb.cosmos.base.v1beta1 import coin_pb2
from tests.cli.conftest import AbciFailure, FakeNode, RpcFailure

TX = b"\x0a\x03abc"
TX_HASH = hashlib.sha256(TX).hexdigest().upper()


def included(height: int = 7) -> dict[str, Any]:
    return {
        "hash": TX_HASH,
        "height": str(height),
        "index": 0,
        "tx": base64.b64encode(TX).decode(),
        "tx_result": {
            "data": base64.b64encode(b"\x01\x02").decode(),
            "log": "",
            "gas_wanted": "200000",
            "gas_used": "51234",
            "events": [
                {
                    "type": "transfer",
                    "attributes": [{"key": "amount", "value": "5uxprt", "index": True}],
                }
            ],
        },
    }


def test_http_url_accepts_cometbft_and_http_addresses() -> None:
    assert http_url("tcp://127.0.0.1:26657") == "http://127.0.0.1:26657"
    assert http_url("http://localhost:1") == "http://localhost:1"
    for bad in ("127.0.0.1:26657", "udp://x:1", "tcp://"):
        with pytest.raises(ValueError, match="invalid node address"):
            http_url(bad)


def test_status_posts_json_rpc_and_returns_result(fake_node: FakeNode) -> None:
    fake_node.methods["status"] = lambda _: {"sync_info": {"latest_block_height": "12"}}
    with RpcClient(fake_node.url) as rpc:
        assert rpc.status()["sync_info"]["latest_block_height"] == "12"
    assert fake_node.calls == [("status", {})]


def test_abci_query_sends_hex_data_and_string_height(fake_node: FakeNode) -> None:
    request = bank_query.QueryBalanceRequest(address="persistence1x", denom="uxprt")
    answer = bank_query.QueryBalanceResponse(balance=coin_pb2.Coin(denom="uxprt", amount="42"))
    seen: list[tuple[bytes, int]] = []

    def balance(data: bytes, height: int) -> bank_query.QueryBalanceResponse:
        seen.append((data, height))
        return answer

    fake_node.abci["/cosmos.bank.v1beta1.Query/Balance"] = balance
    with RpcClient(fake_node.url) as rpc:
        reply = rpc.query_grpc(
            "/cosmos.bank.v1beta1.Query/Balance", request, bank_query.QueryBalanceResponse, 9
        )
    assert reply == answer
    assert seen == [(request.SerializeToString(), 9)]
    params = fake_node.called("abci_query")[0]
    assert params["data"] == request.SerializeToString().hex()
    assert params["height"] == "9" and params["prove"] is False


def test_query_error_carries_codespace_code_and_log(fake_node: FakeNode) -> None:
    def fail(_data: bytes, _height: int) -> bank_query.QueryBalanceResponse:
        raise AbciFailure("sdk", 7, "invalid address")

    fake_node.abci["/cosmos.bank.v1beta1.Query/Balance"] = fail
    with RpcClient(fake_node.url) as rpc, pytest.raises(QueryError) as caught:
        rpc.query_grpc(
            "/cosmos.bank.v1beta1.Query/Balance",
            bank_query.QueryBalanceRequest(),
            bank_query.QueryBalanceResponse,
        )
    error = caught.value
    assert (error.codespace, error.code, error.log) == ("sdk", 7, "invalid address")
    assert "codespace=sdk code=7" in str(error) and "\n" not in str(error)


def test_broadcast_tx_sync_sends_base64_and_reads_hex(fake_node: FakeNode) -> None:
    fake_node.methods["broadcast_tx_sync"] = lambda _: {
        "code": 5,
        "data": "0A0B",
        "log": "insufficient funds",
        "codespace": "sdk",
        "hash": TX_HASH.lower(),
    }
    with RpcClient(fake_node.url) as rpc:
        result = rpc.broadcast_tx_sync(TX)
    assert fake_node.called("broadcast_tx_sync") == [{"tx": base64.b64encode(TX).decode()}]
    assert (result.code, result.codespace, result.log) == (5, "sdk", "insufficient funds")
    assert result.data == b"\x0a\x0b" and result.hash == TX_HASH


def test_tx_decodes_result_with_missing_fields_as_zero(fake_node: FakeNode) -> None:
    fake_node.methods["tx"] = lambda _: included()
    with RpcClient(fake_node.url) as rpc:
        found = rpc.tx(TX_HASH)
    assert fake_node.called("tx") == [{"hash": base64.b64encode(bytes.fromhex(TX_HASH)).decode()}]
    assert (found.hash, found.height, found.index, found.tx) == (TX_HASH, 7, 0, TX)
    assert found.result.code == 0 and found.result.gas_used == 51234
    assert found.result.data == b"\x01\x02"
    assert found.result.events[0].attributes[0].value == "5uxprt"


def test_tx_not_found_is_its_own_error(fake_node: FakeNode) -> None:
    def missing(_: dict[str, Any]) -> dict[str, Any]:
        raise RpcFailure(-32603, "Internal error", f"tx ({TX_HASH}) not found")

    fake_node.methods["tx"] = missing
    with RpcClient(fake_node.url) as rpc, pytest.raises(TxNotFoundError):
        rpc.tx(TX_HASH)


def test_other_rpc_errors_keep_code_message_and_data(fake_node: FakeNode) -> None:
    def full(_: dict[str, Any]) -> dict[str, Any]:
        raise RpcFailure(-32603, "Internal error", "mempool is full")

    fake_node.methods["broadcast_tx_sync"] = full
    with RpcClient(fake_node.url) as rpc, pytest.raises(RpcError) as caught:
        rpc.broadcast_tx_sync(TX)
    assert not isinstance(caught.value, TxNotFoundError)
    assert str(caught.value) == "RPC error -32603: Internal error: mempool is full"


def test_tx_search_sends_string_ints_and_counts(fake_node: FakeNode) -> None:
    fake_node.methods["tx_search"] = lambda _: {"txs": [included(3)], "total_count": "31"}
    with RpcClient(fake_node.url) as rpc:
        found = rpc.tx_search("tx.height=3", page=2, per_page=30, order_by="desc")
    assert fake_node.called("tx_search") == [
        {"query": "tx.height=3", "prove": False, "page": "2", "per_page": "30", "order_by": "desc"}
    ]
    assert found.total_count == 31 and [tx.height for tx in found.txs] == [3]


def test_block_omits_height_zero_for_latest(fake_node: FakeNode) -> None:
    fake_node.methods["block"] = lambda params: {"asked": params}
    fake_node.methods["block_results"] = lambda params: {"asked": params}
    fake_node.methods["validators"] = lambda params: {"asked": params}
    with RpcClient(fake_node.url) as rpc:
        assert rpc.block()["asked"] == {}
        assert rpc.block(5)["asked"] == {"height": "5"}
        assert rpc.block_results(6)["asked"] == {"height": "6"}
        assert rpc.validators(0, page=2, per_page=10)["asked"] == {"page": "2", "per_page": "10"}


def test_abci_info_decodes_response_info(fake_node: FakeNode) -> None:
    app_hash = base64.b64encode(b"\xaa" * 32).decode()
    fake_node.methods["abci_info"] = lambda _: {
        "response": {"version": "1", "last_block_height": "44", "last_block_app_hash": app_hash}
    }
    with RpcClient(fake_node.url) as rpc:
        info = rpc.abci_info()
    assert info.last_block_height == 44 and info.last_block_app_hash == b"\xaa" * 32


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_node_is_one_clear_line() -> None:
    node = f"tcp://127.0.0.1:{closed_port()}"
    with RpcClient(node) as rpc, pytest.raises(NodeUnreachableError) as caught:
        rpc.status()
    assert str(caught.value) == f"cannot reach node at {node}: connection refused"


def test_an_answer_that_is_not_json_rpc_is_reported() -> None:
    transport = httpx.MockTransport(lambda _request: httpx.Response(502, text="bad gateway"))
    with (
        RpcClient("tcp://node:1", transport=transport) as rpc,
        pytest.raises(NodeUnreachableError, match="HTTP 502 is not JSON-RPC"),
    ):
        rpc.status()


def test_timeouts_are_reported_as_such() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with (
        RpcClient("tcp://node:1", transport=httpx.MockTransport(slow)) as rpc,
        pytest.raises(NodeUnreachableError, match=r"tcp://node:1: timed out$"),
    ):
        rpc.abci_info()
