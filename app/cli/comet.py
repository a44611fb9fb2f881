"""Commands answered by CometBFT itself rather than the application.

`status`, `query tx`, `query txs` and `query block` go through the node's RPC; `comet show-*`
read the node's key files under `<home>/config` (the node home, which is the client home on the
devnet and for `allianced init`).
"""

from __future__ import annotations

import base64
from typing import Any

import click

from app.cli.context import client_context, client_flags, client_home
from app.cli.output import emit
from app.cli.rpc import RpcClient, TxResult
from app.cli.tx_results import block_timestamp, included_tx_response
from app.codec import to_json_dict
from app.crypto.ed25519 import load_node_key, load_priv_validator_key, node_id
from app.types import address_from_ed25519_pubkey, cons_to_bech32

__all__ = [
    "block_command",
    "comet_group",
    "events_query",
    "status_command",
    "tx_command",
    "txs_command",
]

ED25519_PUBKEY_TYPE_URL = "/cosmos.crypto.ed25519.PubKey"
"""Type URL of a consensus public key in the SDK's JSON."""

DEFAULT_TXS_LIMIT = 100
"""Transactions per page of `query txs` (the SDK's default)."""


@click.command(name="status")
@client_flags
def status_command() -> None:
    """The node status as JSON: node_info, sync_info (height, catching_up), validator_info."""
    client = client_context(click.get_current_context())
    with client.rpc() as rpc:
        emit(rpc.status(), "json")


@click.command(name="tx")
@click.argument("tx_hash")
@client_flags
def tx_command(tx_hash: str) -> None:
    """The result of the included tx TX_HASH (hex): height, code, logs, events, gas, the tx."""
    try:
        bytes.fromhex(tx_hash)
    except ValueError:
        raise ValueError(f"invalid tx hash {tx_hash!r}: expected hex") from None
    client = client_context(click.get_current_context())
    with client.rpc() as rpc:
        result = rpc.tx(tx_hash)
        response = included_tx_response(result, block_timestamp(rpc, result.height))
    emit(to_json_dict(response), client.output_or("text"))


@click.command(name="txs")
@click.option(
    "--events",
    "events",
    multiple=True,
    help="Event condition type.attribute=value (repeatable, or joined with &); all must match",
)
@click.option("--query", "raw_query", default="", help='A raw CometBFT query, e.g. "tx.height>5"')
@click.option("--page", type=click.IntRange(min=1), default=1, help="Page number (1-based)")
@click.option(
    "--limit", type=click.IntRange(min=1, max=100), default=DEFAULT_TXS_LIMIT, help="Txs per page"
)
@click.option("--order-by", type=click.Choice(["asc", "desc"]), default="asc", help="Height order")
@client_flags
def txs_command(
    events: tuple[str, ...], raw_query: str, page: int, limit: int, order_by: str
) -> None:
    """Included txs matching --events and/or --query (only indexed attributes are searchable).

    Example: allianced query txs --events 'transfer.recipient=persistence1...'
    """
    query = " AND ".join(part for part in (events_query(events), raw_query) if part)
    if not query:
        raise click.UsageError("give --events or --query")
    client = client_context(click.get_current_context())
    with client.rpc() as rpc:
        found = rpc.tx_search(query, page, limit, "desc" if order_by == "desc" else "asc")
        txs = _tx_responses(rpc, found.txs)
    page_total = -(-found.total_count // limit)
    result = {
        "total_count": str(found.total_count),
        "count": str(len(txs)),
        "page_number": str(page),
        "page_total": str(page_total),
        "limit": str(limit),
        "txs": txs,
    }
    emit(result, client.output_or("text"))


@click.command(name="block")
@click.argument("height", type=click.IntRange(min=1), required=False)
@client_flags
def block_command(height: int | None) -> None:
    """The block at HEIGHT (default: latest) as CometBFT returns it."""
    client = client_context(click.get_current_context())
    with client.rpc() as rpc:
        emit(rpc.block(height or 0), client.output_or("json"))


@click.group(name="comet")
def comet_group() -> None:
    """The node's own identity (reads <home>/config key files)."""


@comet_group.command(name="show-validator")
@client_flags
def show_validator_command() -> None:
    """The validator's consensus public key as SDK JSON (for create-validator --pubkey)."""
    pubkey = _consensus_pubkey()
    key = base64.b64encode(pubkey).decode()
    emit({"@type": ED25519_PUBKEY_TYPE_URL, "key": key}, "json")


@comet_group.command(name="show-address")
@client_flags
def show_address_command() -> None:
    """The validator's consensus address (persistencevalcons1…)."""
    click.echo(cons_to_bech32(address_from_ed25519_pubkey(_consensus_pubkey())))


@comet_group.command(name="show-node-id")
@client_flags
def show_node_id_command() -> None:
    """The node's P2P id (hex of sha256(node key)[:20]), as in `id@host:26656`."""
    path = client_home(click.get_current_context()) / "config" / "node_key.json"
    click.echo(node_id(load_node_key(path).public_key.key))


def events_query(conditions: tuple[str, ...]) -> str:
    """A CometBFT query from `--events` conditions: `a.b=v` → `a.b='v'`, all joined with AND.

    Each flag may hold several conditions joined by `&` (the SDK's form); values already in
    single quotes are kept.

    Raises:
        ValueError: a condition is not `type.attribute=value`.
    """
    parts: list[str] = []
    for condition in (c for flag in conditions for c in flag.split("&") if c.strip()):
        key, separator, value = condition.strip().partition("=")
        if not separator or "." not in key or not value:
            raise ValueError(f"invalid event {condition!r}: expected type.attribute=value")
        quoted = value if value.startswith("'") and value.endswith("'") else f"'{value}'"
        parts.append(f"{key.strip()}={quoted}")
    return " AND ".join(parts)


def _tx_responses(rpc: RpcClient, results: tuple[TxResult, ...]) -> list[dict[str, Any]]:
    """TxResponses in proto-JSON, fetching each block time once."""
    times: dict[int, str] = {}
    responses = []
    for result in results:
        if result.height not in times:
            times[result.height] = block_timestamp(rpc, result.height)
        responses.append(to_json_dict(included_tx_response(result, times[result.height])))
    return responses


def _consensus_pubkey() -> bytes:
    path = client_home(click.get_current_context()) / "config" / "priv_validator_key.json"
    return load_priv_validator_key(path).public_key.key
