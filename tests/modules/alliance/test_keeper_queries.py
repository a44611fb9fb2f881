"""QRY-2 of vectors/alliance.md (grpc_query_test.go): every query shape and not-found text,
through the chain's query router, under the chain's names and under the reference's
(`cosmos` addresses, `stake` bond denom) where the texts must match byte for byte."""

from __future__ import annotations

import pytest
from google.protobuf.message import Message

from app.chain.errors import ChainError
from app.pb.alliance.alliance import query_pb2
from app.pb.cosmos.base.query.v1beta1 import pagination_pb2
from app.types import Dec, Timestamp, ValAddress, acc_to_bech32, val_to_bech32
from app.types.address import val_address_from_bech32
from app.types.time import HOUR, MINUTE, SECOND
from tests.modules.alliance.chain_fixture import AllianceChain, account
from tests.modules.alliance.conftest import ChainNames
from tests.modules.alliance.fixtures import make_asset

T0 = Timestamp(1_700_000_000 * SECOND)
A1, A2 = "alliance", "alliance2"
MISSING_VALIDATOR = "cosmosvaloper19lss6zgdh5vvcpjhfftdghrpsw7a4434elpwpu"
"""The operator the reference's not-found tests ask about (rendered here under each prefix)."""
DELEGATOR = account("delegator")


def query(app: AllianceChain, method: str, request: Message) -> Message:
    route = app.chain.query_router.route(f"/alliance.alliance.Query/{method}")
    assert route is not None
    return route.handle(app.ctx, request)


def scaled(value: int | str) -> str:
    return Dec.from_str(str(value)).to_proto_str()


def dec_coins(coins: object) -> list[tuple[str, str]]:
    return [(coin.denom, coin.amount) for coin in coins]  # type: ignore[attr-defined]


def two_assets_app(names: ChainNames, *, delegated: bool = False) -> AllianceChain:
    """Two genesis asset literals (no change rate set) and, if `delegated`, 1,000,000 of each
    delegated to V0 at height 1."""
    app = AllianceChain(names.bond_denom, time=T0, height=1)
    app.set_assets(
        make_asset(A1, "2", rate="0"),
        make_asset(A2, "10", take="0.14159265359", rate="0", weight_range=("2", "12")),
    )
    if delegated:
        for denom in (A1, A2):
            app.fund(DELEGATOR, 1_000_000, denom)
            app.delegate(DELEGATOR, app.v0, 1_000_000, denom)
    return app


def missing_validator() -> str:
    """The reference's missing operator under the configured prefix."""
    return val_to_bech32(val_address_from_bech32(MISSING_VALIDATOR, "cosmosvaloper"))


def test_query_alliances(chain: ChainNames) -> None:
    response = query(two_assets_app(chain), "Alliances", query_pb2.QueryAlliancesRequest())
    assert isinstance(response, query_pb2.QueryAlliancesResponse)
    assert [a.denom for a in response.alliances] == [A1, A2]
    assert [a.take_rate for a in response.alliances] == [scaled(0), scaled("0.14159265359")]
    for asset in response.alliances:
        assert asset.total_validator_shares == scaled(0)
        assert asset.reward_change_rate == scaled(0)
        assert asset.reward_change_interval.seconds == 0
    assert response.pagination.total == 2


@pytest.mark.parametrize(("stored", "asked"), [(A2, A2), ("ibc/alliance2", "ibc%2Falliance2")])
def test_query_an_unique_alliance(chain: ChainNames, stored: str, asked: str) -> None:
    app = AllianceChain(chain.bond_denom, time=T0, height=1)
    app.set_assets(make_asset(A1, "2"), make_asset(stored, "10", weight_range=("2", "12")))
    response = query(app, "Alliance", query_pb2.QueryAllianceRequest(denom=asked))
    assert isinstance(response, query_pb2.QueryAllianceResponse)
    assert response.alliance.denom == stored
    assert response.alliance.reward_weight == scaled(10)


def test_query_alliance_not_found_and_none_at_all(chain: ChainNames) -> None:
    app = AllianceChain(chain.bond_denom, time=T0, height=1)
    app.set_assets()
    with pytest.raises(ChainError, match=r"^alliance asset is not whitelisted"):
        query(app, "Alliance", query_pb2.QueryAllianceRequest(denom=A1))
    response = query(app, "Alliances", query_pb2.QueryAlliancesRequest())
    assert isinstance(response, query_pb2.QueryAlliancesResponse)
    assert list(response.alliances) == [] and response.pagination.total == 0


def test_query_params(chain: ChainNames) -> None:
    app = AllianceChain(chain.bond_denom, time=T0, height=1)
    app.set_assets()
    response = query(app, "Params", query_pb2.QueryParamsRequest())
    assert isinstance(response, query_pb2.QueryParamsResponse)
    assert response.params.reward_delay_time.seconds * SECOND == 168 * HOUR
    assert response.params.take_rate_claim_interval.seconds * SECOND == 5 * MINUTE


