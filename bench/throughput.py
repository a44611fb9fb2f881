"""Committed throughput of a single-validator node: allianced bank sends vs CometBFT's kvstore.

Run 1 starts a node with the Python app (genesis funds S sender keys), pre-signs N sends (each
sender its own sequence run, no fee, minimum gas price 0) and pushes them through the load
generator. Run 2 makes a node home with the same `init_node` settings and starts only CometBFT,
with its built-in `kvstore` app (`CMT_PROXY_APP=kvstore`), and pushes N `key=value` txs padded to
the mean size of the signed sends. Same load generator, RPC method, N and C; the ratio
allianced ÷ kvstore is the figure the issue's 0.8x target is about. Run 2b serves the same
kvstore (persisted in LevelDB) from CometBFT's `abci-cli kvstore` over the ABCI socket, the
transport the Python app uses: its gap to run 2 is what the transport alone costs.

With ``--alliance``, one more run after run 1: a node whose genesis lists an alliance asset
(rewards already started) and funds the senders with it takes N signed alliance `MsgDelegate`s
(1 unit each to the one validator); its rate is printed beside the bank sends', with the ratio
delegates ÷ sends (a delegate touches several times more keys: the gap is what to shrink).

Each run also reports the CPU time (user + system, from /proc) each node process spent while its
load went through, per 1,000 committed txs: it tells whether the app or CometBFT is the bound. On
2 cores shared with the load generator it was CometBFT: v0.38's ABCI socket client re-arms a
flush `ThrottleTimer` of 20 *nanoseconds* (`flushThrottleMS = 20` passed as a `time.Duration`)
whenever its sender goroutine is busy, so under load it spins on timers and goroutine creation
(about 30 % of its profile) and used 2 to 3 times the app's CPU per tx. The built-in kvstore runs
inside CometBFT, without the socket client, so the ratio also prices the transport; run 2b
measures that price.

Usage: .venv/bin/python -m bench.throughput [--txs 10000] [--connections 8] [--senders 200]
       [--timeout-commit 1s] [--alliance] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.cli.rpc import RpcClient
from app.crypto import ed25519
from app.node.devnet import create_devnet, load_devnet_config, load_devnet_keys
from app.node.home import NodeHome
from app.node.init import NodeAddresses, read_genesis, validator_entry, write_genesis
from app.node.process import (
    REPOSITORY,
    NodeProcesses,
    free_loopback_port,
    http_url,
    wait_for_height,
)
from app.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query_pb2
from bench.loadgen import LoadReport, run_load
from bench.workload import (
    BENCH_CHAIN_ID,
    Sender,
    fund_senders,
    genesis_operator,
    interleave,
    kvstore_txs,
    list_bench_asset,
    make_senders,
    mean_size,
    sign_delegate_runs,
    sign_send_runs,
)

ACCOUNT_INFO_PATH = "/cosmos.auth.v1beta1.Query/AccountInfo"

TARGET_RATIO = 0.8
"""The issue's target: allianced commits at least 0.8x what kvstore commits on the same setup."""

NODE_LOG_LEVEL = "main:info,state:info,*:error"
"""Block-level lines only: per-message logging would tax CometBFT under load (both runs)."""

NODE_START_TIMEOUT_SECONDS = 60.0

ABCI_CLI = REPOSITORY / ".bin" / "abci-cli"
"""CometBFT's ABCI tool, built by `scripts/setup` beside `cometbft`; serves run 2b's kvstore."""

KvstoreTransport = Literal["in-process", "socket"]

KVSTORE_LABELS: dict[KvstoreTransport, str] = {
    "in-process": "cometbft kvstore",
    "socket": "kvstore over socket",
}

