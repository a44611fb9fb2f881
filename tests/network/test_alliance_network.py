"""The Persistence restaking scenario on a real 4-validator network (one app + one CometBFT each).

XPRT native stake (weight 1; each validator self-bonds 100,000 XPRT by gentx), stkATOM at reward
weight 0.4 and stTIA at 0.2, both listed by real gov proposals (`allianced tx alliance propose
create`, YES from every validator). One network serves the whole file, in this order (each step
builds on the state the previous ones left):

1. listing; users stake stkATOM on validators 0 and 1 and stTIA on validators 2 and 3;
2. CometBFT's voting powers rise by the minted virtual stake;
3. the staking rewards of a quiet window of blocks reach the three groups as 1 : 0.4 : 0.2;
4. the take rate on stkATOM (stTIA has none) shows up as stkATOM rewards of a native delegator;
5. an alliance delegator's vote counts nothing; with `tally_excluded_modules = [alliance]` (set
   by a passed proposal) the virtual stake leaves the tally too;
6. an alliance undelegation pays out in the first block after its completion time, not before;
7. validator 1, holding stkATOM of two delegators, double-signs: its asset shares are cut by the
   effective slash fraction and the value moves to the stkATOM stakers of validator 0 (§10.1).

After every test, each committed block has been replayed in-process and every invariant checked,
the alliance module's included (`tests.support.invariants`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from app.codec import pack_any
from app.node.devnet import (
    DevnetAlliance,
    list_alliances,
    load_devnet_alliances,
    load_devnet_config,
)
from app.pb.alliance.alliance import query_pb2 as alliance_query
from app.pb.alliance.alliance import tx_pb2 as alliance_tx
from app.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.cosmos.distribution.v1beta1 import query_pb2 as distr_query
from app.pb.cosmos.gov.v1 import gov_pb2
from app.pb.cosmos.gov.v1 import query_pb2 as gov_query
from app.pb.cosmos.gov.v1 import tx_pb2 as gov_tx
from app.pb.cosmos.slashing.v1beta1 import query_pb2 as slashing_query
from app.pb.cosmos.staking.v1beta1 import query_pb2 as staking_query
from app.types import Coins, Dec, DecCoins, Int
from app.types.address import acc_to_bech32, cons_to_bech32, module_address
from app.types.time import SECOND, Timestamp, parse_rfc3339, timestamp_from_proto
from tests.support.cometbft import COMETBFT
from tests.support.evidence import broadcast_double_sign
from tests.support.invariants import InvariantWatcher
from tests.support.network import RunningNetwork, running_network

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    pytest.mark.skipif(not COMETBFT.exists(), reason="CometBFT binary not built (scripts/setup)"),
]

BOND_DENOM = "uxprt"
VALIDATORS = 4
SELF_DELEGATION = 100_000_000_000
"""config/devnet.json's `self_delegation`: the only native stake, power 100000 each."""
POWER_REDUCTION = 10**6
NATIVE_BONDED = VALIDATORS * SELF_DELEGATION

VOTING_SECONDS = 15
"""Long enough for `list_alliances` to propose both assets and collect four votes on each."""
UNBONDING_SECONDS = 15
TAKE_RATE_INTERVAL_SECONDS = 5
STKATOM_ANNUAL_TAKE_RATE = "0.05"
"""Large enough for a visible deduction every 5 s interval; stTIA gets none (to tell them apart)."""

REWARD_WINDOW_BLOCKS = 15
REWARD_RATIO_TOLERANCE = Fraction(1, 10_000)
"""Relative: CometBFT powers are tokens ÷ 10^6 truncated (≤ 10^-5 of a validator's stake), and
each alliance delegation's reward and each validator's withdrawal are truncated to whole units
at both ends of the window (a few units of ~10^5); measured deviations stay below 10^-5."""

