"""The local devnet behind `./scripts/devnet up|down|reset|status|logs`.

A single-validator chain (`persistence-devnet-1`) whose node home lives in the repository's
`.devnet/` folder (git-ignored): the Python app and CometBFT run as two background processes.
`up` makes the home on first use, imports the published test keys into the client home
(`~/.allianced` by default, `test` keyring) with a client config pointing at the node, starts
both processes and returns once the first block is committed. `down` stops them and keeps the
state, so the next `up` resumes; `reset` wipes the state.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from app.cli.keyring import Keyring, KeyringError
from app.crypto.hd import derive_private_key
from app.node.genesis import add_genesis_account, deep_merge, default_app_state
from app.node.home import NodeHome, default_home, templates_dir
from app.node.init import ConsensusTimeouts, NodeAddresses, init_node, read_genesis, write_genesis
from app.node.process import REPOSITORY, NodeProcessError, NodeProcesses, wait_for_height
from app.types.address import acc_to_bech32
from app.types.coin import Coins

DEVNET_DIR = REPOSITORY / ".devnet"
RPC_LADDR = "tcp://127.0.0.1:26657"
RPC_URL = "http://127.0.0.1:26657"


@dataclass(frozen=True, slots=True)
class DevnetKey:
    """A published test key of the devnet."""

    name: str
    mnemonic: str

    @property
    def address(self) -> str:
        return acc_to_bech32(derive_private_key(self.mnemonic).public_key.address())


def load_devnet_config() -> dict[str, Any]:
    """config/devnet.json."""
    document: dict[str, Any] = json.loads((templates_dir() / "devnet.json").read_text())
    return document


def load_devnet_keys() -> list[DevnetKey]:
    """config/devnet-keys.json: the published test mnemonics, in file order."""
    document = json.loads((templates_dir() / "devnet-keys.json").read_text())
    return [DevnetKey(entry["name"], entry["mnemonic"]) for entry in document["keys"]]


def node_home(index: int = 0) -> NodeHome:
    return NodeHome(DEVNET_DIR / f"node{index}")


def create_devnet(
    home: NodeHome,
    config: dict[str, Any],
    keys: list[DevnetKey],
    addresses: NodeAddresses = NodeAddresses(rpc=RPC_LADDR),  # noqa: B008 - frozen value
) -> None:
    """Make a validator's home: keys, config, and a genesis funding the test keys.

    `config` has the shape of config/devnet.json; tests pass their own with other balances.
    """
    app_state = deep_merge(default_app_state(), config.get("app_state", {}))
    init_node(
        home,
        chain_id=config["chain_id"],
        moniker="validator0",
        app_state=app_state,
        addresses=addresses,
        timeouts=ConsensusTimeouts(commit=config.get("timeout_commit", "500ms")),
        minimum_gas_prices=config.get("minimum_gas_prices", ""),
        overwrite=True,
    )
    genesis = read_genesis(home.genesis_file)
    by_name = {key.name: key for key in keys}
    for name, coins in config["balances"].items():
        add_genesis_account(genesis, by_name[name].address, Coins.parse(coins))
    write_genesis(home.genesis_file, genesis)


def import_client_keys(client_home: Path, keys: list[DevnetKey]) -> None:
    """Put the devnet keys into the client's `test` keyring (existing ones are kept)."""
    keyring = Keyring(client_home, "test")
    for key in keys:
        try:
            existing = keyring.get(key.name)
        except KeyringError:
            keyring.add(key.name, mnemonic=key.mnemonic)
            continue
        if existing.bech32_address != key.address:
            click.echo(
                f"warning: key {key.name!r} in {client_home} is not the devnet's; left as is",
                err=True,
            )


def write_client_config(client_home: Path, chain_id: str, node: str = RPC_LADDR) -> None:
    """<client home>/config/client.toml pointing the CLI at the devnet."""
    config_dir = client_home / "config"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "client.toml").write_text(
        "# Written by ./scripts/devnet up: the CLI's defaults for the local devnet.\n"
        f'chain-id = "{chain_id}"\n'
        'keyring-backend = "test"\n'
        'output = "text"\n'
        f'node = "{node}"\n'
        'broadcast-mode = "sync"\n'
    )


@click.group()
def devnet() -> None:
    """Run the local single-validator devnet."""


@devnet.command()
def up() -> None:
    """Create (first time) or resume the devnet, and wait for its first block."""
    config = load_devnet_config()
    keys = load_devnet_keys()
    home = node_home()
    processes = NodeProcesses(home.root)
    if not home.genesis_file.exists():
        click.echo(f"creating the devnet in {home.root}", err=True)
        create_devnet(home, config, keys)
    client_home = default_home()
    import_client_keys(client_home, keys)
    write_client_config(client_home, config["chain_id"])
    if not processes.is_running():
        processes.start()
    try:
        height = wait_for_height(RPC_URL, 1, timeout=90)
    except NodeProcessError as error:
        processes.stop()
        raise click.ClickException(
            f"{error}; see {processes.app_log} and {processes.comet_log}"
        ) from None
    click.echo(f"devnet {config['chain_id']} is up at height {height}")
    click.echo(f"  RPC:      {RPC_URL}")
    click.echo(f"  chain id: {config['chain_id']}")
    click.echo(f"  home:     {home.root}   (client config and keys: {client_home})")
    click.echo("  test keys (published devnet mnemonics: never use them for real funds):")
    for key in keys:
        click.echo(f"    {key.name:<11} {key.address}")
        click.echo(f"                {key.mnemonic}")


@devnet.command()
def down() -> None:
    """Stop the devnet's processes and keep its state."""
    NodeProcesses(node_home().root).stop()
    click.echo("devnet stopped (state kept; ./scripts/devnet up resumes it)")


@devnet.command()
def reset() -> None:
    """Stop the devnet and delete its state."""
    NodeProcesses(node_home().root).stop()
    shutil.rmtree(DEVNET_DIR, ignore_errors=True)
    click.echo(f"devnet state removed ({DEVNET_DIR})")


@devnet.command()
def status() -> None:
    """Say whether the devnet runs, and its height."""
    processes = NodeProcesses(node_home().root)
    if not node_home().genesis_file.exists():
        click.echo("devnet: not created (./scripts/devnet up)")
        return
    app_state = "running" if processes.app_running() else "stopped"
    comet_state = "running" if processes.comet_running() else "stopped"
    click.echo(f"app: {app_state}   cometbft: {comet_state}")
    if processes.comet_running():
        try:
            click.echo(f"height: {wait_for_height(RPC_URL, 0, timeout=5)}")
        except NodeProcessError as error:
            click.echo(f"height: unknown ({error})")


@devnet.command()
@click.option("-n", "--lines", default=40, show_default=True, help="Lines of each log.")
def logs(lines: int) -> None:
    """Print the end of the app's and CometBFT's logs."""
    processes = NodeProcesses(node_home().root)
    for log in (processes.app_log, processes.comet_log):
        click.echo(f"==> {log} <==")
        if log.exists():
            click.echo("\n".join(log.read_text(errors="replace").splitlines()[-lines:]))


def main() -> None:
    devnet(standalone_mode=True)


if __name__ == "__main__":
    main()
