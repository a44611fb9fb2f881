"""The local devnet behind `./scripts/devnet up [--validators N]|down|reset|status|logs`.

A chain (`persistence-devnet-1`) of N validators (1 by default) whose node homes live in the
repository's `.devnet/node<i>` folders (git-ignored): every node is a Python app and a CometBFT
process in the background, node i on ports 26656/26657/26658 shifted by 10·i (node 0 has
CometBFT's defaults). The genesis is made by gentx from the devnet keys `validator0..N-1`, each
bonding the same self-delegation, so each validator has 1/N of the power (`app.node.network`).
`up` makes the homes on first use, imports the published test keys into the client home
(`~/.allianced` by default, `test` keyring) with a client config pointing at node 0, starts every
node and returns once the first block is committed. On the first `up` it then lists the alliance
assets of config/devnet.json (stkATOM, stTIA) through real gov proposals: `tx alliance propose
create` from validator0, a YES vote from every validator, and a wait for both to pass (30 s
voting period). `down` stops them and keeps the state, so the next `up` resumes; `reset` wipes
the state.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from app.cli.keyring import Keyring, KeyringError
from app.cli.rpc import QueryError, RpcClient
from app.node.home import NodeHome, default_home, templates_dir
from app.node.init import NodeAddresses
from app.node.network import (
    DevnetKey,
    NetworkError,
    NetworkNode,
    build_network,
    devnet_addresses,
    network_nodes,
)
from app.node.process import REPOSITORY, NodeProcessError, wait_for_height
from app.pb.alliance.alliance import query_pb2 as alliance_query
from app.pb.cosmos.gov.v1 import gov_pb2
from app.pb.cosmos.gov.v1 import query_pb2 as gov_query
from app.types import SECOND, duration_from_proto

__all__ = [
    "DEVNET_DIR",
    "RPC_LADDR",
    "RPC_URL",
    "DevnetAlliance",
    "DevnetKey",
    "create_devnet",
    "devnet",
    "existing_nodes",
    "import_client_keys",
    "list_alliances",
    "load_devnet_alliances",
    "load_devnet_config",
    "load_devnet_keys",
    "write_client_config",
]

DEVNET_DIR = REPOSITORY / ".devnet"
RPC_LADDR = "tcp://127.0.0.1:26657"
RPC_URL = "http://127.0.0.1:26657"
FIRST_BLOCK_TIMEOUT_SECONDS = 90.0
"""How long `up` waits for block 1: app start-up, InitChain with the gentxs, peers meeting."""


def load_devnet_config() -> dict[str, Any]:
    """config/devnet.json."""
    document: dict[str, Any] = json.loads((templates_dir() / "devnet.json").read_text())
    return document


@dataclass(frozen=True, slots=True)
class DevnetAlliance:
    """One asset the devnet lists at start (an entry of config/devnet.json `alliances`)."""

    name: str
    denom: str
    reward_weight: str
    reward_weight_min: str
    reward_weight_max: str
    annual_take_rate: str


def load_devnet_alliances(config: dict[str, Any]) -> list[DevnetAlliance]:
    """The `alliances` of a devnet config, in file order."""
    return [DevnetAlliance(**entry) for entry in config.get("alliances", [])]


def load_devnet_keys() -> list[DevnetKey]:
    """config/devnet-keys.json: the published test mnemonics, in file order."""
    document = json.loads((templates_dir() / "devnet-keys.json").read_text())
    return [DevnetKey(entry["name"], entry["mnemonic"]) for entry in document["keys"]]


def node_home(index: int = 0) -> NodeHome:
    return NodeHome(DEVNET_DIR / f"node{index}")


def devnet_nodes(validators: int) -> tuple[NetworkNode, ...]:
    """The devnet's nodes on their fixed ports."""
    return network_nodes(DEVNET_DIR, [devnet_addresses(index) for index in range(validators)])


def existing_nodes() -> tuple[NetworkNode, ...]:
    """The nodes of the devnet in `.devnet/` (none before the first `up`)."""
    count = 0
    while node_home(count).genesis_file.exists():
        count += 1
    return devnet_nodes(count)


def create_devnet(
    home: NodeHome,
    config: dict[str, Any],
    keys: list[DevnetKey],
    addresses: NodeAddresses = NodeAddresses(rpc=RPC_LADDR),  # noqa: B008 - frozen value
) -> None:
    """Make a single validator's home (`validator0`, by gentx) with a genesis funding the keys.

    `config` has the shape of config/devnet.json; tests pass their own with other balances.
    The home's folder name does not matter: it is the only node of its network.
    """
    build_network([NetworkNode(0, home, addresses)], config, keys)


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


PROPOSAL_POLL_SECONDS = 1.0
"""Pause between polls of a proposal's status while its voting period runs."""


