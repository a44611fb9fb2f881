"""Length-prefixed framing of ABCI messages on the socket transport.

CometBFT v0.37+ writes each protobuf ``Request``/``Response`` as
``uvarint(len(payload)) ‖ payload``: the unsigned LEB128 varint of protobuf, *not* the zigzag
varint Tendermint ≤0.34 used (``abci/types/messages.go``, ``libs/protoio``).
"""

from __future__ import annotations

import asyncio

MAX_VARINT_BYTES = 10
"""A uint64 needs at most ten 7-bit groups."""

MAX_MESSAGE_BYTES = 128 * 1024 * 1024
"""Largest message accepted: 128 MiB.

CometBFT itself only refuses messages over 2 GiB, but a FinalizeBlock carries at most one block
(hard cap 100 MiB, ``types.MaxBlockSizeBytes``) plus its commit info and misbehaviour, so anything
larger is a corrupt stream rather than a real request.
"""


class FramingError(Exception):
    """The byte stream does not hold a well-formed length-prefixed message."""


def encode_varint(value: int) -> bytes:
    """Unsigned LEB128: 7 bits per byte, least significant group first, high bit = "more"."""
    if value < 0:
        raise ValueError(f"uvarint cannot encode a negative number: {value}")
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(data: bytes) -> tuple[int, int]:
    """Decode a uvarint at the start of ``data``; returns ``(value, bytes consumed)``.

    Raises FramingError when ``data`` ends inside the varint or it runs past ten bytes.
    """
    value = 0
    for index, byte in enumerate(data[:MAX_VARINT_BYTES]):
        value |= (byte & 0x7F) << (7 * index)
        if byte < 0x80:
            return value, index + 1
    if len(data) >= MAX_VARINT_BYTES:
        raise FramingError("length prefix longer than 10 bytes")
    raise FramingError("truncated length prefix")


def frame(payload: bytes) -> bytes:
    """One message on the wire: ``uvarint(len(payload)) ‖ payload``."""
    return encode_varint(len(payload)) + payload


async def read_length(reader: asyncio.StreamReader) -> int | None:
    """Read a uvarint length prefix byte by byte, so a prefix split across reads is fine.

    Returns None on a clean end of stream (EOF before the first byte); raises FramingError on
    EOF inside the prefix or a prefix longer than ten bytes.
    """
    value = 0
    for index in range(MAX_VARINT_BYTES):
        chunk = await reader.read(1)
        if not chunk:
            if index == 0:
                return None
            raise FramingError("stream ended inside a length prefix")
        byte = chunk[0]
        value |= (byte & 0x7F) << (7 * index)
        if byte < 0x80:
            return value
    raise FramingError("length prefix longer than 10 bytes")


async def read_message(
    reader: asyncio.StreamReader, max_bytes: int = MAX_MESSAGE_BYTES
) -> bytes | None:
    """Read one framed message; None on a clean end of stream between messages.

    ``readexactly`` collects the payload in the reader's growing buffer, so a multi-megabyte
    message costs linear time however it is split into TCP segments.

    Raises FramingError for a malformed prefix, a length over ``max_bytes``, or EOF inside the
    payload.
    """
    length = await read_length(reader)
    if length is None:
        return None
    if length > max_bytes:
        raise FramingError(f"message of {length} bytes exceeds the {max_bytes}-byte limit")
    try:
        return await reader.readexactly(length)
    except asyncio.IncompleteReadError as err:
        raise FramingError(
            f"stream ended after {len(err.partial)} of {length} message bytes"
        ) from err
