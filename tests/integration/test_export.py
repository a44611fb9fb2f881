"""`allianced export` writes a genesis that starts a new chain in the same state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.node.home import NodeHome
from app.node.init import read_genesis, write_genesis
from tests.support.chain import running_chain, start_chain_from

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_export_then_restart_from_the_export(tmp_path: Path) -> None:
    with running_chain(tmp_path / "first") as chain:
        recipient = chain.address("validator2")
        chain.cli_json("tx", "bank", "send", "user1", recipient, "4242uxprt", "--wait", "-y")
        balances = chain.cli_json("query", "bank", "balances", recipient)["balances"]
        supply = chain.cli_json("query", "bank", "total")["supply"]
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
    with start_chain_from(tmp_path / "second", export_file) as restarted:
        assert restarted.height() >= int(document["initial_height"])
        again = restarted.cli_json("query", "bank", "balances", recipient)["balances"]
        assert again == balances
        assert restarted.cli_json("query", "bank", "total")["supply"] == supply
        second_home = NodeHome(restarted.home.root)
        restarted.processes.stop()
        re_exported = restarted.run("export", "--home", str(second_home.root))
        assert re_exported.returncode == 0, re_exported.stderr
        assert json.loads(re_exported.stdout)["app_state"]["bank"] == document["app_state"]["bank"]
