"""The bank module as the chain sees it: its store, routes and genesis."""

from __future__ import annotations

from functools import partial

from app.chain.context import Context
from app.chain.module import GenesisJSON, NoBlockHooks, ValidatorUpdate
from app.chain.router import MsgRouter, QueryRouter
from app.modules.bank import genesis, msgs, queries, state
from app.modules.bank.keeper import BankKeeper
from app.pb.cosmos.bank.v1beta1 import query_pb2, tx_pb2

__all__ = ["BankModule"]

QUERY_SERVICE = "cosmos.bank.v1beta1.Query"


class BankModule(NoBlockHooks):
    """Balances, supply and sends; no block hooks."""

    name = "bank"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: BankKeeper) -> None:
        self.keeper = keeper

    def register_routes(self, msg_router: MsgRouter, query_router: QueryRouter) -> None:
        keeper = self.keeper
        msg_router.register(
            tx_pb2.MsgSend,
            module=self.name,
            signers=msgs.signers_of_send,
            validate_basic=msgs.validate_send,
            handle=partial(msgs.handle_send, keeper),
        )
        msg_router.register(
            tx_pb2.MsgMultiSend,
            module=self.name,
            signers=msgs.signers_of_multi_send,
            validate_basic=msgs.validate_multi_send,
            handle=partial(msgs.handle_multi_send, keeper),
        )
        msg_router.register(
            tx_pb2.MsgUpdateParams,
            module=self.name,
            signers=msgs.signers_of_authority,
            validate_basic=msgs.validate_update_params,
            handle=partial(msgs.handle_update_params, keeper),
        )
        msg_router.register(
            tx_pb2.MsgSetSendEnabled,
            module=self.name,
            signers=msgs.signers_of_authority,
            validate_basic=msgs.validate_set_send_enabled,
            handle=partial(msgs.handle_set_send_enabled, keeper),
        )
        routes = (
            ("Balance", query_pb2.QueryBalanceRequest, queries.query_balance),
            ("AllBalances", query_pb2.QueryAllBalancesRequest, queries.query_all_balances),
            (
                "SpendableBalances",
                query_pb2.QuerySpendableBalancesRequest,
                queries.query_spendable_balances,
            ),
            ("TotalSupply", query_pb2.QueryTotalSupplyRequest, queries.query_total_supply),
            ("SupplyOf", query_pb2.QuerySupplyOfRequest, queries.query_supply_of),
            ("Params", query_pb2.QueryParamsRequest, queries.query_params),
            ("DenomMetadata", query_pb2.QueryDenomMetadataRequest, queries.query_denom_metadata),
            (
                "DenomsMetadata",
                query_pb2.QueryDenomsMetadataRequest,
                queries.query_denoms_metadata,
            ),
            ("DenomOwners", query_pb2.QueryDenomOwnersRequest, queries.query_denom_owners),
            ("SendEnabled", query_pb2.QuerySendEnabledRequest, queries.query_send_enabled),
        )
        query_router.register_service(QUERY_SERVICE, keeper, routes)

    def default_genesis(self) -> GenesisJSON:
        return genesis.default_genesis()

    def validate_genesis(self, section: GenesisJSON) -> None:
        genesis.validate_genesis(section)

    def init_genesis(self, ctx: Context, section: GenesisJSON) -> tuple[ValidatorUpdate, ...]:
        genesis.init_genesis(self.keeper, ctx, section)
        return ()

    def export_genesis(self, ctx: Context) -> GenesisJSON:
        return genesis.export_genesis(self.keeper, ctx)
