"""Client flags and the resolved client context every command works from.

The global habits (`--home`, `--node`, `--chain-id`, `--keyring-backend`, `-o/--output`) are
accepted both before the subcommand (`allianced --node X q bank balances A`) and after it, where
Cosmos users put them (`allianced q bank balances A --node X`). Their callbacks record the values
given on a `GlobalFlags` held by the root context; `client_context` then applies the precedence

    flag > client.toml (of the chosen home) > built-in default

and $ALLIANCED_HOME > ~/.allianced for the home itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import click

from app.cli.config import BROADCAST_MODES, OUTPUT_FORMATS, ConfigError, read_client_config
from app.cli.keyring import BACKENDS, Backend, Keyring
from app.cli.keys import DEFAULT_BACKEND, DEFAULT_HOME, HOME_ENV, KeysSettings, open_keyring
from app.cli.rpc import DEFAULT_NODE, RpcClient

__all__ = [
    "ClientContext",
    "GlobalFlags",
    "Output",
    "client_context",
    "client_flags",
    "client_home",
]

DEBUG_ENV = "ALLIANCED_DEBUG"
"""Set to 1 to let unexpected errors print their traceback (same as --debug)."""

DEFAULT_BROADCAST_MODE = "sync"
"""Broadcast mode when neither -b nor client.toml chooses: wait for CheckTx."""

Output = Literal["text", "json"]
"""Output formats of `-o/--output`."""

_Command = TypeVar("_Command", bound=Callable[..., Any])


@dataclass(slots=True)
class GlobalFlags:
    """Client flags seen on the command line so far (None = not given).

    Mutable on purpose: click fills it from option callbacks while it parses, root first, so a
    flag after the subcommand overrides the same flag before it. `app.cli.keys` reads `home`.
    """

    home: Path | None = None
    node: str | None = None
    chain_id: str | None = None
    keyring_backend: str | None = None
    output: str | None = None


@dataclass(frozen=True, slots=True)
class ClientContext:
    """Everything a command needs to reach the chain, after flags, client.toml and defaults.

    `output` is None when neither a flag nor client.toml chose one: queries then print text and
    transactions JSON, as in the SDK.
    """

    home: Path
    node: str
    chain_id: str
    keyring_backend: Backend
    output: Output | None
    broadcast_mode: str

    def rpc(self) -> RpcClient:
        """A JSON-RPC client of the configured node."""
        return RpcClient(self.node)

    def keyring(self) -> Keyring:
        """The configured keyring, prompting on the terminal for a `file` passphrase."""
        return open_keyring(KeysSettings(self.home, self.keyring_backend, self.output or "text"))

    def output_or(self, default: Output) -> Output:
        """The chosen output format, else the command's own default."""
        return self.output or default


def client_home(ctx: click.Context) -> Path:
    """The home directory: --home, else $ALLIANCED_HOME, else ~/.allianced."""
    home = _flags(ctx).home or Path(os.environ.get(HOME_ENV) or DEFAULT_HOME)
    return home.expanduser()


def client_context(ctx: click.Context) -> ClientContext:
    """Resolve the client flags of this invocation against client.toml.

    Raises:
        ConfigError: client.toml is unreadable or holds an unacceptable value.
    """
    flags = _flags(ctx)
    home = client_home(ctx)
    config = read_client_config(home)
    backend = flags.keyring_backend or config.get("keyring-backend") or DEFAULT_BACKEND
    output = flags.output or config.get("output")
    broadcast_mode = config.get("broadcast-mode") or DEFAULT_BROADCAST_MODE
    _check_configured("keyring-backend", backend, BACKENDS)
    _check_configured("output", output or "text", OUTPUT_FORMATS)
    _check_configured("broadcast-mode", broadcast_mode, BROADCAST_MODES)
    return ClientContext(
        home=home,
        node=flags.node or config.get("node") or DEFAULT_NODE,
        chain_id=flags.chain_id or config.get("chain-id") or "",
        keyring_backend=cast(Backend, backend),
        output=cast(Output | None, output),
        broadcast_mode=broadcast_mode,
    )


def client_flags(command: _Command) -> _Command:
    """Add the global client flags to a command or group (root and every leaf command)."""
    remembered: dict[str, Any] = {"expose_value": False, "callback": _remember_flag}
    options = [
        click.option(
            "--home",
            type=click.Path(file_okay=False, path_type=Path),
            help=f"Client home directory [default: ${HOME_ENV} or {DEFAULT_HOME}]",
            **remembered,
        ),
        click.option(
            "--node",
            help=f"CometBFT RPC address [default: client.toml node or {DEFAULT_NODE}]",
            **remembered,
        ),
        click.option("--chain-id", help="Chain id [default: client.toml chain-id]", **remembered),
        click.option(
            "--keyring-backend",
            type=click.Choice(BACKENDS),
            help=f"Keyring backend [default: client.toml keyring-backend or {DEFAULT_BACKEND}]",
            **remembered,
        ),
        click.option(
            "-o",
            "--output",
            type=click.Choice(OUTPUT_FORMATS),
            help="Output format [default: client.toml output, else text for queries, json for txs]",
            **remembered,
        ),
        click.option(
            "--debug",
            is_flag=True,
            expose_value=False,
            help=f"Show tracebacks of unexpected errors (also ${DEBUG_ENV}=1)",
        ),
    ]
    # Decorators stack bottom-up on a function but append in call order on a built Command.
    for option in options if isinstance(command, click.Command) else reversed(options):
        command = option(command)
    return command


def _remember_flag(ctx: click.Context, param: click.Parameter, value: object) -> None:
    if value is not None and param.name is not None:
        setattr(_flags(ctx), param.name, value)


def _flags(ctx: click.Context) -> GlobalFlags:
    root = ctx.find_root()
    if not isinstance(root.obj, GlobalFlags):
        root.obj = GlobalFlags()
    return root.obj


def _check_configured(key: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(
            f"client.toml {key} = {value!r} is invalid: use one of {', '.join(choices)}"
        )
