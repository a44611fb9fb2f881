"""Distribution errors, codespace ``distribution`` (``x/distribution/types/errors.go``)."""

from app.chain.errors import register_error

CODESPACE = "distribution"

ErrEmptyDelegatorAddr = register_error(CODESPACE, 2, "delegator address is empty")
ErrEmptyWithdrawAddr = register_error(CODESPACE, 3, "withdraw address is empty")
ErrEmptyValidatorAddr = register_error(CODESPACE, 4, "validator address is empty")
ErrEmptyDelegationDistInfo = register_error(CODESPACE, 5, "no delegation distribution info")
ErrNoValidatorDistInfo = register_error(CODESPACE, 6, "no validator distribution info")
ErrNoValidatorCommission = register_error(CODESPACE, 7, "no validator commission to withdraw")
ErrSetWithdrawAddrDisabled = register_error(CODESPACE, 8, "set withdraw address disabled")
ErrBadDistribution = register_error(
    CODESPACE, 9, "community pool does not have sufficient coins to distribute"
)
ErrInvalidProposalAmount = register_error(
    CODESPACE, 10, "invalid community pool spend proposal amount"
)
ErrEmptyProposalRecipient = register_error(
    CODESPACE, 11, "invalid community pool spend proposal recipient"
)
ErrNoValidatorExists = register_error(CODESPACE, 12, "validator does not exist")
ErrNoDelegationExists = register_error(CODESPACE, 13, "delegation does not exist")
