"""The staking keeper: validators, delegations, unbonding and redelegation, slashing, jailing.

Every method follows cosmos-sdk v0.50 ``x/staking/keeper`` (``delegation.go``, ``slash.go``,
``validator.go``, ``val_state_change.go``): the same checks in the same order, the same hooks at
the same places, the same rounding. Tokens of bonded validators sit in the ``bonded_tokens_pool``
module account, all other staked tokens (unbonding entries, unbonding and unbonded validators) in
``not_bonded_tokens_pool``.
"""

from __future__ import annotations

from dataclasses import replace

from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest, ErrNotFound, InvariantViolation
from app.chain.kv import KVStore
from app.modules.staking import state
from app.modules.staking.errors import (
    ErrBadRedelegationDst,
    ErrBadRedelegationSrc,
    ErrBadRemoveValidator,
    ErrBadSharesAmount,
    ErrDelegatorShareExRateInvalid,
    ErrMaxRedelegationEntries,
    ErrMaxUnbondingDelegationEntries,
    ErrNoDelegation,
    ErrNoDelegatorForAddress,
    ErrNoRedelegation,
    ErrNotEnoughDelegationShares,
    ErrNoUnbondingDelegation,
    ErrNoValidatorFound,
    ErrSelfRedelegation,
    ErrTinyRedelegationAmount,
    ErrTransitiveRedelegation,
)
from app.modules.staking.expected import AccountKeeper, BankKeeper
from app.modules.staking.hooks import NoStakingHooks, StakingHooks
from app.modules.staking.types import (
    POWER_REDUCTION,
    BondStatus,
    Delegation,
    Params,
    Redelegation,
    RedelegationEntry,
    UnbondingDelegation,
    UnbondingDelegationEntry,
    Validator,
)
from app.pb.cosmos.staking.v1beta1 import staking_pb2
from app.store.views import prefix_end
from app.types.address import AccAddress, val_to_bech32
from app.types.coin import Coin, Coins
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import Duration, Timestamp

__all__ = ["BONDED_POOL", "NOT_BONDED_POOL", "StakingKeeper"]

BONDED_POOL = "bonded_tokens_pool"
"""Module account holding the tokens of bonded validators."""

NOT_BONDED_POOL = "not_bonded_tokens_pool"
"""Module account holding unbonding entries and the tokens of non-bonded validators."""


