"""Slashing queries (``/cosmos.slashing.v1beta1.Query/…``)."""

from __future__ import annotations

from app.chain.context import Context
from app.chain.errors import ErrInvalidAddress, ErrInvalidRequest
from app.chain.pagination import paginate
from app.modules.slashing import state
from app.modules.slashing.errors import ErrNoSigningInfoFound
from app.modules.slashing.keeper import SlashingKeeper
from app.pb.cosmos.slashing.v1beta1 import query_pb2, slashing_pb2
from app.types.address import cons_address_from_bech32
from app.types.errors import AddressError

__all__ = ["query_params", "query_signing_info", "query_signing_infos"]


def query_params(
    keeper: SlashingKeeper, ctx: Context, req: query_pb2.QueryParamsRequest
) -> query_pb2.QueryParamsResponse:
    return query_pb2.QueryParamsResponse(params=keeper.get_params(ctx).to_proto())


def query_signing_info(
    keeper: SlashingKeeper, ctx: Context, req: query_pb2.QuerySigningInfoRequest
) -> query_pb2.QuerySigningInfoResponse:
    """The signing info of one consensus address (slashing 8 when it has none)."""
    if not req.cons_address:
        raise ErrInvalidRequest.wrap("empty cons address")
    try:
        cons = cons_address_from_bech32(req.cons_address)
    except AddressError as exc:
        raise ErrInvalidAddress.wrap(f"invalid cons address: {exc}") from None
    info = keeper.get_signing_info(ctx, cons)
    if info is None:
        raise ErrNoSigningInfoFound.wrap(req.cons_address)
    return query_pb2.QuerySigningInfoResponse(val_signing_info=info.to_proto())


def query_signing_infos(
    keeper: SlashingKeeper, ctx: Context, req: query_pb2.QuerySigningInfosRequest
) -> query_pb2.QuerySigningInfosResponse:
    """Every signing info, in consensus-address key order, paginated."""
    entries, page = paginate(ctx.store(state.STORE_NAME), state.SIGNING_INFO_PREFIX, req.pagination)
    infos = [
        state.SigningInfo.from_proto(
            key[1 : 1 + key[0]], slashing_pb2.ValidatorSigningInfo.FromString(raw)
        ).to_proto()
        for key, raw in entries
    ]
    return query_pb2.QuerySigningInfosResponse(info=infos, pagination=page)
