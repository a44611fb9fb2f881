"""The distribution keeper: fee allocation, F1 reward periods, withdrawals, the community pool.

F1 ("fee distribution in one pass"): each validator keeps a running reward-per-token ratio. A
period ends whenever a delegation to the validator changes or the validator is slashed; ending
it adds (current rewards ⊘trunc tokens) to the cumulative ratio of the previous period. A
delegation remembers the period before it started and its token stake then; its rewards are
(ratio at the end − ratio at its start) ⊗trunc stake, with the stake reduced at each slash in
between. Every truncation rounds toward the module, so outstanding rewards always cover what can
be withdrawn; withdrawal remainders go to the community pool.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.chain.addresses import format_acc_address
from app.chain.context import Context, VoteInfo
from app.chain.errors import ErrUnauthorized, InvariantViolation
from app.chain.kv import KVStore
from app.modules.distribution import events, math, state
from app.modules.distribution.errors import (
    ErrBadDistribution,
    ErrEmptyDelegationDistInfo,
    ErrNoDelegationExists,
    ErrNoValidatorCommission,
    ErrNoValidatorExists,
    ErrSetWithdrawAddrDisabled,
)
from app.modules.distribution.expected import (
    AccountKeeper,
    BankKeeper,
    DelegationLike,
    StakingKeeper,
    ValidatorLike,
)
from app.modules.distribution.hooks import DistributionHooks
from app.modules.distribution.state import CurrentRewards, HistoricalRewards, Params, StartingInfo
from app.types.address import AccAddress, val_to_bech32
from app.types.coin import Coins, DecCoins
from app.types.dec import Dec

__all__ = ["MODULE_NAME", "DistributionKeeper"]

MODULE_NAME = "distribution"
"""The module account holding every allocated, not yet withdrawn reward and the community pool."""

MAX_REFERENCE_COUNT = 2
"""A historical period is referenced by at most one slash event and the next period (SDK)."""


class DistributionKeeper:
    """Rewards of store ``distribution``; the fee collector is emptied into it every block."""

    def __init__(
        self,
        accounts: AccountKeeper,
        bank: BankKeeper,
        staking: StakingKeeper,
        authority: AccAddress,
        fee_collector: str,
    ) -> None:
        self.accounts = accounts
        self.bank = bank
        self.staking = staking
        self.authority = authority
        self.fee_collector = fee_collector

    def _store(self, ctx: Context) -> KVStore:
        return ctx.store(state.STORE_NAME)

    def hooks(self) -> DistributionHooks:
        """The staking hooks that keep the reward accounting in step with staking."""
        return DistributionHooks(self)

    @property
    def module_address(self) -> AccAddress:
        return self.accounts.get_module_address(MODULE_NAME)

    # ---- params, community pool, withdraw addresses --------------------------------------------

    def get_params(self, ctx: Context) -> Params:
        return state.get_params(self._store(ctx))

    def set_params(self, ctx: Context, params: Params) -> None:
        state.set_params(self._store(ctx), params)

    def get_community_pool(self, ctx: Context) -> DecCoins:
        return state.get_community_pool(self._store(ctx))

    def _add_to_community_pool(self, ctx: Context, amount: DecCoins) -> None:
        store = self._store(ctx)
        state.set_community_pool(store, state.get_community_pool(store) + amount)

    def fund_community_pool(self, ctx: Context, amount: Coins, sender: AccAddress) -> None:
        """Move `amount` from `sender` into the community pool (bank emits the transfer)."""
        self.bank.send_coins_from_account_to_module(ctx, sender, MODULE_NAME, amount)
        self._add_to_community_pool(ctx, DecCoins.from_coins(amount))

    def distribute_from_community_pool(
        self, ctx: Context, amount: Coins, recipient: AccAddress
    ) -> None:
        """Pay `recipient` out of the community pool (``DistributeFromFeePool``).

        Raises:
            ChainError: distribution 9 when the pool holds less than `amount`.
        """
        pool, negative = self.get_community_pool(ctx).safe_sub(DecCoins.from_coins(amount))
        if negative:
            raise ErrBadDistribution.error()
        state.set_community_pool(self._store(ctx), pool)
        self.bank.send_coins(ctx, self.module_address, recipient, amount)

    def get_withdraw_addr(self, ctx: Context, delegator: bytes) -> AccAddress:
        """Where `delegator`'s rewards are paid: its chosen address, else itself."""
        chosen = state.get_withdraw_addr(self._store(ctx), delegator)
        return AccAddress(delegator if chosen is None else chosen)

    def set_withdraw_addr(self, ctx: Context, delegator: bytes, withdraw: AccAddress) -> None:
        """Choose where `delegator`'s rewards go (``SetWithdrawAddr``).

        Raises:
            ChainError: sdk 4 when `withdraw` is a module account; distribution 8 when
            choosing is disabled by the params.
        """
        if self.bank.is_blocked(withdraw):
            raise ErrUnauthorized.wrap(
                f"{format_acc_address(withdraw)} is not allowed to receive external funds"
            )
        if not self.get_params(ctx).withdraw_addr_enabled:
            raise ErrSetWithdrawAddrDisabled.error()
        ctx.emit(events.set_withdraw_address_event(format_acc_address(withdraw)))
        state.set_withdraw_addr(self._store(ctx), delegator, withdraw)

    # ---- allocation --------------------------------------------------------------------------

    def begin_block(self, ctx: Context) -> None:
        """Allocate the fee collector to the last commit's voters (from height 2: height 1 has
        no previous block), then remember this block's proposer."""
        votes = ctx.block.votes
        if ctx.block.height > 1:
            self.allocate_tokens(ctx, sum(vote.power for vote in votes), votes)
        state.set_previous_proposer(self._store(ctx), ctx.block.proposer)

    def allocate_tokens(
        self, ctx: Context, total_previous_power: int, votes: Sequence[VoteInfo]
    ) -> None:
        """Move the fee collector's balance here and split it by the voters' power
        (``AllocateTokens``): the community tax and rounding remainders go to the pool.

        Every vote counts, signed or not, as in the SDK.
        """
        collector = self.accounts.get_module_address(self.fee_collector)
        collected = self.bank.get_all_balances(ctx, collector)
        self.bank.send_coins_from_module_to_module(ctx, self.fee_collector, MODULE_NAME, collected)
        allocation = math.allocate(
            DecCoins.from_coins(collected),
            self.get_params(ctx).community_tax,
            total_previous_power,
            [vote.power for vote in votes],
        )
        for vote, reward in zip(votes, allocation.rewards, strict=False):
            validator = self.staking.get_validator_by_cons_addr(ctx, vote.address)
            if validator is None:
                raise InvariantViolation(f"no validator for voter {vote.address.hex()}")
            self.allocate_tokens_to_validator(ctx, validator, reward)
        self._add_to_community_pool(ctx, allocation.community_pool)

    def allocate_tokens_to_validator(
        self, ctx: Context, validator: ValidatorLike, tokens: DecCoins
    ) -> None:
        """Credit `tokens` to a validator: its commission share, the rest to its delegators'
        open period, all of it to its outstanding rewards."""
        operator = validator.operator
        commission, shared = math.split_commission(tokens, validator.commission.rate)
        store = self._store(ctx)
        text = val_to_bech32(operator)
        ctx.emit(events.commission_event(commission, text))
        state.set_commission(store, operator, state.get_commission(store, operator) + commission)
        current = self._current(ctx, operator)
        state.set_current(store, operator, CurrentRewards(current.rewards + shared, current.period))
        ctx.emit(events.rewards_event(tokens, text))
        state.set_outstanding(store, operator, state.get_outstanding(store, operator) + tokens)

    # ---- reward periods ----------------------------------------------------------------------

    def initialize_validator(self, ctx: Context, operator: bytes) -> None:
        """Open period 1 after an empty period 0 (referenced once, by period 1)."""
        store = self._store(ctx)
        state.set_historical(store, operator, 0, HistoricalRewards(DecCoins(), 1))
        state.set_current(store, operator, CurrentRewards(DecCoins(), 1))
        state.set_commission(store, operator, DecCoins())
        state.set_outstanding(store, operator, DecCoins())

    def increment_validator_period(self, ctx: Context, validator: ValidatorLike) -> int:
        """End the open period and return its number (``IncrementValidatorPeriod``).

        Its rewards raise the cumulative ratio by rewards ⊘trunc tokens; a validator without
        tokens cannot spread them, so they go to the community pool.
        """
        operator = validator.operator
        store = self._store(ctx)
        current = self._current(ctx, operator)
        tokens = Dec.from_int(validator.tokens)
        if tokens.is_zero():
            self._add_to_community_pool(ctx, current.rewards)
            outstanding = state.get_outstanding(store, operator)
            state.set_outstanding(store, operator, outstanding - current.rewards)
        previous = self._ratio(ctx, operator, current.period - 1)
        ratio = math.next_reward_ratio(previous, current.rewards, tokens)
        self._decrement_reference_count(ctx, operator, current.period - 1)
        state.set_historical(store, operator, current.period, HistoricalRewards(ratio, 1))
        state.set_current(store, operator, CurrentRewards(DecCoins(), current.period + 1))
        return current.period

    def pending_reward_ratio(self, ctx: Context, validator: ValidatorLike) -> DecCoins:
        """The ratio `increment_validator_period` would record now, without writing (queries)."""
        current = self._current(ctx, validator.operator)
        previous = self._ratio(ctx, validator.operator, current.period - 1)
        return math.next_reward_ratio(previous, current.rewards, Dec.from_int(validator.tokens))

    def _current(self, ctx: Context, operator: bytes) -> CurrentRewards:
        current = state.get_current(self._store(ctx), operator)
        if current is None:
            raise InvariantViolation(f"no current rewards for validator {val_to_bech32(operator)}")
        return current

    def _historical(self, ctx: Context, operator: bytes, period: int) -> HistoricalRewards:
        record = state.get_historical(self._store(ctx), operator, period)
        if record is None:
            raise InvariantViolation(
                f"no historical rewards for validator {val_to_bech32(operator)} period {period}"
            )
        return record

    def _ratio(self, ctx: Context, operator: bytes, period: int) -> DecCoins:
        return self._historical(ctx, operator, period).cumulative_reward_ratio

    def _increment_reference_count(self, ctx: Context, operator: bytes, period: int) -> None:
        record = self._historical(ctx, operator, period)
        if record.reference_count + 1 > MAX_REFERENCE_COUNT:
            raise InvariantViolation("reference count should never exceed 2")
        state.set_historical(
            self._store(ctx),
            operator,
            period,
            HistoricalRewards(record.cumulative_reward_ratio, record.reference_count + 1),
        )

    def _decrement_reference_count(self, ctx: Context, operator: bytes, period: int) -> None:
        """Drop one reference; the last one deletes the period."""
        record = self._historical(ctx, operator, period)
        if record.reference_count == 0:
            raise InvariantViolation("cannot set negative reference count")
        store = self._store(ctx)
        if record.reference_count == 1:
            state.delete_historical(store, operator, period)
        else:
            state.set_historical(
                store,
                operator,
                period,
                HistoricalRewards(record.cumulative_reward_ratio, record.reference_count - 1),
            )

    # ---- delegations -------------------------------------------------------------------------

    def initialize_delegation(self, ctx: Context, operator: bytes, delegator: bytes) -> None:
        """Start a delegation's accounting at the period just ended, with its current stake
        truncated to 18 decimals (so nobody is paid for stake they do not have)."""
        previous_period = self._current(ctx, operator).period - 1
        self._increment_reference_count(ctx, operator, previous_period)
        validator = self._validator(ctx, operator)
        delegation = self._delegation(ctx, delegator, operator)
        stake = validator.tokens_from_shares_truncated(delegation.shares)
        state.set_starting_info(
            self._store(ctx),
            operator,
            delegator,
            StartingInfo(previous_period, stake, ctx.block.height),
        )

    def calculate_delegation_rewards(
        self,
        ctx: Context,
        validator: ValidatorLike,
        delegation: DelegationLike,
        ending_ratio: DecCoins,
    ) -> DecCoins:
        """What the delegation earned from its start to a period ending at `ending_ratio`.

        Slashes in between split the span: each earns on the stake before it, which the slash
        then reduces ⊗trunc (1 − fraction). Nothing is due in the block the delegation started.
        """
        operator = validator.operator
        store = self._store(ctx)
        info = state.get_starting_info(store, operator, delegation.delegator)
        if info is None:
            raise ErrEmptyDelegationDistInfo.error()
        height = ctx.block.height
        if info.height == height:
            return DecCoins()
        rewards = DecCoins()
        starting_period = info.previous_period
        stake = info.stake
        if height > info.height:
            slashes = state.iterate_slash_events_between(store, operator, info.height, height)
            for _, event in slashes:
                if event.validator_period > starting_period:
                    rewards = rewards + math.rewards_between(
                        self._ratio(ctx, operator, starting_period),
                        self._ratio(ctx, operator, event.validator_period),
                        stake,
                    )
                    stake = math.slashed_stake(stake, event.fraction)
                    starting_period = event.validator_period
        try:
            stake = math.reconcile_stake(stake, validator.tokens_from_shares(delegation.shares))
            return rewards + math.rewards_between(
                self._ratio(ctx, operator, starting_period), ending_ratio, stake
            )
        except ValueError as exc:
            raise InvariantViolation(str(exc)) from None

    def delegation_rewards(self, ctx: Context, delegator: bytes, operator: bytes) -> DecCoins:
        """The rewards a withdrawal would pay now, computed without writing (queries).

        Raises:
            ChainError: distribution 12 / 13 when the validator / delegation does not exist.
        """
        validator = self._validator(ctx, operator)
        delegation = self._delegation(ctx, delegator, operator)
        return self.calculate_delegation_rewards(
            ctx, validator, delegation, self.pending_reward_ratio(ctx, validator)
        )

    def withdraw_delegation_rewards(self, ctx: Context, delegator: bytes, operator: bytes) -> Coins:
        """Pay a delegation's rewards to its withdraw address and restart its accounting.

        Raises:
            ChainError: distribution 12 / 13 when the validator / delegation does not exist,
            5 when the delegation has no starting info.
        """
        validator = self._validator(ctx, operator)
        delegation = self._delegation(ctx, delegator, operator)
        rewards = self._withdraw_rewards(ctx, validator, delegation)
        self.initialize_delegation(ctx, operator, delegator)
        return rewards

    def _withdraw_rewards(
        self, ctx: Context, validator: ValidatorLike, delegation: DelegationLike
    ) -> Coins:
        """End the period, pay what the delegation earned, drop its starting info.

        What is paid is capped by the outstanding rewards (rounding at the last digits), the
        whole coins go to the withdraw address and the decimal change to the community pool.
        """
        operator = validator.operator
        delegator = delegation.delegator
        store = self._store(ctx)
        info = state.get_starting_info(store, operator, delegator)
        if info is None:
            raise ErrEmptyDelegationDistInfo.error()
        ending_period = self.increment_validator_period(ctx, validator)
        owed = self.calculate_delegation_rewards(
            ctx, validator, delegation, self._ratio(ctx, operator, ending_period)
        )
        outstanding = state.get_outstanding(store, operator)
        rewards = owed.intersect(outstanding)
        paid, change = rewards.truncate_decimal()
        if paid:
            self.bank.send_coins(
                ctx, self.module_address, self.get_withdraw_addr(ctx, delegator), paid
            )
        state.set_outstanding(store, operator, outstanding - rewards)
        self._add_to_community_pool(ctx, change)
        self._decrement_reference_count(ctx, operator, info.previous_period)
        state.delete_starting_info(store, operator, delegator)
        # The bond denom is read (and its gas paid) even when the event is not built.
        amount = str(paid) if paid else f"0{self.staking.bond_denom(ctx)}"
        if ctx.records_events:  # CheckTx drops events: not worth building there
            ctx.emit(
                events.withdraw_rewards_event(
                    amount, val_to_bech32(operator), format_acc_address(delegator)
                )
            )
        return paid

    def withdraw_validator_commission(self, ctx: Context, operator: bytes) -> Coins:
        """Pay the whole coins of a validator's commission to the withdraw address of its
        operator account; the decimal change stays accumulated.

        Raises:
            ChainError: distribution 7 when there is no commission.
        """
        store = self._store(ctx)
        accumulated = state.get_commission(store, operator)
        if accumulated.is_zero():
            raise ErrNoValidatorCommission.error()
        commission, change = accumulated.truncate_decimal()
        state.set_commission(store, operator, change)
        outstanding = state.get_outstanding(store, operator)
        state.set_outstanding(store, operator, outstanding - DecCoins.from_coins(commission))
        if commission:
            self.bank.send_coins(
                ctx, self.module_address, self.get_withdraw_addr(ctx, operator), commission
            )
        ctx.emit(events.withdraw_commission_event(commission))
        return commission

    # ---- staking hook work -------------------------------------------------------------------

    def before_delegation_created(self, ctx: Context, operator: bytes) -> None:
        """A new delegation starts a period of its own."""
        self.increment_validator_period(ctx, self._validator(ctx, operator))

    def before_delegation_shares_modified(
        self, ctx: Context, delegator: bytes, operator: bytes
    ) -> None:
        """Pay out what the delegation earned on its old shares."""
        validator = self._validator(ctx, operator)
        delegation = self._delegation(ctx, delegator, operator)
        self._withdraw_rewards(ctx, validator, delegation)

    def remove_validator(self, ctx: Context, operator: bytes) -> None:
        """Settle a removed validator (``AfterValidatorRemoved``): pay its commission's whole
        coins to the operator's withdraw address, send the rest of its outstanding rewards (dust:
        it has no delegations left) to the community pool, and delete its records."""
        store = self._store(ctx)
        outstanding = state.get_outstanding(store, operator)
        commission = state.get_commission(store, operator)
        if not commission.is_zero():
            outstanding = outstanding - commission
            coins, change = commission.truncate_decimal()
            self._add_to_community_pool(ctx, change)
            if coins:
                self.bank.send_coins(
                    ctx, self.module_address, self.get_withdraw_addr(ctx, operator), coins
                )
        self._add_to_community_pool(ctx, outstanding)
        state.delete_outstanding(store, operator)
        state.delete_commission(store, operator)
        state.delete_slash_events(store, operator)
        state.delete_all_historical(store, operator)
        state.delete_current(store, operator)

    def record_slash(self, ctx: Context, operator: bytes, fraction: Dec) -> None:
        """End the period at a slash and record the fraction, keeping the ended period alive
        for the delegations that span it (``updateValidatorSlashFraction``)."""
        if fraction > Dec.one() or fraction.is_negative():
            raise InvariantViolation(f"fraction must be >=0 and <=1, current fraction: {fraction}")
        period = self.increment_validator_period(ctx, self._validator(ctx, operator))
        self._increment_reference_count(ctx, operator, period)
        state.set_slash_event(
            self._store(ctx), operator, ctx.block.height, state.SlashEvent(period, fraction)
        )

    # ---- lookups -----------------------------------------------------------------------------

    def _validator(self, ctx: Context, operator: bytes) -> ValidatorLike:
        validator = self.staking.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorExists.wrap(val_to_bech32(operator))
        return validator

    def _delegation(self, ctx: Context, delegator: bytes, operator: bytes) -> DelegationLike:
        delegation = self.staking.get_delegation(ctx, delegator, operator)
        if delegation is None:
            raise ErrNoDelegationExists.error()
        return delegation
