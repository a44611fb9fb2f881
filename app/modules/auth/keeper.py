"""The account keeper: accounts, numbers, sequences, public keys and module accounts.

Other modules reach it through the Protocols they declare (bank's ``expected.py``); the ante
chain uses it for signers. Module accounts are declared once, at wiring, with their permissions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from app.chain.context import Context
from app.chain.errors import InvariantViolation
from app.modules.auth import state
from app.modules.auth.state import Account, Params
from app.types.address import AccAddress, module_address

__all__ = ["BURNER", "MINTER", "STAKING", "AccountKeeper"]

MINTER = "minter"
"""Permission to mint coins into the module account."""
BURNER = "burner"
"""Permission to burn coins held by the module account."""
STAKING = "staking"
"""Permission to hold bonded or unbonding stake (staking pools)."""


class AccountKeeper:
    """Accounts of store ``acc``; `module_permissions` declares every module account."""

    def __init__(self, module_permissions: Mapping[str, tuple[str, ...]], authority: AccAddress):
        self.authority = authority
        self._permissions = dict(sorted(module_permissions.items()))
        self._module_by_address = {module_address(name): name for name in self._permissions}

    # ---- accounts ------------------------------------------------------------------------------

    def get_account(self, ctx: Context, address: AccAddress) -> Account | None:
        """The account at `address`, or None."""
        return state.get_account(ctx.store(state.STORE_NAME), address)

    def has_account(self, ctx: Context, address: AccAddress) -> bool:
        return ctx.store(state.STORE_NAME).has(state.account_key(address))

    def set_account(self, ctx: Context, account: Account) -> None:
        state.set_account(ctx.store(state.STORE_NAME), account)

    def create_account(self, ctx: Context, address: AccAddress) -> Account:
        """Store a new user account at `address` with the next global account number."""
        account = Account(address, self._take_account_number(ctx))
        self.set_account(ctx, account)
        return account

    def iterate_accounts(self, ctx: Context) -> Iterator[Account]:
        """Every account, in address order."""
        return state.iterate_accounts(ctx.store(state.STORE_NAME))

    def increase_sequence(self, ctx: Context, account: Account) -> Account:
        """Store `account` with its sequence one higher; return the new record."""
        updated = replace(account, sequence=account.sequence + 1)
        self.set_account(ctx, updated)
        return updated

    def _take_account_number(self, ctx: Context) -> int:
        store = ctx.store(state.STORE_NAME)
        number = state.get_next_account_number(store)
        state.set_next_account_number(store, number + 1)
        return number

    def next_account_number(self, ctx: Context) -> int:
        """The number the next new account will receive."""
        return state.get_next_account_number(ctx.store(state.STORE_NAME))

    def set_next_account_number(self, ctx: Context, number: int) -> None:
        state.set_next_account_number(ctx.store(state.STORE_NAME), number)

    # ---- module accounts -----------------------------------------------------------------------

    def module_names(self) -> tuple[str, ...]:
        """Every declared module account name, sorted."""
        return tuple(self._permissions)

    def get_module_address(self, name: str) -> AccAddress:
        """sha256(name)[:20]; raises `InvariantViolation` for an undeclared module."""
        if name not in self._permissions:
            raise InvariantViolation(f"module account {name} is not declared")
        return module_address(name)

    def module_name_of(self, address: AccAddress) -> str | None:
        """The declared module whose account is `address`, or None."""
        return self._module_by_address.get(address)

    def permissions(self, name: str) -> tuple[str, ...]:
        """Permissions declared for module account `name`."""
        if name not in self._permissions:
            raise InvariantViolation(f"module account {name} is not declared")
        return self._permissions[name]

    def get_module_account(self, ctx: Context, name: str) -> Account:
        """The account of module `name`, created (with the next number) on first use."""
        address = self.get_module_address(name)
        account = self.get_account(ctx, address)
        if account is not None:
            if not account.is_module_account:
                raise InvariantViolation(f"account {address.hex()} of module {name} is a user's")
            return account
        account = Account(
            address,
            self._take_account_number(ctx),
            module_name=name,
            permissions=self._permissions[name],
        )
        self.set_account(ctx, account)
        return account

    # ---- params --------------------------------------------------------------------------------

    def get_params(self, ctx: Context) -> Params:
        return state.get_params(ctx.store(state.STORE_NAME))

    def set_params(self, ctx: Context, params: Params) -> None:
        state.set_params(ctx.store(state.STORE_NAME), params)
