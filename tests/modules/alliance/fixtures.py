"""Builders for alliance tests, and a tiny in-memory ledger that replays vector sequences.

`Ledger` strings the pure functions of `app.modules.alliance.math` together the way the keeper
will (delegate, add rewards, claim, change a weight); it holds no rule of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from app.modules.alliance import math
from app.modules.alliance.types import (
    AllianceAsset,
    AllianceValidatorInfo,
    Delegation,
    RewardHistory,
    RewardWeightChangeSnapshot,
    RewardWeightRange,
)
from app.types import GO_ZERO_TIME, Coins, Dec, DecCoin, DecCoins, Int, Timestamp, ValAddress
from app.types.time import HOUR, SECOND, Duration

DAY = 24 * HOUR


def dec(text: str) -> Dec:
    return Dec.from_str(text)


def dec_coins(amounts: dict[str, str]) -> DecCoins:
    return DecCoins(DecCoin(denom, dec(value)) for denom, value in amounts.items())


def make_asset(
    denom: str,
    weight: str,
    *,
    take: str = "0",
    tokens: int = 0,
    shares: str = "0",
    start: Timestamp = GO_ZERO_TIME,
    rate: str = "1",
    interval: int = 0,
    last: Timestamp | None = None,
    weight_range: tuple[str, str] = ("0", "5"),
) -> AllianceAsset:
    """`NewAllianceAsset` of the reference tests: schedule anchored at the start."""
    return AllianceAsset(
        denom=denom,
        reward_weight=dec(weight),
        take_rate=dec(take),
        total_tokens=Int(tokens),
        total_validator_shares=dec(shares),
        reward_start_time=start,
        reward_change_rate=dec(rate),
        reward_change_interval=Duration(interval),
        last_reward_change_time=start if last is None else last,
        reward_weight_range=RewardWeightRange(dec(weight_range[0]), dec(weight_range[1])),
        is_initialized=False,
    )


def make_info(
    validator_shares: dict[str, str],
    delegator_shares: dict[str, str] | None = None,
    history: tuple[RewardHistory, ...] = (),
) -> AllianceValidatorInfo:
    """An info; delegator shares default to the validator shares (one delegator per asset)."""
    return AllianceValidatorInfo(
        history,
        dec_coins(validator_shares if delegator_shares is None else delegator_shares),
        dec_coins(validator_shares),
    )


def operator(index: int) -> ValAddress:
    """A deterministic 20-byte operator address."""
    return ValAddress(bytes([0x10 + index]) * 20)


@dataclass
class Ledger:
    """Assets, validator infos, delegations and snapshots changed only through `math`."""

    assets: dict[str, AllianceAsset]
    time: Timestamp = GO_ZERO_TIME
    height: int = 0
    infos: dict[str, AllianceValidatorInfo] = field(default_factory=dict)
    delegations: dict[tuple[str, str, str], Delegation] = field(default_factory=dict)
    snapshots: dict[tuple[str, str], list[tuple[int, RewardWeightChangeSnapshot]]] = field(
        default_factory=dict
    )

    def info(self, validator: str) -> AllianceValidatorInfo:
        return self.infos.setdefault(validator, AllianceValidatorInfo.empty())

    def ordered_assets(self) -> list[AllianceAsset]:
        # Store order: (len(denom), denom).
        return sorted(self.assets.values(), key=lambda a: (len(a.denom), a.denom))

    def delegate(self, delegator: str, validator: str, denom: str, amount: int) -> Dec:
        """Delegate steps 3–6 (validator rewards are added explicitly by the tests)."""
        key = (delegator, validator, denom)
        change = math.compute_delegation(self.info(validator), self.assets[denom], Int(amount))
        existing = self.delegations.get(key)
        if existing is None:
            existing = Delegation(
                delegator,
                validator,
                denom,
                Dec.zero(),
                self.info(validator).global_reward_history,
                self.height,
            )
        self.delegations[key] = replace(existing, shares=existing.shares + change.delegation_shares)
        self.assets[denom] = change.asset
        self.infos[validator] = change.info
        return change.validator_shares

    def add_rewards(self, validator: str, rewards: str) -> bool:
        """`AddAssetsToRewardPool`; False when nothing could be attributed."""
        updated = math.compute_reward_index_update(
            self.info(validator), self.ordered_assets(), Coins.parse(rewards), self.time
        )
        if updated is None:
            return False
        self.infos[validator] = updated
        return True

    def claim(self, delegator: str, validator: str, denom: str) -> Coins:
        """`ClaimDelegationRewards` without the bank transfer."""
        asset = self.assets[denom]
        if not asset.has_rewards_started(self.time):
            return Coins()
        key = (delegator, validator, denom)
        delegation = self.delegations[key]
        snapshots = [
            snapshot
            for height, snapshot in self.snapshots.get((denom, validator), [])
            if height >= delegation.last_reward_claim_height
        ]
        rewards, history = math.compute_delegation_rewards(
            delegation, self.info(validator), asset, snapshots
        )
        self.delegations[key] = replace(
            delegation, reward_history=history, last_reward_claim_height=self.height
        )
        return rewards

    def change_weight(self, denom: str, weight: str, weight_range: tuple[str, str]) -> None:
        """`UpdateAllianceAsset` with a new weight: one snapshot per validator info."""
        stored = self.assets[denom]
        new_range = RewardWeightRange(dec(weight_range[0]), dec(weight_range[1]))
        updated = math.compute_asset_update(
            stored,
            dec(weight),
            stored.take_rate,
            stored.reward_change_rate,
            stored.reward_change_interval,
            new_range,
            self.time,
        )
        if updated.reward_weight != stored.reward_weight:
            for validator in sorted(self.infos):
                snapshot = math.compute_weight_change_snapshot(
                    self.infos[validator], denom, stored.reward_weight
                )
                entries = self.snapshots.setdefault((denom, validator), [])
                entries[:] = [e for e in entries if e[0] != self.height] + [(self.height, snapshot)]
        self.assets[denom] = updated


T0 = Timestamp(1_700_000_000 * SECOND)
"""A present-day block time standing for the reference tests' `time.Now()`."""