TEST_GENESIS: dict[str, Any] = {
    "gov": {
        "params": {
            "voting_period": f"{VOTING_SECONDS}s",
            "max_deposit_period": f"{VOTING_SECONDS}s",
            "expedited_voting_period": f"{VOTING_SECONDS // 2}s",
        }
    },
    "staking": {"params": {"unbonding_time": f"{UNBONDING_SECONDS}s"}},
    "alliance": {
        "params": {
            "reward_delay_time": "0s",
            "take_rate_claim_interval": f"{TAKE_RATE_INTERVAL_SECONDS}s",
        }
    },
}


@dataclass(frozen=True, slots=True)
class Stake:
    """An alliance delegation the scenario makes."""

    delegator: str
    """Devnet key name."""
    validator: int
    asset: str
    """stkATOM or stTIA."""
    amount: int


STAKES = (
    Stake("user1", 0, "stkATOM", 300_000_000_000),
    Stake("user1", 1, "stkATOM", 100_000_000_000),
    Stake("user2", 1, "stkATOM", 100_000_000_000),
    Stake("user2", 2, "stTIA", 200_000_000_000),
    Stake("user2", 3, "stTIA", 100_000_000_000),
)
SLASHED = 1
"""Validator 1 holds stkATOM of user1 and user2; validator 0 holds the rest of the stkATOM."""


# ---- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNetwork]:
    root: Path = tmp_path_factory.mktemp("alliance-network")
    with running_network(root, VALIDATORS, app_state=TEST_GENESIS) as started:
        yield started


@pytest.fixture(scope="module")
def watcher(network: RunningNetwork) -> Iterator[InvariantWatcher]:
    """Replays node 0's blocks in the background; node 0 is never stopped."""
    started = InvariantWatcher(network.rpc(0)).start()
    yield started
    started.stop()


@pytest.fixture(autouse=True)
def invariants_hold(network: RunningNetwork, watcher: InvariantWatcher) -> Iterator[None]:
    """After each test: every block committed so far replays identically and breaks nothing."""
    yield
    target = network.height()
    network.wait_until(
        f"the invariant checker to replay up to block {target}",
        lambda: watcher.failed or watcher.height >= target,
        timeout=60,
    )
    watcher.check()


@pytest.fixture(scope="module")
def assets() -> dict[str, DevnetAlliance]:
    """The devnet's stkATOM and stTIA by name, with this file's take rates."""
    rates = {"stkATOM": STKATOM_ANNUAL_TAKE_RATE, "stTIA": "0"}
    return {
        asset.name: replace(asset, annual_take_rate=rates[asset.name])
        for asset in load_devnet_alliances(load_devnet_config())
    }


@pytest.fixture(scope="module")
def staked(network: RunningNetwork, assets: dict[str, DevnetAlliance]) -> int:
    """Both assets listed by gov, then every `STAKES` delegation made; the last tx's height."""
    voters = [f"validator{index}" for index in range(VALIDATORS)]
    list_alliances(
        network.chain.client_home, network.chain.rpc_laddr, voters, list(assets.values())
    )
    height = 0
    for delegator in sorted({stake.delegator for stake in STAKES}):
        messages = [
            alliance_tx.MsgDelegate(
                delegator_address=network.address(delegator),
                validator_address=network.operator(stake.validator),
                amount=coin_pb2.Coin(denom=assets[stake.asset].denom, amount=str(stake.amount)),
            )
            for stake in STAKES
            if stake.delegator == delegator
        ]
        height = network.submit_ok(delegator, *messages).height
    return height


# ---- queries -----------------------------------------------------------------------------------

ALLIANCE = "/alliance.alliance.Query/"


def alliance_module_account() -> str:
    return acc_to_bech32(module_address("alliance"))


def asset_record(network: RunningNetwork, denom: str, height: int = 0) -> Any:
    """The `AllianceAsset` protobuf of `denom`."""
    return network.query(
        ALLIANCE + "Alliance",
        alliance_query.QueryAllianceRequest(denom=denom),
        alliance_query.QueryAllianceResponse,
        height=height,
    ).alliance


