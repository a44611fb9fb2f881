from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.modules.distribution import state
from app.types import Coins, DecCoins, Int, acc_to_bech32, module_address, val_to_bech32
from tests.chain.helpers import ALICE, BOB, CAROL
from tests.modules.distribution.support import cons, make_env, operator, vote


def events(env, kind):
    return [dict(e.attributes) for e in env.ctx.events if e.type == kind]


def test_rwd4_commission_and_current_rewards() -> None:
    env = make_env()
    v1 = env.staking.create_validator(env.ctx, 1, rate="0")
    v2 = env.staking.create_validator(env.ctx, 2, rate="1")
    env.staking.delegate(env.ctx, ALICE.address, v1, 2_000_000)
    env.staking.delegate(env.ctx, BOB.address, v2, 8_000_000)
    env.collect_fees("4000000uxprt")
    env.at_height(2)
    env.distr.allocate_tokens(env.ctx, 10, [vote(1, 2), vote(2, 8)])
    store = env.ctx.store(state.STORE_NAME)
    assert state.get_commission(store, v1) == DecCoins()
    assert state.get_commission(store, v2) == DecCoins.parse("3200000uxprt")
    assert state.get_current(store, v1).rewards == DecCoins.parse("800000uxprt")
    assert state.get_current(store, v2).rewards == DecCoins()
    assert events(env, "rewards") == [
        {"amount": "800000.000000000000000000uxprt", "validator": val_to_bech32(v1)},
        {"amount": "3200000.000000000000000000uxprt", "validator": val_to_bech32(v2)},
    ]
    env.check_invariants()
    env.at_height(3)
    assert env.distr.withdraw_delegation_rewards(env.ctx, ALICE.address, v1) == Coins.parse(
        "800000uxprt"
    )
    assert env.distr.withdraw_delegation_rewards(env.ctx, BOB.address, v2) == Coins()
    assert events(env, "withdraw_rewards")[-1] == {
        "amount": "0uxprt",
        "validator": val_to_bech32(v2),
        "delegator": acc_to_bech32(BOB.address),
    }
    assert env.distr.withdraw_validator_commission(env.ctx, v2) == Coins.parse("3200000uxprt")
    assert env.balance(v2) == Int(3_200_000)
    with pytest.raises(ChainError, match="no validator commission"):
        env.distr.withdraw_validator_commission(env.ctx, v2)
    env.check_invariants()


def test_qry1_module_account_delegator_and_community_tax() -> None:
    env = make_env(community_tax="0.02")
    alliance = module_address("alliance")
    v0 = env.staking.create_validator(env.ctx, 0)
    env.staking.delegate(env.ctx, ALICE.address, v0, 1_000_000)
    env.staking.delegate(env.ctx, alliance, v0, 2_000_000)
    env.collect_fees("50000uxprt")
    env.at_height(2)
    env.distr.allocate_tokens(env.ctx, 1, [vote(0, 1)])
    assert env.distr.get_community_pool(env.ctx) == DecCoins.parse("1000uxprt")
    env.at_height(3)
    assert env.distr.delegation_rewards(env.ctx, alliance, v0) == DecCoins.parse(
        "32666.666666666666uxprt"
    )
    paid = env.distr.withdraw_delegation_rewards(env.ctx, alliance, v0)
    assert paid == Coins.parse("32666uxprt")
    assert env.balance(alliance) == Int(32_666)
    assert env.distr.get_community_pool(env.ctx) == DecCoins.parse("1000.666666666666uxprt")
    env.check_invariants()


