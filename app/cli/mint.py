"""`allianced query mint …`: inflation, annual provisions, params.

Inflation and annual provisions travel as LegacyDec bytes (the scaled integer's text); the
commands print them as decimals, as the SDK's CLI does.
"""

from __future__ import annotations

import click
from google.protobuf.message import Message

from app.cli.context import client_context, client_flags
from app.cli.queries import QuerySpec, query_group, response_class
from app.pb.cosmos.mint.v1beta1 import query_pb2 as mint_query
from app.types import Dec

__all__ = ["mint_query_group"]

_SERVICE = "/cosmos.mint.v1beta1.Query/"


def decimal_command(name: str, help_text: str, method: str, request: Message) -> click.Command:
    """A command printing the LegacyDec bytes field named like the command (``inflation``,
    ``annual_provisions``) of a mint query's response."""

    def run(height: int) -> None:
        path = _SERVICE + method
        client = client_context(click.get_current_context())
        with client.rpc() as rpc:
            response = rpc.query_grpc(path, request, response_class(path), height)
        raw: bytes = getattr(response, name.replace("-", "_"))
        value = Dec.from_proto_str(raw.decode()) if raw else Dec.zero()
        click.echo(str(value))

    height = click.Option(
        ["--height"], type=click.IntRange(min=0), default=0, help="Query at this height"
    )
    command = click.Command(name=name, callback=run, params=[height], help=help_text)
    return client_flags(command)


mint_query_group = query_group(
    "mint",
    "Mint queries: inflation, annual provisions, params.",
    [
        QuerySpec(
            "params",
            "The mint module's parameters.",
            lambda _args: (_SERVICE + "Params", mint_query.QueryParamsRequest()),
        )
    ],
)
mint_query_group.add_command(
    decimal_command(
        "inflation",
        "The current annual inflation rate.",
        "Inflation",
        mint_query.QueryInflationRequest(),
    )
)
mint_query_group.add_command(
    decimal_command(
        "annual-provisions",
        "The current annual provisions of the mint denom.",
        "AnnualProvisions",
        mint_query.QueryAnnualProvisionsRequest(),
    )
)
