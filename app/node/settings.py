"""The app process's own settings (`<home>/config/app.toml`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ABCI_ADDRESS = "tcp://127.0.0.1:26658"
"""CometBFT's default `proxy_app`; loopback only."""


DEFAULT_IAVL_CACHE_SIZE = 3_000_000
"""Tree nodes kept in memory: a 1 M-key store has about 2 M nodes, and a block's writes cost
about a third more when the nodes on their paths have to be read back from LevelDB."""


class SettingsError(ValueError):
    """app.toml is missing a value or holds one of the wrong kind."""


@dataclass(frozen=True, slots=True)
class AppSettings:
    """What `allianced start` reads before it opens the store.

    `minimum_gas_prices` stays text here: the chain parses it into DecCoins (a bad value fails
    at start, with the chain's own message).
    """

    abci_address: str = DEFAULT_ABCI_ADDRESS
    minimum_gas_prices: str = ""
    pruning_keep_recent: int = 0
    iavl_cache_size: int = DEFAULT_IAVL_CACHE_SIZE


def load_app_settings(path: Path) -> AppSettings:
    """Read app.toml; a missing file gives the defaults."""
    if not path.exists():
        return AppSettings()
    try:
        document = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}") from None
    abci_address = document.get("abci-address", DEFAULT_ABCI_ADDRESS)
    prices = document.get("minimum-gas-prices", "")
    keep_recent = document.get("pruning-keep-recent", 0)
    cache_size = document.get("iavl-cache-size", DEFAULT_IAVL_CACHE_SIZE)
    if not isinstance(abci_address, str) or not isinstance(prices, str):
        raise SettingsError(f"{path}: abci-address and minimum-gas-prices must be strings")
    if not isinstance(keep_recent, int) or keep_recent < 0:
        raise SettingsError(f"{path}: pruning-keep-recent must be a non-negative integer")
    if not isinstance(cache_size, int) or cache_size < 1:
        raise SettingsError(f"{path}: iavl-cache-size must be a positive integer")
    return AppSettings(abci_address, prices, keep_recent, cache_size)
