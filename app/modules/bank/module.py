"""The bank module as the chain sees it: its store, routes and genesis."""

from __future__ import annotations

from app.chain.module import KeeperModule, NoBlockHooks
from app.chain.router import MsgServiceRoute, QueryMethod
from app.modules.bank import genesis, msgs, queries, state
from app.modules.bank.keeper import BankKeeper
from app.pb.cosmos.bank.v1beta1 import query_pb2, tx_pb2

__all__ = ["BankModule"]

QUERY_SERVICE = "cosmos.bank.v1beta1.Query"

MSG_ROUTES: tuple[MsgServiceRoute[BankKeeper], ...] = (
    (tx_pb2.MsgSend, msgs.signers_of_send, msgs.validate_send, msgs.handle_send),
    (
        tx_pb2.MsgMultiSend,
        msgs.signers_of_multi_send,
        msgs.validate_multi_send,
        msgs.handle_multi_send,
    ),
    (
        tx_pb2.MsgUpdateParams,
        msgs.signers_of_authority,
        msgs.validate_update_params,
        msgs.handle_update_params,
    ),
    (
        tx_pb2.MsgSetSendEnabled,
        msgs.signers_of_authority,
        msgs.validate_set_send_enabled,
        msgs.handle_set_send_enabled,
    ),
)

QUERY_ROUTES: tuple[QueryMethod[BankKeeper], ...] = (
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
    ("DenomsMetadata", query_pb2.QueryDenomsMetadataRequest, queries.query_denoms_metadata),
    ("DenomOwners", query_pb2.QueryDenomOwnersRequest, queries.query_denom_owners),
    ("SendEnabled", query_pb2.QuerySendEnabledRequest, queries.query_send_enabled),
)


class BankModule(KeeperModule[BankKeeper], NoBlockHooks):
    """Balances, supply and sends; no block hooks."""

    name = "bank"
    store_names = (state.STORE_NAME,)

    def __init__(self, keeper: BankKeeper) -> None:
        super().__init__(keeper, genesis, MSG_ROUTES, QUERY_SERVICE, QUERY_ROUTES)
