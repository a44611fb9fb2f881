"""Alliance genesis: ``app_state.alliance`` (proto-JSON of ``alliance.alliance.GenesisState``,
decimals as the scaled integer's text like every LegacyDec field of this chain).

`parse_genesis` is pure and is the validation (spec §14): params (a zero take-rate interval is
refused), valid asset denoms (the bond denom and inverted ranges are accepted, as upstream, so
GEN-1 holds), addresses, delegations only with assets and validator infos, redelegations only
with delegations. `init_genesis` writes it; `export_genesis` reads it back (the rebalance flag
is not exported).
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf import json_format

from app.chain.context import Context
from app.chain.kv import KVStore
from app.chain.module import GenesisJSON
from app.codec import from_json_dict, to_json_dict
from app.modules.alliance import errors, state
from app.modules.alliance.keeper import AllianceKeeper
from app.modules.alliance.state import ParsedRedelegationIndexKey, ParsedUndelegationIndexKey
from app.modules.alliance.types import (
    AllianceAsset,
    AllianceValidatorInfo,
    Delegation,
    Params,
    QueuedRedelegation,
    QueuedUndelegation,
    Redelegation,
    RewardWeightChangeSnapshot,
    validate_params,
)
from app.pb.alliance.alliance import genesis_pb2
from app.types.address import (
    AccAddress,
    ValAddress,
    acc_address_from_bech32,
    val_address_from_bech32,
    val_to_bech32,
)
from app.types.coin import validate_denom
from app.types.errors import TypesError
from app.types.time import Timestamp, timestamp_from_proto, timestamp_to_proto

__all__ = [
    "AllianceGenesis",
    "default_genesis",
    "export_genesis",
    "init_genesis",
    "parse_genesis",
    "validate_genesis",
]


@dataclass(frozen=True, slots=True)
class AllianceGenesis:
    """The checked content of the alliance section."""

    params: Params
    assets: tuple[AllianceAsset, ...]
    validator_infos: tuple[tuple[ValAddress, AllianceValidatorInfo], ...]
    snapshots: tuple[tuple[str, ValAddress, int, RewardWeightChangeSnapshot], ...]
    delegations: tuple[Delegation, ...]
    redelegations: tuple[tuple[Timestamp, Redelegation], ...]
    undelegations: tuple[tuple[Timestamp, QueuedUndelegation], ...]


def default_genesis() -> GenesisJSON:
    """Default params (7-day reward delay, 5-minute take-rate periods), nothing else."""
    return to_json_dict(genesis_pb2.GenesisState(params=Params.default().to_proto()))


def parse_genesis(genesis: GenesisJSON) -> AllianceGenesis:
    """The section, checked without touching state.

    Raises:
        ChainError: `ErrInvalidGenesis` naming the fault; `ErrInvalidParams`.
    """
    try:
        pb = from_json_dict(genesis_pb2.GenesisState, genesis)
        parsed = _parse(pb)
    except (json_format.ParseError, TypesError, ValueError) as exc:
        raise errors.ErrInvalidGenesis.wrap(str(exc)) from None
    validate_params(parsed.params)
    if parsed.delegations and not (parsed.assets and parsed.validator_infos):
        raise errors.ErrInvalidGenesis.wrap("delegations need assets and validator infos")
    if parsed.redelegations and not parsed.delegations:
        raise errors.ErrInvalidGenesis.wrap("redelegations need delegations")
    return parsed


def _parse(pb: genesis_pb2.GenesisState) -> AllianceGenesis:
    assets = tuple(AllianceAsset.from_proto(item) for item in pb.assets)
    for asset in assets:
        validate_denom(asset.denom)
    delegations = tuple(Delegation.from_proto(item) for item in pb.delegations)
    for delegation in delegations:
        acc_address_from_bech32(delegation.delegator_address)
        val_address_from_bech32(delegation.validator_address)
    redelegations = tuple(
        (timestamp_from_proto(item.completion_time), Redelegation.from_proto(item.redelegation))
        for item in pb.redelegations
    )
    undelegations = tuple(
        (
            timestamp_from_proto(item.completion_time),
            QueuedUndelegation.from_proto(item.undelegation),
        )
        for item in pb.undelegations
    )
    if any(not bucket.entries for _, bucket in undelegations):
        raise ValueError("an undelegation bucket has no entries")
    return AllianceGenesis(
        params=Params.from_proto(pb.params),
        assets=assets,
        validator_infos=tuple(
            (
                val_address_from_bech32(item.validator_address),
                AllianceValidatorInfo.from_proto(item.validator),
            )
            for item in pb.validator_infos
        ),
        snapshots=tuple(
            (
                item.denom,
                val_address_from_bech32(item.validator),
                item.height,
                RewardWeightChangeSnapshot.from_proto(item.snapshot),
            )
            for item in pb.reward_weight_change_snaphots
        ),
        delegations=delegations,
        redelegations=redelegations,
        undelegations=undelegations,
    )


def validate_genesis(genesis: GenesisJSON) -> None:
    """`parse_genesis` for its errors only."""
    parse_genesis(genesis)


def init_genesis(keeper: AllianceKeeper, ctx: Context, genesis: GenesisJSON) -> None:
    """Write every record of the (validated) section.

    Each redelegation gets its record, source index and one queue entry (upstream queues it
    twice, which only changes a count nobody reads); each undelegation bucket is stored under
    its first entry's delegator with one index per entry.
    """
    parsed = parse_genesis(genesis)
    store = ctx.store(state.STORE_NAME)
    state.set_params(store, parsed.params)
    for asset in parsed.assets:
        state.set_asset(store, asset)
    for operator, info in parsed.validator_infos:
        state.set_validator_info(store, operator, info)
    for delegation in parsed.delegations:
        delegator = acc_address_from_bech32(delegation.delegator_address)
        operator = val_address_from_bech32(delegation.validator_address)
        state.set_delegation(store, delegator, operator, delegation)
    for completion, redelegation in parsed.redelegations:
        _init_redelegation(store, completion, redelegation)
    for completion, bucket in parsed.undelegations:
        delegator = acc_address_from_bech32(bucket.entries[0].delegator_address)
        state.set_undelegation_bucket(store, completion, delegator, bucket)
        for entry in bucket.entries:
            state.set_undelegation_index(
                store,
                ParsedUndelegationIndexKey(
                    val_address_from_bech32(entry.validator_address),
                    completion,
                    entry.balance.denom,
                    delegator,
                ),
            )
    for denom, operator, height, snapshot in parsed.snapshots:
        state.set_snapshot(store, denom, operator, height, snapshot)


def _init_redelegation(store: KVStore, completion: Timestamp, record: Redelegation) -> None:
    delegator: AccAddress = acc_address_from_bech32(record.delegator_address)
    source = val_address_from_bech32(record.src_validator_address)
    destination = val_address_from_bech32(record.dst_validator_address)
    denom = record.balance.denom
    state.set_redelegation(store, delegator, denom, destination, completion, record)
    state.set_redelegation_index(
        store, ParsedRedelegationIndexKey(source, completion, denom, destination, delegator)
    )
    queue = state.get_redelegation_queue(store, completion)
    entries = () if queue is None else queue.entries
    state.set_redelegation_queue(store, completion, QueuedRedelegation((*entries, record)))


def export_genesis(keeper: AllianceKeeper, ctx: Context) -> GenesisJSON:
    """The section `init_genesis` turns back into the current state."""
    store = ctx.store(state.STORE_NAME)
    pb = genesis_pb2.GenesisState(params=state.get_params(store).to_proto())
    pb.assets.extend(asset.to_proto() for asset in state.iterate_assets(store))
    for operator, info in state.iterate_validator_infos(store):
        pb.validator_infos.add(validator_address=val_to_bech32(operator), validator=info.to_proto())
    for denom, operator, height, snapshot in state.iterate_all_snapshots(store):
        pb.reward_weight_change_snaphots.add(
            height=height,
            validator=val_to_bech32(operator),
            denom=denom,
            snapshot=snapshot.to_proto(),
        )
    pb.delegations.extend(d.to_proto() for d in state.iterate_delegations(store))
    for _, completion, record in state.iterate_redelegations(store):
        pb.redelegations.add(
            completion_time=timestamp_to_proto(completion), redelegation=record.to_proto()
        )
    for completion, _, bucket in state.iterate_undelegation_buckets(store):
        pb.undelegations.add(
            completion_time=timestamp_to_proto(completion), undelegation=bucket.to_proto()
        )
    return to_json_dict(pb)
