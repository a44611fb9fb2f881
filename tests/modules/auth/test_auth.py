from __future__ import annotations

import base64
import json

import pytest

from app.chain.context import BlockContext, Context, ExecMode
from app.chain.errors import ChainError, InvariantViolation
from app.modules.auth import genesis, msgs, queries
from app.modules.auth.keeper import AccountKeeper
from app.modules.auth.state import Account, Params, account_from_any, account_to_any
from app.pb.cosmos.auth.v1beta1 import auth_pb2, query_pb2, tx_pb2
from app.pb.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest
from app.store import MemoryDatabase, MultiStore
from app.types import Timestamp, acc_to_bech32, module_address
from tests.chain.helpers import ALICE, BOB

GOV = acc_to_bech32(module_address("gov"))


def setup():
    store = MultiStore(MemoryDatabase(), ["acc"])
    ctx = Context(store.block_view(), BlockContext(1, Timestamp(0), "test"), ExecMode.FINALIZE)
    return ctx, AccountKeeper({"fee_collector": (), "mint": ("minter",)}, module_address("gov"))


def plain(value):
    """JSON values without OrderedDicts (whose equality depends on key order)."""
    return json.loads(json.dumps(value))


def base_account(key, number, sequence=0, with_key=False):
    account = {
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        "address": key.bech32,
        "account_number": str(number),
        "sequence": str(sequence),
    }
    if with_key:
        account["pub_key"] = {
            "@type": "/cosmos.crypto.secp256k1.PubKey",
            "key": base64.b64encode(key.public_key).decode(),
        }
    return account


def test_account_encoding_round_trips() -> None:
    user = Account(ALICE.address, 7, 3, ALICE.public_key)
    module = Account(module_address("mint"), 1, module_name="mint", permissions=("minter",))
    for account in (user, module, Account(BOB.address, 0)):
        packed = account_to_any(account)
        assert account_from_any(account.address, packed) == account
    assert account_to_any(user).type_url == "/cosmos.auth.v1beta1.BaseAccount"
    assert auth_pb2.BaseAccount.FromString(account_to_any(user).value).address == ALICE.bech32


def test_new_accounts_take_the_next_number_and_modules_are_created_once() -> None:
    ctx, keeper = setup()
    assert keeper.create_account(ctx, ALICE.address).account_number == 0
    first = keeper.get_module_account(ctx, "mint")
    assert (first.account_number, first.permissions) == (1, ("minter",))
    assert keeper.get_module_account(ctx, "mint") == first
    assert keeper.create_account(ctx, BOB.address).account_number == 2
    assert keeper.module_name_of(module_address("mint")) == "mint"
    with pytest.raises(InvariantViolation):
        keeper.get_module_address("unknown")


def test_genesis_round_trip_and_module_accounts() -> None:
    ctx, keeper = setup()
    section = {
        "params": genesis.default_genesis()["params"],
        "accounts": [base_account(BOB, 5, 2, with_key=True), base_account(ALICE, 3)],
    }
    genesis.init_genesis(keeper, ctx, section)
    assert keeper.get_account(ctx, BOB.address) == Account(BOB.address, 5, 2, BOB.public_key)
    assert keeper.get_module_account(ctx, "fee_collector").account_number in (6, 7)
    exported = genesis.export_genesis(keeper, ctx)
    assert len(exported["accounts"]) == 4
    ctx2, keeper2 = setup()
    genesis.init_genesis(keeper2, ctx2, exported)
    assert plain(genesis.export_genesis(keeper2, ctx2)) == plain(exported)
    assert keeper2.next_account_number(ctx2) == keeper.next_account_number(ctx)


@pytest.mark.parametrize(
    "accounts",
    [
        [base_account(ALICE, 1), base_account(ALICE, 2)],
        [base_account(ALICE, 1), base_account(BOB, 1)],
        [
            {
                "@type": "/cosmos.auth.v1beta1.ModuleAccount",
                "base_account": {"address": ALICE.bech32},
                "name": "mint",
            }
        ],
        [{"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": "nope"}],
    ],
)
def test_genesis_validation(accounts) -> None:
    with pytest.raises(ChainError):
        genesis.validate_genesis(
            {
                "params": {
                    "max_memo_characters": "1",
                    "tx_sig_limit": "1",
                    "tx_size_cost_per_byte": "1",
                    "sig_verify_cost_ed25519": "1",
                    "sig_verify_cost_secp256k1": "1",
                },
                "accounts": accounts,
            }
        )
    with pytest.raises(ChainError):
        genesis.validate_genesis({"params": {}, "accounts": []})


def test_update_params_checks_authority_first() -> None:
    ctx, keeper = setup()
    params = Params(max_memo_characters=512).to_proto()
    with pytest.raises(ChainError, match="invalid authority"):
        msgs.handle_update_params(
            keeper, ctx, tx_pb2.MsgUpdateParams(authority=ALICE.bech32, params=params)
        )
    msgs.handle_update_params(keeper, ctx, tx_pb2.MsgUpdateParams(authority=GOV, params=params))
    assert keeper.get_params(ctx).max_memo_characters == 512
    with pytest.raises(ChainError, match="must be positive"):
        msgs.validate_update_params(tx_pb2.MsgUpdateParams(authority=GOV, params=auth_pb2.Params()))


def test_queries() -> None:
    ctx, keeper = setup()
    keeper.create_account(ctx, ALICE.address)
    keeper.create_account(ctx, BOB.address)
    keeper.get_module_account(ctx, "fee_collector")
    found = queries.query_account(keeper, ctx, query_pb2.QueryAccountRequest(address=ALICE.bech32))
    assert found.account.type_url.endswith("BaseAccount")
    with pytest.raises(ChainError) as info:
        queries.query_account(
            keeper, ctx, query_pb2.QueryAccountRequest(address=acc_to_bech32(b"\x01" * 20))
        )
    assert info.value.code == 22
    page = queries.query_accounts(
        keeper,
        ctx,
        query_pb2.QueryAccountsRequest(pagination=PageRequest(limit=2, count_total=True)),
    )
    assert len(page.accounts) == 2 and page.pagination.total == 3 and page.pagination.next_key
    modules = queries.query_module_accounts(keeper, ctx, query_pb2.QueryModuleAccountsRequest())
    assert len(modules.accounts) == 1
    by_name = queries.query_module_account_by_name(
        keeper, ctx, query_pb2.QueryModuleAccountByNameRequest(name="fee_collector")
    )
    assert auth_pb2.ModuleAccount.FromString(by_name.account.value).name == "fee_collector"
    with pytest.raises(ChainError):
        queries.query_module_account_by_name(
            keeper, ctx, query_pb2.QueryModuleAccountByNameRequest(name="mint")
        )
    info_response = queries.query_account_info(
        keeper,
        ctx,
        query_pb2.QueryAccountInfoRequest(address=acc_to_bech32(module_address("fee_collector"))),
    )
    assert info_response.info.account_number == 2
    prefix = queries.query_bech32_prefix(keeper, ctx, query_pb2.Bech32PrefixRequest())
    assert prefix.bech32_prefix == "persistence"
