"""Addresses: raw bytes, derived from keys or module names, shown as bech32 (BIP-173).

An address is 20 bytes (accounts, validators, consensus keys, modules) or 32 bytes (some module
and contract accounts). Its text form is bech32 (the original BIP-173 checksum, not bech32m) with a
human-readable prefix that names the role: `persistence…`, `persistencevaloper…`,
`persistencevalcons…`. An operator address reuses the operator's account bytes. Every typed
helper takes the prefix as a parameter; left out, it comes from the process-wide bech32
configuration (the SDK's `sdk.Config`), which defaults to `persistence` and which tests replaying
reference vectors switch to `cosmos` with `bech32_account_prefix`.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Final, NewType

from app.types._ripemd160 import ripemd160
from app.types.errors import AddressError

ACCOUNT_PREFIX: Final = "persistence"
"""Bech32 prefix of account addresses."""

VALIDATOR_PREFIX: Final = "persistencevaloper"
"""Bech32 prefix of validator operator addresses."""

CONSENSUS_PREFIX: Final = "persistencevalcons"
"""Bech32 prefix of validator consensus addresses."""

ADDRESS_LENGTHS: Final = (20, 32)
"""Payload lengths accepted when decoding an address."""

AccAddress = NewType("AccAddress", bytes)
ValAddress = NewType("ValAddress", bytes)
ConsAddress = NewType("ConsAddress", bytes)

# ---- bech32 (BIP-173) ---------------------------------------------------------------------------

_CHARSET: Final = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_CHARSET_INDEX: Final = {char: index for index, char in enumerate(_CHARSET)}
_GENERATOR: Final = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_CHECKSUM_LENGTH: Final = 6
_MAX_LENGTH: Final = 1023
"""Longest accepted string: the SDK lifts BIP-173's 90-character limit to 1023."""


def _generator_sum(top: int) -> int:
    """XOR of the generators selected by the 5 bits of `top`."""
    result = 0
    for bit, generator in enumerate(_GENERATOR):
        if (top >> bit) & 1:
            result ^= generator
    return result


# One lookup per character instead of five tests: bech32 decoding is on the CheckTx path.
_GENERATOR_SUMS: Final = tuple(_generator_sum(top) for top in range(32))


def _polymod(values: list[int]) -> int:
    """The BCH checksum polynomial of BIP-173 over 5-bit values."""
    checksum = 1
    for value in values:
        checksum = ((checksum & 0x1FFFFFF) << 5 ^ value) ^ _GENERATOR_SUMS[checksum >> 25]
    return checksum


