"""Auth queries (``/cosmos.auth.v1beta1.Query/…``), shared by ABCI Query and gRPC."""

from __future__ import annotations

from google.protobuf import any_pb2

from app.chain.addresses import parse_acc_address
from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest, ErrKeyNotFound, ErrNotFound
from app.chain.pagination import paginate
from app.modules.auth import state
from app.modules.auth.keeper import AccountKeeper
from app.modules.auth.state import Account
from app.pb.cosmos.auth.v1beta1 import auth_pb2, query_pb2
from app.types.address import account_prefix

__all__ = [
    "query_account",
    "query_account_info",
    "query_accounts",
    "query_bech32_prefix",
    "query_module_account_by_name",
    "query_module_accounts",
    "query_params",
]


def _existing_account(keeper: AccountKeeper, ctx: Context, address_text: str) -> Account:
    if not address_text:
        raise ErrInvalidRequest.wrap("address cannot be empty")
    address = parse_acc_address(address_text, "account")
    account = keeper.get_account(ctx, address)
    if account is None:
        raise ErrKeyNotFound.wrap(f"account {address_text} not found")
    return account


def query_account(
    keeper: AccountKeeper, ctx: Context, req: query_pb2.QueryAccountRequest
) -> query_pb2.QueryAccountResponse:
    """One account, packed in an ``Any``."""
    account = _existing_account(keeper, ctx, req.address)
    return query_pb2.QueryAccountResponse(account=state.account_to_any(account))


def query_account_info(
    keeper: AccountKeeper, ctx: Context, req: query_pb2.QueryAccountInfoRequest
) -> query_pb2.QueryAccountInfoResponse:
    """An account's base fields (address, pubkey, number, sequence), whatever its type."""
    account = _existing_account(keeper, ctx, req.address)
    packed = state.account_to_any(account)
    if packed.type_url == state.MODULE_ACCOUNT_TYPE_URL:
        base = auth_pb2.ModuleAccount.FromString(packed.value).base_account
    else:
        base = auth_pb2.BaseAccount.FromString(packed.value)
    return query_pb2.QueryAccountInfoResponse(info=base)


def query_accounts(
    keeper: AccountKeeper, ctx: Context, req: query_pb2.QueryAccountsRequest
) -> query_pb2.QueryAccountsResponse:
    """All accounts in address order, paginated."""
    entries, page = paginate(ctx.store(state.STORE_NAME), state.ACCOUNT_PREFIX, req.pagination)
    accounts = [any_pb2.Any.FromString(raw) for _, raw in entries]
    return query_pb2.QueryAccountsResponse(accounts=accounts, pagination=page)


def query_params(
    keeper: AccountKeeper, ctx: Context, req: query_pb2.QueryParamsRequest
) -> query_pb2.QueryParamsResponse:
    """The auth params."""
    return query_pb2.QueryParamsResponse(params=keeper.get_params(ctx).to_proto())


def query_module_accounts(
    keeper: AccountKeeper, ctx: Context, req: query_pb2.QueryModuleAccountsRequest
) -> query_pb2.QueryModuleAccountsResponse:
    """Every declared module account that exists, sorted by module name."""
    accounts = []
    for name in keeper.module_names():
        account = keeper.get_account(ctx, keeper.get_module_address(name))
        if account is not None:
            accounts.append(state.account_to_any(account))
    return query_pb2.QueryModuleAccountsResponse(accounts=accounts)


def query_module_account_by_name(
    keeper: AccountKeeper, ctx: Context, req: query_pb2.QueryModuleAccountByNameRequest
) -> query_pb2.QueryModuleAccountByNameResponse:
    """The account of one module, by name."""
    if not req.name:
        raise ErrInvalidRequest.wrap("module name is empty")
    if req.name not in keeper.module_names():
        raise ErrNotFound.wrap(f"account {req.name} is not found")
    account = keeper.get_account(ctx, keeper.get_module_address(req.name))
    if account is None:
        raise ErrNotFound.wrap(f"account {req.name} is not found")
    return query_pb2.QueryModuleAccountByNameResponse(account=state.account_to_any(account))


def query_bech32_prefix(
    keeper: AccountKeeper, ctx: Context, req: query_pb2.Bech32PrefixRequest
) -> query_pb2.Bech32PrefixResponse:
    """The chain's account address prefix."""
    return query_pb2.Bech32PrefixResponse(bech32_prefix=account_prefix())
