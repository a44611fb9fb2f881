"""Addresses: bech32 (BIP-173), derivations, and the pure-Python RIPEMD-160 fallback."""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.types import (
    ACCOUNT_PREFIX,
    CONSENSUS_PREFIX,
    VALIDATOR_PREFIX,
    AddressError,
    _ripemd160,
    acc_address_from_bech32,
    acc_to_bech32,
    address_from_ed25519_pubkey,
    address_from_secp256k1_pubkey,
    cons_address_from_bech32,
    cons_to_bech32,
    from_bech32,
    module_address,
    to_bech32,
    val_address_from_bech32,
    val_to_bech32,
)
from app.types.address import _CHARSET, _convert_bits, _decode, _expand_hrp, _polymod

# ---- BIP-173 test vectors --------------------------------------------------------------------

BIP173_VALID = [
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11" + "q" * 82 + "c8247j",  # the 90-character vector
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
]

BIP173_INVALID = [
    "\x201nwldj5",  # HRP character out of range
    "\x7f1axkwrx",  # HRP character out of range
    "\x801eym55h",  # HRP character out of range
    "pzry9x0s0muk",  # no separator
    "1pzry9x0s0muk",  # empty HRP
    "x1b4n0q5v",  # invalid data character
    "li1dgmt3",  # too short checksum
    "de1lg7wt\xff",  # invalid character in checksum
    "A1G7SGD8",  # checksum calculated with uppercase HRP
    "10a06t8",  # empty HRP
    "1qzzfhee",  # empty HRP
]


@pytest.mark.parametrize("text", BIP173_VALID)
def test_bip173_valid_strings(text: str) -> None:
    hrp, _ = _decode(text)
    assert hrp == text[: text.rfind("1")].lower()


@pytest.mark.parametrize("text", BIP173_INVALID)
def test_bip173_invalid_strings(text: str) -> None:
    with pytest.raises(AddressError):
        _decode(text)


def test_bip173_encodings_are_reproduced() -> None:
    assert to_bech32("a", b"") == "a12uel5l"
    payload = from_bech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdef")
    assert payload == bytes.fromhex("00443214c74254b635cf84653a56d7c675be77df")
    assert to_bech32("abcdef", payload) == "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"


def test_bip173_witness_program_vector() -> None:
    # BIP-173's P2WPKH example: witness version 0, then the key hash in 5-bit groups.
    key_hash = bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6")
    hrp, values = _decode("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
    assert hrp == "bc"
    assert values == [0, *_convert_bits(key_hash, 8, 5, pad=True)]


# ---- module and key addresses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "address"),
    [
        ("gov", "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn"),
        ("distribution", "cosmos1jv65s3grqf6v6jl3dp4t6c9t9rk99cd88lyufl"),
        ("fee_collector", "cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta"),
        ("bonded_tokens_pool", "cosmos1fl48vsnmsdzcv85q5d2q4z5ajdha8yu34mf0eh"),
        ("not_bonded_tokens_pool", "cosmos1tygms3xhhs3yv487phx3dw4a95jn7t7lpm470r"),
    ],
)
def test_module_addresses(module: str, address: str) -> None:
    assert acc_to_bech32(module_address(module), "cosmos") == address
    assert acc_address_from_bech32(address, "cosmos") == module_address(module)


GENERATOR_POINT = bytes.fromhex(
    "0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"
)


def test_secp256k1_address_is_hash160() -> None:
    # hash160 of the compressed generator point (private key 1), the key of BIP-173's examples.
    expected = bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6")
    assert address_from_secp256k1_pubkey(GENERATOR_POINT) == expected
    with pytest.raises(AddressError):
        address_from_secp256k1_pubkey(GENERATOR_POINT[1:])


def test_secp256k1_address_without_openssl_ripemd(monkeypatch: pytest.MonkeyPatch) -> None:
    def unsupported(name: str, data: bytes = b"") -> "hashlib._Hash":
        raise ValueError(f"unsupported hash type {name}")

    monkeypatch.setattr(hashlib, "new", unsupported)
    expected = bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6")
    assert address_from_secp256k1_pubkey(GENERATOR_POINT) == expected


def test_ed25519_consensus_address() -> None:
    key = bytes(range(32))
    assert address_from_ed25519_pubkey(key) == hashlib.sha256(key).digest()[:20]
    with pytest.raises(AddressError):
        address_from_ed25519_pubkey(key[:31])


# ---- RIPEMD-160 ------------------------------------------------------------------------------

