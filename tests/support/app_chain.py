"""An in-process chain for proof-of-stake tests: the real `ChainApplication` and keepers over an
in-memory store, validators made by gentx, real signed txs, blocks driven like CometBFT drives them.

`AppChain` tracks what CometBFT would: the validator set of each height (InitChain's set, then
each FinalizeBlock's updates taking effect two heights later), so the default
``decided_last_commit`` of a block is every validator of the previous height signing; tests pass
``votes=`` (e.g. `absent`) or ``misbehavior=`` to change it. Every committed block is followed by
the invariants (supply = sum of balances, staking's pools and shares, distribution's
can-withdraw, reference counts and module account); a broken one fails the test at that block.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from google.protobuf import timestamp_pb2
from google.protobuf.message import Message

from app.chain.application import ChainApplication
from app.chain.context import BlockContext, Context, ExecMode
from app.chain.kv import ReadOnlyView
from app.chain.wiring import build_chain
from app.crypto import ed25519
from app.modules.distribution.invariants import broken_invariants as distribution_invariants
from app.modules.staking.invariants import all_invariants as staking_invariants
from app.node.gentx import ValidatorSpec, create_validator_msg, gentx_document
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.tendermint.abci import types_pb2 as abci
from app.pb.tendermint.types import params_pb2, validator_pb2
from app.store import MemoryDatabase, MultiStore
from app.types import Coin, Int
from app.types.address import AccAddress, val_to_bech32
from app.types.time import SECOND, Timestamp
from tests.chain.helpers import CHAIN_ID, DENOM, GENESIS_SECONDS, AccountKey, signed
from tests.support.invariants import supply_equals_balances

__all__ = [
    "BLOCK_SECONDS",
    "AppChain",
    "ChainValidator",
    "absent",
    "broken_invariants",
    "consensus_key",
    "duplicate_vote",
    "ucoin",
    "valoper",
]

BLOCK_SECONDS = 5
"""Block time step unless a block asks for another."""

DEFAULT_BALANCE = 1_000_000_000

M = TypeVar("M", bound=Message)


def consensus_key(name: str) -> ed25519.PrivateKey:
    """A deterministic ed25519 consensus key per validator name."""
    return ed25519.PrivateKey(hashlib.sha256(b"cons:" + name.encode()).digest())


def valoper(key: AccountKey) -> str:
    """The operator address of the validator `key` runs."""
    return val_to_bech32(key.address)


def ucoin(amount: int, denom: str = DENOM) -> coin_pb2.Coin:
    return coin_pb2.Coin(denom=denom, amount=str(amount))


@dataclass(frozen=True, slots=True)
class ChainValidator:
    """One CometBFT validator: consensus address, public key and power."""

    address: bytes
    pub_key: bytes
    power: int


VoteFlags = Callable[[bytes], int]
"""The block-id flag each validator (by consensus address) signed the last commit with."""


def absent(*addresses: bytes) -> VoteFlags:
    """The given consensus addresses did not sign; everyone else did."""
    missing = frozenset(addresses)

    def flag(address: bytes) -> int:
        if address in missing:
            return validator_pb2.BLOCK_ID_FLAG_ABSENT
        return validator_pb2.BLOCK_ID_FLAG_COMMIT

    return flag


def duplicate_vote(
    address: bytes, power: int, height: int, seconds: int, total_power: int
) -> abci.Misbehavior:
    """CometBFT's ABCI form of a `DuplicateVoteEvidence` at `height` (block time `seconds`)."""
    return abci.Misbehavior(
        type=abci.DUPLICATE_VOTE,
        validator=abci.Validator(address=address, power=power),
        height=height,
        time=timestamp_pb2.Timestamp(seconds=seconds),
        total_voting_power=total_power,
    )


