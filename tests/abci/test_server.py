"""The socket server over real TCP and unix sockets, driven by the test client."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from app.abci.application import BaseApplication
from app.abci.framing import frame
from app.abci.server import ABCIServer, TcpAddress, UnixAddress, parse_address
from app.pb.tendermint.abci import types_pb2 as abci

from .client import AbciClient

REPO = Path(__file__).resolve().parents[2]


class RecordingApp(BaseApplication):
    """Records every call; CheckTx answers with the tx length as code, a tx b"fail" raises."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.disconnects = 0

    def info(self, req: abci.RequestInfo) -> abci.ResponseInfo:
        self.calls.append("info")
        return abci.ResponseInfo(last_block_height=7, data="recording")

    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        self.calls.append(f"check_tx:{req.tx.decode()}")
        if req.tx == b"fail":
            raise RuntimeError("bug in check_tx")
        return abci.ResponseCheckTx(code=len(req.tx))

    def finalize_block(self, req: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        self.calls.append(f"finalize_block:{len(req.txs)}")
        return super().finalize_block(req)

    def on_disconnect(self) -> None:
        self.disconnects += 1


def check_tx(tx: bytes) -> abci.Request:
    return abci.Request(check_tx=abci.RequestCheckTx(tx=tx))


def serve(
    app: RecordingApp,
    scenario: Callable[[ABCIServer], Awaitable[None]],
    address: str = "tcp://127.0.0.1:0",
) -> None:
    """Run ``scenario`` against a started server, then close the server."""

    async def main() -> None:
        server = ABCIServer(app, address)
        await server.start()
        try:
            await asyncio.wait_for(scenario(server), timeout=30)
        finally:
            await server.close()

    asyncio.run(main())


async def wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


async def is_closed_by_server(client: AbciClient) -> bool:
    try:
        await client.receive()
    except (EOFError, ConnectionError):
        return True
    return False


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("tcp://127.0.0.1:26658", TcpAddress("127.0.0.1", 26658)),
        ("127.0.0.1:26658", TcpAddress("127.0.0.1", 26658)),
        ("tcp://[::1]:1", TcpAddress("::1", 1)),
        ("unix:///tmp/app.sock", UnixAddress("/tmp/app.sock")),
    ],
)
def test_parse_address(text: str, parsed: TcpAddress | UnixAddress) -> None:
    assert parse_address(text) == parsed


@pytest.mark.parametrize(
    "text", ["grpc://1.2.3.4:5", "tcp://host", "tcp://:5", "unix://", "x:99999"]
)
def test_parse_address_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_address(text)


def test_pipelined_requests_answered_in_order_with_flush() -> None:
    app = RecordingApp()

    async def scenario(server: ABCIServer) -> None:
        client = await AbciClient.connect(server.address)
        client.send(abci.Request(echo=abci.RequestEcho(message="hello")))
        for tx in (b"a", b"bb", b"ccc"):
            client.send(check_tx(tx))
        client.send(abci.Request(info=abci.RequestInfo()))
        await client.flush()
        kinds = [(await client.receive()) for _ in range(6)]
        assert [r.WhichOneof("value") for r in kinds] == [
            "echo",
            "check_tx",
            "check_tx",
            "check_tx",
            "info",
            "flush",
        ]
        assert kinds[0].echo.message == "hello"
        assert [r.check_tx.code for r in kinds[1:4]] == [1, 2, 3]
        assert kinds[4].info.last_block_height == 7
        await client.close()

    serve(app, scenario)
    assert app.calls == ["check_tx:a", "check_tx:bb", "check_tx:ccc", "info"]


def test_two_connections_are_served_in_order_and_one_at_a_time() -> None:
    app = RecordingApp()

    async def scenario(server: ABCIServer) -> None:
        mempool = await AbciClient.connect(server.address)
        consensus = await AbciClient.connect(server.address)
        for i in range(50):
            mempool.send(check_tx(f"m{i}".encode()))
        consensus.send(abci.Request(finalize_block=abci.RequestFinalizeBlock(txs=[b"x"] * 3)))
        await asyncio.gather(mempool.flush(), consensus.flush())
        mempool_codes = [(await mempool.receive()).check_tx.code for _ in range(50)]
        assert mempool_codes == [len(f"m{i}") for i in range(50)]
        assert (await mempool.receive()).WhichOneof("value") == "flush"
        finalize = await consensus.receive()
        assert len(finalize.finalize_block.tx_results) == 3
        assert (await consensus.receive()).WhichOneof("value") == "flush"
        await mempool.close()

    serve(app, scenario)
    mempool_calls = [call for call in app.calls if call.startswith("check_tx")]
    assert mempool_calls == [f"check_tx:m{i}" for i in range(50)]
    assert app.calls.count("finalize_block:3") == 1


def test_application_exception_is_answered_and_the_connection_keeps_serving() -> None:
    app = RecordingApp()

    async def scenario(server: ABCIServer) -> None:
        client = await AbciClient.connect(server.address)
        failed = await client.call(check_tx(b"fail"))
        assert failed.WhichOneof("value") == "exception"
        assert "bug in check_tx" in failed.exception.error
        assert (await client.call(check_tx(b"ok"))).check_tx.code == 2
        await client.close()

    serve(app, scenario)


