"""The tally, pure: stake-weighted votes with inheritance, then quorum, veto and threshold.

As cosmos-sdk v0.50 ``x/gov/keeper/tally.go``. A voter's delegations to bonded validators count
for the voter's own options and are deducted from those validators' shares; what a validator has
left (its own stake and every non-voting delegator's) counts for the validator's options if its
operator account voted. The power of `shares` at a validator is
``shares × bonded_tokens ÷ delegator_shares`` (LegacyDec ``MulInt`` then ``Quo``).

Beyond the SDK: delegations listed as *excluded* (those of module accounts named in the
``tally_excluded_modules`` param, e.g. the alliance module's virtual stake) are deducted from
their validators like a voter's, count for nothing, and are removed from the bonded stake that
quorum is measured against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.modules.gov.state import Params
from app.pb.cosmos.gov.v1 import gov_pb2
from app.types.dec import Dec
from app.types.int import Int

__all__ = [
    "Ballot",
    "BondedValidator",
    "StakeShare",
    "Tally",
    "TallyOutcome",
    "WeightedOption",
    "compute_tally",
    "compute_voting_power",
    "decide_tally",
]

YES = gov_pb2.VOTE_OPTION_YES
ABSTAIN = gov_pb2.VOTE_OPTION_ABSTAIN
NO = gov_pb2.VOTE_OPTION_NO
NO_WITH_VETO = gov_pb2.VOTE_OPTION_NO_WITH_VETO


@dataclass(frozen=True, slots=True)
class WeightedOption:
    option: int
    """A ``VoteOption`` value, 1..4."""
    weight: Dec


@dataclass(frozen=True, slots=True)
class BondedValidator:
    """A validator of the active set as the tally sees it."""

    operator: bytes
    bonded_tokens: Int
    delegator_shares: Dec


@dataclass(frozen=True, slots=True)
class StakeShare:
    """A delegation: shares of one validator."""

    validator: bytes
    shares: Dec


@dataclass(frozen=True, slots=True)
class Ballot:
    """One vote: the voter's account, its options and its delegations."""

    voter: bytes
    options: tuple[WeightedOption, ...]
    delegations: tuple[StakeShare, ...]


@dataclass(frozen=True, slots=True)
class Tally:
    """Voting power per option, the total that voted, and the power left out of the tally."""

    yes: Dec
    abstain: Dec
    no: Dec
    no_with_veto: Dec
    total_voting_power: Dec
    excluded_power: Dec

    def to_proto(self) -> gov_pb2.TallyResult:
        """Each count truncated to an integer (``NewTallyResultFromMap``)."""
        return gov_pb2.TallyResult(
            yes_count=str(self.yes.truncate_int()),
            abstain_count=str(self.abstain.truncate_int()),
            no_count=str(self.no.truncate_int()),
            no_with_veto_count=str(self.no_with_veto.truncate_int()),
        )


@dataclass(frozen=True, slots=True)
class TallyOutcome:
    passes: bool
    burn_deposits: bool


def compute_voting_power(shares: Dec, validator: BondedValidator) -> Dec:
    """shares × bonded_tokens ÷ delegator_shares: the tokens `shares` stand for."""
    return shares.mul_int(validator.bonded_tokens).quo(validator.delegator_shares)


def compute_tally(
    validators: Sequence[BondedValidator],
    ballots: Sequence[Ballot],
    excluded: Sequence[StakeShare] = (),
) -> Tally:
    """Tally `ballots` over the bonded `validators` (see the module docstring).

    A validator with no delegator shares has no power and is skipped (the SDK would divide by
    zero); delegations to validators outside the bonded set count for nothing.
    """
    by_operator = {v.operator: v for v in validators if v.delegator_shares.is_positive()}
    deductions = {operator: Dec.zero() for operator in by_operator}
    validator_votes: dict[bytes, tuple[WeightedOption, ...]] = {}
    results: dict[int, Dec] = {YES: Dec.zero(), ABSTAIN: Dec.zero(), NO: Dec.zero()}
    results[NO_WITH_VETO] = Dec.zero()
    total = Dec.zero()

    def add_power(power: Dec, options: tuple[WeightedOption, ...]) -> None:
        for option in options:
            results[option.option] = results[option.option] + power.mul(option.weight)

    for ballot in ballots:
        if ballot.voter in by_operator:
            validator_votes[ballot.voter] = ballot.options
        for delegation in ballot.delegations:
            validator = by_operator.get(delegation.validator)
            if validator is None:
                continue
            deductions[validator.operator] = deductions[validator.operator] + delegation.shares
            power = compute_voting_power(delegation.shares, validator)
            add_power(power, ballot.options)
            total = total + power
    excluded_power = Dec.zero()
    for delegation in excluded:
        validator = by_operator.get(delegation.validator)
        if validator is None:
            continue
        deductions[validator.operator] = deductions[validator.operator] + delegation.shares
        excluded_power = excluded_power + compute_voting_power(delegation.shares, validator)
    for validator in validators:
        options = validator_votes.get(validator.operator)
        if options is None:
            continue
        remaining = validator.delegator_shares - deductions[validator.operator]
        power = compute_voting_power(remaining, validator)
        add_power(power, options)
        total = total + power
    return Tally(
        yes=results[YES],
        abstain=results[ABSTAIN],
        no=results[NO],
        no_with_veto=results[NO_WITH_VETO],
        total_voting_power=total,
        excluded_power=excluded_power,
    )


def decide_tally(tally: Tally, total_bonded: Int, params: Params, expedited: bool) -> TallyOutcome:
    """Pass or fail, and whether deposits burn, in the SDK's order of checks:

    1. no bonded stake (after exclusions): fail;
    2. total_voting_power ÷ bonded < quorum: fail, burn if ``burn_vote_quorum``;
    3. everyone abstained: fail;
    4. no_with_veto ÷ total_voting_power > veto_threshold: fail, burn if ``burn_vote_veto``;
    5. yes ÷ (total_voting_power − abstain) > threshold (expedited threshold if expedited):
       pass; otherwise fail. Deposits are refunded except in cases 2 and 4.
    """
    eligible = Dec.from_int(total_bonded) - tally.excluded_power
    if not eligible.is_positive():
        return TallyOutcome(passes=False, burn_deposits=False)
    if tally.total_voting_power.quo(eligible) < params.quorum:
        return TallyOutcome(passes=False, burn_deposits=params.burn_vote_quorum)
    non_abstaining = tally.total_voting_power - tally.abstain
    if non_abstaining.is_zero():
        return TallyOutcome(passes=False, burn_deposits=False)
    if tally.no_with_veto.quo(tally.total_voting_power) > params.veto_threshold:
        return TallyOutcome(passes=False, burn_deposits=params.burn_vote_veto)
    if tally.yes.quo(non_abstaining) > params.threshold_for(expedited):
        return TallyOutcome(passes=True, burn_deposits=False)
    return TallyOutcome(passes=False, burn_deposits=False)
