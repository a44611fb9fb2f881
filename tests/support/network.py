"""A real N-validator network for tests: N apps and N CometBFT nodes, built like the devnet.

Every home lives under a temporary root, every listener on a free loopback port; the genesis is
made by gentx from the devnet keys `validator0..N-1` (`app.node.network`). The client home points
at node 0; `submit` and `query` talk to any node. Waits are bounded and fail with the nodes' log
tails, at once when a node that should run has exited.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from google.protobuf.message import Message

from app.cli.rpc import RpcClient, TxNotFoundError, TxResult
from app.crypto.hd import derive_private_key
from app.node.devnet import (
    import_client_keys,
    load_devnet_config,
    load_devnet_keys,
    write_client_config,
)
from app.node.genesis import deep_merge
from app.node.init import ConsensusTimeouts, NodeAddresses
from app.node.network import NetworkNode, build_network, network_nodes
from app.node.process import NodeProcessError, free_loopback_port, wait_for_height
from app.pb.cosmos.auth.v1beta1 import auth_pb2
from app.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from app.pb.cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci
from app.tx import Signer, build_signed_tx
from app.types.address import val_to_bech32
from app.types.coin import Coins
from tests.support.chain import TEST_CHAIN_ID, RunningChain

ResponseT = TypeVar("ResponseT", bound=Message)

TX_GAS = 1_000_000
"""Gas limit of the txs tests submit (fees are zero on the test network)."""

LOG_TAIL_LINES = 25
"""Lines of each node's logs shown when a wait fails."""

TEST_TIMEOUTS = ConsensusTimeouts(propose="1s", commit="500ms")
"""A stopped validator's turn as proposer costs one `propose` timeout: keep it short."""


@dataclass(frozen=True, slots=True)
class TxIncluded:
    """A successful tx: the height of its block and its messages' responses."""

    height: int
    data: sdk_abci.TxMsgData


@dataclass
class RunningNetwork:
    """Started nodes; `chain` is node 0 with a client home (keys, client.toml) pointing at it."""

    nodes: tuple[NetworkNode, ...]
    chain: RunningChain
    stopped: set[int] = field(default_factory=set)
    """Nodes a test stopped on purpose."""

    @property
    def chain_id(self) -> str:
        return self.chain.chain_id

    def rpc(self, index: int = 0) -> RpcClient:
        return RpcClient(self.nodes[index].addresses.rpc)

    def height(self, index: int = 0) -> int:
        return wait_for_height(self.nodes[index].rpc_url, 0, timeout=10)

    def address(self, name: str) -> str:
        return self.chain.address(name)

    def operator(self, index: int) -> str:
        """persistencevaloper… of validator `index` (the operator is the devnet key's account)."""
        key = derive_private_key(self.chain.keys[f"validator{index}"].mnemonic)
        return val_to_bech32(key.public_key.address())

    def consensus_address(self, index: int) -> bytes:
        return self.nodes[index].consensus_key().public_key.address()

    def comet_powers(self, index: int = 0) -> dict[bytes, int]:
        """CometBFT's current validator set as node `index` sees it: address → voting power."""
        with self.rpc(index) as rpc:
            validators = rpc.validators(0, per_page=100)["validators"]
        return {bytes.fromhex(v["address"]): int(v["voting_power"]) for v in validators}

    def stop_node(self, index: int) -> None:
        """Stop node `index`'s CometBFT and app (its validator stops signing)."""
        self.stopped.add(index)
        self.nodes[index].processes.stop()

    def check_alive(self) -> None:
        """Fail at once, with the log tails, when a node that should run has exited."""
        for node in self.nodes:
            processes = node.processes
            if node.index in self.stopped:
                continue
            if not (processes.comet_running() and processes.app_running()):
                raise AssertionError(
                    f"node {node.index} ({node.home.root}) exited\n{self.log_tails()}"
                )

    def log_tails(self, lines: int = LOG_TAIL_LINES) -> str:
        """The end of every node's app and CometBFT logs."""
        parts: list[str] = []
        for node in self.nodes:
            for log in (node.processes.app_log, node.processes.comet_log):
                if log.exists():
                    tail = log.read_text(errors="replace").splitlines()[-lines:]
                    parts.append("\n".join([f"==> {log} <==", *tail]))
        return "\n".join(parts)

    def wait_until(self, what: str, condition: Callable[[], bool], timeout: float) -> None:
        """Poll `condition` every 0.25 s; fail with `what` and the log tails after `timeout`.

        A condition that raises counts as false until the deadline (nodes restart, RPC blips).
        """
        deadline = time.monotonic() + timeout
        last_error = ""
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if condition():
                    return
            except Exception as error:  # any failure means "not yet": keep the last for the report
                last_error = f" (last error: {type(error).__name__}: {error})"
            time.sleep(0.25)
        raise AssertionError(
            f"timed out after {timeout:.0f}s waiting for {what}{last_error}\n{self.log_tails()}"
        )

    def wait_for_height(self, height: int, timeout: float = 60, index: int = 0) -> int:
        """Wait until node `index` has committed `height`; return its height."""
        reached = 0

        def arrived() -> bool:
            nonlocal reached
            reached = self.height(index)
            return reached >= height

        self.wait_until(f"node {index} to reach height {height}", arrived, timeout)
        return reached

    def query(
        self,
        path: str,
        request: Message,
        response_cls: type[ResponseT],
        index: int = 0,
        *,
        height: int = 0,
    ) -> ResponseT:
        """A gRPC-style ABCI query through node `index`: the state committed at `height` (0: the
        latest)."""
        with self.rpc(index) as rpc:
            return rpc.query_grpc(path, request, response_cls, height)

    def submit(self, key_name: str, *messages: Message, index: int = 0) -> TxResult:
        """Sign `messages` with devnet key `key_name`, broadcast them through node `index` and
        wait (bounded) for the block that includes them; the included tx's result is returned
        whatever its code."""
        private = derive_private_key(self.chain.keys[key_name].mnemonic)
        address = self.address(key_name)
        reply = self.query(
            "/cosmos.auth.v1beta1.Query/Account",
            auth_query.QueryAccountRequest(address=address),
            auth_query.QueryAccountResponse,
            index,
        )
        account = auth_pb2.BaseAccount()
        reply.account.Unpack(account)
        raw = build_signed_tx(
            messages,
            Signer(public_key=private.public_key.key, sign=private.sign),
            chain_id=self.chain_id,
            account_number=account.account_number,
            sequence=account.sequence,
            fee=Coins(),
            gas_limit=TX_GAS,
        )
        with self.rpc(index) as rpc:
            checked = rpc.broadcast_tx_sync(raw)
            assert checked.code == 0, f"CheckTx refused the tx of {key_name}: {checked.log}"
            found: list[TxResult] = []

            def included() -> bool:
                try:
                    found.append(rpc.tx(checked.hash))
                except TxNotFoundError:
                    return False
                return True

            self.wait_until(f"tx {checked.hash} to be included", included, timeout=30)
        return found[0]

    def submit_ok(self, key_name: str, *messages: Message, index: int = 0) -> TxIncluded:
        """Submit like `submit`, require success; the including height and the messages'
        responses."""
        result = self.submit(key_name, *messages, index=index)
        assert result.result.code == 0, f"{key_name}'s tx failed: {result.result.log}"
        return TxIncluded(result.height, sdk_abci.TxMsgData.FromString(result.result.data))

    def wait_blocks(self, count: int, timeout: float = 60, index: int = 0) -> int:
        """Wait until node `index` has committed `count` more blocks."""
        return self.wait_for_height(self.height(index) + count, timeout, index)