def test_unknown_request_type_is_answered_with_an_exception() -> None:
    async def scenario(server: ABCIServer) -> None:
        client = await AbciClient.connect(server.address)
        client.writer.write(bytes.fromhex("03aa0100"))  # Request field 21: not in v0.38
        await client.flush()
        response = await client.receive()
        assert "unknown request type" in response.exception.error
        assert (await client.receive()).WhichOneof("value") == "flush"
        await client.close()

    serve(RecordingApp(), scenario)


def test_eof_on_one_connection_closes_the_others_and_tells_the_app_once() -> None:
    app = RecordingApp()

    async def scenario(server: ABCIServer) -> None:
        query = await AbciClient.connect(server.address)
        mempool = await AbciClient.connect(server.address)
        silent = await AbciClient.connect(server.address)  # like the snapshot connection
        await query.call(abci.Request(info=abci.RequestInfo()))
        await mempool.call(check_tx(b"t"))
        await query.close()
        assert await is_closed_by_server(mempool)
        assert await is_closed_by_server(silent)
        await wait_until(lambda: app.disconnects == 1)
        # a restarted node reconnects and is served again
        again = await AbciClient.connect(server.address)
        assert (await again.call(abci.Request(info=abci.RequestInfo()))).info.data == "recording"
        await again.close()
        await wait_until(lambda: app.disconnects == 2)

    serve(app, scenario)
    assert app.disconnects == 2


def test_a_probe_that_never_speaks_does_not_disturb_the_session() -> None:
    app = RecordingApp()

    async def scenario(server: ABCIServer) -> None:
        node = await AbciClient.connect(server.address)
        await node.call(check_tx(b"t"))
        probe = await AbciClient.connect(server.address)
        await probe.close()
        await asyncio.sleep(0.05)
        assert (await node.call(check_tx(b"tt"))).check_tx.code == 2
        assert app.disconnects == 0
        await node.close()

    serve(app, scenario)


def test_bad_framing_closes_the_session() -> None:
    app = RecordingApp()

    async def scenario(server: ABCIServer) -> None:
        client = await AbciClient.connect(server.address)
        await client.call(check_tx(b"t"))
        client.writer.write(b"\xff" * 11)
        await client.writer.drain()
        assert await is_closed_by_server(client)
        await wait_until(lambda: app.disconnects == 1)

    serve(app, scenario)


def test_requests_before_bad_framing_in_the_same_chunk_are_answered() -> None:
    app = RecordingApp()

    async def scenario(server: ABCIServer) -> None:
        client = await AbciClient.connect(server.address)
        good = b"".join(
            frame(request.SerializeToString())
            for request in (
                check_tx(b"a"),
                check_tx(b"bb"),
                abci.Request(flush=abci.RequestFlush()),
            )
        )
        client.writer.write(good + b"\xff" * 11)
        await client.writer.drain()
        answers = [await client.receive() for _ in range(3)]
        assert [answer.check_tx.code for answer in answers[:2]] == [1, 2]
        assert answers[2].WhichOneof("value") == "flush"
        assert await is_closed_by_server(client)
        await wait_until(lambda: app.disconnects == 1)
        assert app.calls == ["check_tx:a", "check_tx:bb"]

    serve(app, scenario)


def test_multi_megabyte_finalize_block_over_the_socket() -> None:
    app = RecordingApp()
    txs = [bytes([i % 256]) * 1_000_000 for i in range(20)]  # a 20 MB block

    async def scenario(server: ABCIServer) -> None:
        client = await AbciClient.connect(server.address)
        request = abci.Request(finalize_block=abci.RequestFinalizeBlock(txs=txs, height=1))
        response = await client.call(request)
        assert len(response.finalize_block.tx_results) == 20
        await client.close()

    serve(app, scenario)
    assert app.calls == ["finalize_block:20"]


def test_unix_socket_is_served_and_removed_on_close(tmp_path: Path) -> None:
    path = tmp_path / "app.sock"

    async def scenario(server: ABCIServer) -> None:
        assert server.address == f"unix://{path}"
        client = await AbciClient.connect(server.address)
        assert (await client.call(check_tx(b"abc"))).check_tx.code == 3
        await client.close()

    serve(RecordingApp(), scenario, address=f"unix://{path}")
    assert not path.exists()


def test_close_with_a_live_session_tells_the_app() -> None:
    app = RecordingApp()

    async def main() -> None:
        server = ABCIServer(app, "tcp://127.0.0.1:0")
        serving = asyncio.create_task(server.serve_forever())
        await wait_until(lambda: server.address.rsplit(":", 1)[1] != "0")
        client = await AbciClient.connect(server.address)
        await client.call(check_tx(b"t"))
        server.stop()
        await asyncio.wait_for(serving, timeout=10)
        assert await is_closed_by_server(client)

    asyncio.run(main())
    assert app.disconnects == 1


def test_run_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    path = tmp_path / "app.sock"
    code = (
        "import logging; logging.basicConfig(level=logging.INFO);"
        "from app.abci import ABCIServer, BaseApplication;"
        f"ABCIServer(BaseApplication(), 'unix://{path}').run()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 20
        while not path.exists():
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)

        async def talk() -> None:
            client = await AbciClient.connect(f"unix://{path}")
            reply = await client.call(abci.Request(echo=abci.RequestEcho(message="up")))
            assert reply.echo.message == "up"
            await client.close()

        asyncio.run(talk())
        os.kill(process.pid, signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert "stopped" in stderr
    assert not path.exists()
