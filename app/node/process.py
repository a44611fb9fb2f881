"""Running a node as two processes: the Python ABCI app and CometBFT.

Shared by `./scripts/devnet` and the integration tests. Both processes are started in their own
session with output to a log file and a pid file in the node home, so a later command (`devnet
down`, a test teardown) can stop them. CometBFT stops first: it is the ABCI client, and an app that
disappears under it makes it exit with an error.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

REPOSITORY = Path(__file__).resolve().parents[2]


class NodeProcessError(RuntimeError):
    """A node process could not be found, started, or did not come up in time."""


def cometbft_binary() -> Path:
    """`$ALLIANCED_COMETBFT`, else the project's `.bin/cometbft`, else `cometbft` on PATH."""
    configured = os.environ.get("ALLIANCED_COMETBFT")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPOSITORY / ".bin" / "cometbft")
    found = shutil.which("cometbft")
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise NodeProcessError("cometbft not found: run ./scripts/setup or set ALLIANCED_COMETBFT")


@dataclass(frozen=True, slots=True)
class NodeProcesses:
    """Where one node keeps its pid and log files."""

    home: Path

    @property
    def app_pid_file(self) -> Path:
        return self.home / "app.pid"

    @property
    def comet_pid_file(self) -> Path:
        return self.home / "cometbft.pid"

    @property
    def app_log(self) -> Path:
        return self.home / "app.log"

    @property
    def comet_log(self) -> Path:
        return self.home / "cometbft.log"

    def start(self, *, env: dict[str, str] | None = None) -> None:
        """Start the app, then CometBFT (which retries the ABCI dial until the app listens)."""
        if self.is_running():
            raise NodeProcessError(f"the node in {self.home} is already running")
        app_command = [sys.executable, "-m", "app", "start", "--home", str(self.home)]
        comet_command = [str(cometbft_binary()), "start", "--home", str(self.home)]
        _spawn(app_command, self.app_log, self.app_pid_file, env)
        _spawn(comet_command, self.comet_log, self.comet_pid_file, env)

    def start_app(
        self, *, env: dict[str, str] | None = None, command: Sequence[str] | None = None
    ) -> None:
        """Start only the ABCI app (crash tests restart it alone); `command` serves another ABCI
        app in its place (the throughput benchmark's socket kvstore)."""
        if command is None:
            command = [sys.executable, "-m", "app", "start", "--home", str(self.home)]
        _spawn(list(command), self.app_log, self.app_pid_file, env)

    def start_cometbft(self, *, env: dict[str, str] | None = None) -> None:
        """Start only CometBFT."""
        command = [str(cometbft_binary()), "start", "--home", str(self.home)]
        _spawn(command, self.comet_log, self.comet_pid_file, env)

    def stop(self, *, timeout: float = 15.0) -> None:
        """SIGTERM CometBFT, then the app; SIGKILL whatever is still there after `timeout`."""
        for pid_file in (self.comet_pid_file, self.app_pid_file):
            _terminate(pid_file, timeout)

    def kill_app(self) -> None:
        """SIGKILL the app at once (crash tests)."""
        _kill(self.app_pid_file, signal.SIGKILL)

    def kill_cometbft(self) -> None:
        """SIGKILL CometBFT at once."""
        _kill(self.comet_pid_file, signal.SIGKILL)

    def is_running(self) -> bool:
        """True when either process is alive."""
        return _alive(self.app_pid_file) is not None or _alive(self.comet_pid_file) is not None

    def app_running(self) -> bool:
        return _alive(self.app_pid_file) is not None

    def comet_running(self) -> bool:
        return _alive(self.comet_pid_file) is not None


def wait_for_height(rpc_url: str, height: int, *, timeout: float = 60.0) -> int:
    """Poll /abci_info until the application has committed `height`; return its last height.

    CometBFT's /status counts a block as soon as its block store saved it, which is before
    the application executed and committed it: a query made then still reads the previous state
    (right after genesis, one without the genesis accounts). The application's own last
    committed height is what queries and CheckTx see.
    """
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        try:
            reply = httpx.get(f"{rpc_url}/abci_info", timeout=2.0).json()
            # proto3 JSON leaves a zero height out.
            latest = int(reply["result"]["response"].get("last_block_height", 0))
            if latest >= height:
                return latest
            last_error = f"at height {latest}"
        except (httpx.HTTPError, KeyError, ValueError, AttributeError) as exc:
            last_error = str(exc) or type(exc).__name__
        time.sleep(0.2)
    raise NodeProcessError(
        f"{rpc_url} did not reach height {height} in {timeout:.0f}s ({last_error})"
    )


LISTEN_PORT_FLOOR = 10_000
"""Ports handed out for test and benchmark nodes start here and stay below the ephemeral range."""

EPHEMERAL_PORT_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
"""Where Linux keeps the range outbound connections take their local ports from."""

_PORTS_HANDED_OUT: set[int] = set()


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1, free a moment ago, that this process has not handed out before.

    The ports come from below the kernel's ephemeral range when it is known: running nodes'
    outbound connections take their ports from that range and could take one between its
    allocation here and the bind by the node that got it (and the kernel offers a just-released
    ephemeral port again). Each process starts at its own offset, so concurrent runs rarely probe
    the same ports.

    Raises:
        NodeProcessError: every candidate port is taken.
    """
    for port in _port_candidates():
        if port in _PORTS_HANDED_OUT:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = int(probe.getsockname()[1])
        if port not in _PORTS_HANDED_OUT:
            _PORTS_HANDED_OUT.add(port)
            return port
    raise NodeProcessError("no free loopback port left to hand out")


def _port_candidates() -> Iterator[int]:
    """Every port from LISTEN_PORT_FLOOR up to the ephemeral range, once, from an offset of this
    process's own; where that range is unknown, ports the kernel picks (0 = any), a bounded number
    of times."""
    try:
        ephemeral_start = int(EPHEMERAL_PORT_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral_start = 0
    span = ephemeral_start - LISTEN_PORT_FLOOR
    if span <= 0:
        yield from itertools.repeat(0, 10_000)
        return
    offset = os.getpid() * 7_919 % span
    for step in range(span):
        yield LISTEN_PORT_FLOOR + (offset + step) % span


def http_url(laddr: str) -> str:
    """`tcp://127.0.0.1:26657` → `http://127.0.0.1:26657`."""
    return "http://" + laddr.split("://", 1)[-1]


def _spawn(command: list[str], log: Path, pid_file: Path, env: dict[str, str] | None) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=REPOSITORY,
            env={**os.environ, **(env or {})},
        )
    pid_file.write_text(f"{process.pid}\n")


def _alive(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    # A zombie child still answers kill(0); reap it if it is ours.
    with contextlib.suppress(ChildProcessError):
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return None
    return pid


def _kill(pid_file: Path, sig: signal.Signals) -> None:
    pid = _alive(pid_file)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    _wait_gone(pid_file, 5.0)
    pid_file.unlink(missing_ok=True)


def _terminate(pid_file: Path, timeout: float) -> None:
    pid = _alive(pid_file)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if not _wait_gone(pid_file, timeout):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_gone(pid_file, 5.0)
    pid_file.unlink(missing_ok=True)


def _wait_gone(pid_file: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _alive(pid_file) is None:
            return True
        time.sleep(0.05)
    return _alive(pid_file) is None
