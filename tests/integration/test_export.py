"""`allianced export` writes a genesis that starts a new chain in the same state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.chain.wiring import MODULE_ACCOUNT_PERMISSIONS
from app.node.home import NodeHome
from app.node.init import read_genesis, write_genesis
from app.types import acc_to_bech32, module_address
from tests.support.chain import running_chain, start_chain_from

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def non_bond_supply(reply: dict[str, list[dict[str, str]]]) -> list[dict[str, str]]:
    """The supply without uxprt, which inflation mints every block."""
    return [coin for coin in reply["supply"] if coin["denom"] != "uxprt"]


def user_balances(bank: dict[str, Any]) -> list[dict[str, Any]]:
    """Balances of the accounts a module does not own (module accounts gain rewards per block)."""
    module_addresses = {acc_to_bech32(module_address(name)) for name in MODULE_ACCOUNT_PERMISSIONS}
    return [entry for entry in bank["balances"] if entry["address"] not in module_addresses]


def test_export_then_restart_from_the_export(tmp_path: Path) -> None:
    with running_chain(tmp_path / "first") as chain:
        recipient = chain.address("validator2")
        chain.cli_json("tx", "bank", "send", "user1", recipient, "4242uxprt", "--wait", "-y")
        balances = chain.cli_json("query", "bank", "balances", recipient)["balances"]
        supply = non_bond_supply(chain.cli_json("query", "bank", "total"))
        chain.processes.stop()
        exported = chain.run("export", "--home", str(chain.home.root))
        assert exported.returncode == 0, exported.stderr
        document = json.loads(exported.stdout)
        old_genesis = read_genesis(chain.home.genesis_file)

    assert int(document["initial_height"]) > 1
    assert document["chain_id"] == old_genesis["chain_id"]
    accounts = document["app_state"]["auth"]["accounts"]
    assert any(account.get("address") == recipient for account in accounts)

    export_file = tmp_path / "exported.json"
    write_genesis(export_file, document)
    key_file = NodeHome(tmp_path / "first" / "node0").priv_validator_key_file
    with start_chain_from(tmp_path / "second", export_file, key_file) as restarted:
        assert restarted.height() >= int(document["initial_height"])
        again = restarted.cli_json("query", "bank", "balances", recipient)["balances"]
        assert again == balances
        assert non_bond_supply(restarted.cli_json("query", "bank", "total")) == supply
        second_home = NodeHome(restarted.home.root)
        restarted.processes.stop()
        re_exported = restarted.run("export", "--home", str(second_home.root))
        assert re_exported.returncode == 0, re_exported.stderr
        # Blocks since the import minted uxprt into module accounts; user state is unchanged.
        first, second = (
            document["app_state"]["bank"],
            json.loads(re_exported.stdout)["app_state"]["bank"],
        )
        assert second["params"] == first["params"]
        assert second["denom_metadata"] == first["denom_metadata"]
        assert user_balances(second) == user_balances(first)
