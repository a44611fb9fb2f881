"""`decoded_by_stored_bytes`: a decoder that remembers its records by the bytes they came from."""

from __future__ import annotations

from app.chain.kv import decoded_by_stored_bytes


def test_equal_bytes_share_one_record_and_new_bytes_are_decoded() -> None:
    calls: list[bytes] = []

    @decoded_by_stored_bytes
    def decode(raw: bytes) -> tuple[int, ...]:
        calls.append(raw)
        return tuple(raw)

    first = decode(b"\x01\x02")
    assert decode(bytes([1, 2])) is first
    assert decode(b"\x03") == (3,)
    assert calls == [b"\x01\x02", b"\x03"]