def validator_shares(network: RunningNetwork, index: int, height: int = 0) -> DecCoins:
    """The asset-level shares of validator `index` (`AllianceValidator.validator_shares`)."""
    return DecCoins.from_proto(
        network.query(
            ALLIANCE + "AllianceValidator",
            alliance_query.QueryAllianceValidatorRequest(validator_addr=network.operator(index)),
            alliance_query.QueryAllianceValidatorResponse,
            height=height,
        ).validator_shares
    )


def alliance_delegation(
    network: RunningNetwork, stake: Stake, denom: str, height: int = 0
) -> alliance_query.QueryAllianceDelegationResponse:
    return network.query(
        ALLIANCE + "AllianceDelegation",
        alliance_query.QueryAllianceDelegationRequest(
            delegator_addr=network.address(stake.delegator),
            validator_addr=network.operator(stake.validator),
            denom=denom,
        ),
        alliance_query.QueryAllianceDelegationResponse,
        height=height,
    )


def total_delegator_shares(network: RunningNetwork, index: int, denom: str, height: int) -> Dec:
    return DecCoins.from_proto(
        network.query(
            ALLIANCE + "AllianceValidator",
            alliance_query.QueryAllianceValidatorRequest(validator_addr=network.operator(index)),
            alliance_query.QueryAllianceValidatorResponse,
            height=height,
        ).total_delegation_shares
    ).amount_of(denom)


def virtual_stake(network: RunningNetwork, height: int = 0) -> dict[str, int]:
    """The alliance module account's x/staking delegations: operator → tokens."""
    responses = network.query(
        "/cosmos.staking.v1beta1.Query/DelegatorDelegations",
        staking_query.QueryDelegatorDelegationsRequest(delegator_addr=alliance_module_account()),
        staking_query.QueryDelegatorDelegationsResponse,
        height=height,
    ).delegation_responses
    return {r.delegation.validator_address: int(r.balance.amount) for r in responses}


def staking_tokens(network: RunningNetwork, index: int, height: int = 0) -> int:
    return int(
        network.query(
            "/cosmos.staking.v1beta1.Query/Validator",
            staking_query.QueryValidatorRequest(validator_addr=network.operator(index)),
            staking_query.QueryValidatorResponse,
            height=height,
        ).validator.tokens
    )


def balance(network: RunningNetwork, key_name: str, denom: str, height: int = 0) -> int:
    return int(
        network.query(
            "/cosmos.bank.v1beta1.Query/Balance",
            bank_query.QueryBalanceRequest(address=network.address(key_name), denom=denom),
            bank_query.QueryBalanceResponse,
            height=height,
        ).balance.amount
    )


def tally(network: RunningNetwork, proposal_id: int) -> gov_pb2.TallyResult:
    return network.query(
        "/cosmos.gov.v1.Query/TallyResult",
        gov_query.QueryTallyResultRequest(proposal_id=proposal_id),
        gov_query.QueryTallyResultResponse,
    ).tally


def proposal_status(network: RunningNetwork, proposal_id: int) -> int:
    return network.query(
        "/cosmos.gov.v1.Query/Proposal",
        gov_query.QueryProposalRequest(proposal_id=proposal_id),
        gov_query.QueryProposalResponse,
    ).proposal.status


def block_time(network: RunningNetwork, height: int) -> Timestamp:
    with network.rpc() as rpc:
        return parse_rfc3339(rpc.block(height)["block"]["header"]["time"])


def block_events(network: RunningNetwork, height: int, kind: str) -> list[dict[str, Any]]:
    """The FinalizeBlock events of type `kind` at `height`, attributes JSON-decoded."""
    with network.rpc() as rpc:
        events = rpc.block_results(height).get("finalize_block_events") or []
    return [
        {attribute["key"]: json.loads(attribute["value"]) for attribute in event["attributes"]}
        for event in events
        if event["type"] == kind
    ]


