"""ed25519 keys of CometBFT validators and nodes, and their key files.

`priv_validator_key.json` and `node_key.json` use CometBFT's amino-JSON layout:
    {"address": HEX(sha256(pub)[:20]) upper-case,
     "pub_key":  {"type": "tendermint/PubKeyEd25519",  "value": base64(pub32)},
     "priv_key": {"type": "tendermint/PrivKeyEd25519", "value": base64(seed32 ‖ pub32)}}
node_key.json holds only "priv_key". The consensus address is sha256(pub)[:20] and the node ID
is its lower-case hex (CometBFT `crypto/ed25519`, `p2p/key.go`, `privval/file.go`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519 as _ed25519

from app.crypto.files import ensure_private_dir, write_private_file

SEED_LENGTH = 32
"""An ed25519 private key is a 32-byte seed (CometBFT stores seed ‖ public key, 64 bytes)."""

PUBLIC_KEY_LENGTH = 32
"""An ed25519 public key is 32 bytes."""

SIGNATURE_LENGTH = 64
"""An ed25519 signature is 64 bytes."""

ADDRESS_LENGTH = 20
"""Consensus addresses and node IDs are the first 20 bytes of sha256(public key)."""

PUBKEY_TYPE = "tendermint/PubKeyEd25519"
"""Amino name of an ed25519 public key in CometBFT JSON."""

PRIVKEY_TYPE = "tendermint/PrivKeyEd25519"
"""Amino name of an ed25519 private key in CometBFT JSON."""


class KeyFileError(ValueError):
    """A CometBFT key file is malformed or inconsistent (wrong type, length or address)."""


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A 32-byte ed25519 public key.

    Raises:
        ValueError: `key` is not 32 bytes.
    """

    key: bytes
    _parsed: _ed25519.Ed25519PublicKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.key) != PUBLIC_KEY_LENGTH:
            raise ValueError(f"ed25519 public key must be {PUBLIC_KEY_LENGTH} bytes")
        object.__setattr__(self, "_parsed", _ed25519.Ed25519PublicKey.from_public_bytes(self.key))

    def verify(self, msg: bytes, signature: bytes) -> bool:
        """Whether `signature` is a valid ed25519 signature of `msg`; never raises."""
        if len(signature) != SIGNATURE_LENGTH:
            return False
        try:
            self._parsed.verify(signature, msg)
        except InvalidSignature:
            return False
        return True

    def address(self) -> bytes:
        """The consensus address sha256(pub)[:20]."""
        return consensus_address(self.key)


@dataclass(frozen=True, slots=True)
class PrivateKey:
    """An ed25519 private key given by its 32-byte seed; the seed never appears in `repr`.

    Raises:
        ValueError: `seed` is not 32 bytes.
    """

    seed: bytes = field(repr=False)
    _key: _ed25519.Ed25519PrivateKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.seed) != SEED_LENGTH:
            raise ValueError(f"ed25519 seed must be {SEED_LENGTH} bytes")
        object.__setattr__(self, "_key", _ed25519.Ed25519PrivateKey.from_private_bytes(self.seed))

    @property
    def public_key(self) -> PublicKey:
        """The public key of this seed."""
        raw = self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return PublicKey(raw)

    def sign(self, msg: bytes) -> bytes:
        """The 64-byte ed25519 signature of `msg` (deterministic, RFC 8032)."""
        return self._key.sign(msg)


def generate() -> PrivateKey:
    """A fresh ed25519 key from the operating system's random source."""
    raw = _ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return PrivateKey(raw)


def consensus_address(pubkey: bytes) -> bytes:
    """The 20-byte consensus (validator) address: sha256(pubkey)[:20]."""
    return hashlib.sha256(pubkey).digest()[:ADDRESS_LENGTH]


def node_id(pubkey: bytes) -> str:
    """The CometBFT node ID: lower-case hex of sha256(pubkey)[:20] (40 characters)."""
    return consensus_address(pubkey).hex()


