"""Auth genesis: ``app_state.auth = {params, accounts: [Any(BaseAccount | ModuleAccount)]}``.

`validate` is pure; `init` writes accounts in account-number order, then creates every declared
module account still missing; `export` lists accounts in address order.
"""

from __future__ import annotations

from itertools import pairwise

from google.protobuf import any_pb2, json_format

from app.chain.addresses import parse_acc_address
from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest, ErrJSONUnmarshal
from app.chain.module import GenesisJSON
from app.codec import from_json_dict, to_json_dict
from app.modules.auth import state
from app.modules.auth.keeper import AccountKeeper
from app.modules.auth.state import Account, Params
from app.pb.cosmos.auth.v1beta1 import auth_pb2, genesis_pb2
from app.types.address import acc_to_bech32, module_address

__all__ = ["default_genesis", "export_genesis", "init_genesis", "parse_genesis", "validate_genesis"]


def default_genesis() -> GenesisJSON:
    """Default params, no accounts."""
    return to_json_dict(genesis_pb2.GenesisState(params=Params().to_proto()))


def parse_genesis(genesis: GenesisJSON) -> tuple[Params, list[Account]]:
    """The params and accounts of the auth section, checked (pure).

    Raises:
        ChainError: sdk 17 for malformed JSON; sdk 7 for a bad address; sdk 18 for invalid
        params, a duplicate address or account number, or a module account whose address is
        not sha256(name)[:20].
    """
    try:
        pb = from_json_dict(genesis_pb2.GenesisState, genesis)
    except json_format.ParseError as exc:
        raise ErrJSONUnmarshal.wrap(f"auth genesis: {exc}") from None
    params = Params.from_proto(pb.params)
    params.validate()
    accounts = []
    for packed in pb.accounts:
        address = parse_acc_address(_address_in(packed), "genesis account")
        account = state.account_from_any(address, packed)
        if account.is_module_account and module_address(account.module_name) != address:
            raise ErrInvalidRequest.wrap(
                f"module account {account.module_name} has a wrong address"
            )
        accounts.append(account)
    _check_unique([acc_to_bech32(a.address) for a in accounts], "account address")
    _check_unique([str(a.account_number) for a in accounts], "account number")
    return params, sorted(accounts, key=lambda account: account.account_number)


def _address_in(packed: any_pb2.Any) -> str:
    if packed.type_url == state.MODULE_ACCOUNT_TYPE_URL:
        return auth_pb2.ModuleAccount.FromString(packed.value).base_account.address
    if packed.type_url == state.BASE_ACCOUNT_TYPE_URL:
        return auth_pb2.BaseAccount.FromString(packed.value).address
    raise ErrInvalidRequest.wrap(f"unsupported genesis account type {packed.type_url}")


def _check_unique(values: list[str], what: str) -> None:
    ordered = sorted(values)
    for previous, current in pairwise(ordered):
        if previous == current:
            raise ErrInvalidRequest.wrap(f"duplicate {what} {current} in auth genesis")


def validate_genesis(genesis: GenesisJSON) -> None:
    """Check the auth section without touching state."""
    parse_genesis(genesis)


def init_genesis(keeper: AccountKeeper, ctx: Context, genesis: GenesisJSON) -> None:
    """Write params and accounts; the next account number follows the highest given."""
    params, accounts = parse_genesis(genesis)
    keeper.set_params(ctx, params)
    for account in accounts:
        keeper.set_account(ctx, account)
    next_number = accounts[-1].account_number + 1 if accounts else 0
    keeper.set_next_account_number(ctx, max(next_number, keeper.next_account_number(ctx)))
    for name in keeper.module_names():
        keeper.get_module_account(ctx, name)


def export_genesis(keeper: AccountKeeper, ctx: Context) -> GenesisJSON:
    """Params and every account, in address order."""
    pb = genesis_pb2.GenesisState(
        params=keeper.get_params(ctx).to_proto(),
        accounts=[state.account_to_any(account) for account in keeper.iterate_accounts(ctx)],
    )
    return to_json_dict(pb)
