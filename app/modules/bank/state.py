"""Bank state: balances, supply, denom metadata, send-enabled flags, params; store ``bank``.

Key table (store ``bank``), as cosmos-sdk v0.50 ``x/bank/types/keys.go``:

    0x00 | denom                                  -> total supply (math.Int text)
    0x01 | denom                                  -> Metadata
    0x02 | len(address) | address | denom         -> balance (math.Int text), never zero
    0x03 | denom | 0x00 | len(address) | address  -> empty   (index: denom -> holders)
    0x04 | denom                                  -> send enabled: 0x01 yes, 0x00 no
    0x05                                          -> Params

A zero balance is never stored: setting one deletes the entry and its index entry, so every
balance iterated is positive and `DenomOwners` lists only holders.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from app.chain.errors import InvariantViolation
from app.chain.kv import KVStore, decoded_by_stored_bytes
from app.pb.cosmos.bank.v1beta1 import bank_pb2
from app.types.address import AccAddress
from app.types.coin import Coin
from app.types.int import Int

__all__ = [
    "STORE_NAME",
    "Params",
    "delete_send_enabled",
    "get_balance",
    "get_metadata",
    "get_params",
    "get_send_enabled",
    "get_supply",
    "iterate_all_balances",
    "iterate_balances",
    "iterate_denom_owners",
    "iterate_metadata",
    "iterate_send_enabled",
    "iterate_supply",
    "set_balance",
    "set_metadata",
    "set_params",
    "set_send_enabled",
    "set_supply",
]

STORE_NAME = "bank"
"""The bank store key, as upstream."""

SUPPLY_PREFIX = b"\x00"
METADATA_PREFIX = b"\x01"
BALANCES_PREFIX = b"\x02"
DENOM_OWNERS_PREFIX = b"\x03"
SEND_ENABLED_PREFIX = b"\x04"
PARAMS_KEY = b"\x05"


def length_prefixed(address: bytes) -> bytes:
    """len(address) as one byte, then the address (``address.MustLengthPrefix``)."""
    return bytes((len(address),)) + address


def balances_prefix(address: bytes) -> bytes:
    """0x02 | len | address: every balance of one account."""
    return BALANCES_PREFIX + length_prefixed(address)


BALANCE_KEY_CACHE_SIZE = 65_536
"""Balance and holder-index keys remembered: a send builds each of them twice."""


@lru_cache(maxsize=BALANCE_KEY_CACHE_SIZE)
def balance_key(address: bytes, denom: str) -> bytes:
    """0x02 | len | address | denom."""
    return balances_prefix(address) + denom.encode()


@lru_cache(maxsize=BALANCE_KEY_CACHE_SIZE)
def denom_owner_key(denom: str, address: bytes) -> bytes:
    """0x03 | denom | 0x00 | len | address."""
    return denom_owners_prefix(denom) + length_prefixed(address)


def denom_owners_prefix(denom: str) -> bytes:
    """0x03 | denom | 0x00: every holder of one denom."""
    return DENOM_OWNERS_PREFIX + denom.encode() + b"\x00"


def supply_key(denom: str) -> bytes:
    return SUPPLY_PREFIX + denom.encode()


def metadata_key(denom: str) -> bytes:
    return METADATA_PREFIX + denom.encode()


def send_enabled_key(denom: str) -> bytes:
    return SEND_ENABLED_PREFIX + denom.encode()


def _decode_amount(raw: bytes) -> Int:
    # Only this module writes these values (decimal digits of a valid Int), so the strict text
    # parser's checks are not needed on the hot path of every balance read.
    return Int(int(raw))


@dataclass(frozen=True, slots=True)
class Params:
    """Bank params: only ``default_send_enabled`` (per-denom flags live in their own keys)."""

    default_send_enabled: bool = True

    def to_proto(self) -> bank_pb2.Params:
        return bank_pb2.Params(default_send_enabled=self.default_send_enabled)


# ---- balances ----------------------------------------------------------------------------------


def get_balance(store: KVStore, address: AccAddress, denom: str) -> Int:
    """The balance of `denom` at `address`; zero when absent."""
    raw = store.get(balance_key(address, denom))
    return Int(0) if raw is None else _decode_amount(raw)


def set_balance(store: KVStore, address: AccAddress, denom: str, amount: Int) -> None:
    """Store a balance and its holder index; zero deletes both; negative is a broken invariant."""
    if amount.is_negative():
        raise InvariantViolation(f"negative balance {amount}{denom} for {address.hex()}")
    if amount.is_zero():
        store.delete(balance_key(address, denom))
        store.delete(denom_owner_key(denom, address))
        return
    store.set(balance_key(address, denom), str(amount).encode())
    store.set(denom_owner_key(denom, address), b"")


def iterate_balances(store: KVStore, address: AccAddress) -> Iterator[Coin]:
    """Every (positive) balance of `address`, in denom order."""
    prefix = balances_prefix(address)
    for key, raw in store.iterate_prefix(prefix):
        yield Coin(key[len(prefix) :].decode(), _decode_amount(raw))


def split_balance_key(key: bytes) -> tuple[AccAddress, str]:
    """(address, denom) of a 0x02 balance key."""
    length = key[1]
    return AccAddress(key[2 : 2 + length]), key[2 + length :].decode()


def iterate_all_balances(store: KVStore) -> Iterator[tuple[AccAddress, Coin]]:
    """Every balance of every account, in (address, denom) key order."""
    for key, raw in store.iterate_prefix(BALANCES_PREFIX):
        address, denom = split_balance_key(key)
        yield address, Coin(denom, _decode_amount(raw))


def iterate_denom_owners(store: KVStore, denom: str) -> Iterator[AccAddress]:
    """Holders of `denom`, in address key order."""
    prefix = denom_owners_prefix(denom)
    for key, _ in store.iterate_prefix(prefix):
        yield AccAddress(key[len(prefix) + 1 :])


# ---- supply ------------------------------------------------------------------------------------


def get_supply(store: KVStore, denom: str) -> Int:
    raw = store.get(supply_key(denom))
    return Int(0) if raw is None else _decode_amount(raw)


def set_supply(store: KVStore, denom: str, amount: Int) -> None:
    """Store the total supply of `denom`; zero deletes it."""
    if amount.is_negative():
        raise InvariantViolation(f"negative supply {amount}{denom}")
    if amount.is_zero():
        store.delete(supply_key(denom))
    else:
        store.set(supply_key(denom), str(amount).encode())


def iterate_supply(store: KVStore) -> Iterator[Coin]:
    """The supply of every denom, in denom order."""
    for key, raw in store.iterate_prefix(SUPPLY_PREFIX):
        yield Coin(key[1:].decode(), _decode_amount(raw))


# ---- metadata, send-enabled, params ------------------------------------------------------------


def get_metadata(store: KVStore, denom: str) -> bank_pb2.Metadata | None:
    raw = store.get(metadata_key(denom))
    return None if raw is None else bank_pb2.Metadata.FromString(raw)


def set_metadata(store: KVStore, metadata: bank_pb2.Metadata) -> None:
    store.set(metadata_key(metadata.base), metadata.SerializeToString(deterministic=True))


def iterate_metadata(store: KVStore) -> Iterator[bank_pb2.Metadata]:
    """All denom metadata, in base-denom order."""
    for _, raw in store.iterate_prefix(METADATA_PREFIX):
        yield bank_pb2.Metadata.FromString(raw)


def get_send_enabled(store: KVStore, denom: str) -> bool | None:
    """The denom's own send-enabled flag, or None when it follows the default."""
    raw = store.get(send_enabled_key(denom))
    return None if raw is None else raw == b"\x01"


def set_send_enabled(store: KVStore, denom: str, enabled: bool) -> None:
    store.set(send_enabled_key(denom), b"\x01" if enabled else b"\x00")


def delete_send_enabled(store: KVStore, denom: str) -> None:
    store.delete(send_enabled_key(denom))


def iterate_send_enabled(store: KVStore) -> Iterator[tuple[str, bool]]:
    """Every per-denom flag, in denom order."""
    for key, raw in store.iterate_prefix(SEND_ENABLED_PREFIX):
        yield key[1:].decode(), raw == b"\x01"


def get_params(store: KVStore) -> Params:
    raw = store.get(PARAMS_KEY)
    return Params() if raw is None else _decode_params(raw)


@decoded_by_stored_bytes
def _decode_params(raw: bytes) -> Params:
    # Every send reads the params; they change only by governance, and `Params` is immutable.
    return Params(bank_pb2.Params.FromString(raw).default_send_enabled)


def set_params(store: KVStore, params: Params) -> None:
    store.set(PARAMS_KEY, params.to_proto().SerializeToString(deterministic=True))
