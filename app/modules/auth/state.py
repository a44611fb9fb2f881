"""Auth state: accounts, the global account number, params, and the key table of store ``acc``.

Key table (store ``acc``), as cosmos-sdk v0.50 ``x/auth/types/keys.go``:

    0x00                              -> Params
    0x01 | address (20 bytes)         -> Any(BaseAccount | ModuleAccount)
    0x02                              -> next account number, 8 bytes big-endian
    0x03 | account number (8 bytes BE) -> address   (index: number -> account)

Accounts are stored as the SDK stores them (an ``Any``, bech32 address inside), so the state is
readable by SDK tooling; the address in the key is authoritative.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from google.protobuf import any_pb2

from app.chain.addresses import format_acc_address
from app.chain.errors import ErrInvalidRequest, InvariantViolation
from app.chain.kv import KVStore, decoded_by_stored_bytes
from app.codec import type_url_of
from app.pb.cosmos.auth.v1beta1 import auth_pb2
from app.pb.cosmos.crypto.secp256k1 import keys_pb2 as secp256k1_pb2
from app.tx.cache import BoundedCache
from app.types.address import AccAddress

__all__ = [
    "BASE_ACCOUNT_TYPE_URL",
    "MODULE_ACCOUNT_TYPE_URL",
    "Account",
    "Params",
    "account_from_any",
    "account_to_any",
    "get_account",
    "get_next_account_number",
    "get_params",
    "iterate_accounts",
    "set_account",
    "set_next_account_number",
    "set_params",
]

STORE_NAME = "acc"
"""The auth store key, as upstream."""

PARAMS_KEY = b"\x00"
ACCOUNT_PREFIX = b"\x01"
NEXT_ACCOUNT_NUMBER_KEY = b"\x02"
ACCOUNT_NUMBER_PREFIX = b"\x03"

BASE_ACCOUNT_TYPE_URL = type_url_of(auth_pb2.BaseAccount)
MODULE_ACCOUNT_TYPE_URL = type_url_of(auth_pb2.ModuleAccount)
SECP256K1_PUBKEY_TYPE_URL = type_url_of(secp256k1_pb2.PubKey)


def account_key(address: bytes) -> bytes:
    """0x01 | address."""
    return ACCOUNT_PREFIX + address


def account_number_key(number: int) -> bytes:
    """0x03 | number as 8 bytes big-endian."""
    return ACCOUNT_NUMBER_PREFIX + number.to_bytes(8, "big")


@dataclass(frozen=True, slots=True)
class Account:
    """A user's account (``BaseAccount``) or a module's (``ModuleAccount``: `module_name` set)."""

    address: AccAddress
    account_number: int
    sequence: int = 0
    pub_key: bytes | None = None
    """33-byte secp256k1 key, recorded on the account's first signed tx."""
    module_name: str = ""
    permissions: tuple[str, ...] = ()

    @property
    def is_module_account(self) -> bool:
        return self.module_name != ""

    def after_signing(self, pub_key: bytes) -> Account:
        """This account once it has signed a tx with `pub_key`: the key recorded, sequence + 1.

        Spelled out rather than ``dataclasses.replace``, which costs four times as much on a
        path every signed tx takes (CheckTx, RECHECK and FinalizeBlock).
        """
        return Account(
            self.address,
            self.account_number,
            self.sequence + 1,
            pub_key,
            self.module_name,
            self.permissions,
        )


@dataclass(frozen=True, slots=True)
class Params:
    """Auth params (``cosmos.auth.v1beta1.Params``); the defaults are the SDK's."""

    max_memo_characters: int = 256
    tx_sig_limit: int = 7
    tx_size_cost_per_byte: int = 10
    sig_verify_cost_ed25519: int = 590
    sig_verify_cost_secp256k1: int = 1000

    @classmethod
    def from_proto(cls, pb: auth_pb2.Params) -> Params:
        return cls(
            max_memo_characters=pb.max_memo_characters,
            tx_sig_limit=pb.tx_sig_limit,
            tx_size_cost_per_byte=pb.tx_size_cost_per_byte,
            sig_verify_cost_ed25519=pb.sig_verify_cost_ed25519,
            sig_verify_cost_secp256k1=pb.sig_verify_cost_secp256k1,
        )

    def validate(self) -> None:
        """Every param must be positive (``Params.Validate``); raises sdk 18 naming the first."""
        for name in self.__slots__:
            value = getattr(self, name)
            if value <= 0:
                raise ErrInvalidRequest.wrap(f"invalid {name}: {value}, must be positive")

    def to_proto(self) -> auth_pb2.Params:
        return auth_pb2.Params(
            max_memo_characters=self.max_memo_characters,
            tx_sig_limit=self.tx_sig_limit,
            tx_size_cost_per_byte=self.tx_size_cost_per_byte,
            sig_verify_cost_ed25519=self.sig_verify_cost_ed25519,
            sig_verify_cost_secp256k1=self.sig_verify_cost_secp256k1,
        )


