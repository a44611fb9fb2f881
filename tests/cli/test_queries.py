"""`query bank|auth …`: request building, pagination and height flags, text and JSON output."""

from __future__ import annotations

import base64
import json
from typing import Any

import click
import pytest

from app.cli.queries import page_request, response_class
from app.codec import pack_any, to_json_dict
from app.pb.cosmos.auth.v1beta1 import auth_pb2
from app.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from app.pb.cosmos.bank.v1beta1 import bank_pb2
from app.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2
from app.pb.cosmos.base.v1beta1 import coin_pb2
from tests.cli.conftest import AbciFailure, ClientHome, FakeNode

ADDRESS = "persistence1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53w2dgc"
BANK = "/cosmos.bank.v1beta1.Query/"


def recorded(fake_node: FakeNode, path: str, reply: Any) -> list[tuple[bytes, int]]:
    """Answer `path` with `reply` and return the list of (request bytes, height) it received."""
    seen: list[tuple[bytes, int]] = []

    def handle(data: bytes, height: int) -> Any:
        seen.append((data, height))
        return reply

    fake_node.abci[path] = handle
    return seen


def balances_reply() -> bank_query.QueryAllBalancesResponse:
    return bank_query.QueryAllBalancesResponse(
        balances=[coin_pb2.Coin(denom="uxprt", amount="1000")],
        pagination=pagination_pb2.PageResponse(next_key=b"\x01\x02", total=3),
    )


