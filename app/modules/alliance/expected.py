"""What the alliance keeper calls on other modules, and nothing more (``keeper_interfaces.go``).

Records of x/staking (`Validator`, `Delegation`, `BondStatus`) are shared as data; behaviour is
reached only through these Protocols, wired once in `app.chain.wiring`.
"""

from __future__ import annotations

from typing import Protocol

from app.chain.context import Context
from app.modules.staking.types import BondStatus, Delegation, Validator
from app.types.address import AccAddress
from app.types.coin import Coins, DecCoins
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import Duration

__all__ = ["AccountKeeper", "BankKeeper", "DistributionKeeper", "StakingKeeper"]


class AccountKeeper(Protocol):
    """Module account addresses."""

    def get_module_address(self, name: str) -> AccAddress: ...


class BankKeeper(Protocol):
    """Balances, module sends, mint and burn."""

    def get_balance(self, ctx: Context, address: AccAddress, denom: str) -> Int: ...

    def get_all_balances(self, ctx: Context, address: AccAddress) -> Coins: ...

    def send_coins_from_account_to_module(
        self, ctx: Context, sender: AccAddress, module: str, amount: Coins
    ) -> None: ...

    def send_coins_from_module_to_account(
        self, ctx: Context, module: str, recipient: AccAddress, amount: Coins
    ) -> None: ...

    def send_coins_from_module_to_module(
        self, ctx: Context, sender_module: str, recipient_module: str, amount: Coins
    ) -> None: ...

    def mint_coins(self, ctx: Context, module: str, amount: Coins) -> None: ...

    def burn_coins(self, ctx: Context, module: str, amount: Coins) -> None: ...


class StakingKeeper(Protocol):
    """Validators, the module's own delegations, and the bonded pool."""

    def bond_denom(self, ctx: Context) -> str: ...

    def unbonding_time(self, ctx: Context) -> Duration: ...

    def get_validator(self, ctx: Context, operator: bytes) -> Validator | None: ...

    def get_delegation(
        self, ctx: Context, delegator: bytes, operator: bytes
    ) -> Delegation | None: ...

    def get_delegator_delegations(self, ctx: Context, delegator: bytes) -> list[Delegation]: ...

    def total_bonded_tokens(self, ctx: Context) -> Int: ...

    def delegate(
        self,
        ctx: Context,
        delegator: bytes,
        amount: Int,
        token_source: BondStatus,
        validator: Validator,
        subtract_account: bool,
    ) -> Dec: ...

    def validate_unbond_amount(
        self, ctx: Context, delegator: bytes, operator: bytes, amount: Int
    ) -> Dec: ...

    def unbond(self, ctx: Context, delegator: bytes, operator: bytes, shares: Dec) -> Int: ...

    def burn_bonded_tokens(self, ctx: Context, amount: Int) -> None: ...


class DistributionKeeper(Protocol):
    """The F1 rewards of the module's virtual stake."""

    def withdraw_delegation_rewards(
        self, ctx: Context, delegator: bytes, operator: bytes
    ) -> Coins: ...

    def delegation_rewards(self, ctx: Context, delegator: bytes, operator: bytes) -> DecCoins: ...