class AppChain:
    """A chain whose genesis validators are `validators` (key → self-bond, by gentx).

    `balances` funds accounts (key → uxprt amount; every validator key gets `DEFAULT_BALANCE` unless
    listed); `app_state` overrides module genesis sections (merged over the generated ones).
    The chain starts with block 1 committed.
    """

    def __init__(
        self,
        validators: Sequence[tuple[AccountKey, int]],
        balances: Mapping[AccountKey, int] | None = None,
        app_state: Mapping[str, Any] | None = None,
    ) -> None:
        self.app = ChainApplication(MultiStore(MemoryDatabase(), build_chain().store_names))
        self.chain = self.app.chain
        funded = {key: DEFAULT_BALANCE for key, _ in validators}
        funded.update(balances or {})
        bank_balances = [
            {"address": key.bech32, "coins": [{"denom": DENOM, "amount": str(amount)}]}
            for key, amount in funded.items()
        ]
        state: dict[str, Any] = {
            "bank": {"params": {"default_send_enabled": True}, "balances": bank_balances},
            "genutil": {"gen_txs": [self._gentx(key, bond) for key, bond in validators]},
        }
        for name, section in (app_state or {}).items():
            state[name] = {**state.get(name, {}), **section}
        self.seconds = GENESIS_SECONDS
        response = self.app.init_chain(
            abci.RequestInitChain(
                time=timestamp_pb2.Timestamp(seconds=GENESIS_SECONDS),
                chain_id=CHAIN_ID,
                consensus_params=params_pb2.ConsensusParams(
                    block=params_pb2.BlockParams(max_bytes=4_194_304, max_gas=-1)
                ),
                app_state_bytes=json.dumps(state).encode(),
                initial_height=1,
            )
        )
        self.genesis_updates = list(response.validators)
        initial = apply_updates({}, response.validators)
        self.validator_sets: dict[int, dict[bytes, ChainValidator]] = {1: initial, 2: initial}
        self.sequences: dict[bytes, int] = {}
        self.height = 0
        self.last: abci.ResponseFinalizeBlock = abci.ResponseFinalizeBlock()
        self.next_block()

    # ---- txs --------------------------------------------------------------------------------

    def tx(self, key: AccountKey, *messages: Message, fee: str = "", gas: int = 600_000) -> bytes:
        """`messages` signed by `key` with its next sequence (counting the txs it signed for the
        coming block)."""
        account = self.chain.accounts.get_account(self.ctx(), AccAddress(key.address))
        assert account is not None, f"{key.bech32} has no account"
        sequence = self.sequences.get(key.address, account.sequence)
        raw = signed(
            key,
            messages,
            sequence=sequence,
            account_number=account.account_number,
            fee=fee,
            gas=gas,
        )
        self.sequences[key.address] = sequence + 1
        return raw

    def deliver(self, *txs: bytes, **block: Any) -> list[abci.ExecTxResult]:
        """`txs` in the next block; their results."""
        return list(self.next_block(txs, **block).tx_results)

    def exec(self, key: AccountKey, *messages: Message, fee: str = "") -> abci.ExecTxResult:
        """One tx in its own block."""
        return self.deliver(self.tx(key, *messages, fee=fee))[0]

    def ok(self, key: AccountKey, *messages: Message, fee: str = "") -> abci.ExecTxResult:
        """One tx in its own block, which must succeed."""
        result = self.exec(key, *messages, fee=fee)
        assert result.code == 0, f"{result.codespace} {result.code}: {result.log}"
        return result

    # ---- blocks ------------------------------------------------------------------------------

    def next_block(
        self,
        txs: Iterable[bytes] = (),
        *,
        votes: VoteFlags | None = None,
        misbehavior: Sequence[abci.Misbehavior] = (),
        seconds: int = BLOCK_SECONDS,
        proposer: bytes = b"",
    ) -> abci.ResponseFinalizeBlock:
        """Finalize and commit the next block `seconds` after the last, then check invariants.

        ``votes``: None = every validator of the previous height signs; a callable maps a
        consensus address to its block-id flag (see `absent`)."""
        self.height += 1
        self.seconds += seconds
        request = abci.RequestFinalizeBlock(
            txs=list(txs),
            height=self.height,
            time=timestamp_pb2.Timestamp(seconds=self.seconds),
            misbehavior=list(misbehavior),
            proposer_address=proposer,
        )
        if self.height > 1:
            for validator in sorted(self.validator_sets[self.height - 1].values(), key=_by_power):
                flag = votes(validator.address) if votes else validator_pb2.BLOCK_ID_FLAG_COMMIT
                request.decided_last_commit.votes.add(
                    validator=abci.Validator(address=validator.address, power=validator.power),
                    block_id_flag=flag,
                )
        response = self.app.finalize_block(request)
        self.app.commit(abci.RequestCommit())
        # the next tx of each key reads its sequence from the committed account again: a tx
        # refused before its sequence was bumped must not leave the cache ahead
        self.sequences.clear()
        self.validator_sets[self.height + 2] = apply_updates(
            self.validator_sets[self.height + 1], response.validator_updates
        )
        self.last = response
        broken = self.broken_invariants()
        assert broken == [], f"block {self.height}: {broken}"
        return response

    def advance(self, blocks: int, **block: Any) -> None:
        for _ in range(blocks):
            self.next_block(**block)

    def wait(self, seconds: int) -> None:
        """One empty block `seconds` later (to cross a queue's completion time)."""
        self.next_block(seconds=seconds)

    # ---- state -------------------------------------------------------------------------------

    def ctx(self) -> Context:
        """A read-only context over the last committed state."""
        view = self.app.store.query_view(0)
        block = BlockContext(
            height=view.height, time=Timestamp(self.seconds * SECOND), chain_id=CHAIN_ID
        )
        return Context(ReadOnlyView(view), block, ExecMode.QUERY)

    def scratch(self) -> Context:
        """A writable throwaway branch of the committed state (for reads that write, like
        computing rewards through a withdrawal)."""
        block = BlockContext(
            height=self.height + 1, time=Timestamp(self.seconds * SECOND), chain_id=CHAIN_ID
        )
        return Context(self.app.store.check_view(), block, ExecMode.FINALIZE)

    def broken_invariants(self) -> list[str]:
        return broken_invariants(self.app, self.scratch())

    def balance(self, who: AccountKey | bytes, denom: str = DENOM) -> int:
        address = who.address if isinstance(who, AccountKey) else who
        return int(self.chain.bank.get_balance(self.ctx(), AccAddress(address), denom))

    def supply(self, denom: str = DENOM) -> int:
        return int(self.chain.bank.get_supply(self.ctx(), denom))

    def validator(self, key: AccountKey) -> Any:
        validator = self.chain.staking.get_validator(self.ctx(), key.address)
        assert validator is not None
        return validator

    def power_set(self, height: int | None = None) -> dict[bytes, int]:
        """CometBFT's validator set (consensus address → power) at `height` (default: next)."""
        at = self.height + 1 if height is None else height
        return {address: v.power for address, v in self.validator_sets[at].items()}

    def query(self, path: str, request: Message, response_class: type[M]) -> M:
        """A gRPC query against the last committed state; it must succeed."""
        response = self.app.query(abci.RequestQuery(path=path, data=request.SerializeToString()))
        assert response.code == 0, f"{path}: {response.codespace} {response.code} {response.log}"
        return response_class.FromString(response.value)

    # ---- validators --------------------------------------------------------------------------

    @staticmethod
    def _gentx(key: AccountKey, bond: int) -> dict[str, Any]:
        msg = create_validator_msg(
            key.address,
            consensus_key(_name(key)).public_key.key,
            Coin(DENOM, Int(bond)),
            ValidatorSpec(moniker=_name(key)),
        )
        return gentx_document(signed(key, [msg], sequence=0, account_number=0, gas=400_000))

    def create_validator_msg(
        self, key: AccountKey, bond: int, spec: ValidatorSpec | None = None
    ) -> Message:
        """A MsgCreateValidator of `key` with the consensus key of its name."""
        return create_validator_msg(
            key.address,
            consensus_key(_name(key)).public_key.key,
            Coin(DENOM, Int(bond)),
            spec or ValidatorSpec(moniker=_name(key)),
        )

    def cons_of(self, key: AccountKey) -> bytes:
        """The consensus address of the validator `key` runs: sha256(pubkey)[:20]."""
        return hashlib.sha256(consensus_key(_name(key)).public_key.key).digest()[:20]


def broken_invariants(app: ChainApplication, ctx: Context) -> list[str]:
    """Supply = Σ balances; staking's pools and shares; distribution's can-withdraw, reference
    counts and module account — over `ctx` (a writable scratch branch: withdrawals are
    simulated)."""
    return (
        supply_equals_balances(ctx, app.chain)
        + staking_invariants(app.chain.staking, ctx)
        + distribution_invariants(app.chain.distribution, ctx)
    )


def _name(key: AccountKey) -> str:
    """The consensus-key name of a validator key: its account address in hex."""
    return key.address.hex()


def _by_power(validator: ChainValidator) -> tuple[int, bytes]:
    return (-validator.power, validator.address)


def apply_updates(
    current: Mapping[bytes, ChainValidator], updates: Iterable[abci.ValidatorUpdate]
) -> dict[bytes, ChainValidator]:
    """CometBFT's set after `updates`: power 0 removes, any other power sets."""
    validators = dict(current)
    for update in updates:
        pub_key = update.pub_key.ed25519
        address = hashlib.sha256(pub_key).digest()[:20]
        if update.power == 0:
            validators.pop(address, None)
        else:
            validators[address] = ChainValidator(address, pub_key, update.power)
    return validators
