"""ABCI 2.0 transport for CometBFT v0.38: framing, the four socket connections, dispatch.

This package knows nothing of the chain: it calls an ``Application``.
"""

from app.abci.application import Application, BaseApplication, truncate_txs
from app.abci.dispatch import dispatch
from app.abci.framing import MAX_MESSAGE_BYTES, FramingError, encode_varint, frame, read_message
from app.abci.server import ABCIServer, TcpAddress, UnixAddress, parse_address

__all__ = [
    "MAX_MESSAGE_BYTES",
    "ABCIServer",
    "Application",
    "BaseApplication",
    "FramingError",
    "TcpAddress",
    "UnixAddress",
    "dispatch",
    "encode_varint",
    "frame",
    "parse_address",
    "read_message",
    "truncate_txs",
]