def list_alliances(
    client_home: Path, node: str, voters: Sequence[str], alliances: Sequence[DevnetAlliance]
) -> None:
    """List `alliances` by governance, as a user would with `allianced`: one `tx alliance propose
    create` each from `voters[0]` (the chain's minimum deposit), a YES vote on each from every
    key of `voters`, then wait for every proposal to pass and print the listed assets.

    Raises:
        click.ClickException: a tx or query failed, or a proposal did not pass.
    """
    proposal_ids = [_propose_alliance(client_home, node, voters[0], asset) for asset in alliances]
    for proposal_id in proposal_ids:
        # Different keys, so the votes on one proposal can share a block.
        vote = ("tx", "gov", "vote", str(proposal_id), "yes", "-y", "--wait")
        _run_all([_allianced_args(client_home, node, *vote, "--from", voter) for voter in voters])
    with RpcClient(node) as rpc:
        for proposal_id in proposal_ids:
            _wait_until_passed(rpc, proposal_id)
    listed = _allianced_json(client_home, node, "query", "alliance", "alliances")
    click.echo("alliances listed by governance:")
    names = {asset.denom: asset.name for asset in alliances}
    for asset in listed["alliances"]:
        click.echo(
            f"  {names.get(asset['denom'], asset['denom']):<8} weight {asset['reward_weight']}"
            f"   take rate {asset['take_rate']} per interval   {asset['denom']}"
        )


def is_alliance_module_wired(node: str) -> bool:
    """Whether the node answers the alliance module's queries (it then routes its messages)."""
    with RpcClient(node) as rpc:
        try:
            rpc.query_grpc(
                "/alliance.alliance.Query/Params",
                alliance_query.QueryParamsRequest(),
                alliance_query.QueryParamsResponse,
            )
        except QueryError:
            return False
    return True


def _propose_alliance(client_home: Path, node: str, proposer: str, asset: DevnetAlliance) -> int:
    response = _allianced_json(
        client_home, node,
        "tx", "alliance", "propose", "create",
        asset.denom, asset.reward_weight, asset.reward_weight_min, asset.reward_weight_max,
        "--annual-take-rate", asset.annual_take_rate,
        "--title", f"List {asset.name}",
        "--summary", f"Alliance for {asset.name} at reward weight {asset.reward_weight}",
        "--from", proposer, "-y", "--wait", "--gas", "auto", "--gas-adjustment", "1.5",
    )  # fmt: skip
    for event in response["events"]:
        for attribute in event["attributes"]:
            if event["type"] == "submit_proposal" and attribute["key"] == "proposal_id":
                return int(attribute["value"])
    raise click.ClickException(f"no proposal id in the events of tx {response['txhash']}")


def _wait_until_passed(rpc: RpcClient, proposal_id: int) -> None:
    """Poll the proposal until it passes; the voting period (gov params) plus a margin at most."""
    params_path, proposal_path = "/cosmos.gov.v1.Query/Params", "/cosmos.gov.v1.Query/Proposal"
    params = rpc.query_grpc(
        params_path, gov_query.QueryParamsRequest(), gov_query.QueryParamsResponse
    ).params
    deadline = time.monotonic() + duration_from_proto(params.voting_period) / SECOND + 30
    click.echo(f"waiting for proposal {proposal_id} to pass...", err=True)
    while True:
        status = rpc.query_grpc(
            proposal_path,
            gov_query.QueryProposalRequest(proposal_id=proposal_id),
            gov_query.QueryProposalResponse,
        ).proposal.status
        if status == gov_pb2.PROPOSAL_STATUS_PASSED:
            return
        if status in (gov_pb2.PROPOSAL_STATUS_REJECTED, gov_pb2.PROPOSAL_STATUS_FAILED):
            name = gov_pb2.ProposalStatus.Name(status)
            raise click.ClickException(f"proposal {proposal_id} ended {name}")
        if time.monotonic() > deadline:
            raise click.ClickException(f"proposal {proposal_id} has not passed in time")
        time.sleep(PROPOSAL_POLL_SECONDS)


_ALLIANCED = (sys.executable, "-m", "app")
"""`allianced`, run by this interpreter (the console script may not be on PATH)."""


def _allianced_args(client_home: Path, node: str, *args: str) -> list[str]:
    """The `allianced ARGS` command line for the client home and node, with JSON output."""
    return [*_ALLIANCED, *args, "--home", str(client_home), "--node", node, "-o", "json"]


def _allianced_json(client_home: Path, node: str, *args: str) -> Any:
    [output] = _run_all([_allianced_args(client_home, node, *args)])
    return json.loads(output)


def _run_all(commands: Sequence[list[str]]) -> list[str]:
    """Run the commands side by side; their outputs, or a one-line error naming the failure."""
    running = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for command in commands
    ]
    outputs = []
    for command, process in zip(commands, running, strict=True):
        stdout, stderr = process.communicate()
        if process.returncode != 0:
            lines = stderr.strip().splitlines() or ["(no output)"]
            shown = " ".join(command[len(_ALLIANCED) :])
            raise click.ClickException(f"`allianced {shown}` failed: {lines[-1]}")
        outputs.append(stdout)
    return outputs


