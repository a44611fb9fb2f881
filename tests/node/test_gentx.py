"""`allianced genesis gentx` and `collect-gentxs` through the CLI on temporary homes: two
operators each sign a gentx on their own home, one home collects both, and the resulting genesis
starts a chain (InitChain) whose validator set is exactly the two consensus keys at their bonds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from app.chain.application import ChainApplication
from app.chain.errors import ChainError
from app.chain.wiring import build_chain
from app.cli.main import cli
from app.crypto import ed25519
from app.node.home import NodeHome
from app.store import MemoryDatabase, MultiStore
from tests.support.invariants import init_chain_request

CHAIN_ID = "persistence-gentx-1"


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, f"allianced {' '.join(args)}: {result.output}"
    return result


def make_home(root: Path, name: str) -> tuple[Path, str]:
    """An initialised node home with an operator key `name`; returns (home, key address)."""
    home = root / name
    ok("init", name, "--chain-id", CHAIN_ID, "--home", str(home))
    ok("keys", "add", name, "--keyring-backend", "test", "--home", str(home))
    shown = ok("keys", "show", name, "-a", "--keyring-backend", "test", "--home", str(home))
    return home, shown.stdout.strip().splitlines()[-1]


def consensus_pubkey(home: Path) -> bytes:
    key = ed25519.load_priv_validator_key(NodeHome(home).priv_validator_key_file)
    return key.public_key.key


def genesis_of(home: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(NodeHome(home).genesis_file.read_text())
    return document


def two_operator_genesis(root: Path) -> tuple[Path, Path]:
    """home0 funds both operators, home1 gets that genesis; each signs its gentx; home0
    collects both."""
    home0, address0 = make_home(root, "val0")
    home1, address1 = make_home(root, "val1")
    ok("genesis", "add-account", address0, "1000000000uxprt", "--home", str(home0))
    ok("genesis", "add-account", address1, "1000000000uxprt", "--home", str(home0))
    shutil.copy(NodeHome(home0).genesis_file, NodeHome(home1).genesis_file)
    for home, name, amount in ((home0, "val0", "100000000"), (home1, "val1", "50000000")):
        ok(
            "genesis", "gentx", name, f"{amount}uxprt",
            "--moniker", name, "--chain-id", CHAIN_ID, "--home", str(home),
            "--keyring-backend", "test",
        )  # fmt: skip
    for gentx in (NodeHome(home1).config_dir / "gentx").glob("*.json"):
        shutil.copy(gentx, NodeHome(home0).config_dir / "gentx" / gentx.name)
    ok("genesis", "collect-gentxs", "--home", str(home0))
    return home0, home1


def test_collected_gentxs_make_the_validator_set_at_init_chain(tmp_path: Path) -> None:
    home0, home1 = two_operator_genesis(tmp_path)
    genesis = genesis_of(home0)
    assert len(genesis["app_state"]["genutil"]["gen_txs"]) == 2
    assert genesis["validators"] == []
    ok("genesis", "validate", "--home", str(home0))
    chain = build_chain()
    app = ChainApplication(MultiStore(MemoryDatabase(), chain.store_names), chain=chain)
    response = app.init_chain(init_chain_request(genesis))
    powers = {update.pub_key.ed25519: update.power for update in response.validators}
    assert powers == {consensus_pubkey(home0): 100, consensus_pubkey(home1): 50}


def test_gentx_above_the_genesis_balance_is_refused(tmp_path: Path) -> None:
    home, address = make_home(tmp_path, "val0")
    ok("genesis", "add-account", address, "1000uxprt", "--home", str(home))
    result = run(
        "genesis", "gentx", "val0", "1001uxprt",
        "--chain-id", CHAIN_ID, "--home", str(home), "--keyring-backend", "test",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "less than the self-delegation" in result.output
    assert not (NodeHome(home).config_dir / "gentx").exists() or not any(
        (NodeHome(home).config_dir / "gentx").iterdir()
    )


def test_collect_without_gentxs_is_refused(tmp_path: Path) -> None:
    home, _ = make_home(tmp_path, "val0")
    result = run("genesis", "collect-gentxs", "--home", str(home))
    assert result.exit_code != 0
    assert "no gentx files" in result.output


def test_a_gentx_signed_for_another_chain_fails_init_chain(tmp_path: Path) -> None:
    home, address = make_home(tmp_path, "val0")
    ok("genesis", "add-account", address, "1000000000uxprt", "--home", str(home))
    ok(
        "genesis", "gentx", "val0", "100000000uxprt",
        "--chain-id", "other-chain", "--home", str(home), "--keyring-backend", "test",
    )  # fmt: skip
    ok("genesis", "collect-gentxs", "--home", str(home))
    chain = build_chain()
    app = ChainApplication(MultiStore(MemoryDatabase(), chain.store_names), chain=chain)
    with pytest.raises(ChainError, match="genesis tx failed"):
        app.init_chain(init_chain_request(genesis_of(home)))
