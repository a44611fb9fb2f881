"""Messages through the chain's router (bad input: a clear code, nothing changed), genesis
GEN-1/GEN-2, GOV-1 and the query shapes of QRY-2 / UNB-1."""

from __future__ import annotations

import pytest
from google.protobuf import duration_pb2
from google.protobuf.message import Message

from app.chain.errors import ChainError
from app.codec import type_url_of
from app.modules.alliance import genesis
from app.modules.alliance.types import Params
from app.pb.alliance.alliance import alliance_pb2, query_pb2, tx_pb2
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.types import Coin, Dec, Int, Timestamp, acc_to_bech32, module_address, val_to_bech32
from app.types.time import HOUR, MILLISECOND, SECOND, Duration, timestamp_to_proto
from tests.modules.alliance.chain_fixture import AllianceChain, account
from tests.modules.alliance.fixtures import make_asset

T0 = Timestamp(1_700_000_000 * SECOND)
GOV = acc_to_bech32(module_address("gov"))


def run(chain: AllianceChain, msg: Message) -> Message:
    route = chain.chain.msg_router.route(type_url_of(msg))
    assert route is not None
    route.validate_basic(msg)
    return route.handle(chain.ctx, msg)


def query(chain: AllianceChain, method: str, request: Message) -> Message:
    route = chain.chain.query_router.route(f"/alliance.alliance.Query/{method}")
    assert route is not None
    return route.handle(chain.ctx, request)


def dec(text: str) -> str:
    return Dec.from_str(text).to_proto_str()


def create_msg(denom: str, authority: str = GOV, **fields: str) -> tx_pb2.MsgCreateAlliance:
    return tx_pb2.MsgCreateAlliance(
        authority=authority,
        denom=denom,
        reward_weight=dec(fields.get("weight", "1")),
        take_rate=dec(fields.get("take", "0")),
        reward_change_rate=dec(fields.get("rate", "1")),
        reward_change_interval=duration_pb2.Duration(),
        reward_weight_range=alliance_pb2.RewardWeightRange(
            min=dec(fields.get("min", "0")), max=dec(fields.get("max", "5"))
        ),
    )


def test_gov1_create_update_delete() -> None:
    chain = AllianceChain()
    chain.set_assets()
    run(chain, create_msg("uluna", take="0.5"))
    alliances = query(chain, "Alliances", query_pb2.QueryAlliancesRequest())
    assert isinstance(alliances, query_pb2.QueryAlliancesResponse)
    (asset,) = alliances.alliances
    assert asset.reward_start_time.ToJsonString() == "0001-01-08T00:00:00Z"
    assert asset.last_reward_change_time == asset.reward_start_time
    with pytest.raises(ChainError) as error:
        run(chain, create_msg("uluna"))
    assert error.value.code == 31
    update = tx_pb2.MsgUpdateAlliance(
        authority=GOV,
        denom="uluna",
        reward_weight=dec("11"),
        take_rate=dec("0"),
        reward_change_rate=dec("1"),
        reward_change_interval=duration_pb2.Duration(),
        reward_weight_range=alliance_pb2.RewardWeightRange(min=dec("0"), max=dec("11")),
    )
    run(chain, update)
    assert chain.asset("uluna").reward_weight == Dec.from_int(11)
    run(chain, tx_pb2.MsgDeleteAlliance(authority=GOV, denom="uluna"))
    assert chain.keeper.get_all_assets(chain.ctx) == []


@pytest.mark.parametrize(
    ("msg", "code"),
    [
        (create_msg("ibc/x", authority=acc_to_bech32(b"\x01" * 20)), ("sdk", 4)),
        (create_msg("ibc/x", weight="6"), ("alliance", 40)),
        (create_msg("ibc/x", min="3", max="2", weight="2"), ("alliance", 42)),
        (create_msg("ibc/x", take="1"), ("alliance", 43)),
        (create_msg("ibc/x", rate="0"), ("alliance", 44)),
        (create_msg("stake"), ("alliance", 34)),
        (create_msg(""), ("alliance", 32)),
    ],
)
def test_create_alliance_bad_input(msg: tx_pb2.MsgCreateAlliance, code: tuple[str, int]) -> None:
    chain = AllianceChain()
    chain.set_assets()
    with pytest.raises(ChainError) as error:
        run(chain, msg)
    assert (error.value.codespace, error.value.code) == code
    assert chain.keeper.get_all_assets(chain.ctx) == []


