"""Hypothesis: random sends never create or destroy coins and never leave a negative balance."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.chain.context import Context
from app.chain.errors import ChainError
from app.types import Coins, Int
from tests.chain.helpers import AccountKey
from tests.modules.bank.test_keeper import setup

USERS = [AccountKey.named(f"p{i}").address for i in range(4)]
DENOMS = ["aaa", "bbb"]

sends = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(0, 3),
        st.sampled_from(DENOMS),
        st.integers(1, 400),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(sends)
def test_sends_conserve_supply(transfers) -> None:
    ctx, _, bank = setup()
    bank.mint_coins(ctx, "mint", Coins.parse("1000aaa,1000bbb"))
    for user in USERS:
        bank.send_coins_from_module_to_account(ctx, "mint", user, Coins.parse("250aaa,250bbb"))
    for sender, recipient, denom, amount in transfers:
        # Each send in its own branch, written only on success, as the chain runs a tx.
        branch = Context(ctx.view.branch(), ctx.block, ctx.mode)
        try:
            bank.send_coins(
                branch, USERS[sender], USERS[recipient], Coins.parse(f"{amount}{denom}")
            )
        except ChainError as error:
            assert error.code == 5
            continue
        branch.view.write()
    for denom in DENOMS:
        held = sum((bank.get_balance(ctx, user, denom) for user in USERS), Int(0))
        assert held == bank.get_supply(ctx, denom) == Int(1000)
        assert all(not bank.get_balance(ctx, user, denom).is_negative() for user in USERS)
