"""Gov errors, codespace ``gov`` (cosmos-sdk ``x/gov/types/errors.go``)."""

from app.chain.errors import register_error

CODESPACE = "gov"

ErrUnknownProposal = register_error(CODESPACE, 2, "unknown proposal")
ErrInactiveProposal = register_error(CODESPACE, 3, "inactive proposal")
ErrAlreadyActiveProposal = register_error(CODESPACE, 4, "proposal already active")
ErrInvalidProposalContent = register_error(CODESPACE, 5, "invalid proposal content")
ErrInvalidProposalType = register_error(CODESPACE, 6, "invalid proposal type")
ErrInvalidVote = register_error(CODESPACE, 7, "invalid vote option")
ErrInvalidGenesis = register_error(CODESPACE, 8, "invalid genesis state")
ErrNoProposalHandlerExists = register_error(CODESPACE, 9, "no handler exists for proposal type")
ErrUnroutableProposalMsg = register_error(
    CODESPACE, 10, "proposal message not recognized by router"
)
ErrNoProposalMsgs = register_error(CODESPACE, 11, "no messages proposed")
ErrInvalidProposalMsg = register_error(CODESPACE, 12, "invalid proposal message")
ErrInvalidSigner = register_error(
    CODESPACE, 13, "expected gov account as only signer for proposal message"
)
ErrMetadataTooLong = register_error(CODESPACE, 15, "metadata too long")
ErrMinDepositTooSmall = register_error(CODESPACE, 16, "minimum deposit is too small")
ErrProposalNotFound = register_error(CODESPACE, 17, "proposal is not found")
ErrInvalidProposer = register_error(CODESPACE, 18, "invalid proposer")
ErrVotingPeriodEnded = register_error(CODESPACE, 19, "voting period already ended")
ErrInvalidProposal = register_error(CODESPACE, 20, "invalid proposal")
ErrSummaryTooLong = register_error(CODESPACE, 21, "summary too long")
ErrInvalidDepositDenom = register_error(CODESPACE, 22, "invalid deposit denom")
ErrTitleTooLong = register_error(CODESPACE, 23, "title too long")
ErrInvalidParams = register_error(CODESPACE, 24, "invalid gov params")
"""Not upstream (the SDK returns an unregistered error for bad params)."""
