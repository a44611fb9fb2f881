"""A small synchronous CometBFT JSON-RPC client (v0.38), shared by the CLI, tests and benchmarks.

Errors, all one line, all catchable as `ClientError`::

    ClientError
    ├── NodeUnreachableError   nothing answered at the node address (refused, timed out, not HTTP)
    ├── RpcError               the node answered with a JSON-RPC `error` object
    │   └── TxNotFoundError    `/tx` for a hash the node has not indexed (yet)
    └── QueryError             an ABCI query answered with a non-zero code (codespace, code, log)

Encodings follow CometBFT's `libs/json` (spec/cometbft.md §8): int64 parameters are sent as
decimal strings, `[]byte` parameters as base64, `HexBytes` parameters (the `data` of
`abci_query`) as hex; results decode `ResponseQuery`, `ResponseInfo` and `ExecTxResult` from the
same proto-JSON into the generated protobuf classes, missing fields meaning zero.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import httpx
from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message

from app.pb.tendermint.abci import types_pb2 as abci

__all__ = [
    "DEFAULT_NODE",
    "BroadcastResult",
    "ClientError",
    "JSONObject",
    "NodeUnreachableError",
    "QueryError",
    "RpcClient",
    "RpcError",
    "TxNotFoundError",
    "TxResult",
    "TxSearchResult",
    "http_url",
]

DEFAULT_NODE = "tcp://127.0.0.1:26657"
"""CometBFT's default RPC listen address, used when neither --node nor client.toml names one."""

DEFAULT_TIMEOUT_SECONDS = 10.0
"""Per-request timeout; CometBFT answers every route we use well within it."""

JSONObject = dict[str, Any]
"""A decoded JSON object as CometBFT returns it."""

OrderBy = Literal["asc", "desc"]
"""Sort order of `tx_search` results by height."""

ResponseT = TypeVar("ResponseT", bound=Message)


class ClientError(Exception):
    """Base of every error raised by the RPC client."""


class NodeUnreachableError(ClientError):
    """No CometBFT RPC server answered at the node address."""


class RpcError(ClientError):
    """The node returned a JSON-RPC error object (`code`, `message`, `data`)."""

    def __init__(self, code: int, message: str, data: str) -> None:
        super().__init__(f"RPC error {code}: {message}" + (f": {data}" if data else ""))
        self.code = code
        self.message = message
        self.data = data


class TxNotFoundError(RpcError):
    """`/tx` found no transaction with that hash (not included yet, or never)."""


class QueryError(ClientError):
    """An ABCI query failed: the application answered with a non-zero code."""

    def __init__(self, path: str, codespace: str, code: int, log: str) -> None:
        super().__init__(f"query {path} failed: codespace={codespace} code={code}: {log}")
        self.path = path
        self.codespace = codespace
        self.code = code
        self.log = log


@dataclass(frozen=True, slots=True)
class BroadcastResult:
    """`broadcast_tx_sync`/`_async`: the CheckTx outcome (always zero for async) and the tx hash."""

    code: int
    codespace: str
    log: str
    data: bytes
    hash: str


@dataclass(frozen=True, slots=True)
class TxResult:
    """An included transaction as `/tx` returns it: where it is, its raw bytes and its result."""

    hash: str
    height: int
    index: int
    tx: bytes
    result: abci.ExecTxResult


@dataclass(frozen=True, slots=True)
class TxSearchResult:
    """One page of `/tx_search` and the number of matches over all pages."""

    txs: tuple[TxResult, ...]
    total_count: int


def http_url(node: str) -> str:
    """The HTTP URL of a node address: `tcp://h:p` → `http://h:p`; http(s) URLs are kept.

    Raises:
        ValueError: the address has another scheme or no host.
    """
    scheme, separator, rest = node.partition("://")
    if not separator or not rest:
        raise ValueError(f"invalid node address {node!r}: expected tcp://host:port")
    if scheme == "tcp":
        return "http://" + rest
    if scheme in ("http", "https"):
        return node
    raise ValueError(f"invalid node address {node!r}: scheme must be tcp, http or https")


