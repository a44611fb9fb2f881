"""The public surface of `app.types` is pinned: changing it must be a deliberate edit here."""

import app.types

EXPECTED = [
    "ACCOUNT_PREFIX",
    "CONSENSUS_PREFIX",
    "GO_ZERO_TIME",
    "HOUR",
    "MICROSECOND",
    "MILLISECOND",
    "MINUTE",
    "NANOSECOND",
    "SECOND",
    "VALIDATOR_PREFIX",
    "AccAddress",
    "AddressError",
    "Coin",
    "Coins",
    "ConsAddress",
    "Dec",
    "DecCoin",
    "DecCoins",
    "Duration",
    "Int",
    "IntOverflowError",
    "InvalidCoinsError",
    "InvalidDenomError",
    "NegativeCoinsError",
    "ProtoCoin",
    "Timestamp",
    "TypesError",
    "ValAddress",
    "acc_address_from_bech32",
    "acc_to_bech32",
    "address_from_ed25519_pubkey",
    "address_from_secp256k1_pubkey",
    "cons_address_from_bech32",
    "cons_to_bech32",
    "duration_from_proto",
    "duration_to_proto",
    "format_duration",
    "format_rfc3339",
    "from_bech32",
    "module_address",
    "parse_duration",
    "parse_rfc3339",
    "quo_toward_zero",
    "rem_toward_zero",
    "timestamp_from_proto",
    "timestamp_to_proto",
    "to_bech32",
    "val_address_from_bech32",
    "val_to_bech32",
    "validate_denom",
]


def test_all_is_pinned() -> None:
    assert app.types.__all__ == EXPECTED


def test_every_exported_name_exists() -> None:
    for name in app.types.__all__:
        assert getattr(app.types, name) is not None, name


def test_public_members_are_defined_in_app_types() -> None:
    for name in app.types.__all__:
        member = getattr(app.types, name)
        module = getattr(member, "__module__", None)
        if module is not None and isinstance(member, type):
            assert module.startswith("app.types"), (name, module)
