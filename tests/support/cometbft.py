"""Run a real CometBFT v0.38 node against an in-test ABCI application.

Reusable by any integration test::

    with abci_server_in_thread(app) as address:
        home = init_home(tmp_path / "node", proxy_app=address)
        with CometNode(home) as node:
            node.wait_for_height(2)
            node.rpc("broadcast_tx_sync", tx=b64(b"k=v"))

Everything listens on 127.0.0.1 and free ports; the node's output goes to ``<home>/node.log``
and its tail is included in every failure.
"""

from __future__ import annotations

import asyncio
import base64
import json
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from app.abci.application import Application
from app.abci.server import ABCIServer
from app.node.process import free_loopback_port

REPO = Path(__file__).resolve().parents[2]
COMETBFT = REPO / ".bin" / "cometbft"


def b64(data: bytes) -> str:
    """CometBFT JSON encodes []byte parameters and results as base64."""
    return base64.b64encode(data).decode()


def set_config_value(text: str, section: str, key: str, value: str) -> str:
    """Set ``key = value`` inside ``[section]`` of a config.toml ("" = top level).

    ``value`` is written verbatim (quote strings yourself). Raises KeyError if the key is absent.
    """
    lines = text.splitlines(keepends=True)
    current = ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1]
        elif current == section and stripped.split("=", 1)[0].strip() == key:
            lines[index] = f"{key} = {value}\n"
            return "".join(lines)
    raise KeyError(f"{key} not found in [{section}]")


@dataclass(frozen=True, slots=True)
class CometHome:
    """A node home made by ``init_home``: where it lives and which ports it uses."""

    path: Path
    rpc_port: int
    p2p_port: int
    proxy_app: str

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc_port}"

    @property
    def log_path(self) -> Path:
        return self.path / "node.log"


def init_home(
    path: Path,
    proxy_app: str,
    *,
    chain_id: str | None = None,
    timeout_commit: str = "200ms",
    app_state: Any = None,
    config: dict[tuple[str, str], str] | None = None,
    genesis: Callable[[dict[str, Any]], None] | None = None,
) -> CometHome:
    """``cometbft init`` a single-validator home on free 127.0.0.1 ports, wired to ``proxy_app``.

    ``config`` maps (section, key) to raw TOML values for further edits; ``app_state`` becomes
    the genesis ``app_state`` (InitChain's ``app_state_bytes``); ``genesis`` may edit the parsed
    genesis JSON in place.
    """
    subprocess.run(
        [str(COMETBFT), "init", "--home", str(path)], check=True, capture_output=True, timeout=60
    )
    home = CometHome(path, free_loopback_port(), free_loopback_port(), proxy_app)
    edits = {
        ("", "proxy_app"): json.dumps(proxy_app),
        ("", "moniker"): json.dumps(path.name),
        ("rpc", "laddr"): json.dumps(f"tcp://127.0.0.1:{home.rpc_port}"),
        ("p2p", "laddr"): json.dumps(f"tcp://127.0.0.1:{home.p2p_port}"),
        ("p2p", "addr_book_strict"): "false",
        ("p2p", "pex"): "false",
        ("consensus", "timeout_commit"): json.dumps(timeout_commit),
        **(config or {}),
    }
    config_path = path / "config" / "config.toml"
    text = config_path.read_text()
    for (section, key), value in edits.items():
        text = set_config_value(text, section, key, value)
    config_path.write_text(text)

    genesis_path = path / "config" / "genesis.json"
    doc = json.loads(genesis_path.read_text())
    if chain_id is not None:
        doc["chain_id"] = chain_id
    if app_state is not None:
        doc["app_state"] = app_state
    if genesis is not None:
        genesis(doc)
    genesis_path.write_text(json.dumps(doc, indent=2))
    return home


class RpcError(Exception):
    """A JSON-RPC error answered by the node (e.g. "tx already exists in cache")."""


class CometNode:
    """A ``cometbft start`` subprocess for ``home``; use as a context manager."""

    def __init__(self, home: CometHome) -> None:
        self.home = home
        self.process: subprocess.Popen[bytes] | None = None
        self._http = httpx.Client(base_url=home.rpc_url, timeout=10)

    def __enter__(self) -> CometNode:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        self._http.close()

    def start(self) -> None:
        if self.process is not None:
            raise RuntimeError("node already running")
        with self.home.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(COMETBFT), "start", "--home", str(self.home.path)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def stop(self, timeout: float = 15) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds; returns the exit code."""
        process, self.process = self.process, None
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    def log_tail(self, lines: int = 40) -> str:
        if not self.home.log_path.exists():
            return ""
        return "\n".join(self.home.log_path.read_text(errors="replace").splitlines()[-lines:])

    def rpc(self, method: str, **params: Any) -> Any:
        """POST a JSON-RPC call; int64 params must be passed as strings, []byte as base64."""
        body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        reply = self._http.post("/", json=body).json()
        if "error" in reply:
            raise RpcError(f"{method}: {reply['error']}")
        return reply["result"]

    def height(self) -> int:
        """Latest block height, 0 while the RPC is not up yet."""
        try:
            status = self.rpc("status")
        except httpx.TransportError:
            return 0
        return int(status["sync_info"]["latest_block_height"])

    def wait_for(self, what: str, condition: Callable[[], bool], timeout: float = 30) -> None:
        """Poll ``condition`` until true; fail with the node's log if it dies or time runs out."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process is None or self.process.poll() is not None:
                log = self.log_tail()
                raise AssertionError(f"cometbft exited while waiting for {what}:\n{log}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.log_tail()}")
            time.sleep(0.05)

    def wait_for_height(self, height: int, timeout: float = 30) -> int:
        """Block until the node has committed ``height``; returns the height reached."""
        reached = 0

        def arrived() -> bool:
            nonlocal reached
            reached = self.height()
            return reached >= height

        self.wait_for(f"height {height}", arrived, timeout)
        return reached


@contextmanager
def abci_server_in_thread(app: Application, address: str = "tcp://127.0.0.1:0") -> Iterator[str]:
    """Serve ``app`` from a background thread's event loop; yields the bound address.

    The application's methods run on that thread, one at a time.
    """
    loop = asyncio.new_event_loop()
    server = ABCIServer(app, address)
    loop.run_until_complete(server.start())
    thread = threading.Thread(
        target=loop.run_until_complete, args=(server.serve_forever(),), daemon=True
    )
    thread.start()
    try:
        yield server.address
    finally:
        loop.call_soon_threadsafe(server.stop)
        thread.join(timeout=15)
        loop.close()
