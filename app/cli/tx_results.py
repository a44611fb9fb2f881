"""The SDK's `TxResponse`, built from what CometBFT's RPC returns for a broadcast or included tx.

An included tx (`/tx`, `/tx_search`) gives height, hash, the raw tx and its `ExecTxResult`; the
block header adds the timestamp (block time, RFC 3339 with whole seconds as the SDK prints it).
A broadcast gives only the CheckTx code, codespace, log and hash.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError

from app.cli.rpc import BroadcastResult, RpcClient, TxResult
from app.codec import pack_any
from app.pb.cosmos.base.abci.v1beta1 import abci_pb2
from app.pb.cosmos.tx.v1beta1 import tx_pb2
from app.types import SECOND, Timestamp, format_rfc3339, parse_rfc3339

__all__ = [
    "block_timestamp",
    "broadcast_tx_response",
    "decode_tx_for_display",
    "included_tx_response",
]


def decode_tx_for_display(raw: bytes) -> tx_pb2.Tx | None:
    """The `Tx` (body, auth info, signatures) inside `TxRaw` bytes; None if they do not decode."""
    try:
        tx_raw = tx_pb2.TxRaw.FromString(raw)
        return tx_pb2.Tx(
            body=tx_pb2.TxBody.FromString(tx_raw.body_bytes),
            auth_info=tx_pb2.AuthInfo.FromString(tx_raw.auth_info_bytes),
            signatures=tx_raw.signatures,
        )
    except DecodeError:
        return None


def block_timestamp(rpc: RpcClient, height: int) -> str:
    """The block time at `height` as the SDK's TxResponse shows it: RFC 3339, whole seconds."""
    header_time = str(rpc.block(height)["block"]["header"]["time"])
    timestamp = parse_rfc3339(header_time)
    return format_rfc3339(Timestamp(timestamp - timestamp % SECOND))


def included_tx_response(result: TxResult, timestamp: str) -> abci_pb2.TxResponse:
    """The TxResponse of an included tx: its result, events, decoded tx and block time."""
    outcome = result.result
    response = abci_pb2.TxResponse(
        height=result.height,
        txhash=result.hash,
        codespace=outcome.codespace,
        code=outcome.code,
        data=outcome.data.hex().upper(),
        raw_log=outcome.log,
        info=outcome.info,
        gas_wanted=outcome.gas_wanted,
        gas_used=outcome.gas_used,
        timestamp=timestamp,
        events=outcome.events,
    )
    decoded = decode_tx_for_display(result.tx)
    if decoded is not None:
        response.tx.CopyFrom(pack_any(decoded))
    return response


def broadcast_tx_response(result: BroadcastResult) -> abci_pb2.TxResponse:
    """The TxResponse printed after a broadcast without --wait: hash and the CheckTx outcome."""
    return abci_pb2.TxResponse(
        txhash=result.hash,
        codespace=result.codespace,
        code=result.code,
        data=result.data.hex().upper(),
        raw_log=result.log,
    )