CLIENT_BOUND_SHARE = 0.95
"""A run whose committed rate reaches this share of its send rate may be measuring the client."""


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What both runs share."""

    txs: int
    connections: int
    senders: int
    timeout_commit: str
    time_limit: float
    alliance: bool = False
    """Also run alliance delegates."""
    quick: bool = False
    """Smoke-test size: the figures show the runs work, they measure nothing."""


@dataclass(frozen=True, slots=True)
class NodeCpu:
    """CPU seconds (user + system) the node's processes spent while a run's load went through;
    None where unknown (no /proc) or absent (kvstore has no app process)."""

    app: float | None
    cometbft: float | None


@dataclass(frozen=True, slots=True)
class RunResult:
    """One run's label, tx size, load report and the node's CPU time under that load."""

    label: str
    tx_size: int
    report: LoadReport
    cpu: NodeCpu


def process_cpu_seconds(pid_file: Path) -> float | None:
    """User + system CPU seconds so far of the process whose pid `pid_file` holds (Linux /proc);
    None when the file, the process or /proc is missing."""
    try:
        pid = int(pid_file.read_text().strip())
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (OSError, ValueError):
        return None
    # Fields after the parenthesised command name (which may contain spaces): utime and stime
    # are the 14th and 15th fields of the line, the 12th and 13th after the name.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def node_cpu(processes: NodeProcesses) -> NodeCpu:
    """The node's processes' CPU seconds so far."""
    return NodeCpu(
        app=process_cpu_seconds(processes.app_pid_file),
        cometbft=process_cpu_seconds(processes.comet_pid_file),
    )


def cpu_spent(before: NodeCpu, after: NodeCpu) -> NodeCpu:
    """What each process used between two readings."""

    def spent(start: float | None, end: float | None) -> float | None:
        return None if start is None or end is None else end - start

    return NodeCpu(spent(before.app, after.app), spent(before.cometbft, after.cometbft))


VALIDATOR_POWER = 100_000
"""The devnet validator's power: a 10^11 uxprt self-delegation / 10^6, the same in both runs."""


def make_home(
    root: Path, settings: RunSettings, senders: Sequence[Sender], *, alliance: bool = False
) -> tuple[NodeHome, NodeAddresses]:
    """A single-validator node home on free loopback ports; returns it and its addresses. With
    `alliance`, the bench asset is listed and the senders hold it too."""
    home = NodeHome(root)
    config = load_devnet_config()
    config.update(chain_id=BENCH_CHAIN_ID, timeout_commit=settings.timeout_commit)
    config["minimum_gas_prices"] = "0uxprt"
    addresses = NodeAddresses(
        abci=f"tcp://127.0.0.1:{free_loopback_port()}",
        rpc=f"tcp://127.0.0.1:{free_loopback_port()}",
        p2p=f"tcp://127.0.0.1:{free_loopback_port()}",
    )
    create_devnet(home, config, load_devnet_keys(), addresses)
    home.cometbft_config.write_text(
        home.cometbft_config.read_text().replace(
            'log_level = "info"', f'log_level = "{NODE_LOG_LEVEL}"', 1
        )
    )
    genesis = read_genesis(home.genesis_file)
    fund_senders(genesis, senders, alliance=alliance)
    if alliance:
        list_bench_asset(genesis)
    write_genesis(home.genesis_file, genesis)
    return home, addresses


@contextlib.contextmanager
def running(processes: NodeProcesses, start: Callable[[], None]) -> Iterator[None]:
    """The node's processes as `start` starts them, stopped on the way out whatever happens."""
    try:
        start()
        yield
    finally:
        processes.stop()


def account_numbers(rpc_url: str, senders: Sequence[Sender]) -> list[int]:
    """Each sender's account number, as the running chain assigned it at genesis."""
    with RpcClient(rpc_url) as client:
        return [
            client.query_grpc(
                ACCOUNT_INFO_PATH,
                auth_query_pb2.QueryAccountInfoRequest(address=sender.bech32),
                auth_query_pb2.QueryAccountInfoResponse,
            ).info.account_number
            for sender in senders
        ]


