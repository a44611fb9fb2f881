"""app.codec: proto-JSON with LegacyDec fields (``cosmos_proto.scalar = "cosmos.Dec"``) shown with
18 decimals, read back to the scaled wire form, through nesting, repeated fields and ``Any``."""

import copy

import pytest
from google.protobuf import any_pb2, json_format, timestamp_pb2
from hypothesis import given
from hypothesis import strategies as st

from app.codec import DEC_SCALAR, from_json_dict, pack_any, to_json_dict
from app.pb.alliance.alliance import alliance_pb2, delegations_pb2, events_pb2, params_pb2
from app.pb.alliance.alliance import tx_pb2 as alliance_tx
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.cosmos.distribution.v1beta1 import distribution_pb2
from app.pb.cosmos.gov.v1 import gov_pb2
from app.pb.cosmos.gov.v1 import tx_pb2 as gov_tx
from app.pb.cosmos.staking.v1beta1 import staking_pb2
from app.pb.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.pb.cosmos.tx.v1beta1 import tx_pb2
from app.pb.cosmos_proto import cosmos_pb2
from app.types import Dec

TENTH = "100000000000000000"
"""0.1 on the wire."""

MAX_RAW = 2**315 - 1
"""The largest LegacyDec raw integer."""


def validator(shares: str = "100000000000000000000000000000", rate: str = TENTH):
    return staking_pb2.Validator(
        operator_address="persistencevaloper1xyz",
        tokens="100000000000",
        delegator_shares=shares,
        commission=staking_pb2.Commission(
            commission_rates=staking_pb2.CommissionRates(
                rate=rate, max_rate="200000000000000000", max_change_rate="10000000000000000"
            )
        ),
        min_self_delegation="1",
    )


def create_alliance() -> alliance_tx.MsgCreateAlliance:
    return alliance_tx.MsgCreateAlliance(
        authority="persistence1gov",
        denom="ibc/ABC",
        reward_weight="2000000000000000000",
        take_rate="5000000000000000",
        reward_change_rate="1000000000000000000",
        reward_weight_range=alliance_pb2.RewardWeightRange(min="0", max="5000000000000000000"),
    )


def test_the_option_is_declared_with_cosmos_protos_number() -> None:
    assert cosmos_pb2.scalar.number == 93002
    rate = staking_pb2.CommissionRates.DESCRIPTOR.fields_by_name["rate"]
    assert rate.GetOptions().Extensions[cosmos_pb2.scalar] == DEC_SCALAR


def test_top_level_dec_fields_print_with_18_decimals() -> None:
    params = distribution_pb2.Params(
        community_tax="20000000000000000", base_proposer_reward="0", withdraw_addr_enabled=True
    )
    assert to_json_dict(params) == {
        "community_tax": "0.020000000000000000",
        "base_proposer_reward": "0.000000000000000000",
        "bonus_proposer_reward": "",
        "withdraw_addr_enabled": True,
    }


def test_nested_dec_fields_convert_and_int_fields_do_not() -> None:
    document = to_json_dict(validator())
    assert document["delegator_shares"] == "100000000000.000000000000000000"
    assert document["commission"]["commission_rates"] == {
        "rate": "0.100000000000000000",
        "max_rate": "0.200000000000000000",
        "max_change_rate": "0.010000000000000000",
    }
    assert document["tokens"] == "100000000000"
    assert document["min_self_delegation"] == "1"
    assert document["operator_address"] == "persistencevaloper1xyz"


def test_repeated_messages_and_nested_repeated_fields_convert() -> None:
    delegation = delegations_pb2.Delegation(
        denom="ibc/ABC",
        shares="1500000000000000000",
        reward_history=[
            params_pb2.RewardHistory(denom="uxprt", index="2400000000000000001", alliance="a"),
            params_pb2.RewardHistory(denom="uxprt", index="500000000000000000", alliance=""),
        ],
    )
    document = to_json_dict(delegation)
    assert document["shares"] == "1.500000000000000000"
    assert [h["index"] for h in document["reward_history"]] == [
        "2.400000000000000001",
        "0.500000000000000000",
    ]
    rewards = to_json_dict(
        distribution_pb2.ValidatorOutstandingRewards(
            rewards=[coin_pb2.DecCoin(denom="uxprt", amount="1"), coin_pb2.DecCoin(denom="z")]
        )
    )
    assert rewards == {
        "rewards": [
            {"denom": "uxprt", "amount": "0.000000000000000001"},
            {"denom": "z", "amount": ""},
        ]
    }


def test_fields_inside_any_convert_by_their_type_url() -> None:
    proposal = gov_tx.MsgSubmitProposal(
        messages=[pack_any(create_alliance()), pack_any(validator())], title="t"
    )
    document = to_json_dict(proposal)
    first, second = document["messages"]
    assert first["@type"] == "/alliance.alliance.MsgCreateAlliance"
    assert (first["reward_weight"], first["take_rate"], first["reward_change_rate"]) == (
        "2.000000000000000000",
        "0.005000000000000000",
        "1.000000000000000000",
    )
    assert first["reward_weight_range"] == {"min": "0.000000000000000000", "max": "5.0" + "0" * 17}
    assert second["commission"]["commission_rates"]["rate"] == "0.100000000000000000"


def test_any_inside_a_tx_body_converts() -> None:
    body = tx_pb2.TxBody(messages=[pack_any(alliance_tx.MsgUpdateAlliance(take_rate=TENTH))])
    document = to_json_dict(tx_pb2.Tx(body=body))
    assert document["body"]["messages"][0]["take_rate"] == "0.100000000000000000"


