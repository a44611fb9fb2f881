"""Byte encodings shared by the store: Go varints, big-endian integers, protobuf wire format.

Only the subset the store needs: unsigned and zig-zag varints (Go's ``binary.PutUvarint`` /
``binary.PutVarint``), and protobuf fields of wire type 0 (varint) and 2 (length-delimited).
"""

from __future__ import annotations

from collections.abc import Iterator

SMALL_UVARINT_LIMIT = 1 << 14
"""Values below this have a precomputed uvarint (one or two bytes)."""

SMALL_UVARINTS: tuple[bytes, ...] = tuple(
    bytes((i,)) if i < 0x80 else bytes(((i & 0x7F) | 0x80, i >> 7))
    for i in range(SMALL_UVARINT_LIMIT)
)
"""Precomputed uvarints: every length and height, and zz(size) of all but the top ~13 tree levels
(a tree of n leaves has about n/s² inner nodes of size s), so hashing rarely runs the loop."""


class DecodeError(ValueError):
    """Malformed varint or protobuf bytes."""


def uvarint(value: int) -> bytes:
    """Go ``binary.PutUvarint``: 7 bits per byte, least significant group first, MSB = more."""
    if value < SMALL_UVARINT_LIMIT:
        if value < 0:
            raise ValueError("uvarint of a negative number")
        return SMALL_UVARINTS[value]
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def zigzag_varint(value: int) -> bytes:
    """Go ``binary.PutVarint``: uvarint of the zig-zag mapping (0→0, -1→1, 1→2, -2→3, …)."""
    return uvarint(value << 1 if value >= 0 else ((-value) << 1) - 1)


def read_uvarint(data: bytes, pos: int) -> tuple[int, int]:
    """Decode a uvarint at ``pos``; return (value, position after it)."""
    result = 0
    shift = 0
    while True:
        if pos >= len(data):
            raise DecodeError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise DecodeError("varint too long")


def read_zigzag_varint(data: bytes, pos: int) -> tuple[int, int]:
    """Decode a Go zig-zag varint at ``pos``; return (value, position after it)."""
    raw, pos = read_uvarint(data, pos)
    return (raw >> 1) ^ -(raw & 1), pos


def be64(value: int) -> bytes:
    """Big-endian 8-byte unsigned integer (byte order = numeric order)."""
    return value.to_bytes(8, "big")


def be32(value: int) -> bytes:
    """Big-endian 4-byte unsigned integer."""
    return value.to_bytes(4, "big")


def pb_varint_field(field: int, value: int) -> bytes:
    """A protobuf varint field; proto3 omits zero values, so 0 encodes to nothing.

    Negative int64 values use the two's-complement 10-byte form, as protobuf does.
    """
    if value == 0:
        return b""
    return uvarint(field << 3) + uvarint(value & 0xFFFFFFFFFFFFFFFF)


def pb_bytes_field(field: int, value: bytes) -> bytes:
    """A protobuf length-delimited field; proto3 omits empty bytes/strings/messages."""
    if not value:
        return b""
    return uvarint((field << 3) | 2) + uvarint(len(value)) + value


def pb_message_field(field: int, value: bytes) -> bytes:
    """An embedded message field that is emitted even when the message is empty (set, not null)."""
    return uvarint((field << 3) | 2) + uvarint(len(value)) + value


def pb_fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """Iterate (field number, value) over a protobuf message of varint/bytes fields.

    Varint values are returned as unsigned ints, length-delimited ones as bytes.
    Raises DecodeError on other wire types or truncation.
    """
    pos = 0
    end = len(data)
    while pos < end:
        tag, pos = read_uvarint(data, pos)
        field, wire_type = tag >> 3, tag & 7
        if wire_type == 0:
            number, pos = read_uvarint(data, pos)
            yield field, number
        elif wire_type == 2:
            length, pos = read_uvarint(data, pos)
            if pos + length > end:
                raise DecodeError("truncated length-delimited field")
            yield field, data[pos : pos + length]
            pos += length
        else:
            raise DecodeError(f"unsupported wire type {wire_type}")


def as_int64(value: int) -> int:
    """Reinterpret an unsigned 64-bit protobuf varint as a signed int64."""
    return value - (1 << 64) if value >= 1 << 63 else value
