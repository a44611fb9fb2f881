"""Account and params storage: the remembered encodings must answer as the codec does."""

from __future__ import annotations

from google.protobuf import any_pb2
from hypothesis import given
from hypothesis import strategies as st

from app.modules.auth import state
from app.modules.auth.state import Account, Params
from app.store import MemoryDatabase, MultiStore
from app.types import AccAddress

addresses = st.binary(min_size=20, max_size=20).map(AccAddress)
accounts = st.builds(
    Account,
    address=addresses,
    account_number=st.integers(0, 2**64 - 1),
    sequence=st.integers(0, 2**64 - 1),
    pub_key=st.none() | st.binary(min_size=33, max_size=33),
) | st.builds(
    Account,
    address=addresses,
    account_number=st.integers(0, 2**64 - 1),
    module_name=st.sampled_from(["mint", "fee_collector", "bonded_tokens_pool"]),
    permissions=st.sampled_from([(), ("minter",), ("burner", "staking")]),
)


def acc_store():
    return MultiStore(MemoryDatabase(), ["acc"]).block_view().store("acc")


@given(account=accounts)
def test_stored_accounts_read_back_equal_and_encoded_as_the_codec(account: Account) -> None:
    store = acc_store()
    state.set_account(store, account)
    raw = store.get(state.account_key(account.address))
    assert raw == state.account_to_any(account).SerializeToString()
    # Reads after a write are answered from the write's memo: only sound if the codec
    # round-trips exactly.
    assert state.account_from_any(account.address, any_pb2.Any.FromString(raw)) == account
    assert state.get_account(store, account.address) == account
    assert state.get_account(store, account.address) == account  # a remembered decoding
    assert store.get(state.account_number_key(account.account_number)) == account.address


def test_same_bytes_under_another_address_decode_to_that_address() -> None:
    store = acc_store()
    first = Account(AccAddress(b"\x01" * 20), 5, 2)
    state.set_account(store, first)
    raw = store.get(state.account_key(first.address))
    assert raw is not None
    other = AccAddress(b"\x02" * 20)
    store.set(state.account_key(other), raw)
    assert state.get_account(store, other) == Account(other, 5, 2)


def test_params_follow_the_stored_bytes() -> None:
    store = acc_store()
    assert state.get_params(store) == Params()
    state.set_params(store, Params(max_memo_characters=12))
    assert state.get_params(store).max_memo_characters == 12
    state.set_params(store, Params(max_memo_characters=34))
    assert state.get_params(store).max_memo_characters == 34
