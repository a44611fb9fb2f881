"""The local network builder shared by the devnet and the network tests (no process started)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.node.devnet import load_devnet_config, load_devnet_keys
from app.node.home import NodeHome
from app.node.init import NodeAddresses
from app.node.network import (
    NetworkError,
    build_network,
    devnet_addresses,
    network_nodes,
    peer_address,
    set_persistent_peers,
)
from app.node.settings import DEFAULT_ABCI_ADDRESS


def test_devnet_node_zero_keeps_the_default_ports_and_others_shift_by_ten() -> None:
    first = devnet_addresses(0)
    assert first == NodeAddresses(
        abci=DEFAULT_ABCI_ADDRESS, rpc="tcp://127.0.0.1:26657", p2p="tcp://127.0.0.1:26656"
    )
    assert devnet_addresses(3) == NodeAddresses(
        abci="tcp://127.0.0.1:26688", rpc="tcp://127.0.0.1:26687", p2p="tcp://127.0.0.1:26686"
    )


def test_persistent_peers_replace_the_template_lines(tmp_path: Path) -> None:
    home = NodeHome(tmp_path)
    home.config_dir.mkdir()
    home.cometbft_config.write_text(
        'moniker = "x"\n[p2p]\npersistent_peers = ""\naddr_book_strict = false\npex = true\n'
    )
    set_persistent_peers(home, ["aa@127.0.0.1:1", "bb@127.0.0.1:2"])
    text = home.cometbft_config.read_text()
    assert 'persistent_peers = "aa@127.0.0.1:1,bb@127.0.0.1:2"\n' in text
    assert "pex = false\n" in text and "pex = true" not in text


def test_persistent_peers_refuse_a_config_without_the_lines(tmp_path: Path) -> None:
    home = NodeHome(tmp_path)
    home.config_dir.mkdir()
    home.cometbft_config.write_text('moniker = "x"\n')
    with pytest.raises(NetworkError, match="persistent_peers"):
        set_persistent_peers(home, ["aa@127.0.0.1:1"])


def test_a_network_without_its_validator_keys_is_refused(tmp_path: Path) -> None:
    nodes = network_nodes(tmp_path, [devnet_addresses(i) for i in range(2)])
    keys = [key for key in load_devnet_keys() if key.name != "validator1"]
    with pytest.raises(NetworkError, match="validator1"):
        build_network(nodes, load_devnet_config(), keys)


def test_three_nodes_share_one_gentx_genesis_and_peer_with_each_other(tmp_path: Path) -> None:
    nodes = network_nodes(tmp_path, [devnet_addresses(i) for i in range(3)])
    config = load_devnet_config()
    build_network(nodes, config, load_devnet_keys())
    genesis_texts = {node.home.genesis_file.read_text() for node in nodes}
    assert len(genesis_texts) == 1
    genesis = json.loads(genesis_texts.pop())
    assert genesis["chain_id"] == config["chain_id"]
    assert genesis["validators"] == [], "the validator set comes from InitChain (gentxs)"
    gen_txs = genesis["app_state"]["genutil"]["gen_txs"]
    assert len(gen_txs) == 3
    monikers = sorted(tx["body"]["messages"][0]["description"]["moniker"] for tx in gen_txs)
    assert monikers == ["validator0", "validator1", "validator2"]
    pubkeys = {tx["body"]["messages"][0]["pubkey"]["key"] for tx in gen_txs}
    assert len(pubkeys) == 3, "each validator signs with its own node's consensus key"
    for node in nodes:
        config_text = node.home.cometbft_config.read_text()
        others = [peer_address(peer) for peer in nodes if peer != node]
        assert f'persistent_peers = "{",".join(others)}"' in config_text
        assert f'laddr = "{node.addresses.rpc}"' in config_text
        assert node.node_id() not in config_text
