"""The auth module as the chain sees it: its store, routes and genesis."""

from __future__ import annotations

from app.chain.context import Context
from app.chain.module import GenesisJSON, NoBlockHooks, ValidatorUpdate
from app.chain.router import MsgRouter, MsgServiceRoute, QueryMethod, QueryRouter
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


class AuthModule(NoBlockHooks):
    """Accounts and auth params; no block hooks."""

    name = "auth"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: AccountKeeper) -> None:
        self.keeper = keeper

    def register_routes(self, msg_router: MsgRouter, query_router: QueryRouter) -> None:
        msg_router.register_service(self.name, self.keeper, MSG_ROUTES)
        query_router.register_service(QUERY_SERVICE, self.keeper, QUERY_ROUTES)

    def default_genesis(self) -> GenesisJSON:
        return genesis.default_genesis()

    def validate_genesis(self, section: GenesisJSON) -> None:
        genesis.validate_genesis(section)

    def init_genesis(self, ctx: Context, section: GenesisJSON) -> tuple[ValidatorUpdate, ...]:
        genesis.init_genesis(self.keeper, ctx, section)
        return ()

    def export_genesis(self, ctx: Context) -> GenesisJSON:
        return genesis.export_genesis(self.keeper, ctx)
