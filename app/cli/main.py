"""`allianced`: the root command group and the console-script entry point.

    allianced keys …                 the local keyring (app.cli.keys)
    allianced tx bank send|multi-send
    allianced tx alliance …, query alliance …   (app.cli.alliance)
    allianced query|q bank|auth …, query tx|txs|block
    allianced status, comet show-validator|show-address|show-node-id
    allianced config set|get client …

The node-side commands (init, start, genesis, export) are attached to `cli` by `app.node`.
`main` runs the group so that every failure ends as one line `Error: …` on stderr with exit
code 1 (click's usage errors keep exit code 2); --debug or ALLIANCED_DEBUG=1 shows the traceback
of unexpected errors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

import click

from app.cli.alliance import alliance_query_group, alliance_tx_group
from app.cli.auth import auth_query_group
from app.cli.bank import bank_query_group, bank_tx_group
from app.cli.comet import block_command, comet_group, status_command, tx_command, txs_command
from app.cli.config_commands import config_group
from app.cli.context import DEBUG_ENV, client_flags
from app.cli.distribution import distribution_query_group, distribution_tx_group
from app.cli.gov import gov_query_group, gov_tx_group
from app.cli.keyring import KeyringError
from app.cli.keys import keys
from app.cli.mint import mint_query_group
from app.cli.rpc import ClientError
from app.cli.slashing import slashing_query_group, slashing_tx_group
from app.cli.staking import staking_query_group, staking_tx_group
from app.node.commands import node_commands

__all__ = ["cli", "main"]

EXPECTED_ERRORS = (ClientError, KeyringError, ValueError, OSError)
"""Failures a user can cause and fix (node down, unknown key, bad input, missing file): their
message alone is printed. Anything else also shows its type, as it points to a bug."""


class AliasedGroup(click.Group):
    """A group whose commands can also be called by alias (`q` for `query`)."""

    def __init__(self, *args: object, aliases: Mapping[str, str] | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.aliases = dict(aliases or {})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, self.aliases.get(cmd_name, cmd_name))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # Report the canonical name, so help and errors say "query" for "q".
        _, command, rest = super().resolve_command(ctx, args)
        return (command.name if command else None), command, rest


class RootGroup(AliasedGroup):
    """The `allianced` group: user-caused failures become `click.ClickException`s, so they print
    as "Error: …" with exit code 1 however the group is run (`main`, click's test runner)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except EXPECTED_ERRORS as error:
            raise click.ClickException(error_line(error)) from error


@click.group(
    name="allianced",
    cls=RootGroup,
    aliases={"q": "query", "tendermint": "comet", "cometbft": "comet"},
    context_settings={"help_option_names": ["-h", "--help"]},
)
@client_flags
def cli() -> None:
    """allianced: a restaking chain with Terra's Alliance module (client and node)."""


@cli.group(name="tx")
def tx_group() -> None:
    """Build, sign and broadcast transactions."""


@cli.group(name="query", cls=AliasedGroup)
def query_group() -> None:
    """Query the chain's state and transactions (alias: q)."""


tx_group.add_command(bank_tx_group)
tx_group.add_command(staking_tx_group)
tx_group.add_command(slashing_tx_group)
tx_group.add_command(gov_tx_group)
query_group.add_command(slashing_query_group)
query_group.add_command(gov_query_group)
tx_group.add_command(distribution_tx_group)
query_group.add_command(distribution_query_group)
query_group.add_command(mint_query_group)
query_group.add_command(bank_query_group)
query_group.add_command(staking_query_group)
query_group.add_command(auth_query_group)
tx_group.add_command(alliance_tx_group)
query_group.add_command(alliance_query_group)
query_group.add_command(tx_command)
query_group.add_command(txs_command)
query_group.add_command(block_command)
cli.add_command(keys)
cli.add_command(config_group)
cli.add_command(status_command)
cli.add_command(comet_group)
for node_command in node_commands:
    cli.add_command(node_command)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run `allianced` with `argv` (default: the process arguments) and exit."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = os.environ.get(DEBUG_ENV) == "1" or "--debug" in args
    try:
        # Without standalone mode click returns --help's exit code and raises everything else.
        returned = cli.main(args=args, prog_name="allianced", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("Error: aborted", err=True)
        sys.exit(1)
    except Exception as error:
        if debug:
            raise
        click.echo(f"Error: {error_line(error)}", err=True)
        sys.exit(1)
    sys.exit(returned if isinstance(returned, int) else 0)


def error_line(error: BaseException) -> str:
    """One line describing `error`: its message (newlines folded), prefixed by its type when
    the error is not one a user is expected to cause."""
    message = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, EXPECTED_ERRORS):
        return message
    return f"{type(error).__name__}: {message}"