def dec(text: str) -> Dec:
    """A LegacyDec in protobuf wire form (the scaled integer's text)."""
    return Dec.from_proto_str(text)


def fraction_of(value: Dec) -> Fraction:
    return Fraction(int(value.to_proto_str()), 10**18)


def rounder() -> Dec:
    """The alliance module's 0.01 that token values are rounded up by (§3.2)."""
    return Dec.new_with_prec(1, 2)


def share_value(shares: Dec, total_shares: Dec, total_value: Dec) -> Dec:
    """`ConvertNewShareToDecToken` (§3.2): the whole value when no shares exist."""
    if total_shares.is_zero():
        return total_value
    return shares.quo(total_shares).mul(total_value)


# ---- the tests, in network order ---------------------------------------------------------------


def test_governance_lists_both_assets_at_their_weights(
    network: RunningNetwork, assets: dict[str, DevnetAlliance], staked: int
) -> None:
    for asset in assets.values():
        record = asset_record(network, asset.denom)
        assert dec(record.reward_weight) == Dec.from_str(asset.reward_weight)
        assert dec(record.take_rate).is_positive() == (asset.name == "stkATOM")
        wanted = sum(stake.amount for stake in STAKES if stake.asset == asset.name)
        # Take-rate deductions may have started: at most the staked amount, and not far below.
        assert wanted * 999 // 1000 <= int(record.total_tokens) <= wanted


def test_validator_powers_rise_by_the_minted_virtual_stake(
    network: RunningNetwork, assets: dict[str, DevnetAlliance], staked: int
) -> None:
    """Each validator's virtual stake is Σ_a (its shares of a ÷ a's shares) × w_a × native stake
    (§8.2), minted to the unit — truncated when minted, rounded up when burned down to it — and
    CometBFT's power is exactly (self-delegation + virtual stake) ÷ 10^6."""
    # Rebalancing at the end of the delegations' block, power updates one block later, CometBFT
    # applies them two blocks after that.
    network.wait_for_height(staked + 4, timeout=30)
    expected_virtual: dict[str, Dec] = {}
    for index in range(VALIDATORS):
        owned = Dec.zero()
        shares = validator_shares(network, index)
        for asset in assets.values():
            record = asset_record(network, asset.denom)
            mine = shares.amount_of(asset.denom)
            if mine.is_positive():
                weighted_native = Dec.from_str(asset.reward_weight).mul_int(Int(NATIVE_BONDED))
                owned = owned + mine.quo(dec(record.total_validator_shares)).mul(weighted_native)
        expected_virtual[network.operator(index)] = owned
    minted = virtual_stake(network)
    assert set(minted) == set(expected_virtual), "virtual stake on every validator with assets"
    for operator, expected in expected_virtual.items():
        assert abs(fraction_of(Dec.from_int(minted[operator]) - expected)) < 1, operator
    total = sum(minted.values())
    assert NATIVE_BONDED * 6 // 10 - VALIDATORS <= total <= NATIVE_BONDED * 6 // 10 + VALIDATORS

    expected_powers = {
        network.consensus_address(index): (SELF_DELEGATION + minted[network.operator(index)])
        // POWER_REDUCTION
        for index in range(VALIDATORS)
    }
    network.wait_until(
        "CometBFT's powers to include the virtual stake",
        lambda: network.comet_powers() == expected_powers,
        timeout=30,
    )
    for index in range(VALIDATORS):
        rise = (
            expected_powers[network.consensus_address(index)] - SELF_DELEGATION // POWER_REDUCTION
        )
        assert rise == minted[network.operator(index)] // POWER_REDUCTION


