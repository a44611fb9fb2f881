"""Slashing keeper against a small fake of the contract's staking methods."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import pytest

from app.chain.context import BlockContext, Context, ExecMode, Misbehavior, VoteInfo
from app.chain.errors import ChainError
from app.modules.slashing import state
from app.modules.slashing.genesis import export_genesis, init_genesis, parse_genesis
from app.modules.slashing.hooks import SlashingHooks
from app.modules.slashing.keeper import DOUBLE_SIGN_JAIL_END_TIME, SlashingKeeper
from app.modules.slashing.module import SlashingModule
from app.modules.slashing.state import Params
from app.store import MemoryDatabase, MultiStore
from app.types import SECOND, Dec, Int, Timestamp, cons_to_bech32, module_address

COMMIT, ABSENT = 2, 1
PUBKEY = hashlib.sha256(b"validator").digest()
CONS = hashlib.sha256(PUBKEY).digest()[:20]
OPERATOR = bytes(range(20))
MIN_SELF = Int(1)
TOKENS = Int(1_000_000)


@dataclass(frozen=True)
class FakeValidator:
    operator: bytes = OPERATOR
    consensus_pubkey: bytes = PUBKEY
    min_self_delegation: Int = MIN_SELF
    status: int = 3
    jailed: bool = False
    tokens: Int = TOKENS

    def is_jailed(self) -> bool:
        return self.jailed

    def consensus_address(self) -> bytes:
        return CONS

    def tokens_from_shares(self, shares: Dec) -> Dec:
        return shares


@dataclass(frozen=True)
class FakeDelegation:
    shares: Dec


@dataclass
class FakeStaking:
    validator: FakeValidator = field(default_factory=FakeValidator)
    self_shares: Dec | None = field(default_factory=lambda: Dec.from_int(10))
    slashes: list[tuple[int, int, Dec]] = field(default_factory=list)

    def get_validator(self, ctx: Context, operator: bytes) -> FakeValidator | None:
        return self.validator if operator == OPERATOR else None

    def get_all_validators(self, ctx: Context) -> list[FakeValidator]:
        return [self.validator]

    def get_validator_by_cons_addr(self, ctx: Context, cons: bytes) -> FakeValidator | None:
        return self.validator if cons == CONS else None

    def get_delegation(
        self, ctx: Context, delegator: bytes, operator: bytes
    ) -> FakeDelegation | None:
        return None if self.self_shares is None else FakeDelegation(self.self_shares)

    def slash(self, ctx: Context, cons: bytes, height: int, power: int, fraction: Dec) -> Int:
        self.slashes.append((height, power, fraction))
        return Int(power * 10_000)

    def jail(self, ctx: Context, cons: bytes) -> None:
        self.validator = replace(self.validator, jailed=True)

    def unjail(self, ctx: Context, cons: bytes) -> None:
        self.validator = replace(self.validator, jailed=False)


def make(
    height: int = 1, time: int = 0, **block: object
) -> tuple[Context, FakeStaking, SlashingKeeper]:
    store = MultiStore(MemoryDatabase(), ["slashing"])
    ctx = Context(
        store.block_view(),
        BlockContext(height, Timestamp(time), "test", **block),  # type: ignore[arg-type]
        ExecMode.FINALIZE,
    )
    staking = FakeStaking()
    keeper = SlashingKeeper(staking, module_address("gov"))
    keeper.set_params(ctx, Params(signed_blocks_window=10))
    SlashingHooks(keeper).after_validator_created(ctx, OPERATOR)
    SlashingHooks(keeper).after_validator_bonded(ctx, CONS, OPERATOR)
    return ctx, staking, keeper


def at(ctx: Context, height: int, time: int = 0) -> Context:
    return Context(ctx.view, BlockContext(height, Timestamp(time), "test"), ExecMode.FINALIZE)


def test_params_defaults_and_thresholds() -> None:
    params = Params()
    assert params.min_signed_blocks() == 50
    assert params.max_missed_blocks() == 50
    assert Params(signed_blocks_window=3).min_signed_blocks() == 2  # 1.5 rounds half to even
    assert Params(signed_blocks_window=5).min_signed_blocks() == 2  # 2.5 rounds half to even


def test_missed_blocks_flip_bits_and_emit_liveness() -> None:
    ctx, _, keeper = make()
    keeper.handle_validator_signature(at(ctx, 2), CONS, 1, ABSENT)
    keeper.handle_validator_signature(at(ctx, 3), CONS, 1, COMMIT)
    info = keeper.get_signing_info(ctx, CONS)
    assert info is not None
    assert (info.index_offset, info.missed_blocks_counter) == (2, 1)
    store = ctx.store(state.STORE_NAME)
    assert state.get_missed_block(store, CONS, 0) and not state.get_missed_block(store, CONS, 1)


def test_downtime_slashes_jails_and_resets_window() -> None:
    ctx, staking, keeper = make()
    # window 10, min signed 5: the 6th miss past height start+10 is punished
    for height in range(2, 13):
        block = at(ctx, height, time=height * SECOND)
        keeper.handle_validator_signature(block, CONS, 7, ABSENT)
        if staking.validator.jailed:
            break
    assert staking.validator.jailed
    assert staking.slashes == [(height - 2, 7, Dec.new_with_prec(1, 2))]
    assert [e.type for e in block.events][-1] == "slash"
    assert dict(block.events[-1].attributes) == {
        "address": cons_to_bech32(CONS),
        "power": "7",
        "reason": "missing_signature",
        "jailed": cons_to_bech32(CONS),
        "burned": "70000",
    }
    info = keeper.get_signing_info(ctx, CONS)
    assert info is not None
    assert (info.index_offset, info.missed_blocks_counter) == (0, 0)
    assert info.jailed_until == height * SECOND + 600 * SECOND
    assert list(state.iterate_missed_blocks(ctx.store(state.STORE_NAME), CONS)) == []
    # a jailed validator is not tracked
    keeper.handle_validator_signature(at(ctx, height + 1), CONS, 7, ABSENT)
    assert keeper.get_signing_info(ctx, CONS) == info


def test_double_sign_slashes_jails_tombstones_once() -> None:
    ctx, staking, keeper = make(height=10, time=100 * SECOND)
    evidence = Misbehavior(1, CONS, 9, 8, Timestamp(90 * SECOND), 9)
    keeper.handle_equivocation(ctx, evidence)
    assert staking.slashes == [(7, 9, Dec.new_with_prec(5, 2))]
    assert staking.validator.jailed
    info = keeper.get_signing_info(ctx, CONS)
    assert info is not None and info.tombstoned
    assert info.jailed_until == DOUBLE_SIGN_JAIL_END_TIME
    assert [dict(e.attributes).get("reason") for e in ctx.events] == ["double_sign", None]
    keeper.handle_equivocation(ctx, evidence)  # idempotent
    assert len(staking.slashes) == 1
    with pytest.raises(ChainError, match="still jailed"):
        keeper.unjail(ctx, OPERATOR)


def test_too_old_evidence_is_ignored() -> None:
    day = 24 * 3600 * SECOND
    ctx, staking, keeper = make(height=200_000, time=3 * day)
    keeper.handle_equivocation(ctx, Misbehavior(1, CONS, 9, 1, Timestamp(0), 9))
    assert staking.slashes == [] and not staking.validator.jailed


def test_unjail_rules() -> None:
    ctx, staking, keeper = make(time=0)
    with pytest.raises(ChainError, match="not jailed"):
        keeper.unjail(ctx, OPERATOR)
    with pytest.raises(ChainError, match="not associated"):
        keeper.unjail(ctx, b"\x09" * 20)
    staking.validator = replace(staking.validator, jailed=True, min_self_delegation=Int(11))
    with pytest.raises(ChainError) as low:
        keeper.unjail(ctx, OPERATOR)
    assert (low.value.codespace, low.value.code) == ("slashing", 7)
    staking.self_shares = None
    with pytest.raises(ChainError, match="no self-delegation"):
        keeper.unjail(ctx, OPERATOR)
    staking.self_shares = Dec.from_int(20)
    keeper.jail_until(ctx, CONS, Timestamp(50 * SECOND))
    with pytest.raises(ChainError, match="still jailed"):
        keeper.unjail(at(ctx, 2, time=49 * SECOND), OPERATOR)
    keeper.unjail(at(ctx, 2, time=50 * SECOND), OPERATOR)
    assert not staking.validator.jailed


def test_begin_block_runs_votes_then_evidence() -> None:
    ctx, _, keeper = make()
    module = SlashingModule(keeper)

    block = Context(
        ctx.view,
        BlockContext(
            5,
            Timestamp(0),
            "test",
            votes=(VoteInfo(CONS, 1, ABSENT),),
            misbehavior=(Misbehavior(1, CONS, 1, 4, Timestamp(0), 1),),
        ),
        ExecMode.FINALIZE,
    )
    module.begin_block(block)
    assert [e.type for e in block.events] == ["liveness", "slash", "slash"]
    assert keeper.is_tombstoned(ctx, CONS)


def test_genesis_round_trip_with_decimal_params() -> None:
    ctx, _, keeper = make()
    keeper.handle_validator_signature(at(ctx, 2), CONS, 1, ABSENT)
    exported = export_genesis(keeper, ctx)
    assert exported["params"]["min_signed_per_window"] == "0.500000000000000000"
    assert exported["missed_blocks"][0]["missed_blocks"] == [{"index": "0", "missed": True}]
    other_ctx, _, other = make()
    init_genesis(other, other_ctx, exported)
    assert export_genesis(other, other_ctx) == exported
    bad = dict(exported, params=dict(exported["params"], slash_fraction_downtime="1.5"))
    with pytest.raises(ChainError, match="within"):
        parse_genesis(bad)
