"""`tx alliance …` and `query alliance …`: argument parsing, the messages built, the proposal
defaults fetched from the node, and the request of each of the 15 queries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.protobuf.message import Message

from app.cli.alliance import GOV_AUTHORITY
from app.cli.queries import response_class
from app.pb.alliance.alliance import params_pb2
from app.pb.alliance.alliance import query_pb2 as alliance_query
from app.pb.alliance.alliance import tx_pb2 as alliance_tx
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.cosmos.gov.v1 import gov_pb2
from app.pb.cosmos.gov.v1 import query_pb2 as gov_query
from app.types import acc_address_from_bech32, val_to_bech32
from tests.cli.conftest import ClientHome, FakeNode
from tests.cli.test_txs import chain, decode  # noqa: F401 - the fake chain fixture

DELEGATOR = "persistence1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53w2dgc"
VALIDATOR = val_to_bech32(acc_address_from_bech32(DELEGATOR))
OTHER_VALIDATOR = val_to_bech32(
    acc_address_from_bech32("persistence1qgpqyqszqgpqyqszqgpqyqszqgpqyqszdmpggw")
)
STKATOM = "ibc/EBDB79404F762D8D2FE488BF34CB1C1B12357C2BB1CEFAEC19D98F06E3F4AAE2"
ALLIANCE = "/alliance.alliance.Query/"
PROPOSAL_FLAGS = ("--title", "List stkATOM", "--summary", "Alliance for stkATOM")


def generate(client_home: ClientHome, *args: str) -> dict[str, Any]:
    """Run `tx alliance ARGS --from user1 --generate-only` and return the unsigned tx."""
    outcome = client_home.run("tx", "alliance", *args, "--from", "user1", "--generate-only")
    assert outcome.code == 0, outcome.stderr
    document: dict[str, Any] = json.loads(outcome.stdout)
    return document


def only_message(unsigned: dict[str, Any]) -> dict[str, Any]:
    [message] = unsigned["body"]["messages"]
    assert isinstance(message, dict)
    return message


def answer(fake_node: FakeNode, path: str, reply: Message) -> list[bytes]:
    """Answer `path` with `reply`; the returned list collects the request bytes received."""
    seen: list[bytes] = []

    def handle(data: bytes, _height: int) -> Message:
        seen.append(data)
        return reply

    fake_node.abci[path] = handle
    return seen


def serve_params(fake_node: FakeNode, interval_seconds: int = 300) -> None:
    """Gov params with a 10 XPRT minimum deposit; alliance params with the given interval."""
    gov = gov_pb2.Params(
        min_deposit=[coin_pb2.Coin(denom="uxprt", amount="10000000")],
        expedited_min_deposit=[coin_pb2.Coin(denom="uxprt", amount="50000000")],
    )
    answer(fake_node, "/cosmos.gov.v1.Query/Params", gov_query.QueryParamsResponse(params=gov))
    alliance = params_pb2.Params()
    alliance.take_rate_claim_interval.seconds = interval_seconds
    answer(fake_node, ALLIANCE + "Params", alliance_query.QueryParamsResponse(params=alliance))


# ---- staking transactions ---------------------------------------------------------------------


def test_gov_authority_is_the_gov_module_account() -> None:
    """sha256("gov")[:20], the SDK's well-known gov account (cosmos10d07y265gmmuvt4z0w9aw880…)."""
    assert GOV_AUTHORITY == "persistence10d07y265gmmuvt4z0w9aw880jnsr700j5w4kch"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("delegate", VALIDATOR, f"1000{STKATOM}"),
            {
                "@type": "/alliance.alliance.MsgDelegate",
                "validator_address": VALIDATOR,
                "amount": {"denom": STKATOM, "amount": "1000"},
            },
        ),
        (
            ("undelegate", VALIDATOR, f"7{STKATOM}"),
            {
                "@type": "/alliance.alliance.MsgUndelegate",
                "validator_address": VALIDATOR,
                "amount": {"denom": STKATOM, "amount": "7"},
            },
        ),
        (
            ("redelegate", VALIDATOR, OTHER_VALIDATOR, f"5{STKATOM}"),
            {
                "@type": "/alliance.alliance.MsgRedelegate",
                "validator_src_address": VALIDATOR,
                "validator_dst_address": OTHER_VALIDATOR,
                "amount": {"denom": STKATOM, "amount": "5"},
            },
        ),
        (
            ("claim-rewards", VALIDATOR, STKATOM),
            {
                "@type": "/alliance.alliance.MsgClaimDelegationRewards",
                "validator_address": VALIDATOR,
                "denom": STKATOM,
            },
        ),
    ],
)
def test_staking_commands_build_their_message_signed_by_the_sender(
    client_home: ClientHome, fake_node: FakeNode, args: tuple[str, ...], expected: dict[str, Any]
) -> None:
    message = only_message(generate(client_home, *args))
    assert message == {**expected, "delegator_address": client_home.user.bech32_address}
    assert fake_node.calls == []


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("delegate", DELEGATOR, f"1{STKATOM}"), "invalid validator"),
        (("delegate", VALIDATOR, "lots"), "invalid amount 'lots'"),
        (("redelegate", VALIDATOR, "nope", f"1{STKATOM}"), "invalid destination validator"),
    ],
)
def test_bad_arguments_fail_in_one_line(
    client_home: ClientHome, args: tuple[str, ...], error: str
) -> None:
    outcome = client_home.run("tx", "alliance", *args, "--from", "user1", "--generate-only")
    assert outcome.code == 1
    [line] = outcome.stderr.strip().splitlines()
    assert line.startswith("Error: ") and error in line


