"""Bank queries (``/cosmos.bank.v1beta1.Query/…``), shared by ABCI Query and gRPC."""

from __future__ import annotations

from app.chain.addresses import format_acc_address, parse_acc_address
from app.chain.coins import coin_to_proto
from app.chain.context import Context
from app.chain.errors import ErrInvalidCoins, ErrInvalidRequest
from app.chain.pagination import paginate
from app.modules.bank import state
from app.modules.bank.errors import ErrDenomMetadataNotFound
from app.modules.bank.keeper import BankKeeper
from app.pb.cosmos.bank.v1beta1 import bank_pb2, query_pb2
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.types.address import AccAddress
from app.types.coin import Coin, validate_denom
from app.types.errors import InvalidDenomError

__all__ = [
    "query_all_balances",
    "query_balance",
    "query_denom_metadata",
    "query_denom_owners",
    "query_denoms_metadata",
    "query_params",
    "query_send_enabled",
    "query_spendable_balances",
    "query_supply_of",
    "query_total_supply",
]


def _checked_denom(denom: str) -> str:
    if not denom:
        raise ErrInvalidRequest.wrap("invalid denom: empty")
    try:
        validate_denom(denom)
    except InvalidDenomError as exc:
        raise ErrInvalidCoins.wrap(str(exc)) from None
    return denom


def query_balance(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QueryBalanceRequest
) -> query_pb2.QueryBalanceResponse:
    """One denom's balance of an account (zero when none)."""
    address = parse_acc_address(req.address, "account")
    denom = _checked_denom(req.denom)
    amount = keeper.get_balance(ctx, address, denom)
    return query_pb2.QueryBalanceResponse(balance=coin_to_proto(Coin(denom, amount)))


def _balances_page(
    ctx: Context, address_text: str, page: pagination_pb2.PageRequest
) -> tuple[list[coin_pb2.Coin], pagination_pb2.PageResponse]:
    address = parse_acc_address(address_text, "account")
    entries, response = paginate(ctx.store(state.STORE_NAME), state.balances_prefix(address), page)
    coins = [coin_pb2.Coin(denom=denom.decode(), amount=raw.decode()) for denom, raw in entries]
    return coins, response


def query_all_balances(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QueryAllBalancesRequest
) -> query_pb2.QueryAllBalancesResponse:
    """Every balance of an account, in denom order, paginated."""
    coins, page = _balances_page(ctx, req.address, req.pagination)
    return query_pb2.QueryAllBalancesResponse(balances=coins, pagination=page)


def query_spendable_balances(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QuerySpendableBalancesRequest
) -> query_pb2.QuerySpendableBalancesResponse:
    """What an account can spend: all its balances (no vesting or locks on this chain)."""
    coins, page = _balances_page(ctx, req.address, req.pagination)
    return query_pb2.QuerySpendableBalancesResponse(balances=coins, pagination=page)


def query_total_supply(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QueryTotalSupplyRequest
) -> query_pb2.QueryTotalSupplyResponse:
    """The supply of every denom, paginated."""
    entries, page = paginate(ctx.store(state.STORE_NAME), state.SUPPLY_PREFIX, req.pagination)
    supply = [
        coin_to_proto(Coin(denom.decode(), keeper.get_reported_supply(ctx, denom.decode())))
        for denom, _ in entries
    ]
    return query_pb2.QueryTotalSupplyResponse(supply=supply, pagination=page)


def query_supply_of(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QuerySupplyOfRequest
) -> query_pb2.QuerySupplyOfResponse:
    """The supply of one denom (zero when unknown)."""
    denom = _checked_denom(req.denom)
    return query_pb2.QuerySupplyOfResponse(
        amount=coin_to_proto(Coin(denom, keeper.get_reported_supply(ctx, denom)))
    )


def query_params(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QueryParamsRequest
) -> query_pb2.QueryParamsResponse:
    """The bank params."""
    return query_pb2.QueryParamsResponse(params=keeper.get_params(ctx).to_proto())


def query_denom_metadata(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QueryDenomMetadataRequest
) -> query_pb2.QueryDenomMetadataResponse:
    """The metadata of one base denom."""
    denom = _checked_denom(req.denom)
    metadata = state.get_metadata(ctx.store(state.STORE_NAME), denom)
    if metadata is None:
        raise ErrDenomMetadataNotFound.wrap(f"client metadata for denom {denom}")
    return query_pb2.QueryDenomMetadataResponse(metadata=metadata)


def query_denoms_metadata(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QueryDenomsMetadataRequest
) -> query_pb2.QueryDenomsMetadataResponse:
    """All denom metadata, paginated."""
    entries, page = paginate(ctx.store(state.STORE_NAME), state.METADATA_PREFIX, req.pagination)
    metadatas = [bank_pb2.Metadata.FromString(raw) for _, raw in entries]
    return query_pb2.QueryDenomsMetadataResponse(metadatas=metadatas, pagination=page)


def query_denom_owners(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QueryDenomOwnersRequest
) -> query_pb2.QueryDenomOwnersResponse:
    """Every holder of a denom with its balance, in address key order, paginated."""
    denom = _checked_denom(req.denom)
    entries, page = paginate(
        ctx.store(state.STORE_NAME), state.denom_owners_prefix(denom), req.pagination
    )
    owners = []
    for key, _ in entries:
        address = AccAddress(key[1:])
        owners.append(
            query_pb2.DenomOwner(
                address=format_acc_address(address),
                balance=coin_to_proto(Coin(denom, keeper.get_balance(ctx, address, denom))),
            )
        )
    return query_pb2.QueryDenomOwnersResponse(denom_owners=owners, pagination=page)


def query_send_enabled(
    keeper: BankKeeper, ctx: Context, req: query_pb2.QuerySendEnabledRequest
) -> query_pb2.QuerySendEnabledResponse:
    """The per-denom flags: of the requested denoms that have one, else all of them, paginated."""
    store = ctx.store(state.STORE_NAME)
    if len(req.denoms) > 0:
        entries = []
        for denom in req.denoms:
            flag = state.get_send_enabled(store, denom)
            if flag is not None:
                entries.append(bank_pb2.SendEnabled(denom=denom, enabled=flag))
        return query_pb2.QuerySendEnabledResponse(send_enabled=entries)
    pairs, page = paginate(store, state.SEND_ENABLED_PREFIX, req.pagination)
    entries = [
        bank_pb2.SendEnabled(denom=denom.decode(), enabled=raw == b"\x01") for denom, raw in pairs
    ]
    return query_pb2.QuerySendEnabledResponse(send_enabled=entries, pagination=page)
