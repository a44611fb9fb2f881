"""Errors raised by the shared value types.

Every error is a `ValueError`, so a caller that only wants "bad input" can catch that::

    ValueError
    └── TypesError
        ├── IntOverflowError     an Int above 256 bits or a Dec above 315 raw bits ("Int overflow")
        ├── InvalidDenomError    a denom that fails the SDK denom regex
        ├── InvalidCoinsError    a Coin, Coins or DecCoins that is not valid or not canonical
        ├── NegativeCoinsError   a coin subtraction whose result would be negative
        └── AddressError         a bech32 string or address payload that cannot be accepted
"""


class TypesError(ValueError):
    """Base of every error raised by `app.types`."""


class IntOverflowError(TypesError):
    """An integer or decimal left the SDK's range (the SDK panics with "Int overflow")."""


class InvalidDenomError(TypesError):
    """A denom does not match `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`."""


class InvalidCoinsError(TypesError):
    """A coin or coin set is malformed, unsorted, duplicated or not positive."""


class NegativeCoinsError(TypesError):
    """Subtracting coins would leave a negative amount."""


class AddressError(TypesError):
    """A bech32 address is malformed, has the wrong prefix or a payload of the wrong length."""