RIPEMD160_VECTORS = [  # from the algorithm's reference page (Bosselaers)
    (b"", "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
    (b"a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"),
    (b"abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
    (b"message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"),
    (b"abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc"),
    (
        b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "12a053384a9c0c88e405a06c27dcf49ada62eb2b",
    ),
    (
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "b0e20b6e3116640286ed3a87a5713079b21f5189",
    ),
    (b"1234567890" * 8, "9b752e45573d4b39f4dbd3323cab82bf63326bfb"),
]


@pytest.mark.parametrize(("message", "digest"), RIPEMD160_VECTORS)
def test_pure_ripemd160_vectors(message: bytes, digest: str) -> None:
    assert _ripemd160.ripemd160_pure(message).hex() == digest


def test_pure_ripemd160_million_a() -> None:
    digest = _ripemd160.ripemd160_pure(b"a" * 1_000_000).hex()
    assert digest == "52783243c1697bdbe16d37f97f68f08325dc1528"


@given(st.binary(max_size=300))
def test_pure_ripemd160_matches_openssl(data: bytes) -> None:
    try:
        reference = hashlib.new("ripemd160", data).digest()
    except ValueError:
        pytest.skip("OpenSSL without RIPEMD-160")
    assert _ripemd160.ripemd160_pure(data) == reference


# ---- decoding errors and typed helpers --------------------------------------------------------


def test_wrong_prefix_is_named() -> None:
    gov = "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn"
    with pytest.raises(AddressError, match="expected persistence, got cosmos"):
        acc_address_from_bech32(gov)


def test_bad_checksum() -> None:
    gov = "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kq"
    with pytest.raises(AddressError, match="checksum"):
        from_bech32(gov, "cosmos")


@pytest.mark.parametrize("length", [0, 1, 19, 21, 31, 33, 64])
def test_wrong_payload_length(length: int) -> None:
    with pytest.raises(AddressError, match="length"):
        from_bech32(to_bech32("persistence", bytes(length)), "persistence")


@pytest.mark.parametrize("length", [20, 32])
def test_accepted_payload_lengths(length: int) -> None:
    payload = bytes(range(length))
    assert from_bech32(to_bech32("persistence", payload), "persistence") == payload


def test_upper_case_is_accepted_mixed_case_is_not() -> None:
    gov = "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn"
    assert from_bech32(gov.upper(), "cosmos") == module_address("gov")
    with pytest.raises(AddressError, match="case"):
        from_bech32(gov[:10] + gov[10:].upper(), "cosmos")


def test_junk() -> None:
    for junk in ("", "persistence", "persistence1", "1", "persistence1b" + "q" * 38):
        with pytest.raises(AddressError):
            from_bech32(junk, "persistence")
    with pytest.raises(AddressError):
        from_bech32("a" * 1000 + "1" + "q" * 100, "a" * 1000)


def test_non_zero_padding_is_rejected() -> None:
    # 32 bytes fill 52 five-bit groups (260 bits): the last group ends in 4 padding bits,
    # which must be zero. 'p' is the group value 1, so it sets one padding bit.
    data = to_bech32("persistence", bytes(32))[len("persistence") + 1 : -6]
    assert data[-1] == "q"
    with pytest.raises(AddressError, match="padding"):
        from_bech32(_with_checksum("persistence", data[:-1] + "p"), "persistence")


def _with_checksum(hrp: str, data_chars: str) -> str:
    """Builds a bech32 string with a correct checksum around arbitrary data characters."""
    values = [_CHARSET.index(c) for c in data_chars]
    polymod = _polymod([*_expand_hrp(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = "".join(_CHARSET[(polymod >> 5 * (5 - i)) & 31] for i in range(6))
    return f"{hrp}1{data_chars}{checksum}"


def test_typed_helpers_use_persistence_prefixes() -> None:
    operator = bytes(range(20))
    account = acc_to_bech32(operator)
    validator = val_to_bech32(operator)
    consensus = cons_to_bech32(operator)
    assert account.startswith(ACCOUNT_PREFIX + "1")
    assert validator.startswith(VALIDATOR_PREFIX + "1")
    assert consensus.startswith(CONSENSUS_PREFIX + "1")
    assert acc_address_from_bech32(account) == operator
    assert val_address_from_bech32(validator) == operator
    assert cons_address_from_bech32(consensus) == operator
    with pytest.raises(AddressError):
        val_address_from_bech32(account)
    assert val_to_bech32(operator, "cosmosvaloper").startswith("cosmosvaloper1")


@given(st.sampled_from(["persistence", "cosmos", "persistencevaloper"]), st.binary(min_size=20,
       max_size=20) | st.binary(min_size=32, max_size=32))  # fmt: skip
def test_bech32_round_trip(hrp: str, payload: bytes) -> None:
    assert from_bech32(to_bech32(hrp, payload), hrp) == payload


@given(
    st.binary(min_size=20, max_size=20),
    st.integers(min_value=0),
    st.sampled_from("qpzry9x8gf2tvdw0s3jn54khce6mua7l"),
)
def test_a_mutated_character_is_rejected(payload: bytes, position: int, replacement: str) -> None:
    text = to_bech32("persistence", payload)
    index = len("persistence") + 1 + position % (len(text) - len("persistence") - 1)
    if text[index] == replacement:
        return
    mutated = text[:index] + replacement + text[index + 1 :]
    with pytest.raises(AddressError, match="checksum"):
        from_bech32(mutated, "persistence")
