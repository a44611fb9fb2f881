"""The alliance CLI on a real node: the devnet's listing of stkATOM and stTIA by gov proposal,
then staking an asset and the queries that show it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.chain.wiring import build_chain
from app.cli.take_rate import annual_to_interval_take_rate
from app.node.devnet import list_alliances, load_devnet_alliances, load_devnet_config
from app.types import Dec, acc_address_from_bech32, val_to_bech32
from tests.support.chain import RunningChain, running_chain

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TAKE_RATE_INTERVAL_SECONDS = 10
TX_FLAGS = ("-y", "--wait", "--gas", "auto", "--gas-adjustment", "1.5")
"""Alliance txs cost more than the default 200,000 gas when they rebalance virtual stake."""
SHORT_PERIODS = {
    "gov": {
        "params": {
            "max_deposit_period": "4s",
            "voting_period": "4s",
            "expedited_voting_period": "2s",
        }
    },
    "alliance": {
        "params": {
            "reward_delay_time": "0s",
            "take_rate_claim_interval": f"{TAKE_RATE_INTERVAL_SECONDS}s",
        }
    },
}


def routes_create_alliance() -> bool:
    return build_chain().msg_router.route("/alliance.alliance.MsgCreateAlliance") is not None


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningChain]:
    if not routes_create_alliance():
        pytest.skip("the app does not route MsgCreateAlliance yet (alliance keeper not wired)")
    root: Path = tmp_path_factory.mktemp("alliance")
    with running_chain(root, app_state=SHORT_PERIODS) as started:
        yield started


@pytest.fixture(scope="module")
def listed(chain: RunningChain) -> dict[str, Any]:
    """The devnet's assets, listed as `./scripts/devnet up` does; the `alliances` query after."""
    alliances = load_devnet_alliances(load_devnet_config())
    list_alliances(chain.client_home, chain.rpc_laddr, ["validator0"], alliances)
    result: dict[str, Any] = chain.cli_json("query", "alliance", "alliances")
    return result


def operator(chain: RunningChain, name: str) -> str:
    return val_to_bech32(acc_address_from_bech32(chain.address(name)))


def test_devnet_assets_are_listed_at_their_weights(listed: dict[str, Any]) -> None:
    config = {asset.denom: asset for asset in load_devnet_alliances(load_devnet_config())}
    assert {asset.name for asset in config.values()} == {"stkATOM", "stTIA"}
    by_denom = {asset["denom"]: asset for asset in listed["alliances"]}
    assert set(by_denom) == set(config)
    for denom, wanted in config.items():
        expected_rate = annual_to_interval_take_rate(
            Dec.from_str(wanted.annual_take_rate), TAKE_RATE_INTERVAL_SECONDS
        )
        assert Dec.from_str(by_denom[denom]["reward_weight"]) == Dec.from_str(wanted.reward_weight)
        assert Dec.from_str(by_denom[denom]["take_rate"]) == expected_rate


def test_delegate_then_query_the_stake(chain: RunningChain, listed: dict[str, Any]) -> None:
    denom = listed["alliances"][0]["denom"]
    validator = operator(chain, "validator0")
    delegator = chain.address("user1")
    response = chain.cli_json(
        "tx", "alliance", "delegate", validator, f"1000000{denom}", "--from", "user1", *TX_FLAGS
    )  # fmt: skip
    assert response["code"] == 0, response["raw_log"]

    # Read both at one height: the take rate is deducted every interval (10 s here), and the
    # delegation's value is its share of the asset's remaining total tokens (spec §3.2, §6.2).
    height = str(chain.height())
    delegation = chain.cli_json(
        "query", "alliance", "delegation", delegator, validator, denom, "--height", height
    )
    asset = chain.cli_json("query", "alliance", "alliance", denom, "--height", height)["alliance"]
    balance = delegation["delegation"]["balance"]
    assert balance["denom"] == denom
    assert int(balance["amount"]) == int(asset["total_tokens"])
    assert 999_990 <= int(balance["amount"]) <= 1_000_000
    mine = chain.cli_json("query", "alliance", "delegations", delegator)
    assert [entry["balance"]["denom"] for entry in mine["delegations"]] == [denom]
    by_validator = chain.cli_json("query", "alliance", "delegations", delegator, validator)
    assert len(by_validator["delegations"]) == 1
    everyone = chain.cli_json("query", "alliance", "delegations", "--limit", "1", "--count-total")
    assert everyone["pagination"]["total"] == "1"
    info = chain.cli_json("query", "alliance", "validator", validator)
    assert info["validator_addr"] == validator
    assert chain.cli_json("query", "alliance", "validators")["validators"]
    chain.cli_json("query", "alliance", "rewards", delegator, validator, denom)
    assert chain.cli_json("query", "alliance", "alliance", denom)["alliance"]["denom"] == denom
    params = chain.cli_json("query", "alliance", "params")["params"]
    assert params["take_rate_claim_interval"] == f"{TAKE_RATE_INTERVAL_SECONDS}s"


def test_undelegate_shows_an_unbonding(chain: RunningChain, listed: dict[str, Any]) -> None:
    denom = listed["alliances"][0]["denom"]
    validator = operator(chain, "validator0")
    delegator = chain.address("user2")
    for action, amount in (("delegate", 5000), ("undelegate", 2000)):
        args = (action, validator, f"{amount}{denom}")
        response = chain.cli_json("tx", "alliance", *args, "--from", "user2", *TX_FLAGS)
        assert response["code"] == 0, response["raw_log"]
    for query in ((), (denom,), (denom, validator)):
        unbondings = chain.cli_json("query", "alliance", "unbondings", delegator, *query)
        assert [entry["amount"] for entry in unbondings["unbondings"]] == ["2000"]
    assert chain.cli_json("query", "alliance", "redelegations", delegator)["redelegations"] == []
