"""The slashing keeper: liveness tracking, downtime and double-sign punishment, unjailing.

Two block-time duties, run by the module's begin-block in this order (the SDK's slashing then
evidence BeginBlockers):

* **Liveness** (`handle_validator_signature`, per vote of the last commit): the signed-blocks
  window is a ring of `signed_blocks_window` bits per validator; past ``start_height + window``,
  more than ``window - round(min_signed_per_window × window)`` misses slash the validator by
  `slash_fraction_downtime` at the power it had, jail it until ``now + downtime_jail_duration``
  and clear its window (x/slashing ``keeper/infractions.go``).
* **Equivocation** (`handle_equivocation`, per misbehavior of the block): slash by
  `slash_fraction_double_sign` at the infraction height's power, jail, jail "forever" and
  tombstone; evidence of a tombstoned, unbonded or unknown validator, or too old, is ignored, so
  the same evidence twice changes nothing (x/evidence ``keeper/infraction.go``).

Staking owns the validator set: jailing here only marks the validator; staking drops it from
the set at its end-block, so no update CometBFT would reject is ever produced here.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from app.chain.context import Context, Misbehavior
from app.modules.slashing import events, state
from app.modules.slashing.errors import (
    ErrMissingSelfDelegation,
    ErrNoSigningInfoFound,
    ErrNoValidatorForAddress,
    ErrSelfDelegationTooLowToUnjail,
    ErrValidatorJailed,
    ErrValidatorNotJailed,
    ErrValidatorTombstoned,
)
from app.modules.slashing.expected import StakingKeeper
from app.modules.slashing.state import Params, SigningInfo
from app.types.address import AccAddress, cons_to_bech32
from app.types.dec import Dec
from app.types.time import HOUR, Timestamp

__all__ = [
    "BLOCK_ID_FLAG_ABSENT",
    "DOUBLE_SIGN_JAIL_END_TIME",
    "MAX_EVIDENCE_AGE_BLOCKS",
    "MAX_EVIDENCE_AGE_DURATION",
    "VALIDATOR_UPDATE_DELAY",
    "SlashingKeeper",
]

log = logging.getLogger(__name__)

BLOCK_ID_FLAG_ABSENT = 1
"""CometBFT ``BlockIDFlagAbsent``: the validator's vote is missing from the commit."""

VALIDATOR_UPDATE_DELAY = 1
"""Blocks between a validator-set change and its effect (``sdk.ValidatorUpdateDelay``)."""

DOUBLE_SIGN_JAIL_END_TIME = Timestamp(253_402_300_799 * 1_000_000_000)
"""9999-12-31T23:59:59Z: a tombstoned validator's ``jailed_until`` (``DoubleSignJailEndTime``)."""

MAX_EVIDENCE_AGE_BLOCKS = 100_000
"""CometBFT's default ``evidence.max_age_num_blocks`` (the chain does not store evidence params)."""

UNBONDED_STATUS = 1
"""`BondStatus.UNBONDED`: evidence against an unbonded validator is ignored."""

MAX_EVIDENCE_AGE_DURATION = 48 * HOUR
"""CometBFT's default ``evidence.max_age_duration``."""


