"""The end-to-end vectors E2E-n of vectors/alliance.md (delegate_undelegate_test.go) on the real
keepers: F-e2e = F0 plus new validators and funded delegators at T0."""

from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.modules.alliance import state
from app.modules.alliance.keeper import AssetFields
from app.modules.alliance.types import Delegation, Params, RewardWeightRange
from app.pb.alliance.alliance import query_pb2
from app.types import AccAddress, Coin, Coins, Dec, Int, Timestamp, ValAddress, acc_to_bech32
from app.types.address import val_to_bech32
from app.types.time import MINUTE, SECOND, Duration
from tests.modules.alliance.chain_fixture import AllianceChain, account
from tests.modules.alliance.fixtures import make_asset

T0 = Timestamp(1_700_000_000 * SECOND)
TEST, ASSET1, ASSET2 = "test", "asset1", "asset2"


def setup_app(
    n_vals: int, n_dels: int, balance: int, denoms: tuple[str, ...]
) -> tuple[AllianceChain, list[ValAddress], list[AccAddress]]:
    """`setupApp(nVals, nDels, balance)`: zero-commission bonded validators, funded delegators."""
    chain = AllianceChain(time=T0, height=1, community_tax="0")
    validators = [chain.add_validator(n + 1) for n in range(n_vals)]
    delegators = [account(f"del{n}") for n in range(n_dels)]
    for delegator in delegators:
        for denom in denoms:
            chain.fund(delegator, balance, denom)
    return chain, validators, delegators


def delegation(
    chain: AllianceChain, who: AccAddress, operator: ValAddress, denom: str
) -> Delegation | None:
    return state.get_delegation(chain.ctx.store(state.STORE_NAME), who, operator, denom)


def balance(chain: AllianceChain, who: AccAddress, operator: ValAddress, denom: str) -> int:
    found = delegation(chain, who, operator, denom)
    assert found is not None
    return int(chain.keeper.get_delegation_tokens(chain.ctx, found).amount)


def validator_shares(chain: AllianceChain, operator: ValAddress, denom: str) -> Dec:
    return chain.keeper.get_validator_info(chain.ctx, operator).validator_shares.amount_of(denom)


def small_assets(chain: AllianceChain, weight_range: tuple[str, str] = ("2", "12")) -> None:
    chain.set_assets(
        make_asset(ASSET1, "2", start=T0),
        make_asset(ASSET2, "10", start=T0, take="0.1", weight_range=weight_range),
        params=Params(Duration(7 * 24 * 60 * MINUTE), Duration(5 * MINUTE), T0),
    )


@pytest.mark.parametrize("by_redelegation", [False, True], ids=["e2e1", "e2e2"])
def test_e2e1_e2e2_take_rate_then_full_withdrawal(by_redelegation: bool) -> None:
    chain, vals, dels = setup_app(5, 2, 10**18, (TEST,))
    chain.set_assets(params=Params(Duration(7 * 24 * 60 * MINUTE), Duration(5 * MINUTE), T0))
    chain.keeper.create_alliance(
        chain.ctx,
        AssetFields(
            TEST,
            Dec.from_str("0.03"),
            Dec.from_str("0.02"),
            Dec.from_str("0.01"),
            Duration(60 * SECOND),
            RewardWeightRange(Dec.zero(), Dec.from_str("0.1")),
        ),
    )
    chain.delegate(dels[0], vals[0], 100_033_333_333_333_333, TEST)
    info = chain.keeper.get_validator_info(chain.ctx, vals[0])
    assert info.total_delegator_shares.amount_of(TEST) == Dec.from_int(100_033_333_333_333_333)
    chain.at(time=Timestamp(T0 + 60 * MINUTE))
    assert chain.keeper.deduct_take_rate(chain.ctx) == Coins()
    assert chain.keeper.get_params(chain.ctx).last_take_rate_claim_time == T0 + 60 * MINUTE
    held = Coin(TEST, Int(balance(chain, dels[0], vals[0], TEST)))
    if by_redelegation:
        chain.keeper.redelegate(chain.ctx, dels[0], vals[0], vals[1], held)
    else:
        chain.keeper.undelegate(chain.ctx, dels[0], vals[0], held)
    assert delegation(chain, dels[0], vals[0], TEST) is None
    assert validator_shares(chain, vals[0], TEST) == Dec.zero()
    chain.delegate(dels[0], vals[0], 33_333, TEST)
    chain.check_invariants()


def unbondings(chain: AllianceChain, method: str, **fields: str) -> list[tuple[str, int]]:
    request_type = getattr(query_pb2, f"Query{method}Request")
    route = chain.chain.query_router.route(f"/alliance.alliance.Query/{method}")
    assert route is not None
    response = route.handle(chain.ctx, request_type(**fields))
    return [(entry.validator_address, int(entry.amount)) for entry in response.unbondings]


