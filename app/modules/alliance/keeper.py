"""The alliance keeper: state transitions of terra-money/alliance ``x/alliance/keeper`` over the
pure formulas of `math.py`.

Each public method reads records, calls `math.compute_*`, writes the results and emits events;
the arithmetic and its rounding live in `math.py`. Addresses are raw bytes at this interface;
records hold bech32 text as the reference stores it. Sections refer to the spec
(`/work/shared/spec/alliance.md`).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace

from app.chain.context import Context
from app.chain.errors import ChainError, InvariantViolation
from app.chain.kv import KVStore
from app.modules.alliance import errors, events, math, state
from app.modules.alliance.expected import (
    AccountKeeper,
    BankKeeper,
    DistributionKeeper,
    StakingKeeper,
)
from app.modules.alliance.state import ParsedRedelegationIndexKey, ParsedUndelegationIndexKey
from app.modules.alliance.types import (
    ALLIANCE_MODULE_NAME,
    REWARDS_MODULE_NAME,
    AllianceAsset,
    AllianceValidatorInfo,
    Delegation,
    Params,
    QueuedRedelegation,
    QueuedUndelegation,
    Redelegation,
    RewardWeightRange,
    Undelegation,
    validate_create_alliance,
    validate_update_alliance,
)
from app.modules.staking.types import BondStatus
from app.types.address import (
    AccAddress,
    ValAddress,
    acc_address_from_bech32,
    acc_to_bech32,
    val_address_from_bech32,
    val_to_bech32,
)
from app.types.coin import Coin, Coins
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import Duration, Timestamp

__all__ = ["AllianceKeeper", "AssetFields"]


@dataclass(frozen=True, slots=True)
class AssetFields:
    """The governance-set fields of MsgCreateAlliance / MsgUpdateAlliance."""

    denom: str
    reward_weight: Dec
    take_rate: Dec
    reward_change_rate: Dec
    reward_change_interval: Duration
    reward_weight_range: RewardWeightRange


class AllianceKeeper:
    """Alliance state in store ``alliance``; `authority` (the gov account) governs assets and
    params; take-rate proceeds and unattributable rewards go to `fee_collector`."""

    def __init__(
        self,
        accounts: AccountKeeper,
        bank: BankKeeper,
        staking: StakingKeeper,
        distribution: DistributionKeeper,
        authority: AccAddress,
        fee_collector: str,
    ) -> None:
        self.bank = bank
        self.staking = staking
        self.distribution = distribution
        self.authority = authority
        self.fee_collector = fee_collector
        self.module_address = accounts.get_module_address(ALLIANCE_MODULE_NAME)
        self.rewards_address = accounts.get_module_address(REWARDS_MODULE_NAME)

    @staticmethod
    def _store(ctx: Context) -> KVStore:
        return ctx.store(state.STORE_NAME)

    # ---- params and assets ---------------------------------------------------------------------

    def get_params(self, ctx: Context) -> Params:
        return state.get_params(self._store(ctx))

    def set_params(self, ctx: Context, params: Params) -> None:
        state.set_params(self._store(ctx), params)

    def get_asset(self, ctx: Context, denom: str) -> AllianceAsset | None:
        return state.get_asset(self._store(ctx), denom)

    def get_all_assets(self, ctx: Context) -> list[AllianceAsset]:
        """Every asset in store order (shorter denoms first)."""
        return list(state.iterate_assets(self._store(ctx)))

    def _require_asset(self, ctx: Context, denom: str) -> AllianceAsset:
        asset = self.get_asset(ctx, denom)
        if asset is None:
            raise errors.ErrUnknownAsset.wrap(f"asset with denom: {denom} does not exist")
        return asset

    def set_rebalance_flag(self, ctx: Context) -> None:
        state.set_rebalance_flag(self._store(ctx))

    # ---- validators ----------------------------------------------------------------------------

    def get_validator_info(self, ctx: Context, operator: ValAddress) -> AllianceValidatorInfo:
        """The validator's alliance info, created empty and persisted on first use.

        Raises:
            ChainError: `ErrValidatorNotFound` when x/staking has no such validator.
        """
        store = self._store(ctx)
        info = state.get_validator_info(store, operator)
        if info is not None:
            return info
        if self.staking.get_validator(ctx, operator) is None:
            raise errors.ErrValidatorNotFound.wrap(
                f"validator with address {val_to_bech32(operator)} does not exist"
            )
        info = AllianceValidatorInfo.empty()
        state.set_validator_info(store, operator, info)
        return info

    def delete_validator_info(self, ctx: Context, operator: ValAddress) -> None:
        state.delete_validator_info(self._store(ctx), operator)

    # ---- delegate, undelegate, redelegate (§4.1–4.3) -------------------------------------------

    def delegate(
        self, ctx: Context, delegator: AccAddress, operator: ValAddress, coin: Coin
    ) -> Dec:
        """Stake `coin` with `operator`; returns the asset-level validator shares issued.

        Pending rewards are settled first: the delegation's own when it exists, else the
        validator's distribution rewards are folded into the indices before the newcomer joins.

        Raises:
            ChainError: unknown asset or validator; insufficient funds.
        """
        store = self._store(ctx)
        asset = self.get_asset(ctx, coin.denom)
        if asset is None:
            raise errors.ErrUnknownAsset.wrap(
                f"asset with denom: {coin.denom} does not exist in alliance whitelist"
            )
        self.get_validator_info(ctx, operator)
        self.bank.send_coins_from_account_to_module(
            ctx, delegator, ALLIANCE_MODULE_NAME, Coins([coin])
        )
        if state.get_delegation(store, delegator, operator, coin.denom) is not None:
            self.claim_delegation_rewards(ctx, delegator, operator, coin.denom)
        else:
            self.claim_validator_rewards(ctx, operator)
        info = self.get_validator_info(ctx, operator)
        existing = state.get_delegation(store, delegator, operator, coin.denom)
        change = math.compute_delegation(info, asset, coin.amount)
        if existing is None:
            delegation = Delegation(
                acc_to_bech32(delegator),
                val_to_bech32(operator),
                coin.denom,
                change.delegation_shares,
                info.global_reward_history,
                ctx.block.height,
            )
        else:
            delegation = replace(existing, shares=existing.shares + change.delegation_shares)
        state.set_delegation(store, delegator, operator, delegation)
        state.set_asset(store, change.asset)
        state.set_validator_info(store, operator, change.info)
        state.set_rebalance_flag(store)
        if ctx.records_events:  # CheckTx drops events: not worth building there
            ctx.emit(
                events.delegate_event(
                    acc_to_bech32(delegator), val_to_bech32(operator), coin, change.validator_shares
                )
            )
        return change.validator_shares

    def _require_delegation(
        self, ctx: Context, delegator: AccAddress, operator: ValAddress, denom: str
    ) -> Delegation:
        delegation = state.get_delegation(self._store(ctx), delegator, operator, denom)
        if delegation is None:
            raise errors.ErrStakingNoDelegatorForAddress.error()
        return delegation

    def _write_remaining_shares(
        self,
        ctx: Context,
        delegator: AccAddress,
        operator: ValAddress,
        delegation: Delegation,
        removed: Dec,
    ) -> Dec | None:
        """Store the delegation less `removed` shares (deleted at exactly zero); its shares
        afterwards, None once deleted."""
        store = self._store(ctx)
        remaining = delegation.shares - removed
        if remaining.is_zero():
            state.delete_delegation(store, delegator, operator, delegation.denom)
            return None
        state.set_delegation(store, delegator, operator, replace(delegation, shares=remaining))
        return remaining

    def _clear_dust(
        self,
        ctx: Context,
        delegator: AccAddress,
        operator: ValAddress,
        remaining: Dec | None,
        info: AllianceValidatorInfo,
        asset: AllianceAsset,
    ) -> None:
        """`ClearDustDelegation` (§3.5): drop a worthless delegation and stale validator shares,
        then reset the asset's shares everywhere once it holds no tokens."""
        store = self._store(ctx)
        clearance = math.compute_dust_clearance(remaining, info, asset)
        if clearance.delete_delegation:
            state.delete_delegation(store, delegator, operator, asset.denom)
        state.set_validator_info(store, operator, clearance.info)
        reset = math.compute_asset_reset(asset)
        if reset is None:
            return
        state.set_asset(store, reset)
        for other, other_info in list(state.iterate_validator_infos(store)):
            stripped = math.compute_info_without_validator_shares(other_info, asset.denom)
            state.set_validator_info(store, other, stripped)

    def _count_pending_undelegations(
        self, ctx: Context, delegator: AccAddress, operator: ValAddress, denom: str
    ) -> int:
        """Queue entries of (delegator, operator, denom) still waiting for completion."""
        store = self._store(ctx)
        delegator_text, operator_text = acc_to_bech32(delegator), val_to_bech32(operator)
        count = 0
        for index in state.iterate_undelegation_index(store, operator):
            if index.delegator != delegator or index.denom != denom:
                continue
            bucket = state.get_undelegation_bucket(store, index.completion, delegator)
            entries = () if bucket is None else bucket.entries
            count += sum(
                1
                for entry in entries
                if entry.validator_address == operator_text
                and entry.balance.denom == denom
                and entry.delegator_address == delegator_text
            )
        return count

    def undelegate(
        self, ctx: Context, delegator: AccAddress, operator: ValAddress, coin: Coin
    ) -> Timestamp:
        """Unstake `coin`; it is paid back after the staking unbonding time. Returns completion.

        Raises:
            ChainError: unknown asset; no delegation; insufficient shares or tokens; too many
            pending undelegations.
        """
        store = self._store(ctx)
        self._require_asset(ctx, coin.denom)
        self._require_delegation(ctx, delegator, operator, coin.denom)
        self.claim_delegation_rewards(ctx, delegator, operator, coin.denom)
        delegation = self._require_delegation(ctx, delegator, operator, coin.denom)
        asset = self._require_asset(ctx, coin.denom)
        info = self.get_validator_info(ctx, operator)
        change = math.compute_undelegation(info, asset, delegation.shares, coin.amount)
        math.check_undelegation_entries(
            self._count_pending_undelegations(ctx, delegator, operator, coin.denom)
        )
        state.set_asset(store, change.asset)
        remaining = self._write_remaining_shares(
            ctx, delegator, operator, delegation, change.delegation_shares
        )
        self._clear_dust(ctx, delegator, operator, remaining, change.info, change.asset)
        completion = Timestamp(ctx.block.time + self.staking.unbonding_time(ctx))
        undelegation = Undelegation(acc_to_bech32(delegator), val_to_bech32(operator), coin)
        bucket = state.get_undelegation_bucket(store, completion, delegator)
        entries = () if bucket is None else bucket.entries
        state.set_undelegation_bucket(
            store, completion, delegator, QueuedUndelegation((*entries, undelegation))
        )
        state.set_undelegation_index(
            store, ParsedUndelegationIndexKey(operator, completion, coin.denom, delegator)
        )
        state.set_rebalance_flag(store)
        ctx.emit(events.undelegate_event(undelegation, completion))
        return completion

    def redelegate(
        self,
        ctx: Context,
        delegator: AccAddress,
        source: ValAddress,
        destination: ValAddress,
        coin: Coin,
    ) -> Timestamp:
        """Move `coin` of stake between validators at once; the record blocks transitive
        redelegation and allows slashing until completion, which is returned.

        Raises:
            ChainError: same validator; unknown asset; no delegation; insufficient shares or
            tokens; transitive redelegation.
        """
        store = self._store(ctx)
        if source == destination:
            raise errors.ErrRedelegateToSameValidator.error()
        self._require_asset(ctx, coin.denom)
        self._require_delegation(ctx, delegator, source, coin.denom)
        self.claim_delegation_rewards(ctx, delegator, source, coin.denom)
        if state.get_delegation(store, delegator, destination, coin.denom) is not None:
            self.claim_delegation_rewards(ctx, delegator, destination, coin.denom)
        source_delegation = self._require_delegation(ctx, delegator, source, coin.denom)
        asset = self._require_asset(ctx, coin.denom)
        source_info = self.get_validator_info(ctx, source)
        destination_info = self.get_validator_info(ctx, destination)
        change = math.compute_redelegation(
            source_info, destination_info, asset, source_delegation.shares, coin.amount
        )
        if state.has_redelegation_to(store, delegator, coin.denom, source):
            raise errors.ErrStakingTransitiveRedelegation.error()
        completion = Timestamp(ctx.block.time + self.staking.unbonding_time(ctx))
        remaining = self._write_remaining_shares(
            ctx, delegator, source, source_delegation, change.source.delegation_shares
        )
        self._clear_dust(ctx, delegator, source, remaining, change.source.info, asset)
        existing = state.get_delegation(store, delegator, destination, coin.denom)
        if existing is None:
            target = Delegation(
                acc_to_bech32(delegator),
                val_to_bech32(destination),
                coin.denom,
                change.destination.delegation_shares,
                destination_info.global_reward_history,
                ctx.block.height,
            )
        else:
            target = replace(
                existing, shares=existing.shares + change.destination.delegation_shares
            )
        state.set_delegation(store, delegator, destination, target)
        state.set_validator_info(store, destination, change.destination.info)
        self._add_redelegation(ctx, delegator, source, destination, coin, completion)
        state.set_rebalance_flag(store)
        ctx.emit(
            events.redelegate_event(
                acc_to_bech32(delegator),
                val_to_bech32(source),
                val_to_bech32(destination),
                coin,
                completion,
            )
        )
        return completion

    def _add_redelegation(
        self,
        ctx: Context,
        delegator: AccAddress,
        source: ValAddress,
        destination: ValAddress,
        coin: Coin,
        completion: Timestamp,
    ) -> None:
        """Record, source index and queue entry; a record of the same (delegator, denom,
        destination, completion) grows and keeps its first source (reference quirk)."""
        store = self._store(ctx)
        entry = Redelegation(
            acc_to_bech32(delegator), val_to_bech32(source), val_to_bech32(destination), coin
        )
        record = state.get_redelegation(store, delegator, coin.denom, destination, completion)
        if record is not None:
            merged = Coin(coin.denom, record.balance.amount + coin.amount)
            entry_to_store = replace(record, balance=merged)
        else:
            entry_to_store = entry
        state.set_redelegation(
            store, delegator, coin.denom, destination, completion, entry_to_store
        )
        state.set_redelegation_index(
            store,
            ParsedRedelegationIndexKey(source, completion, coin.denom, destination, delegator),
        )
        queue = state.get_redelegation_queue(store, completion)
        entries = () if queue is None else queue.entries
        state.set_redelegation_queue(store, completion, QueuedRedelegation((*entries, entry)))

    # ---- rewards (§5) --------------------------------------------------------------------------

    def claim_validator_rewards(self, ctx: Context, operator: ValAddress) -> Coins:
        """Withdraw the virtual stake's distribution rewards on `operator` into the indices
        (`ClaimValidatorRewards`); nothing without a module delegation there."""
        if self.staking.get_delegation(ctx, self.module_address, operator) is None:
            return Coins()
        coins = self.distribution.withdraw_delegation_rewards(ctx, self.module_address, operator)
        if coins.is_zero():
            return coins
        self.add_assets_to_reward_pool(ctx, ALLIANCE_MODULE_NAME, operator, coins)
        return coins

    def add_assets_to_reward_pool(
        self, ctx: Context, from_module: str, operator: ValAddress, coins: Coins
    ) -> None:
        """Raise the validator's reward indices by `coins` and move them from `from_module` to
        `alliance_rewards` (`AddAssetsToRewardPool`, §5.2).

        Fix: coins no asset can claim (no delegators, no eligible asset, zero weights) go to the
        fee collector, to reach all stakers next block, instead of being stranded.
        """
        store = self._store(ctx)
        info = self.get_validator_info(ctx, operator)
        updated = math.compute_reward_index_update(
            info, self.get_all_assets(ctx), coins, ctx.block.time
        )
        if updated is None:
            self.bank.send_coins_from_module_to_module(ctx, from_module, self.fee_collector, coins)
            return
        state.set_validator_info(store, operator, updated)
        self.bank.send_coins_from_module_to_module(ctx, from_module, REWARDS_MODULE_NAME, coins)

    def claim_delegation_rewards(
        self, ctx: Context, delegator: AccAddress, operator: ValAddress, denom: str
    ) -> Coins:
        """Pay a delegation's rewards (`ClaimDelegationRewards`, §5.4): nothing before the
        asset's reward start; at most what `alliance_rewards` holds (fix, ≤ 1 unit short).

        Raises:
            ChainError: unknown asset; no delegation.
        """
        store = self._store(ctx)
        asset = self.get_asset(ctx, denom)
        if asset is None:
            raise errors.ErrUnknownAsset.wrap(denom)
        if not asset.has_rewards_started(ctx.block.time):
            return Coins()
        delegation = self._require_delegation(ctx, delegator, operator, denom)
        self.claim_validator_rewards(ctx, operator)
        info = self.get_validator_info(ctx, operator)
        snapshots = [
            snapshot
            for _, snapshot in state.iterate_snapshots(
                store, denom, operator, delegation.last_reward_claim_height
            )
        ]
        owed, history = math.compute_delegation_rewards(delegation, info, asset, snapshots)
        state.set_delegation(
            store,
            delegator,
            operator,
            replace(delegation, reward_history=history, last_reward_claim_height=ctx.block.height),
        )
        paid = math.compute_claim_payout(
            owed, self.bank.get_all_balances(ctx, self.rewards_address)
        )
        if not paid.is_zero():
            self.bank.send_coins_from_module_to_account(ctx, REWARDS_MODULE_NAME, delegator, paid)
        if ctx.records_events:  # CheckTx drops events: not worth building there
            ctx.emit(
                events.claim_rewards_event(acc_to_bech32(delegator), val_to_bech32(operator), paid)
            )
        return paid

    def preview_delegation_rewards(
        self, ctx: Context, delegator: AccAddress, operator: ValAddress, denom: str
    ) -> Coins:
        """What `claim_delegation_rewards` would pay now, computed without writing (queries):
        the validator's pending distribution rewards are folded in as a claim would.

        Raises:
            ChainError: unknown asset; no delegation (x/staking's ErrNoDelegation).
        """
        store = self._store(ctx)
        asset = self.get_asset(ctx, denom)
        if asset is None:
            raise errors.ErrUnknownAsset.wrap(denom)
        if not asset.has_rewards_started(ctx.block.time):
            return Coins()
        delegation = state.get_delegation(store, delegator, operator, denom)
        if delegation is None:
            raise errors.ErrStakingNoDelegation.error()
        info = state.get_validator_info(store, operator) or AllianceValidatorInfo.empty()
        available = self.bank.get_all_balances(ctx, self.rewards_address)
        if self.staking.get_delegation(ctx, self.module_address, operator) is not None:
            pending_dec = self.distribution.delegation_rewards(ctx, self.module_address, operator)
            pending, _ = pending_dec.truncate_decimal()
            if not pending.is_zero():
                updated = math.compute_reward_index_update(
                    info, self.get_all_assets(ctx), pending, ctx.block.time
                )
                if updated is not None:
                    info = updated
                    available = available + pending
        snapshots = [
            snapshot
            for _, snapshot in state.iterate_snapshots(
                store, denom, operator, delegation.last_reward_claim_height
            )
        ]
        owed, _ = math.compute_delegation_rewards(delegation, info, asset, snapshots)
        return math.compute_claim_payout(owed, available)

    def get_delegation_tokens(self, ctx: Context, delegation: Delegation) -> Coin:
        """The whole tokens a delegation is worth now (`GetDelegationTokens`); zero for a
        deleted asset."""
        asset = self.get_asset(ctx, delegation.denom)
        if asset is None:
            return Coin(delegation.denom, Int(0))
        operator = val_address_from_bech32(delegation.validator_address)
        info = state.get_validator_info(self._store(ctx), operator)
        return math.compute_delegation_tokens(
            delegation.shares, info or AllianceValidatorInfo.empty(), asset
        )

    # ---- governance (§4.5–4.8, §7.3) -----------------------------------------------------------

    def create_alliance(self, ctx: Context, fields: AssetFields) -> AllianceAsset:
        """List a new asset: rewards start after the reward delay.

        Raises:
            ChainError: invalid fields; the bond denom; `ErrAlreadyExists`.
        """
        validate_create_alliance(
            fields.denom,
            fields.reward_weight,
            fields.take_rate,
            fields.reward_change_rate,
            fields.reward_change_interval,
            fields.reward_weight_range,
            self.staking.bond_denom(ctx),
        )
        if self.get_asset(ctx, fields.denom) is not None:
            raise errors.ErrAlreadyExists.wrap(fields.denom)
        asset = math.compute_new_asset(
            fields.denom,
            fields.reward_weight,
            fields.take_rate,
            fields.reward_change_rate,
            fields.reward_change_interval,
            fields.reward_weight_range,
            ctx.block.time,
            self.get_params(ctx).reward_delay_time,
        )
        state.set_asset(self._store(ctx), asset)
        return asset

    def update_alliance(self, ctx: Context, fields: AssetFields) -> AllianceAsset:
        """Change an asset's weight, take rate, schedule and range (`MsgUpdateAlliance`).

        Raises:
            ChainError: invalid fields; unknown asset; weight outside the new range.
        """
        validate_update_alliance(
            fields.denom,
            fields.reward_weight,
            fields.take_rate,
            fields.reward_change_rate,
            fields.reward_change_interval,
        )
        stored = self._require_asset(ctx, fields.denom)
        updated = math.compute_asset_update(
            stored,
            fields.reward_weight,
            fields.take_rate,
            fields.reward_change_rate,
            fields.reward_change_interval,
            fields.reward_weight_range,
            ctx.block.time,
        )
        self._store_asset_update(ctx, stored, updated)
        return updated

    def _store_asset_update(
        self, ctx: Context, stored: AllianceAsset, updated: AllianceAsset
    ) -> None:
        """Save an updated asset; a weight change first settles every validator's rewards and
        snapshots its indices at the old weight (§7.3 step 3)."""
        store = self._store(ctx)
        if updated.reward_weight != stored.reward_weight:
            for operator, _ in list(state.iterate_validator_infos(store)):
                self.claim_validator_rewards(ctx, operator)
                info = self.get_validator_info(ctx, operator)
                snapshot = math.compute_weight_change_snapshot(
                    info, stored.denom, stored.reward_weight
                )
                state.set_snapshot(store, stored.denom, operator, ctx.block.height, snapshot)
            state.set_rebalance_flag(store)
            ctx.emit(
                events.weight_change_event(
                    stored.denom, stored.reward_weight, updated.reward_weight
                )
            )
        state.set_asset(store, updated)

    def delete_alliance(self, ctx: Context, denom: str) -> None:
        """Delist an asset that holds no tokens.

        Raises:
            ChainError: unknown asset; `ErrActiveDelegationsExists`.
        """
        asset = self._require_asset(ctx, denom)
        if asset.total_tokens.is_positive():
            raise errors.ErrActiveDelegationsExists.error()
        state.delete_asset(self._store(ctx), denom)

    # ---- EndBlock steps (§13) ------------------------------------------------------------------

    def complete_redelegations(self, ctx: Context) -> int:
        """Forget redelegations completed strictly before the block time; returns the entries
        processed (step 1)."""
        store = self._store(ctx)
        processed = 0
        for completion, queue in list(
            state.iterate_mature_redelegation_queues(store, ctx.block.time)
        ):
            for entry in queue.entries:
                delegator = acc_address_from_bech32(entry.delegator_address)
                destination = val_address_from_bech32(entry.dst_validator_address)
                source = val_address_from_bech32(entry.src_validator_address)
                denom = entry.balance.denom
                state.delete_redelegation(store, delegator, denom, destination, completion)
                state.delete_redelegation_index(
                    store,
                    ParsedRedelegationIndexKey(source, completion, denom, destination, delegator),
                )
                processed += 1
            state.delete_redelegation_queue(store, completion)
        return processed

    def complete_undelegations(self, ctx: Context) -> None:
        """Pay out undelegations completed strictly before the block time, then burn stray
        bond-denom coins of the module account (step 2).

        The burn is skipped when the bond denom is itself an asset (possible only through
        genesis): upstream would burn its staked tokens every block.
        """
        store = self._store(ctx)
        for completion, delegator, bucket in list(
            state.iterate_mature_undelegation_buckets(store, ctx.block.time)
        ):
            for entry in bucket.entries:
                if entry.balance.amount.is_positive():
                    self.bank.send_coins_from_module_to_account(
                        ctx, ALLIANCE_MODULE_NAME, delegator, Coins([entry.balance])
                    )
                operator = val_address_from_bech32(entry.validator_address)
                state.delete_undelegation_index(
                    store,
                    ParsedUndelegationIndexKey(
                        operator, completion, entry.balance.denom, delegator
                    ),
                )
            state.delete_undelegation_bucket(store, completion, delegator)
        bond_denom = self.staking.bond_denom(ctx)
        if self.get_asset(ctx, bond_denom) is not None:
            return
        stray = self.bank.get_balance(ctx, self.module_address, bond_denom)
        if stray.is_positive():
            self.bank.burn_coins(ctx, ALLIANCE_MODULE_NAME, Coins([Coin(bond_denom, stray)]))

    def initialize_assets(self, ctx: Context) -> None:
        """Mark assets whose rewards have started as initialized (step 3, informational)."""
        store = self._store(ctx)
        for asset in self.get_all_assets(ctx):
            if not asset.is_initialized and asset.has_rewards_started(ctx.block.time):
                state.set_asset(store, replace(asset, is_initialized=True))

    def deduct_take_rate(self, ctx: Context) -> Coins:
        """Apply the take rate when a period has passed (`DeductAssetsHook`, step 4): the
        proceeds go to the fee collector; returns them."""
        store = self._store(ctx)
        params = self.get_params(ctx)
        if not math.is_take_rate_due(params, ctx.block.time):
            return Coins()
        deduction = math.compute_take_rate_deduction(
            params, self.get_all_assets(ctx), ctx.block.time
        )
        for asset in deduction.assets:
            state.set_asset(store, asset)
            ctx.emit(
                events.deduct_asset_event(
                    Coin(asset.denom, deduction.deducted.amount_of(asset.denom)),
                    asset.total_tokens,
                )
            )
        if not deduction.deducted.is_zero():
            self.bank.send_coins_from_module_to_module(
                ctx, ALLIANCE_MODULE_NAME, self.fee_collector, deduction.deducted
            )
            ctx.emit(events.deduct_assets_event(deduction.deducted))
        state.set_params(
            store, replace(params, last_take_rate_claim_time=deduction.last_take_rate_claim_time)
        )
        return deduction.deducted

    def apply_weight_schedule(self, ctx: Context) -> None:
        """Advance every due reward-weight schedule (`RewardWeightChangeHook`, step 5).

        The clamped weight always lies in the range, so unlike upstream (which re-checks and
        halts on an inverted genesis range) no error can stop the block here.
        """
        for asset in self.get_all_assets(ctx):
            updated = math.compute_scheduled_weight_change(asset, ctx.block.time)
            if updated is None:
                continue
            self.set_rebalance_flag(ctx)
            self._store_asset_update(ctx, asset, updated)

    def rebalance_if_requested(self, ctx: Context) -> None:
        """Rebalance when the flag is set, consuming it (`RebalanceHook`, step 6)."""
        if state.consume_rebalance_flag(self._store(ctx)):
            self.rebalance(ctx)

    def rebalance(self, ctx: Context) -> None:
        """Mint and delegate, or unbond and burn, the bond denom so each bonded validator's
        virtual stake matches its assets' weights (`RebalanceBondTokenWeights`, §8.2)."""
        store = self._store(ctx)
        infos = list(state.iterate_validator_infos(store))
        module_delegations = self.staking.get_delegator_delegations(ctx, self.module_address)
        validators: dict[ValAddress, math.StakingValidator] = {}
        operators = [op for op, _ in infos] + [ValAddress(d.validator) for d in module_delegations]
        for operator in operators:
            validator = self.staking.get_validator(ctx, operator)
            if validator is not None:
                validators[operator] = math.StakingValidator(
                    operator, validator.is_bonded(), validator.tokens, validator.delegator_shares
                )
        plan = math.compute_rebalance_plan(
            infos,
            validators,
            [(ValAddress(d.validator), d.shares) for d in module_delegations],
            self.get_all_assets(ctx),
            self.staking.total_bonded_tokens(ctx),
            ctx.block.time,
        )
        bond_denom = self.staking.bond_denom(ctx)
        for adjustment in plan.adjustments:
            self._adjust_virtual_stake(ctx, adjustment, bond_denom)
            ctx.emit(
                events.rebalance_event(
                    val_to_bech32(adjustment.validator), adjustment.amount, bond_denom
                )
            )
        if plan.requeue:
            state.set_rebalance_flag(store)

    def _adjust_virtual_stake(
        self, ctx: Context, adjustment: math.StakeAdjustment, bond_denom: str
    ) -> None:
        operator = adjustment.validator
        if adjustment.amount.is_positive():
            self.bank.mint_coins(
                ctx, ALLIANCE_MODULE_NAME, Coins([Coin(bond_denom, adjustment.amount)])
            )
            self.claim_validator_rewards(ctx, operator)
            validator = self.staking.get_validator(ctx, operator)
            if validator is None:
                raise InvariantViolation(f"rebalancing unknown validator {operator.hex()}")
            self.staking.delegate(
                ctx, self.module_address, adjustment.amount, BondStatus.UNBONDED, validator, True
            )
            return
        amount = Int(0) - adjustment.amount
        shares = self.staking.validate_unbond_amount(ctx, self.module_address, operator, amount)
        self.claim_validator_rewards(ctx, operator)
        burned = self.staking.unbond(ctx, self.module_address, operator, shares)
        self.staking.burn_bonded_tokens(ctx, burned)

    def alliance_bonded_amount(self, ctx: Context) -> Int:
        """The virtual stake on bonded validators: Σ TokensFromSharesTruncated of the module's
        delegations (`GetAllianceBondedAmount`), hidden from the bank supply queries."""
        total = Dec.zero()
        for delegation in self.staking.get_delegator_delegations(ctx, self.module_address):
            validator = self.staking.get_validator(ctx, delegation.validator)
            if validator is not None and validator.is_bonded():
                total = total + validator.tokens_from_shares_truncated(delegation.shares)
        return total.truncate_int()

    def supply_offset(self, ctx: Context, denom: str) -> Int:
        """The amount of `denom` the bank supply queries hide: the virtual stake, for the bond
        denom only (the reference app's bank wrapper)."""
        if denom != self.staking.bond_denom(ctx):
            return Int(0)
        return self.alliance_bonded_amount(ctx)

    # ---- slashing (§10) ------------------------------------------------------------------------

    def slash_validator(self, ctx: Context, operator: ValAddress, fraction: Dec) -> None:
        """Cut the validator's asset shares and its immature redelegations and undelegations
        by `fraction` (`SlashValidator`); the infraction height is ignored, as upstream.

        Raises:
            ChainError: invalid fraction; unknown asset; a destination delegation that cannot
            cover its share of the slash (writes made before stay, as upstream).
        """
        store = self._store(ctx)
        math.validate_slash_fraction(fraction)
        info = self.get_validator_info(ctx, operator)
        assets = {asset.denom: asset for asset in self.get_all_assets(ctx)}
        slash = math.compute_validator_slash(info, assets, fraction)
        state.set_validator_info(store, operator, slash.info)
        for asset in slash.assets:
            state.set_asset(store, asset)
        ctx.emit(
            events.slash_validator_event(val_to_bech32(operator), fraction, slash.slashed_shares)
        )
        self._slash_redelegations(ctx, operator, fraction)
        self._slash_undelegations(ctx, operator, fraction)

    def _slash_redelegations(self, ctx: Context, source: ValAddress, fraction: Dec) -> None:
        """Take the slashed part of immature redelegations out of `source` back from their
        destination delegations (§10.2); their value shifts to the destination's other
        delegators of the asset."""
        store = self._store(ctx)
        for index in list(state.iterate_redelegation_index(store, source)):
            if index.completion < ctx.block.time:
                continue
            record = state.get_redelegation(
                store, index.delegator, index.denom, index.destination, index.completion
            )
            if record is None:
                continue
            self.claim_delegation_rewards(ctx, index.delegator, index.destination, index.denom)
            target = state.get_delegation(store, index.delegator, index.destination, index.denom)
            asset = self.get_asset(ctx, index.denom)
            if target is None or asset is None:
                continue
            tokens = math.compute_redelegation_slash_tokens(fraction, record.balance.amount)
            destination_info = self.get_validator_info(ctx, index.destination)
            shares = math.compute_shares_to_remove(target.shares, tokens, destination_info, asset)
            state.set_delegation(
                store,
                index.delegator,
                index.destination,
                replace(target, shares=target.shares - shares),
            )
            state.set_validator_info(
                store,
                index.destination,
                math.compute_reduced_shares(destination_info, index.denom, shares, Dec.zero()),
            )

    def _slash_undelegations(self, ctx: Context, operator: ValAddress, fraction: Dec) -> None:
        """Cut every entry of the immature buckets indexed under `operator` (§10.3, whole
        buckets as upstream); the cut goes to the fee collector."""
        store = self._store(ctx)
        for index in list(state.iterate_undelegation_index(store, operator)):
            if index.completion < ctx.block.time:
                continue
            bucket = state.get_undelegation_bucket(store, index.completion, index.delegator)
            if bucket is None:
                continue
            reduced, cut = math.compute_undelegation_slash(bucket, fraction)
            state.set_undelegation_bucket(store, index.completion, index.delegator, reduced)
            if not cut.is_zero():
                self.bank.send_coins_from_module_to_module(
                    ctx, ALLIANCE_MODULE_NAME, self.fee_collector, cut
                )

    def handle_slash_hook(self, ctx: Context, operator: ValAddress, fraction: Dec) -> None:
        """`BeforeValidatorSlashed`: slash, then ask for a rebalance. An error is dropped, as
        SDK v0.50 only logs hook errors; the writes made before it stay."""
        with suppress(ChainError):
            self.slash_validator(ctx, operator, fraction)
        self.set_rebalance_flag(ctx)
