"""The ABCI socket server: CometBFT v0.38's four connections onto one application.

Model (the same as Go's ``abci/server/socket_server.go``, which holds one mutex for all
connections): one asyncio loop; each connection is read strictly in order and every request is
handled to completion by a synchronous application call before the next is looked at, so
requests from all connections reach the application one at a time and each connection's
responses leave in request order. The responses to the requests of one read are written and
drained together before the next read, which also satisfies Flush (all bytes up to
``Response{flush}`` are on the wire when it is sent).

When a connection that has carried a request reaches end of stream, CometBFT is gone: the other
connections are closed, ``Application.on_disconnect`` drops uncommitted state, and the listener
keeps accepting, so a restarted node reconnects. A connection that closes without ever sending a
request (a port probe) is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import stat
from dataclasses import dataclass

from app.abci.application import Application
from app.abci.dispatch import decode_request, dispatch
from app.abci.framing import MAX_MESSAGE_BYTES, FrameDecoder, FramingError, frame
from app.pb.tendermint.abci import types_pb2 as abci

log = logging.getLogger("abci")

READ_BUFFER_LIMIT = 1024 * 1024
"""StreamReader buffer target, larger than the 64 KiB default to cut pause/resume churn; also
the most bytes taken from it at once."""

SHUTDOWN_GRACE_SECONDS = 5.0
"""How long close() waits for connection handlers to finish."""


@dataclass(frozen=True, slots=True)
class TcpAddress:
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp://{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class UnixAddress:
    path: str

    def __str__(self) -> str:
        return f"unix://{self.path}"


ListenAddress = TcpAddress | UnixAddress


def parse_address(address: str) -> ListenAddress:
    """Parse ``tcp://HOST:PORT``, ``unix:///PATH`` or a bare ``HOST:PORT`` (TCP, as CometBFT).

    Raises ValueError for any other form.
    """
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    if scheme == "unix":
        if not rest:
            raise ValueError(f"unix address without a path: {address!r}")
        return UnixAddress(rest)
    if scheme != "tcp":
        raise ValueError(f"unsupported ABCI address scheme {scheme!r} in {address!r}")
    host, colon, port = rest.rpartition(":")
    if not colon or not host or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"expected tcp://HOST:PORT, got {address!r}")
    return TcpAddress(host.strip("[]"), int(port))


@dataclass(eq=False, slots=True)
class _Connection:
    """One accepted socket; ``active`` once it carried a request, ``closed`` once torn down."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    peer: str
    task: asyncio.Task[None] | None = None
    active: bool = False
    closed: bool = False
    served: int = 0


