"""Pagination of list queries over a key prefix, as cosmos-sdk ``types/query/pagination.go``.

A ``PageRequest`` pages either by `key` (resume at the ``next_key`` of the previous page) or by
`offset` (skip that many entries), never both; `limit` defaults to 100, and then, as in the SDK,
`count_total` is implied; `count_total` (offset paging only) also counts every entry; `reverse`
walks from the last key down.
"""

from __future__ import annotations

from app.chain.errors import ErrInvalidRequest
from app.chain.kv import KVStore
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2
from app.store.views import prefix_end

__all__ = ["DEFAULT_PAGE_LIMIT", "paginate"]

DEFAULT_PAGE_LIMIT = 100
"""Entries per page when the request sets no limit (``query.DefaultLimit``)."""


def paginate(
    store: KVStore, prefix: bytes, page: pagination_pb2.PageRequest
) -> tuple[list[tuple[bytes, bytes]], pagination_pb2.PageResponse]:
    """One page of the entries under `prefix`: (key without the prefix, value) pairs, and the
    ``PageResponse`` whose ``next_key`` resumes after them (empty on the last page). An unset
    request field reads as the default ``PageRequest``: the first 100 entries.

    Raises:
        ChainError: sdk 18 when both `key` and `offset` are set.
    """
    if page.key and page.offset:
        raise ErrInvalidRequest.wrap("either offset or key is expected, got both")
    limit = page.limit or DEFAULT_PAGE_LIMIT
    count_total = page.count_total or page.limit == 0  # the SDK counts when no limit is given
    start, end = prefix, prefix_end(prefix)
    if page.key:
        if page.reverse:
            end = prefix + page.key + b"\x00"  # the smallest key above `key`: include it
        else:
            start = prefix + page.key
    entries = store.iterate(start, end, reverse=page.reverse)
    items: list[tuple[bytes, bytes]] = []
    next_key = b""
    total = 0
    for index, (key, value) in enumerate(entries):
        if index < page.offset:
            total += 1
            continue
        if len(items) == limit:
            if not next_key:
                next_key = key[len(prefix) :]
            if not count_total or page.key:
                break
            total += 1
            continue
        items.append((key[len(prefix) :], value))
        total += 1
    response = pagination_pb2.PageResponse(next_key=next_key)
    if count_total and not page.key:
        response.total = total
    return items, response
