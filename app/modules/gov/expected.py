"""What gov needs from bank, staking and the chain's message router, and nothing more."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from google.protobuf.message import Message

from app.chain.context import Context
from app.chain.kv import KVStore
from app.types.address import AccAddress
from app.types.coin import Coins
from app.types.dec import Dec
from app.types.int import Int


class BankKeeper(Protocol):
    """Deposits go into the gov module account and come back out, or are burned."""

    def send_coins_from_account_to_module(
        self, ctx: Context, sender: AccAddress, module: str, amount: Coins
    ) -> None: ...

    def send_coins_from_module_to_account(
        self, ctx: Context, module: str, recipient: AccAddress, amount: Coins
    ) -> None: ...

    def burn_coins(self, ctx: Context, module: str, amount: Coins) -> None: ...


class Validator(Protocol):
    @property
    def operator(self) -> bytes: ...

    @property
    def tokens(self) -> Int: ...

    @property
    def delegator_shares(self) -> Dec: ...


class Delegation(Protocol):
    @property
    def validator(self) -> bytes: ...

    @property
    def shares(self) -> Dec: ...


class StakingKeeper(Protocol):
    """The bonded set, a delegator's delegations and the bonded total: all a tally reads."""

    def get_bonded_validators_by_power(self, ctx: Context) -> Sequence[Validator]: ...

    def get_delegator_delegations(self, ctx: Context, delegator: bytes) -> Sequence[Delegation]: ...

    def total_bonded_tokens(self, ctx: Context) -> Int: ...


class MessageRouter(Protocol):
    """The chain's message routes, as gov needs them for proposal messages."""

    def is_routed(self, msg: Message) -> bool:
        """Whether some module handles messages of this type."""
        ...

    def signers(self, msg: Message) -> Sequence[bytes]:
        """The addresses that must sign `msg` (raises a `ChainError` when malformed)."""
        ...

    def validate_basic(self, msg: Message) -> None:
        """The message's stateless checks (raises a `ChainError`)."""
        ...

    def execute(self, ctx: Context, msg: Message) -> Message:
        """Run `msg` as a tx message would (checks, signer = gov authority, handler, events)."""
        ...


@runtime_checkable
class BranchableView(Protocol):
    """A state view whose changes can be buffered and then kept or dropped (`CacheView`)."""

    def store(self, name: str) -> KVStore: ...

    def branch(self) -> BranchableView: ...

    def write(self) -> None: ...
