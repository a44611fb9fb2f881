from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.chain.pagination import paginate
from app.pb.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest
from app.store import MemoryDatabase, MultiStore


@pytest.fixture
def store():
    kv = MultiStore(MemoryDatabase(), ["s"]).block_view().store("s")
    for i in range(5):
        kv.set(b"p" + bytes([i]), bytes([i]))
    kv.set(b"q", b"other")
    return kv


def keys(items):
    return [key[0] for key, _ in items]


def test_key_paging_resumes_at_next_key(store) -> None:
    items, page = paginate(store, b"p", PageRequest(limit=2))
    assert keys(items) == [0, 1]
    assert page.next_key == b"\x02"
    items, page = paginate(store, b"p", PageRequest(key=page.next_key, limit=2))
    assert keys(items) == [2, 3]
    items, page = paginate(store, b"p", PageRequest(key=page.next_key, limit=2))
    assert keys(items) == [4]
    assert page.next_key == b""


def test_offset_count_total_and_reverse(store) -> None:
    items, page = paginate(store, b"p", PageRequest(offset=1, limit=2, count_total=True))
    assert keys(items) == [1, 2]
    assert page.total == 5
    items, _ = paginate(store, b"p", PageRequest(limit=2, reverse=True))
    assert keys(items) == [4, 3]
    items, _ = paginate(store, b"p", PageRequest(key=b"\x02", limit=2, reverse=True))
    assert keys(items) == [2, 1]
    items, page = paginate(store, b"p", PageRequest())
    assert keys(items) == [0, 1, 2, 3, 4]


def test_key_and_offset_together_are_refused(store) -> None:
    with pytest.raises(ChainError):
        paginate(store, b"p", PageRequest(key=b"\x01", offset=1))
