"""The hot events written directly must equal the generic typed event of their message."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.modules.alliance import events
from app.pb.alliance.alliance import events_pb2
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.types.coin import Coin, Coins
from app.types.dec import Dec
from app.types.int import Int

texts = st.text(max_size=12)
"""Any text, empty included: an empty field moves to the end of the proto-JSON."""
valid_denoms = st.from_regex(r"[a-z][a-z0-9/]{2,15}", fullmatch=True)
denoms = st.one_of(st.just(""), valid_denoms)
"""A single Coin may carry an empty denom (moved last too); Coins refuse one."""
amounts = st.integers(min_value=0, max_value=10**30)


def _coin_pb(coin: Coin) -> coin_pb2.Coin:
    return coin_pb2.Coin(denom=coin.denom, amount=coin.amount.to_proto_str())


@given(texts, texts, denoms, amounts, st.integers(min_value=0, max_value=10**40))
def test_delegate_event_is_the_typed_event(
    sender: str, validator: str, denom: str, amount: int, raw_shares: int
) -> None:
    coin = Coin(denom, Int(amount))
    shares = Dec.from_proto_str(str(raw_shares))
    expected = events.typed_event(
        events_pb2.DelegateAllianceEvent(
            allianceSender=sender,
            validator=validator,
            coin=_coin_pb(coin),
            newShares=shares.to_proto_str(),
        )
    )
    assert events.delegate_event(sender, validator, coin, shares) == expected


@given(texts, texts, st.dictionaries(valid_denoms, st.integers(min_value=1, max_value=10**30)))
def test_claim_rewards_event_is_the_typed_event(
    sender: str, validator: str, paid: dict[str, int]
) -> None:
    coins = Coins([Coin(denom, Int(amount)) for denom, amount in paid.items()])
    expected = events.typed_event(
        events_pb2.ClaimAllianceRewardsEvent(
            allianceSender=sender, validator=validator, coins=[_coin_pb(c) for c in coins]
        )
    )
    assert events.claim_rewards_event(sender, validator, coins) == expected


def test_delegate_event_text() -> None:
    """A pinned example: LegacyDec shares in 18 decimals, coin as compact JSON."""
    event = events.delegate_event('s"x', "v", Coin("uatom", Int(5)), Dec.from_str("1.5"))
    assert event.type == "alliance.alliance.DelegateAllianceEvent"
    assert event.attributes == (
        ("allianceSender", '"s\\"x"'),
        ("validator", '"v"'),
        ("coin", '{"denom":"uatom","amount":"5"}'),
        ("newShares", '"1.500000000000000000"'),
    )


def test_claim_rewards_event_without_coins() -> None:
    event = events.claim_rewards_event("s", "v", Coins())
    assert event.attributes[-1] == ("coins", "[]")
