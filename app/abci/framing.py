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
    decoded = varint_at(data, 0)
    if decoded is None:
        raise FramingError("truncated length prefix")
    return decoded


def varint_at(data: bytes | bytearray, start: int) -> tuple[int, int] | None:
    """The uvarint at ``data[start:]`` as ``(value, bytes consumed)``; None if ``data`` ends
    inside it (more bytes may complete it).

    Raises FramingError when it runs past ten bytes.
    """
    value = 0
    for index, byte in enumerate(data[start : start + MAX_VARINT_BYTES]):
        value |= (byte & 0x7F) << (7 * index)
        if byte < 0x80:
            return value, index + 1
    if len(data) - start >= MAX_VARINT_BYTES:
        raise FramingError("length prefix longer than 10 bytes")
    return None


def frame(payload: bytes) -> bytes:
    """One message on the wire: ``uvarint(len(payload)) ‖ payload``."""
    return encode_varint(len(payload)) + payload


class FrameDecoder:
    """Splits a byte stream into message payloads, whatever the chunks it arrives in.

    The server reads whatever the socket holds and answers every complete request in it with
    one write: per request, a coroutine await per prefix byte and a ``send`` system call per
    response cost more than a stub application's whole CheckTx. Buffering is linear: a message
    split into many chunks is appended to, never re-copied, until complete.
    """

    __slots__ = ("_buffer", "_max_bytes", "_start")

    def __init__(self, max_bytes: int = MAX_MESSAGE_BYTES) -> None:
        self._buffer = bytearray()
        self._start = 0
        """Where the first message not yet returned begins in ``_buffer``."""
        self._max_bytes = max_bytes

    def feed(self, data: bytes) -> None:
        """Append ``data`` to the stream (dropping the bytes of messages already returned)."""
        del self._buffer[: self._start]
        self._start = 0
        self._buffer += data

    def next_message(self) -> bytes | None:
        """The next complete payload, or None until more bytes arrive.

        Raises FramingError for a prefix over ten bytes or a length over ``max_bytes`` (as soon
        as the prefix is complete, before the payload arrives); the messages before it are
        returned first.
        """
        buffer = self._buffer
        start = self._start
        decoded = varint_at(buffer, start)
        if decoded is None:
            return None
        length, used = decoded
        if length > self._max_bytes:
            raise FramingError(
                f"message of {length} bytes exceeds the {self._max_bytes}-byte limit"
            )
        stop = start + used + length
        if stop > len(buffer):
            return None
        self._start = stop
        return bytes(buffer[start + used : stop])

    def finish(self) -> None:
        """The stream ended: fine between messages; raises FramingError inside one."""
        decoded = varint_at(self._buffer, self._start)
        if decoded is not None:
            length, used = decoded
            received = len(self._buffer) - self._start - used
            raise FramingError(f"stream ended after {received} of {length} message bytes")
        if len(self._buffer) > self._start:
            raise FramingError("stream ended inside a length prefix")


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
