"""Bank genesis: ``app_state.bank = {params, balances, supply, denom_metadata, send_enabled}``.

`parse_genesis` is pure: duplicates, valid coins and denoms, and a given supply equal to the sum
of the balances. `init_genesis` writes balances (creating missing accounts, as the SDK does),
supply (the sum when not given), metadata and per-denom flags; `export_genesis` reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from google.protobuf import json_format

from app.chain.addresses import format_acc_address, parse_acc_address
from app.chain.coins import coins_to_proto, parse_coins
from app.chain.context import Context
from app.chain.errors import ErrInvalidCoins, ErrInvalidRequest, ErrJSONUnmarshal
from app.chain.module import GenesisJSON
from app.codec import from_json_dict, to_json_dict
from app.modules.bank import state
from app.modules.bank.errors import ErrDuplicateEntry
from app.modules.bank.keeper import BankKeeper
from app.modules.bank.msgs import check_send_enabled_entries, params_from_proto
from app.modules.bank.state import Params
from app.pb.cosmos.bank.v1beta1 import bank_pb2, genesis_pb2
from app.types.address import AccAddress
from app.types.coin import Coins, validate_denom
from app.types.errors import InvalidDenomError

__all__ = [
    "BankGenesis",
    "default_genesis",
    "export_genesis",
    "init_genesis",
    "parse_genesis",
    "validate_genesis",
]


@dataclass(frozen=True, slots=True)
class BankGenesis:
    """The checked content of the bank section."""

    params: Params
    balances: tuple[tuple[AccAddress, Coins], ...]
    """Sorted by address bytes."""
    supply: Coins
    denom_metadata: tuple[bank_pb2.Metadata, ...]
    send_enabled: tuple[tuple[str, bool], ...]


def default_genesis() -> GenesisJSON:
    """Sends enabled by default; no balances."""
    return to_json_dict(genesis_pb2.GenesisState(params=Params().to_proto()))


def parse_genesis(genesis: GenesisJSON) -> BankGenesis:
    """The bank section, checked without touching state.

    Raises:
        ChainError: sdk 17 malformed JSON; sdk 7 bad address; sdk 10 bad coins or a supply
        that differs from the balances; bank 8 a duplicate address, denom or metadata.
    """
    try:
        pb = from_json_dict(genesis_pb2.GenesisState, genesis)
    except json_format.ParseError as exc:
        raise ErrJSONUnmarshal.wrap(f"bank genesis: {exc}") from None
    params = params_from_proto(pb.params)
    balances = sorted(
        ((parse_acc_address(b.address, "balance"), parse_coins(b.coins)) for b in pb.balances),
        key=lambda entry: entry[0],
    )
    for (previous, _), (current, _) in pairwise(balances):
        if previous == current:
            raise ErrDuplicateEntry.wrap(f"duplicate balance for {format_acc_address(current)}")
    total = Coins()
    for _, coins in balances:
        total = total + coins
    supply = parse_coins(pb.supply)
    if len(supply) > 0 and supply != total:
        raise ErrInvalidCoins.wrap(f"genesis supply is incorrect, expected {total}, got {supply}")
    for metadata in pb.denom_metadata:
        validate_metadata(metadata)
    bases = sorted(metadata.base for metadata in pb.denom_metadata)
    for previous_base, base in pairwise(bases):
        if previous_base == base:
            raise ErrDuplicateEntry.wrap(f"duplicate client metadata for denom {base}")
    check_send_enabled_entries([entry.denom for entry in pb.send_enabled])
    return BankGenesis(
        params=params,
        balances=tuple(balances),
        supply=total,
        denom_metadata=tuple(sorted(pb.denom_metadata, key=lambda m: m.base)),
        send_enabled=tuple(sorted((entry.denom, entry.enabled) for entry in pb.send_enabled)),
    )


def validate_metadata(metadata: bank_pb2.Metadata) -> None:
    """Base and display are valid denoms; the units include both, the base with exponent 0.

    Raises:
        ChainError: sdk 18 naming the fault.
    """
    try:
        validate_denom(metadata.base)
        validate_denom(metadata.display)
        for unit in metadata.denom_units:
            validate_denom(unit.denom)
    except InvalidDenomError as exc:
        raise ErrInvalidRequest.wrap(f"invalid metadata: {exc}") from None
    units = {unit.denom: unit.exponent for unit in metadata.denom_units}
    if units.get(metadata.base) != 0:
        raise ErrInvalidRequest.wrap(
            f"metadata of {metadata.base}: the base denom must be a unit with exponent 0"
        )
    if metadata.display not in units:
        raise ErrInvalidRequest.wrap(
            f"metadata of {metadata.base}: the display denom {metadata.display} is not a unit"
        )


def validate_genesis(genesis: GenesisJSON) -> None:
    """Check the bank section without touching state."""
    parse_genesis(genesis)


def init_genesis(keeper: BankKeeper, ctx: Context, genesis: GenesisJSON) -> None:
    """Write the section; accounts missing for balances are created."""
    parsed = parse_genesis(genesis)
    keeper.set_params(ctx, parsed.params)
    store = ctx.store(state.STORE_NAME)
    for denom, enabled in parsed.send_enabled:
        state.set_send_enabled(store, denom, enabled)
    for address, coins in parsed.balances:
        for coin in coins:
            state.set_balance(store, address, coin.denom, coin.amount)
        if not keeper.accounts.has_account(ctx, address):
            keeper.accounts.create_account(ctx, address)
    for coin in parsed.supply:
        state.set_supply(store, coin.denom, coin.amount)
    for metadata in parsed.denom_metadata:
        state.set_metadata(store, metadata)


def export_genesis(keeper: BankKeeper, ctx: Context) -> GenesisJSON:
    """The current balances, supply, metadata, flags and params."""
    store = ctx.store(state.STORE_NAME)
    balances: list[genesis_pb2.Balance] = []
    for address, coin in state.iterate_all_balances(store):
        text = format_acc_address(address)
        if not balances or balances[-1].address != text:
            balances.append(genesis_pb2.Balance(address=text))
        balances[-1].coins.extend(coins_to_proto([coin]))
    pb = genesis_pb2.GenesisState(
        params=keeper.get_params(ctx).to_proto(),
        balances=balances,
        supply=coins_to_proto(state.iterate_supply(store)),
        denom_metadata=list(state.iterate_metadata(store)),
        send_enabled=[
            bank_pb2.SendEnabled(denom=denom, enabled=enabled)
            for denom, enabled in state.iterate_send_enabled(store)
        ],
    )
    return to_json_dict(pb)
