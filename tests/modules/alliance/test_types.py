"""Alliance records: protobuf round trips, defaults, and the message-field rules."""

from __future__ import annotations

import pytest

from app.chain.errors import ChainError
from app.modules.alliance import errors
from app.modules.alliance.types import (
    AllianceAsset,
    AllianceValidatorInfo,
    Delegation,
    Params,
    QueuedRedelegation,
    QueuedUndelegation,
    Redelegation,
    RewardHistory,
    RewardWeightChangeSnapshot,
    RewardWeightRange,
    Undelegation,
    validate_create_alliance,
    validate_params,
    validate_update_alliance,
)
from app.pb.alliance.alliance import params_pb2
from app.types import GO_ZERO_TIME, Coin, Int, Timestamp, format_duration, format_rfc3339
from app.types.time import MILLISECOND, Duration
from tests.modules.alliance.fixtures import T0, dec, make_asset, make_info

HISTORY = (RewardHistory("stake", dec("2.4"), "alliance"), RewardHistory("stake", dec("0.5"), ""))

RECORDS = [
    Params.default(),
    Params(Duration(MILLISECOND), Duration(MILLISECOND), Timestamp(0)),
    make_asset("ibc/ABC", "0.075", take="0.02", tokens=7, shares="7.5", start=T0, rate="1.5"),
    make_info({"alliance": "10.5", "alliance2": "3"}, {"alliance": "1"}, HISTORY),
    AllianceValidatorInfo.empty(),
    Delegation("del", "val", "alliance", dec("1000000"), HISTORY, 12),
    RewardWeightChangeSnapshot(dec("2"), HISTORY),
    QueuedUndelegation((Undelegation("d", "v", Coin("alliance", Int(5))),) * 2),
    QueuedRedelegation((Redelegation("d", "s", "t", Coin("alliance", Int(5))),)),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_proto_round_trip(record) -> None:
    pb = record.to_proto()
    decoded = type(pb).FromString(pb.SerializeToString(deterministic=True))
    assert type(record).from_proto(decoded) == record


def test_default_params_match_the_reference_genesis_json() -> None:
    params = Params.default()
    assert format_duration(params.reward_delay_time) == "604800s"
    assert format_duration(params.take_rate_claim_interval) == "300s"
    assert format_rfc3339(params.last_take_rate_claim_time) == "0001-01-01T00:00:00Z"


def test_absent_fields_decode_as_go_zero_values() -> None:
    params = Params.from_proto(params_pb2.Params())
    assert params == Params(Duration(0), Duration(0), GO_ZERO_TIME)
    asset = AllianceAsset.from_proto(make_asset("alliance", "1").to_proto().__class__(denom="x"))
    assert asset.reward_start_time == GO_ZERO_TIME and asset.total_tokens == Int(0)


def test_dec_fields_travel_as_scaled_integers() -> None:
    pb = make_asset("alliance", "2").to_proto()
    assert pb.reward_weight == "2000000000000000000"
    assert pb.reward_weight_range.max == "5000000000000000000"
    assert pb.total_tokens == "0"


def test_rewards_start_inclusively() -> None:
    asset = make_asset("alliance", "1", start=T0)
    assert asset.has_rewards_started(T0) and not asset.has_rewards_started(Timestamp(T0 - 1))


@pytest.mark.parametrize(
    ("params", "accepted"),
    [
        (Params(Duration(100), Duration(100), T0), True),
        (Params(Duration(0), Duration(1), GO_ZERO_TIME), True),
        (Params(Duration(-1), Duration(1), T0), False),
        (
            Params(Duration(0), Duration(0), T0),
            False,
        ),  # fix: the reference halts on a zero interval
    ],
)
def test_validate_params(params: Params, accepted: bool) -> None:
    if accepted:
        validate_params(params)
    else:
        with pytest.raises(ChainError) as raised:
            validate_params(params)
        assert raised.value.code == errors.ErrInvalidParams.code


GOOD = {
    "denom": "ibc/ABC",
    "reward_weight": dec("1"),
    "take_rate": dec("0"),
    "reward_change_rate": dec("1"),
    "reward_change_interval": Duration(0),
    "reward_weight_range": RewardWeightRange(dec("0"), dec("5")),
    "bond_denom": "uxprt",
}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({}, None),
        ({"denom": ""}, errors.ErrEmptyDenom),
        ({"denom": "a\x00b"}, errors.ErrInvalidDenom),
        ({"reward_weight": dec("-1")}, errors.ErrInvalidRewardWeight),
        (
            {"reward_weight_range": RewardWeightRange(dec("-1"), dec("5"))},
            errors.ErrInvalidRewardWeightRange,
        ),
        (
            {"reward_weight_range": RewardWeightRange(dec("5"), dec("0"))},
            errors.ErrInvalidRewardWeightRange,
        ),
        ({"reward_weight": dec("6")}, errors.ErrRewardWeightOutOfBound),
        ({"take_rate": dec("1")}, errors.ErrInvalidTakeRate),
        ({"take_rate": dec("-0.1")}, errors.ErrInvalidTakeRate),
        ({"reward_change_rate": dec("0")}, errors.ErrInvalidRewardChangeRate),
        ({"reward_change_interval": Duration(-1)}, errors.ErrInvalidRewardChangeInterval),
        ({"denom": "uxprt"}, errors.ErrBondDenomAsset),  # fix: the reference allows it
    ],
)
def test_validate_create_alliance(change, error) -> None:
    fields = GOOD | change
    if error is None:
        validate_create_alliance(**fields)
        return
    with pytest.raises(ChainError) as raised:
        validate_create_alliance(**fields)
    assert (raised.value.codespace, raised.value.code) == ("alliance", error.code)


def test_validate_update_alliance_keeps_reference_leniency() -> None:
    validate_update_alliance("anything", dec("0"), dec("0.99"), dec("0.1"), Duration(0))
    with pytest.raises(ChainError):
        validate_update_alliance("", dec("0"), dec("0"), dec("1"), Duration(0))
    with pytest.raises(ChainError):
        validate_update_alliance("x", dec("0"), dec("0"), dec("0"), Duration(0))
