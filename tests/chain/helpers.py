"""Shared test helpers: deterministic keys, a genesis, signed sends, and block driving."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from google.protobuf import timestamp_pb2
from google.protobuf.message import Message

from app.chain.application import ChainApplication
from app.chain.wiring import build_chain
from app.crypto.secp256k1 import PrivateKey
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.tendermint.abci import types_pb2 as abci
from app.pb.tendermint.types import params_pb2
from app.store import Database, MemoryDatabase, MultiStore
from app.tx import Signer, build_signed_tx
from app.types import Coins, acc_to_bech32

CHAIN_ID = "persistence-devnet-1"
DENOM = "uxprt"
GENESIS_SECONDS = 1_700_000_000


@dataclass(frozen=True)
class AccountKey:
    """A deterministic secp256k1 account key."""

    private: PrivateKey

    @classmethod
    def named(cls, name: str) -> AccountKey:
        return cls(PrivateKey(hashlib.sha256(name.encode()).digest()))

    @property
    def public_key(self) -> bytes:
        return self.private.public_key.key

    @property
    def address(self) -> bytes:
        return self.private.public_key.address()

    @property
    def bech32(self) -> str:
        return acc_to_bech32(self.address)

    @property
    def signer(self) -> Signer:
        return Signer(public_key=self.public_key, sign=self.private.sign)


ALICE = AccountKey.named("alice")
BOB = AccountKey.named("bob")
CAROL = AccountKey.named("carol")


def coin(amount: int | str, denom: str = DENOM) -> coin_pb2.Coin:
    return coin_pb2.Coin(denom=denom, amount=str(amount))


def genesis_app_state(
    balances: dict[str, dict[str, int]] | None = None, **extra: Any
) -> dict[str, Any]:
    """An app_state funding `balances` (bech32 → denom → amount); accounts are implied."""
    balances = (
        balances
        if balances is not None
        else {
            ALICE.bech32: {DENOM: 1_000_000, "stake": 500},
            BOB.bech32: {DENOM: 1_000_000},
        }
    )
    bank_balances = [
        {
            "address": address,
            "coins": [{"denom": d, "amount": str(a)} for d, a in sorted(coins.items())],
        }
        for address, coins in balances.items()
    ]
    state: dict[str, Any] = {
        "bank": {"params": {"default_send_enabled": True}, "balances": bank_balances}
    }
    state.update(extra)
    return state


def make_app(db: Database | None = None, **kwargs: Any) -> ChainApplication:
    chain = build_chain()
    store = MultiStore(db if db is not None else MemoryDatabase(), chain.store_names)
    return ChainApplication(store, chain=chain, **kwargs)


def init_chain(
    app: ChainApplication, app_state: dict[str, Any] | None = None, *, max_gas: int = -1
) -> abci.ResponseInitChain:
    import json

    state = app_state if app_state is not None else genesis_app_state()
    return app.init_chain(
        abci.RequestInitChain(
            time=timestamp_pb2.Timestamp(seconds=GENESIS_SECONDS),
            chain_id=CHAIN_ID,
            consensus_params=params_pb2.ConsensusParams(
                block=params_pb2.BlockParams(max_bytes=4_194_304, max_gas=max_gas)
            ),
            app_state_bytes=json.dumps(state).encode(),
            initial_height=1,
        )
    )


def finalize(
    app: ChainApplication, txs: Sequence[bytes], height: int
) -> abci.ResponseFinalizeBlock:
    return app.finalize_block(
        abci.RequestFinalizeBlock(
            txs=list(txs),
            height=height,
            time=timestamp_pb2.Timestamp(seconds=GENESIS_SECONDS + 5 * height),
        )
    )


def run_block(app: ChainApplication, txs: Sequence[bytes]) -> abci.ResponseFinalizeBlock:
    """Finalize and commit the next block."""
    response = finalize(app, txs, app.store.last_height + 1)
    app.commit(abci.RequestCommit())
    return response


def signed(
    key: AccountKey,
    messages: Sequence[Message],
    *,
    sequence: int,
    account_number: int,
    fee: str = "",
    gas: int = 200_000,
    chain_id: str = CHAIN_ID,
    memo: str = "",
    timeout_height: int = 0,
) -> bytes:
    return build_signed_tx(
        messages,
        key.signer,
        chain_id=chain_id,
        account_number=account_number,
        sequence=sequence,
        fee=Coins.parse(fee),
        gas_limit=gas,
        memo=memo,
        timeout_height=timeout_height,
    )


def send_msg(
    sender: AccountKey, recipient: str, amount: Sequence[coin_pb2.Coin]
) -> bank_tx.MsgSend:
    return bank_tx.MsgSend(from_address=sender.bech32, to_address=recipient, amount=list(amount))


def check(app: ChainApplication, raw: bytes, recheck: bool = False) -> abci.ResponseCheckTx:
    kind = abci.RECHECK if recheck else abci.NEW
    return app.check_tx(abci.RequestCheckTx(tx=raw, type=kind))


def query(
    app: ChainApplication, path: str, request: Message, height: int = 0
) -> abci.ResponseQuery:
    return app.query(abci.RequestQuery(path=path, data=request.SerializeToString(), height=height))
