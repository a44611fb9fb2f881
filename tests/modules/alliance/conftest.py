"""The address prefix and bond denom, as a fixture: the chain's own and the reference tests'."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class ChainNames:
    account_prefix: str
    bond_denom: str

    @property
    def validator_prefix(self) -> str:
        return f"{self.account_prefix}valoper"


@pytest.fixture(
    params=[("persistence", "uxprt"), ("cosmos", "stake")], ids=["persistence", "cosmos"]
)
def chain(request: pytest.FixtureRequest) -> ChainNames:
    return ChainNames(*request.param)
