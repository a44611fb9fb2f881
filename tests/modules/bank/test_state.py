from __future__ import annotations

from app.modules.bank import state
from app.modules.bank.state import Params
from app.store import MemoryDatabase, MultiStore
from app.types import AccAddress


def bank_store():
    return MultiStore(MemoryDatabase(), ["bank"]).block_view().store("bank")


def test_params_follow_the_stored_bytes() -> None:
    store = bank_store()
    assert state.get_params(store) == Params()
    state.set_params(store, Params(default_send_enabled=False))
    assert state.get_params(store) == Params(default_send_enabled=False)
    state.set_params(store, Params(default_send_enabled=True))
    assert state.get_params(store) == Params(default_send_enabled=True)


def test_balance_keys_follow_the_key_table() -> None:
    address = AccAddress(bytes(range(20)))
    assert state.balance_key(address, "uxprt") == b"\x02\x14" + address + b"uxprt"
    assert state.denom_owner_key("uxprt", address) == b"\x03uxprt\x00\x14" + address
