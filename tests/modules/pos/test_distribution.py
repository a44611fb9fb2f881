"""Distribution and mint through the real application: fees and provisions allocated in
BeginBlock by the previous commit's votes, commission, F1 withdrawals exact to the SDK."""

from __future__ import annotations

from dataclasses import replace

from app.chain.context import Context
from app.modules.distribution import state as dist_state
from app.modules.staking.types import BondStatus
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.distribution.v1beta1 import tx_pb2 as dist_tx
from app.types import Coins, Dec, DecCoins, Int
from app.types.address import module_address
from tests.chain.helpers import AccountKey
from tests.modules.pos.support import (
    DEL1,
    DEL2,
    FUNDS,
    PRECISION,
    VAL1,
    VAL2,
    delegate,
    quo_round,
    two_validator_chain,
)
from tests.support.app_chain import AppChain, ucoin, valoper

DENOM = "uxprt"
FEE_COLLECTOR = module_address("fee_collector")
DISTRIBUTION = module_address("distribution")


def dec_text(scaled: int) -> Dec:
    return Dec.from_scaled(scaled)


def outstanding(chain: AppChain, key: AccountKey) -> Dec:
    store = chain.ctx().store("distribution")
    return dist_state.get_outstanding(store, key.address).amount_of(DENOM)


def commission(chain: AppChain, key: AccountKey) -> Dec:
    store = chain.ctx().store("distribution")
    return dist_state.get_commission(store, key.address).amount_of(DENOM)


def pay_fee(chain: AppChain, fee: int) -> bytes:
    send = bank_tx.MsgSend(from_address=DEL2.bech32, to_address=DEL1.bech32, amount=[ucoin(1)])
    return chain.tx(DEL2, send, fee=f"{fee}{DENOM}")


def test_fees_split_by_previous_commit_power_commission_and_withdrawals() -> None:
    """Fees of 1000uxprt, community tax 2%, VAL1 power 10 of 15 at the previous commit (VAL2
    grows to 10 in the fee block, which must not count yet), commission 10%:

    to voters      1000 ⊗trunc 0.98                          = 980
    VAL1 fraction  10 ⊘trunc 15                              = 0.666666666666666666
    VAL1 reward    980 ⊗trunc 0.666666666666666666           = 653.333333333333332680
    VAL2 fraction  5 ⊘trunc 15                               = 0.333333333333333333
    VAL2 reward    980 ⊗trunc 0.333333333333333333           = 326.666666666666666340
    pool           1000 − 653.33…32680 − 326.66…66340        = 20.000000000000000980
    VAL1 comm.     653.333333333333332680 ⊗ 0.1              = 65.333333333333333268
    VAL1 shared    653.33…32680 − 65.33…33268                = 587.999999999999999412
    ratio          587.999999999999999412 ⊘trunc 10 000 000  = 0.000058799999999999
    self reward    10 000 000 ⊗trunc ratio                   = 587.999999999990000000
    paid           trunc → 587, remainder 0.99999999999 to the pool
    commission     trunc(65.333333333333333268) → 65, 0.333333333333333268 stays
    """
    chain = two_validator_chain()
    chain.deliver(pay_fee(chain, 1000), chain.tx(DEL1, delegate(DEL1, VAL2, 5_000_000)))
    assert chain.balance(FEE_COLLECTOR) == 1000
    chain.next_block()
    assert chain.balance(FEE_COLLECTOR) == 0
    assert outstanding(chain, VAL1) == dec_text(653_333333333333332680)
    assert commission(chain, VAL1) == dec_text(65_333333333333333268)
    assert outstanding(chain, VAL2) == dec_text(326_666666666666666340)
    assert commission(chain, VAL2) == dec_text(32_666666666666666634)
    pool = chain.chain.distribution.get_community_pool(chain.ctx())
    assert pool.amount_of(DENOM) == dec_text(20_000000000000000980)
    rewards = chain.chain.distribution.delegation_rewards(chain.ctx(), VAL1.address, VAL1.address)
    assert rewards.amount_of(DENOM) == dec_text(587_999999999990000000)

    before = chain.balance(VAL1)
    chain.ok(
        VAL1,
        dist_tx.MsgWithdrawDelegatorReward(
            delegator_address=VAL1.bech32, validator_address=valoper(VAL1)
        ),
    )
    assert chain.balance(VAL1) == before + 587
    pool = chain.chain.distribution.get_community_pool(chain.ctx())
    assert pool.amount_of(DENOM) == dec_text(20_999999999990000980)
    chain.ok(VAL1, dist_tx.MsgWithdrawValidatorCommission(validator_address=valoper(VAL1)))
    assert chain.balance(VAL1) == before + 587 + 65
    assert commission(chain, VAL1) == dec_text(333333333333333268)
    # 653.333333333333332680 − 587.99999999999 − 65
    assert outstanding(chain, VAL1) == dec_text(333333333343332680)
    # nothing whole left: both withdrawals succeed and pay nothing (the change stays)
    chain.ok(
        VAL1,
        dist_tx.MsgWithdrawDelegatorReward(
            delegator_address=VAL1.bech32, validator_address=valoper(VAL1)
        ),
    )
    assert chain.balance(VAL1) == before + 652
    chain.ok(VAL1, dist_tx.MsgWithdrawValidatorCommission(validator_address=valoper(VAL1)))
    assert chain.balance(VAL1) == before + 652
    assert commission(chain, VAL1) == dec_text(333333333333333268)