def native_rewards(network: RunningNetwork, height: int) -> Fraction:
    """The bond-denom rewards the native stake (every validator's self-delegation, the only
    native delegations) has accrued and not withdrawn at `height`."""
    total = Dec.zero()
    for index in range(VALIDATORS):
        rewards = network.query(
            "/cosmos.distribution.v1beta1.Query/DelegationRewards",
            distr_query.QueryDelegationRewardsRequest(
                delegator_address=network.address(f"validator{index}"),
                validator_address=network.operator(index),
            ),
            distr_query.QueryDelegationRewardsResponse,
            height=height,
        ).rewards
        total = total + DecCoins.from_proto(rewards).amount_of(BOND_DENOM)
    return fraction_of(total)


def alliance_rewards(network: RunningNetwork, denom: str, asset: str, height: int) -> int:
    """The bond-denom rewards a claim would pay, at `height`, to every `asset` delegation
    (`AllianceDelegationRewards`: the virtual stake's pending rewards split by the indices)."""
    total = 0
    for stake in STAKES:
        if stake.asset != asset:
            continue
        rewards = network.query(
            ALLIANCE + "AllianceDelegationRewards",
            alliance_query.QueryAllianceDelegationRewardsRequest(
                delegator_addr=network.address(stake.delegator),
                validator_addr=network.operator(stake.validator),
                denom=denom,
            ),
            alliance_query.QueryAllianceDelegationRewardsResponse,
            height=height,
        ).rewards
        total += int(Coins.from_proto(rewards).amount_of(BOND_DENOM))
    return total


def test_staking_rewards_reach_the_groups_as_their_weights(
    network: RunningNetwork, assets: dict[str, DevnetAlliance], staked: int
) -> None:
    """What is compared: over a window of blocks [h1, h2] with no tx, R_native = the increase of
    the bond-denom rewards of all native delegations (x/distribution `DelegationRewards`) and,
    per asset a, R_a = the increase of what its delegators could claim
    (`AllianceDelegationRewards`, summed over a's delegations). Rewards per unit of stake are
    equal for every delegation (same commission everywhere), the module's virtual stake is
    Σ_a w_a × native stake, and §5.2 splits its rewards by w_a, so R_a ÷ w_a = R_native: the
    groups receive 1 : 0.4 : 0.2, whatever amounts of each asset are staked (here 5 : 3 units of
    stkATOM : stTIA). Checked within `REWARD_RATIO_TOLERANCE`, relative."""
    # Start once CometBFT's powers (hence the allocation of each block) include the virtual
    # stake: the previous test waited for that.
    start = network.height()
    end = network.wait_for_height(start + REWARD_WINDOW_BLOCKS, timeout=60)
    native = native_rewards(network, end) - native_rewards(network, start)
    assert native > 10_000, "the window must mint enough to measure ratios"
    for asset in assets.values():
        received = alliance_rewards(network, asset.denom, asset.name, end) - alliance_rewards(
            network, asset.denom, asset.name, start
        )
        ratio = Fraction(received) / native
        weight = fraction_of(Dec.from_str(asset.reward_weight))
        assert abs(ratio / weight - 1) <= REWARD_RATIO_TOLERANCE, (
            f"{asset.name}: received {received} for native {float(native):.0f} "
            f"(ratio {float(ratio):.6f}, weight {float(weight)})"
        )


def cli_rewards(network: RunningNetwork, key_name: str) -> dict[str, Dec]:
    """`allianced query distribution rewards ADDRESS`: the total by denom."""
    result = network.chain.cli_json("query", "distribution", "rewards", network.address(key_name))
    return {coin["denom"]: Dec.from_str(coin["amount"]) for coin in result.get("total") or []}


