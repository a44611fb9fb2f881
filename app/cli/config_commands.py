"""`allianced config set|get client KEY [VALUE]`: edit <home>/config/client.toml."""

from __future__ import annotations

import click

from app.cli.config import (
    check_client_key,
    read_client_config,
    render_client_config,
    set_client_value,
)
from app.cli.context import client_flags, client_home

__all__ = ["config_group"]

_SECTION = click.Choice(["client"])


@click.group(name="config")
def config_group() -> None:
    """Read and write the client configuration (<home>/config/client.toml)."""


@config_group.command(name="set")
@click.argument("section", type=_SECTION)
@click.argument("key")
@click.argument("value")
@client_flags
def config_set_command(section: str, key: str, value: str) -> None:
    """Set KEY to VALUE, e.g. `config set client chain-id persistence-devnet-1`.

    Keys: chain-id, keyring-backend, output, node, broadcast-mode.
    """
    del section  # "client" is the only section
    set_client_value(client_home(click.get_current_context()), key, value)


@config_group.command(name="get")
@click.argument("section", type=_SECTION)
@click.argument("key", required=False)
@client_flags
def config_get_command(section: str, key: str | None) -> None:
    """Print the value of KEY ("" when unset), or the whole client.toml without KEY."""
    del section  # "client" is the only section
    config = read_client_config(client_home(click.get_current_context()))
    if key is None:
        click.echo(render_client_config(config), nl=False)
        return
    check_client_key(key)
    click.echo(config.get(key, ""))
