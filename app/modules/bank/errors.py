"""Bank errors, codespace ``bank`` (cosmos-sdk ``x/bank/types/errors.go``)."""

from app.chain.errors import register_error

CODESPACE = "bank"

ErrNoInputs = register_error(CODESPACE, 2, "no inputs to send transaction")
ErrNoOutputs = register_error(CODESPACE, 3, "no outputs to send transaction")
ErrInputOutputMismatch = register_error(CODESPACE, 4, "sum inputs != sum outputs")
ErrSendDisabled = register_error(CODESPACE, 5, "send transactions are disabled")
ErrDenomMetadataNotFound = register_error(CODESPACE, 6, "client denom metadata not found")
ErrInvalidKey = register_error(CODESPACE, 7, "invalid key")
ErrDuplicateEntry = register_error(CODESPACE, 8, "duplicate entry")
ErrMultipleSenders = register_error(CODESPACE, 9, "multiple senders not allowed")
