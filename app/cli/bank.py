"""`allianced tx bank …` and `allianced query bank …`: the bank module's client commands."""

from __future__ import annotations

import click
from google.protobuf.message import Message

from app.chain.coins import coins_to_proto
from app.cli.params import parse_account_address, parse_amount
from app.cli.queries import QueryArgs, QuerySpec, query_group
from app.cli.txs import TxOptions, run_tx, tx_flags
from app.pb.cosmos.bank.v1beta1 import bank_pb2
from app.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.types import Coin, Coins, Int

__all__ = ["bank_query_group", "bank_tx_group", "split_evenly"]

_SERVICE = "/cosmos.bank.v1beta1.Query/"


@click.group(name="bank")
def bank_tx_group() -> None:
    """Bank transactions: send and multi-send."""


@bank_tx_group.command(name="send")
@click.argument("from_key_or_address")
@click.argument("to_address")
@click.argument("amount")
@tx_flags(with_from=False)
def send_command(from_key_or_address: str, to_address: str, amount: str, tx: TxOptions) -> None:
    """Send AMOUNT (e.g. 1000uxprt,5stake) from a key or address to TO_ADDRESS.

    Example: allianced tx bank send user1 persistence1... 1000uxprt --wait -y
    """
    recipient = parse_account_address(to_address, "recipient address")
    coins = parse_amount(amount)
    run_tx(
        tx,
        from_key_or_address,
        lambda sender: [
            bank_tx.MsgSend(from_address=sender, to_address=recipient, amount=coins_to_proto(coins))
        ],
    )


@bank_tx_group.command(name="multi-send")
@click.argument("from_key_or_address")
@click.argument("to_addresses_and_amount", nargs=-1, required=True)
@click.option("--split", is_flag=True, help="Split AMOUNT evenly between the recipients")
@tx_flags(with_from=False)
def multi_send_command(
    from_key_or_address: str, to_addresses_and_amount: tuple[str, ...], split: bool, tx: TxOptions
) -> None:
    """Send AMOUNT to each of TO_ADDRESS… (or AMOUNT split evenly with --split) in one message.

    Usage: multi-send FROM TO1 TO2 [TO3 …] AMOUNT. With --split each recipient gets
    AMOUNT ÷ n per denom, rounded down; the remainder stays with the sender (as in the SDK).
    """
    if len(to_addresses_and_amount) < 3:
        raise click.UsageError("multi-send needs at least two recipients and an amount")
    *recipients, amount = to_addresses_and_amount
    addresses = [parse_account_address(text, "recipient address") for text in recipients]
    coins = parse_amount(amount)
    each = split_evenly(coins, len(addresses)) if split else coins
    if not each:
        raise ValueError(f"amount {amount!r} is too small to split between {len(addresses)}")
    total = Coins.from_iterable(
        Coin(coin.denom, coin.amount * Int(len(addresses))) for coin in each
    )

    def build(sender: str) -> list[bank_tx.MsgMultiSend]:
        outputs = [bank_pb2.Output(address=a, coins=coins_to_proto(each)) for a in addresses]
        inputs = [bank_pb2.Input(address=sender, coins=coins_to_proto(total))]
        return [bank_tx.MsgMultiSend(inputs=inputs, outputs=outputs)]

    run_tx(tx, from_key_or_address, build)


def split_evenly(coins: Coins, parts: int) -> Coins:
    """Each part of `coins` split `parts` ways: amount ÷ parts per denom, truncated; denoms that
    would get nothing are dropped (SDK `Coins.QuoInt` in bank's multi-send --split)."""
    divisor = Int(parts)
    return Coins.from_iterable(Coin(coin.denom, coin.amount.quo(divisor)) for coin in coins)


def _balances(args: QueryArgs) -> tuple[str, Message]:
    address = parse_account_address(args["address"])
    if args["denom"]:
        return _SERVICE + "Balance", bank_query.QueryBalanceRequest(
            address=address, denom=args["denom"]
        )
    return _SERVICE + "AllBalances", bank_query.QueryAllBalancesRequest(
        address=address, pagination=args["pagination"]
    )


def _total(args: QueryArgs) -> tuple[str, Message]:
    if args["denom"]:
        return _SERVICE + "SupplyOf", bank_query.QuerySupplyOfRequest(denom=args["denom"])
    return _SERVICE + "TotalSupply", bank_query.QueryTotalSupplyRequest(
        pagination=args["pagination"]
    )


def _denom_metadata(args: QueryArgs) -> tuple[str, Message]:
    if args["denom"]:
        return _SERVICE + "DenomMetadata", bank_query.QueryDenomMetadataRequest(denom=args["denom"])
    return _SERVICE + "DenomsMetadata", bank_query.QueryDenomsMetadataRequest(
        pagination=args["pagination"]
    )


def _denom_option(help_text: str) -> click.Option:
    return click.Option(["--denom"], default="", help=help_text)


bank_query_group = query_group(
    "bank",
    "Bank queries: balances, supply, denom metadata, params.",
    [
        QuerySpec(
            "balances",
            "Balances of ADDRESS (one denom with --denom).",
            _balances,
            (click.Argument(["address"]), _denom_option("Only the balance of this denom")),
            paginated=True,
        ),
        QuerySpec(
            "total",
            "Total supply of every denom (one denom with --denom).",
            _total,
            (_denom_option("Only the supply of this denom"),),
            paginated=True,
        ),
        QuerySpec(
            "denom-metadata",
            "Metadata of every denom (one denom with --denom).",
            _denom_metadata,
            (_denom_option("Only the metadata of this denom"),),
            paginated=True,
        ),
        QuerySpec(
            "params",
            "The bank module's parameters.",
            lambda _args: (_SERVICE + "Params", bank_query.QueryParamsRequest()),
        ),
    ],
)
