"""Alliance arithmetic: every formula of the module as a pure function of its inputs.

No store, no context, no clock: the keeper reads records, calls these, writes the results.
Numbers are `Int` and `Dec` (LegacyDec, bit-exact), times `Timestamp` nanoseconds. Notation in
the docstrings (spec §3.1): `⊗` Dec.mul (half-even), `⊘` Dec.quo (half-even), `⊗ᵢ` mul_int
(exact), `⊘ᵢ` quo_int (truncating), `trunc` toward zero. References are to
terra-money/alliance ``x/alliance`` at 94ff284 (spec sections in brackets).

Rounding is the reference's, quirks included, except where a note says "fix".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from app.chain.errors import InvariantViolation
from app.modules.alliance import errors
from app.modules.alliance.types import (
    AllianceAsset,
    AllianceValidatorInfo,
    Delegation,
    Params,
    QueuedUndelegation,
    RewardHistory,
    RewardWeightChangeSnapshot,
    RewardWeightRange,
    Undelegation,
)
from app.types.address import ValAddress
from app.types.coin import Coin, Coins, DecCoin, DecCoins
from app.types.dec import Dec
from app.types.errors import NegativeCoinsError
from app.types.int import Int
from app.types.time import GO_ZERO_TIME, Duration, Timestamp

REWARD_ROUNDER: Final = Dec.new_with_prec(1, 2)
"""0.01: token values within this of a whole number count as it (`Rounder`, since 457b67f)."""

MAX_UNDELEGATION_ENTRIES: Final = 7
"""Pending undelegations allowed per (delegator, validator, denom), as x/staking's max_entries.