class ABCIServer:
    """Serve ``app`` to CometBFT over the socket transport at ``address``.

    ``address`` is ``tcp://127.0.0.1:26658`` or ``unix:///path/app.sock``; TCP port 0 picks a
    free port, readable from ``address`` once started.
    """

    def __init__(
        self, app: Application, address: str, *, max_message_bytes: int = MAX_MESSAGE_BYTES
    ) -> None:
        self._app = app
        self._listen = parse_address(address)
        self._max_message_bytes = max_message_bytes
        self._server: asyncio.Server | None = None
        self._connections: list[_Connection] = []
        self._stop_requested: asyncio.Event | None = None

    @property
    def address(self) -> str:
        """The address actually listened on (the real port when 0 was asked for)."""
        if self._server is not None and isinstance(self._listen, TcpAddress):
            host, port = self._server.sockets[0].getsockname()[:2]
            return str(TcpAddress(host, port))
        return str(self._listen)

    async def start(self) -> None:
        """Bind and start accepting connections; returns once listening."""
        if self._server is not None:
            raise RuntimeError("ABCI server already started")
        self._stop_requested = asyncio.Event()
        match self._listen:
            case TcpAddress(host, port):
                self._server = await asyncio.start_server(
                    self._serve_connection, host, port, limit=READ_BUFFER_LIMIT
                )
            case UnixAddress(path):
                self._server = await asyncio.start_unix_server(
                    self._serve_connection, path, limit=READ_BUFFER_LIMIT
                )
        log.info("ABCI server listening on %s", self.address)

    def stop(self) -> None:
        """Ask ``serve_forever`` to return (safe to call from a signal handler on the loop)."""
        if self._stop_requested is not None:
            self._stop_requested.set()

    async def serve_forever(self) -> None:
        """Serve until ``stop()`` is called or the task is cancelled, then close everything."""
        if self._server is None:
            await self.start()
        stop_requested = self._stop_requested
        try:
            if stop_requested is not None:  # always, once started
                await stop_requested.wait()
        finally:
            await self.close()

    async def close(self) -> None:
        """Stop listening, drop every connection (telling the app) and wait for the handlers."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        connections = list(self._connections)
        if any(conn.active and not conn.closed for conn in connections):
            self._disconnect_all("server shutting down")
        for conn in connections:
            conn.closed = True
            conn.writer.close()
        tasks = [conn.task for conn in connections if conn.task is not None]
        if tasks:
            await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE_SECONDS)
        await server.wait_closed()
        if isinstance(self._listen, UnixAddress):
            _remove_socket_file(self._listen.path)
        log.info("ABCI server on %s stopped", self._listen)

    def run(self) -> None:
        """Serve in a fresh event loop until SIGINT or SIGTERM, then shut down cleanly."""
        asyncio.run(self._serve_until_signalled())

    async def _serve_until_signalled(self) -> None:
        loop = asyncio.get_running_loop()
        stop_signals = (signal.SIGINT, signal.SIGTERM)
        for signum in stop_signals:
            loop.add_signal_handler(signum, self.stop)
        try:
            await self.serve_forever()
        finally:
            for signum in stop_signals:
                loop.remove_signal_handler(signum)

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        conn = _Connection(reader, writer, _peer_name(writer), task=asyncio.current_task())
        self._connections.append(conn)
        log.info("ABCI connection from %s", conn.peer)
        try:
            await self._serve_requests(conn)
        except FramingError as err:
            log.error("ABCI connection %s: bad framing, closing: %s", conn.peer, err)
        except ConnectionError as err:
            log.info("ABCI connection %s broke: %s", conn.peer, err)
        except Exception:
            log.exception("ABCI connection %s: internal server error", conn.peer)
        finally:
            self._connection_ended(conn)

    async def _serve_requests(self, conn: _Connection) -> None:
        """Read, handle and answer requests in order until end of stream or teardown.

        Every complete request a read brings is handled in turn, and their responses leave
        together in one write (the same bytes, in the same order, as one write each).
        """
        decoder = FrameDecoder(self._max_message_bytes)
        while not conn.closed:
            data = await conn.reader.read(READ_BUFFER_LIMIT)
            if conn.closed:
                return
            if not data:
                decoder.finish()
                return
            decoder.feed(data)
            responses: list[bytes] = []
            try:
                while (payload := decoder.next_message()) is not None:
                    conn.active = True
                    responses.append(frame(self._answer(payload).SerializeToString()))
            finally:
                # What was answered leaves even when a later frame in the chunk is malformed.
                if responses:
                    conn.served += len(responses)
                    conn.writer.writelines(responses)
            await conn.writer.drain()

    def _answer(self, payload: bytes) -> abci.Response:
        request = decode_request(payload)
        if isinstance(request, abci.Response):
            return request
        return dispatch(self._app, request)

    def _connection_ended(self, conn: _Connection) -> None:
        self._connections.remove(conn)
        conn.writer.close()
        if conn.closed:
            return  # torn down with its session, already reported
        conn.closed = True
        log.info("ABCI connection %s closed after %d requests", conn.peer, conn.served)
        if conn.active:
            self._disconnect_all(f"connection {conn.peer} ended")

    def _disconnect_all(self, reason: str) -> None:
        """CometBFT is gone: close its other connections and let the app drop uncommitted state."""
        log.warning("CometBFT disconnected (%s): closing all ABCI connections", reason)
        for other in self._connections:
            other.closed = True
            other.writer.close()
        try:
            self._app.on_disconnect()
        except Exception:
            log.exception("application on_disconnect failed")


def _peer_name(writer: asyncio.StreamWriter) -> str:
    peer = writer.get_extra_info("peername")
    if isinstance(peer, tuple) and len(peer) >= 2:
        return f"{peer[0]}:{peer[1]}"
    sock = writer.get_extra_info("socket")
    return f"unix-fd-{sock.fileno()}" if sock is not None else "unknown"


def _remove_socket_file(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISSOCK(os.stat(path).st_mode):
            os.unlink(path)