class RpcClient:
    """JSON-RPC over HTTP POST to one CometBFT node.

    Parameters:
        node: `tcp://host:port` (CometBFT's notation) or an http(s) URL.
        timeout: seconds per request.
        transport: an httpx transport to use instead of the network (tests).

    Use as a context manager, or call `close()`, to release the connection pool.
    """

    def __init__(
        self,
        node: str = DEFAULT_NODE,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.node = node
        self._http = httpx.Client(base_url=http_url(node), timeout=timeout, transport=transport)
        self._ids = itertools.count(1)

    def __enter__(self) -> RpcClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying HTTP connections."""
        self._http.close()

    def call(self, method: str, params: Mapping[str, Any]) -> JSONObject:
        """Invoke one JSON-RPC method and return its `result` object.

        Raises:
            NodeUnreachableError: no connection, a timeout, or an answer that is not JSON-RPC.
            RpcError: the node answered with an `error` object.
        """
        request = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        try:
            response = self._http.post("/", json=request)
        except httpx.TransportError as error:
            raise NodeUnreachableError(
                f"cannot reach node at {self.node}: {_describe_transport_error(error)}"
            ) from None
        try:
            document = response.json()
        except ValueError:
            raise NodeUnreachableError(
                f"cannot reach node at {self.node}: HTTP {response.status_code} is not JSON-RPC"
            ) from None
        if not isinstance(document, dict):
            raise NodeUnreachableError(f"cannot reach node at {self.node}: not a JSON-RPC answer")
        if "error" in document:
            raise _rpc_error(document["error"])
        result = document.get("result")
        if not isinstance(result, dict):
            raise NodeUnreachableError(f"cannot reach node at {self.node}: answer has no result")
        return result

    def status(self) -> JSONObject:
        """`/status`: node_info, sync_info (latest height, catching_up), validator_info."""
        return self.call("status", {})

    def abci_info(self) -> abci.ResponseInfo:
        """`/abci_info`: the application's last committed height and app hash."""
        info = self.call("abci_info", {})["response"]
        return json_format.ParseDict(info, abci.ResponseInfo(), ignore_unknown_fields=True)

    def abci_query(
        self, path: str, data: bytes, height: int = 0, prove: bool = False
    ) -> abci.ResponseQuery:
        """`/abci_query`: the application's answer, whatever its code (see `query_grpc`).

        `height` 0 asks for the latest committed state.
        """
        params = {"path": path, "data": data.hex(), "height": str(height), "prove": prove}
        answer = self.call("abci_query", params)["response"]
        return json_format.ParseDict(answer, abci.ResponseQuery(), ignore_unknown_fields=True)

    def query_grpc(
        self, path: str, request: Message, response_cls: type[ResponseT], height: int = 0
    ) -> ResponseT:
        """Run a gRPC-style ABCI query (`/cosmos.bank.v1beta1.Query/AllBalances`) and decode it.

        Raises:
            QueryError: the application answered with a non-zero code.
            ClientError: the answer does not decode as `response_cls`.
        """
        answer = self.abci_query(path, request.SerializeToString(), height)
        if answer.code != 0:
            raise QueryError(path, answer.codespace, answer.code, answer.log)
        response = response_cls()
        try:
            response.ParseFromString(answer.value)
        except DecodeError as error:
            raise ClientError(f"query {path}: undecodable answer: {error}") from None
        return response

    def broadcast_tx_sync(self, tx: bytes) -> BroadcastResult:
        """`/broadcast_tx_sync`: submit `tx` and wait for CheckTx."""
        return _broadcast_result(self.call("broadcast_tx_sync", {"tx": _b64(tx)}))

    def broadcast_tx_async(self, tx: bytes) -> BroadcastResult:
        """`/broadcast_tx_async`: submit `tx` without waiting for CheckTx (code is always 0)."""
        return _broadcast_result(self.call("broadcast_tx_async", {"tx": _b64(tx)}))

    def tx(self, tx_hash: str) -> TxResult:
        """`/tx`: an included transaction by its hex hash.

        Raises:
            TxNotFoundError: the node has not indexed a tx with this hash.
            ValueError: `tx_hash` is not hex.
        """
        try:
            return _tx_result(self.call("tx", {"hash": _b64(bytes.fromhex(tx_hash))}))
        except RpcError as error:
            if "not found" in error.data:
                raise TxNotFoundError(error.code, error.message, error.data) from None
            raise

    def tx_search(
        self, query: str, page: int = 1, per_page: int = 30, order_by: OrderBy = "asc"
    ) -> TxSearchResult:
        """`/tx_search`: included txs whose indexed events match `query` (`transfer.amount>5`)."""
        params = {
            "query": query,
            "prove": False,
            "page": str(page),
            "per_page": str(per_page),
            "order_by": order_by,
        }
        result = self.call("tx_search", params)
        txs = tuple(_tx_result(item) for item in result.get("txs") or [])
        return TxSearchResult(txs, int(result.get("total_count", "0")))

    def block(self, height: int = 0) -> JSONObject:
        """`/block`: block_id and block (header, data.txs in base64, evidence, last_commit).

        `height` 0 asks for the latest block.
        """
        return self.call("block", _height_param(height))

    def block_results(self, height: int = 0) -> JSONObject:
        """`/block_results`: txs_results, finalize_block_events, validator_updates, app_hash."""
        return self.call("block_results", _height_param(height))

    def validators(self, height: int = 0, page: int = 1, per_page: int = 100) -> JSONObject:
        """`/validators`: one page of the validator set at `height` (0 = latest)."""
        params = _height_param(height) | {"page": str(page), "per_page": str(per_page)}
        return self.call("validators", params)


def _height_param(height: int) -> dict[str, str]:
    """CometBFT reads a missing height as "latest"; 0 would be rejected."""
    return {"height": str(height)} if height > 0 else {}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _describe_transport_error(error: httpx.TransportError) -> str:
    """A short reason: "connection refused", "timed out", else httpx's own message."""
    text = str(error)
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if "refused" in text.lower():
        return "connection refused"
    return text.splitlines()[0] if text else type(error).__name__


def _rpc_error(error: object) -> RpcError:
    if not isinstance(error, dict):
        return RpcError(0, str(error), "")
    return RpcError(
        int(error.get("code", 0)), str(error.get("message", "")), str(error.get("data") or "")
    )


def _broadcast_result(result: JSONObject) -> BroadcastResult:
    return BroadcastResult(
        code=int(result.get("code", 0)),
        codespace=str(result.get("codespace", "")),
        log=str(result.get("log", "")),
        data=bytes.fromhex(result.get("data") or ""),
        hash=str(result.get("hash", "")).upper(),
    )


def _tx_result(result: JSONObject) -> TxResult:
    exec_result = json_format.ParseDict(
        result.get("tx_result") or {}, abci.ExecTxResult(), ignore_unknown_fields=True
    )
    return TxResult(
        hash=str(result["hash"]).upper(),
        height=int(result["height"]),
        index=int(result.get("index", 0)),
        tx=base64.b64decode(result.get("tx") or ""),
        result=exec_result,
    )