def _expand_hrp(hrp: str) -> list[int]:
    return [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    """Regroups a bit string from `from_bits`-bit to `to_bits`-bit values (BIP-173 convertbits).

    With `pad`, a partial last group is zero-padded; without it, leftover bits must be fewer than
    `from_bits` and all zero, otherwise `AddressError`.
    """
    accumulator = 0
    bits = 0
    result: list[int] = []
    mask = (1 << to_bits) - 1
    for value in data:
        accumulator = (accumulator << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            result.append((accumulator >> bits) & mask)
    if pad:
        if bits:
            result.append((accumulator << (to_bits - bits)) & mask)
    elif bits >= from_bits or (accumulator << (to_bits - bits)) & mask:
        raise AddressError("invalid padding in bech32 data")
    return result


BECH32_CACHE_SIZE: Final = 1 << 16
"""Conversions remembered: bech32 costs ~15 us in Python and every tx converts the same
few addresses several times (signers, events). Both directions are pure, so a cache is safe."""


@lru_cache(maxsize=BECH32_CACHE_SIZE)
def to_bech32(hrp: str, data: bytes) -> str:
    """Encodes `data` as bech32 with prefix `hrp`: hrp + "1" + base32(data) + 6-char checksum."""
    if not hrp or any(not 33 <= ord(char) <= 126 for char in hrp) or hrp.lower() != hrp:
        raise AddressError(f"invalid bech32 prefix {hrp!r}")
    values = _convert_bits(data, 8, 5, pad=True)
    polymod = _polymod([*_expand_hrp(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(_CHECKSUM_LENGTH)]
    return hrp + "1" + "".join(_CHARSET[value] for value in values + checksum)


def _decode(text: str) -> tuple[str, list[int]]:
    """Splits a bech32 string into its prefix and 5-bit data, checking form and checksum."""
    if len(text) > _MAX_LENGTH:
        raise AddressError(f"bech32 string too long: {len(text)} > {_MAX_LENGTH} characters")
    if any(not 33 <= ord(char) <= 126 for char in text):
        raise AddressError("invalid character in bech32 string")
    if text.lower() != text and text.upper() != text:
        raise AddressError("bech32 string mixes upper and lower case")
    text = text.lower()
    separator = text.rfind("1")
    if separator < 1:
        raise AddressError("bech32 string has no prefix or no '1' separator")
    if len(text) - separator - 1 < _CHECKSUM_LENGTH:
        raise AddressError("bech32 string too short for its checksum")
    hrp, encoded = text[:separator], text[separator + 1 :]
    bad = [char for char in encoded if char not in _CHARSET_INDEX]
    if bad:
        raise AddressError(f"invalid bech32 character {bad[0]!r}")
    values = [_CHARSET_INDEX[char] for char in encoded]
    if _polymod(_expand_hrp(hrp) + values) != 1:
        raise AddressError("invalid bech32 checksum")
    return hrp, values[:-_CHECKSUM_LENGTH]


@lru_cache(maxsize=BECH32_CACHE_SIZE)
def from_bech32(text: str, hrp: str) -> bytes:
    """Decodes a bech32 address whose prefix must be `hrp` and payload 20 or 32 bytes.

    Raises `AddressError` naming the problem: bad characters, mixed case, bad checksum,
    "expected persistence, got cosmos", or a payload of the wrong length.
    """
    if not text:
        raise AddressError("empty address string")
    prefix, values = _decode(text)
    if prefix != hrp:
        raise AddressError(f"invalid bech32 prefix: expected {hrp}, got {prefix}")
    payload = bytes(_convert_bits(values, 5, 8, pad=False))
    if len(payload) not in ADDRESS_LENGTHS:
        raise AddressError(f"invalid address length {len(payload)}: want 20 or 32 bytes")
    return payload


# ---- derivation -------------------------------------------------------------------------------


def module_address(name: str) -> AccAddress:
    """The account of a module: sha256(name)[:20] (`authtypes.NewModuleAddress`)."""
    return AccAddress(hashlib.sha256(name.encode()).digest()[:20])


def address_from_secp256k1_pubkey(pubkey: bytes) -> AccAddress:
    """The account of a compressed secp256k1 key: ripemd160(sha256(pubkey33))."""
    if len(pubkey) != 33:
        raise AddressError(f"secp256k1 public key must be 33 bytes, got {len(pubkey)}")
    return AccAddress(ripemd160(hashlib.sha256(pubkey).digest()))


def address_from_ed25519_pubkey(pubkey: bytes) -> ConsAddress:
    """The consensus address of an ed25519 key: sha256(pubkey32)[:20] (CometBFT tmhash)."""
    if len(pubkey) != 32:
        raise AddressError(f"ed25519 public key must be 32 bytes, got {len(pubkey)}")
    return ConsAddress(hashlib.sha256(pubkey).digest()[:20])


# ---- prefix configuration (the SDK's sdk.Config) -----------------------------------------------

_account_prefix: ContextVar[str] = ContextVar("bech32_account_prefix", default=ACCOUNT_PREFIX)


def account_prefix() -> str:
    """The configured account prefix, e.g. "persistence"."""
    return _account_prefix.get()


def validator_prefix() -> str:
    """The configured operator prefix: account prefix + "valoper", as the SDK derives it."""
    return _account_prefix.get() + "valoper"


def consensus_prefix() -> str:
    """The configured consensus prefix: account prefix + "valcons"."""
    return _account_prefix.get() + "valcons"


@contextmanager
def bech32_account_prefix(prefix: str) -> Iterator[None]:
    """Renders and parses addresses with `prefix` (and its valoper/valcons forms) in the block."""
    token = _account_prefix.set(prefix)
    try:
        yield
    finally:
        _account_prefix.reset(token)


# ---- typed bech32 helpers ---------------------------------------------------------------------


def acc_address_from_bech32(text: str, prefix: str | None = None) -> AccAddress:
    """Decodes an account address (`sdk.AccAddressFromBech32`)."""
    return AccAddress(from_bech32(text, account_prefix() if prefix is None else prefix))


def val_address_from_bech32(text: str, prefix: str | None = None) -> ValAddress:
    """Decodes a validator operator address (`sdk.ValAddressFromBech32`)."""
    return ValAddress(from_bech32(text, validator_prefix() if prefix is None else prefix))


def cons_address_from_bech32(text: str, prefix: str | None = None) -> ConsAddress:
    """Decodes a consensus address (`sdk.ConsAddressFromBech32`)."""
    return ConsAddress(from_bech32(text, consensus_prefix() if prefix is None else prefix))


def acc_to_bech32(address: bytes, prefix: str | None = None) -> str:
    """Shows an account address, e.g. "persistence1…"."""
    return to_bech32(account_prefix() if prefix is None else prefix, address)


def val_to_bech32(address: bytes, prefix: str | None = None) -> str:
    """Shows a validator operator address, e.g. "persistencevaloper1…"."""
    return to_bech32(validator_prefix() if prefix is None else prefix, address)


def cons_to_bech32(address: bytes, prefix: str | None = None) -> str:
    """Shows a consensus address, e.g. "persistencevalcons1…"."""
    return to_bech32(consensus_prefix() if prefix is None else prefix, address)
