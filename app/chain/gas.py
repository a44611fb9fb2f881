"""Gas: a meter per tx, and a store wrapper that charges the SDK's ``KVGasConfig`` per access.

Gas must be deterministic (``gas_used`` is hashed into the next header's ``LastResultsHash``), so it
is charged per store operation and per byte, exactly like cosmos-sdk ``store/gaskv``, never per
Python operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.chain.errors import ErrOutOfGas
from app.chain.kv import KVStore

__all__ = [
    "KV_GAS_CONFIG",
    "GasConfig",
    "GasKVStore",
    "GasMeter",
]


@dataclass(frozen=True, slots=True)
class GasConfig:
    """Gas charged per store operation (cosmos-sdk ``storetypes.KVGasConfig``)."""

    has_cost: int
    delete_cost: int
    read_cost_flat: int
    read_cost_per_byte: int
    write_cost_flat: int
    write_cost_per_byte: int
    iter_next_cost_flat: int


KV_GAS_CONFIG = GasConfig(
    has_cost=1000,
    delete_cost=1000,
    read_cost_flat=1000,
    read_cost_per_byte=3,
    write_cost_flat=2000,
    write_cost_per_byte=30,
    iter_next_cost_flat=30,
)
"""The SDK's persistent-store gas costs."""


class GasMeter:
    """Counts gas consumed against a limit; ``limit=None`` is infinite (genesis, blocks, queries).

    Consumption past the limit raises the SDK's out-of-gas error; the meter keeps the excess, so
    `consumed` may exceed `limit`, as ``basicGasMeter`` does.
    """

    __slots__ = ("consumed", "limit")

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.consumed = 0

    def consume(self, amount: int, descriptor: str) -> None:
        """Add `amount` gas for `descriptor`; raise sdk code 11 if the limit is now exceeded."""
        self.consumed += amount
        if self.limit is not None and self.consumed > self.limit:
            raise ErrOutOfGas.wrap(
                f"out of gas in location: {descriptor}; "
                f"gasWanted: {self.limit}, gasUsed: {self.consumed}"
            )

    def consume_pair(
        self, first: int, first_descriptor: str, second: int, second_descriptor: str
    ) -> None:
        """Exactly `consume(first, …)` then `consume(second, …)`, in one step when both fit.

        Every store access charges a flat and a per-byte amount; when the limit is near, the two
        charges run apart so the error names the same location and total as the SDK's.
        """
        total = self.consumed + first + second
        if self.limit is None or total <= self.limit:
            self.consumed = total
            return
        self.consume(first, first_descriptor)
        self.consume(second, second_descriptor)


class GasKVStore:
    """A `KVStore` that charges `meter` for every operation before delegating to `parent`."""

    __slots__ = ("_config", "_meter", "_parent")

    def __init__(self, parent: KVStore, meter: GasMeter, config: GasConfig = KV_GAS_CONFIG) -> None:
        self._parent = parent
        self._meter = meter
        self._config = config

    def get(self, key: bytes) -> bytes | None:
        """ReadCostFlat + ReadCostPerByte × (len(key) + len(value)).

        Reading before charging is safe: a read changes nothing, and out of gas discards it.
        """
        config = self._config
        value = self._parent.get(key)
        size = len(key) + (0 if value is None else len(value))
        self._meter.consume_pair(
            config.read_cost_flat, "ReadFlat", config.read_cost_per_byte * size, "ReadPerByte"
        )
        return value

    def has(self, key: bytes) -> bool:
        """HasCost."""
        self._meter.consume(self._config.has_cost, "Has")
        return self._parent.has(key)

    def set(self, key: bytes, value: bytes) -> None:
        """WriteCostFlat + WriteCostPerByte × (len(key) + len(value))."""
        config = self._config
        self._meter.consume_pair(
            config.write_cost_flat,
            "WriteFlat",
            config.write_cost_per_byte * (len(key) + len(value)),
            "WritePerByte",
        )
        self._parent.set(key, value)

    def delete(self, key: bytes) -> None:
        """DeleteCost."""
        self._meter.consume(self._config.delete_cost, "Delete")
        self._parent.delete(key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, *, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        """Per pair IterNextCostFlat + ReadCostPerByte × (key + value bytes); a flat at the end."""
        return self._metered(self._parent.iterate(start, end, reverse=reverse))

    def iterate_prefix(
        self, prefix: bytes, *, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        """As `iterate`, over the keys starting with `prefix`."""
        return self._metered(self._parent.iterate_prefix(prefix, reverse=reverse))

    def _metered(self, pairs: Iterator[tuple[bytes, bytes]]) -> Iterator[tuple[bytes, bytes]]:
        config = self._config
        for key, value in pairs:
            self._meter.consume_pair(
                config.read_cost_per_byte * (len(key) + len(value)),
                "ValuePerByte",
                config.iter_next_cost_flat,
                "IterNextFlat",
            )
            yield key, value
        self._meter.consume(config.iter_next_cost_flat, "IterNextFlat")
