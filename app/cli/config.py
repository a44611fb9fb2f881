"""The client configuration `<home>/config/client.toml` and `allianced config`.

The file holds five string keys, as the Cosmos SDK's client.toml::

    chain-id = "persistence-devnet-1"
    keyring-backend = "test"
    output = "text"
    node = "tcp://127.0.0.1:26657"
    broadcast-mode = "sync"

A missing file or key means "not configured": flags and built-in defaults decide. Only these keys
are written back, in this order, so `config set` never grows stray content. The `allianced config`
commands are in `app.cli.config_commands`.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

from app.cli.keyring import BACKENDS
from app.cli.rpc import http_url

__all__ = [
    "CLIENT_KEYS",
    "ConfigError",
    "check_client_key",
    "client_config_path",
    "read_client_config",
    "render_client_config",
    "set_client_value",
    "validate_client_value",
]

OUTPUT_FORMATS = ("text", "json")
"""Values of `output` and `-o/--output`."""

BROADCAST_MODES = ("sync", "async")
"""Values of `broadcast-mode` and `-b/--broadcast-mode` (the SDK removed `block`)."""


def _check_choice(choices: tuple[str, ...]) -> Callable[[str], None]:
    def check(value: str) -> None:
        if value not in choices:
            raise ConfigError(f"invalid value {value!r}: use one of {', '.join(choices)}")

    return check


def _check_node(value: str) -> None:
    try:
        http_url(value)
    except ValueError as error:
        raise ConfigError(str(error)) from None


def _accept_any(value: str) -> None:
    del value


CLIENT_KEYS: Mapping[str, Callable[[str], None]] = {
    "chain-id": _accept_any,
    "keyring-backend": _check_choice(BACKENDS),
    "output": _check_choice(OUTPUT_FORMATS),
    "node": _check_node,
    "broadcast-mode": _check_choice(BROADCAST_MODES),
}
"""Every client.toml key, in file order, with the check a new value must pass."""


class ConfigError(ValueError):
    """client.toml cannot be read, or a key or value is not acceptable."""


def client_config_path(home: Path) -> Path:
    """`<home>/config/client.toml`."""
    return home / "config" / "client.toml"


def read_client_config(home: Path) -> dict[str, str]:
    """The known keys present in client.toml ({} when the file does not exist).

    Raises:
        ConfigError: the file is not TOML, or a known key holds something other than a string.
    """
    path = client_config_path(home)
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    config: dict[str, str] = {}
    for key in CLIENT_KEYS:
        if key not in document:
            continue
        value = document[key]
        if not isinstance(value, str):
            raise ConfigError(f"{path}: {key} must be a string")
        config[key] = value
    return config


def validate_client_value(key: str, value: str) -> None:
    """Check that `key` is a client.toml key and `value` an acceptable value for it.

    Raises:
        ConfigError: unknown key or unacceptable value.
    """
    check_client_key(key)
    CLIENT_KEYS[key](value)


def check_client_key(key: str) -> None:
    """Raise `ConfigError` unless `key` is a client.toml key."""
    if key not in CLIENT_KEYS:
        raise ConfigError(f"unknown client config key {key!r}: use one of {', '.join(CLIENT_KEYS)}")


def set_client_value(home: Path, key: str, value: str) -> None:
    """Write `key = value` into client.toml, creating the file (and config dir) if needed.

    Raises:
        ConfigError: unknown key, unacceptable value, or an unreadable existing file.
    """
    validate_client_value(key, value)
    config = read_client_config(home) | {key: value}
    path = client_config_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_client_config(config))


def render_client_config(config: Mapping[str, str]) -> str:
    """client.toml text: one `key = "value"` line per present key, in `CLIENT_KEYS` order.

    JSON string escapes are valid TOML basic-string escapes, so `json.dumps` quotes safely.
    """
    return "".join(f"{key} = {json.dumps(config[key])}\n" for key in CLIENT_KEYS if key in config)
