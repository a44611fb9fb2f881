"""The account the ante chain stores after a signature: the same record `replace` would build."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from app.modules.auth.state import Account
from app.types.address import AccAddress

accounts = st.builds(
    Account,
    st.binary(min_size=20, max_size=20).map(AccAddress),
    st.integers(min_value=0, max_value=2**64 - 1),
    st.integers(min_value=0, max_value=2**64 - 2),
    st.none() | st.binary(min_size=33, max_size=33),
    st.sampled_from(["", "fee_collector"]),
    st.lists(st.sampled_from(["minter", "burner", "staking"]), max_size=3).map(tuple),
)


@given(accounts, st.binary(min_size=33, max_size=33))
def test_after_signing_records_the_key_and_the_next_sequence(
    account: Account, pub_key: bytes
) -> None:
    signed = account.after_signing(pub_key)
    assert signed == replace(account, pub_key=pub_key, sequence=account.sequence + 1)
    assert signed.sequence == account.sequence + 1 and signed.pub_key == pub_key
