"""What distribution needs from the other modules' keepers, and nothing more.

The staking records are described structurally so the real `app.modules.staking.types`
records (frozen dataclasses) and small test fakes both fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from app.chain.context import Context
from app.modules.auth.state import Account
from app.types.address import AccAddress
from app.types.coin import Coins
from app.types.dec import Dec
from app.types.int import Int

__all__ = [
    "AccountKeeper",
    "BankKeeper",
    "CommissionLike",
    "DelegationLike",
    "StakingKeeper",
    "ValidatorLike",
]


class CommissionLike(Protocol):
    @property
    def rate(self) -> Dec: ...


class ValidatorLike(Protocol):
    """The parts of a staking `Validator` the reward accounting reads."""

    @property
    def operator(self) -> bytes: ...

    @property
    def tokens(self) -> Int: ...

    @property
    def commission(self) -> CommissionLike: ...

    def tokens_from_shares(self, shares: Dec) -> Dec: ...

    def tokens_from_shares_truncated(self, shares: Dec) -> Dec: ...


class DelegationLike(Protocol):
    @property
    def delegator(self) -> bytes: ...

    @property
    def validator(self) -> bytes: ...

    @property
    def shares(self) -> Dec: ...


class StakingKeeper(Protocol):
    """Validators and delegations, as the staking keeper of the PoS contract exposes them."""

    def get_validator(self, ctx: Context, operator: bytes) -> ValidatorLike | None: ...

    def get_validator_by_cons_addr(self, ctx: Context, cons: bytes) -> ValidatorLike | None: ...

    def get_all_validators(self, ctx: Context) -> Sequence[ValidatorLike]: ...

    def get_delegation(
        self, ctx: Context, delegator: bytes, operator: bytes
    ) -> DelegationLike | None: ...

    def get_delegator_delegations(
        self, ctx: Context, delegator: bytes
    ) -> Sequence[DelegationLike]: ...

    def get_validator_delegations(
        self, ctx: Context, operator: bytes
    ) -> Sequence[DelegationLike]: ...

    def bond_denom(self, ctx: Context) -> str: ...


class AccountKeeper(Protocol):
    def get_module_address(self, name: str) -> AccAddress: ...

    def get_module_account(self, ctx: Context, name: str) -> Account: ...


class BankKeeper(Protocol):
    def get_all_balances(self, ctx: Context, address: AccAddress) -> Coins: ...

    def send_coins(
        self, ctx: Context, sender: AccAddress, recipient: AccAddress, amount: Coins
    ) -> None: ...

    def send_coins_from_account_to_module(
        self, ctx: Context, sender: AccAddress, module: str, amount: Coins
    ) -> None: ...

    def send_coins_from_module_to_module(
        self, ctx: Context, sender_module: str, recipient_module: str, amount: Coins
    ) -> None: ...

    def is_blocked(self, address: AccAddress) -> bool: ...
