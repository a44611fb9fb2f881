"""BIP39 mnemonics and BIP32/BIP44 derivation of secp256k1 account keys.

A key is derived as the Cosmos SDK does (`crypto/hd`):
    seed = BIP39 seed of the mnemonic with an empty passphrase
    key  = BIP32 private derivation of seed along m/44'/<coin type>'/<account>'/0/<index>
Coin type 118 is the Cosmos default and the one Persistence lists; Terra uses 330.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

import coincurve
from mnemonic import Mnemonic

from app.crypto.secp256k1 import CURVE_ORDER, PrivateKey

DEFAULT_COIN_TYPE = 118
"""SLIP-44 coin type of the Cosmos Hub, used by Persistence."""

MNEMONIC_STRENGTH_BITS = 256
"""Entropy of a new mnemonic: 256 bits give the SDK's default of 24 words."""

HARDENED_OFFSET = 0x80000000
"""BIP32 child indexes at or above 2^31 are hardened (written with a trailing ')."""

_MASTER_HMAC_KEY = b"Bitcoin seed"
_WORDLIST = Mnemonic("english")


class MnemonicError(ValueError):
    """A mnemonic has an unknown word, a wrong word count or a bad checksum."""


@dataclass(frozen=True, slots=True)
class ExtendedPrivateKey:
    """A BIP32 node: private key and chain code, each 32 bytes."""

    private_key: bytes = field(repr=False)
    chain_code: bytes = field(repr=False)


def generate_mnemonic(strength_bits: int = MNEMONIC_STRENGTH_BITS) -> str:
    """A new English BIP39 mnemonic (24 words for 256 bits, 12 for 128)."""
    return str(_WORDLIST.generate(strength=strength_bits))


def normalize_mnemonic(mnemonic: str) -> str:
    """The mnemonic lower-cased with single spaces, as BIP39 seeds and checksums expect it."""
    return " ".join(mnemonic.lower().split())


def validate_mnemonic(mnemonic: str) -> None:
    """Check that every word is in the English list and the checksum matches.

    Raises:
        MnemonicError: the mnemonic is not a valid BIP39 English mnemonic.
    """
    words = normalize_mnemonic(mnemonic).split(" ")
    if len(words) not in (12, 15, 18, 21, 24):
        raise MnemonicError(f"mnemonic must have 12, 15, 18, 21 or 24 words, got {len(words)}")
    unknown = [word for word in words if word not in _WORDLIST.wordlist]
    if unknown:
        raise MnemonicError(f"mnemonic has {len(unknown)} word(s) not in the BIP39 English list")
    if not _WORDLIST.check(" ".join(words)):
        raise MnemonicError("mnemonic checksum is invalid")


def mnemonic_to_seed(mnemonic: str, passphrase: str = "") -> bytes:
    """The 64-byte BIP39 seed: PBKDF2-HMAC-SHA512(mnemonic, "mnemonic" + passphrase, 2048)."""
    return bytes(Mnemonic.to_seed(normalize_mnemonic(mnemonic), passphrase))


def hd_path(coin_type: int = DEFAULT_COIN_TYPE, account: int = 0, index: int = 0) -> str:
    """The BIP44 path m/44'/coin_type'/account'/0/index used by `keys add`."""
    return f"m/44'/{coin_type}'/{account}'/0/{index}"


def parse_path(path: str) -> tuple[int, ...]:
    """Child indexes of a path such as "m/44'/118'/0'/0/0" (hardened ones offset by 2^31).

    Raises:
        ValueError: the path does not start with "m" or a component is not an index below 2^31.
    """
    head, *components = path.split("/")
    if head != "m":
        raise ValueError(f"HD path must start with 'm': {path!r}")
    indexes = []
    for component in components:
        hardened = component.endswith("'")
        digits = component[:-1] if hardened else component
        if not digits.isdigit() or int(digits) >= HARDENED_OFFSET:
            raise ValueError(f"invalid HD path component {component!r} in {path!r}")
        indexes.append(int(digits) + (HARDENED_OFFSET if hardened else 0))
    return tuple(indexes)


def master_key(seed: bytes) -> ExtendedPrivateKey:
    """The BIP32 master node: I = HMAC-SHA512("Bitcoin seed", seed); key = I[:32], chain = I[32:].

    Raises:
        ValueError: I[:32] is 0 or ≥ n (probability below 2^-127; BIP32 says to use another seed).
    """
    digest = hmac.digest(_MASTER_HMAC_KEY, seed, hashlib.sha512)
    return ExtendedPrivateKey(_checked_scalar(digest[:32]), digest[32:])


def derive_child(parent: ExtendedPrivateKey, index: int) -> ExtendedPrivateKey:
    """BIP32 CKDpriv: the child private node at `index` (hardened when index ≥ 2^31).

    I = HMAC-SHA512(chain, 0x00‖key‖ser32(index)) if hardened, else HMAC-SHA512(chain,
    compressed(key·G)‖ser32(index)); child key = (I[:32] + key) mod n; child chain = I[32:].

    Raises:
        ValueError: I[:32] ≥ n or the child key is 0 (probability below 2^-127; BIP32 says to
            skip to the next index, which the SDK does not do either).
    """
    if index >= HARDENED_OFFSET:
        data = b"\x00" + parent.private_key
    else:
        data = coincurve.PublicKey.from_valid_secret(parent.private_key).format(compressed=True)
    digest = hmac.digest(parent.chain_code, data + index.to_bytes(4, "big"), hashlib.sha512)
    tweak = int.from_bytes(digest[:32], "big")
    if tweak >= CURVE_ORDER:
        raise ValueError("derived tweak is not below n; use another index")
    child = (tweak + int.from_bytes(parent.private_key, "big")) % CURVE_ORDER
    return ExtendedPrivateKey(_checked_scalar(child.to_bytes(32, "big")), digest[32:])


def derive_path(seed: bytes, path: str) -> ExtendedPrivateKey:
    """The node reached from the master node of `seed` by following `path`."""
    node = master_key(seed)
    for index in parse_path(path):
        node = derive_child(node, index)
    return node


def derive_private_key(
    mnemonic: str,
    coin_type: int = DEFAULT_COIN_TYPE,
    account: int = 0,
    index: int = 0,
) -> PrivateKey:
    """The account key of a mnemonic at m/44'/coin_type'/account'/0/index (empty passphrase).

    Raises:
        MnemonicError: the mnemonic fails BIP39 validation.
    """
    validate_mnemonic(mnemonic)
    node = derive_path(mnemonic_to_seed(mnemonic), hd_path(coin_type, account, index))
    return PrivateKey(node.private_key)


def _checked_scalar(candidate: bytes) -> bytes:
    if not 0 < int.from_bytes(candidate, "big") < CURVE_ORDER:
        raise ValueError("derived key is outside [1, n-1]; use another seed or index")
    return candidate