def test_the_take_rate_on_stkatom_reaches_native_stakers(
    network: RunningNetwork, assets: dict[str, DevnetAlliance], staked: int
) -> None:
    stkatom, sttia = assets["stkATOM"].denom, assets["stTIA"].denom
    network.wait_until(
        "validator0's `query distribution rewards` to show stkATOM",
        lambda: cli_rewards(network, "validator0").get(stkatom, Dec.zero()).is_positive(),
        timeout=TAKE_RATE_INTERVAL_SECONDS * 3 + 20,
    )
    assert sttia not in cli_rewards(network, "validator0"), "stTIA has no take rate"
    staked_stkatom = sum(s.amount for s in STAKES if s.asset == "stkATOM")
    assert int(asset_record(network, stkatom).total_tokens) < staked_stkatom
    assert int(asset_record(network, sttia).total_tokens) == sum(
        s.amount for s in STAKES if s.asset == "stTIA"
    )


def submit_proposal(network: RunningNetwork, proposer: str, **fields: Any) -> int:
    params = network.query(
        "/cosmos.gov.v1.Query/Params", gov_query.QueryParamsRequest(), gov_query.QueryParamsResponse
    ).params
    proposal = gov_tx.MsgSubmitProposal(
        initial_deposit=list(params.min_deposit), proposer=network.address(proposer), **fields
    )
    (response,) = network.submit_ok(proposer, proposal).data.msg_responses
    submitted = gov_tx.MsgSubmitProposalResponse()
    response.Unpack(submitted)
    return submitted.proposal_id


def vote(
    network: RunningNetwork, key_name: str, proposal_id: int, option: gov_pb2.VoteOption
) -> None:
    network.submit_ok(
        key_name,
        gov_tx.MsgVote(proposal_id=proposal_id, voter=network.address(key_name), option=option),
    )


def test_alliance_delegators_do_not_vote_and_the_virtual_stake_can_leave_the_tally(
    network: RunningNetwork, staked: int
) -> None:
    """user1 stakes only alliance assets: its vote adds nothing. The validators' votes carry
    their virtual stake (§12, inherited) until a passed proposal puts the alliance module in
    `tally_excluded_modules`; a validator's YES is then worth its native stake alone."""
    params = network.query(
        "/cosmos.gov.v1.Query/Params", gov_query.QueryParamsRequest(), gov_query.QueryParamsResponse
    ).params
    assert list(params.tally_excluded_modules) == []
    params.tally_excluded_modules.append("alliance")
    update = gov_tx.MsgUpdateParams(authority=acc_to_bech32(module_address("gov")), params=params)
    proposal_id = submit_proposal(
        network,
        "user3",
        messages=[pack_any(update)],
        title="Alliance stake out of the tally",
        summary="tally_excluded_modules = [alliance]",
    )
    empty = tally(network, proposal_id)
    vote(network, "user1", proposal_id, gov_pb2.VOTE_OPTION_NO)
    assert tally(network, proposal_id) == empty
    assert empty.no_count == "0"

    for index in range(VALIDATORS):
        vote(network, f"validator{index}", proposal_id, gov_pb2.VOTE_OPTION_YES)
    counted = tally(network, proposal_id)
    bonded = sum(staking_tokens(network, index) for index in range(VALIDATORS))
    assert int(counted.yes_count) == bonded, "every validator's stake, virtual stake included"
    assert bonded > NATIVE_BONDED
    assert counted.no_count == "0", "user1's NO still counts nothing"
    network.wait_until(
        f"proposal {proposal_id} to leave its voting period",
        lambda: proposal_status(network, proposal_id) != gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD,
        timeout=VOTING_SECONDS + 30,
    )
    assert proposal_status(network, proposal_id) == gov_pb2.PROPOSAL_STATUS_PASSED

    text_id = submit_proposal(
        network, "user3", metadata="signalling", title="Signal", summary="A text proposal"
    )
    vote(network, "validator0", text_id, gov_pb2.VOTE_OPTION_YES)
    vote(network, "user1", text_id, gov_pb2.VOTE_OPTION_YES)
    after = tally(network, text_id)
    assert staking_tokens(network, 0) > SELF_DELEGATION, "validator0 carries virtual stake"
    assert int(after.yes_count) == SELF_DELEGATION, "the virtual stake left the tally"