def loopback_addresses() -> NodeAddresses:
    """A node's three listeners on free 127.0.0.1 ports."""
    return NodeAddresses(
        abci=f"tcp://127.0.0.1:{free_loopback_port()}",
        rpc=f"tcp://127.0.0.1:{free_loopback_port()}",
        p2p=f"tcp://127.0.0.1:{free_loopback_port()}",
    )


@contextmanager
def running_network(
    root: Path,
    validators: int = 4,
    *,
    app_state: dict[str, Any] | None = None,
    timeouts: ConsensusTimeouts = TEST_TIMEOUTS,
) -> Iterator[RunningNetwork]:
    """Build, start and finally stop a network of `validators` nodes under `root`.

    `app_state` is laid over config/devnet.json's patch (its short devnet periods). On a failure
    inside the block, every node's log tail is printed to stderr.
    """
    config = load_devnet_config()
    config["chain_id"] = TEST_CHAIN_ID
    config["app_state"] = deep_merge(config.get("app_state", {}), app_state or {})
    keys = load_devnet_keys()
    nodes = network_nodes(root, [loopback_addresses() for _ in range(validators)])
    build_network(nodes, config, keys, timeouts=timeouts)
    client_home = root / "client"
    import_client_keys(client_home, keys)
    write_client_config(client_home, TEST_CHAIN_ID, nodes[0].addresses.rpc)
    chain = RunningChain(
        home=nodes[0].home,
        client_home=client_home,
        chain_id=TEST_CHAIN_ID,
        rpc_url=nodes[0].rpc_url,
        rpc_laddr=nodes[0].addresses.rpc,
        processes=nodes[0].processes,
        keys={key.name: key for key in keys},
    )
    network = RunningNetwork(nodes=nodes, chain=chain)
    try:
        for node in nodes:
            node.processes.start()
        for node in nodes:
            network.wait_for_height(1, timeout=90, index=node.index)
        yield network
    except BaseException:
        print(network.log_tails(), file=sys.stderr)
        raise
    finally:
        for node in nodes:
            try:
                node.processes.stop()
            except NodeProcessError as error:
                print(f"stopping {node.home.root}: {error}", file=sys.stderr)
