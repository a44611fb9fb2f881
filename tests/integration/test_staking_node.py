"""Staking on a real node: the validator set CometBFT reports follows staking."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.crypto import ed25519
from app.types import val_to_bech32
from app.types.address import acc_address_from_bech32
from tests.support.chain import RunningChain, running_chain

pytestmark = [pytest.mark.integration, pytest.mark.slow]

UNBONDING_SECONDS = 6


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningChain]:
    root: Path = tmp_path_factory.mktemp("staking")
    patch = {"staking": {"params": {"unbonding_time": f"{UNBONDING_SECONDS}s"}}}
    with running_chain(root, app_state=patch) as started:
        yield started


def comet_powers(chain: RunningChain) -> dict[str, int]:
    """Consensus pubkey (base64) → voting power, from CometBFT's `/validators`."""
    validators = chain.rpc().validators(0, per_page=100)["validators"]
    return {v["pub_key"]["value"]: int(v["voting_power"]) for v in validators}


def wait_for_power(chain: RunningChain, pubkey: str, power: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while comet_powers(chain).get(pubkey) != power:
        assert time.monotonic() < deadline, f"power of {pubkey} is {comet_powers(chain)}"
        time.sleep(0.2)


def operator(chain: RunningChain, name: str) -> str:
    return val_to_bech32(acc_address_from_bech32(chain.address(name)))


def test_created_validator_and_delegation_reach_cometbft(chain: RunningChain) -> None:
    key = ed25519.PrivateKey(b"\x07" * 32).public_key
    pubkey = json.dumps(
        {"@type": "/cosmos.crypto.ed25519.PubKey", "key": base64.b64encode(key.key).decode()}
    )
    chain.cli_json(
        "tx",
        "staking",
        "create-validator",
        "--pubkey",
        pubkey,
        "--amount",
        "3000000uxprt",
        "--moniker",
        "second",
        "--from",
        "validator1",
        "--wait",
        "-y",
    )
    encoded = base64.b64encode(key.key).decode()
    wait_for_power(chain, encoded, 3)
    chain.cli_json(
        "tx",
        "staking",
        "delegate",
        operator(chain, "validator1"),
        "2000000uxprt",
        "--from",
        "user1",
        "--wait",
        "-y",
    )
    wait_for_power(chain, encoded, 5)
    validators = chain.cli_json("query", "staking", "validators")["validators"]
    assert {v["description"]["moniker"] for v in validators} >= {"validator0", "second"}


def test_unbonding_completes_after_its_time(chain: RunningChain) -> None:
    delegator = chain.address("user2")
    validator = operator(chain, "validator0")
    chain.cli_json(
        "tx", "staking", "delegate", validator, "5000000uxprt", "--from", "user2", "--wait", "-y"
    )
    before = chain.cli_json("query", "bank", "balances", delegator, "--denom", "uxprt")
    chain.cli_json(
        "tx", "staking", "unbond", validator, "4000000uxprt", "--from", "user2", "--wait", "-y"
    )
    unbonding = chain.cli_json("query", "staking", "unbonding-delegations", delegator)
    assert unbonding["unbonding_responses"][0]["entries"][0]["balance"] == "4000000"
    deadline = time.monotonic() + UNBONDING_SECONDS + 20
    while chain.cli_json("query", "staking", "unbonding-delegations", delegator)[
        "unbonding_responses"
    ]:
        assert time.monotonic() < deadline
        time.sleep(0.5)
    after = chain.cli_json("query", "bank", "balances", delegator, "--denom", "uxprt")
    # The unbond also withdrew the delegation's few blocks of rewards (distribution's hook).
    paid = int(after["balance"]["amount"]) - int(before["balance"]["amount"])
    assert 4_000_000 <= paid < 4_001_000
    delegation = chain.cli_json("query", "staking", "delegation", delegator, validator)
    assert delegation["delegation_response"]["balance"]["amount"] == "1000000"
