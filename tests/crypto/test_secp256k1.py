"""secp256k1 keys: sign/verify round trip, tampering, low-S rule, cross-check with pure Python."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.crypto.secp256k1 import CURVE_ORDER, PrivateKey, PublicKey

# A deliberately naive affine-coordinate secp256k1, independent of libsecp256k1, so the tests
# check coincurve's output against the curve equations rather than against itself.
_P = 2**256 - 2**32 - 977
_G = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
)
Point = tuple[int, int] | None


def _add(a: Point, b: Point) -> Point:
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % _P == 0:
        return None
    if a == b:
        slope = 3 * a[0] * a[0] * pow(2 * a[1], -1, _P)
    else:
        slope = (b[1] - a[1]) * pow(b[0] - a[0], -1, _P)
    x = (slope * slope - a[0] - b[0]) % _P
    return x, (slope * (a[0] - x) - a[1]) % _P


def _mul(k: int, point: Point) -> Point:
    result: Point = None
    while k:
        if k & 1:
            result = _add(result, point)
        point = _add(point, point)
        k >>= 1
    return result


def _compress(point: Point) -> bytes:
    assert point is not None
    return bytes([2 + (point[1] & 1)]) + point[0].to_bytes(32, "big")


def _decompress(pub: bytes) -> Point:
    x = int.from_bytes(pub[1:], "big")
    y = pow((x**3 + 7) % _P, (_P + 1) // 4, _P)
    return (x, y if y & 1 == pub[0] - 2 else _P - y)


def _reference_verify(pub: bytes, msg: bytes, r: int, s: int) -> bool:
    """Textbook ECDSA verification, which accepts high-S signatures too."""
    if not (0 < r < CURVE_ORDER and 0 < s < CURVE_ORDER):
        return False
    z = int.from_bytes(hashlib.sha256(msg).digest(), "big")
    w = pow(s, -1, CURVE_ORDER)
    point = _add(_mul(z * w % CURVE_ORDER, _G), _mul(r * w % CURVE_ORDER, _decompress(pub)))
    return point is not None and point[0] % CURVE_ORDER == r


def _split(signature: bytes) -> tuple[int, int]:
    return int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")


def _join(r: int, s: int) -> bytes:
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


secrets = st.integers(min_value=1, max_value=CURVE_ORDER - 1).map(lambda k: k.to_bytes(32, "big"))
messages = st.binary(max_size=300)


@settings(max_examples=25, deadline=None)
@given(secret=secrets, msg=messages)
def test_signature_round_trip_and_matches_reference(secret: bytes, msg: bytes) -> None:
    key = PrivateKey(secret)
    pub = key.public_key
    signature = key.sign(msg)
    r, s = _split(signature)
    assert len(signature) == 64
    assert s <= CURVE_ORDER // 2, "signatures must be low-S"
    assert pub.key == _compress(_mul(int.from_bytes(secret, "big"), _G))
    assert pub.verify(msg, signature)
    assert _reference_verify(pub.key, msg, r, s)
    assert key.sign(msg) == signature, "RFC 6979 signing is deterministic"


@pytest.mark.parametrize(
    ("msg", "expected_r", "expected_s"),
    [
        # Widely published RFC 6979 secp256k1/SHA-256 vectors for private key 1.
        (
            b"Satoshi Nakamoto",
            0x934B1EA10A4B3C1757E2B0C017D0B6143CE3C9A7E6A4A49860D7A6AB210EE3D8,
            0x2442CE9D2B916064108014783E923EC36B49743E2FFA1C4496F01A512AAFD9E5,
        ),
        (
            b"All those moments will be lost in time, like tears in rain. Time to die...",
            0x8600DBD41E348FE5C9465AB92D23E3DB8B98B873BEECD930736488696438CB6B,
            0x547FE64427496DB33BF66019DACBF0039C04199ABB0122918601DB38A72CFC21,
        ),
    ],
)
def test_rfc6979_vectors(msg: bytes, expected_r: int, expected_s: int) -> None:
    assert PrivateKey((1).to_bytes(32, "big")).sign(msg) == _join(expected_r, expected_s)


@settings(max_examples=25, deadline=None)
@given(secret=secrets, msg=messages, position=st.integers(0, 63), bit=st.integers(0, 7))
def test_tampered_signature_is_rejected(secret: bytes, msg: bytes, position: int, bit: int) -> None:
    key = PrivateKey(secret)
    signature = bytearray(key.sign(msg))
    signature[position] ^= 1 << bit
    assert not key.public_key.verify(msg, bytes(signature))


def test_tampered_message_and_other_key_are_rejected() -> None:
    key = PrivateKey(b"\x07" * 32)
    signature = key.sign(b"send 10uxprt")
    assert not key.public_key.verify(b"send 11uxprt", signature)
    assert not PrivateKey(b"\x08" * 32).public_key.verify(b"send 10uxprt", signature)


def test_high_s_signature_is_rejected() -> None:
    key = PrivateKey(b"\x11" * 32)
    msg = b"malleable?"
    r, s = _split(key.sign(msg))
    high_s = _join(r, CURVE_ORDER - s)
    assert _reference_verify(key.public_key.key, msg, r, CURVE_ORDER - s), "valid plain ECDSA"
    assert not key.public_key.verify(msg, high_s)


@pytest.mark.parametrize(
    "signature",
    [
        b"",
        b"\x01" * 63,
        b"\x01" * 65,
        bytes(64),
        _join(CURVE_ORDER, 1),
        _join(1, CURVE_ORDER),
        b"\xff" * 64,
    ],
)
def test_malformed_signature_returns_false(signature: bytes) -> None:
    assert PrivateKey(b"\x22" * 32).public_key.verify(b"msg", signature) is False


def test_der_signature_is_not_accepted() -> None:
    key = PrivateKey(b"\x33" * 32)
    r, s = _split(key.sign(b"msg"))
    der_like = b"\x30\x44\x02\x20" + r.to_bytes(32, "big") + b"\x02\x20" + s.to_bytes(32, "big")
    assert key.public_key.verify(b"msg", der_like) is False


@pytest.mark.parametrize(
    "pub",
    [
        b"",
        b"\x02" + b"\x01" * 31,
        b"\x04" + b"\x01" * 32,
        b"\x02" + (5).to_bytes(32, "big"),  # x = 5 gives x^3 + 7 = 132, not a square mod p
        _compress(_G) + b"\x00",
    ],
)
def test_invalid_public_key_is_refused(pub: bytes) -> None:
    with pytest.raises(ValueError):
        PublicKey(pub)


@pytest.mark.parametrize("secret", [bytes(32), CURVE_ORDER.to_bytes(32, "big"), b"\x01" * 31])
def test_invalid_private_key_is_refused(secret: bytes) -> None:
    with pytest.raises(ValueError):
        PrivateKey(secret)


def test_private_key_is_not_in_repr() -> None:
    key = PrivateKey(b"\xab" * 32)
    assert "ab" not in repr(key).lower().replace("privatekey", "")


def test_generate_gives_distinct_usable_keys() -> None:
    first, second = PrivateKey.generate(), PrivateKey.generate()
    assert first != second
    assert first.public_key.verify(b"x", first.sign(b"x"))


def test_address_is_ripemd160_of_sha256() -> None:
    pub = PrivateKey(b"\x44" * 32).public_key
    expected = hashlib.new("ripemd160", hashlib.sha256(pub.key).digest()).digest()
    assert pub.address() == expected
