"""`allianced tx slashing unjail` and `allianced query slashing …`."""

from __future__ import annotations

import click

from app.cli.queries import QuerySpec, query_group
from app.cli.txs import TxOptions, run_message_tx, tx_flags
from app.pb.cosmos.slashing.v1beta1 import query_pb2 as slashing_query
from app.pb.cosmos.slashing.v1beta1 import tx_pb2 as slashing_tx
from app.types import acc_address_from_bech32, val_to_bech32

__all__ = ["slashing_query_group", "slashing_tx_group"]

_SERVICE = "/cosmos.slashing.v1beta1.Query/"


@click.group(name="slashing")
def slashing_tx_group() -> None:
    """Slashing transactions: unjail."""


@slashing_tx_group.command(name="unjail")
@tx_flags()
def unjail_command(tx: TxOptions) -> None:
    """Unjail the validator operated by the --from key, once its jail time is over."""
    run_message_tx(
        tx,
        lambda sender: slashing_tx.MsgUnjail(
            validator_addr=val_to_bech32(acc_address_from_bech32(sender))
        ),
    )


slashing_query_group = query_group(
    "slashing",
    "Slashing queries: signing infos and params.",
    [
        QuerySpec(
            "signing-info",
            "The signing info of a consensus address (persistencevalcons...).",
            lambda args: (
                _SERVICE + "SigningInfo",
                slashing_query.QuerySigningInfoRequest(cons_address=args["cons_address"]),
            ),
            (click.Argument(["cons_address"]),),
        ),
        QuerySpec(
            "signing-infos",
            "The signing infos of every validator.",
            lambda args: (
                _SERVICE + "SigningInfos",
                slashing_query.QuerySigningInfosRequest(pagination=args["pagination"]),
            ),
            paginated=True,
        ),
        QuerySpec(
            "params",
            "The slashing module's parameters.",
            lambda _args: (_SERVICE + "Params", slashing_query.QueryParamsRequest()),
        ),
    ],
)