Fix: the reference has no cap, so one-token undelegations could grow the queue without bound
(an audit finding).
"""

_GO_MAX_DURATION: Final = 2**63 - 1
_GO_MIN_DURATION: Final = -(2**63)


def compute_elapsed(later: Timestamp, earlier: Timestamp) -> Duration:
    """later − earlier in nanoseconds, saturated to Go's int64 range like Go's `Time.Sub`.

    With an anchor older than ~292 years (a genesis asset left at the zero time) the elapsed
    time saturates, so the schedules of §6 and §7 advance in several steps, as upstream.
    """
    return Duration(max(_GO_MIN_DURATION, min(_GO_MAX_DURATION, later - earlier)))


# ---- shares and tokens (§3.2) ------------------------------------------------------------------


def compute_shares_for_new_tokens(total_tokens: Dec, total_shares: Dec, new_tokens: Int) -> Dec:
    """Shares issued for `new_tokens` joining a pool (`ConvertNewTokenToShares`).

    total_shares == 0 → Dec(new_tokens); else (total_shares ⊘ total_tokens) ⊗ᵢ new_tokens.
    The ratio is rounded to 18 decimals before the exact product. `ZeroDivisionError` when
    shares exist but total_tokens is 0 (Go panics).
    """
    if total_shares.is_zero():
        return Dec.from_int(new_tokens)
    return total_shares.quo(total_tokens).mul_int(new_tokens)


def compute_tokens_for_shares(total_tokens: Dec, total_shares: Dec, shares: Dec) -> Dec:
    """Token value of `shares` in a pool (`ConvertNewShareToDecToken`).

    total_shares == 0 → total_tokens (the whole pool, not 0: a reference quirk kept);
    else (shares ⊘ total_shares) ⊗ total_tokens.
    """
    if total_shares.is_zero():
        return total_tokens
    return shares.quo(total_shares).mul(total_tokens)


def compute_validator_asset_tokens(info: AllianceValidatorInfo, asset: AllianceAsset) -> Dec:
    """Token value of a validator's stake in `asset` (`TotalTokensWithAsset`).

    asset.total_validator_shares == 0 → Dec(asset.total_tokens);
    else (validator_shares[asset] ⊘ total_validator_shares) ⊗ Dec(total_tokens).
    """
    return compute_tokens_for_shares(
        Dec.from_int(asset.total_tokens),
        asset.total_validator_shares,
        info.validator_shares.amount_of(asset.denom),
    )


def compute_validator_shares_for_tokens(asset: AllianceAsset, tokens: Int) -> Dec:
    """Asset-level validator shares for `tokens` (`GetValidatorShares`)."""
    return compute_shares_for_new_tokens(
        Dec.from_int(asset.total_tokens), asset.total_validator_shares, tokens
    )


def compute_delegation_shares_for_tokens(
    info: AllianceValidatorInfo, asset: AllianceAsset, tokens: Int
) -> Dec:
    """Delegation shares on a validator for `tokens` (`GetDelegationSharesFromTokens`).

    With tds = total_delegator_shares[asset]: trunc(tds) == 0 → Dec(tokens) (under one share,
    1:1); else ConvertNewTokenToShares(TotalTokensWithAsset(v, asset), tds, tokens).
    """
    delegator_shares = info.total_delegator_shares.amount_of(asset.denom)
    if delegator_shares.truncate_int().is_zero():
        return Dec.from_int(tokens)
    return compute_shares_for_new_tokens(
        compute_validator_asset_tokens(info, asset), delegator_shares, tokens
    )


def compute_delegation_tokens(
    shares: Dec, info: AllianceValidatorInfo, asset: AllianceAsset
) -> Coin:
    """Whole tokens worth `shares` on a validator (`GetDelegationTokensWithShares`).

    trunc(ConvertNewShareToDecToken(TotalTokensWithAsset(v, a), tds[a], shares) + 0.01): the
    rounder lets a value like 999999.999999999999 count as 1,000,000.
    """
    value = compute_tokens_for_shares(
        compute_validator_asset_tokens(info, asset),
        info.total_delegator_shares.amount_of(asset.denom),
        shares,
    )
    return Coin(asset.denom, (value + REWARD_ROUNDER).truncate_int())


def compute_shares_to_remove(
    delegation_shares: Dec, amount: Int, info: AllianceValidatorInfo, asset: AllianceAsset
) -> Dec:
    """Delegation shares to take for withdrawing `amount` tokens (`ValidateDelegatedAmount`, §3.3).

    s = GetDelegationSharesFromTokens(amount); |delegation_shares − s| < 0.01 → all the shares;
    delegation_shares < TruncateDec(s) → error; s capped at delegation_shares.

    Raises:
        ChainError: x/staking's insufficient delegation shares.
    """
    shares = compute_delegation_shares_for_tokens(info, asset, amount)
    if (delegation_shares - shares).abs() < REWARD_ROUNDER:
        return delegation_shares
    if delegation_shares < shares.truncate_dec():
        raise errors.ErrStakingInsufficientShares.wrap(
            f"wanted {shares} shares but have {delegation_shares}"
        )
    return shares.min(delegation_shares)


def compute_withdrawal_shares(
    delegation_shares: Dec, amount: Int, info: AllianceValidatorInfo, asset: AllianceAsset
) -> Dec:
    """`compute_shares_to_remove`, then the callers' check that those shares cover `amount`.

    Rejects "balance + 1" requests: amount > GetDelegationTokensWithShares(s) fails.

    Raises:
        ChainError: insufficient delegation shares (x/staking) or `ErrInsufficientTokens`.
    """
    shares = compute_shares_to_remove(delegation_shares, amount, info, asset)
    tokens = compute_delegation_tokens(shares, info, asset)
    if amount > tokens.amount:
        raise errors.ErrInsufficientTokens.wrap(
            f"wanted {Coin(asset.denom, amount)} but have {tokens}"
        )
    return shares


# ---- validator shares bookkeeping (§3.4, §3.5) -------------------------------------------------


def _single(denom: str, amount: Dec) -> DecCoins:
    return DecCoins([DecCoin(denom, amount)])


def subtract_dec_coins_with_rounding(minuend: DecCoins, subtrahend: DecCoins) -> DecCoins:
    """minuend − subtrahend, an excess below 1 clamped to zero (`SubtractDecCoinsWithRounding`).

    Per coin c of the subtrahend, with a = minuend[c.denom]: c > a and c − a < 1 → subtract a;
    otherwise subtract c. Zero results are dropped.

    Raises:
        NegativeCoinsError: an excess of 1 or more (Go panics).
    """
    result = minuend
    for coin in subtrahend:
        available = result.amount_of(coin.denom)
        take = coin.amount
        if take > available and take - available < Dec.one():
            take = available
        result = result - _single(coin.denom, take)
    return result


def compute_added_shares(
    info: AllianceValidatorInfo, denom: str, delegator_shares: Dec, validator_shares: Dec
) -> AllianceValidatorInfo:
    """The info with both share totals of `denom` increased (`AddShares`)."""
    return replace(
        info,
        total_delegator_shares=info.total_delegator_shares + _single(denom, delegator_shares),
        validator_shares=info.validator_shares + _single(denom, validator_shares),
    )


def compute_reduced_shares(
    info: AllianceValidatorInfo, denom: str, delegator_shares: Dec, validator_shares: Dec
) -> AllianceValidatorInfo:
    """The info with both share totals of `denom` reduced with rounding (`ReduceShares`)."""
    return replace(
        info,
        total_delegator_shares=subtract_dec_coins_with_rounding(
            info.total_delegator_shares, _single(denom, delegator_shares)
        ),
        validator_shares=subtract_dec_coins_with_rounding(
            info.validator_shares, _single(denom, validator_shares)
        ),
    )


@dataclass(frozen=True, slots=True)
class DustClearance:
    """What `ClearDustDelegation` decides: whether to delete the delegation, and the new info."""

    delete_delegation: bool
    info: AllianceValidatorInfo


def compute_dust_clearance(
    delegation_shares: Dec | None, info: AllianceValidatorInfo, asset: AllianceAsset
) -> DustClearance:
    """Removes dust left by an undelegation or the source side of a redelegation (§3.5 steps 1–3).

    1. A remaining delegation worth 0 whole tokens is deleted and its shares leave
       total_delegator_shares. 2. A validator whose stake in the asset is worth exactly 0 loses
    all its validator shares of it (not mirrored in asset.total_validator_shares; see
    `compute_asset_reset`). 3. Both are removed with `compute_reduced_shares`.
    `delegation_shares` is None when the delegation no longer exists.
    """
    dust_shares = Dec.zero()
    delete = False
    if delegation_shares is not None:
        delete = compute_delegation_tokens(delegation_shares, info, asset).amount.is_zero()
        if delete:
            dust_shares = delegation_shares
    stale_validator_shares = Dec.zero()
    if compute_validator_asset_tokens(info, asset).is_zero():
        stale_validator_shares = info.validator_shares.amount_of(asset.denom)
    info = compute_reduced_shares(info, asset.denom, dust_shares, stale_validator_shares)
    return DustClearance(delete, info)


def compute_asset_reset(asset: AllianceAsset) -> AllianceAsset | None:
    """The asset with total_validator_shares = 0 once it holds no tokens, else None (§3.5 step 4).

    When it returns an asset, every validator info drops its validator shares of the denom
    (`compute_info_without_validator_shares`): the fix for a division by zero on the next
    delegation (#68).
    """
    if not asset.total_tokens.is_zero():
        return None
    return replace(asset, total_validator_shares=Dec.zero())


def compute_info_without_validator_shares(
    info: AllianceValidatorInfo, denom: str
) -> AllianceValidatorInfo:
    """The info with no validator shares of `denom` (delegator shares are kept)."""
    remaining = (coin for coin in info.validator_shares if coin.denom != denom)
    return replace(info, validator_shares=DecCoins(remaining))


# ---- delegate, undelegate, redelegate (§4.1–4.3) -----------------------------------------------


@dataclass(frozen=True, slots=True)
class StakeChange:
    """The ledger effect of moving `amount` tokens onto or off a validator.

    `delegation_shares` are added to (or removed from) the delegation; `validator_shares` are
    the asset-level shares moved (the `newShares` of DelegateAllianceEvent).
    """

    asset: AllianceAsset
    info: AllianceValidatorInfo
    delegation_shares: Dec
    validator_shares: Dec


def compute_delegation(
    info: AllianceValidatorInfo, asset: AllianceAsset, amount: Int
) -> StakeChange:
    """Delegate steps 4–6: shares from the asset and validator *before* the update.

    delegation shares = GetDelegationSharesFromTokens(v, a, amount);
    validator shares = GetValidatorShares(a, amount); total_tokens += amount;
    total_validator_shares += validator shares; v.AddShares(both).
    """
    delegation_shares = compute_delegation_shares_for_tokens(info, asset, amount)
    validator_shares = compute_validator_shares_for_tokens(asset, amount)
    new_asset = replace(
        asset,
        total_tokens=asset.total_tokens + amount,
        total_validator_shares=asset.total_validator_shares + validator_shares,
    )
    new_info = compute_added_shares(info, asset.denom, delegation_shares, validator_shares)
    return StakeChange(new_asset, new_info, delegation_shares, validator_shares)


def compute_undelegation(
    info: AllianceValidatorInfo, asset: AllianceAsset, delegation_shares: Dec, amount: Int
) -> StakeChange:
    """Undelegate steps 3–5 before dust clean-up.

    s = `compute_withdrawal_shares`; vs = GetValidatorShares(a, amount); total_tokens −= amount;
    total_validator_shares −= vs; v.ReduceShares(s, vs). `delegation_shares` of the result is s.

    Raises:
        ChainError: insufficient shares or tokens.
    """
    shares = compute_withdrawal_shares(delegation_shares, amount, info, asset)
    validator_shares = compute_validator_shares_for_tokens(asset, amount)
    new_asset = replace(
        asset,
        total_tokens=asset.total_tokens - amount,
        total_validator_shares=asset.total_validator_shares - validator_shares,
    )
    new_info = compute_reduced_shares(info, asset.denom, shares, validator_shares)
    return StakeChange(new_asset, new_info, shares, validator_shares)


@dataclass(frozen=True, slots=True)
class RedelegationChange:
    """Both sides of a redelegation; the asset itself is unchanged."""

    source: StakeChange
    destination: StakeChange


def compute_redelegation(
    source: AllianceValidatorInfo,
    destination: AllianceValidatorInfo,
    asset: AllianceAsset,
    source_delegation_shares: Dec,
    amount: Int,
) -> RedelegationChange:
    """Redelegate steps 4, 6–8 before dust clean-up of the source.

    s = `compute_withdrawal_shares` on the source; vs = GetValidatorShares(a, amount);
    source.ReduceShares(s, vs); destination shares = GetDelegationSharesFromTokens(dst, a,
    amount) before dst.AddShares(them, vs). Asset totals do not change.

    Raises:
        ChainError: insufficient shares or tokens on the source.
    """
    shares = compute_withdrawal_shares(source_delegation_shares, amount, source, asset)
    validator_shares = compute_validator_shares_for_tokens(asset, amount)
    new_source = compute_reduced_shares(source, asset.denom, shares, validator_shares)
    destination_shares = compute_delegation_shares_for_tokens(destination, asset, amount)
    new_destination = compute_added_shares(
        destination, asset.denom, destination_shares, validator_shares
    )
    return RedelegationChange(
        StakeChange(asset, new_source, shares, validator_shares),
        StakeChange(asset, new_destination, destination_shares, validator_shares),
    )


def check_undelegation_entries(pending_entries: int) -> None:
    """Refuses a new undelegation when `MAX_UNDELEGATION_ENTRIES` are already pending.

    Raises:
        ChainError: `ErrTooManyUndelegations`.
    """
    if pending_entries >= MAX_UNDELEGATION_ENTRIES:
        raise errors.ErrTooManyUndelegations.wrap(
            f"{pending_entries} pending, at most {MAX_UNDELEGATION_ENTRIES}"
        )


# ---- rewards (§5.2–5.3) ------------------------------------------------------------------------


def filter_reward_histories(
    histories: Sequence[RewardHistory], denom: str
) -> tuple[RewardHistory, ...]:
    """The entries of asset `denom` and the legacy ones (alliance ""), in order."""
    return tuple(h for h in histories if h.alliance in (denom, ""))


def compute_reward_index_update(
    info: AllianceValidatorInfo,
    assets: Sequence[AllianceAsset],
    rewards: Coins,
    block_time: Timestamp,
) -> AllianceValidatorInfo | None:
    """The validator's indices after `rewards` are added to its pool (`AddAssetsToRewardPool`).

    Eligible assets: total_tokens > 0, started, TotalTokensWithAsset(v, a) != 0. With
    sw(a) = (w_a ⊗ TotalTokensWithAsset(v, a)) ⊘ᵢ total_tokens_a and norm(a) = sw(a) ⊘ Σ sw,
    per reward coin c: index(c.denom, a) += (Dec(c) ⊗ norm(a)) ⊘ TotalTokensWithAsset(v, a),
    appending missing entries in (asset store order, coin denom order). Per-token rewards of an
    asset are then the same on every validator, and assets split rewards by weight.

    Returns None when the rewards cannot be attributed: the validator has no delegator shares,
    no asset is eligible, or every eligible weight is 0. The reference then leaves the coins in
    the `alliance` account, moves them unclaimable into `alliance_rewards`, or divides by zero
    (a panic); fix: the keeper sends them to the fee collector instead.
    """
    if len(info.total_delegator_shares) == 0:
        return None
    staked: list[tuple[AllianceAsset, Dec, Dec]] = []  # (asset, validator tokens, sw)
    for asset in assets:
        if not asset.total_tokens.is_positive() or not asset.has_rewards_started(block_time):
            continue
        tokens = compute_validator_asset_tokens(info, asset)
        if tokens.is_zero():
            continue
        staked.append((asset, tokens, asset.reward_weight.mul(tokens).quo_int(asset.total_tokens)))
    total_weight = Dec.zero()
    for _, _, weight in staked:
        total_weight = total_weight + weight
    if not total_weight.is_positive():
        return None
    history = list(info.global_reward_history)
    position = {(h.denom, h.alliance): i for i, h in enumerate(history)}
    for asset, tokens, weight in staked:
        norm = weight.quo(total_weight)
        for coin in rewards:
            increase = Dec.from_int(coin.amount).mul(norm).quo(tokens)
            key = (coin.denom, asset.denom)
            if key in position:
                old = history[position[key]]
                history[position[key]] = replace(old, index=old.index + increase)
            else:
                position[key] = len(history)
                history.append(RewardHistory(coin.denom, increase, asset.denom))
    return replace(info, global_reward_history=tuple(history))


def _accumulate_rewards(
    latest: Sequence[RewardHistory],
    paid: list[RewardHistory],
    reward_weight: Dec,
    tokens: Dec,
) -> Coins:
    """Rewards between the `paid` indices and `latest` ones; updates `paid` in place.

    Per entry e of latest, with h the paid entry of the same (denom, alliance) (0 if none):
    skip when h ≥ e; else amount = trunc((e − h) ⊗ claim_weight), claim_weight = tokens ⊗ w for a
    legacy entry and tokens otherwise; h becomes e (a missing h is appended only then).
    """
    rewards = Coins()
    for entry in latest:
        key = (entry.denom, entry.alliance)
        at = next((i for i, h in enumerate(paid) if (h.denom, h.alliance) == key), None)
        paid_index = Dec.zero() if at is None else paid[at].index
        if paid_index >= entry.index:
            continue
        claim_weight = tokens.mul(reward_weight) if entry.alliance == "" else tokens
        amount = (entry.index - paid_index).mul(claim_weight).truncate_int()
        updated = RewardHistory(entry.denom, entry.index, entry.alliance)
        if at is None:
            paid.append(updated)
        else:
            paid[at] = updated
        rewards = rewards + Coins([Coin(entry.denom, amount)])
    return rewards


def compute_delegation_rewards(
    delegation: Delegation,
    info: AllianceValidatorInfo,
    asset: AllianceAsset,
    snapshots: Sequence[RewardWeightChangeSnapshot],
) -> tuple[Coins, tuple[RewardHistory, ...]]:
    """Rewards owed to a delegation and its new reward history (`CalculateDelegationRewards`).

    `snapshots` are the asset's snapshots on this validator at heights >= the delegation's last
    claim height, ascending. Each segment (every snapshot at its previous weight, then the
    current indices at the current weight) is accumulated and truncated separately, all on the
    delegation's token value *now* (so rewards earned before a take-rate deduction or a slash
    are paid on the reduced value, as upstream). The new history is the validator's current
    one filtered to this asset and the legacy entries.
    """
    tokens = Dec.from_int(compute_delegation_tokens(delegation.shares, info, asset).amount)
    current = filter_reward_histories(info.global_reward_history, asset.denom)
    paid = list(filter_reward_histories(delegation.reward_history, asset.denom))
    total = Coins()
    for snapshot in snapshots:
        total = total + _accumulate_rewards(
            snapshot.reward_histories, paid, snapshot.prev_reward_weight, tokens
        )
    total = total + _accumulate_rewards(current, paid, asset.reward_weight, tokens)
    return total, current


def compute_claim_payout(rewards: Coins, available: Coins) -> Coins:
    """The rewards actually paid: per denom the smaller of what is owed and what the pool holds.

    Fix: half-even rounded indices can owe a unit more than `alliance_rewards` holds; the
    reference's last claimant then fails with insufficient funds. Here the shortfall (at most one
    unit per claim) is simply not paid.
    """
    paid = (Coin(c.denom, c.amount.min(available.amount_of(c.denom))) for c in rewards)
    return Coins(paid)


def compute_weight_change_snapshot(
    info: AllianceValidatorInfo, denom: str, previous_weight: Dec
) -> RewardWeightChangeSnapshot:
    """The snapshot written for a validator when asset `denom`'s weight changes (§7.3 step 3)."""
    return RewardWeightChangeSnapshot(
        previous_weight, filter_reward_histories(info.global_reward_history, denom)
    )