def test_an_alliance_undelegation_pays_out_after_the_unbonding_time(
    network: RunningNetwork, assets: dict[str, DevnetAlliance], staked: int
) -> None:
    denom = assets["stTIA"].denom
    amount = 40_000_000_000
    before = balance(network, "user2", denom)
    started = network.submit_ok(
        "user2",
        alliance_tx.MsgUndelegate(
            delegator_address=network.address("user2"),
            validator_address=network.operator(3),
            amount=coin_pb2.Coin(denom=denom, amount=str(amount)),
        ),
    ).height
    (entry,) = network.query(
        ALLIANCE + "AllianceUnbondingsByDelegator",
        alliance_query.QueryAllianceUnbondingsByDelegatorRequest(
            delegator_addr=network.address("user2")
        ),
        alliance_query.QueryAllianceUnbondingsByDelegatorResponse,
    ).unbondings
    completion = timestamp_from_proto(entry.completion_time)
    assert completion == block_time(network, started) + UNBONDING_SECONDS * SECOND
    assert int(entry.amount) == amount
    assert balance(network, "user2", denom) == before, "nothing paid at once"

    network.wait_until(
        "the undelegation to pay out",
        lambda: balance(network, "user2", denom) == before + amount,
        timeout=UNBONDING_SECONDS + 30,
    )
    paid_at = network.height()
    while balance(network, "user2", denom, paid_at - 1) != before:
        paid_at -= 1
    assert balance(network, "user2", denom, paid_at) == before + amount
    assert block_time(network, paid_at) > completion, "paid only in a block after completion"
    assert block_time(network, paid_at - 1) <= completion, "paid in the first such block"


@dataclass(frozen=True, slots=True)
class SlashView:
    """What §10.1 reads and writes, at one height."""

    validator_shares: dict[int, Dec]
    """Validator index → its stkATOM shares (validators 0 and 1)."""
    total_validator_shares: Dec
    total_tokens: Int
    delegation_shares: dict[Stake, Dec]
    delegator_shares: dict[int, Dec]
    """Validator index → the total delegation shares of stkATOM on it."""
    balances: dict[Stake, int]


def slash_view(network: RunningNetwork, denom: str, height: int) -> SlashView:
    stakes = [stake for stake in STAKES if stake.asset == "stkATOM"]
    holders = sorted({stake.validator for stake in stakes})
    record = asset_record(network, denom, height)
    delegations = {stake: alliance_delegation(network, stake, denom, height) for stake in stakes}
    return SlashView(
        validator_shares={
            index: validator_shares(network, index, height).amount_of(denom) for index in holders
        },
        total_validator_shares=dec(record.total_validator_shares),
        total_tokens=Int(int(record.total_tokens)),
        delegation_shares={s: dec(r.delegation.delegation.shares) for s, r in delegations.items()},
        delegator_shares={
            index: total_delegator_shares(network, index, denom, height) for index in holders
        },
        balances={s: int(r.delegation.balance.amount) for s, r in delegations.items()},
    )


def expected_balance(view: SlashView, stake: Stake) -> int:
    """A delegation's token value (§3.2): its part of its validator's part of the asset,
    +0.01, truncated."""
    validator_tokens = share_value(
        view.validator_shares[stake.validator],
        view.total_validator_shares,
        Dec.from_int(view.total_tokens),
    )
    value = share_value(
        view.delegation_shares[stake],
        view.delegator_shares[stake.validator],
        validator_tokens,
    )
    return int((value + rounder()).truncate_int())


def evidence_height(network: RunningNetwork, after: int) -> int:
    """The first block after `after` that carries evidence."""
    with network.rpc() as rpc:
        for height in range(after + 1, network.height() + 1):
            if (rpc.block(height)["block"].get("evidence") or {}).get("evidence"):
                return height
    raise AssertionError(f"no block after {after} carries evidence")