def test_e2e3_delegating_a_small_amount() -> None:
    chain, (v1, v2), (user1, user2, _) = setup_app(2, 3, 10**18, (ASSET1, ASSET2))
    small_assets(chain)
    chain.delegate(user1, v1, 100, ASSET2)
    chain.delegate(user2, v2, 10**9, ASSET2)
    chain.rebalance()
    assert (chain.module_stake(v1), chain.module_stake(v2)) == (0, 9_999_999)
    assert chain.keeper.deduct_take_rate(chain.ctx) == Coins()
    assert balance(chain, user1, v1, ASSET2) == 100
    with pytest.raises(ChainError):
        chain.keeper.undelegate(chain.ctx, user1, v1, Coin(ASSET2, Int(10**9)))
    chain.keeper.undelegate(chain.ctx, user1, v1, Coin(ASSET2, Int(100)))
    assert delegation(chain, user1, v1, ASSET2) is None
    chain.delegate(user1, v1, 5 * 10**8, ASSET2)
    chain.at(time=Timestamp(T0 + MINUTE), height=2)
    chain.delegate(user1, v1, 4 * 10**8, ASSET2)
    chain.at(time=Timestamp(T0 + 6 * MINUTE), height=3)
    assert not chain.keeper.deduct_take_rate(chain.ctx).is_zero()
    held = balance(chain, user1, v1, ASSET2)
    assert held < 9 * 10**8
    chain.keeper.undelegate(chain.ctx, user1, v1, Coin(ASSET2, Int(held)))
    assert delegation(chain, user1, v1, ASSET2) is None
    v1_text, user1_text = val_to_bech32(v1), acc_to_bech32(user1)
    by_denom = unbondings(
        chain, "AllianceUnbondingsByDenomAndDelegator", denom=ASSET2, delegator_addr=user1_text
    )
    assert len(by_denom) == 2 and by_denom[0] == (v1_text, 100)
    by_validator = unbondings(
        chain,
        "AllianceUnbondings",
        denom=ASSET2,
        delegator_addr=user1_text,
        validator_addr=v1_text,
    )
    assert len(by_validator) == 2 and by_validator[0] == (v1_text, 100)
    chain.check_invariants()


def test_e2e4_delegate_and_undelegate_with_small_amounts() -> None:
    chain, vals, (user1, user2) = setup_app(5, 2, 2 * 10**21, (ASSET1, ASSET2))
    small_assets(chain)
    v1, v2 = vals[0], vals[1]
    chain.delegate(user1, v1, 200, ASSET2)
    chain.delegate(user2, v2, 10**18, ASSET2)
    chain.rebalance()
    chain.at(time=Timestamp(T0 + 6 * MINUTE), height=2)
    with pytest.raises(ChainError):
        chain.keeper.undelegate(chain.ctx, user1, v1, Coin(ASSET2, Int(10**18)))
    assert balance(chain, user1, v1, ASSET2) == 200
    chain.keeper.undelegate(chain.ctx, user1, v1, Coin(ASSET2, Int(200)))
    assert delegation(chain, user1, v1, ASSET2) is None
    chain.check_invariants()


@pytest.mark.parametrize("by_redelegation", [False, True], ids=["undelegation", "redelegation"])
def test_e2e7_dust_validator_shares_after_full_withdrawal(by_redelegation: bool) -> None:
    chain, vals, (user1, user2) = setup_app(5, 2, 10**18, (ASSET1, ASSET2))
    chain.set_assets(make_asset(ASSET2, "10", start=T0, take="0.1", weight_range=("5", "0")))
    v1, v2 = vals[0], vals[1]
    chain.delegate(user1, v1, 1_000, ASSET2)
    chain.delegate(user2, v2, 0, ASSET2)
    zero = delegation(chain, user2, v2, ASSET2)
    assert zero is not None and zero.shares == Dec.zero()
    chain.rebalance()
    later = Timestamp(T0 + 6 * MINUTE)
    chain.at(time=later)
    assert chain.keeper.deduct_take_rate(chain.ctx) == Coins()
    assert chain.keeper.get_params(chain.ctx).last_take_rate_claim_time == later
    held = Coin(ASSET2, Int(balance(chain, user1, v1, ASSET2)))
    assert held.amount == Int(1_000)
    if by_redelegation:
        chain.keeper.redelegate(chain.ctx, user1, v1, v2, held)
    else:
        chain.keeper.undelegate(chain.ctx, user1, v1, held)
    chain.rebalance()
    chain.delegate(user1, v1, 200, ASSET2)
    chain.check_invariants()
