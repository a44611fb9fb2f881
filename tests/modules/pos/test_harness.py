"""The harness itself: its invariant check fails a block that breaks one, and its CometBFT
bookkeeping applies validator updates two heights later."""

from __future__ import annotations

import pytest

from app.chain.context import Context
from app.chain.module import ValidatorUpdate
from app.types import Coins
from app.types.address import AccAddress
from tests.modules.pos.support import DEL1, VAL1, VAL2, delegate, two_validator_chain


def test_a_block_that_breaks_the_bonded_pool_fails_the_test(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chain = two_validator_chain()
    [staking_module] = [m for m in chain.chain.end_block_order if m.name == "staking"]
    original = staking_module.end_block

    def leaky_end_block(ctx: Context) -> list[ValidatorUpdate]:
        chain.chain.bank.send_coins_from_module_to_account(
            ctx, "bonded_tokens_pool", AccAddress(DEL1.address), Coins.parse("1uxprt")
        )
        return list(original(ctx))

    monkeypatch.setattr(staking_module, "end_block", leaky_end_block)
    with pytest.raises(AssertionError, match="bonded pool"):
        chain.next_block()


def test_updates_reach_the_tracked_set_two_heights_later() -> None:
    chain = two_validator_chain()
    cons = chain.cons_of(VAL2)
    chain.ok(DEL1, delegate(DEL1, VAL2, 2_000_000))
    height = chain.height
    assert chain.power_set(height + 1)[cons] == 5
    assert chain.power_set(height + 2)[cons] == 7
    assert chain.power_set(height + 2)[chain.cons_of(VAL1)] == 10