def run_app(workdir: Path, settings: RunSettings) -> RunResult:
    """Run 1: signed bank sends through a node running allianced."""
    senders = make_senders(settings.senders)
    home, addresses = make_home(workdir / "allianced", settings, senders)
    rpc_url = http_url(addresses.rpc)
    processes = NodeProcesses(home.root)
    with running(processes, processes.start):
        _wait_started(rpc_url, processes)
        numbers = account_numbers(rpc_url, senders)
        per_sender = -(-settings.txs // settings.senders)
        txs = interleave(sign_send_runs(senders, numbers, per_sender))[: settings.txs]
        report, cpu = _load(rpc_url, txs, settings, processes)
    return RunResult("allianced bank sends", mean_size(txs), report, cpu)


def run_alliance(workdir: Path, settings: RunSettings) -> RunResult:
    """Run 3 (``--alliance``): signed alliance delegates through a node running allianced."""
    senders = make_senders(settings.senders)
    home, addresses = make_home(workdir / "alliance", settings, senders, alliance=True)
    rpc_url = http_url(addresses.rpc)
    operator = genesis_operator(read_genesis(home.genesis_file))
    processes = NodeProcesses(home.root)
    with running(processes, processes.start):
        _wait_started(rpc_url, processes)
        numbers = account_numbers(rpc_url, senders)
        per_sender = -(-settings.txs // settings.senders)
        txs = interleave(sign_delegate_runs(senders, numbers, per_sender, operator))
        report, cpu = _load(rpc_url, txs[: settings.txs], settings, processes)
    return RunResult("allianced delegates", mean_size(txs), report, cpu)


def run_kvstore(
    workdir: Path, settings: RunSettings, tx_size: int, transport: KvstoreTransport
) -> RunResult:
    """Run 2: the same node setup with CometBFT's kvstore app, built in (``in-process``) or, for
    run 2b, served by `abci-cli kvstore` over the ABCI socket (``socket``)."""
    home, addresses = make_home(workdir / f"kvstore-{transport}", settings, ())
    rpc_url = http_url(addresses.rpc)
    # kvstore knows no gentx: the same validator goes into the genesis' validator list instead.
    genesis = read_genesis(home.genesis_file)
    key = ed25519.load_priv_validator_key(home.priv_validator_key_file)
    genesis["validators"] = [validator_entry(key.public_key, power=VALIDATOR_POWER, name="bench")]
    write_genesis(home.genesis_file, genesis)
    processes = NodeProcesses(home.root)

    def start() -> None:
        if transport == "in-process":
            processes.start_cometbft(env={"CMT_PROXY_APP": "kvstore"})
            return
        if not ABCI_CLI.is_file():
            raise SystemExit(f"{ABCI_CLI} is missing: run ./scripts/setup")
        kvstore_command = [str(ABCI_CLI), "kvstore", "--address", addresses.abci]
        kvstore_command += ["--persist", str(home.root / "kvstore-data"), "--log_level", "error"]
        processes.start_app(command=kvstore_command)
        processes.start_cometbft()

    with running(processes, start):
        _wait_started(rpc_url, processes)
        report, cpu = _load(rpc_url, kvstore_txs(settings.txs, tx_size), settings, processes)
    return RunResult(KVSTORE_LABELS[transport], tx_size, report, cpu)


def format_results(
    settings: RunSettings,
    app: RunResult,
    kvstore: RunResult,
    socket_kvstore: RunResult,
    delegates: RunResult | None = None,
) -> str:
    """The printed report: settings, one row per run, the ratios, the node's CPU time per tx and
    the rejection reasons."""
    runs = (
        (app, socket_kvstore, kvstore)
        if delegates is None
        else (app, delegates, socket_kvstore, kvstore)
    )
    lines = [
        f"throughput: {settings.txs} txs, {settings.connections} connections, broadcast_tx_sync, "
        f"single validator on loopback, timeout_commit={settings.timeout_commit}"
        + (" (CometBFT's default)" if settings.timeout_commit == "1s" else ""),
        f"{'run':<22}{'bytes':>6}{'accepted':>9}{'rejected':>9}{'unsent':>7}{'committed':>10}"
        f"{'failed':>7}{'blocks':>7}{'heights':>10}{'chain s':>8}{'submit/s':>9}{'tx/s':>8}",
    ]
    for result in runs:
        sub, com = result.report.submission, result.report.committed
        heights = f"{com.first_height}..{com.last_height}"
        submit_rate = sub.sent / sub.seconds if sub.seconds > 0 else 0.0
        lines.append(
            f"{result.label:<22}{result.tx_size:>6}{sub.accepted:>9}{sub.rejected:>9}"
            f"{sub.unsent:>7}{com.committed:>10}{com.failed:>7}{com.blocks_with_txs:>7}"
            f"{heights:>10}{com.seconds:>8.2f}{submit_rate:>9.0f}{com.tx_per_second:>8.1f}"
        )
    ceiling = kvstore.report.committed.tx_per_second
    ratio = app.report.committed.tx_per_second / ceiling if ceiling > 0 else 0.0
    if settings.quick:
        verdict = "no verdict at smoke-test size"
    else:
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    lines.append(f"ratio allianced / kvstore: {ratio:.2f} (target >= {TARGET_RATIO}: {verdict})")
    socket_ceiling = socket_kvstore.report.committed.tx_per_second
    socket_ratio = app.report.committed.tx_per_second / socket_ceiling if socket_ceiling else 0.0
    lines.append(
        f"ratio allianced / kvstore over socket: {socket_ratio:.2f} (the same ABCI transport)"
    )
    if delegates is not None:
        sends = app.report.committed.tx_per_second
        share = delegates.report.committed.tx_per_second / sends if sends > 0 else 0.0
        lines.append(f"ratio alliance delegates / bank sends: {share:.2f}")
    lines.append("node CPU per 1,000 committed txs (user + system, while the load ran):")
    lines += [f"  {result.label}: {format_cpu(result)}" for result in runs]
    for result in runs:
        sub, com = result.report.submission, result.report.committed
        if sub.seconds > 0 and com.tx_per_second >= CLIENT_BOUND_SHARE * sub.sent / sub.seconds:
            lines.append(f"  {result.label}: committed about as fast as sent: the client may bind")
        for reason, count in sub.rejections:
            lines.append(f"  {result.label} rejected {count}x: {reason}")
    return "\n".join(lines)


def format_cpu(result: RunResult) -> str:
    """`app 0.41 s + CometBFT 0.93 s` per 1,000 committed txs; a process without a reading (the
    kvstore run has no app process) is left out."""
    committed = result.report.committed.committed
    readings = [
        f"{name} {seconds * 1000 / committed:.2f} s"
        for name, seconds in (("app", result.cpu.app), ("CometBFT", result.cpu.cometbft))
        if seconds is not None
    ]
    if committed == 0 or not readings:
        return "n/a"
    return " + ".join(readings)


def parse_settings(argv: Sequence[str] | None = None) -> RunSettings:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--txs", type=int, default=10_000, help="N, txs per run")
    parser.add_argument("--connections", type=int, default=8, help="C, parallel RPC connections")
    parser.add_argument("--senders", type=int, default=200, help="funded keys (a multiple of C)")
    parser.add_argument("--timeout-commit", default="1s", help="consensus.timeout_commit")
    parser.add_argument("--time-limit", type=float, default=120.0, help="submission cap, seconds")
    parser.add_argument(
        "--alliance", action="store_true", help="also run alliance delegates beside the sends"
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke-test size: 40 txs, 2 connections, 200ms blocks"
    )
    args = parser.parse_args(argv)
    if args.quick:
        return RunSettings(
            txs=40,
            connections=2,
            senders=8,
            timeout_commit="200ms",
            time_limit=30,
            alliance=args.alliance,
            quick=True,
        )
    if args.senders % args.connections:
        parser.error("--senders must be a multiple of --connections (one connection per sender)")
    return RunSettings(
        args.txs,
        args.connections,
        args.senders,
        args.timeout_commit,
        args.time_limit,
        args.alliance,
    )


def main(argv: Sequence[str] | None = None) -> None:
    settings = parse_settings(argv)
    with tempfile.TemporaryDirectory(prefix="allianced-bench-") as workdir:
        app = run_app(Path(workdir), settings)
        delegates = run_alliance(Path(workdir), settings) if settings.alliance else None
        socket_kvstore = run_kvstore(Path(workdir), settings, app.tx_size, "socket")
        kvstore = run_kvstore(Path(workdir), settings, app.tx_size, "in-process")
    print(format_results(settings, app, kvstore, socket_kvstore, delegates))


def _wait_started(rpc_url: str, processes: NodeProcesses) -> None:
    """Wait for block 2; a process that died instead is reported with its log tail.

    Block 1's header time is the genesis time, which predates the node's start: a first block of
    txs at height 2 would count the start-up as chain time."""
    try:
        wait_for_height(rpc_url, 2, timeout=NODE_START_TIMEOUT_SECONDS)
    except Exception:
        for log in (processes.app_log, processes.comet_log):
            if log.exists():
                print(f"--- tail of {log.name}\n" + "\n".join(log.read_text().splitlines()[-20:]))
        raise


def _load(
    rpc_url: str, txs: Sequence[bytes], settings: RunSettings, processes: NodeProcesses
) -> tuple[LoadReport, NodeCpu]:
    """The load generator's report, and the node's CPU time while it ran (txs settled)."""
    before = node_cpu(processes)
    report = run_load(
        rpc_url, txs, connections=settings.connections, time_limit=settings.time_limit
    )
    return report, cpu_spent(before, node_cpu(processes))


if __name__ == "__main__":
    main()
