"""Gov keeper over real auth/bank and the chain's router, with a fake staking keeper."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.chain.context import BlockContext, Context, ExecMode
from app.chain.errors import ChainError
from app.chain.router import MsgRouter, QueryRouter
from app.chain.wiring import GovMessageRouter
from app.codec import pack_any
from app.modules.auth.keeper import BURNER, MINTER, AccountKeeper
from app.modules.bank.keeper import BankKeeper
from app.modules.bank.module import BankModule
from app.modules.gov.keeper import GovKeeper
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.gov.v1 import gov_pb2
from app.store import MemoryDatabase, MultiStore
from app.types import SECOND, Coins, Dec, Int, Timestamp, acc_to_bech32, module_address
from tests.chain.helpers import ALICE, BOB

GOV = module_address("gov")
HOUR = 3600 * SECOND


@dataclass(frozen=True)
class Val:
    operator: bytes
    tokens: Int
    delegator_shares: Dec


@dataclass(frozen=True)
class Del:
    validator: bytes
    shares: Dec


class FakeStaking:
    """ALICE's operator bytes run the only validator, with all 100 bonded tokens."""

    def get_bonded_validators_by_power(self, ctx: Context) -> list[Val]:
        return [Val(ALICE.address, Int(100), Dec.from_int(100))]

    def get_delegator_delegations(self, ctx: Context, delegator: bytes) -> list[Del]:
        return [Del(ALICE.address, Dec.from_int(100))] if delegator == ALICE.address else []

    def total_bonded_tokens(self, ctx: Context) -> Int:
        return Int(100)


def setup() -> tuple[Context, BankKeeper, GovKeeper]:
    store = MultiStore(MemoryDatabase(), ["acc", "bank", "gov"])
    ctx = Context(store.block_view(), BlockContext(1, Timestamp(0), "t"), ExecMode.FINALIZE)
    accounts = AccountKeeper({"gov": (BURNER,), "mint": (MINTER,)}, GOV)
    bank = BankKeeper(accounts, GOV)
    router = MsgRouter()
    BankModule(bank).register_routes(router, QueryRouter())
    keeper = GovKeeper(bank, FakeStaking(), GovMessageRouter(router, GOV))
    bank.mint_coins(ctx, "mint", Coins.parse("100000000uxprt"))
    bank.send_coins_from_module_to_account(ctx, "mint", ALICE.address, Coins.parse("50000000uxprt"))
    return ctx, bank, keeper


def later(ctx: Context, seconds: int) -> Context:
    return Context(ctx.view, BlockContext(2, Timestamp(seconds * SECOND), "t"), ExecMode.FINALIZE)


def spend_from_gov() -> bank_tx.MsgSend:
    return bank_tx.MsgSend(from_address=acc_to_bech32(GOV), to_address=BOB.bech32, amount=[])


def test_message_not_signed_by_gov_is_rejected() -> None:
    ctx, _, keeper = setup()
    msg = bank_tx.MsgSend(from_address=ALICE.bech32, to_address=BOB.bech32)
    msg.amount.add(denom="uxprt", amount="1")
    with pytest.raises(ChainError) as error:
        keeper.submit_proposal(ctx, [pack_any(msg)], "", "t", "s", ALICE.address, False)
    assert (error.value.codespace, error.value.code) == ("gov", 13)


def test_proposal_passes_executes_and_refunds() -> None:
    ctx, bank, keeper = setup()
    bank.send_coins_from_account_to_module(ctx, ALICE.address, "gov", Coins.parse("7uxprt"))
    msg = spend_from_gov()
    msg.amount.add(denom="uxprt", amount="7")
    proposal = keeper.submit_proposal(ctx, [pack_any(msg)], "", "t", "s", ALICE.address, False)
    assert keeper.add_deposit(ctx, proposal.id, ALICE.address, Coins.parse("10000000uxprt"))
    yes = gov_pb2.WeightedVoteOption(option=gov_pb2.VOTE_OPTION_YES, weight="1")
    keeper.add_vote(ctx, proposal.id, ALICE.address, [yes], "")
    end = later(ctx, 48 * 3600)
    keeper.process_end_block(end)
    settled = keeper.get_proposal(ctx, proposal.id)
    assert settled.status == gov_pb2.PROPOSAL_STATUS_PASSED
    assert settled.final_tally_result.yes_count == "100"
    assert bank.get_balance(ctx, BOB.address, "uxprt") == Int(7)
    assert bank.get_balance(ctx, ALICE.address, "uxprt") == Int(50_000_000 - 7)
    assert [e.type for e in end.events][-1] == "active_proposal"
    with pytest.raises(ChainError) as closed:
        keeper.add_vote(end, proposal.id, ALICE.address, [yes], "")
    assert (closed.value.codespace, closed.value.code) == ("gov", 3)


def test_failed_message_leaves_no_change_and_marks_failed() -> None:
    ctx, bank, keeper = setup()
    msg = spend_from_gov()
    msg.amount.add(denom="uxprt", amount="999")  # gov holds only the deposit
    proposal = keeper.submit_proposal(ctx, [pack_any(msg)], "", "t", "s", ALICE.address, False)
    keeper.add_deposit(ctx, proposal.id, ALICE.address, Coins.parse("10000000uxprt"))
    yes = gov_pb2.WeightedVoteOption(option=gov_pb2.VOTE_OPTION_YES, weight="1")
    keeper.add_vote(ctx, proposal.id, ALICE.address, [yes], "")
    keeper.process_end_block(later(ctx, 48 * 3600))
    settled = keeper.get_proposal(ctx, proposal.id)
    assert settled.status == gov_pb2.PROPOSAL_STATUS_FAILED
    assert "msg 0" in settled.failed_reason
    assert bank.get_balance(ctx, BOB.address, "uxprt") == Int(0)


def test_deposit_period_expiry_drops_and_refunds() -> None:
    ctx, bank, keeper = setup()
    proposal = keeper.submit_proposal(ctx, [], "meta", "t", "s", ALICE.address, False)
    keeper.add_deposit(ctx, proposal.id, ALICE.address, Coins.parse("100000uxprt"))
    assert bank.get_balance(ctx, GOV, "uxprt") == Int(100_000)
    with pytest.raises(ChainError, match="minimum deposit is too small"):
        keeper.add_deposit(ctx, proposal.id, ALICE.address, Coins.parse("1uxprt"))
    end = later(ctx, 48 * 3600)
    keeper.process_end_block(end)
    assert bank.get_balance(ctx, GOV, "uxprt") == Int(0)
    assert [dict(e.attributes).get("proposal_result") for e in end.events][-1] == "proposal_dropped"
    with pytest.raises(ChainError, match="unknown proposal"):
        keeper.get_proposal(ctx, proposal.id)
