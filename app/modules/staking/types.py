"""Staking records: validators, delegations, unbondings, redelegations, params.

Frozen records changed only by their value-returning methods (`dataclasses.replace`); the share
arithmetic is cosmos-sdk v0.50 ``x/staking/types/validator.go`` exactly (LegacyDec rounding).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, replace

from app.chain.errors import InvariantViolation
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import GO_ZERO_TIME, SECOND, Duration, Timestamp

__all__ = [
    "DEFAULT_PARAMS",
    "DO_NOT_MODIFY",
    "POWER_REDUCTION",
    "BondStatus",
    "Commission",
    "Delegation",
    "Description",
    "Params",
    "Redelegation",
    "RedelegationEntry",
    "UnbondingDelegation",
    "UnbondingDelegationEntry",
    "Validator",
    "tokens_to_consensus_power",
]

POWER_REDUCTION = Int(10**6)
"""Tokens per unit of consensus power (``sdk.DefaultPowerReduction``)."""

DEFAULT_UNBONDING_TIME = Duration(21 * 24 * 3600 * SECOND)
"""Three weeks, the SDK's default."""

ZERO_DEC = Dec.zero()

DO_NOT_MODIFY = "[do-not-modify]"
"""A description field of MsgEditValidator with this text keeps the current value."""


def tokens_to_consensus_power(tokens: Int, power_reduction: Int) -> int:
    """consensus power = tokens / power_reduction, truncated (``sdk.TokensToConsensusPower``)."""
    return int(tokens.quo(power_reduction))


class BondStatus(enum.IntEnum):
    """A validator's place relative to the active set (``BondStatus`` proto enum)."""

    UNSPECIFIED = 0
    UNBONDED = 1
    UNBONDING = 2
    BONDED = 3


@dataclass(frozen=True, slots=True)
class Description:
    """A validator's self-description; lengths are limited (see `staking.math`)."""

    moniker: str = ""
    identity: str = ""
    website: str = ""
    security_contact: str = ""
    details: str = ""

    def is_empty(self) -> bool:
        return self == Description()

    def updated_with(self, other: Description) -> Description:
        """Each field of `other`, except those equal to ``[do-not-modify]``
        (``UpdateDescription``)."""

        def pick(current: str, new: str) -> str:
            return current if new == DO_NOT_MODIFY else new

        return Description(
            moniker=pick(self.moniker, other.moniker),
            identity=pick(self.identity, other.identity),
            website=pick(self.website, other.website),
            security_contact=pick(self.security_contact, other.security_contact),
            details=pick(self.details, other.details),
        )


@dataclass(frozen=True, slots=True)
class Commission:
    """Commission rates and the time of the last rate change."""

    rate: Dec
    max_rate: Dec
    max_change_rate: Dec
    update_time: Timestamp


