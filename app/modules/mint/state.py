"""Mint state and its records; store ``mint``.

Key table, as cosmos-sdk v0.50 ``x/mint/types/keys.go``:

    0x00  -> Minter (current inflation and annual provisions)
    0x01  -> Params

The minter's arithmetic lives on its record, pure: `Minter.next_inflation_rate`,
`Minter.next_annual_provisions`, `Minter.block_provision`.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.chain.kv import KVStore
from app.pb.cosmos.mint.v1beta1 import mint_pb2
from app.types.coin import Coin
from app.types.dec import Dec
from app.types.int import Int

__all__ = ["STORE_NAME", "Minter", "Params", "get_minter", "get_params", "set_minter", "set_params"]

STORE_NAME = "mint"

MINTER_KEY = b"\x00"
PARAMS_KEY = b"\x01"

BLOCKS_PER_YEAR = 60 * 60 * 8766 // 5
"""6,311,520: a 5-second block over 365.25 days (the SDK default)."""


DEFAULT_INFLATION = Dec.new_with_prec(13, 2)
DEFAULT_INFLATION_MAX = Dec.new_with_prec(20, 2)
DEFAULT_INFLATION_MIN = Dec.new_with_prec(7, 2)
DEFAULT_GOAL_BONDED = Dec.new_with_prec(67, 2)
_ZERO = Dec.zero()


def _dec(text: str) -> Dec:
    return Dec.zero() if text == "" else Dec.from_proto_str(text)


@dataclass(frozen=True, slots=True)
class Params:
    """Inflation bounds, the yearly pace of its change, the bonded-ratio goal, blocks a year."""

    mint_denom: str = "uxprt"
    inflation_rate_change: Dec = DEFAULT_INFLATION
    inflation_max: Dec = DEFAULT_INFLATION_MAX
    inflation_min: Dec = DEFAULT_INFLATION_MIN
    goal_bonded: Dec = DEFAULT_GOAL_BONDED
    blocks_per_year: int = BLOCKS_PER_YEAR

    def to_proto(self) -> mint_pb2.Params:
        return mint_pb2.Params(
            mint_denom=self.mint_denom,
            inflation_rate_change=self.inflation_rate_change.to_proto_str(),
            inflation_max=self.inflation_max.to_proto_str(),
            inflation_min=self.inflation_min.to_proto_str(),
            goal_bonded=self.goal_bonded.to_proto_str(),
            blocks_per_year=self.blocks_per_year,
        )

    @classmethod
    def from_proto(cls, msg: mint_pb2.Params) -> Params:
        """Raises `ValueError` on a malformed decimal."""
        return cls(
            mint_denom=msg.mint_denom,
            inflation_rate_change=_dec(msg.inflation_rate_change),
            inflation_max=_dec(msg.inflation_max),
            inflation_min=_dec(msg.inflation_min),
            goal_bonded=_dec(msg.goal_bonded),
            blocks_per_year=msg.blocks_per_year,
        )


@dataclass(frozen=True, slots=True)
class Minter:
    """The annual inflation rate in force and the yearly provisions it gives."""

    inflation: Dec = DEFAULT_INFLATION
    annual_provisions: Dec = _ZERO

    def next_inflation_rate(self, params: Params, bonded_ratio: Dec) -> Dec:
        """Inflation moves toward the bonded goal by at most `inflation_rate_change` a year:

        change = (1 − bonded_ratio ⊘ goal_bonded) ⊗ inflation_rate_change ⊘ blocks_per_year;
        the result inflation + change is clamped to [inflation_min, inflation_max].
        """
        per_year = (Dec.one() - bonded_ratio.quo(params.goal_bonded)).mul(
            params.inflation_rate_change
        )
        change = per_year.quo(Dec.from_int(params.blocks_per_year))
        return (self.inflation + change).min(params.inflation_max).max(params.inflation_min)

    def next_annual_provisions(self, total_supply: Int) -> Dec:
        """inflation × the bond denom's total supply."""
        return self.inflation.mul_int(total_supply)

    def block_provision(self, params: Params) -> Coin:
        """One block's share of the annual provisions, truncated to whole coins."""
        amount = self.annual_provisions.quo_int(Int(params.blocks_per_year)).truncate_int()
        return Coin(params.mint_denom, amount)

    def to_proto(self) -> mint_pb2.Minter:
        return mint_pb2.Minter(
            inflation=self.inflation.to_proto_str(),
            annual_provisions=self.annual_provisions.to_proto_str(),
        )

    @classmethod
    def from_proto(cls, msg: mint_pb2.Minter) -> Minter:
        return cls(_dec(msg.inflation), _dec(msg.annual_provisions))


def get_minter(store: KVStore) -> Minter:
    raw = store.get(MINTER_KEY)
    return Minter() if raw is None else Minter.from_proto(mint_pb2.Minter.FromString(raw))


def set_minter(store: KVStore, minter: Minter) -> None:
    store.set(MINTER_KEY, minter.to_proto().SerializeToString(deterministic=True))


def get_params(store: KVStore) -> Params:
    raw = store.get(PARAMS_KEY)
    return Params() if raw is None else Params.from_proto(mint_pb2.Params.FromString(raw))


def set_params(store: KVStore, params: Params) -> None:
    store.set(PARAMS_KEY, params.to_proto().SerializeToString(deterministic=True))
