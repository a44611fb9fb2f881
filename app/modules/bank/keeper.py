"""The bank keeper: balances and supply, the sends between accounts and modules, mint and burn.

Every send moves coins in two steps, as the SDK's ``SendCoins``: subtract from the sender
(``coin_spent``; insufficient funds fail before anything changes), then add to the recipient
(``coin_received``, creating its account on first receipt). Supply changes only by mint and burn.
Module accounts are blocked recipients for user sends; module-to-module and module-to-account
transfers are how other modules move funds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from app.chain.addresses import format_acc_address
from app.chain.context import Context
from app.chain.errors import ErrInsufficientFunds, ErrUnauthorized
from app.modules.auth.keeper import BURNER, MINTER
from app.modules.bank import events, state
from app.modules.bank.errors import ErrSendDisabled
from app.modules.bank.expected import AccountKeeper
from app.modules.bank.state import Params
from app.types.address import AccAddress
from app.types.coin import Coin, Coins
from app.types.int import Int

__all__ = ["BankKeeper"]


class BankKeeper:
    """Balances of store ``bank``; `accounts` is auth's keeper, `authority` the gov account."""

    def __init__(self, accounts: AccountKeeper, authority: AccAddress) -> None:
        self.accounts = accounts
        self.authority = authority
        self._supply_offsets: list[Callable[[Context, str], Int]] = []

    def add_supply_offset(self, offset: Callable[[Context, str], Int]) -> None:
        """Register an amount of a denom that the supply *queries* leave out (wiring only):
        the reference app hides the alliance module's virtual stake this way. The keepers'
        own supply stays raw."""
        self._supply_offsets.append(offset)

    def get_reported_supply(self, ctx: Context, denom: str) -> Int:
        """Supply of `denom` as the SupplyOf / TotalSupply queries report it: raw supply less
        the registered offsets."""
        supply = self.get_supply(ctx, denom)
        for offset in self._supply_offsets:
            supply = supply - offset(ctx, denom)
        return supply

    # ---- reads ---------------------------------------------------------------------------------

    def get_balance(self, ctx: Context, address: AccAddress, denom: str) -> Int:
        """The amount of `denom` held by `address` (zero when none)."""
        return state.get_balance(ctx.store(state.STORE_NAME), address, denom)

    def get_all_balances(self, ctx: Context, address: AccAddress) -> Coins:
        """Every balance of `address`."""
        return Coins(state.iterate_balances(ctx.store(state.STORE_NAME), address))

    def spendable_coins(self, ctx: Context, address: AccAddress) -> Coins:
        """What `address` can send: all its balances (this chain has no vesting or locks)."""
        return self.get_all_balances(ctx, address)

    def get_supply(self, ctx: Context, denom: str) -> Int:
        """Total supply of `denom`."""
        return state.get_supply(ctx.store(state.STORE_NAME), denom)

    def iterate_total_supply(self, ctx: Context) -> Iterator[Coin]:
        return state.iterate_supply(ctx.store(state.STORE_NAME))

    def is_blocked(self, address: AccAddress) -> bool:
        """Whether `address` refuses user sends: every module account does."""
        return self.accounts.module_name_of(address) is not None

    def get_params(self, ctx: Context) -> Params:
        return state.get_params(ctx.store(state.STORE_NAME))

    def set_params(self, ctx: Context, params: Params) -> None:
        state.set_params(ctx.store(state.STORE_NAME), params)

    def set_send_enabled(self, ctx: Context, denom: str, enabled: bool) -> None:
        state.set_send_enabled(ctx.store(state.STORE_NAME), denom, enabled)

    def delete_send_enabled(self, ctx: Context, denom: str) -> None:
        state.delete_send_enabled(ctx.store(state.STORE_NAME), denom)

    def is_send_enabled(self, ctx: Context, denom: str) -> bool:
        """The denom's own flag, else the default of the params."""
        store = ctx.store(state.STORE_NAME)
        flag = state.get_send_enabled(store, denom)
        return state.get_params(store).default_send_enabled if flag is None else flag

    def check_send_enabled(self, ctx: Context, coins: Coins) -> None:
        """Raise bank 5 naming the first coin whose denom may not be sent."""
        for coin in coins:
            if not self.is_send_enabled(ctx, coin.denom):
                raise ErrSendDisabled.wrap(f"{coin.denom} transfers are currently disabled")

    def check_not_blocked(self, address: AccAddress) -> None:
        """Raise sdk 4 when `address` is a module account (users may not send to modules)."""
        if self.is_blocked(address):
            raise ErrUnauthorized.wrap(
                f"{format_acc_address(address)} is not allowed to receive funds"
            )

    # ---- account to account --------------------------------------------------------------------

    def send_coins(
        self, ctx: Context, sender: AccAddress, recipient: AccAddress, amount: Coins
    ) -> None:
        """Move `amount` from `sender` to `recipient` (``SendCoins``).

        Events: coin_spent, coin_received, transfer(recipient, sender, amount), message(sender).

        Raises:
            ChainError: sdk 5 "spendable balance X is smaller than Y" before any change.
        """
        self._subtract(ctx, sender, amount)
        self._add(ctx, recipient, amount)
        if ctx.records_events:
            sender_text = format_acc_address(sender)
            ctx.emit(events.transfer_event(format_acc_address(recipient), sender_text, amount))
            ctx.emit(events.message_sender_event(sender_text))

    def input_output_coins(
        self,
        ctx: Context,
        sender: AccAddress,
        amount: Coins,
        outputs: list[tuple[AccAddress, Coins]],
    ) -> None:
        """One input paying several outputs (``InputOutputCoins``); the totals must match."""
        self._subtract(ctx, sender, amount)
        ctx.emit(events.message_sender_event(format_acc_address(sender)))
        for recipient, coins in outputs:
            self._add(ctx, recipient, coins)
            ctx.emit(events.multi_send_transfer_event(format_acc_address(recipient), coins))

    # ---- with module accounts ------------------------------------------------------------------

    def send_coins_from_module_to_account(
        self, ctx: Context, module: str, recipient: AccAddress, amount: Coins
    ) -> None:
        """Pay an account from a module; raises sdk 4 if the recipient is a module account."""
        self.check_not_blocked(recipient)
        self.send_coins(ctx, self.accounts.get_module_address(module), recipient, amount)

    def send_coins_from_account_to_module(
        self, ctx: Context, sender: AccAddress, module: str, amount: Coins
    ) -> None:
        """Pay a module from an account (fees, deposits, delegations)."""
        self.send_coins(ctx, sender, self._module_account_address(ctx, module), amount)

    def send_coins_from_module_to_module(
        self, ctx: Context, sender_module: str, recipient_module: str, amount: Coins
    ) -> None:
        """Move coins between two modules' accounts."""
        sender = self.accounts.get_module_address(sender_module)
        recipient = self._module_account_address(ctx, recipient_module)
        self.send_coins(ctx, sender, recipient, amount)

    def mint_coins(self, ctx: Context, module: str, amount: Coins) -> None:
        """Create `amount` in `module`'s account and add it to the supply (minter permission).

        Events: coin_received, coinbase(minter, amount).
        """
        self._require_permission(module, MINTER, "mint")
        account = self.accounts.get_module_account(ctx, module)
        self._add(ctx, account.address, amount)
        store = ctx.store(state.STORE_NAME)
        for coin in amount:
            state.set_supply(store, coin.denom, state.get_supply(store, coin.denom) + coin.amount)
        ctx.emit(events.coinbase_event(format_acc_address(account.address), amount))

    def burn_coins(self, ctx: Context, module: str, amount: Coins) -> None:
        """Destroy `amount` held by `module`'s account and remove it from the supply (burner).

        Events: coin_spent, burn(burner, amount).
        """
        self._require_permission(module, BURNER, "burn")
        account = self.accounts.get_module_account(ctx, module)
        self._subtract(ctx, account.address, amount)
        store = ctx.store(state.STORE_NAME)
        for coin in amount:
            state.set_supply(store, coin.denom, state.get_supply(store, coin.denom) - coin.amount)
        ctx.emit(events.burn_event(format_acc_address(account.address), amount))

    def _module_account_address(self, ctx: Context, module: str) -> AccAddress:
        """The module's account address, creating the account if this is its first use."""
        address = self.accounts.get_module_address(module)
        # A presence check is cheaper than decoding the account on every fee payment.
        if not self.accounts.has_account(ctx, address):
            self.accounts.get_module_account(ctx, module)
        return address

    def _require_permission(self, module: str, permission: str, action: str) -> None:
        if permission not in self.accounts.permissions(module):
            raise ErrUnauthorized.wrap(
                f"module account {module} does not have permissions to {action} tokens"
            )

    # ---- the two halves of every transfer ------------------------------------------------------

    def _subtract(self, ctx: Context, address: AccAddress, amount: Coins) -> None:
        """Take `amount` from `address`; every denom is checked before anything is written."""
        store = ctx.store(state.STORE_NAME)
        remaining: list[tuple[str, Int]] = []
        for coin in amount:
            balance = state.get_balance(store, address, coin.denom)
            if balance < coin.amount:
                raise ErrInsufficientFunds.wrap(
                    f"spendable balance {balance}{coin.denom} is smaller than {coin}"
                )
            remaining.append((coin.denom, balance - coin.amount))
        for denom, left in remaining:
            state.set_balance(store, address, denom, left)
        if ctx.records_events:
            ctx.emit(events.coin_spent_event(format_acc_address(address), amount))

    def _add(self, ctx: Context, address: AccAddress, amount: Coins) -> None:
        """Give `amount` to `address`, creating its account on first receipt."""
        store = ctx.store(state.STORE_NAME)
        for coin in amount:
            balance = state.get_balance(store, address, coin.denom)
            state.set_balance(store, address, coin.denom, balance + coin.amount)
        if not self.accounts.has_account(ctx, address):
            self.accounts.create_account(ctx, address)
        if ctx.records_events:
            ctx.emit(events.coin_received_event(format_acc_address(address), amount))
