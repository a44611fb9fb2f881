"""Staking's registered errors: codespace ``staking``, codes as cosmos-sdk v0.50
``x/staking/types/errors.go`` (only those this module raises)."""

from __future__ import annotations

from app.chain.errors import register_error

CODESPACE = "staking"

ErrNoValidatorFound = register_error(CODESPACE, 3, "validator does not exist")
ErrValidatorOwnerExists = register_error(
    CODESPACE,
    4,
    "validator already exist for this operator address; must use new validator operator address",
)
ErrValidatorPubKeyExists = register_error(
    CODESPACE, 5, "validator already exist for this pubkey; must use new validator pubkey"
)
ErrValidatorPubKeyTypeNotSupported = register_error(
    CODESPACE, 6, "validator pubkey type is not supported"
)
ErrBadRemoveValidator = register_error(CODESPACE, 8, "failed to remove validator")
ErrCommissionNegative = register_error(CODESPACE, 9, "commission must be positive")
ErrCommissionHuge = register_error(CODESPACE, 10, "commission cannot be more than 100%")
ErrCommissionGTMaxRate = register_error(
    CODESPACE, 11, "commission cannot be more than the max rate"
)
ErrCommissionUpdateTime = register_error(
    CODESPACE, 12, "commission cannot be changed more than once in 24h"
)
ErrCommissionChangeRateNegative = register_error(
    CODESPACE, 13, "commission change rate must be positive"
)
ErrCommissionChangeRateGTMaxRate = register_error(
    CODESPACE, 14, "commission change rate cannot be more than the max rate"
)
ErrCommissionGTMaxChangeRate = register_error(
    CODESPACE, 15, "commission cannot be changed more than max change rate"
)
ErrSelfDelegationBelowMinimum = register_error(
    CODESPACE, 16, "validator's self delegation must be greater than their minimum self delegation"
)
ErrMinSelfDelegationDecreased = register_error(
    CODESPACE, 17, "minimum self delegation cannot be decrease"
)
ErrNoDelegation = register_error(CODESPACE, 19, "no delegation for (address, validator) tuple")
ErrNoDelegatorForAddress = register_error(CODESPACE, 21, "delegator does not contain delegation")
ErrBadSharesAmount = register_error(CODESPACE, 22, "invalid shares amount")
ErrNotEnoughDelegationShares = register_error(CODESPACE, 24, "not enough delegation shares")
ErrNoUnbondingDelegation = register_error(CODESPACE, 26, "no unbonding delegation found")
ErrMaxUnbondingDelegationEntries = register_error(
    CODESPACE, 27, "too many unbonding delegation entries for (delegator, validator) tuple"
)
ErrNoRedelegation = register_error(CODESPACE, 28, "no redelegation found")
ErrSelfRedelegation = register_error(CODESPACE, 29, "cannot redelegate to the same validator")
ErrTinyRedelegationAmount = register_error(
    CODESPACE, 30, "too few tokens to redelegate (truncates to zero tokens)"
)
ErrBadRedelegationDst = register_error(
    CODESPACE, 31, "redelegation destination validator not found"
)
ErrTransitiveRedelegation = register_error(
    CODESPACE,
    32,
    "redelegation to this validator already in progress; first redelegation to this validator "
    "must complete before next redelegation",
)
ErrMaxRedelegationEntries = register_error(
    CODESPACE,
    33,
    "too many redelegation entries for (delegator, src-validator, dst-validator) tuple",
)
ErrDelegatorShareExRateInvalid = register_error(
    CODESPACE, 34, "cannot delegate to validators with invalid (zero) ex-rate"
)
ErrEmptyValidatorPubKey = register_error(CODESPACE, 39, "empty validator public key")
ErrCommissionLTMinRate = register_error(CODESPACE, 40, "commission cannot be less than min rate")
ErrBadRedelegationSrc = register_error(CODESPACE, 44, "redelegation source validator not found")