class StakingKeeper:
    """Staking state in store ``staking``; `authority` may change the params."""

    def __init__(self, accounts: AccountKeeper, bank: BankKeeper, authority: AccAddress) -> None:
        self.accounts = accounts
        self.bank = bank
        self.authority = authority
        self.hooks: StakingHooks = NoStakingHooks()

    def set_hooks(self, hooks: StakingHooks) -> None:
        """Install the hooks (wiring does it once: distribution, slashing, then alliance)."""
        self.hooks = hooks

    @staticmethod
    def _store(ctx: Context) -> KVStore:
        return ctx.store(state.STORE_NAME)

    # ---- params ----------------------------------------------------------------------------

    def get_params(self, ctx: Context) -> Params:
        return state.get_params(self._store(ctx))

    def set_params(self, ctx: Context, params: Params) -> None:
        state.set_params(self._store(ctx), params)

    def bond_denom(self, ctx: Context) -> str:
        return self.get_params(ctx).bond_denom

    def unbonding_time(self, ctx: Context) -> Duration:
        return self.get_params(ctx).unbonding_time

    def power_reduction(self) -> Int:
        return POWER_REDUCTION

    # ---- validators ------------------------------------------------------------------------

    def get_validator(self, ctx: Context, operator: bytes) -> Validator | None:
        return state.get_validator(self._store(ctx), operator)

    def must_get_validator(self, ctx: Context, operator: bytes) -> Validator:
        validator = self.get_validator(ctx, operator)
        if validator is None:
            raise InvariantViolation(f"validator {val_to_bech32(operator)} does not exist")
        return validator

    def get_validator_by_cons_addr(self, ctx: Context, cons: bytes) -> Validator | None:
        operator = self._store(ctx).get(state.cons_addr_key(cons))
        return None if operator is None else self.get_validator(ctx, operator)

    def get_all_validators(self, ctx: Context) -> list[Validator]:
        return list(state.iterate_validators(self._store(ctx)))

    def set_validator(self, ctx: Context, validator: Validator) -> None:
        state.set_validator(self._store(ctx), validator)

    def set_validator_by_cons_addr(self, ctx: Context, validator: Validator) -> None:
        self._store(ctx).set(state.cons_addr_key(validator.consensus_address()), validator.operator)

    def set_validator_by_power_index(self, ctx: Context, validator: Validator) -> None:
        """Index by potential power; jailed validators are kept out of the index."""
        if validator.jailed:
            return
        self.set_new_validator_by_power_index(ctx, validator)

    def set_new_validator_by_power_index(self, ctx: Context, validator: Validator) -> None:
        power = validator.potential_consensus_power(POWER_REDUCTION)
        self._store(ctx).set(state.power_index_key(power, validator.operator), validator.operator)

    def delete_validator_by_power_index(self, ctx: Context, validator: Validator) -> None:
        power = validator.potential_consensus_power(POWER_REDUCTION)
        self._store(ctx).delete(state.power_index_key(power, validator.operator))

    def get_last_validator_power(self, ctx: Context, operator: bytes) -> int:
        return state.get_int(self._store(ctx), state.last_power_key(operator))

    def get_last_validator_powers(self, ctx: Context) -> list[tuple[bytes, int]]:
        """(operator, power) of the last committed active set, in operator key order."""
        entries = state.iterate_prefix_list(self._store(ctx), state.LAST_VALIDATOR_POWER_PREFIX)
        return [(state.split_lp(key, 1)[0], int(raw)) for key, raw in entries]

    def set_last_validator_power(self, ctx: Context, operator: bytes, power: int) -> None:
        state.set_int(self._store(ctx), state.last_power_key(operator), power)

    def get_last_total_power(self, ctx: Context) -> Int:
        return Int(state.get_int(self._store(ctx), state.LAST_TOTAL_POWER_KEY))

    def set_last_total_power(self, ctx: Context, power: Int) -> None:
        state.set_int(self._store(ctx), state.LAST_TOTAL_POWER_KEY, int(power))

    def get_bonded_validators_by_power(self, ctx: Context) -> list[Validator]:
        """The active set: up to max_validators from the power index, highest power first,
        ties by ascending operator (``GetBondedValidatorsByPower``)."""
        store = self._store(ctx)
        max_validators = self.get_params(ctx).max_validators
        result: list[Validator] = []
        prefix = state.VALIDATORS_BY_POWER_PREFIX
        for key, _ in store.iterate(prefix, prefix_end(prefix), reverse=True):
            if len(result) >= max_validators:
                break
            validator = self.must_get_validator(ctx, state.operator_from_power_key(key))
            if validator.is_bonded():
                result.append(validator)
        return result

    def total_bonded_tokens(self, ctx: Context) -> Int:
        """The bonded pool's balance of the bond denom."""
        return self.bank.get_balance(
            ctx, self.accounts.get_module_address(BONDED_POOL), self.bond_denom(ctx)
        )

    def not_bonded_tokens(self, ctx: Context) -> Int:
        return self.bank.get_balance(
            ctx, self.accounts.get_module_address(NOT_BONDED_POOL), self.bond_denom(ctx)
        )

    def remove_validator(self, ctx: Context, operator: bytes) -> None:
        """Delete an unbonded validator without tokens, then `after_validator_removed`.

        Raises:
            ChainError: staking 3 unknown; staking 8 not unbonded or still holding tokens.
        """
        validator = self.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorFound.error()
        if not validator.is_unbonded():
            raise ErrBadRemoveValidator.wrap(
                "cannot call RemoveValidator on bonded or unbonding validators"
            )
        if validator.tokens.is_positive():
            raise ErrBadRemoveValidator.wrap(
                "attempting to remove a validator which still contains tokens"
            )
        store = self._store(ctx)
        cons = validator.consensus_address()
        store.delete(state.validator_key(operator))
        store.delete(state.cons_addr_key(cons))
        self.delete_validator_by_power_index(ctx, validator)
        self.hooks.after_validator_removed(ctx, cons, operator)

    # ---- delegations -----------------------------------------------------------------------

    def get_delegation(self, ctx: Context, delegator: bytes, operator: bytes) -> Delegation | None:
        return state.get_delegation(self._store(ctx), delegator, operator)

    def get_delegator_delegations(self, ctx: Context, delegator: bytes) -> list[Delegation]:
        return list(
            state.iterate_delegations(self._store(ctx), state.delegations_prefix(delegator))
        )

    def get_validator_delegations(self, ctx: Context, operator: bytes) -> list[Delegation]:
        """Every delegation to `operator` (a full scan, as the SDK's)."""
        return [d for d in state.iterate_delegations(self._store(ctx)) if d.validator == operator]

    def get_all_delegations(self, ctx: Context) -> list[Delegation]:
        return list(state.iterate_delegations(self._store(ctx)))

    def set_delegation(self, ctx: Context, delegation: Delegation) -> None:
        state.set_delegation(self._store(ctx), delegation)

    def remove_delegation(self, ctx: Context, delegation: Delegation) -> None:
        self.hooks.before_delegation_removed(ctx, delegation.delegator, delegation.validator)
        self._store(ctx).delete(state.delegation_key(delegation.delegator, delegation.validator))

    def delegate(
        self,
        ctx: Context,
        delegator: bytes,
        amount: Int,
        token_source: BondStatus,
        validator: Validator,
        subtract_account: bool,
    ) -> Dec:
        """Add `amount` tokens to `validator` for `delegator`; returns the new shares.

        With `subtract_account` the tokens come from the delegator's balance into the pool of
        the validator's status; otherwise they already sit in the pool of `token_source` and
        move between pools if the statuses differ (redelegation, cancelled unbonding).

        Raises:
            ChainError: staking 34 invalid exchange rate; sdk 5 insufficient funds.
        """
        if validator.has_invalid_exchange_rate():
            raise ErrDelegatorShareExRateInvalid.error()
        delegation = self.get_delegation(ctx, delegator, validator.operator)
        if delegation is not None:
            self.hooks.before_delegation_shares_modified(ctx, delegator, validator.operator)
        else:
            delegation = Delegation(delegator, validator.operator, Dec.zero())
            self.hooks.before_delegation_created(ctx, delegator, validator.operator)
        if subtract_account:
            if token_source is BondStatus.BONDED:
                raise InvariantViolation("delegation token source cannot be bonded")
            pool = BONDED_POOL if validator.is_bonded() else NOT_BONDED_POOL
            coins = Coins.from_iterable([Coin(self.bond_denom(ctx), amount)])
            self.bank.send_coins_from_account_to_module(ctx, AccAddress(delegator), pool, coins)
        elif token_source is BondStatus.BONDED and not validator.is_bonded():
            self.bonded_tokens_to_not_bonded(ctx, amount)
        elif token_source is not BondStatus.BONDED and validator.is_bonded():
            self.not_bonded_tokens_to_bonded(ctx, amount)
        _, new_shares = self.add_validator_tokens_and_shares(ctx, validator, amount)
        self.set_delegation(ctx, replace(delegation, shares=delegation.shares + new_shares))
        self.hooks.after_delegation_modified(ctx, delegator, validator.operator)
        return new_shares

    def add_validator_tokens_and_shares(
        self, ctx: Context, validator: Validator, amount: Int
    ) -> tuple[Validator, Dec]:
        self.delete_validator_by_power_index(ctx, validator)
        updated, added = validator.add_tokens_from_delegation(amount)
        self.set_validator(ctx, updated)
        self.set_validator_by_power_index(ctx, updated)
        return updated, added

    def remove_validator_tokens_and_shares(
        self, ctx: Context, validator: Validator, shares: Dec
    ) -> tuple[Validator, Int]:
        self.delete_validator_by_power_index(ctx, validator)
        updated, removed = validator.remove_del_shares(shares)
        self.set_validator(ctx, updated)
        self.set_validator_by_power_index(ctx, updated)
        return updated, removed

    def remove_validator_tokens(self, ctx: Context, validator: Validator, amount: Int) -> Validator:
        self.delete_validator_by_power_index(ctx, validator)
        updated = validator.remove_tokens(amount)
        self.set_validator(ctx, updated)
        self.set_validator_by_power_index(ctx, updated)
        return updated

    def validate_unbond_amount(
        self, ctx: Context, delegator: bytes, operator: bytes, amount: Int
    ) -> Dec:
        """The shares standing for `amount` tokens, capped at the delegation's shares.

        shares = SharesFromTokens(amount); an error if SharesFromTokensTruncated(amount) exceeds
        the delegation (``ValidateUnbondAmount``).

        Raises:
            ChainError: staking 3 no validator; staking 19 no delegation; staking 22 too much.
        """
        validator = self.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorFound.error()
        delegation = self.get_delegation(ctx, delegator, operator)
        if delegation is None:
            raise ErrNoDelegation.error()
        if validator.tokens.is_zero():
            raise ErrBadSharesAmount.wrap("validator has no tokens")
        shares = validator.shares_from_tokens(amount)
        if validator.shares_from_tokens_truncated(amount) > delegation.shares:
            raise ErrBadSharesAmount.error()
        return shares.min(delegation.shares)

    def unbond(self, ctx: Context, delegator: bytes, operator: bytes, shares: Dec) -> Int:
        """Remove `shares` from a delegation and its validator; returns the tokens they stood
        for (still in the validator's pool). Jails an operator whose self-delegation falls below
        its minimum; removes a delegation at zero and an unbonded validator without shares.

        Raises:
            ChainError: staking 21 no delegation; staking 24 not enough shares; staking 3.
        """
        delegation = self.get_delegation(ctx, delegator, operator)
        if delegation is None:
            raise ErrNoDelegatorForAddress.error()
        self.hooks.before_delegation_shares_modified(ctx, delegator, operator)
        if delegation.shares < shares:
            raise ErrNotEnoughDelegationShares.wrap(f"{delegation.shares} < {shares}")
        validator = self.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorFound.error()
        delegation = replace(delegation, shares=delegation.shares - shares)
        is_operator = delegator == operator
        if (
            is_operator
            and not validator.jailed
            and validator.tokens_from_shares(delegation.shares).truncate_int()
            < validator.min_self_delegation
        ):
            self._jail_validator(ctx, validator)
            validator = self.must_get_validator(ctx, operator)
        if delegation.shares.is_zero():
            self.remove_delegation(ctx, delegation)
        else:
            self.set_delegation(ctx, delegation)
            self.hooks.after_delegation_modified(ctx, delegator, operator)
        validator, amount = self.remove_validator_tokens_and_shares(ctx, validator, shares)
        if validator.delegator_shares.is_zero() and validator.is_unbonded():
            self.remove_validator(ctx, operator)
        return amount

    # ---- unbonding delegations -------------------------------------------------------------

    def get_unbonding_delegation(
        self, ctx: Context, delegator: bytes, operator: bytes
    ) -> UnbondingDelegation | None:
        return state.get_ubd(self._store(ctx), delegator, operator)

    def get_unbonding_delegations_from_validator(
        self, ctx: Context, operator: bytes
    ) -> list[UnbondingDelegation]:
        store = self._store(ctx)
        prefix = state.ubds_by_val_prefix(operator)
        result = []
        for key, _ in state.iterate_prefix_list(store, prefix):
            delegator, _ = state.split_lp(key, len(prefix))
            ubd = state.get_ubd(store, delegator, operator)
            if ubd is not None:
                result.append(ubd)
        return result

    def set_unbonding_delegation(self, ctx: Context, ubd: UnbondingDelegation) -> None:
        state.set_ubd(self._store(ctx), ubd)

    def _save_or_remove_ubd(self, ctx: Context, ubd: UnbondingDelegation) -> None:
        if ubd.entries:
            state.set_ubd(self._store(ctx), ubd)
        else:
            state.remove_ubd(self._store(ctx), ubd)

    def increment_unbonding_id(self, ctx: Context) -> int:
        store = self._store(ctx)
        next_id = state.get_int(store, state.UNBONDING_ID_KEY) + 1
        state.set_int(store, state.UNBONDING_ID_KEY, next_id)
        return next_id

    def undelegate(
        self, ctx: Context, delegator: bytes, operator: bytes, shares: Dec
    ) -> tuple[Timestamp, Int]:
        """Unbond `shares` and start an unbonding entry maturing after the unbonding time;
        returns (completion time, tokens).

        Raises:
            ChainError: staking 21 unknown validator; staking 27 too many entries; as `unbond`.
        """
        validator = self.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoDelegatorForAddress.error()
        ubd = self.get_unbonding_delegation(ctx, delegator, operator)
        if ubd is not None and len(ubd.entries) >= self.get_params(ctx).max_entries:
            raise ErrMaxUnbondingDelegationEntries.error()
        amount = self.unbond(ctx, delegator, operator, shares)
        if validator.is_bonded():
            self.bonded_tokens_to_not_bonded(ctx, amount)
        completion = Timestamp(ctx.block.time + self.unbonding_time(ctx))
        ubd = self._add_unbonding_entry(ctx, delegator, operator, completion, amount)
        self._insert_ubd_queue(ctx, ubd, completion)
        return completion, amount

    def _add_unbonding_entry(
        self, ctx: Context, delegator: bytes, operator: bytes, completion: Timestamp, amount: Int
    ) -> UnbondingDelegation:
        """Append an entry, or merge into one of the same height and completion time
        (``SetUnbondingDelegationEntry``); `after_unbonding_initiated` for a new entry."""
        unbonding_id = self.increment_unbonding_id(ctx)
        height = ctx.block.height
        ubd = self.get_unbonding_delegation(ctx, delegator, operator)
        entries = list(ubd.entries) if ubd is not None else []
        for index, entry in enumerate(entries):
            if entry.creation_height == height and entry.completion_time == completion:
                entries[index] = replace(
                    entry,
                    balance=entry.balance + amount,
                    initial_balance=entry.initial_balance + amount,
                )
                merged = UnbondingDelegation(delegator, operator, tuple(entries))
                self.set_unbonding_delegation(ctx, merged)
                return merged
        entries.append(UnbondingDelegationEntry(height, completion, amount, amount, unbonding_id))
        created = UnbondingDelegation(delegator, operator, tuple(entries))
        self.set_unbonding_delegation(ctx, created)
        self.hooks.after_unbonding_initiated(ctx, unbonding_id)
        return created

    def _insert_ubd_queue(self, ctx: Context, ubd: UnbondingDelegation, at: Timestamp) -> None:
        store = self._store(ctx)
        key = state.ubd_queue_key(at)
        pairs = staking_pb2.DVPairs()
        raw = store.get(key)
        if raw is not None:
            pairs.ParseFromString(raw)
        pair = state.ubd_to_proto(ubd)
        pairs.pairs.add(
            delegator_address=pair.delegator_address, validator_address=pair.validator_address
        )
        store.set(key, pairs.SerializeToString(deterministic=True))

    def complete_unbonding(self, ctx: Context, delegator: bytes, operator: bytes) -> Coins:
        """Pay out the mature entries of an unbonding delegation from the not-bonded pool.

        Raises:
            ChainError: staking 26 when there is no such unbonding delegation.
        """
        ubd = self.get_unbonding_delegation(ctx, delegator, operator)
        if ubd is None:
            raise ErrNoUnbondingDelegation.error()
        denom = self.bond_denom(ctx)
        paid = Int(0)
        kept = []
        for entry in ubd.entries:
            if entry.is_mature(ctx.block.time):
                paid = paid + entry.balance
            else:
                kept.append(entry)
        self._save_or_remove_ubd(ctx, replace(ubd, entries=tuple(kept)))
        amount = Coins.from_iterable([Coin(denom, paid)] if paid.is_positive() else [])
        if amount:
            pool = self.accounts.get_module_address(NOT_BONDED_POOL)
            self.bank.send_coins(ctx, pool, AccAddress(delegator), amount)
        return amount

    def cancel_unbonding(
        self, ctx: Context, delegator: bytes, validator: Validator, height: int, amount: Int
    ) -> None:
        """Delegate `amount` of the entry created at `height` back to `validator`
        (MsgCancelUnbondingDelegation); the entry shrinks or goes."""
        ubd = self.get_unbonding_delegation(ctx, delegator, validator.operator)
        if ubd is None:
            raise ErrNoUnbondingDelegation.wrap(
                f"unbonding delegation with delegator {delegator.hex()} not found for validator "
                f"{val_to_bech32(validator.operator)}"
            )
        index = next(
            (i for i, entry in enumerate(ubd.entries) if entry.creation_height == height), -1
        )
        if index == -1:
            raise ErrNotFound.wrap(
                f"unbonding delegation entry is not found at block height {height}"
            )
        entry = ubd.entries[index]
        if entry.balance < amount:
            raise ErrInvalidRequest.wrap(
                "amount is greater than the unbonding delegation entry balance"
            )
        if entry.completion_time < ctx.block.time:
            raise ErrInvalidRequest.wrap("unbonding delegation is already processed")
        self.delegate(ctx, delegator, amount, BondStatus.UNBONDING, validator, False)
        entries = list(ubd.entries)
        left = entry.balance - amount
        if left.is_zero():
            del entries[index]
        else:
            entries[index] = replace(
                entry, balance=left, initial_balance=entry.initial_balance - amount
            )
        self._save_or_remove_ubd(ctx, replace(ubd, entries=tuple(entries)))

    # ---- redelegations ---------------------------------------------------------------------

    def get_redelegation(
        self, ctx: Context, delegator: bytes, src: bytes, dst: bytes
    ) -> Redelegation | None:
        return state.get_red(self._store(ctx), delegator, src, dst)

    def get_redelegations_from_src_validator(
        self, ctx: Context, operator: bytes
    ) -> list[Redelegation]:
        store = self._store(ctx)
        prefix = state.reds_by_src_prefix(operator)
        result = []
        for key, _ in state.iterate_prefix_list(store, prefix):
            delegator, offset = state.split_lp(key, len(prefix))
            dst, _ = state.split_lp(key, offset)
            red = state.get_red(store, delegator, operator, dst)
            if red is not None:
                result.append(red)
        return result

    def has_receiving_redelegation(self, ctx: Context, delegator: bytes, dst: bytes) -> bool:
        """Whether `delegator` has an immature redelegation into `dst`."""
        prefix = state.reds_by_dst_delegator_prefix(dst, delegator)
        return any(True for _ in self._store(ctx).iterate(prefix, prefix_end(prefix)))

    def begin_redelegation(
        self, ctx: Context, delegator: bytes, src: bytes, dst: bytes, shares: Dec
    ) -> Timestamp:
        """Move `shares` worth of tokens from `src` to `dst`; returns when the redelegation
        stops being slashable for `src` (now when `src` is unbonded: no entry then).

        Raises:
            ChainError: staking 29 same validator; 31 / 44 unknown destination / source;
            32 transitive; 33 too many entries; 30 rounds to zero tokens; as `unbond`.
        """
        if src == dst:
            raise ErrSelfRedelegation.error()
        dst_validator = self.get_validator(ctx, dst)
        if dst_validator is None:
            raise ErrBadRedelegationDst.error()
        src_validator = self.get_validator(ctx, src)
        if src_validator is None:
            raise ErrBadRedelegationSrc.error()
        if self.has_receiving_redelegation(ctx, delegator, src):
            raise ErrTransitiveRedelegation.error()
        red = self.get_redelegation(ctx, delegator, src, dst)
        if red is not None and len(red.entries) >= self.get_params(ctx).max_entries:
            raise ErrMaxRedelegationEntries.error()
        amount = self.unbond(ctx, delegator, src, shares)
        if amount.is_zero():
            raise ErrTinyRedelegationAmount.error()
        shares_created = self.delegate(
            ctx, delegator, amount, src_validator.status, dst_validator, False
        )
        completion, height, complete_now = self._begin_info(ctx, src)
        if complete_now:
            return completion
        unbonding_id = self.increment_unbonding_id(ctx)
        entry = RedelegationEntry(height, completion, amount, shares_created, unbonding_id)
        existing = self.get_redelegation(ctx, delegator, src, dst)
        entries = (*existing.entries, entry) if existing is not None else (entry,)
        red = Redelegation(delegator, src, dst, entries)
        state.set_red(self._store(ctx), red)
        self._insert_red_queue(ctx, red, completion)
        self.hooks.after_unbonding_initiated(ctx, unbonding_id)
        return completion

    def _begin_info(self, ctx: Context, src: bytes) -> tuple[Timestamp, int, bool]:
        """(completion time, height, complete now) of a redelegation out of `src`
        (``getBeginInfo``): bonded or gone → full unbonding time; unbonding → the validator's
        own completion; unbonded → nothing to wait for."""
        validator = self.get_validator(ctx, src)
        if validator is None or validator.is_bonded():
            return Timestamp(ctx.block.time + self.unbonding_time(ctx)), ctx.block.height, False
        if validator.is_unbonded():
            return Timestamp(0), 0, True
        return validator.unbonding_time, validator.unbonding_height, False

    def _insert_red_queue(self, ctx: Context, red: Redelegation, at: Timestamp) -> None:
        store = self._store(ctx)
        key = state.red_queue_key(at)
        triplets = staking_pb2.DVVTriplets()
        raw = store.get(key)
        if raw is not None:
            triplets.ParseFromString(raw)
        pb = state.red_to_proto(red)
        triplets.triplets.add(
            delegator_address=pb.delegator_address,
            validator_src_address=pb.validator_src_address,
            validator_dst_address=pb.validator_dst_address,
        )
        store.set(key, triplets.SerializeToString(deterministic=True))

    def complete_redelegation(
        self, ctx: Context, delegator: bytes, src: bytes, dst: bytes
    ) -> Coins:
        """Drop the mature entries; returns their initial balances (nothing moves: the tokens
        already sit with the destination).

        Raises:
            ChainError: staking 28 when there is no such redelegation.
        """
        red = self.get_redelegation(ctx, delegator, src, dst)
        if red is None:
            raise ErrNoRedelegation.error()
        done = Int(0)
        kept = []
        for entry in red.entries:
            if entry.is_mature(ctx.block.time):
                done = done + entry.initial_balance
            else:
                kept.append(entry)
        store = self._store(ctx)
        if kept:
            state.set_red(store, replace(red, entries=tuple(kept)))
        else:
            state.remove_red(store, red)
        denom = self.bond_denom(ctx)
        return Coins.from_iterable([Coin(denom, done)] if done.is_positive() else [])

    # ---- pools -----------------------------------------------------------------------------

    def _pool_coins(self, ctx: Context, amount: Int) -> Coins:
        return Coins.from_iterable([Coin(self.bond_denom(ctx), amount)])

    def bonded_tokens_to_not_bonded(self, ctx: Context, amount: Int) -> None:
        if amount.is_positive():
            coins = self._pool_coins(ctx, amount)
            self.bank.send_coins_from_module_to_module(ctx, BONDED_POOL, NOT_BONDED_POOL, coins)

    def not_bonded_tokens_to_bonded(self, ctx: Context, amount: Int) -> None:
        if amount.is_positive():
            coins = self._pool_coins(ctx, amount)
            self.bank.send_coins_from_module_to_module(ctx, NOT_BONDED_POOL, BONDED_POOL, coins)

    def burn_bonded_tokens(self, ctx: Context, amount: Int) -> None:
        if amount.is_positive():
            self.bank.burn_coins(ctx, BONDED_POOL, self._pool_coins(ctx, amount))

    def burn_not_bonded_tokens(self, ctx: Context, amount: Int) -> None:
        if amount.is_positive():
            self.bank.burn_coins(ctx, NOT_BONDED_POOL, self._pool_coins(ctx, amount))

    # ---- slashing and jailing --------------------------------------------------------------

    def slash(
        self, ctx: Context, cons_addr: bytes, infraction_height: int, power: int, fraction: Dec
    ) -> Int:
        """Burn `fraction` of the stake the validator had at `infraction_height` (``Slash``).

        slash amount = trunc(Dec(power × 10^6) ⊗ fraction); unbonding delegations and
        redelegations out of the validator created at or after the infraction height pay their
        share first (only when the infraction is in the past); the validator burns
        min(rest, tokens), after `before_validator_slashed(burned ⊘roundUp tokens, ≤ 1)`.
        Returns the tokens burned from the validator; an unknown validator burns nothing.
        """
        if fraction.is_negative():
            raise InvariantViolation(f"attempted to slash with a negative slash factor: {fraction}")
        slash_amount = Dec.from_int(Int(power) * POWER_REDUCTION).mul(fraction).truncate_int()
        validator = self.get_validator_by_cons_addr(ctx, cons_addr)
        if validator is None:
            return Int(0)
        if validator.is_unbonded():
            raise InvariantViolation("should not be slashing unbonded validator")
        operator = validator.operator
        self.hooks.before_validator_modified(ctx, operator)
        remaining = slash_amount
        if infraction_height > ctx.block.height:
            raise InvariantViolation(
                f"impossible attempt to slash future infraction at height {infraction_height} "
                f"but we are at height {ctx.block.height}"
            )
        if infraction_height < ctx.block.height:
            for ubd in self.get_unbonding_delegations_from_validator(ctx, operator):
                remaining = remaining - self.slash_unbonding_delegation(
                    ctx, ubd, infraction_height, fraction
                )
            for red in self.get_redelegations_from_src_validator(ctx, operator):
                remaining = remaining - self.slash_redelegation(
                    ctx, red, infraction_height, fraction
                )
        validator = self.must_get_validator(ctx, operator)
        to_burn = remaining.min(validator.tokens).max(Int(0))
        if to_burn.is_zero():
            return Int(0)
        if validator.tokens.is_positive():
            effective = Dec.from_int(to_burn).quo_round_up(Dec.from_int(validator.tokens))
            self.hooks.before_validator_slashed(ctx, operator, effective.min(Dec.one()))
        validator = self.remove_validator_tokens(ctx, validator, to_burn)
        if validator.is_bonded():
            self.burn_bonded_tokens(ctx, to_burn)
        else:
            self.burn_not_bonded_tokens(ctx, to_burn)
        return to_burn

    def slash_unbonding_delegation(
        self, ctx: Context, ubd: UnbondingDelegation, infraction_height: int, fraction: Dec
    ) -> Int:
        """Burn fraction ⊗ initial balance of each immature entry created at or after the
        infraction (at most its balance); returns the amount that should have been slashed."""
        total = Int(0)
        burned = Int(0)
        entries = list(ubd.entries)
        for index, entry in enumerate(entries):
            if entry.creation_height < infraction_height or entry.is_mature(ctx.block.time):
                continue
            slash_amount = fraction.mul_int(entry.initial_balance).truncate_int()
            total = total + slash_amount
            taken = slash_amount.min(entry.balance)
            if taken.is_zero():
                continue
            burned = burned + taken
            entries[index] = replace(entry, balance=entry.balance - taken)
            self.set_unbonding_delegation(ctx, replace(ubd, entries=tuple(entries)))
        self.burn_not_bonded_tokens(ctx, burned)
        return total

    def slash_redelegation(
        self, ctx: Context, red: Redelegation, infraction_height: int, fraction: Dec
    ) -> Int:
        """For each immature entry created at or after the infraction: slash the delegator's
        unbonding from the destination first, then unbond and burn fraction ⊗ shares_dst of its
        destination delegation; returns the amount that should have been slashed."""
        total = Int(0)
        bonded_burned = Int(0)
        not_bonded_burned = Int(0)
        for entry in red.entries:
            if entry.creation_height < infraction_height or entry.is_mature(ctx.block.time):
                continue
            slash_amount = fraction.mul_int(entry.initial_balance).truncate_int()
            total = total + slash_amount
            slash_amount, from_unbonding = self._slash_unbonding_after_redelegation(
                ctx, red, infraction_height, slash_amount
            )
            not_bonded_burned = not_bonded_burned + from_unbonding
            shares_to_unbond = fraction.mul(entry.shares_dst)
            if shares_to_unbond.is_zero() or slash_amount.is_zero():
                continue
            delegation = self.get_delegation(ctx, red.delegator, red.validator_dst)
            if delegation is None:
                continue
            tokens = self.unbond(
                ctx, red.delegator, red.validator_dst, shares_to_unbond.min(delegation.shares)
            )
            destination = self.must_get_validator(ctx, red.validator_dst)
            if destination.is_bonded():
                bonded_burned = bonded_burned + tokens
            else:
                not_bonded_burned = not_bonded_burned + tokens
        self.burn_bonded_tokens(ctx, bonded_burned)
        self.burn_not_bonded_tokens(ctx, not_bonded_burned)
        return total

    def _slash_unbonding_after_redelegation(
        self, ctx: Context, red: Redelegation, infraction_height: int, slash_amount: Int
    ) -> tuple[Int, Int]:
        """Take the slash from the delegator's unbonding out of the destination first;
        returns (what is left to slash, what was taken)."""
        ubd = self.get_unbonding_delegation(ctx, red.delegator, red.validator_dst)
        taken_total = Int(0)
        if ubd is None:
            return slash_amount, taken_total
        entries = list(ubd.entries)
        for index, entry in enumerate(entries):
            taken = slash_amount.min(entry.balance)
            if (
                taken.is_zero()
                or entry.creation_height < infraction_height
                or entry.is_mature(ctx.block.time)
            ):
                continue
            slash_amount = slash_amount - taken
            taken_total = taken_total + taken
            entries[index] = replace(entry, balance=entry.balance - taken)
            self.set_unbonding_delegation(ctx, replace(ubd, entries=tuple(entries)))
        return slash_amount, taken_total

    def jail(self, ctx: Context, cons_addr: bytes) -> None:
        """Jail the validator: out of the power index, so out of the set at EndBlock."""
        validator = self.get_validator_by_cons_addr(ctx, cons_addr)
        if validator is None:
            raise InvariantViolation(
                f"validator with consensus address {cons_addr.hex()} not found"
            )
        self._jail_validator(ctx, validator)

    def unjail(self, ctx: Context, cons_addr: bytes) -> None:
        """Back into the power index; EndBlock decides whether it bonds."""
        validator = self.get_validator_by_cons_addr(ctx, cons_addr)
        if validator is None:
            raise InvariantViolation(
                f"validator with consensus address {cons_addr.hex()} not found"
            )
        if not validator.jailed:
            raise InvariantViolation("cannot unjail already unjailed validator")
        unjailed = replace(validator, jailed=False)
        self.set_validator(ctx, unjailed)
        self.set_validator_by_power_index(ctx, unjailed)

    def _jail_validator(self, ctx: Context, validator: Validator) -> None:
        if validator.jailed:
            raise InvariantViolation("cannot jail already jailed validator")
        self.set_validator(ctx, replace(validator, jailed=True))
        self.delete_validator_by_power_index(ctx, validator)
