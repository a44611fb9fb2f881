"""BIP39 and BIP32 derivation against published vectors and published Cosmos devnet accounts."""

from __future__ import annotations

import pytest

from app.crypto.hd import (
    ExtendedPrivateKey,
    MnemonicError,
    derive_child,
    derive_path,
    derive_private_key,
    generate_mnemonic,
    hd_path,
    master_key,
    mnemonic_to_seed,
    parse_path,
    validate_mnemonic,
)
from app.crypto.secp256k1 import PrivateKey
from app.types.address import to_bech32

BIP32_VECTOR_1_SEED = bytes.fromhex("000102030405060708090a0b0c0d0e0f")

# BIP32 test vector 1 (bitcoin/bips bip-0032.mediawiki): (path, private key, chain code, pubkey).
BIP32_VECTOR_1 = [
    (
        "m",
        "e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35",
        "873dff81c02f525623fd1fe5167eac3a55a049de3d314bb42ee227ffed37d508",
        "0339a36013301597daef41fbe593a02cc513d0b55527ec2df1050e2e8ff49c85c2",
    ),
    (
        "m/0'",
        "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea",
        "47fdacbd0f1097043b78c63c20c34ef4ed9a111d980047ad16282c7ae6236141",
        "035a784662a4a20a65bf6aab9ae98a6c068a81c52e4b032c0fb5400c706cfccc56",
    ),
    (
        "m/0'/1",
        "3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368",
        "2a7857631386ba23dacac34180dd1983734e444fdbf774041578e9b6adb37c19",
        "03501e454bf00751f24b1b489aa925215d66af2234e3891c3b21a52bedb3cd711c",
    ),
]

# Published devnet accounts: LocalTerra's validator (Terra coin type 330) and LocalOsmosis'
# lo-val / lo-test1 (coin type 118), as listed in those projects' READMEs.
LOCAL_VALIDATOR_MNEMONIC = (
    "satisfy adjust timber high purchase tuition stool faith fine install that you unaware feed "
    "domain license impose boss human eager hat rent enjoy dawn"
)
LO_TEST1_MNEMONIC = (
    "notice oak worry limit wrap speak medal online prefer cluster roof addict wrist behave "
    "treat actual wasp year salad speed social layer crew genius"
)


@pytest.mark.parametrize(("path", "private_key", "chain_code", "pubkey"), BIP32_VECTOR_1)
def test_bip32_vector_1(path: str, private_key: str, chain_code: str, pubkey: str) -> None:
    node = derive_path(BIP32_VECTOR_1_SEED, path)
    assert node.private_key.hex() == private_key
    assert node.chain_code.hex() == chain_code
    assert PrivateKey(node.private_key).public_key.key.hex() == pubkey


def test_derive_path_is_successive_children() -> None:
    stepwise = derive_child(derive_child(master_key(BIP32_VECTOR_1_SEED), 0x80000000), 1)
    assert stepwise == derive_path(BIP32_VECTOR_1_SEED, "m/0'/1")
    assert isinstance(stepwise, ExtendedPrivateKey)


@pytest.mark.parametrize(
    ("mnemonic", "coin_type", "hrp", "address"),
    [
        (LOCAL_VALIDATOR_MNEMONIC, 330, "terra", "terra1dcegyrekltswvyy0xy69ydgxn9x8x32zdtapd8"),
        (LOCAL_VALIDATOR_MNEMONIC, 118, "osmo", "osmo1phaxpevm5wecex2jyaqty2a4v02qj7qmlmzk5a"),
        (LO_TEST1_MNEMONIC, 118, "osmo", "osmo1cyyzpxplxdzkeea7kwsydadg87357qnahakaks"),
    ],
)
def test_mnemonic_to_published_address(
    mnemonic: str, coin_type: int, hrp: str, address: str
) -> None:
    key = derive_private_key(mnemonic, coin_type=coin_type)
    assert to_bech32(hrp, key.public_key.address()) == address


def test_account_and_index_change_the_key() -> None:
    base = derive_private_key(LO_TEST1_MNEMONIC)
    assert derive_private_key(LO_TEST1_MNEMONIC, account=1) != base
    assert derive_private_key(LO_TEST1_MNEMONIC, index=1) != base
    seed = mnemonic_to_seed(LO_TEST1_MNEMONIC)
    assert (
        derive_path(seed, "m/44'/118'/0'/0/1").private_key
        == derive_private_key(LO_TEST1_MNEMONIC, index=1).secret
    )


def test_mnemonic_whitespace_and_case_are_normalised() -> None:
    messy = "  " + LO_TEST1_MNEMONIC.upper().replace(" ", "   \n") + " "
    assert derive_private_key(messy) == derive_private_key(LO_TEST1_MNEMONIC)


def test_bip39_seed_vector() -> None:
    # Trezor's BIP39 vector for 12 x "abandon"... "about", with and without passphrase "TREZOR".
    mnemonic = "abandon " * 11 + "about"
    assert mnemonic_to_seed(mnemonic, "TREZOR").hex() == (
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92"
        "f2cf141630c7a3c4ab7c81b2f001698e7463b04"
    )
    assert mnemonic_to_seed(mnemonic).hex() == (
        "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206de"
        "c8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4"
    )


def test_generated_mnemonic_has_24_valid_words_and_differs() -> None:
    first, second = generate_mnemonic(), generate_mnemonic()
    assert len(first.split()) == 24
    validate_mnemonic(first)
    assert first != second


@pytest.mark.parametrize(
    ("mnemonic", "reason"),
    [
        ("abandon " * 11 + "abandon", "checksum"),
        ("abandon " * 11 + "notaword", "not in the BIP39"),
        ("abandon " * 10 + "about", "words"),
        ("", "words"),
    ],
)
def test_invalid_mnemonic_is_refused(mnemonic: str, reason: str) -> None:
    with pytest.raises(MnemonicError, match=reason):
        validate_mnemonic(mnemonic)
    with pytest.raises(MnemonicError):
        derive_private_key(mnemonic)


def test_hd_path_and_parse() -> None:
    assert hd_path() == "m/44'/118'/0'/0/0"
    assert hd_path(330, 2, 7) == "m/44'/330'/2'/0/7"
    assert parse_path("m/44'/118'/0'/0/5") == (0x8000002C, 0x80000076, 0x80000000, 0, 5)
    assert parse_path("m") == ()


@pytest.mark.parametrize("path", ["44'/118'", "m/x", "m/-1", "m/2147483648", "m//0", "n/0"])
def test_bad_path_is_refused(path: str) -> None:
    with pytest.raises(ValueError):
        parse_path(path)
