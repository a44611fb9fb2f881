"""Distribution genesis: ``app_state.distribution`` (``GenesisState`` of x/distribution).

`parse_genesis` is pure (addresses, decimals, params); `init_genesis` writes every record and
checks that the module account holds exactly the whole coins of the outstanding rewards plus
the community pool; `export_genesis` reads the records back.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf import json_format

from app.chain.addresses import format_acc_address, parse_acc_address
from app.chain.context import Context
from app.chain.errors import (
    ErrInvalidAddress,
    ErrInvalidRequest,
    ErrJSONUnmarshal,
    InvariantViolation,
)
from app.chain.module import GenesisJSON
from app.codec import from_json_dict, to_json_dict
from app.modules.distribution import state
from app.modules.distribution.keeper import MODULE_NAME, DistributionKeeper
from app.modules.distribution.msgs import params_from_proto, parse_val_address
from app.modules.distribution.state import (
    CurrentRewards,
    HistoricalRewards,
    Params,
    SlashEvent,
    StartingInfo,
    dec_coins_to_proto,
)
from app.pb.cosmos.distribution.v1beta1 import distribution_pb2, genesis_pb2
from app.types.address import cons_address_from_bech32, cons_to_bech32, val_to_bech32
from app.types.coin import DecCoins
from app.types.errors import AddressError, TypesError

__all__ = [
    "DistributionGenesis",
    "default_genesis",
    "export_genesis",
    "init_genesis",
    "validate_genesis",
]


@dataclass(frozen=True, slots=True)
class DistributionGenesis:
    """The checked content of the distribution section."""

    params: Params
    community_pool: DecCoins
    withdraw_addrs: tuple[tuple[bytes, bytes], ...]
    previous_proposer: bytes
    outstanding: tuple[tuple[bytes, DecCoins], ...]
    commissions: tuple[tuple[bytes, DecCoins], ...]
    historical: tuple[tuple[bytes, int, HistoricalRewards], ...]
    current: tuple[tuple[bytes, CurrentRewards], ...]
    starting_infos: tuple[tuple[bytes, bytes, StartingInfo], ...]
    slash_events: tuple[tuple[bytes, int, SlashEvent], ...]


def default_genesis() -> GenesisJSON:
    """Default params (community tax 0.02), an empty pool and no records."""
    return to_json_dict(
        genesis_pb2.GenesisState(params=Params().to_proto(), fee_pool=distribution_pb2.FeePool())
    )


def parse_genesis(genesis: GenesisJSON) -> DistributionGenesis:
    """The section, checked without touching state.

    Raises:
        ChainError: sdk 17 malformed JSON; sdk 7 a bad address; sdk 18 bad params or amounts.
    """
    try:
        pb = from_json_dict(genesis_pb2.GenesisState, genesis)
    except json_format.ParseError as exc:
        raise ErrJSONUnmarshal.wrap(f"distribution genesis: {exc}") from None
    try:
        return _parse(pb)
    except (TypesError, ValueError) as exc:
        raise ErrInvalidRequest.wrap(f"distribution genesis: {exc}") from None


def _parse(pb: genesis_pb2.GenesisState) -> DistributionGenesis:
    val = parse_val_address
    return DistributionGenesis(
        params=params_from_proto(pb.params),
        community_pool=DecCoins.from_proto(pb.fee_pool.community_pool),
        withdraw_addrs=tuple(
            (
                parse_acc_address(info.delegator_address, "delegator"),
                parse_acc_address(info.withdraw_address, "withdraw"),
            )
            for info in pb.delegator_withdraw_infos
        ),
        previous_proposer=_cons_address(pb.previous_proposer),
        outstanding=tuple(
            (val(r.validator_address, "validator"), DecCoins.from_proto(r.outstanding_rewards))
            for r in pb.outstanding_rewards
        ),
        commissions=tuple(
            (
                val(r.validator_address, "validator"),
                DecCoins.from_proto(r.accumulated.commission),
            )
            for r in pb.validator_accumulated_commissions
        ),
        historical=tuple(
            (
                val(r.validator_address, "validator"),
                r.period,
                HistoricalRewards.from_proto(r.rewards),
            )
            for r in pb.validator_historical_rewards
        ),
        current=tuple(
            (val(r.validator_address, "validator"), CurrentRewards.from_proto(r.rewards))
            for r in pb.validator_current_rewards
        ),
        starting_infos=tuple(
            (
                val(r.validator_address, "validator"),
                parse_acc_address(r.delegator_address, "delegator"),
                StartingInfo.from_proto(r.starting_info),
            )
            for r in pb.delegator_starting_infos
        ),
        slash_events=tuple(
            (
                val(r.validator_address, "validator"),
                r.height,
                SlashEvent.from_proto(r.validator_slash_event),
            )
            for r in pb.validator_slash_events
        ),
    )


def _cons_address(text: str) -> bytes:
    if not text:
        return b""
    try:
        return cons_address_from_bech32(text)
    except AddressError as exc:
        raise ErrInvalidAddress.wrap(f"invalid previous proposer address: {exc}") from None


def validate_genesis(genesis: GenesisJSON) -> None:
    parse_genesis(genesis)


def init_genesis(keeper: DistributionKeeper, ctx: Context, genesis: GenesisJSON) -> None:
    """Write the section.

    Raises:
        InvariantViolation: the module account's balance differs from the whole coins of the
        outstanding rewards plus the community pool (the SDK panics).
    """
    parsed = parse_genesis(genesis)
    store = ctx.store(state.STORE_NAME)
    keeper.set_params(ctx, parsed.params)
    state.set_community_pool(store, parsed.community_pool)
    for delegator, withdraw in parsed.withdraw_addrs:
        state.set_withdraw_addr(store, delegator, withdraw)
    if parsed.previous_proposer:
        state.set_previous_proposer(store, parsed.previous_proposer)
    holdings = parsed.community_pool
    for operator, rewards in parsed.outstanding:
        state.set_outstanding(store, operator, rewards)
        holdings = holdings + rewards
    for operator, commission in parsed.commissions:
        state.set_commission(store, operator, commission)
    for operator, period, historical in parsed.historical:
        state.set_historical(store, operator, period, historical)
    for operator, current in parsed.current:
        state.set_current(store, operator, current)
    for operator, delegator, info in parsed.starting_infos:
        state.set_starting_info(store, operator, delegator, info)
    for operator, height, event in parsed.slash_events:
        state.set_slash_event(store, operator, height, event)
    account = keeper.accounts.get_module_account(ctx, MODULE_NAME)
    balances = keeper.bank.get_all_balances(ctx, account.address)
    expected, _ = holdings.truncate_decimal()
    if balances != expected:
        raise InvariantViolation(
            "distribution module balance does not match the module holdings: "
            f"{balances} <-> {expected}"
        )


def export_genesis(keeper: DistributionKeeper, ctx: Context) -> GenesisJSON:
    """Every record, in store order."""
    store = ctx.store(state.STORE_NAME)
    proposer = state.get_previous_proposer(store)
    pb = genesis_pb2.GenesisState(
        params=keeper.get_params(ctx).to_proto(),
        fee_pool=distribution_pb2.FeePool(
            community_pool=dec_coins_to_proto(state.get_community_pool(store))
        ),
        delegator_withdraw_infos=[
            genesis_pb2.DelegatorWithdrawInfo(
                delegator_address=format_acc_address(delegator),
                withdraw_address=format_acc_address(withdraw),
            )
            for delegator, withdraw in state.iterate_withdraw_addrs(store)
        ],
        previous_proposer=cons_to_bech32(proposer) if proposer else "",
        outstanding_rewards=[
            genesis_pb2.ValidatorOutstandingRewardsRecord(
                validator_address=val_to_bech32(operator),
                outstanding_rewards=dec_coins_to_proto(rewards),
            )
            for operator, rewards in state.iterate_outstanding(store)
        ],
        validator_accumulated_commissions=[
            genesis_pb2.ValidatorAccumulatedCommissionRecord(
                validator_address=val_to_bech32(operator),
                accumulated=distribution_pb2.ValidatorAccumulatedCommission(
                    commission=dec_coins_to_proto(commission)
                ),
            )
            for operator, commission in state.iterate_commissions(store)
        ],
        validator_historical_rewards=[
            genesis_pb2.ValidatorHistoricalRewardsRecord(
                validator_address=val_to_bech32(operator),
                period=period,
                rewards=record.to_proto(),
            )
            for operator, period, record in state.iterate_historical(store)
        ],
        validator_current_rewards=[
            genesis_pb2.ValidatorCurrentRewardsRecord(
                validator_address=val_to_bech32(operator), rewards=record.to_proto()
            )
            for operator, record in state.iterate_current(store)
        ],
        delegator_starting_infos=[
            genesis_pb2.DelegatorStartingInfoRecord(
                delegator_address=format_acc_address(delegator),
                validator_address=val_to_bech32(operator),
                starting_info=info.to_proto(),
            )
            for operator, delegator, info in state.iterate_starting_infos(store)
        ],
        validator_slash_events=[
            genesis_pb2.ValidatorSlashEventRecord(
                validator_address=val_to_bech32(operator),
                height=height,
                period=event.validator_period,
                validator_slash_event=event.to_proto(),
            )
            for operator, height, event in state.iterate_slash_events(store)
        ],
    )
    return to_json_dict(pb)
