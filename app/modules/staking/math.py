"""Pure checks of commissions and descriptions (``x/staking/types/commission.go``,
``validator.go`` ``EnsureLength``)."""

from __future__ import annotations

from app.chain.errors import ErrInvalidRequest
from app.modules.staking.errors import (
    ErrCommissionChangeRateGTMaxRate,
    ErrCommissionChangeRateNegative,
    ErrCommissionGTMaxChangeRate,
    ErrCommissionGTMaxRate,
    ErrCommissionHuge,
    ErrCommissionNegative,
    ErrCommissionUpdateTime,
)
from app.modules.staking.types import Commission, Description
from app.types.dec import Dec
from app.types.time import HOUR, Timestamp

MAX_MONIKER_LENGTH = 70
MAX_IDENTITY_LENGTH = 3000
MAX_WEBSITE_LENGTH = 140
MAX_SECURITY_CONTACT_LENGTH = 140
MAX_DETAILS_LENGTH = 280

COMMISSION_CHANGE_INTERVAL = 24 * HOUR
"""A commission rate changes at most once per this interval."""


def validate_commission_rates(rate: Dec, max_rate: Dec, max_change_rate: Dec) -> None:
    """0 ≤ rate ≤ max_rate ≤ 1 and 0 ≤ max_change_rate ≤ max_rate (``CommissionRates.Validate``)."""
    if max_rate.is_negative():
        raise ErrCommissionNegative.error()
    if max_rate > Dec.one():
        raise ErrCommissionHuge.error()
    if rate.is_negative():
        raise ErrCommissionNegative.error()
    if rate > max_rate:
        raise ErrCommissionGTMaxRate.error()
    if max_change_rate.is_negative():
        raise ErrCommissionChangeRateNegative.error()
    if max_change_rate > max_rate:
        raise ErrCommissionChangeRateGTMaxRate.error()


def validate_new_rate(commission: Commission, new_rate: Dec, block_time: Timestamp) -> None:
    """A rate change: not within 24 h of the last, within [0, max_rate], and moving by at most
    max_change_rate (``Commission.ValidateNewRate``)."""
    if block_time - commission.update_time < COMMISSION_CHANGE_INTERVAL:
        raise ErrCommissionUpdateTime.error()
    if new_rate.is_negative():
        raise ErrCommissionNegative.error()
    if new_rate > commission.max_rate:
        raise ErrCommissionGTMaxRate.error()
    if (new_rate - commission.rate).abs() > commission.max_change_rate:
        raise ErrCommissionGTMaxChangeRate.error()


def ensure_description_length(d: Description) -> None:
    """Each field within its limit; raises sdk 18 naming the field."""
    limits = (
        ("moniker", d.moniker, MAX_MONIKER_LENGTH),
        ("identity", d.identity, MAX_IDENTITY_LENGTH),
        ("website", d.website, MAX_WEBSITE_LENGTH),
        ("security contact", d.security_contact, MAX_SECURITY_CONTACT_LENGTH),
        ("details", d.details, MAX_DETAILS_LENGTH),
    )
    for name, value, limit in limits:
        if len(value) > limit:
            raise ErrInvalidRequest.wrap(f"invalid {name} length; got: {len(value)}, max: {limit}")
