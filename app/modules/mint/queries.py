"""Mint queries (``/cosmos.mint.v1beta1.Query/…``): params, inflation, annual provisions.

Inflation and annual provisions are LegacyDecs sent as ``bytes``: the scaled integer's text,
as the SDK marshals them.
"""

from __future__ import annotations

from app.chain.context import Context
from app.modules.mint.keeper import MintKeeper
from app.pb.cosmos.mint.v1beta1 import query_pb2

__all__ = ["query_annual_provisions", "query_inflation", "query_params"]


def query_params(
    keeper: MintKeeper, ctx: Context, req: query_pb2.QueryParamsRequest
) -> query_pb2.QueryParamsResponse:
    return query_pb2.QueryParamsResponse(params=keeper.get_params(ctx).to_proto())


def query_inflation(
    keeper: MintKeeper, ctx: Context, req: query_pb2.QueryInflationRequest
) -> query_pb2.QueryInflationResponse:
    inflation = keeper.get_minter(ctx).inflation
    return query_pb2.QueryInflationResponse(inflation=inflation.to_proto_str().encode())


def query_annual_provisions(
    keeper: MintKeeper, ctx: Context, req: query_pb2.QueryAnnualProvisionsRequest
) -> query_pb2.QueryAnnualProvisionsResponse:
    provisions = keeper.get_minter(ctx).annual_provisions
    return query_pb2.QueryAnnualProvisionsResponse(
        annual_provisions=provisions.to_proto_str().encode()
    )