class SlashingKeeper:
    """Store ``slashing``; `staking` is the staking keeper, `authority` the gov account."""

    def __init__(self, staking: StakingKeeper, authority: AccAddress) -> None:
        self.staking = staking
        self.authority = authority

    # ---- params and records --------------------------------------------------------------------

    def get_params(self, ctx: Context) -> Params:
        return state.get_params(ctx.store(state.STORE_NAME))

    def set_params(self, ctx: Context, params: Params) -> None:
        state.set_params(ctx.store(state.STORE_NAME), params)

    def get_signing_info(self, ctx: Context, cons: bytes) -> SigningInfo | None:
        return state.get_signing_info(ctx.store(state.STORE_NAME), cons)

    def set_signing_info(self, ctx: Context, info: SigningInfo) -> None:
        state.set_signing_info(ctx.store(state.STORE_NAME), info)

    def is_tombstoned(self, ctx: Context, cons: bytes) -> bool:
        info = self.get_signing_info(ctx, cons)
        return info is not None and info.tombstoned

    def add_pubkey(self, ctx: Context, cons: bytes, pubkey: bytes) -> None:
        """Remember a validator's consensus key (``AddPubkey``): evidence needs it."""
        state.set_pubkey(ctx.store(state.STORE_NAME), cons, pubkey)

    def delete_pubkey(self, ctx: Context, cons: bytes) -> None:
        state.delete_pubkey(ctx.store(state.STORE_NAME), cons)

    # ---- slash and jail, with the SDK's events -------------------------------------------------

    def slash_with_reason(
        self,
        ctx: Context,
        cons: bytes,
        fraction: Dec,
        power: int,
        distribution_height: int,
        reason: str,
    ) -> None:
        """Slash through staking and emit ``slash(address, power, reason, burned)``."""
        burned = self.staking.slash(ctx, cons, distribution_height, power, fraction)
        ctx.emit(events.slash_event(cons_to_bech32(cons), power, reason, burned))

    def jail(self, ctx: Context, cons: bytes) -> None:
        """Jail through staking and emit ``slash(jailed)``."""
        self.staking.jail(ctx, cons)
        ctx.emit(events.jail_event(cons_to_bech32(cons)))

    # ---- liveness ------------------------------------------------------------------------------

    def handle_validator_signature(
        self, ctx: Context, cons: bytes, power: int, block_id_flag: int
    ) -> None:
        """Record whether `cons` signed the previous block and punish downtime.

        index = index_offset mod window; the bit at index flips and the counter follows; a miss
        emits ``liveness``. Once height > start_height + window and missed > max missed, an
        unjailed validator is slashed at height − 2 (the power that signed the last commit),
        jailed until block time + downtime_jail_duration, and its window starts over.
        A jailed or unknown validator is not tracked.
        """
        validator = self.staking.get_validator_by_cons_addr(ctx, cons)
        if validator is None or validator.is_jailed():
            return
        info = self.get_signing_info(ctx, cons)
        if info is None:
            raise ErrNoSigningInfoFound.wrap(cons_to_bech32(cons))
        params = self.get_params(ctx)
        store = ctx.store(state.STORE_NAME)
        height = ctx.block.height
        window = params.signed_blocks_window
        index = info.index_offset % window
        missed_before = state.get_missed_block(store, cons, index)
        missed = block_id_flag == BLOCK_ID_FLAG_ABSENT
        counter = info.missed_blocks_counter
        if missed and not missed_before:
            state.set_missed_block(store, cons, index, True)
            counter += 1
        elif missed_before and not missed:
            state.set_missed_block(store, cons, index, False)
            counter -= 1
        info = replace(info, index_offset=info.index_offset + 1, missed_blocks_counter=counter)
        if missed:
            ctx.emit(events.liveness_event(cons_to_bech32(cons), counter, height))
        if height > info.start_height + window and counter > params.max_missed_blocks():
            distribution_height = height - VALIDATOR_UPDATE_DELAY - 1
            burned = self.staking.slash(
                ctx, cons, distribution_height, power, params.slash_fraction_downtime
            )
            ctx.emit(events.downtime_slash_event(cons_to_bech32(cons), power, burned))
            self.staking.jail(ctx, cons)
            # The window starts over so that the validator is not slashed again as soon as it
            # is bonded again; its start height is reset by the bonded hook.
            info = replace(
                info,
                index_offset=0,
                jailed_until=Timestamp(ctx.block.time + params.downtime_jail_duration),
                missed_blocks_counter=0,
            )
            state.delete_missed_blocks(store, cons)
        self.set_signing_info(ctx, info)

    # ---- equivocation --------------------------------------------------------------------------

    def handle_equivocation(self, ctx: Context, evidence: Misbehavior) -> None:
        """Punish a double sign: slash 5% (by default) at the infraction height's power, jail,
        jail until 9999-12-31 and tombstone. Ignored (nothing changes) when the validator is
        unknown or unbonded, its key is unknown, the evidence is older than both age limits, or
        the validator is already tombstoned."""
        cons = evidence.address
        validator = self.staking.get_validator_by_cons_addr(ctx, cons)
        if validator is None or validator.status == UNBONDED_STATUS:
            return
        store = ctx.store(state.STORE_NAME)
        if not state.has_pubkey(store, cons):
            log.error("ignored evidence: no public key for %s", cons_to_bech32(cons))
            return
        age_duration = ctx.block.time - evidence.time
        age_blocks = ctx.block.height - evidence.height
        if age_duration > MAX_EVIDENCE_AGE_DURATION and age_blocks > MAX_EVIDENCE_AGE_BLOCKS:
            log.info("ignored equivocation of %s: evidence too old", cons_to_bech32(cons))
            return
        info = self.get_signing_info(ctx, cons)
        if info is None:
            raise ErrNoSigningInfoFound.wrap(f"expected signing info for {cons_to_bech32(cons)}")
        if info.tombstoned:
            return
        params = self.get_params(ctx)
        self.slash_with_reason(
            ctx,
            cons,
            params.slash_fraction_double_sign,
            evidence.power,
            evidence.height - VALIDATOR_UPDATE_DELAY,
            events.REASON_DOUBLE_SIGN,
        )
        if not validator.is_jailed():
            self.jail(ctx, cons)
        self.jail_until(ctx, cons, DOUBLE_SIGN_JAIL_END_TIME)
        self.tombstone(ctx, cons)

    def jail_until(self, ctx: Context, cons: bytes, until: Timestamp) -> None:
        """Set a validator's ``jailed_until``; raises slashing 8 without signing info."""
        info = self.get_signing_info(ctx, cons)
        if info is None:
            raise ErrNoSigningInfoFound.wrap(cons_to_bech32(cons))
        self.set_signing_info(ctx, replace(info, jailed_until=until))

    def tombstone(self, ctx: Context, cons: bytes) -> None:
        """Mark a validator as never to be unjailed; raises slashing 8 or 9."""
        info = self.get_signing_info(ctx, cons)
        if info is None:
            raise ErrNoSigningInfoFound.wrap(cons_to_bech32(cons))
        if info.tombstoned:
            raise ErrValidatorTombstoned.error()
        self.set_signing_info(ctx, replace(info, tombstoned=True))

    # ---- unjail --------------------------------------------------------------------------------

    def unjail(self, ctx: Context, operator: bytes) -> None:
        """Return a jailed validator to the candidates (``Keeper.Unjail``).

        Checks, in the SDK's order: the validator exists (slashing 2); its operator has a
        self-delegation (6) worth at least min_self_delegation (7); it is jailed (5); and, if
        it ever bonded (has signing info), it is not tombstoned and its jail time is over (4).

        Raises:
            ChainError: the first failing check; nothing changes.
        """
        validator = self.staking.get_validator(ctx, operator)
        if validator is None:
            raise ErrNoValidatorForAddress.error()
        self_delegation = self.staking.get_delegation(ctx, operator, operator)
        if self_delegation is None:
            raise ErrMissingSelfDelegation.error()
        tokens = validator.tokens_from_shares(self_delegation.shares).truncate_int()
        if tokens < validator.min_self_delegation:
            raise ErrSelfDelegationTooLowToUnjail.wrap(
                f"{tokens} less than {validator.min_self_delegation}"
            )
        if not validator.is_jailed():
            raise ErrValidatorNotJailed.error()
        cons = validator.consensus_address()
        info = self.get_signing_info(ctx, cons)
        if info is not None and (info.tombstoned or ctx.block.time < info.jailed_until):
            raise ErrValidatorJailed.error()
        self.staking.unjail(ctx, cons)
