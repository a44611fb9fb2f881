"""What mint needs from the other modules' keepers, and nothing more."""

from __future__ import annotations

from typing import Protocol

from app.chain.context import Context
from app.modules.auth.state import Account
from app.types.coin import Coins
from app.types.int import Int


class StakingKeeper(Protocol):
    def bond_denom(self, ctx: Context) -> str: ...

    def total_bonded_tokens(self, ctx: Context) -> Int: ...


class AccountKeeper(Protocol):
    def get_module_account(self, ctx: Context, name: str) -> Account: ...


class BankKeeper(Protocol):
    def get_supply(self, ctx: Context, denom: str) -> Int: ...

    def mint_coins(self, ctx: Context, module: str, amount: Coins) -> None: ...

    def send_coins_from_module_to_module(
        self, ctx: Context, sender_module: str, recipient_module: str, amount: Coins
    ) -> None: ...
