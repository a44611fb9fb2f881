"""The pure tally: inheritance, deductions, exclusions and the pass/fail rules."""

from __future__ import annotations

from dataclasses import replace

from app.modules.gov.state import default_params
from app.modules.gov.tally import (
    ABSTAIN,
    NO,
    NO_WITH_VETO,
    YES,
    Ballot,
    BondedValidator,
    StakeShare,
    WeightedOption,
    compute_tally,
    decide_tally,
)
from app.types import Dec, Int

V1, V2 = b"\x01" * 20, b"\x02" * 20
VALIDATORS = [
    BondedValidator(V1, Int(600), Dec.from_int(600)),
    BondedValidator(V2, Int(400), Dec.from_int(400)),
]


def whole(option: int) -> tuple[WeightedOption, ...]:
    return (WeightedOption(option, Dec.one()),)


def test_delegators_inherit_their_validators_vote_unless_they_vote() -> None:
    ballots = [
        Ballot(V1, whole(YES), (StakeShare(V1, Dec.from_int(100)),)),
        Ballot(b"\x09" * 20, whole(NO), (StakeShare(V1, Dec.from_int(150)),)),
    ]
    tally = compute_tally(VALIDATORS, ballots)
    assert tally.yes == Dec.from_int(450)  # 600 - the voting delegator's 150
    assert tally.no == Dec.from_int(150)
    assert tally.total_voting_power == Dec.from_int(600)  # V2 did not vote
    outcome = decide_tally(tally, Int(1000), default_params(), expedited=False)
    assert outcome.passes and not outcome.burn_deposits


def test_weighted_votes_split_power() -> None:
    options = (
        WeightedOption(YES, Dec.from_str("0.25")),
        WeightedOption(ABSTAIN, Dec.from_str("0.75")),
    )
    tally = compute_tally(VALIDATORS, [Ballot(V2, options, ())])
    assert (tally.yes, tally.abstain) == (Dec.from_int(100), Dec.from_int(300))


def test_quorum_veto_and_threshold() -> None:
    params = default_params()
    low = compute_tally(
        VALIDATORS, [Ballot(b"\x09" * 20, whole(YES), (StakeShare(V1, Dec.from_int(300)),))]
    )
    assert decide_tally(low, Int(1000), params, False).passes is False  # 30% < 33.4% quorum
    vetoed = compute_tally(
        VALIDATORS, [Ballot(V1, whole(YES), ()), Ballot(V2, whole(NO_WITH_VETO), ())]
    )
    outcome = decide_tally(vetoed, Int(1000), params, False)
    assert not outcome.passes and outcome.burn_deposits  # 40% veto > 33.4%, burn_vote_veto
    split = compute_tally(VALIDATORS, [Ballot(V1, whole(NO), ()), Ballot(V2, whole(YES), ())])
    assert not decide_tally(split, Int(1000), params, False).passes
    assert not decide_tally(split, Int(0), params, False).passes


def test_excluded_module_stake_counts_for_nothing() -> None:
    alliance = StakeShare(V1, Dec.from_int(500))
    ballots = [Ballot(V1, whole(YES), ()), Ballot(V2, whole(NO), ())]
    inherited = compute_tally(VALIDATORS, ballots)
    assert inherited.yes == Dec.from_int(600)  # the module's stake follows V1's vote
    excluded = compute_tally(VALIDATORS, ballots, [alliance])
    assert (excluded.yes, excluded.no) == (Dec.from_int(100), Dec.from_int(400))
    assert excluded.excluded_power == Dec.from_int(500)
    params = default_params()
    assert decide_tally(inherited, Int(1000), params, False).passes
    assert not decide_tally(excluded, Int(1000), params, False).passes
    # quorum is measured without the excluded stake: 100 of 500 eligible is 20%
    only_v1 = compute_tally(VALIDATORS, [Ballot(V1, whole(YES), ())], [alliance])
    assert not decide_tally(
        only_v1, Int(1000), replace(params, quorum=Dec.from_str("0.25")), False
    ).passes
    assert decide_tally(
        only_v1, Int(1000), replace(params, quorum=Dec.from_str("0.2")), False
    ).passes