def test_rewards_across_periods_and_a_new_delegator() -> None:
    env = make_env()
    v1 = env.staking.create_validator(env.ctx, 1)
    env.staking.delegate(env.ctx, ALICE.address, v1, 1_000_000)
    env.collect_fees("1000000uxprt")
    env.at_height(2)
    env.distr.begin_block(env.ctx)  # nobody voted: everything goes to the pool
    assert env.distr.get_community_pool(env.ctx) == DecCoins.parse("1000000uxprt")
    env.collect_fees("3000000uxprt")
    env.at_height(3, (vote(1, 1),))
    env.distr.begin_block(env.ctx)
    # Bob joins: the period ends, Alice's 3,000,000 stays hers.
    env.staking.delegate(env.ctx, BOB.address, v1, 1_000_000)
    assert env.distr.delegation_rewards(env.ctx, BOB.address, v1) == DecCoins()
    env.collect_fees("2000000uxprt")
    env.at_height(4, (vote(1, 2),))
    env.distr.begin_block(env.ctx)
    assert env.distr.delegation_rewards(env.ctx, ALICE.address, v1) == DecCoins.parse(
        "4000000uxprt"
    )
    assert env.distr.delegation_rewards(env.ctx, BOB.address, v1) == DecCoins.parse("1000000uxprt")
    env.check_invariants()
    # Re-delegating withdraws first (before_delegation_shares_modified).
    env.staking.delegate(env.ctx, ALICE.address, v1, 10)
    assert env.balance(ALICE.address) == Int(4_000_000)
    assert env.distr.delegation_rewards(env.ctx, ALICE.address, v1) == DecCoins()
    env.check_invariants()


def test_withdraw_in_the_block_the_delegation_started_pays_nothing() -> None:
    env = make_env()
    v1 = env.staking.create_validator(env.ctx, 1)
    env.collect_fees("100uxprt")
    env.at_height(2)
    env.staking.delegate(env.ctx, ALICE.address, v1, 100)
    env.distr.allocate_tokens(env.ctx, 1, [vote(1, 1)])
    assert env.distr.withdraw_delegation_rewards(env.ctx, ALICE.address, v1) == Coins()
    env.check_invariants()


def test_slash_splits_the_stake_across_periods() -> None:
    env = make_env()
    v1 = env.staking.create_validator(env.ctx, 1)
    env.staking.delegate(env.ctx, ALICE.address, v1, 1_000_000)
    env.staking.delegate(env.ctx, BOB.address, v1, 1_000_000)
    env.collect_fees("1000000uxprt")
    env.at_height(2)
    env.distr.allocate_tokens(env.ctx, 2, [vote(1, 2)])
    env.at_height(3)
    env.staking.slash(env.ctx, v1, "0.1")
    env.check_invariants()
    env.collect_fees("900000uxprt")
    env.at_height(4)
    env.distr.allocate_tokens(env.ctx, 1, [vote(1, 1)])
    env.at_height(5)
    # 0.5 per token on 1,000,000, then 0.5 per token on the slashed 900,000.
    assert env.distr.withdraw_delegation_rewards(env.ctx, ALICE.address, v1) == Coins.parse(
        "950000uxprt"
    )
    slashes = list(state.iterate_slash_events(env.ctx.store(state.STORE_NAME)))
    assert [(height, event.fraction) for _, height, event in slashes] == [
        (3, state.Dec.from_str("0.1"))
    ]
    env.check_invariants()


def test_zero_token_validator_rewards_go_to_the_pool() -> None:
    env = make_env()
    v1 = env.staking.create_validator(env.ctx, 1)
    env.staking.delegate(env.ctx, ALICE.address, v1, 100)
    env.collect_fees("50uxprt")
    env.at_height(2)
    env.distr.allocate_tokens(env.ctx, 1, [vote(1, 1)])
    env.at_height(3)
    env.staking.undelegate_all(env.ctx, ALICE.address, v1)
    assert env.balance(ALICE.address) == Int(50)
    env.collect_fees("30uxprt")
    env.at_height(4)
    env.distr.allocate_tokens(env.ctx, 1, [vote(1, 1)])
    env.staking.delegate(env.ctx, BOB.address, v1, 10)
    assert env.distr.get_community_pool(env.ctx) == DecCoins.parse("30uxprt")
    env.check_invariants()


