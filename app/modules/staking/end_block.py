"""Staking's end of block, in the SDK's order (``BlockValidatorUpdates``):

1. `apply_validator_set_updates`   the new active set and CometBFT's power changes
2. `unbond_mature_validators`      unbonding validators whose time has come become unbonded
3. `complete_mature_unbondings`    pay out matured unbonding delegations
4. `complete_mature_redelegations` forget matured redelegation entries
"""

from __future__ import annotations

from dataclasses import replace

from app.chain.context import Context
from app.chain.errors import ChainError, InvariantViolation
from app.chain.module import ValidatorUpdate
from app.modules.staking import events, state
from app.modules.staking.keeper import StakingKeeper
from app.modules.staking.types import POWER_REDUCTION, BondStatus, Validator
from app.pb.cosmos.staking.v1beta1 import staking_pb2
from app.store.views import prefix_end
from app.types.address import acc_address_from_bech32, val_address_from_bech32, val_to_bech32
from app.types.int import Int
from app.types.time import Timestamp

__all__ = [
    "apply_validator_set_updates",
    "complete_mature_redelegations",
    "complete_mature_unbondings",
    "process_end_block",
    "unbond_mature_validators",
]


def process_end_block(keeper: StakingKeeper, ctx: Context) -> tuple[ValidatorUpdate, ...]:
    """The four steps above; returns the validator updates for CometBFT."""
    updates = apply_validator_set_updates(keeper, ctx)
    unbond_mature_validators(keeper, ctx)
    complete_mature_unbondings(keeper, ctx)
    complete_mature_redelegations(keeper, ctx)
    return updates


def validator_update(validator: Validator, power: int) -> ValidatorUpdate:
    return ValidatorUpdate("ed25519", validator.consensus_pubkey, power)


def apply_validator_set_updates(keeper: StakingKeeper, ctx: Context) -> tuple[ValidatorUpdate, ...]:
    """Bond the top `max_validators` unjailed validators of positive power, unbond the rest of
    the last set, move the pools' difference once, and return the changed powers
    (``ApplyAndReturnValidatorSetUpdates``): a power only when it changed, 0 for a removal.

    One departure, so CometBFT never refuses the update: when no validator would remain, the
    last set stays as it is (CometBFT halts on an empty validator set).
    """
    store = keeper._store(ctx)
    max_validators = keeper.get_params(ctx).max_validators
    last = dict(keeper.get_last_validator_powers(ctx))
    chosen: list[Validator] = []
    prefix = state.VALIDATORS_BY_POWER_PREFIX
    for key, _ in store.iterate(prefix, prefix_end(prefix), reverse=True):
        if len(chosen) >= max_validators:
            break
        validator = keeper.must_get_validator(ctx, state.operator_from_power_key(key))
        if validator.jailed:
            raise InvariantViolation(
                "should never retrieve a jailed validator from the power store"
            )
        if validator.potential_consensus_power(POWER_REDUCTION) == 0:
            break
        chosen.append(validator)
    if not chosen and last:
        return ()
    updates: list[ValidatorUpdate] = []
    to_bonded = Int(0)
    to_not_bonded = Int(0)
    total_power = 0
    for validator in chosen:
        if not validator.is_bonded():
            validator = bond_validator(keeper, ctx, validator)
            to_bonded = to_bonded + validator.tokens
        power = validator.consensus_power(POWER_REDUCTION)
        if last.get(validator.operator) != power:
            updates.append(validator_update(validator, power))
            keeper.set_last_validator_power(ctx, validator.operator, power)
        last.pop(validator.operator, None)
        total_power += power
    for operator in sorted(last):
        validator = begin_unbonding_validator(keeper, ctx, keeper.must_get_validator(ctx, operator))
        to_not_bonded = to_not_bonded + validator.tokens
        store.delete(state.last_power_key(operator))
        updates.append(validator_update(validator, 0))
    if to_bonded > to_not_bonded:
        keeper.not_bonded_tokens_to_bonded(ctx, to_bonded - to_not_bonded)
    elif to_bonded < to_not_bonded:
        keeper.bonded_tokens_to_not_bonded(ctx, to_not_bonded - to_bonded)
    if updates:
        keeper.set_last_total_power(ctx, Int(total_power))
    return tuple(updates)


def bond_validator(keeper: StakingKeeper, ctx: Context, validator: Validator) -> Validator:
    """Unbonded or unbonding → bonded; off the unbonding queue; `after_validator_bonded`."""
    keeper.delete_validator_by_power_index(ctx, validator)
    bonded = replace(validator, status=BondStatus.BONDED)
    keeper.set_validator(ctx, bonded)
    keeper.set_validator_by_power_index(ctx, bonded)
    delete_from_validator_queue(keeper, ctx, validator)
    keeper.hooks.after_validator_bonded(ctx, bonded.consensus_address(), bonded.operator)
    return bonded