# ---- take rate (§6) ----------------------------------------------------------------------------


def is_take_rate_due(params: Params, block_time: Timestamp) -> bool:
    """block_time > last_take_rate_claim_time + take_rate_claim_interval (strictly after)."""
    return block_time > params.last_take_rate_claim_time + params.take_rate_claim_interval


@dataclass(frozen=True, slots=True)
class TakeRateDeduction:
    """The outcome of one take-rate claim: the assets whose tokens shrank, the coins taken for
    the fee collector (one per such asset) and the new claim time."""

    assets: tuple[AllianceAsset, ...]
    deducted: Coins
    last_take_rate_claim_time: Timestamp


def compute_take_rate_deduction(
    params: Params, assets: Sequence[AllianceAsset], block_time: Timestamp
) -> TakeRateDeduction:
    """Applies every elapsed take-rate period to the assets (`DeductAssetsWithTakeRate`, §6.2).

    A zero claim time only starts the clock (claim time = block time). Otherwise
    n = floor((block_time − last) / interval); per started asset with tokens and a take rate:
    m = pow(1 − take_rate, n), new = m ⊗ᵢ total_tokens; skipped when new ≤ 1; else
    total_tokens' = trunc(new) and the deduction total_tokens − trunc(new) is rounded in the
    fee collector's favour. Claim time: block time when no asset qualifies (#101); last + n·interval
    when coins were taken; unchanged when assets qualified but none yielded coins.

    Raises:
        InvariantViolation: a non-positive interval, which `validate_params` never lets in.
    """
    last = params.last_take_rate_claim_time
    interval = params.take_rate_claim_interval
    if interval <= 0:
        raise InvariantViolation(f"take_rate_claim_interval {interval} must be positive")
    if last == GO_ZERO_TIME:
        return TakeRateDeduction((), Coins(), block_time)
    periods = compute_elapsed(block_time, last) // interval
    qualifying = 0
    changed: list[AllianceAsset] = []
    deducted: list[Coin] = []
    for asset in assets:
        if not (
            asset.total_tokens.is_positive()
            and asset.take_rate.is_positive()
            and asset.has_rewards_started(block_time)
        ):
            continue
        qualifying += 1
        remaining = (Dec.one() - asset.take_rate).power(periods).mul_int(asset.total_tokens)
        if remaining <= Dec.one():
            continue
        kept = remaining.truncate_int()
        changed.append(replace(asset, total_tokens=kept))
        deducted.append(Coin(asset.denom, asset.total_tokens - kept))
    if qualifying == 0:
        return TakeRateDeduction((), Coins(), block_time)
    coins = Coins(deducted)
    if coins.is_zero():
        return TakeRateDeduction(tuple(changed), coins, last)
    return TakeRateDeduction(tuple(changed), coins, Timestamp(last + periods * interval))


