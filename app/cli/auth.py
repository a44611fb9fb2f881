"""`allianced query auth …`: accounts, module accounts and the auth parameters."""

from __future__ import annotations

import click

from app.cli.params import parse_account_address
from app.cli.queries import QuerySpec, query_group
from app.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query

__all__ = ["auth_query_group"]

_SERVICE = "/cosmos.auth.v1beta1.Query/"

auth_query_group = query_group(
    "auth",
    "Auth queries: accounts, module accounts, params.",
    [
        QuerySpec(
            "account",
            "The account at ADDRESS: number, sequence and public key.",
            lambda args: (
                _SERVICE + "Account",
                auth_query.QueryAccountRequest(address=parse_account_address(args["address"])),
            ),
            (click.Argument(["address"]),),
        ),
        QuerySpec(
            "accounts",
            "All accounts.",
            lambda args: (
                _SERVICE + "Accounts",
                auth_query.QueryAccountsRequest(pagination=args["pagination"]),
            ),
            paginated=True,
        ),
        QuerySpec(
            "module-account",
            "The module account NAME (e.g. fee_collector, bonded_tokens_pool).",
            lambda args: (
                _SERVICE + "ModuleAccountByName",
                auth_query.QueryModuleAccountByNameRequest(name=args["name"]),
            ),
            (click.Argument(["name"]),),
        ),
        QuerySpec(
            "module-accounts",
            "All module accounts.",
            lambda _args: (_SERVICE + "ModuleAccounts", auth_query.QueryModuleAccountsRequest()),
        ),
        QuerySpec(
            "params",
            "The auth module's parameters.",
            lambda _args: (_SERVICE + "Params", auth_query.QueryParamsRequest()),
        ),
    ],
)