def begin_unbonding_validator(
    keeper: StakingKeeper, ctx: Context, validator: Validator
) -> Validator:
    """Bonded → unbonding until block time + unbonding time; queued; hooks
    `after_validator_begin_unbonding` then `after_unbonding_initiated`."""
    if not validator.is_bonded():
        raise InvariantViolation(f"bad state transition bondedToUnbonding, validator: {validator}")
    keeper.delete_validator_by_power_index(ctx, validator)
    unbonding_id = keeper.increment_unbonding_id(ctx)
    unbonding = replace(
        validator,
        status=BondStatus.UNBONDING,
        unbonding_time=Timestamp(ctx.block.time + keeper.unbonding_time(ctx)),
        unbonding_height=ctx.block.height,
    )
    keeper.set_validator(ctx, unbonding)
    keeper.set_validator_by_power_index(ctx, unbonding)
    insert_validator_queue(keeper, ctx, unbonding)
    keeper.hooks.after_validator_begin_unbonding(
        ctx, unbonding.consensus_address(), unbonding.operator
    )
    keeper.hooks.after_unbonding_initiated(ctx, unbonding_id)
    return unbonding


def _queue_addresses(keeper: StakingKeeper, ctx: Context, key: bytes) -> list[str]:
    raw = keeper._store(ctx).get(key)
    return [] if raw is None else list(staking_pb2.ValAddresses.FromString(raw).addresses)


def _write_queue(keeper: StakingKeeper, ctx: Context, key: bytes, addresses: list[str]) -> None:
    store = keeper._store(ctx)
    if addresses:
        value = staking_pb2.ValAddresses(addresses=addresses)
        store.set(key, value.SerializeToString(deterministic=True))
    else:
        store.delete(key)


def insert_validator_queue(keeper: StakingKeeper, ctx: Context, validator: Validator) -> None:
    key = state.validator_queue_key(validator.unbonding_time, validator.unbonding_height)
    addresses = _queue_addresses(keeper, ctx, key)
    addresses.append(val_to_bech32(validator.operator))
    _write_queue(keeper, ctx, key, addresses)


def delete_from_validator_queue(keeper: StakingKeeper, ctx: Context, validator: Validator) -> None:
    key = state.validator_queue_key(validator.unbonding_time, validator.unbonding_height)
    operator = val_to_bech32(validator.operator)
    addresses = [a for a in _queue_addresses(keeper, ctx, key) if a != operator]
    _write_queue(keeper, ctx, key, addresses)


def unbond_mature_validators(keeper: StakingKeeper, ctx: Context) -> None:
    """Unbonding validators queued at or before (block time, block height) become unbonded;
    those without shares are removed (``UnbondAllMatureValidators``)."""
    store = keeper._store(ctx)
    end = state.validator_queue_key(ctx.block.time, ctx.block.height)
    for key, raw in state.iterate_until(store, state.VALIDATOR_QUEUE_PREFIX, end):
        key_time, key_height = state.parse_validator_queue_key(key)
        if key_height > ctx.block.height or key_time > ctx.block.time:
            continue
        for text in staking_pb2.ValAddresses.FromString(raw).addresses:
            validator = keeper.must_get_validator(ctx, val_address_from_bech32(text))
            if not validator.is_unbonding():
                raise InvariantViolation(
                    "unexpected validator in unbonding queue; status was not unbonding"
                )
            unbonded = replace(validator, status=BondStatus.UNBONDED)
            keeper.set_validator(ctx, unbonded)
            if unbonded.delegator_shares.is_zero():
                keeper.remove_validator(ctx, unbonded.operator)
            delete_from_validator_queue(keeper, ctx, validator)


def complete_mature_unbondings(keeper: StakingKeeper, ctx: Context) -> None:
    """Dequeue every unbonding due by block time and pay it out; ``complete_unbonding``."""
    store = keeper._store(ctx)
    end = state.ubd_queue_key(ctx.block.time)
    for key, raw in state.iterate_until(store, state.UNBONDING_QUEUE_PREFIX, end):
        store.delete(key)
        for pair in staking_pb2.DVPairs.FromString(raw).pairs:
            delegator = acc_address_from_bech32(pair.delegator_address)
            operator = val_address_from_bech32(pair.validator_address)
            try:
                paid = keeper.complete_unbonding(ctx, delegator, operator)
            except ChainError:  # cancelled meanwhile: nothing left to pay, as the SDK skips it
                continue
            ctx.emit(
                events.complete_unbonding_event(
                    paid, pair.validator_address, pair.delegator_address
                )
            )


def complete_mature_redelegations(keeper: StakingKeeper, ctx: Context) -> None:
    """Dequeue every redelegation due by block time; ``complete_redelegation``."""
    store = keeper._store(ctx)
    end = state.red_queue_key(ctx.block.time)
    for key, raw in state.iterate_until(store, state.REDELEGATION_QUEUE_PREFIX, end):
        store.delete(key)
        for triplet in staking_pb2.DVVTriplets.FromString(raw).triplets:
            try:
                done = keeper.complete_redelegation(
                    ctx,
                    acc_address_from_bech32(triplet.delegator_address),
                    val_address_from_bech32(triplet.validator_src_address),
                    val_address_from_bech32(triplet.validator_dst_address),
                )
            except ChainError:  # already slashed away or completed: the SDK skips it too
                continue
            ctx.emit(
                events.complete_redelegation_event(
                    done,
                    triplet.delegator_address,
                    triplet.validator_src_address,
                    triplet.validator_dst_address,
                )
            )