# ---- reward weights (§7) -----------------------------------------------------------------------


def compute_new_asset(
    denom: str,
    reward_weight: Dec,
    take_rate: Dec,
    reward_change_rate: Dec,
    reward_change_interval: Duration,
    reward_weight_range: RewardWeightRange,
    block_time: Timestamp,
    reward_delay_time: Duration,
) -> AllianceAsset:
    """The asset MsgCreateAlliance stores: empty totals, start = block time + reward delay, and
    the weight schedule anchored at the start."""
    start = Timestamp(block_time + reward_delay_time)
    return AllianceAsset(
        denom=denom,
        reward_weight=reward_weight,
        take_rate=take_rate,
        total_tokens=Int(0),
        total_validator_shares=Dec.zero(),
        reward_start_time=start,
        reward_change_rate=reward_change_rate,
        reward_change_interval=reward_change_interval,
        last_reward_change_time=start,
        reward_weight_range=reward_weight_range,
        is_initialized=False,
    )


def compute_clamped_weight(weight: Dec, weight_range: RewardWeightRange) -> Dec:
    """weight raised to range.min, then lowered to range.max (min checked first, as upstream)."""
    if weight < weight_range.min:
        weight = weight_range.min
    if weight > weight_range.max:
        weight = weight_range.max
    return weight


