"""The address prefix and bond denom, as a fixture: the chain's own and the reference tests'."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from app.types.address import bech32_account_prefix


@dataclass(frozen=True, slots=True)
class ChainNames:
    account_prefix: str
    bond_denom: str

    @property
    def validator_prefix(self) -> str:
        return f"{self.account_prefix}valoper"


@pytest.fixture(
    params=[("persistence", "uxprt"), ("cosmos", "stake")], ids=["persistence", "cosmos"]
)
def chain(request: pytest.FixtureRequest) -> Iterator[ChainNames]:
    """The names, with addresses rendered under that prefix for the test's duration."""
    names = ChainNames(*request.param)
    with bech32_account_prefix(names.account_prefix):
        yield names
