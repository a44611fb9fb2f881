"""Keys, message builders and the SDK's LegacyDec arithmetic (written out on integers, so the
expected numbers of the tests do not come from the code under test)."""

from __future__ import annotations

from typing import Any

from app.pb.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.pb.tendermint.abci import types_pb2 as abci
from tests.chain.helpers import AccountKey
from tests.support.app_chain import AppChain, ucoin, valoper

VAL1 = AccountKey.named("pos-val1")
VAL2 = AccountKey.named("pos-val2")
VAL3 = AccountKey.named("pos-val3")
DEL1 = AccountKey.named("pos-del1")
DEL2 = AccountKey.named("pos-del2")

FUNDS = 1_000_000_000
UNBONDING_SECONDS = 60

PRECISION = 10**18
"""LegacyDec's scale: a Dec is an integer count of 10^-18."""


def dec(whole: int) -> int:
    return whole * PRECISION


def quo_truncate(a: int, b: int) -> int:
    """LegacyDec QuoTruncate (both scaled)."""
    return a * PRECISION // b


def quo_round(a: int, b: int) -> int:
    """LegacyDec Quo (positive operands): a·10^36 ⊘ b truncated, then chopped to 18 decimals
    rounding half to even (``chopPrecisionAndRound``)."""
    quotient, remainder = divmod(a * PRECISION * PRECISION // b, PRECISION)
    if 2 * remainder > PRECISION or (2 * remainder == PRECISION and quotient % 2 == 1):
        return quotient + 1
    return quotient


def mul_int(a: int, n: int) -> int:
    """LegacyDec MulInt: exact."""
    return a * n


def truncate_int(a: int) -> int:
    return a // PRECISION


def staking_state(unbonding: int = UNBONDING_SECONDS, max_validators: int = 100) -> dict[str, Any]:
    return {
        "staking": {
            "params": {
                "unbonding_time": f"{unbonding}s",
                "max_validators": max_validators,
                "max_entries": 7,
                "historical_entries": 0,
                "bond_denom": "uxprt",
                "min_commission_rate": "0",
            }
        }
    }


NO_INFLATION: dict[str, Any] = {
    "mint": {
        "minter": {"inflation": "0", "annual_provisions": "0"},
        "params": {
            "mint_denom": "uxprt",
            "inflation_rate_change": "0",
            "inflation_max": "0",
            "inflation_min": "0",
            "goal_bonded": "0.670000000000000000",
            "blocks_per_year": "6311520",
        },
    }
}
"""Mint genesis minting nothing: balances then move only by the tested transitions."""


def two_validator_chain(**state: Any) -> AppChain:
    """VAL1 bonds 10 000 000 (power 10), VAL2 5 000 000 (power 5); DEL1, DEL2 funded; no
    inflation unless `state` sets a mint section."""
    app_state = {**staking_state(), **NO_INFLATION}
    app_state.update(state)
    return AppChain(
        [(VAL1, 10_000_000), (VAL2, 5_000_000)],
        {DEL1: FUNDS, DEL2: FUNDS},
        app_state,
    )


def delegate(delegator: AccountKey, validator: AccountKey, amount: int) -> staking_tx.MsgDelegate:
    return staking_tx.MsgDelegate(
        delegator_address=delegator.bech32,
        validator_address=valoper(validator),
        amount=ucoin(amount),
    )


def undelegate(
    delegator: AccountKey, validator: AccountKey, amount: int
) -> staking_tx.MsgUndelegate:
    return staking_tx.MsgUndelegate(
        delegator_address=delegator.bech32,
        validator_address=valoper(validator),
        amount=ucoin(amount),
    )


def redelegate(
    delegator: AccountKey, src: AccountKey, dst: AccountKey, amount: int
) -> staking_tx.MsgBeginRedelegate:
    return staking_tx.MsgBeginRedelegate(
        delegator_address=delegator.bech32,
        validator_src_address=valoper(src),
        validator_dst_address=valoper(dst),
        amount=ucoin(amount),
    )


def updates_by_power(response: abci.ResponseFinalizeBlock) -> dict[bytes, int]:
    """The block's validator updates as ed25519 key → power."""
    return {update.pub_key.ed25519: update.power for update in response.validator_updates}


def failed(result: abci.ExecTxResult, codespace: str, code: int) -> bool:
    return (result.codespace, result.code) == (codespace, code)