def compute_scheduled_weight_change(
    asset: AllianceAsset, block_time: Timestamp
) -> AllianceAsset | None:
    """The asset after its due weight-schedule steps, or None when none is due (§7.2).

    Skipped when interval == 0, rate == 1, or block_time < last + interval. Otherwise
    n = floor((block_time − last) / interval), weight = clamp(weight ⊗ pow(rate, n)),
    last += n·interval.
    """
    interval = asset.reward_change_interval
    if interval == 0 or asset.reward_change_rate == Dec.one():
        return None
    if asset.last_reward_change_time + interval > block_time:
        return None
    periods = compute_elapsed(block_time, asset.last_reward_change_time) // interval
    weight = asset.reward_weight.mul(asset.reward_change_rate.power(periods))
    return replace(
        asset,
        reward_weight=compute_clamped_weight(weight, asset.reward_weight_range),
        last_reward_change_time=Timestamp(asset.last_reward_change_time + periods * interval),
    )


def compute_asset_update(
    stored: AllianceAsset,
    reward_weight: Dec,
    take_rate: Dec,
    reward_change_rate: Dec,
    reward_change_interval: Duration,
    reward_weight_range: RewardWeightRange,
    block_time: Timestamp,
) -> AllianceAsset:
    """The stored asset with new weight, rates and range (`UpdateAllianceAsset`, §7.3).

    The weight must lie in the new range. When the schedule (rate or interval) changes and the
    old one was inactive (rate 1 or interval 0), its anchor moves to the block time; an active
    schedule keeps its anchor. Tokens, shares, start time and is_initialized never change here.

    Raises:
        ChainError: `ErrRewardWeightOutOfBound`.
    """
    if not reward_weight_range.contains(reward_weight):
        raise errors.ErrRewardWeightOutOfBound.error()
    anchor = stored.last_reward_change_time
    schedule_changed = (
        reward_change_rate != stored.reward_change_rate
        or reward_change_interval != stored.reward_change_interval
    )
    old_schedule_inactive = (
        stored.reward_change_rate == Dec.one() or stored.reward_change_interval == 0
    )
    if schedule_changed and old_schedule_inactive:
        anchor = block_time
    return replace(
        stored,
        reward_weight=reward_weight,
        take_rate=take_rate,
        reward_change_rate=reward_change_rate,
        reward_change_interval=reward_change_interval,
        last_reward_change_time=anchor,
        reward_weight_range=reward_weight_range,
    )


