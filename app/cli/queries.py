"""Query commands generated from a table, as the SDK's autocli does for a module's gRPC service.

A module's queries are a tuple of `QuerySpec`: the command name, its arguments and options, and a
function from the parsed values to (gRPC path, request). The response class comes from the
service descriptor of the path, so a spec never repeats it::

    QuerySpec("params", "Query the bank parameters", build=lambda args: (
        "/cosmos.bank.v1beta1.Query/Params", bank_query.QueryParamsRequest())),

`query_group("bank", "...", SPECS)` turns the table into `allianced query bank ...`. Every query
takes `--height`; list queries (`paginated=True`) also take `--limit`, `--page`, `--page-key`,
`--offset`, `--count-total` and `--reverse`, and receive a `PageRequest` as `args["pagination"]`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import click
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

from app.cli.context import client_context, client_flags
from app.cli.output import emit_message
from app.codec import load_all_protos
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2

__all__ = ["DEFAULT_PAGE_LIMIT", "QuerySpec", "page_request", "query_group", "response_class"]

DEFAULT_PAGE_LIMIT = 100
"""Items per page of list queries when --limit is not given (the SDK's default)."""

QueryArgs = Mapping[str, Any]
"""Parsed arguments and options of a query command, by parameter name."""

RequestBuilder = Callable[[QueryArgs], tuple[str, Message]]
"""Maps a command's parsed values to the gRPC query path and the request message."""


@dataclass(frozen=True, slots=True)
class QuerySpec:
    """One query command: `name`, first line of help, parameters and how to build the request."""

    name: str
    help: str
    build: RequestBuilder
    params: Sequence[click.Parameter] = ()
    paginated: bool = False


@cache
def response_class(path: str) -> type[Message]:
    """The response message class of a gRPC method path `/package.Service/Method`.

    Raises:
        ValueError: the path names no known service method.
    """
    load_all_protos()
    service_name, _, method_name = path.lstrip("/").partition("/")
    try:
        service = descriptor_pool.Default().FindServiceByName(service_name)
    except KeyError:
        raise ValueError(f"unknown query service in {path!r}") from None
    method = service.methods_by_name.get(method_name)
    if method is None:
        raise ValueError(f"unknown query method in {path!r}")
    return message_factory.GetMessageClass(method.output_type)


def page_request(
    limit: int, page: int, page_key: str, offset: int, count_total: bool, reverse: bool
) -> pagination_pb2.PageRequest:
    """The `PageRequest` of the pagination flags, with the SDK's rules.

    `--page N` means offset (N-1)·limit; it cannot be combined with --offset. `--page-key` is the
    base64 `next_key` printed by the previous page (the SDK takes raw bytes; base64 is what users
    can copy); a key and an offset exclude each other.

    Raises:
        click.UsageError: conflicting flags or a page key that is not base64.
    """
    if page > 1 and offset > 0:
        raise click.UsageError("--page and --offset cannot be used together")
    start = (page - 1) * limit if page > 1 else offset
    key = b""
    if page_key:
        try:
            key = base64.b64decode(page_key, validate=True)
        except binascii.Error:
            raise click.UsageError(f"--page-key {page_key!r} is not base64") from None
    if key and start:
        raise click.UsageError("--page-key cannot be combined with --offset or --page")
    return pagination_pb2.PageRequest(
        key=key, offset=start, limit=limit, count_total=count_total, reverse=reverse
    )


def query_group(name: str, help_text: str, specs: Sequence[QuerySpec]) -> click.Group:
    """A `query <name>` group with one command per spec."""
    group = click.Group(name=name, help=help_text)
    for spec in specs:
        group.add_command(query_command(spec))
    return group


def query_command(spec: QuerySpec) -> click.Command:
    """The click command of one `QuerySpec`: parse, build the request, query, print."""

    def run(**values: Any) -> None:
        ctx = click.get_current_context()
        height = values.pop("height")
        if spec.paginated:
            values["pagination"] = page_request(
                values.pop("limit"),
                values.pop("page"),
                values.pop("page_key"),
                values.pop("offset"),
                values.pop("count_total"),
                values.pop("reverse"),
            )
        path, request = spec.build(values)
        client = client_context(ctx)
        with client.rpc() as rpc:
            response = rpc.query_grpc(path, request, response_class(path), height)
        emit_message(response, client.output_or("text"))

    params = [*spec.params, *_height_params()]
    if spec.paginated:
        params.extend(_pagination_params())
    command = click.Command(name=spec.name, callback=run, params=params, help=spec.help)
    return client_flags(command)


def _height_params() -> list[click.Parameter]:
    return [
        click.Option(
            ["--height"],
            type=click.IntRange(min=0),
            default=0,
            help="Query the state at this height (0 = latest)",
        )
    ]


def _pagination_params() -> list[click.Parameter]:
    return [
        click.Option(
            ["--limit"],
            type=click.IntRange(min=1),
            default=DEFAULT_PAGE_LIMIT,
            show_default=True,
            help="Items per page",
        ),
        click.Option(
            ["--page"], type=click.IntRange(min=1), default=1, help="Page number (1-based)"
        ),
        click.Option(["--page-key"], default="", help="The next_key (base64) of the previous page"),
        click.Option(["--offset"], type=click.IntRange(min=0), default=0, help="Items to skip"),
        click.Option(["--count-total"], is_flag=True, help="Count all matching items"),
        click.Option(["--reverse"], is_flag=True, help="Results in descending order"),
    ]