def pubkey_json(pubkey: PublicKey) -> dict[str, str]:
    """The amino-JSON form {"type": "tendermint/PubKeyEd25519", "value": base64(pub)}."""
    return {"type": PUBKEY_TYPE, "value": base64.b64encode(pubkey.key).decode()}


def priv_validator_key_json(key: PrivateKey) -> dict[str, Any]:
    """The content of `priv_validator_key.json` for `key`."""
    pub = key.public_key
    return {
        "address": consensus_address(pub.key).hex().upper(),
        "pub_key": pubkey_json(pub),
        "priv_key": _privkey_json(key),
    }


def parse_priv_validator_key(document: dict[str, Any]) -> PrivateKey:
    """The key in a `priv_validator_key.json` document, after checking it is self-consistent.

    Raises:
        KeyFileError: a type is not ed25519, a value is malformed, or the public key or address
            does not match the private key.
    """
    key = _parse_privkey(document.get("priv_key"))
    pub = key.public_key
    if _decode_typed(document.get("pub_key"), PUBKEY_TYPE, PUBLIC_KEY_LENGTH) != pub.key:
        raise KeyFileError("pub_key does not match priv_key")
    if str(document.get("address", "")).upper() != consensus_address(pub.key).hex().upper():
        raise KeyFileError("address does not match pub_key")
    return key


def save_priv_validator_key(path: Path, key: PrivateKey) -> None:
    """Write `priv_validator_key.json` (mode 0600, parent directory created 0700)."""
    _write_json(path, priv_validator_key_json(key))


def load_priv_validator_key(path: Path) -> PrivateKey:
    """Read and check `priv_validator_key.json`.

    Raises:
        KeyFileError: the file is not valid JSON or fails `parse_priv_validator_key`.
    """
    return parse_priv_validator_key(_read_json(path))


def save_node_key(path: Path, key: PrivateKey) -> None:
    """Write `node_key.json` ({"priv_key": {...}}, mode 0600)."""
    _write_json(path, {"priv_key": _privkey_json(key)})


def load_node_key(path: Path) -> PrivateKey:
    """Read `node_key.json`.

    Raises:
        KeyFileError: the file is not valid JSON or its priv_key is malformed or inconsistent.
    """
    return _parse_privkey(_read_json(path).get("priv_key"))


def save_priv_validator_state(path: Path) -> None:
    """Write the initial `priv_validator_state.json` (height "0", round 0, step 0), mode 0600.

    CometBFT refuses to start when the key file exists but the state file does not.
    """
    _write_json(path, {"height": "0", "round": 0, "step": 0})


def _privkey_json(key: PrivateKey) -> dict[str, str]:
    value = base64.b64encode(key.seed + key.public_key.key).decode()
    return {"type": PRIVKEY_TYPE, "value": value}


def _parse_privkey(typed: object) -> PrivateKey:
    raw = _decode_typed(typed, PRIVKEY_TYPE, SEED_LENGTH + PUBLIC_KEY_LENGTH)
    key = PrivateKey(raw[:SEED_LENGTH])
    if key.public_key.key != raw[SEED_LENGTH:]:
        raise KeyFileError("priv_key value: public half does not match the seed")
    return key


def _decode_typed(typed: object, expected_type: str, length: int) -> bytes:
    if not isinstance(typed, dict) or typed.get("type") != expected_type:
        raise KeyFileError(f"expected a key of type {expected_type}")
    try:
        raw = base64.b64decode(str(typed.get("value", "")), validate=True)
    except ValueError as error:
        raise KeyFileError(f"{expected_type} value is not base64") from error
    if len(raw) != length:
        raise KeyFileError(f"{expected_type} value must be {length} bytes, got {len(raw)}")
    return raw


def _write_json(path: Path, document: dict[str, Any]) -> None:
    ensure_private_dir(path.parent)
    write_private_file(path, (json.dumps(document, indent=2) + "\n").encode())


def _read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise KeyFileError(f"{path} is not valid JSON") from error
    if not isinstance(document, dict):
        raise KeyFileError(f"{path} does not hold a JSON object")
    return document