def test_delegators_share_by_stake_and_a_delegation_change_withdraws() -> None:
    """DEL1 holds 5 000 000 of VAL2's 10 000 000 tokens when 1000uxprt of fees arrive with VAL2
    alone voting... both vote: VAL2 reward 980 ⊗trunc (10 ⊘trunc 20 = 0.5) = 490, commission
    49, shared 441, ratio 441 ⊘trunc 10^7 = 0.0000441; DEL1 earns 5·10^6 ⊗ ratio = 220.5 → 220
    when its delegation changes (the SDK withdraws before modifying shares)."""
    chain = two_validator_chain()
    chain.ok(DEL1, delegate(DEL1, VAL2, 5_000_000))
    chain.advance(2)  # the set now has VAL1 10, VAL2 10
    chain.deliver(pay_fee(chain, 1000))
    chain.next_block()
    assert outstanding(chain, VAL2) == dec_text(490 * PRECISION)
    before = chain.balance(DEL1)
    chain.ok(DEL1, delegate(DEL1, VAL2, 1_000_000))
    assert chain.balance(DEL1) == before - 1_000_000 + 220


def test_mint_provisions_follow_the_sdk_formula_and_reach_distribution() -> None:
    """Block 1 mints with inflation 0.13, bonded 15 000 000 of 4 000 000 000:
    ratio = 15e6 ⊘ᵢ 4e9; inflation += (1 − ratio ⊘ 0.67) ⊗ 0.13 ⊘ 6 311 520;
    provisions = inflation ⊗ᵢ supply; minted = trunc(provisions ⊘ᵢ 6 311 520)."""
    chain = AppChain([(VAL1, 10_000_000), (VAL2, 5_000_000)], {DEL1: FUNDS, DEL2: FUNDS})
    supply = 4_000_000_000
    ratio = 15_000_000 * PRECISION // supply
    change_per_year = _mul(PRECISION - quo_round(ratio, 670000000000000000), 130000000000000000)
    inflation = 130000000000000000 + quo_round(change_per_year, 6_311_520 * PRECISION)
    provisions = inflation * supply
    minted = provisions // 6_311_520 // PRECISION
    [event] = [e for e in chain.last.events if e.type == "mint"]
    attributes = {a.key: a.value for a in event.attributes}
    assert int(attributes["amount"]) == minted
    assert chain.balance(FEE_COLLECTOR) == minted
    assert chain.supply() == supply + minted
    chain.next_block()
    second = chain.supply() - supply - minted
    assert chain.balance(FEE_COLLECTOR) == 0
    assert chain.balance(DISTRIBUTION) == minted + second


def test_a_module_account_delegates_and_withdraws_its_rewards() -> None:
    chain = two_validator_chain()
    ctx = chain.scratch()
    keeper = chain.chain
    module = module_address("mint")
    keeper.bank.mint_coins(ctx, "mint", _coins(2_000_000))
    validator = keeper.staking.get_validator(ctx, VAL1.address)
    assert validator is not None
    keeper.staking.delegate(ctx, module, Int(2_000_000), BondStatus.UNBONDED, validator, True)
    # a delegation earns nothing in the block it starts (the SDK's rule): go one block on
    ctx = Context(ctx.view, replace(ctx.block, height=ctx.block.height + 1), ctx.mode)
    keeper.bank.mint_coins(ctx, "mint", _coins(1_200))
    keeper.bank.send_coins_from_module_to_module(ctx, "mint", "distribution", _coins(1_200))
    validator = keeper.staking.get_validator(ctx, VAL1.address)
    assert validator is not None
    keeper.distribution.allocate_tokens_to_validator(
        ctx, validator, DecCoins.from_coins(_coins(1_200))
    )
    # 1200 − 10% = 1080 shared over 12 000 000 tokens: ratio 0.00009, the module's 2e6 → 180
    rewards = keeper.distribution.withdraw_delegation_rewards(ctx, module, VAL1.address)
    assert rewards.amount_of(DENOM) == Int(180)
    assert keeper.bank.get_balance(ctx, module, DENOM) == Int(180)


def _mul(a: int, b: int) -> int:
    """LegacyDec Mul (positive): a·b chopped to 18 decimals, half to even."""
    quotient, remainder = divmod(a * b, PRECISION)
    if 2 * remainder > PRECISION or (2 * remainder == PRECISION and quotient % 2 == 1):
        return quotient + 1
    return quotient


def _coins(amount: int) -> Coins:
    return Coins.parse(f"{amount}{DENOM}")