@click.group()
def devnet() -> None:
    """Run the local devnet (one validator, or N with --validators)."""


@devnet.command()
@click.option(
    "--validators",
    type=click.IntRange(1, 10),
    default=None,
    help="Validators of a new devnet [default: 1]; an existing devnet keeps its own.",
)
def up(validators: int | None) -> None:
    """Create (first time) or resume the devnet, and wait for its first block."""
    config = load_devnet_config()
    keys = load_devnet_keys()
    nodes = existing_nodes()
    first_start = not nodes
    if first_start:
        nodes = devnet_nodes(validators or 1)
        click.echo(f"creating a {len(nodes)}-validator devnet in {DEVNET_DIR}", err=True)
        try:
            build_network(nodes, config, keys)
        except NetworkError as error:
            shutil.rmtree(DEVNET_DIR, ignore_errors=True)
            raise click.ClickException(str(error)) from None
    elif validators is not None and validators != len(nodes):
        raise click.ClickException(
            f"the devnet in {DEVNET_DIR} has {len(nodes)} validators; "
            "./scripts/devnet reset first to make one with another number"
        )
    client_home = default_home()
    import_client_keys(client_home, keys)
    write_client_config(client_home, config["chain_id"], nodes[0].addresses.rpc)
    for node in nodes:
        if not node.processes.is_running():
            node.processes.start()
    try:
        height = wait_for_height(nodes[0].rpc_url, 1, timeout=FIRST_BLOCK_TIMEOUT_SECONDS)
    except NodeProcessError as error:
        for node in nodes:
            node.processes.stop()
        logs = ", ".join(str(node.processes.comet_log) for node in nodes)
        raise click.ClickException(f"{error}; see the app.log and cometbft.log of {logs}") from None
    click.echo(f"devnet {config['chain_id']} is up at height {height}")
    if first_start:
        _list_devnet_alliances(client_home, nodes, load_devnet_alliances(config))
    for node in nodes:
        click.echo(f"  {node.moniker}: RPC {node.rpc_url}   home {node.home.root}")
    click.echo(f"  chain id: {config['chain_id']}   (client config and keys: {client_home})")
    executable = Path(sys.executable).parent / "allianced"
    click.echo(f"  CLI:      {executable}   (or: export PATH={executable.parent}:$PATH)")
    click.echo("  test keys (published devnet mnemonics: never use them for real funds):")
    for key in keys:
        click.echo(f"    {key.name:<11} {key.address}")
        click.echo(f"                {key.mnemonic}")


def _list_devnet_alliances(
    client_home: Path, nodes: Sequence[NetworkNode], alliances: Sequence[DevnetAlliance]
) -> None:
    node = nodes[0].addresses.rpc
    if not is_alliance_module_wired(node):
        click.echo("the app has no alliance module yet: the devnet's assets are not listed")
        return
    names = ", ".join(asset.name for asset in alliances)
    click.echo(f"listing {names} by gov proposal (voting period: 30 s)...")
    list_alliances(client_home, node, [node_.key_name for node_ in nodes], alliances)


@devnet.command()
def down() -> None:
    """Stop every node of the devnet and keep its state."""
    for node in existing_nodes():
        node.processes.stop()
    click.echo("devnet stopped (state kept; ./scripts/devnet up resumes it)")


@devnet.command()
def reset() -> None:
    """Stop the devnet and delete its state."""
    for node in existing_nodes():
        node.processes.stop()
    shutil.rmtree(DEVNET_DIR, ignore_errors=True)
    click.echo(f"devnet state removed ({DEVNET_DIR})")


@devnet.command()
def status() -> None:
    """Say whether each node's app and CometBFT run, and its height."""
    nodes = existing_nodes()
    first_start = not nodes
    if first_start:
        click.echo("devnet: not created (./scripts/devnet up)")
        return
    for node in nodes:
        processes = node.processes
        app_state = "running" if processes.app_running() else "stopped"
        comet_state = "running" if processes.comet_running() else "stopped"
        line = f"{node.moniker}: app: {app_state}   cometbft: {comet_state}"
        if processes.comet_running():
            try:
                line += f"   height: {wait_for_height(node.rpc_url, 0, timeout=5)}"
            except NodeProcessError as error:
                line += f"   height: unknown ({error})"
        click.echo(line)


@devnet.command()
@click.option("-n", "--lines", default=40, show_default=True, help="Lines of each log.")
@click.option("--node", "index", type=int, default=None, help="Only this node's logs.")
def logs(lines: int, index: int | None) -> None:
    """Print the end of the app's and CometBFT's logs of every node (or of --node I)."""
    for node in existing_nodes():
        if index is not None and node.index != index:
            continue
        for log in (node.processes.app_log, node.processes.comet_log):
            click.echo(f"==> {log} <==")
            if log.exists():
                click.echo("\n".join(log.read_text(errors="replace").splitlines()[-lines:]))


def main() -> None:
    devnet(standalone_mode=True)


if __name__ == "__main__":
    main()
