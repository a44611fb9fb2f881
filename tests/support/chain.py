"""A real single-validator chain for integration tests: our app and CometBFT as processes.

The node home and the client home live in a temporary folder, every listener on a free loopback
port; the funded keys are the devnet's published test keys, so tests can sign as `user1` etc.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from app.cli.main import cli
from app.cli.rpc import RpcClient
from app.node.devnet import (
    DevnetKey,
    create_devnet,
    import_client_keys,
    load_devnet_config,
    load_devnet_keys,
    write_client_config,
)
from app.node.genesis import deep_merge
from app.node.home import NodeHome
from app.node.init import NodeAddresses
from app.node.process import REPOSITORY, NodeProcesses, free_loopback_port, wait_for_height

TEST_CHAIN_ID = "persistence-test-1"


@dataclass
class RunningChain:
    """A started node and a client home pointing at it."""

    home: NodeHome
    client_home: Path
    chain_id: str
    rpc_url: str
    rpc_laddr: str
    processes: NodeProcesses
    keys: dict[str, DevnetKey] = field(default_factory=dict)

    def cli(self, *args: str, input: str | None = None) -> Result:
        """Run `allianced --home <client home> ARGS` in-process (click's runner)."""
        runner = CliRunner()
        return runner.invoke(cli, ["--home", str(self.client_home), *args], input=input)

    def cli_json(self, *args: str) -> Any:
        """Run a command with `-o json` and parse its output; fails the test on a non-zero exit."""
        result = self.cli(*args, "-o", "json")
        assert result.exit_code == 0, f"allianced {' '.join(args)} failed: {result.output}"
        return json.loads(result.stdout)

    def run(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run the real `allianced` executable (a separate process) against this chain."""
        return subprocess.run(
            [sys.executable, "-m", "app", "--home", str(self.client_home), *args],
            input=input,
            capture_output=True,
            text=True,
            cwd=REPOSITORY,
            timeout=120,
            check=False,
        )

    def rpc(self) -> RpcClient:
        return RpcClient(self.rpc_laddr)

    def height(self) -> int:
        return wait_for_height(self.rpc_url, 0, timeout=10)

    def wait_for_height(self, height: int, timeout: float = 60) -> int:
        return wait_for_height(self.rpc_url, height, timeout=timeout)

    def address(self, name: str) -> str:
        return self.keys[name].address


@contextmanager
def running_chain(
    root: Path,
    *,
    timeout_commit: str = "200ms",
    genesis_file: Path | None = None,
    validator_key_file: Path | None = None,
    app_state: dict[str, Any] | None = None,
) -> Iterator[RunningChain]:
    """Create, start and finally stop a chain whose files live under `root`.

    With `genesis_file` the node starts from that genesis (e.g. an export) instead of a new one;
    its staking state names the validators, so `validator_key_file` (the exporting node's
    ``priv_validator_key.json``) becomes this node's consensus key. `app_state` is laid over the
    devnet's genesis patch (e.g. a shorter unbonding time).
    """
    config = load_devnet_config()
    config["chain_id"] = TEST_CHAIN_ID
    config["timeout_commit"] = timeout_commit
    config["app_state"] = deep_merge(config.get("app_state", {}), app_state or {})
    keys = load_devnet_keys()
    home = NodeHome(root / "node0")
    rpc_port = free_loopback_port()
    addresses = NodeAddresses(
        abci=f"tcp://127.0.0.1:{free_loopback_port()}",
        rpc=f"tcp://127.0.0.1:{rpc_port}",
        p2p=f"tcp://127.0.0.1:{free_loopback_port()}",
    )
    create_devnet(home, config, keys, addresses)
    if genesis_file is not None:
        genesis = json.loads(genesis_file.read_text())
        ours = json.loads(home.genesis_file.read_text())
        genesis["validators"] = ours["validators"]
        home.genesis_file.write_text(json.dumps(genesis, indent=2))
    if validator_key_file is not None:
        shutil.copy(validator_key_file, home.priv_validator_key_file)
    client_home = root / "client"
    import_client_keys(client_home, keys)
    processes = NodeProcesses(home.root)
    chain_id = json.loads(home.genesis_file.read_text())["chain_id"]
    write_client_config(client_home, chain_id, addresses.rpc)
    chain = RunningChain(
        home=home,
        client_home=client_home,
        chain_id=chain_id,
        rpc_url=f"http://127.0.0.1:{rpc_port}",
        rpc_laddr=addresses.rpc,
        processes=processes,
        keys={key.name: key for key in keys},
    )
    processes.start()
    try:
        chain.wait_for_height(1, timeout=90)
        yield chain
    except BaseException:
        _print_logs(processes)
        raise
    finally:
        processes.stop()


def start_chain_from(
    root: Path, genesis_file: Path, validator_key_file: Path
) -> contextlib.AbstractContextManager[RunningChain]:
    """A chain started from an existing genesis, signing with the exporting validator's key."""
    return running_chain(root, genesis_file=genesis_file, validator_key_file=validator_key_file)


def _print_logs(processes: NodeProcesses) -> None:
    for log in (processes.app_log, processes.comet_log):
        if log.exists():
            tail = log.read_text(errors="replace").splitlines()[-30:]
            print(f"==> {log} <==", *tail, sep="\n", file=sys.stderr)
