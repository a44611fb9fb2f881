"""Alliance errors, codespace ``alliance``.

The reference's registered codes (10–40, terra-money/alliance ``x/alliance/types/errors.go``)
keep their numbers and texts. Its code 0 ("invalid genesis state") cannot be registered here
(codes start at 2) and becomes 2. The cases the reference reports as bare gRPC
NotFound/InvalidArgument (code 1 on chain, text hidden) get their own codes here, grouped next
to the reference code of the same family:

    2        genesis
    10–15    validators, delegations, undelegation queue
    20–23    amounts and slashing
    30–34    assets and denoms
    40–45    weights, ranges and rates
    50       params

x/staking's errors that the reference returns (insufficient shares, no delegation, transitive
redelegation) keep staking's codespace and codes; they are built here, not registered, so the
staking module stays their only registrar.
"""

from __future__ import annotations

from app.chain.errors import ChainError, ErrorKind, register_error
from app.types.dec import Dec

CODESPACE = "alliance"

ErrInvalidGenesis = register_error(CODESPACE, 2, "invalid genesis state")
ErrEmptyValidatorAddr = register_error(CODESPACE, 10, "empty validator address")
ErrValidatorNotFound = register_error(CODESPACE, 11, "validator not found")
ErrDelegationNotFound = register_error(CODESPACE, 12, "delegation not found")
ErrActiveDelegationsExists = register_error(CODESPACE, 13, "active delegations exists")
ErrRedelegateToSameValidator = register_error(
    CODESPACE, 14, "cannot redelegate to the same validator"
)
ErrTooManyUndelegations = register_error(
    CODESPACE, 15, "too many undelegation entries for (delegator, validator, denom)"
)
ErrZeroDelegations = register_error(CODESPACE, 20, "there are no delegations yet")
ErrInsufficientTokens = register_error(CODESPACE, 21, "insufficient tokens")
ErrNonPositiveAmount = register_error(CODESPACE, 22, "amount must be more than zero")
ErrInvalidSlashFraction = register_error(
    CODESPACE, 23, "slashed fraction must be greater than 0 and less than or equal to 1"
)
ErrUnknownAsset = register_error(CODESPACE, 30, "alliance asset is not whitelisted")
ErrAlreadyExists = register_error(CODESPACE, 31, "alliance asset already exists")
ErrEmptyDenom = register_error(CODESPACE, 32, "alliance denom must have a value")
ErrInvalidDenom = register_error(CODESPACE, 33, "invalid denom")
ErrBondDenomAsset = register_error(CODESPACE, 34, "the bond denom cannot be an alliance asset")
ErrRewardWeightOutOfBound = register_error(
    CODESPACE, 40, "alliance asset must be between reward_weight_range"
)
ErrInvalidRewardWeight = register_error(CODESPACE, 41, "reward weight must be zero or positive")
ErrInvalidRewardWeightRange = register_error(
    CODESPACE, 42, "reward weight range must be non-negative with min <= max"
)
ErrInvalidTakeRate = register_error(
    CODESPACE, 43, "take rate must be more or equal to 0 but strictly less than 1"
)
ErrInvalidRewardChangeRate = register_error(CODESPACE, 44, "reward rate change must be positive")
ErrInvalidRewardChangeInterval = register_error(
    CODESPACE, 45, "reward rate change interval must be positive"
)
ErrInvalidParams = register_error(CODESPACE, 50, "invalid params")

STAKING_CODESPACE = "staking"
"""x/staking's codespace, for the staking errors the alliance keeper returns as upstream does."""

ErrStakingNoDelegation = ErrorKind(
    STAKING_CODESPACE, 19, "no delegation for (address, validator) tuple"
)
ErrStakingNoDelegatorForAddress = ErrorKind(
    STAKING_CODESPACE, 21, "delegator does not contain delegation"
)
ErrStakingInsufficientShares = ErrorKind(STAKING_CODESPACE, 22, "insufficient delegation shares")
ErrStakingTransitiveRedelegation = ErrorKind(
    STAKING_CODESPACE,
    32,
    "redelegation to this validator already in progress; first redelegation to this validator "
    "must complete before next redelegation",
)


def validator_not_found(operator: str) -> ChainError:
    """Code 11 with the reference query text: "Validator not found by address X"."""
    return ChainError(
        CODESPACE, ErrValidatorNotFound.code, f"Validator not found by address {operator}"
    )


def asset_not_found(denom: str) -> ChainError:
    """Code 30 with the reference query text: "AllianceAsset not found by denom X"."""
    return ChainError(CODESPACE, ErrUnknownAsset.code, f"AllianceAsset not found by denom {denom}")


def invalid_slash_fraction(fraction: Dec) -> ChainError:
    """Code 23 with the reference text, the fraction last: "…less than or equal to 1: 2.000…"."""
    return ChainError(
        CODESPACE,
        ErrInvalidSlashFraction.code,
        f"{ErrInvalidSlashFraction.description}: {fraction}",
    )
