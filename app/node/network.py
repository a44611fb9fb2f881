"""A local network of N validator nodes on one machine, each its own app and CometBFT.

Shared by `./scripts/devnet up --validators N` and the network tests. Every node gets a home
under one root (`<root>/node<i>`), its own loopback ports and a fresh consensus key; the chain's
genesis is made the SDK way:

1. `init` every home; node0's genesis takes the config's `app_state` patch and balances;
2. every validator signs a `MsgCreateValidator` for its own consensus key with the devnet key
   `validator<i>` (what `allianced genesis gentx` does; equal self-delegations, so each validator
   has 1/N of the power);
3. node0 collects the gentxs into its genesis (`allianced genesis collect-gentxs`), which is copied
   to every home: InitChain delivers the gentxs and returns the validator set staking computes;
4. every node names all the others as persistent peers.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.cli.keyring import Keyring, KeyringError
from app.crypto import ed25519
from app.crypto.hd import derive_private_key
from app.node.genesis import add_genesis_account, deep_merge, default_app_state
from app.node.gentx import (
    GENTX_DIR,
    GentxError,
    ValidatorSpec,
    build_gentx,
    collect_gentxs,
    write_gentx,
)
from app.node.home import NodeHome
from app.node.init import (
    ConsensusTimeouts,
    NodeAddresses,
    init_node,
    read_genesis,
    write_genesis,
)
from app.node.process import NodeProcesses, http_url
from app.types.address import acc_to_bech32
from app.types.coin import Coin, Coins

__all__ = [
    "DEVNET_PORT_BASE",
    "PORT_STRIDE",
    "DevnetKey",
    "NetworkError",
    "NetworkNode",
    "build_network",
    "devnet_addresses",
    "funded_genesis",
    "genesis_with_gentxs",
    "network_nodes",
    "peer_address",
    "set_persistent_peers",
    "validator_key_name",
]

DEVNET_PORT_BASE = 26656
"""Node 0 of the devnet uses CometBFT's default ports: P2P 26656, RPC 26657, ABCI 26658."""

PORT_STRIDE = 10
"""Node i of the devnet uses the default ports shifted by `PORT_STRIDE * i`."""


class NetworkError(RuntimeError):
    """The network could not be built (a genesis step failed); the message says which."""


@dataclass(frozen=True, slots=True)
class DevnetKey:
    """A published test key of the devnet (config/devnet-keys.json)."""

    name: str
    mnemonic: str

    @property
    def address(self) -> str:
        return acc_to_bech32(derive_private_key(self.mnemonic).public_key.address())


@dataclass(frozen=True, slots=True)
class NetworkNode:
    """One validator node of a local network: its home and where it listens."""

    index: int
    home: NodeHome
    addresses: NodeAddresses

    @property
    def moniker(self) -> str:
        return validator_key_name(self.index)

    @property
    def key_name(self) -> str:
        """The devnet key that operates this node's validator."""
        return validator_key_name(self.index)

    @property
    def rpc_url(self) -> str:
        return http_url(self.addresses.rpc)

    @property
    def processes(self) -> NodeProcesses:
        return NodeProcesses(self.home.root)

    def node_id(self) -> str:
        """The p2p identity from `node_key.json` (exists once the home is built)."""
        return ed25519.node_id(ed25519.load_node_key(self.home.node_key_file).public_key.key)

    def consensus_key(self) -> ed25519.PrivateKey:
        """The validator's ed25519 key from `priv_validator_key.json`."""
        return ed25519.load_priv_validator_key(self.home.priv_validator_key_file)


def validator_key_name(index: int) -> str:
    """`validator<i>`: the devnet key and moniker of node i."""
    return f"validator{index}"


def devnet_addresses(index: int, host: str = "127.0.0.1") -> NodeAddresses:
    """Node i's listeners: P2P, RPC and ABCI at `DEVNET_PORT_BASE + PORT_STRIDE*i` (+0, +1, +2)."""
    p2p = DEVNET_PORT_BASE + PORT_STRIDE * index
    return NodeAddresses(
        p2p=f"tcp://{host}:{p2p}", rpc=f"tcp://{host}:{p2p + 1}", abci=f"tcp://{host}:{p2p + 2}"
    )


def network_nodes(root: Path, addresses: Sequence[NodeAddresses]) -> tuple[NetworkNode, ...]:
    """The nodes of a network under `root`, node i at `root/node<i>` listening on `addresses[i]`."""
    return tuple(
        NetworkNode(index, NodeHome(root / f"node{index}"), node_addresses)
        for index, node_addresses in enumerate(addresses)
    )


def peer_address(node: NetworkNode) -> str:
    """`<node id>@<host>:<port>` as CometBFT's `persistent_peers` takes it."""
    return f"{node.node_id()}@{node.addresses.p2p.split('://', 1)[-1]}"


