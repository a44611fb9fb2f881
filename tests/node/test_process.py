"""Node process helpers that need no node: loopback port allocation and the /abci_info wait."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from app.node import process
from app.node.process import NodeProcessError, free_loopback_port, wait_for_height


def test_free_loopback_ports_are_distinct_bindable_and_below_the_ephemeral_range() -> None:
    ports = [free_loopback_port() for _ in range(300)]
    assert len(set(ports)) == len(ports)
    if process.EPHEMERAL_PORT_RANGE.exists():
        ephemeral_start = int(process.EPHEMERAL_PORT_RANGE.read_text().split()[0])
        assert all(process.LISTEN_PORT_FLOOR <= port < ephemeral_start for port in ports)
    for port in ports[:20]:
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", port))


def test_without_the_ephemeral_range_a_port_offered_again_is_not_handed_out_twice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(process, "EPHEMERAL_PORT_RANGE", tmp_path / "absent")
    first = free_loopback_port()
    offered = iter([first, first, first])
    real_socket = socket.socket

    class Probe:
        """A socket that reports the port the kernel 'offers': `first` three times."""

        def __init__(self) -> None:
            self._socket = real_socket()
            self._port = next(offered, None)

        def __enter__(self) -> Probe:
            return self

        def __exit__(self, *_: object) -> None:
            self._socket.close()

        def bind(self, address: tuple[str, int]) -> None:
            self._socket.bind(address)

        def getsockname(self) -> tuple[str, int]:
            port = self._port if self._port is not None else self._socket.getsockname()[1]
            return ("127.0.0.1", port)

    monkeypatch.setattr(process.socket, "socket", Probe)
    assert free_loopback_port() not in (first, 0)
    assert next(offered, None) is None


class _Transport(httpx.BaseTransport):
    """Answers /abci_info with the heights in `heights`, one per request."""

    def __init__(self, heights: list[int | None]) -> None:
        self.heights = heights
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/abci_info"
        height = self.heights[min(self.requests, len(self.heights) - 1)]
        self.requests += 1
        # proto3 JSON leaves a zero height out, as CometBFT does right after genesis.
        response = {} if height is None else {"last_block_height": str(height)}
        reply = {"jsonrpc": "2.0", "id": -1, "result": {"response": response}}
        return httpx.Response(200, json=reply)


def test_wait_for_height_follows_the_application_height(monkeypatch: pytest.MonkeyPatch) -> None:
    transport = _Transport([None, 1, 3])
    client = httpx.Client(transport=transport)
    monkeypatch.setattr(process.httpx, "get", lambda url, timeout: client.get(url))
    monkeypatch.setattr(process.time, "sleep", lambda _: None)
    assert wait_for_height("http://node", 2, timeout=5) == 3
    assert transport.requests == 3


def test_wait_for_height_names_the_height_reached_when_it_gives_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = httpx.Client(transport=_Transport([None]))
    monkeypatch.setattr(process.httpx, "get", lambda url, timeout: client.get(url))
    with pytest.raises(NodeProcessError, match=r"did not reach height 1 .*at height 0"):
        wait_for_height("http://node", 1, timeout=0.3)
