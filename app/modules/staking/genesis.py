"""Staking genesis (``app_state.staking``), as cosmos-sdk v0.50 ``x/staking/keeper/genesis.go``.

`parse_genesis` is pure (valid params and records, no duplicate validators or consensus keys).
`init_genesis` writes the records and their indices and checks that the pool balances (written
by bank's genesis before) equal the tokens they back; a fresh genesis (``exported`` false) fires
the creation hooks and computes the validator set, an exported one restores the last powers.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf import json_format

from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest, ErrJSONUnmarshal, InvariantViolation
from app.chain.module import GenesisJSON, ValidatorUpdate
from app.codec import from_json_dict, to_json_dict
from app.modules.staking import state
from app.modules.staking.end_block import (
    apply_validator_set_updates,
    insert_validator_queue,
    validator_update,
)
from app.modules.staking.keeper import BONDED_POOL, NOT_BONDED_POOL, StakingKeeper
from app.modules.staking.msgs import checked_params
from app.modules.staking.types import (
    Delegation,
    Params,
    Redelegation,
    UnbondingDelegation,
    Validator,
)
from app.pb.cosmos.staking.v1beta1 import genesis_pb2
from app.types.address import val_address_from_bech32, val_to_bech32
from app.types.errors import TypesError
from app.types.int import Int


@dataclass(frozen=True, slots=True)
class StakingGenesis:
    params: Params
    last_total_power: Int
    last_validator_powers: tuple[tuple[bytes, int], ...]
    validators: tuple[Validator, ...]
    delegations: tuple[Delegation, ...]
    unbonding_delegations: tuple[UnbondingDelegation, ...]
    redelegations: tuple[Redelegation, ...]
    exported: bool


def default_genesis() -> GenesisJSON:
    return to_json_dict(
        genesis_pb2.GenesisState(params=state.params_to_proto(Params()), last_total_power="0")
    )


def parse_genesis(genesis: GenesisJSON) -> StakingGenesis:
    """The checked staking section.

    Raises:
        ChainError: sdk 17 malformed; sdk 18 bad params, records or duplicates.
    """
    try:
        pb = from_json_dict(genesis_pb2.GenesisState, genesis)
    except json_format.ParseError as exc:
        raise ErrJSONUnmarshal.wrap(f"staking genesis: {exc}") from None
    params = checked_params(pb.params)
    try:
        parsed = StakingGenesis(
            params=params,
            last_total_power=Int.from_proto_str(pb.last_total_power or "0"),
            last_validator_powers=tuple(
                (val_address_from_bech32(p.address), p.power) for p in pb.last_validator_powers
            ),
            validators=tuple(state.validator_from_proto(v) for v in pb.validators),
            delegations=tuple(state.delegation_from_proto(d) for d in pb.delegations),
            unbonding_delegations=tuple(state.ubd_from_proto(u) for u in pb.unbonding_delegations),
            redelegations=tuple(state.red_from_proto(r) for r in pb.redelegations),
            exported=pb.exported,
        )
    except (TypesError, ValueError) as exc:
        raise ErrInvalidRequest.wrap(f"staking genesis: {exc}") from None
    operators = [v.operator for v in parsed.validators]
    keys = [v.consensus_pubkey for v in parsed.validators]
    if len(set(operators)) != len(operators) or len(set(keys)) != len(keys):
        raise ErrInvalidRequest.wrap("staking genesis: duplicate validator or consensus key")
    for validator in parsed.validators:
        if validator.jailed and validator.is_bonded():
            raise ErrInvalidRequest.wrap(
                "validator is bonded and jailed in genesis state: "
                f"{val_to_bech32(validator.operator)}"
            )
        if validator.delegator_shares.is_zero() and not validator.is_unbonding():
            raise ErrInvalidRequest.wrap(
                f"bonded/unbonded genesis validator cannot have zero delegator shares: "
                f"{val_to_bech32(validator.operator)}"
            )
    return parsed


def validate_genesis(genesis: GenesisJSON) -> None:
    parse_genesis(genesis)


def init_genesis(
    keeper: StakingKeeper, ctx: Context, genesis: GenesisJSON
) -> tuple[ValidatorUpdate, ...]:
    """Write the section; returns the initial validator set (see the module doc)."""
    parsed = parse_genesis(genesis)
    keeper.set_params(ctx, parsed.params)
    keeper.set_last_total_power(ctx, parsed.last_total_power)
    bonded = Int(0)
    not_bonded = Int(0)
    for validator in parsed.validators:
        keeper.set_validator(ctx, validator)
        keeper.set_validator_by_cons_addr(ctx, validator)
        keeper.set_validator_by_power_index(ctx, validator)
        if not parsed.exported:
            keeper.hooks.after_validator_created(ctx, validator.operator)
        if validator.is_unbonding():
            insert_validator_queue(keeper, ctx, validator)
        if validator.is_bonded():
            bonded = bonded + validator.tokens
        else:
            not_bonded = not_bonded + validator.tokens
    for delegation in parsed.delegations:
        if not parsed.exported:
            keeper.hooks.before_delegation_created(ctx, delegation.delegator, delegation.validator)
        keeper.set_delegation(ctx, delegation)
        if not parsed.exported:
            keeper.hooks.after_delegation_modified(ctx, delegation.delegator, delegation.validator)
    for ubd in parsed.unbonding_delegations:
        keeper.set_unbonding_delegation(ctx, ubd)
        for entry in ubd.entries:
            keeper._insert_ubd_queue(ctx, ubd, entry.completion_time)
            not_bonded = not_bonded + entry.balance
    for red in parsed.redelegations:
        state.set_red(ctx.store(state.STORE_NAME), red)
        for red_entry in red.entries:
            keeper._insert_red_queue(ctx, red, red_entry.completion_time)
    _check_pool(keeper, ctx, BONDED_POOL, bonded)
    _check_pool(keeper, ctx, NOT_BONDED_POOL, not_bonded)
    if not parsed.exported:
        return apply_validator_set_updates(keeper, ctx)
    updates = []
    for operator, power in parsed.last_validator_powers:
        keeper.set_last_validator_power(ctx, operator, power)
        updates.append(validator_update(keeper.must_get_validator(ctx, operator), power))
    return tuple(updates)


def _check_pool(keeper: StakingKeeper, ctx: Context, pool: str, expected: Int) -> None:
    address = keeper.accounts.get_module_address(pool)
    balance = keeper.bank.get_balance(ctx, address, keeper.bond_denom(ctx))
    if balance != expected:
        raise InvariantViolation(
            f"{pool} balance is different from the tokens it backs: {balance} <-> {expected}"
        )


def export_genesis(keeper: StakingKeeper, ctx: Context) -> GenesisJSON:
    """Every record, the last powers, ``exported`` true."""
    pb = genesis_pb2.GenesisState(
        params=state.params_to_proto(keeper.get_params(ctx)),
        last_total_power=str(keeper.get_last_total_power(ctx)),
        last_validator_powers=[
            genesis_pb2.LastValidatorPower(address=val_to_bech32(operator), power=power)
            for operator, power in keeper.get_last_validator_powers(ctx)
        ],
        validators=[state.validator_to_proto(v) for v in keeper.get_all_validators(ctx)],
        delegations=[state.delegation_to_proto(d) for d in keeper.get_all_delegations(ctx)],
        unbonding_delegations=[
            state.ubd_to_proto(u) for u in state.iterate_ubds(ctx.store(state.STORE_NAME))
        ],
        redelegations=[
            state.red_to_proto(r) for r in state.iterate_reds(ctx.store(state.STORE_NAME))
        ],
        exported=True,
    )
    return to_json_dict(pb)