def build_network(
    nodes: Sequence[NetworkNode],
    config: dict[str, Any],
    keys: Sequence[DevnetKey],
    *,
    timeouts: ConsensusTimeouts | None = None,
) -> None:
    """Create every node's home and the shared genesis made by gentx (see the module docstring).

    Parameters:
        nodes: the network's nodes (`network_nodes`); existing homes are overwritten.
        config: the shape of config/devnet.json: `chain_id`, `balances` (key name → coins),
            `self_delegation` (coins each validator bonds), `app_state` (a patch over the
            modules' defaults), optional `timeout_commit` and `minimum_gas_prices`.
        keys: the devnet keys; `validator0..N-1` must be among them and funded by `balances`.
        timeouts: CometBFT timeouts; by default `timeout_commit` from the config.

    Raises:
        NetworkError: a validator key is missing, or a gentx cannot be made.
    """
    if not nodes:
        raise NetworkError("a network needs at least one validator")
    by_name = {key.name: key for key in keys}
    missing = [node.key_name for node in nodes if node.key_name not in by_name]
    if missing:
        raise NetworkError(f"no devnet key named {', '.join(missing)}")
    timeouts = timeouts or ConsensusTimeouts(commit=config.get("timeout_commit", "500ms"))
    app_state = deep_merge(default_app_state(), config.get("app_state", {}))
    for node in nodes:
        shutil.rmtree(node.home.config_dir / GENTX_DIR, ignore_errors=True)
        init_node(
            node.home,
            chain_id=config["chain_id"],
            moniker=node.moniker,
            app_state=app_state,
            addresses=node.addresses,
            timeouts=timeouts,
            minimum_gas_prices=config.get("minimum_gas_prices", ""),
            overwrite=True,
        )
    genesis = funded_genesis(read_genesis(nodes[0].home.genesis_file), config, by_name)
    genesis = genesis_with_gentxs(nodes, genesis, config, by_name)
    for node in nodes:
        write_genesis(node.home.genesis_file, genesis)
        set_persistent_peers(node.home, [peer_address(peer) for peer in nodes if peer != node])


def genesis_with_gentxs(
    nodes: Sequence[NetworkNode],
    genesis: dict[str, Any],
    config: dict[str, Any],
    keys: dict[str, DevnetKey],
) -> dict[str, Any]:
    """`genesis` with every validator's gentx collected, as the SDK's manual flow makes it.

    Each node signs a MsgCreateValidator for its own consensus key with the key `validator<i>`
    (imported into a `test` keyring in its home) bonding `self_delegation`, written to its
    `config/gentx/`; node0 gathers them into its `config/gentx/` and collects them.

    Raises:
        NetworkError: a gentx cannot be made (e.g. the key's balance is below the delegation).
    """
    amount = Coin.parse(config["self_delegation"])
    collected = nodes[0].home.config_dir / GENTX_DIR
    collected.mkdir(parents=True, exist_ok=True)
    write_genesis(nodes[0].home.genesis_file, genesis)
    for node in nodes:
        keyring = Keyring(node.home.root, "test")
        import_key(keyring, keys[node.key_name])
        try:
            document = build_gentx(
                keyring,
                node.key_name,
                amount,
                node.consensus_key().public_key.key,
                ValidatorSpec(moniker=node.moniker),
                genesis=genesis,
                chain_id=config["chain_id"],
            )
        except GentxError as error:
            raise NetworkError(f"gentx of {node.moniker}: {error}") from None
        written = write_gentx(node.home, document)
        if written.parent != collected:
            shutil.copy(written, collected / written.name)
    collect_gentxs(nodes[0].home)
    return read_genesis(nodes[0].home.genesis_file)


def funded_genesis(
    genesis: dict[str, Any], config: dict[str, Any], keys: dict[str, DevnetKey]
) -> dict[str, Any]:
    """`genesis` with the config's balances and no CometBFT genesis validators.

    The validator set comes from InitChain (the gentxs), as in every SDK chain.
    """
    for name, coins in config["balances"].items():
        add_genesis_account(genesis, keys[name].address, Coins.parse(coins))
    genesis["validators"] = []
    return genesis


def import_key(keyring: Keyring, key: DevnetKey) -> None:
    """Add `key` to `keyring` unless a key of that name is already there."""
    try:
        keyring.get(key.name)
    except KeyringError:
        keyring.add(key.name, mnemonic=key.mnemonic)


_PEERS_LINE = re.compile(r'^persistent_peers = ".*"$', re.MULTILINE)
_PEX_LINE = re.compile(r"^pex = (true|false)$", re.MULTILINE)


def set_persistent_peers(home: NodeHome, peers: Sequence[str]) -> None:
    """Name `peers` as the node's persistent peers in config.toml (and turn peer exchange off:
    a local network knows all its nodes)."""
    text = home.cometbft_config.read_text()
    text, replaced = _PEERS_LINE.subn(f'persistent_peers = "{",".join(peers)}"', text)
    text, pex_replaced = _PEX_LINE.subn("pex = false", text)
    if replaced != 1 or pex_replaced != 1:
        raise NetworkError(f"{home.cometbft_config}: persistent_peers / pex lines not found")
    home.cometbft_config.write_text(text)