def account_to_any(account: Account) -> any_pb2.Any:
    """The account as the SDK stores it: ``Any(BaseAccount)`` or ``Any(ModuleAccount)``."""
    base = auth_pb2.BaseAccount(
        address=format_acc_address(account.address),
        account_number=account.account_number,
        sequence=account.sequence,
    )
    if account.pub_key is not None:
        base.pub_key.type_url = SECP256K1_PUBKEY_TYPE_URL
        base.pub_key.value = secp256k1_pb2.PubKey(key=account.pub_key).SerializeToString()
    if not account.is_module_account:
        return any_pb2.Any(type_url=BASE_ACCOUNT_TYPE_URL, value=base.SerializeToString())
    module = auth_pb2.ModuleAccount(
        base_account=base, name=account.module_name, permissions=account.permissions
    )
    return any_pb2.Any(type_url=MODULE_ACCOUNT_TYPE_URL, value=module.SerializeToString())


def account_from_any(address: AccAddress, packed: any_pb2.Any) -> Account:
    """Decode a stored account; the address comes from the key, not from the bech32 inside.

    Raises `InvariantViolation` for a type this chain never writes.
    """
    if packed.type_url == BASE_ACCOUNT_TYPE_URL:
        base = auth_pb2.BaseAccount.FromString(packed.value)
        return Account(address, base.account_number, base.sequence, _pub_key_of(base))
    if packed.type_url == MODULE_ACCOUNT_TYPE_URL:
        module = auth_pb2.ModuleAccount.FromString(packed.value)
        base = module.base_account
        return Account(
            address,
            base.account_number,
            base.sequence,
            _pub_key_of(base),
            module.name,
            tuple(module.permissions),
        )
    raise InvariantViolation(f"stored account of unknown type {packed.type_url}")


def _pub_key_of(base: auth_pb2.BaseAccount) -> bytes | None:
    if not base.HasField("pub_key"):
        return None
    return secp256k1_pb2.PubKey.FromString(base.pub_key.value).key


ACCOUNT_CODEC_CACHE_SIZE = 65_536
"""Accounts whose encoding is remembered both ways: a signer is read and written by CheckTx,
then again, with the same bytes, by FinalizeBlock."""

_encoded: BoundedCache[Account, bytes] = BoundedCache(ACCOUNT_CODEC_CACHE_SIZE)
_decoded: BoundedCache[tuple[AccAddress, bytes], Account] = BoundedCache(ACCOUNT_CODEC_CACHE_SIZE)
# Encoding and decoding are pure and `Account` is immutable, so remembered results are safe to
# share; an encoding also remembers its decoding (they round-trip), so the next read is free.


def get_account(store: KVStore, address: AccAddress) -> Account | None:
    """The account at `address`, or None."""
    raw = store.get(account_key(address))
    if raw is None:
        return None
    account = _decoded.get((address, raw))
    if account is None:
        account = account_from_any(address, any_pb2.Any.FromString(raw))
        _decoded.add((address, raw), account)
    return account


def set_account(store: KVStore, account: Account) -> None:
    """Store `account` and its number index."""
    raw = _encoded.get(account)
    if raw is None:
        raw = account_to_any(account).SerializeToString()
        _encoded.add(account, raw)
        _decoded.add((account.address, raw), account)
    store.set(account_key(account.address), raw)
    store.set(account_number_key(account.account_number), account.address)


def iterate_accounts(store: KVStore, *, reverse: bool = False) -> Iterator[Account]:
    """Every account in address order."""
    for key, raw in store.iterate_prefix(ACCOUNT_PREFIX, reverse=reverse):
        yield account_from_any(AccAddress(key[1:]), any_pb2.Any.FromString(raw))


def get_next_account_number(store: KVStore) -> int:
    """The number the next new account receives (0 on a fresh chain)."""
    raw = store.get(NEXT_ACCOUNT_NUMBER_KEY)
    return 0 if raw is None else int.from_bytes(raw, "big")


def set_next_account_number(store: KVStore, number: int) -> None:
    store.set(NEXT_ACCOUNT_NUMBER_KEY, number.to_bytes(8, "big"))


def get_params(store: KVStore) -> Params:
    """The auth params; the defaults before genesis wrote any."""
    raw = store.get(PARAMS_KEY)
    return Params() if raw is None else _decode_params(raw)


@decoded_by_stored_bytes
def _decode_params(raw: bytes) -> Params:
    # The ante chain reads the params for every tx; they change only by governance.
    return Params.from_proto(auth_pb2.Params.FromString(raw))


def set_params(store: KVStore, params: Params) -> None:
    store.set(PARAMS_KEY, params.to_proto().SerializeToString(deterministic=True))
