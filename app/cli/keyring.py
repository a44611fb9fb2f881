"""The local keyring behind `allianced keys` and `--from`: named secp256k1 account keys.

Backends (as `--keyring-backend`):
    test    unencrypted JSON under <home>/keyring-test (devnets and scripts only)
    file    private keys encrypted under <home>/keyring-file with a keyring passphrase
            (scrypt → AES-256-GCM), read from $ALLIANCED_KEYRING_PASSPHRASE or a prompt
    memory  kept in this process only (tests)

Each key is a `<name>.info` JSON file plus a `<hex address>.address` file naming it, so a key can
be found by name or by bech32 address. Directories are 0700 and files 0600. Public data (name,
public key, address) is stored in clear so `list` and `show` never need the passphrase; the
private key is decrypted only to sign or export, and never leaves this module otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, get_args

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.crypto.files import ensure_private_dir, write_private_file
from app.crypto.hd import DEFAULT_COIN_TYPE, MnemonicError, derive_private_key, generate_mnemonic
from app.crypto.secp256k1 import PrivateKey, PublicKey
from app.types.address import ACCOUNT_PREFIX, from_bech32, to_bech32

Backend = Literal["test", "file", "memory"]
"""Keyring backends this client supports."""

BACKENDS: tuple[Backend, ...] = get_args(Backend)
"""All backend names, in the order `--help` lists them."""

PASSPHRASE_ENV = "ALLIANCED_KEYRING_PASSPHRASE"
"""Environment variable read for the `file` backend's passphrase before prompting."""

KEY_TYPE_LOCAL = "local"
"""Record type of a key whose private part is held by this keyring (SDK `TypeLocal`)."""

PassphrasePrompt = Callable[[bool], str]
"""Asks the user for the keyring passphrase; the argument is True when the passphrase is being
chosen for a new keyring (so the prompt should ask twice)."""

_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_INFO_SUFFIX = ".info"
_ADDRESS_SUFFIX = ".address"
_KEYHASH_FILE = "keyhash"
_PASSPHRASE_CHECK_LABEL = b"allianced keyring passphrase check"
_SEAL_LABEL = b"allianced keyring key:"
_ARMOR_LABEL = b"allianced armored key v1"
_ARMOR_BEGIN = "-----BEGIN ALLIANCED PRIVATE KEY-----"
_ARMOR_END = "-----END ALLIANCED PRIVATE KEY-----"
_NONCE_LENGTH = 12
_SALT_LENGTH = 16


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt cost parameters: N = 2^15, r = 8, p = 1 needs 32 MiB and ~0.1 s per derivation."""

    n: int = 2**15
    r: int = 8
    p: int = 1

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        """A 32-byte AES-256 key: scrypt(passphrase, salt, N, r, p)."""
        return hashlib.scrypt(
            passphrase.encode(), salt=salt, n=self.n, r=self.r, p=self.p, maxmem=2**26, dklen=32
        )


class KeyringError(Exception):
    """A keyring operation failed: unknown or duplicate key, bad passphrase, corrupt file."""


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """The public part of a stored key: name, 33-byte compressed public key, 20-byte address."""

    name: str
    pubkey: bytes
    address: bytes
    key_type: str = KEY_TYPE_LOCAL

    @property
    def bech32_address(self) -> str:
        """The account address with the `persistence` prefix."""
        return to_bech32(ACCOUNT_PREFIX, self.address)


class _Storage(Protocol):
    def read(self, filename: str) -> bytes | None: ...
    def write(self, filename: str, data: bytes) -> None: ...
    def delete(self, filename: str) -> None: ...
    def filenames(self) -> list[str]: ...


class _DirectoryStorage:
    """Files in one directory, created 0700, each file written 0600."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def read(self, filename: str) -> bytes | None:
        try:
            return (self._directory / filename).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, filename: str, data: bytes) -> None:
        ensure_private_dir(self._directory)
        write_private_file(self._directory / filename, data)

    def delete(self, filename: str) -> None:
        (self._directory / filename).unlink(missing_ok=True)

    def filenames(self) -> list[str]:
        if not self._directory.is_dir():
            return []
        return sorted(entry.name for entry in self._directory.iterdir() if entry.is_file())


class _MemoryStorage:
    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def read(self, filename: str) -> bytes | None:
        return self._files.get(filename)

    def write(self, filename: str, data: bytes) -> None:
        self._files[filename] = data

    def delete(self, filename: str) -> None:
        self._files.pop(filename, None)

    def filenames(self) -> list[str]:
        return sorted(self._files)