def test_query_alliance_delegation_and_by_validator(chain: ChainNames) -> None:
    app = two_assets_app(chain, delegated=True)
    delegator, validator = acc_to_bech32(DELEGATOR), val_to_bech32(app.v0)
    assert delegator.startswith(chain.account_prefix + "1")
    response = query(
        app,
        "AllianceDelegation",
        query_pb2.QueryAllianceDelegationRequest(
            delegator_addr=delegator, validator_addr=validator, denom=A1
        ),
    )
    assert isinstance(response, query_pb2.QueryAllianceDelegationResponse)
    found = response.delegation
    assert (found.delegation.delegator_address, found.delegation.validator_address) == (
        delegator,
        validator,
    )
    assert found.delegation.shares == scaled(1_000_000)
    assert list(found.delegation.reward_history) == []
    assert found.delegation.last_reward_claim_height == 1
    assert (found.balance.denom, found.balance.amount) == (A1, "1000000")
    by_validator = query(
        app,
        "AlliancesDelegationByValidator",
        query_pb2.QueryAlliancesDelegationByValidatorRequest(
            delegator_addr=delegator,
            validator_addr=validator,
            pagination=pagination_pb2.PageRequest(count_total=True),
        ),
    )
    assert isinstance(by_validator, query_pb2.QueryAlliancesDelegationsResponse)
    assert [d.delegation.shares for d in by_validator.delegations] == [scaled(1_000_000)] * 2
    assert by_validator.pagination.total == 2


def test_query_alliance_delegation_not_found(chain: ChainNames) -> None:
    app = AllianceChain(chain.bond_denom, time=T0, height=1)
    app.set_assets()
    request = query_pb2.QueryAllianceDelegationRequest(
        delegator_addr=acc_to_bech32(DELEGATOR), validator_addr=val_to_bech32(app.v0), denom=A1
    )
    with pytest.raises(ChainError) as error:
        query(app, "AllianceDelegation", request)
    assert error.value.message == "AllianceAsset not found by denom alliance"


def test_query_validator_not_found(chain: ChainNames) -> None:
    app = two_assets_app(chain, delegated=True)
    expected = f"Validator not found by address {missing_validator()}"
    if chain.account_prefix == "cosmos":
        assert expected.endswith(MISSING_VALIDATOR)
    requests: list[tuple[str, Message]] = [
        (
            "AllianceValidator",
            query_pb2.QueryAllianceValidatorRequest(validator_addr=missing_validator()),
        ),
        (
            "AlliancesDelegationByValidator",
            query_pb2.QueryAlliancesDelegationByValidatorRequest(
                delegator_addr=acc_to_bech32(DELEGATOR), validator_addr=missing_validator()
            ),
        ),
    ]
    for method, request in requests:
        with pytest.raises(ChainError) as error:
            query(app, method, request)
        assert error.value.message == expected


def test_query_delegations_of_a_delegator_and_all_paged(chain: ChainNames) -> None:
    app = two_assets_app(chain, delegated=True)
    response = query(
        app,
        "AlliancesDelegation",
        query_pb2.QueryAlliancesDelegationsRequest(
            delegator_addr=acc_to_bech32(DELEGATOR),
            pagination=pagination_pb2.PageRequest(count_total=True),
        ),
    )
    assert isinstance(response, query_pb2.QueryAlliancesDelegationsResponse)
    assert [d.delegation.denom for d in response.delegations] == [A1, A2]
    assert response.pagination.total == 2
    pages: list[str] = []
    page = pagination_pb2.PageRequest(limit=1)
    for _ in range(2):
        paged = query(
            app,
            "AllAlliancesDelegations",
            query_pb2.QueryAllAlliancesDelegationsRequest(pagination=page),
        )
        assert isinstance(paged, query_pb2.QueryAlliancesDelegationsResponse)
        pages += [d.delegation.denom for d in paged.delegations]
        page = pagination_pb2.PageRequest(key=paged.pagination.next_key, limit=1)
    assert pages == [A1, A2]


def test_query_validator(chain: ChainNames) -> None:
    app = two_assets_app(chain, delegated=True)
    response = query(
        app,
        "AllianceValidator",
        query_pb2.QueryAllianceValidatorRequest(validator_addr=val_to_bech32(app.v0)),
    )
    assert isinstance(response, query_pb2.QueryAllianceValidatorResponse)
    expected = [(A1, scaled(1_000_000)), (A2, scaled(1_000_000))]
    assert response.validator_addr == val_to_bech32(app.v0)
    assert dec_coins(response.total_delegation_shares) == expected
    assert dec_coins(response.validator_shares) == expected
    assert dec_coins(response.total_staked) == expected


def test_query_validators_paged(chain: ChainNames) -> None:
    app = two_assets_app(chain)
    v1 = app.add_validator(1)
    placed: list[tuple[ValAddress, str]] = [(app.v0, A1), (v1, A2)]
    for operator, denom in placed:
        app.fund(DELEGATOR, 1_000_000, denom)
        app.delegate(DELEGATOR, operator, 1_000_000, denom)
    seen: list[tuple[str, list[tuple[str, str]]]] = []
    page = pagination_pb2.PageRequest(limit=1)
    for _ in placed:
        response = query(
            app,
            "AllAllianceValidators",
            query_pb2.QueryAllAllianceValidatorsRequest(pagination=page),
        )
        assert isinstance(response, query_pb2.QueryAllianceValidatorsResponse)
        (validator,) = response.validators
        fields = {
            dec_coins(validator.total_delegation_shares)[0],
            dec_coins(validator.validator_shares)[0],
            dec_coins(validator.total_staked)[0],
        }
        assert len(fields) == 1
        seen.append((validator.validator_addr, sorted(fields)))
        page = pagination_pb2.PageRequest(key=response.pagination.next_key, limit=1)
    assert sorted(seen) == sorted(
        (val_to_bech32(operator), [(denom, scaled(1_000_000))]) for operator, denom in placed
    )
