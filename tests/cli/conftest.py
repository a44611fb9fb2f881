"""A fake CometBFT RPC server (canned JSON over real HTTP on 127.0.0.1) and CLI helpers."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from google.protobuf.message import Message

from app.cli.keyring import KeyRecord, Keyring
from app.cli.main import main

TEST_CHAIN_ID = "persistence-test-1"
USER_MNEMONIC = (
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
)

Handler = Callable[[dict[str, Any]], dict[str, Any]]
AbciHandler = Callable[[bytes, int], Message]


class RpcFailure(Exception):
    """Raise from a handler to answer with a JSON-RPC error object."""

    def __init__(self, code: int, message: str, data: str) -> None:
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


class AbciFailure(Exception):
    """Raise from an ABCI handler to answer a query with a non-zero code."""

    def __init__(self, codespace: str, code: int, log: str) -> None:
        super().__init__(log)
        self.codespace, self.code, self.log = codespace, code, log


@dataclass
class FakeNode:
    """Routes JSON-RPC methods to handlers; `abci` routes ABCI query paths; records every call."""

    url: str
    methods: dict[str, Handler] = field(default_factory=dict)
    abci: dict[str, AbciHandler] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((method, params))
        if method == "abci_query" and method not in self.methods:
            return self._abci_query(params)
        return self.methods[method](params)

    def _abci_query(self, params: dict[str, Any]) -> dict[str, Any]:
        handler = self.abci[params["path"]]
        try:
            reply = handler(bytes.fromhex(params["data"]), int(params["height"]))
        except AbciFailure as failure:
            response = {"code": failure.code, "codespace": failure.codespace, "log": failure.log}
            return {"response": response}
        value = base64.b64encode(reply.SerializeToString()).decode()
        return {"response": {"value": value, "height": params["height"]}}

    def called(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]


def _handler_class(node: FakeNode) -> type[BaseHTTPRequestHandler]:
    class RpcHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            try:
                body = {"result": node.answer(request["method"], request["params"])}
            except RpcFailure as failure:
                body = {
                    "error": {
                        "code": failure.code,
                        "message": failure.message,
                        "data": failure.data,
                    }
                }
            encoded = json.dumps({"jsonrpc": "2.0", "id": request["id"], **body}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    return RpcHandler


@pytest.fixture
def fake_node() -> Iterator[FakeNode]:
    """A fake node on a free 127.0.0.1 port, stopped after the test."""
    node = FakeNode(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(node))
    node.url = f"tcp://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield node
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Outcome:
    """What `allianced ARGS` did: exit code and the two output streams."""

    code: int
    stdout: str
    stderr: str


@dataclass
class ClientHome:
    """A temporary client home with a test keyring and a client.toml naming the fake node."""

    path: Path
    user: KeyRecord

    def run(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Outcome:
        return run_allianced("--home", str(self.path), *args, input=input, env=env)


def run_allianced(
    *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> Outcome:
    """Run `main(args)` as the console script does, capturing exit code, stdout and stderr."""
    runner = CliRunner()
    with runner.isolation(input=input, env=env) as (stdout, stderr, _):
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        return Outcome(code, stdout.getvalue().decode(), stderr.getvalue().decode())


@pytest.fixture
def client_home(tmp_path: Path, fake_node: FakeNode) -> ClientHome:
    home = tmp_path / "client"
    (home / "config").mkdir(parents=True)
    (home / "config" / "client.toml").write_text(
        f'chain-id = "{TEST_CHAIN_ID}"\nkeyring-backend = "test"\nnode = "{fake_node.url}"\n'
    )
    record, _ = Keyring(home, "test").add("user1", USER_MNEMONIC)
    return ClientHome(home, record)