def test_balances_json_is_proto_json_with_string_ints(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    seen = recorded(fake_node, BANK + "AllBalances", balances_reply())
    outcome = client_home.run("q", "bank", "balances", ADDRESS, "-o", "json")
    assert outcome.code == 0, outcome.stderr
    assert json.loads(outcome.stdout) == {
        "balances": [{"denom": "uxprt", "amount": "1000"}],
        "pagination": {"next_key": base64.b64encode(b"\x01\x02").decode(), "total": "3"},
    }
    request = bank_query.QueryAllBalancesRequest.FromString(seen[0][0])
    assert request.address == ADDRESS
    assert request.pagination == pagination_pb2.PageRequest(limit=100)
    assert seen[0][1] == 0


def test_balances_text_is_sdk_like_yaml(client_home: ClientHome, fake_node: FakeNode) -> None:
    recorded(fake_node, BANK + "AllBalances", balances_reply())
    outcome = client_home.run("query", "bank", "balances", ADDRESS)
    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout == (
        'balances:\n- denom: uxprt\n  amount: "1000"\npagination:\n  next_key: AQI=\n  total: "3"\n'
    )


def test_pagination_and_height_flags_reach_the_request(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    seen = recorded(fake_node, BANK + "AllBalances", balances_reply())
    outcome = client_home.run(
        "q", "bank", "balances", ADDRESS,
        "--limit", "5", "--page", "3", "--count-total", "--reverse", "--height", "17",
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    request = bank_query.QueryAllBalancesRequest.FromString(seen[0][0])
    assert request.pagination == pagination_pb2.PageRequest(
        offset=10, limit=5, count_total=True, reverse=True
    )
    assert seen[0][1] == 17


def test_denom_selects_the_single_balance_query(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    reply = bank_query.QueryBalanceResponse(balance=coin_pb2.Coin(denom="stake", amount="9"))
    seen = recorded(fake_node, BANK + "Balance", reply)
    outcome = client_home.run("q", "bank", "balances", ADDRESS, "--denom", "stake", "-o", "json")
    assert outcome.code == 0, outcome.stderr
    assert json.loads(outcome.stdout) == {"balance": {"denom": "stake", "amount": "9"}}
    request = bank_query.QueryBalanceRequest.FromString(seen[0][0])
    assert (request.address, request.denom) == (ADDRESS, "stake")


@pytest.mark.parametrize(
    ("args", "path", "reply"),
    [
        (["total"], "TotalSupply", bank_query.QueryTotalSupplyResponse()),
        (["total", "--denom", "uxprt"], "SupplyOf", bank_query.QuerySupplyOfResponse()),
        (["denom-metadata"], "DenomsMetadata", bank_query.QueryDenomsMetadataResponse()),
        (
            ["denom-metadata", "--denom", "uxprt"],
            "DenomMetadata",
            bank_query.QueryDenomMetadataResponse(metadata=bank_pb2.Metadata(base="uxprt")),
        ),
        (["params"], "Params", bank_query.QueryParamsResponse()),
    ],
)
def test_bank_queries_use_their_paths(
    client_home: ClientHome, fake_node: FakeNode, args: list[str], path: str, reply: Any
) -> None:
    seen = recorded(fake_node, BANK + path, reply)
    outcome = client_home.run("q", "bank", *args, "-o", "json")
    assert outcome.code == 0, outcome.stderr
    assert len(seen) == 1
    assert json.loads(outcome.stdout) == to_json_dict(reply)


def test_auth_account_unpacks_the_any(client_home: ClientHome, fake_node: FakeNode) -> None:
    account = auth_pb2.BaseAccount(address=ADDRESS, account_number=4, sequence=9)
    reply = auth_query.QueryAccountResponse(account=pack_any(account))
    recorded(fake_node, "/cosmos.auth.v1beta1.Query/Account", reply)
    outcome = client_home.run("q", "auth", "account", ADDRESS, "-o", "json")
    assert outcome.code == 0, outcome.stderr
    shown = json.loads(outcome.stdout)["account"]
    assert shown["@type"] == "/cosmos.auth.v1beta1.BaseAccount"
    assert (shown["account_number"], shown["sequence"]) == ("4", "9")


def test_auth_module_account_by_name(client_home: ClientHome, fake_node: FakeNode) -> None:
    seen = recorded(
        fake_node,
        "/cosmos.auth.v1beta1.Query/ModuleAccountByName",
        auth_query.QueryModuleAccountByNameResponse(),
    )
    outcome = client_home.run("q", "auth", "module-account", "fee_collector")
    assert outcome.code == 0, outcome.stderr
    assert auth_query.QueryModuleAccountByNameRequest.FromString(seen[0][0]).name == "fee_collector"


def test_a_failed_query_is_one_line_with_codespace(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    def fail(_data: bytes, _height: int) -> Any:
        raise AbciFailure("bank", 3, "no metadata for denom nope")

    fake_node.abci[BANK + "DenomMetadata"] = fail
    outcome = client_home.run("q", "bank", "denom-metadata", "--denom", "nope")
    assert outcome.code == 1
    assert outcome.stderr == (
        f"Error: query {BANK}DenomMetadata failed: codespace=bank code=3: "
        "no metadata for denom nope\n"
    )


def test_an_invalid_address_is_refused_before_querying(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    outcome = client_home.run("q", "bank", "balances", "persistencevaloper1xyz")
    assert outcome.code == 1 and outcome.stderr.startswith("Error: invalid address")
    assert fake_node.calls == []


def test_page_request_rules() -> None:
    assert page_request(10, 1, "", 0, False, False) == pagination_pb2.PageRequest(limit=10)
    assert page_request(10, 4, "", 0, False, False).offset == 30
    assert page_request(10, 1, "AQI=", 0, False, True) == pagination_pb2.PageRequest(
        key=b"\x01\x02", limit=10, reverse=True
    )
    with pytest.raises(click.UsageError, match="--page and --offset"):
        page_request(10, 2, "", 5, False, False)
    with pytest.raises(click.UsageError, match="not base64"):
        page_request(10, 1, "%%%", 0, False, False)
    with pytest.raises(click.UsageError, match="--page-key cannot be combined"):
        page_request(10, 1, "AQI=", 3, False, False)


def test_response_class_comes_from_the_service_descriptor() -> None:
    assert response_class(BANK + "AllBalances") is bank_query.QueryAllBalancesResponse
    with pytest.raises(ValueError, match="unknown query method"):
        response_class(BANK + "Nope")
    with pytest.raises(ValueError, match="unknown query service"):
        response_class("/nope.v1.Query/X")
