from __future__ import annotations

import pytest

from app.chain.context import BlockContext, Context, ExecMode
from app.chain.events import Event
from app.store import MemoryDatabase, MultiStore
from app.types import Timestamp

EVENT = Event("transfer", (("amount", "1uxprt"),))


@pytest.mark.parametrize(
    ("mode", "recorded"),
    [
        (ExecMode.CHECK, False),
        (ExecMode.RECHECK, False),
        (ExecMode.SIMULATE, True),
        (ExecMode.FINALIZE, True),
        (ExecMode.QUERY, True),
    ],
)
def test_events_are_dropped_only_in_check_tx(mode: ExecMode, recorded: bool) -> None:
    view = MultiStore(MemoryDatabase(), ["s"]).block_view()
    ctx = Context(view, BlockContext(1, Timestamp(0), "test"), mode)
    ctx.emit(EVENT)
    assert ctx.records_events is recorded
    assert ctx.events == ([EVENT] if recorded else [])