def test_removed_validator_pays_commission_and_sends_dust_to_the_pool() -> None:
    env = make_env()
    v1 = env.staking.create_validator(env.ctx, 1, rate="0.1")
    env.staking.delegate(env.ctx, ALICE.address, v1, 3)
    env.collect_fees("10uxprt")
    env.at_height(2)
    env.distr.allocate_tokens(env.ctx, 1, [vote(1, 1)])
    env.at_height(3)
    env.staking.undelegate_all(env.ctx, ALICE.address, v1)
    env.distr.hooks().after_validator_removed(env.ctx, cons(1), v1)
    assert env.balance(v1) == Int(1)
    store = env.ctx.store(state.STORE_NAME)
    assert state.get_current(store, v1) is None
    assert not state.has_outstanding(store, v1)
    assert list(state.iterate_historical(store)) == []
    assert env.balance(ALICE.address) + env.balance(v1) == Int(10)


def test_withdraw_address_rules() -> None:
    env = make_env()
    v1 = env.staking.create_validator(env.ctx, 1)
    env.staking.delegate(env.ctx, ALICE.address, v1, 100)
    env.distr.set_withdraw_addr(env.ctx, ALICE.address, CAROL.address)
    assert events(env, "set_withdraw_address") == [{"withdraw_address": CAROL.bech32}]
    with pytest.raises(ChainError, match="not allowed to receive external funds"):
        env.distr.set_withdraw_addr(env.ctx, ALICE.address, module_address("distribution"))
    env.collect_fees("100uxprt")
    env.at_height(2)
    env.distr.allocate_tokens(env.ctx, 1, [vote(1, 1)])
    env.at_height(3)
    env.distr.withdraw_delegation_rewards(env.ctx, ALICE.address, v1)
    assert env.balance(CAROL.address) == Int(100)
    params = env.distr.get_params(env.ctx)
    env.distr.set_params(env.ctx, state.Params(params.community_tax, False))
    with pytest.raises(ChainError, match="set withdraw address disabled"):
        env.distr.set_withdraw_addr(env.ctx, ALICE.address, BOB.address)


def test_missing_validator_or_delegation() -> None:
    env = make_env()
    with pytest.raises(ChainError, match="validator does not exist"):
        env.distr.withdraw_delegation_rewards(env.ctx, ALICE.address, operator(9))
    v1 = env.staking.create_validator(env.ctx, 1)
    with pytest.raises(ChainError, match="delegation does not exist"):
        env.distr.withdraw_delegation_rewards(env.ctx, ALICE.address, v1)


def test_community_pool_fund_and_spend() -> None:
    env = make_env()
    env.bank.mint_coins(env.ctx, "mint", Coins.parse("100uxprt"))
    env.bank.send_coins_from_module_to_account(
        env.ctx, "mint", ALICE.address, Coins.parse("100uxprt")
    )
    env.distr.fund_community_pool(env.ctx, Coins.parse("60uxprt"), ALICE.address)
    assert env.distr.get_community_pool(env.ctx) == DecCoins.parse("60uxprt")
    with pytest.raises(ChainError, match="community pool does not have sufficient coins"):
        env.distr.distribute_from_community_pool(env.ctx, Coins.parse("61uxprt"), BOB.address)
    env.distr.distribute_from_community_pool(env.ctx, Coins.parse("25uxprt"), BOB.address)
    assert env.balance(BOB.address) == Int(25)
    assert env.distr.get_community_pool(env.ctx) == DecCoins.parse("35uxprt")
    env.check_invariants()


def test_begin_block_skips_height_one_and_records_proposer() -> None:
    env = make_env()
    env.collect_fees("5uxprt")
    env.distr.begin_block(env.ctx)
    assert env.balance(env.accounts.get_module_address("fee_collector")) == Int(5)
    assert state.get_previous_proposer(env.ctx.store(state.STORE_NAME)) == b""
