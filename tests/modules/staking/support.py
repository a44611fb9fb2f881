"""A chain with one genesis validator (made by gentx) driven in-process, for staking tests."""

from __future__ import annotations

import hashlib
from typing import Any

from google.protobuf.message import Message

from app.chain.application import ChainApplication
from app.chain.context import BlockContext, Context, ExecMode
from app.chain.kv import ReadOnlyView
from app.crypto import ed25519
from app.modules.staking.invariants import all_invariants
from app.node.gentx import ValidatorSpec, create_validator_msg, gentx_document
from app.pb.tendermint.abci import types_pb2 as abci
from app.types import Coin, Int
from app.types.address import val_to_bech32
from tests.chain.helpers import (
    ALICE,
    BOB,
    CAROL,
    DENOM,
    GENESIS_SECONDS,
    AccountKey,
    genesis_app_state,
    init_chain,
    make_app,
    signed,
)

SELF_BOND = 10_000_000
UNBONDING_SECONDS = 30
BLOCK_SECONDS = 5


def consensus_key(name: str) -> ed25519.PrivateKey:
    return ed25519.PrivateKey(hashlib.sha256(b"cons:" + name.encode()).digest())


def valoper(key: AccountKey) -> str:
    return val_to_bech32(key.address)


def gentx(key: AccountKey, amount: int, name: str) -> dict[str, Any]:
    msg = create_validator_msg(
        key.address,
        consensus_key(name).public_key.key,
        Coin(DENOM, Int(amount)),
        ValidatorSpec(moniker=name),
    )
    return gentx_document(signed(key, [msg], sequence=0, account_number=0, gas=400_000))


class StakingChain:
    """ALICE runs a genesis validator; BOB and CAROL hold funds. Tracks sequences."""

    def __init__(self, extra_state: dict[str, Any] | None = None) -> None:
        self.app: ChainApplication = make_app()
        balances = {
            ALICE.bech32: {DENOM: 100_000_000},
            BOB.bech32: {DENOM: 100_000_000},
            CAROL.bech32: {DENOM: 100_000_000},
        }
        state = genesis_app_state(
            balances,
            staking={"params": _params()},
            genutil={"gen_txs": [gentx(ALICE, SELF_BOND, "alice")]},
            **(extra_state or {}),
        )
        self.init_response = init_chain(self.app, state)
        self.sequences = {ALICE.address: 1, BOB.address: 0, CAROL.address: 0}
        self.height = 0
        self.last: abci.ResponseFinalizeBlock | None = None
        self.block()

    def tx(self, key: AccountKey, *messages: Message, gas: int = 400_000) -> bytes:
        raw = signed(
            key,
            messages,
            sequence=self.sequences[key.address],
            account_number=self.account_number(key),
            gas=gas,
        )
        self.sequences[key.address] += 1
        return raw

    def block(self, *txs: bytes, seconds: int = BLOCK_SECONDS) -> abci.ResponseFinalizeBlock:
        self.height += 1
        response = self.app.finalize_block(
            abci.RequestFinalizeBlock(
                txs=list(txs),
                height=self.height,
                time=_timestamp(GENESIS_SECONDS + self.elapsed + seconds),
            )
        )
        self.elapsed += seconds
        self.app.commit(abci.RequestCommit())
        self.last = response
        broken = all_invariants(self.app.chain.staking, self.ctx())
        assert broken == [], broken
        return response

    elapsed = 0

    def deliver(self, key: AccountKey, *messages: Message) -> abci.ExecTxResult:
        """One tx in its own block; returns its result."""
        return self.block(self.tx(key, *messages)).tx_results[0]

    def account_number(self, key: AccountKey) -> int:
        account = self.app.chain.accounts.get_account(self.ctx(), key.address)
        assert account is not None
        return account.account_number

    def ctx(self) -> Context:
        view = self.app.store.query_view(0)
        block = BlockContext(
            height=view.height, time=_ns(GENESIS_SECONDS + self.elapsed), chain_id="x"
        )
        return Context(ReadOnlyView(view), block, ExecMode.QUERY)

    def balance(self, key: AccountKey) -> int:
        return int(self.app.chain.bank.get_balance(self.ctx(), key.address, DENOM))


def _params() -> dict[str, Any]:
    return {
        "unbonding_time": f"{UNBONDING_SECONDS}s",
        "max_validators": 2,
        "max_entries": 7,
        "historical_entries": 0,
        "bond_denom": DENOM,
        "min_commission_rate": "0",
    }


def _ns(seconds: int) -> Any:
    from app.types.time import SECOND, Timestamp

    return Timestamp(seconds * SECOND)


def _timestamp(seconds: int) -> Any:
    from google.protobuf import timestamp_pb2

    return timestamp_pb2.Timestamp(seconds=seconds)
