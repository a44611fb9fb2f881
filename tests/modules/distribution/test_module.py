from __future__ import annotations

import pytest

from app.chain.errors import ChainError, InvariantViolation
from app.modules.distribution import genesis, msgs, queries, state
from app.pb.cosmos.distribution.v1beta1 import query_pb2, tx_pb2
from app.types import Coins, acc_to_bech32, module_address, val_to_bech32
from tests.chain.helpers import ALICE, BOB
from tests.modules.distribution.support import make_env, vote


def active_env():
    env = make_env(community_tax="0.02")
    v1 = env.staking.create_validator(env.ctx, 1, rate="0.1")
    env.staking.delegate(env.ctx, ALICE.address, v1, 3_000)
    env.staking.delegate(env.ctx, BOB.address, v1, 1_000)
    env.collect_fees("1001uxprt")
    env.at_height(2)
    env.distr.allocate_tokens(env.ctx, 4, [vote(1, 4)])
    env.at_height(3)
    env.staking.slash(env.ctx, v1, "0.05")
    env.distr.set_withdraw_addr(env.ctx, BOB.address, ALICE.address)
    env.at_height(4)
    return env, v1


def test_messages_route_to_the_keeper() -> None:
    env, v1 = active_env()
    reply = msgs.handle_withdraw_reward(
        env.distr,
        env.ctx,
        tx_pb2.MsgWithdrawDelegatorReward(
            delegator_address=ALICE.bech32, validator_address=val_to_bech32(v1)
        ),
    )
    assert [(c.denom, c.amount) for c in reply.amount] == [("uxprt", "662")]
    commission = msgs.handle_withdraw_commission(
        env.distr,
        env.ctx,
        tx_pb2.MsgWithdrawValidatorCommission(validator_address=val_to_bech32(v1)),
    )
    assert [(c.denom, c.amount) for c in commission.amount] == [("uxprt", "98")]
    assert msgs.signers_of_withdraw_commission(
        tx_pb2.MsgWithdrawValidatorCommission(validator_address=val_to_bech32(v1))
    ) == [v1]
    with pytest.raises(ChainError, match="invalid validator address"):
        msgs.validate_withdraw_reward(
            tx_pb2.MsgWithdrawDelegatorReward(
                delegator_address=ALICE.bech32, validator_address=ALICE.bech32
            )
        )
    bad = state.Params(community_tax=state.Dec.from_str("1.5")).to_proto()
    with pytest.raises(ChainError, match="community tax too large"):
        msgs.validate_update_params(
            tx_pb2.MsgUpdateParams(authority=acc_to_bech32(module_address("gov")), params=bad)
        )
    with pytest.raises(ChainError, match="invalid authority"):
        msgs.handle_community_pool_spend(
            env.distr,
            env.ctx,
            tx_pb2.MsgCommunityPoolSpend(authority=ALICE.bech32, recipient=BOB.bech32),
        )
    env.check_invariants()


def test_queries_match_what_withdrawal_pays() -> None:
    env, v1 = active_env()
    request = query_pb2.QueryDelegationTotalRewardsRequest(delegator_address=ALICE.bech32)
    total = queries.query_delegation_total_rewards(env.distr, env.ctx, request)
    assert [r.validator_address for r in total.rewards] == [val_to_bech32(v1)]
    owed = state.DecCoins.from_proto(total.total)
    paid = env.distr.withdraw_delegation_rewards(env.ctx, ALICE.address, v1)
    assert owed.truncate_decimal()[0] == paid
    slashes = queries.query_validator_slashes(
        env.distr,
        env.ctx,
        query_pb2.QueryValidatorSlashesRequest(
            validator_address=val_to_bech32(v1), starting_height=1, ending_height=10
        ),
    )
    assert len(slashes.slashes) == 1
    withdraw = queries.query_delegator_withdraw_address(
        env.distr,
        env.ctx,
        query_pb2.QueryDelegatorWithdrawAddressRequest(delegator_address=BOB.bech32),
    )
    assert withdraw.withdraw_address == ALICE.bech32
    with pytest.raises(ChainError, match="validator does not exist"):
        queries.query_validator_commission(
            env.distr,
            env.ctx,
            query_pb2.QueryValidatorCommissionRequest(
                validator_address=val_to_bech32(b"\x09" * 20)
            ),
        )


def test_genesis_round_trip_and_balance_check() -> None:
    env, _ = active_env()
    exported = genesis.export_genesis(env.distr, env.ctx)
    fresh = make_env()
    with pytest.raises(InvariantViolation, match="does not match the module holdings"):
        genesis.init_genesis(fresh.distr, fresh.ctx, exported)
    fresh = make_env()
    held = env.bank.get_all_balances(env.ctx, module_address("distribution"))
    fresh.bank.mint_coins(fresh.ctx, "mint", held)
    fresh.bank.send_coins_from_module_to_module(fresh.ctx, "mint", "distribution", held)
    genesis.init_genesis(fresh.distr, fresh.ctx, exported)
    assert genesis.export_genesis(fresh.distr, fresh.ctx) == exported
    assert exported["params"]["community_tax"] == "0.020000000000000000"
    assert held == Coins.parse(f"{held}")
