"""Bank queries through the application's Query path, over committed state."""

from __future__ import annotations

import pytest

from app.pb.cosmos.bank.v1beta1 import query_pb2 as q
from app.pb.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest
from app.pb.tendermint.abci import types_pb2 as abci
from tests.chain.helpers import (
    ALICE,
    BOB,
    CAROL,
    genesis_app_state,
    init_chain,
    make_app,
    query,
    run_block,
)

METADATA = {
    "denom_units": [{"denom": "uxprt", "exponent": 0}, {"denom": "xprt", "exponent": 6}],
    "base": "uxprt",
    "display": "xprt",
}


@pytest.fixture(scope="module")
def app():
    application = make_app()
    state = genesis_app_state(
        {
            ALICE.bech32: {"uxprt": 5, "aaa": 1, "bbb": 2},
            BOB.bech32: {"uxprt": 7},
            CAROL.bech32: {"bbb": 9},
        }
    )
    state["bank"]["denom_metadata"] = [METADATA]
    state["bank"]["send_enabled"] = [{"denom": "bbb", "enabled": False}]
    init_chain(application, state)
    run_block(application, [])
    return application


def ask(app, method: str, request, response_class):
    response = query(app, f"/cosmos.bank.v1beta1.Query/{method}", request)
    assert response.code == 0, response.log
    return response_class.FromString(response.value)


def test_balances(app) -> None:
    one = ask(
        app,
        "Balance",
        q.QueryBalanceRequest(address=ALICE.bech32, denom="aaa"),
        q.QueryBalanceResponse,
    )
    assert (one.balance.denom, one.balance.amount) == ("aaa", "1")
    none = ask(
        app,
        "Balance",
        q.QueryBalanceRequest(address=CAROL.bech32, denom="uxprt"),
        q.QueryBalanceResponse,
    )
    assert none.balance.amount == "0"
    first = ask(
        app,
        "AllBalances",
        q.QueryAllBalancesRequest(address=ALICE.bech32, pagination=PageRequest(limit=2)),
        q.QueryAllBalancesResponse,
    )
    assert [c.denom for c in first.balances] == ["aaa", "bbb"]
    rest = ask(
        app,
        "AllBalances",
        q.QueryAllBalancesRequest(
            address=ALICE.bech32, pagination=PageRequest(key=first.pagination.next_key)
        ),
        q.QueryAllBalancesResponse,
    )
    assert [(c.denom, c.amount) for c in rest.balances] == [("uxprt", "5")]
    spendable = ask(
        app,
        "SpendableBalances",
        q.QuerySpendableBalancesRequest(address=BOB.bech32),
        q.QuerySpendableBalancesResponse,
    )
    assert [(c.denom, c.amount) for c in spendable.balances] == [("uxprt", "7")]


def test_supply_owners_metadata_params(app) -> None:
    supply = ask(
        app,
        "TotalSupply",
        q.QueryTotalSupplyRequest(pagination=PageRequest(count_total=True)),
        q.QueryTotalSupplyResponse,
    )
    assert [(c.denom, c.amount) for c in supply.supply] == [
        ("aaa", "1"),
        ("bbb", "11"),
        ("uxprt", "12"),
    ]
    assert supply.pagination.total == 3
    of = ask(app, "SupplyOf", q.QuerySupplyOfRequest(denom="bbb"), q.QuerySupplyOfResponse)
    assert of.amount.amount == "11"
    owners = ask(
        app, "DenomOwners", q.QueryDenomOwnersRequest(denom="bbb"), q.QueryDenomOwnersResponse
    )
    assert sorted((o.address, o.balance.amount) for o in owners.denom_owners) == sorted(
        [(ALICE.bech32, "2"), (CAROL.bech32, "9")]
    )
    metadata = ask(
        app,
        "DenomMetadata",
        q.QueryDenomMetadataRequest(denom="uxprt"),
        q.QueryDenomMetadataResponse,
    )
    assert metadata.metadata.display == "xprt"
    all_metadata = ask(
        app, "DenomsMetadata", q.QueryDenomsMetadataRequest(), q.QueryDenomsMetadataResponse
    )
    assert [m.base for m in all_metadata.metadatas] == ["uxprt"]
    missing = query(
        app, "/cosmos.bank.v1beta1.Query/DenomMetadata", q.QueryDenomMetadataRequest(denom="aaa")
    )
    assert (missing.codespace, missing.code) == ("bank", 6)
    params = ask(app, "Params", q.QueryParamsRequest(), q.QueryParamsResponse)
    assert params.params.default_send_enabled is True
    flags = ask(app, "SendEnabled", q.QuerySendEnabledRequest(), q.QuerySendEnabledResponse)
    assert [(f.denom, f.enabled) for f in flags.send_enabled] == [("bbb", False)]
    chosen = ask(
        app,
        "SendEnabled",
        q.QuerySendEnabledRequest(denoms=["bbb", "uxprt"]),
        q.QuerySendEnabledResponse,
    )
    assert [f.denom for f in chosen.send_enabled] == ["bbb"]


def test_bad_requests(app) -> None:
    bad_denom = query(app, "/cosmos.bank.v1beta1.Query/SupplyOf", q.QuerySupplyOfRequest(denom="!"))
    assert bad_denom.code == 10
    empty = query(
        app, "/cosmos.bank.v1beta1.Query/Balance", q.QueryBalanceRequest(address=ALICE.bech32)
    )
    assert empty.code == 18
    garbage = app.query(
        abci.RequestQuery(path="/cosmos.bank.v1beta1.Query/Balance", data=b"\xff\xff")
    )
    assert garbage.code == 18
