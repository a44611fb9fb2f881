from __future__ import annotations

import pytest

from app.chain.errors import (
    ChainError,
    ErrInsufficientFunds,
    ErrWrongSequence,
    InvariantViolation,
    abci_error,
    register_error,
)


def test_wrap_puts_details_before_the_description() -> None:
    error = ErrWrongSequence.wrap("account sequence mismatch, expected 1, got 0")
    assert (error.codespace, error.code) == ("sdk", 32)
    assert (
        error.message == "account sequence mismatch, expected 1, got 0: incorrect account sequence"
    )
    assert abci_error(error) == ("sdk", 32, error.message)


def test_duplicate_and_reserved_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_error("sdk", 5, "again")
    with pytest.raises(ValueError, match="reserved"):
        register_error("testspace", 1, "internal")
    kind = register_error("testspace-unique", 2, "fine")
    assert kind.error().message == "fine"


def test_unregistered_exceptions_become_internal_with_hidden_details() -> None:
    assert abci_error(KeyError("secret detail")) == ("sdk", 1, "internal error")
    assert isinstance(ErrInsufficientFunds.error(), ChainError)
    assert not issubclass(InvariantViolation, ChainError)
