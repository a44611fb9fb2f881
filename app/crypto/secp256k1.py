"""secp256k1 account keys as the Cosmos SDK uses them (`/cosmos.crypto.secp256k1.PubKey`).

A signature is the 64-byte compact encoding r‖s of an ECDSA signature over sha256(msg), with a
deterministic RFC 6979 nonce and s in the lower half of the curve order ("low-S"). Verification
rejects high-S signatures as malleable, exactly like cosmos-sdk `crypto/keys/secp256k1`.

libsecp256k1 (through coincurve) does the curve work. Verification calls its C functions directly
through coincurve's cffi binding: it runs in CheckTx for every transaction, and coincurve's public
`verify` only takes DER, which would cost an encode and a parse per call.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

import coincurve
from coincurve._libsecp256k1 import ffi, lib

from app.types.address import address_from_secp256k1_pubkey

PRIVATE_KEY_LENGTH = 32
"""A private key is a 32-byte big-endian scalar in [1, n-1]."""

PUBLIC_KEY_LENGTH = 33
"""A public key is a 33-byte SEC1 compressed point (0x02/0x03 prefix, then x)."""

SIGNATURE_LENGTH = 64
"""A signature is r‖s, each a 32-byte big-endian integer."""

CURVE_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
"""n, the order of the secp256k1 base point."""

_VERIFY_CONTEXT = coincurve.GLOBAL_CONTEXT.ctx


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A validated 33-byte compressed secp256k1 public key.

    Raises:
        ValueError: `key` is not 33 bytes or is not a point on the curve.
    """

    key: bytes
    _parsed: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.key) != PUBLIC_KEY_LENGTH or self.key[0] not in (2, 3):
            raise ValueError(f"secp256k1 public key must be {PUBLIC_KEY_LENGTH} compressed bytes")
        parsed = ffi.new("secp256k1_pubkey *")
        if not lib.secp256k1_ec_pubkey_parse(_VERIFY_CONTEXT, parsed, self.key, len(self.key)):
            raise ValueError("secp256k1 public key is not a point on the curve")
        object.__setattr__(self, "_parsed", parsed)

    def verify(self, msg: bytes, signature: bytes) -> bool:
        """Whether `signature` is a valid low-S compact signature of sha256(`msg`) by this key.

        Never raises: a wrong length, r or s out of range, or a high-S value all return False.
        """
        if len(signature) != SIGNATURE_LENGTH:
            return False
        parsed_sig = ffi.new("secp256k1_ecdsa_signature *")
        if not lib.secp256k1_ecdsa_signature_parse_compact(_VERIFY_CONTEXT, parsed_sig, signature):
            return False
        # secp256k1_ecdsa_verify itself fails on high-S, which is the rule the SDK enforces.
        digest = hashlib.sha256(msg).digest()
        return bool(lib.secp256k1_ecdsa_verify(_VERIFY_CONTEXT, parsed_sig, digest, self._parsed))

    def address(self) -> bytes:
        """The 20-byte account address: ripemd160(sha256(compressed public key))."""
        return address_from_secp256k1_pubkey(self.key)


@dataclass(frozen=True, slots=True)
class PrivateKey:
    """A secp256k1 private key; its bytes never appear in `repr`.

    Raises:
        ValueError: `secret` is not 32 bytes or not in [1, n-1].
    """

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) != PRIVATE_KEY_LENGTH:
            raise ValueError(f"secp256k1 private key must be {PRIVATE_KEY_LENGTH} bytes")
        if not 0 < int.from_bytes(self.secret, "big") < CURVE_ORDER:
            raise ValueError("secp256k1 private key is out of range")

    @classmethod
    def generate(cls) -> PrivateKey:
        """A fresh key from the operating system's random source."""
        while True:
            candidate = os.urandom(PRIVATE_KEY_LENGTH)
            if 0 < int.from_bytes(candidate, "big") < CURVE_ORDER:
                return cls(candidate)

    @property
    def public_key(self) -> PublicKey:
        """The compressed public key secret·G."""
        return PublicKey(coincurve.PublicKey.from_valid_secret(self.secret).format(compressed=True))

    def sign(self, msg: bytes) -> bytes:
        """The 64-byte compact signature r‖s of sha256(`msg`): RFC 6979 nonce, low-S."""
        recoverable = coincurve.PrivateKey(self.secret).sign_recoverable(msg, hasher=_sha256)
        # The 65th byte is the recovery id, which Cosmos signatures do not carry.
        return recoverable[:SIGNATURE_LENGTH]


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()
