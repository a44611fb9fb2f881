"""Editing a genesis document before the chain starts (`allianced genesis …`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.chain import consensus
from app.chain.context import BlockContext, Context, ExecMode
from app.chain.errors import ChainError
from app.chain.kv import ReadOnlyView
from app.chain.wiring import Chain, build_chain
from app.store import MultiStore
from app.types.coin import Coin, Coins

BASE_ACCOUNT_TYPE = "/cosmos.auth.v1beta1.BaseAccount"


class GenesisEditError(ValueError):
    """The genesis cannot take the requested change (e.g. the account is already there)."""


def add_genesis_account(genesis: dict[str, Any], address: str, coins: Coins) -> None:
    """Add an account with a balance to `genesis`, and its coins to the bank supply.

    Mirrors the SDK's `genesis add-genesis-account`: the account goes into `app_state.auth`
    with the next unused account number and sequence 0, the balance into
    `app_state.bank.balances`, and the total `supply` grows by the same coins.
    """
    app_state = genesis.setdefault("app_state", {})
    auth = app_state.setdefault("auth", {})
    bank = app_state.setdefault("bank", {})
    accounts: list[dict[str, Any]] = auth.setdefault("accounts", [])
    if any(account.get("address") == address for account in accounts):
        raise GenesisEditError(f"account {address} is already in the genesis")
    accounts.append(
        {
            "@type": BASE_ACCOUNT_TYPE,
            "address": address,
            "pub_key": None,
            "account_number": str(_next_account_number(accounts)),
            "sequence": "0",
        }
    )
    balances: list[dict[str, Any]] = bank.setdefault("balances", [])
    balances.append({"address": address, "coins": _coins_json(coins)})
    balances.sort(key=lambda balance: str(balance["address"]))
    supply = Coins.from_iterable(
        Coin.parse(f"{entry['amount']}{entry['denom']}") for entry in bank.get("supply", [])
    )
    bank["supply"] = _coins_json(supply + coins)


def _next_account_number(accounts: list[dict[str, Any]]) -> int:
    numbers = [int(account.get("account_number", 0)) for account in accounts]
    return max(numbers) + 1 if numbers else 0


def deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """`base` with `patch` laid over it: objects merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in patch.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def _coins_json(coins: Coins) -> list[dict[str, str]]:
    return [{"denom": coin.denom, "amount": str(coin.amount)} for coin in coins]


@dataclass(frozen=True, slots=True)
class ExportedState:
    """The app state at a height, ready to start a new chain from."""

    height: int
    app_state: dict[str, Any]


def default_app_state(chain: Chain | None = None) -> dict[str, Any]:
    """Every module's default genesis section, keyed by module name."""
    chain = chain or build_chain()
    return {module.name: module.default_genesis() for module in chain.genesis_order}


def validate_app_state(app_state: dict[str, Any], chain: Chain | None = None) -> None:
    """Validate each module's section as InitChain will (absent sections take the default).

    Raises:
        ValueError: a section is invalid; the message names the module and the fault.
    """
    chain = chain or build_chain()
    for module in chain.genesis_order:
        try:
            module.validate_genesis(app_state.get(module.name, module.default_genesis()))
        except ChainError as error:
            raise ValueError(f"app_state.{module.name}: {error}") from None


def export_app_state(store: MultiStore, chain: Chain, height: int = 0) -> ExportedState:
    """Every module's `export_genesis` over the committed state at `height` (0 = latest)."""
    view = store.query_view(height)
    state = ReadOnlyView(view)
    reader = view.store(consensus.STORE_NAME)
    block = BlockContext(
        height=view.height,
        time=consensus.get_last_block(reader).time,
        chain_id=consensus.get_chain_id(reader),
    )
    ctx = Context(state, block, ExecMode.QUERY)
    app_state = {module.name: module.export_genesis(ctx) for module in chain.genesis_order}
    return ExportedState(height=view.height, app_state=app_state)