def test_update_params_authority_and_zero_interval() -> None:
    chain = AllianceChain()
    chain.set_assets()
    params = Params(Duration(100), Duration(100), T0)
    run(chain, tx_pb2.MsgUpdateParams(authority=GOV, params=params.to_proto()))
    assert chain.keeper.get_params(chain.ctx) == params
    with pytest.raises(ChainError) as error:
        run(
            chain,
            tx_pb2.MsgUpdateParams(authority=acc_to_bech32(b"\x02" * 20), params=params.to_proto()),
        )
    assert error.value.code == 4
    zero = Params(Duration(100), Duration(0), T0)
    with pytest.raises(ChainError) as error:
        run(chain, tx_pb2.MsgUpdateParams(authority=GOV, params=zero.to_proto()))
    assert (error.value.codespace, error.value.code) == ("alliance", 50)


@pytest.mark.parametrize(
    ("amount", "denom", "code"),
    [
        ("0", "alliance", ("alliance", 22)),
        ("1", "unknown", ("alliance", 30)),
        ("2000001", "alliance", ("sdk", 5)),
    ],
)
def test_delegate_bad_input(amount: str, denom: str, code: tuple[str, int]) -> None:
    chain = AllianceChain()
    chain.set_assets(make_asset("alliance", "2"))
    user = account("user")
    chain.fund(user, 2_000_000, "alliance")
    msg = tx_pb2.MsgDelegate(
        delegator_address=acc_to_bech32(user),
        validator_address=val_to_bech32(chain.v0),
        amount=coin_pb2.Coin(denom=denom, amount=amount),
    )
    with pytest.raises(ChainError) as error:
        run(chain, msg)
    assert (error.value.codespace, error.value.code) == code
    assert chain.balance(user, "alliance") == 2_000_000


def test_claim_without_delegation_and_excess_undelegation() -> None:
    chain = AllianceChain()
    chain.set_assets(make_asset("alliance", "2"))
    user = account("user")
    chain.fund(user, 2_000_000, "alliance")
    claim = tx_pb2.MsgClaimDelegationRewards(
        delegator_address=acc_to_bech32(user),
        validator_address=val_to_bech32(chain.v0),
        denom="alliance",
    )
    with pytest.raises(ChainError) as error:
        run(chain, claim)
    assert (error.value.codespace, error.value.code) == ("staking", 21)
    chain.delegate(user, chain.v0, 1_000_000, "alliance")
    undelegate = tx_pb2.MsgUndelegate(
        delegator_address=acc_to_bech32(user),
        validator_address=val_to_bech32(chain.v0),
        amount=coin_pb2.Coin(denom="alliance", amount="1000001"),
    )
    with pytest.raises(ChainError):
        run(chain, undelegate)
    assert chain.asset("alliance").total_tokens == Int(1_000_000)


def test_undelegation_entry_cap() -> None:
    chain = AllianceChain()
    chain.set_assets(make_asset("alliance", "2"))
    user = account("user")
    chain.fund(user, 100, "alliance")
    chain.delegate(user, chain.v0, 100, "alliance")
    for _ in range(7):
        chain.keeper.undelegate(chain.ctx, user, chain.v0, Coin("alliance", Int(1)))
    with pytest.raises(ChainError) as error:
        chain.keeper.undelegate(chain.ctx, user, chain.v0, Coin("alliance", Int(1)))
    assert error.value.code == 15


def test_gen1_genesis_params_and_bond_denom_asset() -> None:
    chain = AllianceChain()
    section = {
        "params": {
            "reward_delay_time": "0.001s",
            "take_rate_claim_interval": "0.001s",
            "last_take_rate_claim_time": "1970-01-01T00:00:00Z",
        },
        "assets": [
            {
                "denom": "stake",
                "reward_weight": "1",
                "take_rate": "0",
                "total_tokens": "0",
                "total_validator_shares": "0",
                "reward_start_time": "0001-01-01T00:00:00Z",
                "reward_change_rate": "1",
                "reward_change_interval": "0s",
                "last_reward_change_time": "0001-01-01T00:00:00Z",
                "reward_weight_range": {"min": "0", "max": "2"},
                "is_initialized": False,
            }
        ],
    }
    genesis.validate_genesis(section)
    genesis.init_genesis(chain.keeper, chain.ctx, section)
    params = chain.keeper.get_params(chain.ctx)
    assert params == Params(Duration(MILLISECOND), Duration(MILLISECOND), Timestamp(0))
    (asset,) = chain.keeper.get_all_assets(chain.ctx)
    assert asset == make_asset("stake", "1", weight_range=("0", "2"))
    with pytest.raises(ChainError):
        genesis.validate_genesis(
            {**section, "params": {**section["params"], "take_rate_claim_interval": "0s"}}
        )


