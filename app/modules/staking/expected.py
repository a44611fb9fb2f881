"""What staking needs from auth and bank (``x/staking/types/expected_keepers.go``)."""

from __future__ import annotations

from typing import Protocol

from app.chain.context import Context
from app.types.address import AccAddress
from app.types.coin import Coins
from app.types.int import Int


class AccountKeeper(Protocol):
    def get_module_address(self, name: str) -> AccAddress: ...


class BankKeeper(Protocol):
    def get_balance(self, ctx: Context, address: AccAddress, denom: str) -> Int: ...

    def send_coins(
        self, ctx: Context, sender: AccAddress, recipient: AccAddress, amount: Coins
    ) -> None: ...

    def send_coins_from_account_to_module(
        self, ctx: Context, sender: AccAddress, module: str, amount: Coins
    ) -> None: ...

    def send_coins_from_module_to_module(
        self, ctx: Context, sender_module: str, recipient_module: str, amount: Coins
    ) -> None: ...

    def burn_coins(self, ctx: Context, module: str, amount: Coins) -> None: ...