def test_a_double_sign_moves_alliance_value_to_the_other_validators_stakers(
    network: RunningNetwork, assets: dict[str, DevnetAlliance], staked: int
) -> None:
    """§10.1 with the effective fraction x/staking passes to the hook: f = burned ⊘roundUp
    tokens, burned = min(trunc(power_at_infraction × 10^6 × slash_fraction_double_sign),
    tokens) (no unbonding or redelegation leaves validator 1). Validator 1's stkATOM shares
    lose s ⊗ f, the asset's total shares the same, its total tokens nothing (only the block's
    take-rate deduction, if any): validator 1's delegators lose value, validator 0's gain it."""
    denom = assets["stkATOM"].denom
    offender = network.nodes[SLASHED].consensus_key()
    infraction = network.height() - 1
    with network.rpc(2) as rpc:
        broadcast_double_sign(rpc, offender, network.chain_id, infraction)
        power = next(
            int(v["voting_power"])
            for v in rpc.validators(infraction, per_page=100)["validators"]
            if bytes.fromhex(v["address"]) == offender.public_key.address()
        )
    cons = cons_to_bech32(offender.public_key.address())

    def tombstoned() -> bool:
        return network.query(
            "/cosmos.slashing.v1beta1.Query/SigningInfo",
            slashing_query.QuerySigningInfoRequest(cons_address=cons),
            slashing_query.QuerySigningInfoResponse,
        ).val_signing_info.tombstoned

    network.wait_until("validator1 to be tombstoned", tombstoned, timeout=45)
    slashed_at = evidence_height(network, infraction)
    before = slash_view(network, denom, slashed_at - 1)
    after = slash_view(network, denom, slashed_at)

    slash_fraction = dec(
        network.query(
            "/cosmos.slashing.v1beta1.Query/Params",
            slashing_query.QueryParamsRequest(),
            slashing_query.QueryParamsResponse,
        ).params.slash_fraction_double_sign
    )
    tokens = staking_tokens(network, SLASHED, slashed_at - 1)
    burned = min(
        int(Dec.from_int(power * POWER_REDUCTION).mul(slash_fraction).truncate_int()), tokens
    )
    fraction = Dec.from_int(burned).quo_round_up(Dec.from_int(tokens))
    assert staking_tokens(network, SLASHED, slashed_at) == tokens - burned
    (event,) = block_events(network, slashed_at, "alliance.alliance.SlashAllianceValidatorEvent")
    assert Dec.from_str(event["fraction"]) == fraction, "the JSON event has decimal text"

    cut = before.validator_shares[SLASHED].mul(fraction)
    assert cut.is_positive()
    assert after.validator_shares[SLASHED] == before.validator_shares[SLASHED] - cut
    assert after.validator_shares[0] == before.validator_shares[0], "the other validator keeps"
    assert after.total_validator_shares == before.total_validator_shares - cut
    deducted = sum(
        int(deduction["deducted"]["amount"])
        for deduction in block_events(
            network, slashed_at, "alliance.alliance.DeductAllianceAssetEvent"
        )
        if deduction["deducted"]["denom"] == denom
    )
    assert after.total_tokens == before.total_tokens - Int(deducted), "no stkATOM burned"
    assert after.delegation_shares == before.delegation_shares
    for stake in after.balances:
        assert after.balances[stake] == expected_balance(after, stake), stake
        moved = after.balances[stake] - before.balances[stake]
        if stake.validator == SLASHED:
            assert moved < 0, f"{stake} loses value"
        else:
            assert moved > 0, f"{stake} gains value"
    # Value moves, none is lost: the delegations are worth the asset's tokens, to rounding.
    assert abs(sum(after.balances.values()) - int(after.total_tokens)) <= len(after.balances)
