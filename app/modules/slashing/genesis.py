"""Slashing genesis: ``app_state.slashing = {params, signing_infos, missed_blocks}``.

Decimal params read as the SDK's JSON shows them ("0.500000000000000000", see `app.codec`);
`parse_genesis` is pure; `init_genesis` also records every staking validator's consensus key (as
the SDK's InitGenesis does), so evidence against genesis validators can be handled.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf import json_format

from app.chain.context import Context
from app.chain.errors import ErrInvalidAddress, ErrJSONUnmarshal
from app.chain.module import GenesisJSON
from app.codec import from_json_dict, to_json_dict
from app.modules.slashing import state
from app.modules.slashing.keeper import SlashingKeeper
from app.modules.slashing.msgs import params_from_proto
from app.modules.slashing.state import Params, SigningInfo
from app.pb.cosmos.slashing.v1beta1 import genesis_pb2
from app.types.address import cons_address_from_bech32, cons_to_bech32
from app.types.errors import AddressError

__all__ = [
    "SlashingGenesis",
    "default_genesis",
    "export_genesis",
    "init_genesis",
    "parse_genesis",
    "validate_genesis",
]


@dataclass(frozen=True, slots=True)
class SlashingGenesis:
    params: Params
    signing_infos: tuple[SigningInfo, ...]
    missed_blocks: tuple[tuple[bytes, tuple[int, ...]], ...]
    """(consensus address, missed window positions) per validator."""


def default_genesis() -> GenesisJSON:
    return to_json_dict(genesis_pb2.GenesisState(params=Params().to_proto()))


def _cons(text: str) -> bytes:
    try:
        return cons_address_from_bech32(text)
    except AddressError as exc:
        raise ErrInvalidAddress.wrap(f"invalid consensus address: {exc}") from None


def parse_genesis(genesis: GenesisJSON) -> SlashingGenesis:
    """The section, checked without touching state.

    Raises:
        ChainError: sdk 17 malformed JSON; sdk 7 bad address; slashing 10 bad params.
    """
    try:
        pb = from_json_dict(genesis_pb2.GenesisState, genesis)
    except json_format.ParseError as exc:
        raise ErrJSONUnmarshal.wrap(f"slashing genesis: {exc}") from None
    params = params_from_proto(pb.params) if pb.HasField("params") else Params()
    infos = tuple(
        sorted(
            (
                SigningInfo.from_proto(_cons(entry.address), entry.validator_signing_info)
                for entry in pb.signing_infos
            ),
            key=lambda info: info.address,
        )
    )
    missed = tuple(
        sorted(
            (
                (_cons(entry.address), tuple(b.index for b in entry.missed_blocks if b.missed))
                for entry in pb.missed_blocks
            ),
        )
    )
    return SlashingGenesis(params=params, signing_infos=infos, missed_blocks=missed)


def validate_genesis(genesis: GenesisJSON) -> None:
    parse_genesis(genesis)


def init_genesis(keeper: SlashingKeeper, ctx: Context, genesis: GenesisJSON) -> None:
    """Write params, signing infos and missed bits; record every validator's consensus key."""
    parsed = parse_genesis(genesis)
    store = ctx.store(state.STORE_NAME)
    for validator in keeper.staking.get_all_validators(ctx):
        keeper.add_pubkey(ctx, validator.consensus_address(), validator.consensus_pubkey)
    for info in parsed.signing_infos:
        state.set_signing_info(store, info)
    for cons, indexes in parsed.missed_blocks:
        for index in indexes:
            state.set_missed_block(store, cons, index, True)
    keeper.set_params(ctx, parsed.params)


def export_genesis(keeper: SlashingKeeper, ctx: Context) -> GenesisJSON:
    """Params, every signing info and every validator's missed window positions."""
    store = ctx.store(state.STORE_NAME)
    signing_infos = []
    missed_blocks = []
    for info in state.iterate_signing_infos(store):
        address = cons_to_bech32(info.address)
        signing_infos.append(
            genesis_pb2.SigningInfo(address=address, validator_signing_info=info.to_proto())
        )
        missed_blocks.append(
            genesis_pb2.ValidatorMissedBlocks(
                address=address,
                missed_blocks=[
                    genesis_pb2.MissedBlock(index=index, missed=True)
                    for index in state.iterate_missed_blocks(store, info.address)
                ],
            )
        )
    return to_json_dict(
        genesis_pb2.GenesisState(
            params=keeper.get_params(ctx).to_proto(),
            signing_infos=signing_infos,
            missed_blocks=missed_blocks,
        )
    )
