"""Mint genesis: ``app_state.mint = {minter, params}``."""

from __future__ import annotations

from google.protobuf import json_format

from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest, ErrJSONUnmarshal
from app.chain.module import GenesisJSON
from app.codec import from_json_dict, to_json_dict
from app.modules.mint.keeper import MODULE_NAME, MintKeeper
from app.modules.mint.msgs import params_from_proto
from app.modules.mint.state import Minter, Params
from app.pb.cosmos.mint.v1beta1 import genesis_pb2

__all__ = ["default_genesis", "export_genesis", "init_genesis", "parse_genesis", "validate_genesis"]


def default_genesis() -> GenesisJSON:
    """Inflation 13 %, no provisions yet, the SDK's params with ``uxprt``."""
    return to_json_dict(
        genesis_pb2.GenesisState(minter=Minter().to_proto(), params=Params().to_proto())
    )


def parse_genesis(genesis: GenesisJSON) -> tuple[Minter, Params]:
    """The checked minter and params.

    Raises:
        ChainError: sdk 17 malformed JSON; sdk 18 invalid params or a negative inflation.
    """
    try:
        pb = from_json_dict(genesis_pb2.GenesisState, genesis)
    except json_format.ParseError as exc:
        raise ErrJSONUnmarshal.wrap(f"mint genesis: {exc}") from None
    params = params_from_proto(pb.params)
    try:
        minter = Minter.from_proto(pb.minter)
    except ValueError as exc:
        raise ErrInvalidRequest.wrap(f"invalid minter: {exc}") from None
    if minter.inflation.is_negative():
        raise ErrInvalidRequest.wrap(
            f"mint parameter Inflation should be positive, is {minter.inflation}"
        )
    return minter, params


def validate_genesis(genesis: GenesisJSON) -> None:
    parse_genesis(genesis)


def init_genesis(keeper: MintKeeper, ctx: Context, genesis: GenesisJSON) -> None:
    """Store the minter and params and create the mint module account."""
    minter, params = parse_genesis(genesis)
    keeper.set_minter(ctx, minter)
    keeper.set_params(ctx, params)
    keeper.accounts.get_module_account(ctx, MODULE_NAME)


def export_genesis(keeper: MintKeeper, ctx: Context) -> GenesisJSON:
    pb = genesis_pb2.GenesisState(
        minter=keeper.get_minter(ctx).to_proto(), params=keeper.get_params(ctx).to_proto()
    )
    return to_json_dict(pb)
