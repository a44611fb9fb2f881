"""Slashing errors, codespace ``slashing`` (cosmos-sdk ``x/slashing/types/errors.go``)."""

from app.chain.errors import register_error

CODESPACE = "slashing"

ErrNoValidatorForAddress = register_error(
    CODESPACE, 2, "address is not associated with any known validator"
)
ErrBadValidatorAddr = register_error(CODESPACE, 3, "validator does not exist for that address")
ErrValidatorJailed = register_error(CODESPACE, 4, "validator still jailed; cannot be unjailed")
ErrValidatorNotJailed = register_error(CODESPACE, 5, "validator not jailed; cannot be unjailed")
ErrMissingSelfDelegation = register_error(
    CODESPACE, 6, "validator has no self-delegation; cannot be unjailed"
)
ErrSelfDelegationTooLowToUnjail = register_error(
    CODESPACE, 7, "validator's self delegation less than minimum; cannot be unjailed"
)
ErrNoSigningInfoFound = register_error(CODESPACE, 8, "no validator signing info found")
ErrValidatorTombstoned = register_error(CODESPACE, 9, "validator already tombstoned")
ErrInvalidParams = register_error(CODESPACE, 10, "invalid slashing params")
"""Not upstream (the SDK returns an unregistered error for bad params)."""