def test_delegate_is_signed_and_broadcast(
    client_home: ClientHome,
    chain: dict[str, Any],  # noqa: F811 - the fixture imported above
) -> None:
    outcome = client_home.run("tx", "alliance", "delegate", VALIDATOR, f"9{STKATOM}", "--from",
                              "user1", "-y")  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    [raw] = chain["broadcast"]
    _, body, _ = decode(raw)
    [packed] = body.messages
    assert packed.type_url == "/alliance.alliance.MsgDelegate"
    delegate = alliance_tx.MsgDelegate.FromString(packed.value)
    assert delegate.delegator_address == client_home.user.bech32_address
    assert (delegate.amount.denom, delegate.amount.amount) == (STKATOM, "9")


# ---- governance proposals ---------------------------------------------------------------------


def test_create_with_a_per_interval_rate_and_a_deposit_asks_the_node_nothing(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    unsigned = generate(
        client_home,
        "propose", "create", STKATOM, "0.4", "0", "1",
        "--take-rate", "0.0001", "--reward-change-rate", "0.9", "--reward-change-interval", "1h",
        "--deposit", "20000000uxprt", "--metadata", "ipfs://x", *PROPOSAL_FLAGS,
    )  # fmt: skip
    proposal = only_message(unsigned)
    assert proposal["@type"] == "/cosmos.gov.v1.MsgSubmitProposal"
    assert proposal["proposer"] == client_home.user.bech32_address
    assert proposal["initial_deposit"] == [{"denom": "uxprt", "amount": "20000000"}]
    assert (proposal["title"], proposal["summary"]) == ("List stkATOM", "Alliance for stkATOM")
    assert proposal["metadata"] == "ipfs://x" and proposal["expedited"] is False
    assert proposal["messages"] == [
        {
            "@type": "/alliance.alliance.MsgCreateAlliance",
            "authority": GOV_AUTHORITY,
            "denom": STKATOM,
            "reward_weight": "0.400000000000000000",
            "take_rate": "0.000100000000000000",
            "reward_change_rate": "0.900000000000000000",
            "reward_change_interval": "3600s",
            "reward_weight_range": {"min": "0.000000000000000000", "max": "1.000000000000000000"},
        }
    ]
    assert fake_node.calls == []


def test_annual_rate_is_converted_with_the_chain_interval_and_echoed(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    serve_params(fake_node, interval_seconds=300)
    outcome = client_home.run(
        "tx", "alliance", "propose", "create", STKATOM, "0.4", "0", "1",
        "--annual-take-rate", "0.005", *PROPOSAL_FLAGS, "--from", "user1", "--generate-only",
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    proposal = only_message(json.loads(outcome.stdout))
    [create] = proposal["messages"]
    assert create["take_rate"] == "0.000000047683996423"  # rounded down
    assert create["reward_change_rate"] == "1.000000000000000000"
    assert create["reward_change_interval"] == "0s"
    assert proposal["initial_deposit"] == [{"denom": "uxprt", "amount": "10000000"}]
    assert outcome.stderr.strip() == (
        "take rate: 0.005000000000000000 per year = 0.000000047683996423 per take-rate "
        "interval of 300s (rounded down)"
    )


def test_update_takes_the_expedited_minimum_deposit(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    serve_params(fake_node, interval_seconds=10)
    unsigned = generate(
        client_home,
        "propose", "update", STKATOM, "0.2", "0.1", "0.5",
        "--annual-take-rate", "0.005", "--expedited", *PROPOSAL_FLAGS,
    )  # fmt: skip
    proposal = only_message(unsigned)
    [update] = proposal["messages"]
    assert update["@type"] == "/alliance.alliance.MsgUpdateAlliance"
    assert update["take_rate"] == "0.000000001589466584"
    assert update["reward_weight_range"] == {
        "min": "0.100000000000000000",
        "max": "0.500000000000000000",
    }
    assert proposal["expedited"] is True
    assert proposal["initial_deposit"] == [{"denom": "uxprt", "amount": "50000000"}]


def test_delete_carries_only_the_denom(client_home: ClientHome, fake_node: FakeNode) -> None:
    serve_params(fake_node)
    proposal = only_message(generate(client_home, "propose", "delete", STKATOM, *PROPOSAL_FLAGS))
    assert proposal["messages"] == [
        {"@type": "/alliance.alliance.MsgDeleteAlliance", "authority": GOV_AUTHORITY,
         "denom": STKATOM}
    ]  # fmt: skip
    assert [params["path"] for params in fake_node.called("abci_query")] == [
        "/cosmos.gov.v1.Query/Params"
    ]


@pytest.mark.parametrize(
    ("rates", "error"),
    [
        ((), "give --take-rate or --annual-take-rate"),
        (("--take-rate", "0.1", "--annual-take-rate", "0.1"), "not both"),
        (("--annual-take-rate", "1"), "must be at least 0 and below 1"),
        (("--take-rate", "ten"), "invalid --take-rate 'ten'"),
    ],
)
def test_take_rate_flags_are_checked(
    client_home: ClientHome, fake_node: FakeNode, rates: tuple[str, ...], error: str
) -> None:
    serve_params(fake_node)
    outcome = client_home.run(
        "tx", "alliance", "propose", "create", STKATOM, "0.4", "0", "1", *rates,
        *PROPOSAL_FLAGS, "--from", "user1", "--generate-only", "--deposit", "1uxprt",
    )  # fmt: skip
    assert outcome.code in (1, 2)
    assert error in outcome.stderr
    assert outcome.stdout == ""


def test_sub_second_chain_interval_asks_for_an_explicit_rate(
    client_home: ClientHome, fake_node: FakeNode
) -> None:
    serve_params(fake_node)
    params = params_pb2.Params()
    params.take_rate_claim_interval.nanos = 500_000_000
    answer(fake_node, ALLIANCE + "Params", alliance_query.QueryParamsResponse(params=params))
    outcome = client_home.run(
        "tx", "alliance", "propose", "create", STKATOM, "0.4", "0", "1",
        "--annual-take-rate", "0.01", *PROPOSAL_FLAGS, "--from", "user1", "--generate-only",
    )  # fmt: skip
    assert outcome.code == 1
    assert "0.500s is not a positive number of seconds: give --take-rate" in outcome.stderr


# ---- queries ----------------------------------------------------------------------------------

PAGE = pagination_pb2.PageRequest(limit=100)

QUERIES = [
    (("params",), "Params", alliance_query.QueryParamsRequest()),
    (("alliances",), "Alliances", alliance_query.QueryAlliancesRequest(pagination=PAGE)),
    (("alliance", STKATOM), "Alliance", alliance_query.QueryAllianceRequest(denom=STKATOM)),
    (
        ("delegations",),
        "AllAlliancesDelegations",
        alliance_query.QueryAllAlliancesDelegationsRequest(pagination=PAGE),
    ),
    (
        ("delegations", DELEGATOR),
        "AlliancesDelegation",
        alliance_query.QueryAlliancesDelegationsRequest(delegator_addr=DELEGATOR, pagination=PAGE),
    ),
    (
        ("delegations", DELEGATOR, VALIDATOR),
        "AlliancesDelegationByValidator",
        alliance_query.QueryAlliancesDelegationByValidatorRequest(
            delegator_addr=DELEGATOR, validator_addr=VALIDATOR, pagination=PAGE
        ),
    ),
    (
        ("delegation", DELEGATOR, VALIDATOR, STKATOM),
        "AllianceDelegation",
        alliance_query.QueryAllianceDelegationRequest(
            delegator_addr=DELEGATOR, validator_addr=VALIDATOR, denom=STKATOM
        ),
    ),
    (
        ("rewards", DELEGATOR, VALIDATOR, STKATOM),
        "AllianceDelegationRewards",
        alliance_query.QueryAllianceDelegationRewardsRequest(
            delegator_addr=DELEGATOR, validator_addr=VALIDATOR, denom=STKATOM
        ),
    ),
    (
        ("validator", VALIDATOR),
        "AllianceValidator",
        alliance_query.QueryAllianceValidatorRequest(validator_addr=VALIDATOR),
    ),
    (
        ("validators",),
        "AllAllianceValidators",
        alliance_query.QueryAllAllianceValidatorsRequest(pagination=PAGE),
    ),
    (
        ("unbondings", DELEGATOR),
        "AllianceUnbondingsByDelegator",
        alliance_query.QueryAllianceUnbondingsByDelegatorRequest(
            delegator_addr=DELEGATOR, pagination=PAGE
        ),
    ),
    (
        ("unbondings", DELEGATOR, STKATOM),
        "AllianceUnbondingsByDenomAndDelegator",
        alliance_query.QueryAllianceUnbondingsByDenomAndDelegatorRequest(
            denom=STKATOM, delegator_addr=DELEGATOR, pagination=PAGE
        ),
    ),
    (
        ("unbondings", DELEGATOR, STKATOM, VALIDATOR),
        "AllianceUnbondings",
        alliance_query.QueryAllianceUnbondingsRequest(
            denom=STKATOM, delegator_addr=DELEGATOR, validator_addr=VALIDATOR, pagination=PAGE
        ),
    ),
    (
        ("redelegations", DELEGATOR),
        "AllianceRedelegationsByDelegator",
        alliance_query.QueryAllianceRedelegationsByDelegatorRequest(
            delegator_addr=DELEGATOR, pagination=PAGE
        ),
    ),
    (
        ("redelegations", DELEGATOR, STKATOM),
        "AllianceRedelegations",
        alliance_query.QueryAllianceRedelegationsRequest(
            denom=STKATOM, delegator_addr=DELEGATOR, pagination=PAGE
        ),
    ),
]


def test_the_table_reaches_all_15_query_methods() -> None:
    assert len({method for _, method, _ in QUERIES}) == 15


@pytest.mark.parametrize(("args", "method", "request_message"), QUERIES)
def test_query_builds_the_request_of_its_method(
    client_home: ClientHome,
    fake_node: FakeNode,
    args: tuple[str, ...],
    method: str,
    request_message: Message,
) -> None:
    seen = answer(fake_node, ALLIANCE + method, response_class(ALLIANCE + method)())
    outcome = client_home.run("q", "alliance", *args, "-o", "json")
    assert outcome.code == 0, outcome.stderr
    [data] = seen
    assert type(request_message).FromString(data) == request_message
    assert isinstance(json.loads(outcome.stdout), dict)


def test_pagination_flags_reach_list_queries(client_home: ClientHome, fake_node: FakeNode) -> None:
    seen = answer(fake_node, ALLIANCE + "Alliances", alliance_query.QueryAlliancesResponse())
    outcome = client_home.run("q", "alliance", "alliances", "--limit", "2", "--page", "3",
                              "--count-total")  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    request = alliance_query.QueryAlliancesRequest.FromString(seen[0])
    assert request.pagination == pagination_pb2.PageRequest(offset=4, limit=2, count_total=True)


def test_alliance_text_output(client_home: ClientHome, fake_node: FakeNode) -> None:
    reply = alliance_query.QueryAllianceResponse()
    reply.alliance.denom = STKATOM
    reply.alliance.reward_weight = "400000000000000000"
    answer(fake_node, ALLIANCE + "Alliance", reply)
    outcome = client_home.run("q", "alliance", "alliance", STKATOM)
    assert outcome.code == 0, outcome.stderr
    assert f"denom: {STKATOM}" in outcome.stdout
    assert "reward_weight:" in outcome.stdout


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("unbondings", DELEGATOR, "", VALIDATOR), "VALIDATOR needs DENOM"),
        (("delegations", "nobody"), "invalid delegator 'nobody'"),
    ],
)
def test_query_argument_errors(client_home: ClientHome, args: tuple[str, ...], error: str) -> None:
    outcome = client_home.run("q", "alliance", *args)
    assert outcome.code in (1, 2)
    assert error in outcome.stderr
