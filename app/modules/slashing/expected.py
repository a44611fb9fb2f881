"""What slashing needs from staking, and nothing more (the contract's `StakingKeeper` subset).

The records are read through structural Protocols, so staking's frozen dataclasses satisfy them
without slashing importing staking.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from app.chain.context import Context
from app.types.dec import Dec
from app.types.int import Int


class Validator(Protocol):
    """The validator fields slashing reads."""

    @property
    def operator(self) -> bytes: ...

    @property
    def consensus_pubkey(self) -> bytes: ...

    @property
    def min_self_delegation(self) -> Int: ...

    def is_jailed(self) -> bool: ...

    @property
    def status(self) -> int:
        """`BondStatus`: 1 unbonded, 2 unbonding, 3 bonded."""
        ...

    def consensus_address(self) -> bytes: ...

    def tokens_from_shares(self, shares: Dec) -> Dec: ...


class Delegation(Protocol):
    @property
    def shares(self) -> Dec: ...


class StakingKeeper(Protocol):
    """Lookups, slash, jail and unjail; addresses are raw bytes."""

    def get_validator(self, ctx: Context, operator: bytes) -> Validator | None: ...

    def get_all_validators(self, ctx: Context) -> Sequence[Validator]: ...

    def get_validator_by_cons_addr(self, ctx: Context, cons: bytes) -> Validator | None: ...

    def get_delegation(
        self, ctx: Context, delegator: bytes, operator: bytes
    ) -> Delegation | None: ...

    def slash(
        self, ctx: Context, cons_addr: bytes, infraction_height: int, power: int, fraction: Dec
    ) -> Int: ...

    def jail(self, ctx: Context, cons_addr: bytes) -> None: ...

    def unjail(self, ctx: Context, cons_addr: bytes) -> None: ...