def test_an_any_of_a_well_known_type_is_left_as_proto_json_prints_it() -> None:
    packed = any_pb2.Any()
    packed.Pack(timestamp_pb2.Timestamp(seconds=1), type_url_prefix="/")
    document = to_json_dict(gov_tx.MsgSubmitProposal(messages=[packed]))
    assert document["messages"] == [
        {"@type": "/google.protobuf.Timestamp", "value": "1970-01-01T00:00:01Z"}
    ]
    assert from_json_dict(gov_tx.MsgSubmitProposal, document).messages[0] == packed


def test_negative_and_zero_values() -> None:
    event = events_pb2.ChangeAllianceRewardWeightEvent(
        denom="d", previous_weight="-500000000000000000", new_weight="0"
    )
    document = to_json_dict(event)
    assert document == {
        "denom": "d",
        "previous_weight": "-0.500000000000000000",
        "new_weight": "0.000000000000000000",
    }
    assert from_json_dict(events_pb2.ChangeAllianceRewardWeightEvent, document) == event


def test_unannotated_strings_are_untouched() -> None:
    coin = to_json_dict(coin_pb2.Coin(denom="uxprt", amount="100000000000000000"))
    assert coin == {"denom": "uxprt", "amount": "100000000000000000"}
    deducted = to_json_dict(events_pb2.DeductAllianceAssetEvent(total_tokens=TENTH))
    assert deducted["total_tokens"] == TENTH
    # gov v1 decimals are plain decimal text upstream, with no scaling.
    tally = to_json_dict(gov_pb2.TallyParams(quorum="0.334", threshold="0.5"))
    assert (tally["quorum"], tally["threshold"]) == ("0.334", "0.5")
    assert from_json_dict(gov_pb2.TallyParams, tally).quorum == "0.334"


def test_unparsable_wire_text_is_printed_as_it_is() -> None:
    assert to_json_dict(coin_pb2.DecCoin(denom="x", amount="1.5"))["amount"] == "1.5"


@given(
    shares=st.integers(min_value=-MAX_RAW, max_value=MAX_RAW),
    rate=st.integers(min_value=0, max_value=10**18),
)
def test_round_trip_restores_the_wire_form(shares: int, rate: int) -> None:
    original = gov_tx.MsgSubmitProposal(
        messages=[pack_any(validator(str(shares), str(rate)))], proposer="p"
    )
    document = to_json_dict(original)
    shown = document["messages"][0]["delegator_shares"]
    assert shown == str(Dec.from_scaled(shares))
    assert from_json_dict(gov_tx.MsgSubmitProposal, document) == original


def test_a_signed_tx_round_trips_byte_for_byte() -> None:
    """Gentxs travel as JSON: reading one back must give the bytes that were signed."""
    message = staking_tx.MsgCreateValidator(
        commission=staking_pb2.CommissionRates(
            rate=TENTH, max_rate="200000000000000000", max_change_rate="0"
        ),
        min_self_delegation="1",
        validator_address="persistencevaloper1xyz",
        value=coin_pb2.Coin(denom="uxprt", amount="5"),
    )
    tx = tx_pb2.Tx(
        body=tx_pb2.TxBody(messages=[pack_any(message)], memo="m"), signatures=[b"\x01" * 64]
    )
    again = from_json_dict(tx_pb2.Tx, to_json_dict(tx))
    assert again.SerializeToString(deterministic=True) == tx.SerializeToString(deterministic=True)


def test_input_accepts_the_sdks_decimal_forms_and_camel_case_names() -> None:
    data = {"communityTax": "0.02", "base_proposer_reward": "1", "bonus_proposer_reward": "-0.5"}
    params = from_json_dict(distribution_pb2.Params, data)
    assert params.community_tax == "20000000000000000"
    assert params.base_proposer_reward == "1000000000000000000"
    assert params.bonus_proposer_reward == "-500000000000000000"


def test_input_is_not_modified() -> None:
    data = {"messages": [{"@type": "/alliance.alliance.MsgUpdateAlliance", "take_rate": "0.1"}]}
    kept = copy.deepcopy(data)
    parsed = from_json_dict(gov_tx.MsgSubmitProposal, data)
    assert data == kept
    assert parsed.messages[0].Is(alliance_tx.MsgUpdateAlliance.DESCRIPTOR)


def test_an_unset_dec_round_trips_as_unset() -> None:
    edit = staking_tx.MsgEditValidator(validator_address="v")
    document = to_json_dict(edit)
    assert document["commission_rate"] == ""
    assert from_json_dict(staking_tx.MsgEditValidator, document) == edit


@pytest.mark.parametrize(
    "text", ["0.1234567890123456789", "abc", "1e5", "1.2.3", "+1", " 1", "0x10"]
)
def test_input_rejects_what_is_not_a_decimal(text: str) -> None:
    with pytest.raises(json_format.ParseError, match=r"cosmos\.distribution\.v1beta1\.Params"):
        from_json_dict(distribution_pb2.Params, {"community_tax": text})


def test_scaled_input_is_read_as_a_decimal_as_the_sdk_does() -> None:
    parsed = from_json_dict(coin_pb2.DecCoin, {"denom": "x", "amount": "1"})
    assert parsed.amount == "1000000000000000000"


def test_malformed_shapes_are_left_to_parse_dict() -> None:
    with pytest.raises(json_format.ParseError):
        from_json_dict(gov_tx.MsgSubmitProposal, {"messages": [{"@type": "/no.Such"}]})
    with pytest.raises(json_format.ParseError):
        from_json_dict(staking_pb2.Validator, {"commission": "0.1"})
    with pytest.raises(json_format.ParseError):
        from_json_dict(coin_pb2.DecCoin, {"amount": 0.1})
