"""What bank needs from the account keeper (auth), and nothing more."""

from __future__ import annotations

from typing import Protocol

from app.chain.context import Context
from app.modules.auth.state import Account
from app.types.address import AccAddress


class AccountKeeper(Protocol):
    """Account existence and creation, module account addresses and permissions."""

    def has_account(self, ctx: Context, address: AccAddress) -> bool: ...

    def create_account(self, ctx: Context, address: AccAddress) -> Account: ...

    def get_module_address(self, name: str) -> AccAddress: ...

    def get_module_account(self, ctx: Context, name: str) -> Account: ...

    def module_name_of(self, address: AccAddress) -> str | None: ...

    def permissions(self, name: str) -> tuple[str, ...]: ...