def test_gen2_export_and_import_round_trip() -> None:
    chain = AllianceChain(time=T0, height=1)
    chain.set_assets(params=Params(Duration(MILLISECOND), Duration(MILLISECOND), Timestamp(0)))
    v2 = chain.add_validator(2)
    run(chain, create_msg("alliance", rate="0.5"))
    chain.fund(chain.g, 10**9, "alliance")
    chain.at(time=Timestamp(T0 + MILLISECOND))
    chain.delegate(chain.g, chain.v0, 10**9, "alliance")
    chain.keeper.redelegate(chain.ctx, chain.g, chain.v0, v2, Coin("alliance", Int(5 * 10**8)))
    chain.keeper.undelegate(chain.ctx, chain.g, chain.v0, Coin("alliance", Int(5 * 10**8)))
    chain.at(time=Timestamp(T0 + 25 * HOUR), height=2)
    update = tx_pb2.MsgUpdateAlliance(
        authority=GOV,
        denom="alliance",
        reward_weight=dec("0.5"),
        take_rate="0",
        reward_change_rate=dec("0.5"),
        reward_change_interval=duration_pb2.Duration(),
        reward_weight_range=alliance_pb2.RewardWeightRange(min="0", max=dec("1")),
    )
    run(chain, update)
    exported = genesis.export_genesis(chain.keeper, chain.ctx)
    for field in (
        "assets",
        "validator_infos",
        "delegations",
        "undelegations",
        "redelegations",
        "reward_weight_change_snaphots",
    ):
        assert exported[field], field
    fresh = AllianceChain(time=T0, height=2)
    genesis.init_genesis(fresh.keeper, fresh.ctx, exported)
    assert genesis.export_genesis(fresh.keeper, fresh.ctx) == exported


def test_qry2_and_unb1_query_shapes() -> None:
    chain = AllianceChain(time=T0, height=1)
    chain.set_assets(
        make_asset("alliance", "2"), make_asset("ibc/alliance2", "10", take="0.14159265359")
    )
    found = query(chain, "Alliance", query_pb2.QueryAllianceRequest(denom="ibc%2Falliance2"))
    assert isinstance(found, query_pb2.QueryAllianceResponse)
    assert found.alliance.denom == "ibc/alliance2"
    with pytest.raises(ChainError, match="alliance asset is not whitelisted"):
        query(chain, "Alliance", query_pb2.QueryAllianceRequest(denom="nope"))
    params = query(chain, "Params", query_pb2.QueryParamsRequest())
    assert isinstance(params, query_pb2.QueryParamsResponse)
    assert params.params.reward_delay_time.seconds == 168 * 3600
    user = account("user")
    chain.fund(user, 2 * 10**9, "alliance")
    assert chain.delegate(user, chain.v0, 10**9, "alliance") == Dec.from_int(10**9)
    request = query_pb2.QueryAllianceDelegationRequest(
        delegator_addr=acc_to_bech32(user), validator_addr=val_to_bech32(chain.v0), denom="alliance"
    )
    response = query(chain, "AllianceDelegation", request)
    assert isinstance(response, query_pb2.QueryAllianceDelegationResponse)
    assert response.delegation.balance.amount == str(10**9)
    assert response.delegation.delegation.last_reward_claim_height == 1
    validator = query(
        chain,
        "AllianceValidator",
        query_pb2.QueryAllianceValidatorRequest(validator_addr=val_to_bech32(chain.v0)),
    )
    assert isinstance(validator, query_pb2.QueryAllianceValidatorResponse)
    assert [c.amount for c in validator.total_staked] == [Dec.from_int(10**9).to_proto_str()]
    chain.keeper.undelegate(chain.ctx, user, chain.v0, Coin("alliance", Int(10**9)))
    unbondings = query(
        chain,
        "AllianceUnbondings",
        query_pb2.QueryAllianceUnbondingsRequest(
            denom="alliance",
            delegator_addr=acc_to_bech32(user),
            validator_addr=val_to_bech32(chain.v0),
        ),
    )
    assert isinstance(unbondings, query_pb2.QueryAllianceUnbondingsResponse)
    (entry,) = unbondings.unbondings
    assert entry.amount == str(10**9)
    assert entry.completion_time == timestamp_to_proto(Timestamp(T0 + 21 * 24 * HOUR))
    page = query(
        chain,
        "AllAlliancesDelegations",
        query_pb2.QueryAllAlliancesDelegationsRequest(
            pagination=pagination_pb2.PageRequest(limit=1, count_total=True)
        ),
    )
    assert isinstance(page, query_pb2.QueryAlliancesDelegationsResponse)
    assert page.pagination.total == 0
