"""The auth module as the chain sees it: its store, routes and genesis."""

from __future__ import annotations

from app.chain.module import KeeperModule, NoBlockHooks
from app.chain.router import MsgServiceRoute, QueryMethod
from app.modules.auth import genesis, msgs, queries, state
from app.modules.auth.keeper import AccountKeeper
from app.pb.cosmos.auth.v1beta1 import query_pb2, tx_pb2

__all__ = ["AuthModule"]

QUERY_SERVICE = "cosmos.auth.v1beta1.Query"

MSG_ROUTES: tuple[MsgServiceRoute[AccountKeeper], ...] = (
    (
        tx_pb2.MsgUpdateParams,
        msgs.signers_of_update_params,
        msgs.validate_update_params,
        msgs.handle_update_params,
    ),
)

QUERY_ROUTES: tuple[QueryMethod[AccountKeeper], ...] = (
    ("Account", query_pb2.QueryAccountRequest, queries.query_account),
    ("Accounts", query_pb2.QueryAccountsRequest, queries.query_accounts),
    ("AccountInfo", query_pb2.QueryAccountInfoRequest, queries.query_account_info),
    ("Params", query_pb2.QueryParamsRequest, queries.query_params),
    ("ModuleAccounts", query_pb2.QueryModuleAccountsRequest, queries.query_module_accounts),
    (
        "ModuleAccountByName",
        query_pb2.QueryModuleAccountByNameRequest,
        queries.query_module_account_by_name,
    ),
    ("Bech32Prefix", query_pb2.Bech32PrefixRequest, queries.query_bech32_prefix),
)


class AuthModule(KeeperModule[AccountKeeper], NoBlockHooks):
    """Accounts and auth params; no block hooks."""

    name = "auth"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: AccountKeeper) -> None:
        super().__init__(keeper, genesis, MSG_ROUTES, QUERY_SERVICE, QUERY_ROUTES)
