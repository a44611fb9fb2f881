"""A minimal ABCI socket client for tests, speaking to the server as CometBFT does.

``send`` only buffers (CometBFT pipelines up to 256 requests); ``flush`` sends Request{flush}
and pushes the bytes out, as CometBFT's client does before waiting for answers.
"""

from __future__ import annotations

import asyncio
import contextlib

from app.abci.framing import frame, read_message
from app.abci.server import TcpAddress, UnixAddress, parse_address
from app.pb.tendermint.abci import types_pb2 as abci


class AbciClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, address: str) -> AbciClient:
        match parse_address(address):
            case TcpAddress(host, port):
                reader, writer = await asyncio.open_connection(host, port)
            case UnixAddress(path):
                reader, writer = await asyncio.open_unix_connection(path)
        return cls(reader, writer)

    def send(self, request: abci.Request) -> None:
        self.writer.write(frame(request.SerializeToString()))

    async def flush(self) -> None:
        self.send(abci.Request(flush=abci.RequestFlush()))
        await self.writer.drain()

    async def receive(self) -> abci.Response:
        """The next response; raises EOFError when the server closed the connection."""
        payload = await asyncio.wait_for(read_message(self.reader), timeout=10)
        if payload is None:
            raise EOFError("server closed the connection")
        return abci.Response.FromString(payload)

    async def call(self, request: abci.Request) -> abci.Response:
        """Send one request and a flush; return the request's response after checking the flush."""
        self.send(request)
        await self.flush()
        response = await self.receive()
        flushed = await self.receive()
        assert flushed.WhichOneof("value") == "flush", flushed
        return response

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()
