"""`allianced init`: a fresh node home with keys, CometBFT config, app config and a genesis."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.crypto import ed25519
from app.node.home import NodeHome, render_template
from app.node.settings import DEFAULT_ABCI_ADDRESS
from app.types.time import Timestamp, format_rfc3339

DEFAULT_BLOCK_MAX_GAS = 100_000_000
"""Block gas limit of new chains: room for about a thousand bank sends per block."""

DEFAULT_BLOCK_MAX_BYTES = 22_020_096
"""CometBFT v0.38's default block size (21 MiB)."""


class InitError(ValueError):
    """The home already holds a node (and --overwrite was not given), or an argument is invalid."""


@dataclass(frozen=True, slots=True)
class NodeAddresses:
    """Where the node's three listeners bind; all loopback unless the operator says otherwise."""

    abci: str = DEFAULT_ABCI_ADDRESS
    rpc: str = "tcp://127.0.0.1:26657"
    p2p: str = "tcp://127.0.0.1:26656"
    external_p2p: str = ""


@dataclass(frozen=True, slots=True)
class ConsensusTimeouts:
    """The CometBFT timeouts a devnet shortens."""

    propose: str = "3s"
    commit: str = "1s"


def init_node(
    home: NodeHome,
    *,
    chain_id: str,
    moniker: str,
    app_state: dict[str, Any],
    addresses: NodeAddresses = NodeAddresses(),
    timeouts: ConsensusTimeouts = ConsensusTimeouts(),
    persistent_peers: str = "",
    log_level: str = "info",
    minimum_gas_prices: str = "",
    pruning_keep_recent: int = 0,
    overwrite: bool = False,
) -> ed25519.PrivateKey:
    """Create the node's files and return its consensus key.

    The genesis has no CometBFT `validators`: the validator set comes from InitChain, made by
    genesis transactions (`genesis gentx`, then `genesis collect-gentxs`) as in every SDK chain;
    `initial_height` is 1 and the genesis time is now.
    """
    if home.genesis_file.exists() and not overwrite:
        raise InitError(f"{home.genesis_file} already exists (use --overwrite to replace it)")
    if not chain_id:
        raise InitError("a chain id is required")
    home.config_dir.mkdir(parents=True, exist_ok=True)
    home.data_dir.mkdir(parents=True, exist_ok=True)

    validator_key = ed25519.generate()
    ed25519.save_priv_validator_key(home.priv_validator_key_file, validator_key)
    ed25519.save_node_key(home.node_key_file, ed25519.generate())
    ed25519.save_priv_validator_state(home.priv_validator_state_file)

    home.cometbft_config.write_text(
        render_template(
            "cometbft.toml",
            {
                "proxy_app": addresses.abci,
                "moniker": moniker,
                "log_level": log_level,
                "rpc_laddr": addresses.rpc,
                "p2p_laddr": addresses.p2p,
                "external_address": addresses.external_p2p,
                "persistent_peers": persistent_peers,
                "pex": "true" if not persistent_peers else "false",
                "timeout_propose": timeouts.propose,
                "timeout_commit": timeouts.commit,
            },
        )
    )
    home.app_config.write_text(
        render_template(
            "app.toml",
            {
                "abci_address": addresses.abci,
                "minimum_gas_prices": minimum_gas_prices,
                "pruning_keep_recent": str(pruning_keep_recent),
            },
        )
    )
    genesis = make_genesis(
        chain_id=chain_id,
        genesis_time=Timestamp(time.time_ns()),  # genesis creation, not state code
        app_state=app_state,
        validators=[],
    )
    write_genesis(home.genesis_file, genesis)
    return validator_key


def make_genesis(
    *,
    chain_id: str,
    genesis_time: Timestamp,
    app_state: dict[str, Any],
    validators: list[dict[str, Any]],
    initial_height: int = 1,
) -> dict[str, Any]:
    """A CometBFT genesis document (int64 values as strings, durations in nanoseconds)."""
    return {
        "genesis_time": format_rfc3339(genesis_time),
        "chain_id": chain_id,
        "initial_height": str(initial_height),
        "consensus_params": {
            "block": {
                "max_bytes": str(DEFAULT_BLOCK_MAX_BYTES),
                "max_gas": str(DEFAULT_BLOCK_MAX_GAS),
            },
            "evidence": {
                "max_age_num_blocks": "100000",
                "max_age_duration": "172800000000000",
                "max_bytes": "1048576",
            },
            "validator": {"pub_key_types": ["ed25519"]},
            "version": {"app": "0"},
            "abci": {"vote_extensions_enable_height": "0"},
        },
        "validators": validators,
        "app_hash": "",
        "app_state": app_state,
    }


def validator_entry(pubkey: ed25519.PublicKey, *, power: int, name: str) -> dict[str, Any]:
    """One entry of genesis `validators`."""
    return {
        "address": ed25519.consensus_address(pubkey.key).hex().upper(),
        "pub_key": ed25519.pubkey_json(pubkey),
        "power": str(power),
        "name": name,
    }


def read_genesis(path: Path) -> dict[str, Any]:
    """The genesis document at `path`."""
    document = json.loads(path.read_text())
    if not isinstance(document, dict):
        raise InitError(f"{path} does not hold a JSON object")
    return document


def write_genesis(path: Path, genesis: dict[str, Any]) -> None:
    """Write a genesis document, indented, keys in a stable order."""
    path.write_text(json.dumps(genesis, indent=2) + "\n")
