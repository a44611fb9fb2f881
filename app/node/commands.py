"""The node-side `allianced` commands: init, start, genesis add-account|validate, export."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from app.abci.server import ABCIServer
from app.chain.application import ChainApplication, parse_app_state
from app.chain.wiring import build_chain
from app.cli.context import client_home
from app.cli.keyring import Keyring, KeyringError
from app.node.genesis import (
    GenesisEditError,
    add_genesis_account,
    default_app_state,
    export_app_state,
    validate_app_state,
)
from app.node.gentx import collect_gentxs_command, gentx_command
from app.node.home import NodeHome
from app.node.init import InitError, NodeAddresses, init_node, read_genesis, write_genesis
from app.node.settings import SettingsError, load_app_settings
from app.store import LevelDatabase, MultiStore, StoreError
from app.types import AddressError, Coins, DecCoins, TypesError, acc_address_from_bech32

__all__ = ["export", "genesis", "init", "node_commands", "start"]


def _node_home(ctx: click.Context, home: Path | None) -> NodeHome:
    """--home of the command, else the root group's --home, else the default home."""
    if home is not None:
        return NodeHome(home)
    return NodeHome(client_home(ctx))


home_option = click.option(
    "--home",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Node home (default: $ALLIANCED_HOME or ~/.allianced).",
)


@click.command()
@click.argument("moniker")
@click.option("--chain-id", required=True, help="The chain id of the new genesis.")
@click.option("--overwrite", is_flag=True, help="Replace an existing genesis and keys.")
@click.option("--proxy-app", default="tcp://127.0.0.1:26658", show_default=True)
@click.option("--rpc-laddr", default="tcp://127.0.0.1:26657", show_default=True)
@click.option("--p2p-laddr", default="tcp://127.0.0.1:26656", show_default=True)
@click.option("--minimum-gas-prices", default="", help="e.g. 0.025uxprt (CheckTx only).")
@home_option
@click.pass_context
def init(
    ctx: click.Context,
    moniker: str,
    chain_id: str,
    overwrite: bool,
    proxy_app: str,
    rpc_laddr: str,
    p2p_laddr: str,
    minimum_gas_prices: str,
    home: Path | None,
) -> None:
    """Make a node home: validator and node keys, CometBFT and app config, a genesis."""
    node = _node_home(ctx, home)
    try:
        key = init_node(
            node,
            chain_id=chain_id,
            moniker=moniker,
            app_state=default_app_state(),
            addresses=NodeAddresses(abci=proxy_app, rpc=rpc_laddr, p2p=p2p_laddr),
            minimum_gas_prices=minimum_gas_prices,
            overwrite=overwrite,
        )
    except InitError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        json.dumps(
            {
                "moniker": moniker,
                "chain_id": chain_id,
                "home": str(node.root),
                "validator_pubkey": key.public_key.key.hex(),
            }
        )
    )


@click.command()
@home_option
@click.option("--abci", "abci_address", default=None, help="Override app.toml's abci-address.")
@click.option("--log-level", default="info", show_default=True)
@click.pass_context
def start(ctx: click.Context, home: Path | None, abci_address: str | None, log_level: str) -> None:
    """Run the ABCI app of the node at --home (CometBFT runs separately and dials it)."""
    logging.basicConfig(
        level=getattr(logging, log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    node = _node_home(ctx, home)
    try:
        settings = load_app_settings(node.app_config)
        min_gas_prices = DecCoins.parse(settings.minimum_gas_prices)
    except (SettingsError, TypesError) as error:
        raise click.ClickException(f"app.toml: {error}") from None
    chain = build_chain()
    node.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        store = MultiStore(
            LevelDatabase(str(node.application_db)),
            chain.store_names,
            keep_recent=settings.pruning_keep_recent,
            node_cache_size=settings.iavl_cache_size,
        )
    except StoreError as error:
        message = f"cannot open the state at {node.application_db}: {error}"
        raise click.ClickException(message) from None
    app = ChainApplication(store, min_gas_prices=min_gas_prices, chain=chain)
    address = abci_address or settings.abci_address
    logging.getLogger("allianced").info(
        "state at height %d (app hash %s); serving ABCI on %s",
        store.last_height,
        store.last_app_hash.hex().upper(),
        address,
    )
    try:
        ABCIServer(app, address).run()
    finally:
        store.close()


@click.group()
def genesis() -> None:
    """Edit and check the genesis file of a node home."""


@genesis.command("add-account")
@click.argument("address_or_key")
@click.argument("coins")
@home_option
@click.option("--keyring-backend", default="test", show_default=True)
@click.pass_context
def add_account(
    ctx: click.Context, address_or_key: str, coins: str, home: Path | None, keyring_backend: str
) -> None:
    """Fund ADDRESS_OR_KEY (a bech32 address or a key name) with COINS in the genesis."""
    node = _node_home(ctx, home)
    try:
        amount = Coins.parse(coins)
        address = _resolve_address(address_or_key, node.root, keyring_backend)
        document = read_genesis(node.genesis_file)
        add_genesis_account(document, address, amount)
        validate_app_state(document["app_state"])
    except (TypesError, GenesisEditError, InitError, KeyringError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    write_genesis(node.genesis_file, document)


@genesis.command("validate")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@home_option
@click.pass_context
def validate(ctx: click.Context, file: Path | None, home: Path | None) -> None:
    """Check a genesis file (default: the home's) the way InitChain will."""
    path = file or _node_home(ctx, home).genesis_file
    try:
        document = read_genesis(path)
        validate_app_state(parse_app_state(json.dumps(document.get("app_state", {})).encode()))
    except (ValueError, OSError) as error:
        raise click.ClickException(f"{path}: {error}") from None
    click.echo(f"{path} is a valid genesis")


@click.command()
@home_option
@click.option("--height", type=int, default=0, help="Export this height (default: latest).")
@click.option("--output-document", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.pass_context
def export(
    ctx: click.Context, home: Path | None, height: int, output_document: Path | None
) -> None:
    """Write the state as a genesis that starts a new chain in the same state.

    Stop the node first: the app's database admits one process at a time.
    """
    node = _node_home(ctx, home)
    chain = build_chain()
    try:
        store = MultiStore(LevelDatabase(str(node.application_db)), chain.store_names)
    except StoreError as error:
        message = f"cannot open the state (is the node running?): {error}"
        raise click.ClickException(message) from None
    try:
        exported = export_app_state(store, chain, height)
    except (StoreError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    finally:
        store.close()
    document: dict[str, Any] = read_genesis(node.genesis_file)
    document["app_state"] = exported.app_state
    document["initial_height"] = str(exported.height + 1)
    text = json.dumps(document, indent=2) + "\n"
    if output_document is None:
        click.echo(text, nl=False)
    else:
        output_document.write_text(text)


def _resolve_address(address_or_key: str, home: Path, backend: str) -> str:
    try:
        acc_address_from_bech32(address_or_key)
        return address_or_key
    except AddressError:
        record = Keyring(home, backend).get(address_or_key)  # type: ignore[arg-type]
        return record.bech32_address


genesis.add_command(gentx_command)
genesis.add_command(collect_gentxs_command)

node_commands: tuple[click.Command, ...] = (init, start, genesis, export)
"""Registered on the root `allianced` group by `app.cli.main`."""
