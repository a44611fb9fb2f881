"""The root group: client config, global flags and their precedence, aliases, error lines."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from app.cli.config import read_client_config
from app.cli.main import cli
from app.cli.rpc import RpcClient
from tests.cli.conftest import ClientHome, FakeNode, run_allianced


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_status(fake_node: FakeNode, network: str = "persistence-test-1") -> None:
    fake_node.methods["status"] = lambda _: {
        "node_info": {"network": network},
        "sync_info": {"latest_block_height": "5", "catching_up": False},
        "validator_info": {},
    }


def test_config_set_then_get(tmp_path: Path) -> None:
    home = str(tmp_path / "h")
    for key, value in [
        ("chain-id", "persistence-devnet-1"),
        ("node", "tcp://127.0.0.1:36657"),
        ("output", "json"),
        ("keyring-backend", "test"),
        ("broadcast-mode", "async"),
    ]:
        outcome = run_allianced("config", "set", "client", key, value, "--home", home)
        assert outcome.code == 0, outcome.stderr
    assert run_allianced("--home", home, "config", "get", "client", "node").stdout == (
        "tcp://127.0.0.1:36657\n"
    )
    assert read_client_config(Path(home)) == {
        "chain-id": "persistence-devnet-1",
        "keyring-backend": "test",
        "output": "json",
        "node": "tcp://127.0.0.1:36657",
        "broadcast-mode": "async",
    }
    whole = run_allianced("--home", home, "config", "get", "client").stdout
    assert whole.splitlines()[0] == 'chain-id = "persistence-devnet-1"'


def test_config_set_keeps_other_keys_and_escapes_values(tmp_path: Path) -> None:
    run_allianced("--home", str(tmp_path), "config", "set", "client", "node", "tcp://a:1")
    run_allianced("--home", str(tmp_path), "config", "set", "client", "chain-id", 'we"ird\\id')
    assert read_client_config(tmp_path) == {"chain-id": 'we"ird\\id', "node": "tcp://a:1"}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("colour", "blue", "Error: unknown client config key 'colour'"),
        ("output", "yaml", "Error: invalid value 'yaml': use one of text, json"),
        ("broadcast-mode", "block", "Error: invalid value 'block': use one of sync, async"),
        ("node", "127.0.0.1:26657", "Error: invalid node address"),
    ],
)
def test_config_set_refuses_bad_keys_and_values(
    tmp_path: Path, key: str, value: str, message: str
) -> None:
    outcome = run_allianced("--home", str(tmp_path), "config", "set", "client", key, value)
    assert outcome.code == 1
    assert outcome.stderr.startswith(message) and outcome.stderr.count("\n") == 1
    assert not (tmp_path / "config" / "client.toml").exists()


def test_home_comes_from_the_environment(tmp_path: Path) -> None:
    outcome = run_allianced(
        "config", "set", "client", "chain-id", "x-1", env={"ALLIANCED_HOME": str(tmp_path)}
    )
    assert outcome.code == 0
    assert read_client_config(tmp_path) == {"chain-id": "x-1"}


def test_node_from_client_toml(client_home: ClientHome, fake_node: FakeNode) -> None:
    serve_status(fake_node)
    outcome = client_home.run("status")
    assert outcome.code == 0, outcome.stderr
    assert json.loads(outcome.stdout)["node_info"]["network"] == "persistence-test-1"


def test_a_flag_after_the_command_beats_the_flag_before_it_and_client_toml(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    serve_status(fake_node)
    dead = f"tcp://127.0.0.1:{closed_port()}"
    # client.toml names the live node; the root flag overrides it...
    assert client_home.run("--node", dead, "status").code == 1
    # ...and a flag after the subcommand overrides the root flag.
    assert client_home.run("--node", dead, "status", "--node", fake_node.url).code == 0


def test_unreachable_node_is_one_line_and_exit_1(tmp_path: Path) -> None:
    node = f"tcp://127.0.0.1:{closed_port()}"
    outcome = run_allianced(
        "--home", str(tmp_path), "q", "bank", "balances",
        "persistence1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53w2dgc", "--node", node,
    )  # fmt: skip
    assert outcome.code == 1
    assert outcome.stderr == f"Error: cannot reach node at {node}: connection refused\n"
    assert outcome.stdout == ""


def test_unexpected_errors_are_one_line_unless_debugging(
    client_home: ClientHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: RpcClient) -> dict[str, Any]:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(RpcClient, "status", broken)
    outcome = client_home.run("status")
    assert (outcome.code, outcome.stderr) == (1, "Error: RuntimeError: boom second line\n")
    with pytest.raises(RuntimeError, match="boom"):
        client_home.run("status", "--debug")
    with pytest.raises(RuntimeError, match="boom"):
        client_home.run("status", env={"ALLIANCED_DEBUG": "1"})


def test_bad_client_toml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "client.toml").write_text("node = [\n")
    outcome = run_allianced("--home", str(tmp_path), "status")
    assert outcome.code == 1 and outcome.stderr.startswith("Error: cannot read ")
    assert outcome.stderr.count("\n") == 1


def test_invalid_configured_value_is_reported(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "client.toml").write_text('output = "yaml"\n')
    outcome = run_allianced("--home", str(tmp_path), "status")
    assert outcome.code == 1
    assert outcome.stderr == (
        "Error: client.toml output = 'yaml' is invalid: use one of text, json\n"
    )


def test_usage_errors_exit_2_as_click_does(tmp_path: Path) -> None:
    outcome = run_allianced("--home", str(tmp_path), "query", "bank", "balances")
    assert outcome.code == 2 and "Missing argument 'ADDRESS'" in outcome.stderr
    assert run_allianced("nope").code == 2


def test_help_and_aliases(tmp_path: Path) -> None:
    outcome = run_allianced("--help")
    assert outcome.code == 0
    for command in ("keys", "tx", "query", "status", "comet", "config"):
        assert command in outcome.stdout
    assert run_allianced("q", "bank", "--help").code == 0
    assert "show-validator" in run_allianced("tendermint", "--help").stdout


def test_errors_print_as_error_lines_under_clicks_runner_too(tmp_path: Path) -> None:
    node = f"tcp://127.0.0.1:{closed_port()}"
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "--node", node, "status"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot reach node at {node}: connection refused\n"