# ---- rebalancing (§8.2) ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StakingValidator:
    """What rebalancing reads of an x/staking validator."""

    operator: ValAddress
    is_bonded: bool
    tokens: Int
    delegator_shares: Dec


@dataclass(frozen=True, slots=True)
class StakeAdjustment:
    """A change of the virtual stake on one validator: `amount` > 0 mints and delegates it,
    `amount` < 0 unbonds and burns |amount| tokens."""

    validator: ValAddress
    amount: Int


@dataclass(frozen=True, slots=True)
class RebalancePlan:
    """The adjustments in validator-info store order, and whether the rebalance flag must be
    set again because an asset has not started yet."""

    adjustments: tuple[StakeAdjustment, ...]
    requeue: bool


def _tokens_from_shares(validator: StakingValidator, shares: Dec) -> Dec:
    """x/staking TokensFromShares: (shares ⊗ᵢ tokens) ⊘ delegator_shares."""
    return shares.mul_int(validator.tokens).quo(validator.delegator_shares)


def compute_rebalance_plan(
    infos: Sequence[tuple[ValAddress, AllianceValidatorInfo]],
    validators: Mapping[ValAddress, StakingValidator],
    module_delegations: Sequence[tuple[ValAddress, Dec]],
    assets: Sequence[AllianceAsset],
    total_bonded_tokens: Int,
    block_time: Timestamp,
) -> RebalancePlan:
    """Target virtual stake per bonded validator (`RebalanceBondTokenWeights`, §8.2).

    alliance_bonded = trunc(Σ over the module's delegations to bonded validators of
    TokensFromSharesTruncated); native = total_bonded_tokens − alliance_bonded. For each info (store
    order) of a bonded validator: current = TokensFromShares(module shares) (0 without a
    delegation); expected = Σ over started assets with vs > 0 and bonded > 0 of
    (vs ⊘ bonded) ⊗ (w ⊗ᵢ native), where bonded = a.total_validator_shares − the shares of the
    asset on validators that are not bonded. The adjustment is ±trunc(expected − current),
    skipped when it truncates to 0.

    `infos` are in store order; `module_delegations` are the alliance account's staking shares;
    a validator missing from `validators` counts as not bonded.
    """
    alliance_bonded = Dec.zero()
    module_shares: dict[ValAddress, Dec] = {}
    for operator, shares in module_delegations:
        module_shares[operator] = shares
        validator = validators.get(operator)
        if validator is not None and validator.is_bonded:
            alliance_bonded = alliance_bonded + shares.mul_int(validator.tokens).quo_truncate(
                validator.delegator_shares
            )
    native = total_bonded_tokens - alliance_bonded.truncate_int()

    def is_bonded(operator: ValAddress) -> bool:
        validator = validators.get(operator)
        return validator is not None and validator.is_bonded

    unbonded_shares = DecCoins()
    for operator, info in infos:
        if not is_bonded(operator):
            unbonded_shares = unbonded_shares + info.validator_shares

    adjustments: list[StakeAdjustment] = []
    requeue = False
    for operator, info in infos:
        validator = validators.get(operator)
        if validator is None or not validator.is_bonded:
            continue
        held = module_shares.get(operator)
        current = Dec.zero() if held is None else _tokens_from_shares(validator, held)
        expected = Dec.zero()
        for asset in assets:
            if not asset.has_rewards_started(block_time):
                requeue = True
                continue
            validator_shares = info.validator_shares.amount_of(asset.denom)
            bonded = asset.total_validator_shares - unbonded_shares.amount_of(asset.denom)
            if validator_shares.is_positive() and bonded.is_positive():
                expected = expected + validator_shares.quo(bonded).mul(
                    asset.reward_weight.mul_int(native)
                )
        change = (expected - current).truncate_int()
        if not change.is_zero():
            adjustments.append(StakeAdjustment(operator, change))
    return RebalancePlan(tuple(adjustments), requeue)


