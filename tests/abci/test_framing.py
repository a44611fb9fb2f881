"""Framing: unsigned varint length prefix, split reads, big messages, malformed streams."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.abci.framing import (
    FrameDecoder,
    FramingError,
    decode_varint,
    encode_varint,
    frame,
    read_message,
    varint_at,
)
from app.pb.tendermint.abci import types_pb2 as abci


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, "00"),
        (1, "01"),
        (64, "40"),  # zigzag (v0.34) would be 80 01
        (127, "7f"),
        (128, "8001"),
        (300, "ac02"),  # zigzag would be d8 04
        (2**32, "8080808010"),
        (2**64 - 1, "ffffffffffffffffff01"),
    ],
)
def test_encode_varint_known_values(value: int, encoded: str) -> None:
    assert encode_varint(value).hex() == encoded
    assert decode_varint(bytes.fromhex(encoded)) == (value, len(encoded) // 2)


def test_encode_varint_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        encode_varint(-1)


@given(st.integers(min_value=0, max_value=2**64 - 1), st.binary(max_size=8))
def test_varint_round_trip_ignores_trailing_bytes(value: int, tail: bytes) -> None:
    encoded = encode_varint(value)
    assert decode_varint(encoded + tail) == (value, len(encoded))


def test_decode_varint_truncated_and_overlong() -> None:
    with pytest.raises(FramingError, match="truncated"):
        decode_varint(b"\x80\x80")
    with pytest.raises(FramingError, match="longer than 10"):
        decode_varint(b"\x80" * 11)


def test_spec_byte_examples() -> None:
    """spec/cometbft.md §2.1, computed there with stubs from the v0.38.25 protos."""
    flush = abci.Request(flush=abci.RequestFlush())
    assert frame(flush.SerializeToString()).hex() == "021200"
    assert frame(abci.Response(flush=abci.ResponseFlush()).SerializeToString()).hex() == "021a00"
    info = abci.Request(
        info=abci.RequestInfo(
            version="0.38.25", block_version=11, p2p_version=8, abci_version="2.0.0"
        )
    )
    expected = "161a140a07302e33382e3235100b18082205322e302e30"
    assert frame(info.SerializeToString()).hex() == expected


def _read_all(chunks: list[bytes], max_bytes: int | None = None) -> list[bytes | None]:
    """Read ``chunks`` both ways, which must agree: with `read_message` from a StreamReader and
    with a `FrameDecoder` (the server's way), one chunk at a time; the messages, then None."""
    streamed = _read_streamed(chunks, max_bytes)
    assert _read_decoded(chunks, max_bytes) == streamed
    return streamed


def _read_decoded(chunks: list[bytes], max_bytes: int | None) -> list[bytes | None]:
    decoder = FrameDecoder() if max_bytes is None else FrameDecoder(max_bytes)
    messages: list[bytes | None] = []
    for chunk in chunks:
        decoder.feed(chunk)
        while (message := decoder.next_message()) is not None:
            messages.append(message)
    decoder.finish()
    return [*messages, None]


def _read_streamed(chunks: list[bytes], max_bytes: int | None) -> list[bytes | None]:
    """Feed ``chunks`` to a StreamReader as separate arrivals; read messages until EOF."""

    async def scenario() -> list[bytes | None]:
        reader = asyncio.StreamReader()

        async def feed() -> None:
            for chunk in chunks:
                reader.feed_data(chunk)
                await asyncio.sleep(0)
            reader.feed_eof()

        feeder = asyncio.create_task(feed())
        messages: list[bytes | None] = []
        while True:
            if max_bytes is None:
                message = await read_message(reader)
            else:
                message = await read_message(reader, max_bytes)
            messages.append(message)
            if message is None:
                break
        await feeder
        return messages

    return asyncio.run(scenario())


def test_messages_split_byte_by_byte_including_the_prefix() -> None:
    payloads = [b"", b"a" * 200, b"xyz"]  # 200 needs a two-byte prefix
    stream = b"".join(frame(p) for p in payloads)
    chunks = [stream[i : i + 1] for i in range(len(stream))]
    assert _read_all(chunks) == [*payloads, None]


def test_several_messages_in_one_chunk() -> None:
    payloads = [b"one", b"two", b"three"]
    assert _read_all([b"".join(frame(p) for p in payloads)]) == [*payloads, None]


def test_multi_megabyte_message_in_small_chunks_is_linear() -> None:
    payload = bytes(range(256)) * (24 * 4096)  # 24 MiB, like a large FinalizeBlock
    stream = frame(payload)
    chunks = [stream[i : i + 65536] for i in range(0, len(stream), 65536)]
    started = time.perf_counter()
    assert _read_all(chunks) == [payload, None]
    assert time.perf_counter() - started < 5  # quadratic buffering would take minutes


@pytest.mark.parametrize("read", [_read_streamed, _read_decoded])
def test_eof_inside_prefix_or_payload_is_an_error(
    read: Callable[[list[bytes], int | None], list[bytes | None]],
) -> None:
    with pytest.raises(FramingError, match="inside a length prefix"):
        read([b"\x80"], None)
    with pytest.raises(FramingError, match="3 of 5"):
        read([b"\x05abc"], None)
    with pytest.raises(FramingError, match="3 of 5"):
        read([b"\x01x\x05a", b"bc"], None)


@pytest.mark.parametrize("read", [_read_streamed, _read_decoded])
def test_overlong_prefix_is_an_error(
    read: Callable[[list[bytes], int | None], list[bytes | None]],
) -> None:
    with pytest.raises(FramingError, match="longer than 10"):
        read([b"\xff" * 11], None)
    with pytest.raises(FramingError, match="longer than 10"):
        read([b"\x00", b"\xff" * 5, b"\xff" * 6], None)


@pytest.mark.parametrize("read", [_read_streamed, _read_decoded])
def test_message_over_the_limit_is_refused_before_reading_it(
    read: Callable[[list[bytes], int | None], list[bytes | None]],
) -> None:
    with pytest.raises(FramingError, match="exceeds the 10-byte limit"):
        read([encode_varint(11)], 10)


@given(
    payloads=st.lists(st.binary(max_size=300), max_size=8),
    cuts=st.lists(st.integers(min_value=0, max_value=3000), max_size=12),
)
def test_decoder_splits_any_chunking_like_the_stream_reader(
    payloads: list[bytes], cuts: list[int]
) -> None:
    stream = b"".join(frame(p) for p in payloads)
    bounds = sorted({0, len(stream), *(cut % (len(stream) + 1) for cut in cuts)})
    chunks = [stream[a:b] for a, b in pairwise(bounds)]
    assert _read_all(chunks) == [*payloads, None]


def test_decoder_returns_complete_messages_and_keeps_a_partial_one() -> None:
    decoder = FrameDecoder()
    decoder.feed(frame(b"one") + frame(b"two")[:2])
    assert decoder.next_message() == b"one"
    assert decoder.next_message() is None
    decoder.feed(frame(b"two")[2:] + b"\x80")
    assert decoder.next_message() == b"two"
    assert decoder.next_message() is None
    decoder.feed(b"\x01" + b"x" * 128)
    assert decoder.next_message() == b"x" * 128
    decoder.finish()


def test_decoder_returns_the_messages_before_a_malformed_prefix() -> None:
    decoder = FrameDecoder(max_bytes=10)
    decoder.feed(frame(b"ok") + encode_varint(11))
    assert decoder.next_message() == b"ok"
    with pytest.raises(FramingError, match="exceeds the 10-byte limit"):
        decoder.next_message()


def test_varint_at_reads_from_an_offset_and_tells_incomplete_from_overlong() -> None:
    data = b"zz" + encode_varint(300)
    assert varint_at(data, 2) == (300, 2)
    assert varint_at(data[:3], 2) is None
    with pytest.raises(FramingError, match="longer than 10"):
        varint_at(b"zz" + b"\x80" * 10, 2)