class Keyring:
    """Named account keys in one backend under `home`.

    Parameters:
        home: the client home; `test` keys live in <home>/keyring-test, `file` keys in
            <home>/keyring-file.
        backend: "test", "file" or "memory".
        passphrase_prompt: asked for the `file` passphrase when $ALLIANCED_KEYRING_PASSPHRASE is
            unset; without either, operations that need the passphrase raise KeyringError.
        scrypt: KDF cost of the `file` backend (tests lower it).
    """

    def __init__(
        self,
        home: Path,
        backend: Backend,
        passphrase_prompt: PassphrasePrompt | None = None,
        scrypt: ScryptParams = ScryptParams(),
    ) -> None:
        if backend not in BACKENDS:
            raise KeyringError(f"unknown keyring backend {backend!r}; use one of {BACKENDS}")
        self.backend = backend
        self._storage: _Storage = (
            _MemoryStorage()
            if backend == "memory"
            else _DirectoryStorage(home / f"keyring-{backend}")
        )
        self._passphrase_prompt = passphrase_prompt
        self._scrypt = scrypt
        self._cipher_key: bytes | None = None

    def add(
        self,
        name: str,
        mnemonic: str | None = None,
        coin_type: int = DEFAULT_COIN_TYPE,
        account: int = 0,
        index: int = 0,
    ) -> tuple[KeyRecord, str]:
        """Derive a key at m/44'/coin_type'/account'/0/index and store it under `name`.

        Returns:
            the new record and the mnemonic (a new 24-word one when `mnemonic` is None).

        Raises:
            KeyringError: invalid name or mnemonic, or the name or address is already stored.
        """
        self._check_new_name(name)
        phrase = generate_mnemonic() if mnemonic is None else mnemonic
        try:
            private_key = derive_private_key(phrase, coin_type, account, index)
        except MnemonicError as error:
            raise KeyringError(f"invalid mnemonic: {error}") from error
        except ValueError as error:
            raise KeyringError(str(error)) from error
        return self._store(name, private_key), phrase

    def get(self, name_or_address: str) -> KeyRecord:
        """The record named `name_or_address`, or whose bech32 account address it is.

        Raises:
            KeyringError: no such key.
        """
        return self._read_record(self._resolve(name_or_address))

    def list(self) -> list[KeyRecord]:
        """All records, sorted by name."""
        names = [
            filename.removesuffix(_INFO_SUFFIX)
            for filename in self._storage.filenames()
            if filename.endswith(_INFO_SUFFIX)
        ]
        return [self._read_record(name) for name in sorted(names)]

    def delete(self, name_or_address: str) -> KeyRecord:
        """Remove a key and its address index; returns the removed record.

        Raises:
            KeyringError: no such key.
        """
        record = self.get(name_or_address)
        self._storage.delete(record.address.hex() + _ADDRESS_SUFFIX)
        self._storage.delete(record.name + _INFO_SUFFIX)
        return record

    def sign(self, name_or_address: str, msg: bytes) -> tuple[bytes, bytes]:
        """Sign `msg` with a stored key: returns (64-byte low-S signature, 33-byte public key).

        Raises:
            KeyringError: no such key, or the `file` passphrase is missing or wrong.
        """
        name = self._resolve(name_or_address)
        private_key = self._read_private_key(name)
        return private_key.sign(msg), private_key.public_key.key

    def export_armored(self, name_or_address: str, passphrase: str) -> str:
        """The private key as ASCII armor encrypted with `passphrase`.

        This is this project's own format, NOT the Cosmos SDK's bcrypt/xsalsa20 armor: headers
        `kdf: scrypt`, `salt`, `type: secp256k1`, then base64(nonce ‖ AES-256-GCM ciphertext) of
        the 32-byte key, the AES key being scrypt(passphrase, salt).

        Raises:
            KeyringError: no such key, or the `file` passphrase is missing or wrong.
        """
        if not passphrase:
            raise KeyringError("export passphrase must not be empty")
        private_key = self._read_private_key(self._resolve(name_or_address))
        salt = os.urandom(_SALT_LENGTH)
        nonce = os.urandom(_NONCE_LENGTH)
        sealed = AESGCM(self._scrypt.derive(passphrase, salt)).encrypt(
            nonce, private_key.secret, _ARMOR_LABEL
        )
        body = textwrap.wrap(base64.b64encode(nonce + sealed).decode(), 64)
        headers = [
            "kdf: scrypt",
            f"scrypt: {self._scrypt.n},{self._scrypt.r},{self._scrypt.p}",
            f"salt: {salt.hex().upper()}",
            "type: secp256k1",
        ]
        return "\n".join([_ARMOR_BEGIN, *headers, "", *body, _ARMOR_END]) + "\n"

    def import_armored(self, name: str, text: str, passphrase: str) -> KeyRecord:
        """Store under `name` the key in armor made by `export_armored`.

        Raises:
            KeyringError: malformed armor, wrong passphrase, or the name or address exists.
        """
        self._check_new_name(name)
        headers, payload = _parse_armor(text)
        if headers.get("kdf") != "scrypt" or headers.get("type") != "secp256k1":
            raise KeyringError("unsupported armor: expected kdf scrypt and type secp256k1")
        try:
            n, r, p = (int(part) for part in headers["scrypt"].split(","))
            salt = bytes.fromhex(headers["salt"])
            key = ScryptParams(n, r, p).derive(passphrase, salt)
        except (KeyError, ValueError) as error:
            raise KeyringError("malformed armor headers") from error
        try:
            secret = AESGCM(key).decrypt(
                payload[:_NONCE_LENGTH], payload[_NONCE_LENGTH:], _ARMOR_LABEL
            )
            private_key = PrivateKey(secret)
        except (InvalidTag, ValueError) as error:
            raise KeyringError("incorrect passphrase or corrupted armor") from error
        return self._store(name, private_key)

    def _check_new_name(self, name: str) -> None:
        if not _NAME_PATTERN.fullmatch(name):
            raise KeyringError(
                f"invalid key name {name!r}: use 1-64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
        if self._storage.read(name + _INFO_SUFFIX) is not None:
            raise KeyringError(f"a key named {name!r} already exists")

    def _store(self, name: str, private_key: PrivateKey) -> KeyRecord:
        self._check_new_name(name)
        pubkey = private_key.public_key
        address = pubkey.address()
        existing = self._storage.read(address.hex() + _ADDRESS_SUFFIX)
        if existing is not None:
            raise KeyringError(f"this key is already stored under the name {existing.decode()!r}")
        info = {
            "name": name,
            "type": KEY_TYPE_LOCAL,
            "algo": "secp256k1",
            "pubkey": base64.b64encode(pubkey.key).decode(),
            "address": address.hex(),
            "private_key": self._seal(private_key.secret, address),
        }
        self._storage.write(name + _INFO_SUFFIX, json.dumps(info, indent=2).encode())
        self._storage.write(address.hex() + _ADDRESS_SUFFIX, name.encode())
        return KeyRecord(name, pubkey.key, address)

    def _resolve(self, name_or_address: str) -> str:
        address = _parse_account_address(name_or_address)
        if address is None:
            return name_or_address
        name = self._storage.read(address.hex() + _ADDRESS_SUFFIX)
        if name is None:
            raise KeyringError(f"no key with address {name_or_address} in the keyring")
        return name.decode()

    def _read_info(self, name: str) -> dict[str, Any]:
        raw = self._storage.read(name + _INFO_SUFFIX) if _NAME_PATTERN.fullmatch(name) else None
        if raw is None:
            raise KeyringError(f"key {name!r} not found in the {self.backend} keyring")
        try:
            info = json.loads(raw)
        except json.JSONDecodeError as error:
            raise KeyringError(f"key file of {name!r} is corrupt") from error
        if not isinstance(info, dict):
            raise KeyringError(f"key file of {name!r} is corrupt")
        return info

    def _read_record(self, name: str) -> KeyRecord:
        info = self._read_info(name)
        try:
            return KeyRecord(name, base64.b64decode(info["pubkey"]), bytes.fromhex(info["address"]))
        except (KeyError, ValueError) as error:
            raise KeyringError(f"key file of {name!r} is corrupt") from error

    def _read_private_key(self, name: str) -> PrivateKey:
        info = self._read_info(name)
        record = self._read_record(name)
        try:
            private_key = PrivateKey(self._unseal(info["private_key"], record.address))
        except (KeyError, TypeError, ValueError) as error:
            raise KeyringError(f"key file of {name!r} is corrupt") from error
        if private_key.public_key != PublicKey(record.pubkey):
            raise KeyringError(f"key file of {name!r} is corrupt: keys do not match")
        return private_key

    def _seal(self, secret: bytes, address: bytes) -> dict[str, str]:
        if self.backend != "file":
            return {"plain": secret.hex()}
        nonce = os.urandom(_NONCE_LENGTH)
        ciphertext = AESGCM(self._keyring_key(creating=True)).encrypt(
            nonce, secret, _SEAL_LABEL + address
        )
        return {
            "nonce": base64.b64encode(nonce).decode(),
            "ciphertext": base64.b64encode(ciphertext).decode(),
        }

    def _unseal(self, sealed: dict[str, str], address: bytes) -> bytes:
        if self.backend != "file":
            return bytes.fromhex(sealed["plain"])
        key = self._keyring_key(creating=False)
        try:
            return AESGCM(key).decrypt(
                base64.b64decode(sealed["nonce"]),
                base64.b64decode(sealed["ciphertext"]),
                _SEAL_LABEL + address,
            )
        except InvalidTag as error:
            raise KeyringError("key file is corrupt: decryption failed") from error

    def _keyring_key(self, creating: bool) -> bytes:
        """The AES key of the `file` backend, derived once per Keyring from the passphrase.

        The keyhash file holds the scrypt salt and an HMAC of a fixed label under the derived
        key, so a wrong passphrase is reported as such instead of as a corrupt key.
        """
        if self._cipher_key is not None:
            return self._cipher_key
        raw = self._storage.read(_KEYHASH_FILE)
        if raw is None and not creating:
            raise KeyringError("keyring passphrase file is missing; the keyring is corrupt")
        passphrase = self._passphrase(new=raw is None)
        if raw is None:
            salt = os.urandom(_SALT_LENGTH)
            key = self._scrypt.derive(passphrase, salt)
            keyhash = {
                "kdf": "scrypt",
                "n": self._scrypt.n,
                "r": self._scrypt.r,
                "p": self._scrypt.p,
                "salt": base64.b64encode(salt).decode(),
                "check": base64.b64encode(_passphrase_check(key)).decode(),
            }
            self._storage.write(_KEYHASH_FILE, json.dumps(keyhash, indent=2).encode())
        else:
            try:
                stored = json.loads(raw)
                params = ScryptParams(int(stored["n"]), int(stored["r"]), int(stored["p"]))
                key = params.derive(passphrase, base64.b64decode(stored["salt"]))
                check = base64.b64decode(stored["check"])
            except (KeyError, TypeError, ValueError) as error:
                raise KeyringError("keyring passphrase file is corrupt") from error
            if not hmac.compare_digest(check, _passphrase_check(key)):
                raise KeyringError("incorrect keyring passphrase")
        self._cipher_key = key
        return key

    def _passphrase(self, new: bool) -> str:
        from_env = os.environ.get(PASSPHRASE_ENV)
        if from_env:
            return from_env
        if self._passphrase_prompt is None:
            raise KeyringError(f"the file keyring needs a passphrase: set {PASSPHRASE_ENV}")
        passphrase = self._passphrase_prompt(new)
        if not passphrase:
            raise KeyringError("keyring passphrase must not be empty")
        return passphrase


def _passphrase_check(key: bytes) -> bytes:
    return hmac.digest(key, _PASSPHRASE_CHECK_LABEL, hashlib.sha256)


def _parse_account_address(text: str) -> bytes | None:
    if not text.startswith(ACCOUNT_PREFIX + "1"):
        return None
    try:
        return from_bech32(text, ACCOUNT_PREFIX)
    except ValueError:
        return None


def _parse_armor(text: str) -> tuple[dict[str, str], bytes]:
    lines = [line.strip() for line in text.strip().splitlines()]
    if len(lines) < 3 or lines[0] != _ARMOR_BEGIN or lines[-1] != _ARMOR_END:
        raise KeyringError("not an allianced armored key (missing BEGIN/END lines)")
    inner = lines[1:-1]
    if "" not in inner:
        raise KeyringError("malformed armor: no blank line after the headers")
    split = inner.index("")
    headers: dict[str, str] = {}
    for line in inner[:split]:
        key, colon, value = line.partition(":")
        if not colon:
            raise KeyringError(f"malformed armor header {line!r}")
        headers[key.strip()] = value.strip()
    try:
        payload = base64.b64decode("".join(inner[split + 1 :]), validate=True)
    except ValueError as error:
        raise KeyringError("malformed armor body: not base64") from error
    if len(payload) <= _NONCE_LENGTH:
        raise KeyringError("malformed armor body: too short")
    return headers, payload