# ---- slashing (§10) ----------------------------------------------------------------------------


def validate_slash_fraction(fraction: Dec) -> None:
    """0 < fraction <= 1.

    Raises:
        ChainError: code 23, "slashed fraction must be greater than 0 and less than or equal
        to 1: <fraction>".
    """
    if not fraction.is_positive() or fraction > Dec.one():
        raise errors.invalid_slash_fraction(fraction)


@dataclass(frozen=True, slots=True)
class ValidatorSlash:
    """A slashed validator's info, the assets whose total shares shrank, and the shares cut."""

    info: AllianceValidatorInfo
    assets: tuple[AllianceAsset, ...]
    slashed_shares: DecCoins


def compute_validator_slash(
    info: AllianceValidatorInfo, assets: Mapping[str, AllianceAsset], fraction: Dec
) -> ValidatorSlash:
    """Cuts a validator's asset shares by `fraction` (§10.1).

    Per (denom, s) of validator_shares: cut = s ⊗ fraction; s −= cut; the asset's
    total_validator_shares −= cut. total_tokens is unchanged, so the value moves to the same
    asset's stakers on other validators; nothing is burned here.

    Raises:
        ChainError: invalid fraction, or `ErrUnknownAsset` for shares of a deleted asset.
    """
    validate_slash_fraction(fraction)
    cuts: list[DecCoin] = []
    slashed_assets: list[AllianceAsset] = []
    for coin in info.validator_shares:
        asset = assets.get(coin.denom)
        if asset is None:
            raise errors.ErrUnknownAsset.wrap(f"asset with denom: {coin.denom}")
        cut = coin.amount.mul(fraction)
        cuts.append(DecCoin(coin.denom, cut))
        slashed_assets.append(
            replace(asset, total_validator_shares=asset.total_validator_shares - cut)
        )
    slashed = DecCoins(cuts)
    try:
        remaining = info.validator_shares - slashed
    except NegativeCoinsError as error:  # cut ≤ s whenever fraction ≤ 1
        raise InvariantViolation(str(error)) from error
    return ValidatorSlash(replace(info, validator_shares=remaining), tuple(slashed_assets), slashed)


def compute_redelegation_slash_tokens(fraction: Dec, balance: Int) -> Int:
    """Tokens to take back from a destination delegation: trunc(fraction ⊗ᵢ balance) (§10.2)."""
    return fraction.mul_int(balance).truncate_int()


def compute_undelegation_slash(
    bucket: QueuedUndelegation, fraction: Dec
) -> tuple[QueuedUndelegation, Coins]:
    """Every entry of a pending bucket cut by trunc(fraction ⊗ᵢ amount) (§10.3).

    The whole bucket is cut, entries of other validators included (reference quirk kept).
    Returns the reduced bucket and the coins to send to the fee collector.
    """
    entries: list[Undelegation] = []
    cut_total = Coins()
    for entry in bucket.entries:
        cut = fraction.mul_int(entry.balance.amount).truncate_int()
        balance = Coin(entry.balance.denom, entry.balance.amount - cut)
        entries.append(replace(entry, balance=balance))
        cut_total = cut_total + Coins([Coin(entry.balance.denom, cut)])
    return QueuedUndelegation(tuple(entries)), cut_total