@dataclass(frozen=True, slots=True)
class Validator:
    """A validator: operator, consensus key, status, tokens and the shares issued for them."""

    operator: bytes
    """ValAddress (20 bytes): the operator account's address bytes."""
    consensus_pubkey: bytes
    """ed25519 public key, 32 bytes."""
    jailed: bool
    status: BondStatus
    tokens: Int
    delegator_shares: Dec
    description: Description
    unbonding_height: int
    unbonding_time: Timestamp
    commission: Commission
    min_self_delegation: Int

    def is_bonded(self) -> bool:
        return self.status is BondStatus.BONDED

    def is_unbonded(self) -> bool:
        return self.status is BondStatus.UNBONDED

    def is_unbonding(self) -> bool:
        return self.status is BondStatus.UNBONDING

    def is_jailed(self) -> bool:
        return self.jailed

    def consensus_address(self) -> bytes:
        """sha256(ed25519 pubkey)[:20], CometBFT's validator address."""
        return hashlib.sha256(self.consensus_pubkey).digest()[:20]

    def potential_consensus_power(self, power_reduction: Int) -> int:
        """tokens / power_reduction whatever the status (``PotentialConsensusPower``)."""
        return tokens_to_consensus_power(self.tokens, power_reduction)

    def consensus_power(self, power_reduction: Int) -> int:
        """The potential power when bonded, else 0 (``ConsensusPower``)."""
        return self.potential_consensus_power(power_reduction) if self.is_bonded() else 0

    def has_invalid_exchange_rate(self) -> bool:
        """No tokens left but shares outstanding (``InvalidExRate``): e.g. slashed to zero."""
        return self.tokens.is_zero() and self.delegator_shares.is_positive()

    # ---- tokens <-> shares (validator.go) -------------------------------------------------

    def tokens_from_shares(self, shares: Dec) -> Dec:
        """(shares ⊗ᵢ tokens) ⊘ delegator_shares, rounded half to even (``TokensFromShares``)."""
        return shares.mul_int(self.tokens).quo(self.delegator_shares)

    def tokens_from_shares_truncated(self, shares: Dec) -> Dec:
        """(shares ⊗ᵢ tokens) ⊘trunc delegator_shares (``TokensFromSharesTruncated``)."""
        return shares.mul_int(self.tokens).quo_truncate(self.delegator_shares)

    def tokens_from_shares_round_up(self, shares: Dec) -> Dec:
        """(shares ⊗ᵢ tokens) ⊘roundUp delegator_shares (``TokensFromSharesRoundUp``)."""
        return shares.mul_int(self.tokens).quo_round_up(self.delegator_shares)

    def shares_from_tokens(self, amount: Int) -> Dec:
        """(delegator_shares ⊗ᵢ amount) ⊘ᵢ tokens, truncated (``SharesFromTokens``).

        Raises:
            InvariantViolation: the validator has no tokens (callers check the exchange rate).
        """
        self._require_tokens()
        return self.delegator_shares.mul_int(amount).quo_int(self.tokens)

    def shares_from_tokens_truncated(self, amount: Int) -> Dec:
        """(delegator_shares ⊗ᵢ amount) ⊘trunc Dec(tokens) (``SharesFromTokensTruncated``)."""
        self._require_tokens()
        return self.delegator_shares.mul_int(amount).quo_truncate(Dec.from_int(self.tokens))

    def _require_tokens(self) -> None:
        if self.tokens.is_zero():
            raise InvariantViolation("shares of a validator without tokens: insufficient shares")

    # ---- changes --------------------------------------------------------------------------

    def add_tokens_from_delegation(self, amount: Int) -> tuple[Validator, Dec]:
        """Add delegated tokens; shares issued 1:1 when there are none yet
        (``AddTokensFromDel``)."""
        if self.delegator_shares.is_zero():
            issued = Dec.from_int(amount)
        else:
            issued = self.shares_from_tokens(amount)
        updated = replace(
            self, tokens=self.tokens + amount, delegator_shares=self.delegator_shares + issued
        )
        return updated, issued

    def remove_del_shares(self, shares: Dec) -> tuple[Validator, Int]:
        """Remove shares; the tokens they stand for, truncated, or all tokens with the last share
        (``RemoveDelShares``)."""
        remaining = self.delegator_shares - shares
        if remaining.is_zero():
            issued = self.tokens
            tokens = Int(0)
        else:
            issued = self.tokens_from_shares(shares).truncate_int()
            tokens = self.tokens - issued
            if tokens.is_negative():
                raise InvariantViolation("attempting to remove more tokens than available")
        return replace(self, tokens=tokens, delegator_shares=remaining), issued

    def remove_tokens(self, amount: Int) -> Validator:
        """Remove tokens without touching shares (slashing) (``RemoveTokens``)."""
        if amount.is_negative() or amount > self.tokens:
            raise InvariantViolation(f"cannot remove {amount} tokens from {self.tokens}")
        return replace(self, tokens=self.tokens - amount)


@dataclass(frozen=True, slots=True)
class Delegation:
    """Shares of one delegator in one validator."""

    delegator: bytes
    validator: bytes
    shares: Dec


@dataclass(frozen=True, slots=True)
class UnbondingDelegationEntry:
    """Tokens leaving a validator, paid out at `completion_time`."""

    creation_height: int
    completion_time: Timestamp
    initial_balance: Int
    balance: Int
    unbonding_id: int = 0

    def is_mature(self, now: Timestamp) -> bool:
        """Completion time reached: not after `now` (``IsMature``)."""
        return self.completion_time <= now


@dataclass(frozen=True, slots=True)
class UnbondingDelegation:
    """A delegator's unbonding entries from one validator, in creation order."""

    delegator: bytes
    validator: bytes
    entries: tuple[UnbondingDelegationEntry, ...]


@dataclass(frozen=True, slots=True)
class RedelegationEntry:
    """Tokens moved to another validator; slashable for the source until `completion_time`."""

    creation_height: int
    completion_time: Timestamp
    initial_balance: Int
    shares_dst: Dec
    unbonding_id: int = 0

    def is_mature(self, now: Timestamp) -> bool:
        return self.completion_time <= now


@dataclass(frozen=True, slots=True)
class Redelegation:
    """A delegator's redelegation entries from one validator to another."""

    delegator: bytes
    validator_src: bytes
    validator_dst: bytes
    entries: tuple[RedelegationEntry, ...]


@dataclass(frozen=True, slots=True)
class Params:
    """Staking params; the defaults are the SDK's, with the bond denom ``uxprt``."""

    unbonding_time: Duration = DEFAULT_UNBONDING_TIME
    max_validators: int = 100
    max_entries: int = 7
    historical_entries: int = 10000
    bond_denom: str = "uxprt"
    min_commission_rate: Dec = ZERO_DEC


DEFAULT_PARAMS = Params()
"""The production defaults (devnet and test genesis shorten the unbonding time)."""

ZERO_TIME = GO_ZERO_TIME
"""The unbonding time of a validator that never unbonded (Go's zero time)."""
