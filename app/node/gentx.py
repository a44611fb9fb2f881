"""`allianced genesis gentx` and `genesis collect-gentxs`: a genesis validator set made the
Cosmos way.

`gentx` signs, with a keyring key, a tx carrying one MsgCreateValidator for this node's consensus
key (account number 0, sequence 0: at genesis the SDK verifies signatures with account number 0)
and writes it to ``config/gentx/gentx-<node id>.json``. `collect-gentxs` puts every gentx found
there into ``app_state.genutil.gen_txs`` (file-name order) and empties CometBFT's genesis
``validators``: InitChain delivers the gentxs and returns the set staking computes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from app.cli.context import client_context, client_home
from app.cli.keyring import Keyring, KeyringError
from app.codec import pack_any, to_json_dict
from app.crypto import ed25519
from app.modules.genutil.module import decode_gentx
from app.node.home import NodeHome
from app.node.init import InitError, read_genesis, write_genesis
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.pb.cosmos.crypto.ed25519 import keys_pb2
from app.pb.cosmos.staking.v1beta1 import staking_pb2
from app.pb.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.pb.cosmos.tx.v1beta1 import tx_pb2
from app.tx import Signer, build_signed_tx
from app.types.address import val_to_bech32
from app.types.coin import Coin, Coins
from app.types.dec import Dec
from app.types.errors import TypesError

__all__ = [
    "GENTX_DIR",
    "GENTX_GAS_LIMIT",
    "GentxError",
    "ValidatorSpec",
    "build_gentx",
    "collect_gentxs",
    "genesis_balance",
    "gentx_document",
    "write_gentx",
]

GENTX_DIR = "gentx"
"""Folder of a home's ``config/`` where gentxs are written and collected from."""

GENTX_GAS_LIMIT = 400_000
"""Gas limit of a gentx: creating a validator writes about a dozen records."""


class GentxError(ValueError):
    """The gentx cannot be made or collected (unknown key, too small a balance, bad file)."""


@dataclass(frozen=True, slots=True)
class ValidatorSpec:
    """What `gentx` puts into MsgCreateValidator (the SDK CLI's defaults)."""

    moniker: str
    commission_rate: str = "0.1"
    commission_max_rate: str = "0.2"
    commission_max_change_rate: str = "0.01"
    min_self_delegation: str = "1"
    identity: str = ""
    website: str = ""
    security_contact: str = ""
    details: str = ""


def _dec_text(text: str, name: str) -> str:
    try:
        return Dec.from_str(text).to_proto_str()
    except (TypesError, ValueError) as exc:
        raise GentxError(f"invalid {name} {text!r}: {exc}") from None


def create_validator_msg(
    operator: bytes, consensus_pubkey: bytes, amount: Coin, spec: ValidatorSpec
) -> staking_tx.MsgCreateValidator:
    return staking_tx.MsgCreateValidator(
        description=staking_pb2.Description(
            moniker=spec.moniker,
            identity=spec.identity,
            website=spec.website,
            security_contact=spec.security_contact,
            details=spec.details,
        ),
        commission=staking_pb2.CommissionRates(
            rate=_dec_text(spec.commission_rate, "commission rate"),
            max_rate=_dec_text(spec.commission_max_rate, "commission max rate"),
            max_change_rate=_dec_text(spec.commission_max_change_rate, "commission max change"),
        ),
        min_self_delegation=spec.min_self_delegation,
        validator_address=val_to_bech32(operator),
        pubkey=pack_any(keys_pb2.PubKey(key=consensus_pubkey)),
        value=coin_pb2.Coin(denom=amount.denom, amount=str(amount.amount)),
    )


def genesis_balance(genesis: dict[str, Any], address: str) -> Coins:
    """The genesis bank balance of `address` (empty when it has none)."""
    for entry in genesis.get("app_state", {}).get("bank", {}).get("balances", []):
        if entry.get("address") == address:
            return Coins.from_iterable(
                Coin.parse(f"{coin['amount']}{coin['denom']}") for coin in entry.get("coins", [])
            )
    return Coins()


def build_gentx(
    keyring: Keyring,
    key_name: str,
    amount: Coin,
    consensus_pubkey: bytes,
    spec: ValidatorSpec,
    *,
    genesis: dict[str, Any],
    chain_id: str,
) -> dict[str, Any]:
    """The signed gentx as proto-JSON; the key's genesis balance must cover `amount`.

    Raises:
        GentxError: unknown key, or the genesis balance is smaller than `amount`.
    """
    try:
        key = keyring.get(key_name)
    except KeyringError as exc:
        raise GentxError(str(exc)) from None
    balance = genesis_balance(genesis, key.bech32_address)
    if balance.amount_of(amount.denom) < amount.amount:
        raise GentxError(
            f"account {key.bech32_address} has a genesis balance of {balance or 'nothing'}, "
            f"less than the self-delegation {amount}"
        )
    message = create_validator_msg(key.address, consensus_pubkey, amount, spec)
    signer = Signer(key.pubkey, lambda doc: keyring.sign(key.name, doc)[0])
    raw = build_signed_tx(
        [message],
        signer,
        chain_id=chain_id,
        account_number=0,
        sequence=0,
        fee=Coins(),
        gas_limit=GENTX_GAS_LIMIT,
    )
    return gentx_document(raw)


def gentx_document(raw: bytes) -> dict[str, Any]:
    """The SDK JSON of the ``Tx`` of signed ``TxRaw`` bytes: the form gentxs take in a genesis
    (commission rates as decimals; `decode_gentx` reads it back to the signed bytes)."""
    tx_raw = tx_pb2.TxRaw.FromString(raw)
    tx = tx_pb2.Tx(
        body=tx_pb2.TxBody.FromString(tx_raw.body_bytes),
        auth_info=tx_pb2.AuthInfo.FromString(tx_raw.auth_info_bytes),
        signatures=list(tx_raw.signatures),
    )
    return to_json_dict(tx)


def write_gentx(home: NodeHome, document: dict[str, Any]) -> Path:
    """Write ``config/gentx/gentx-<node id>.json``; returns its path."""
    node_id = ed25519.node_id(ed25519.load_node_key(home.node_key_file).public_key.key)
    folder = home.config_dir / GENTX_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gentx-{node_id}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def collect_gentxs(home: NodeHome, gentx_dir: Path | None = None) -> list[Path]:
    """Put every gentx of `gentx_dir` (default ``config/gentx``) into the home's genesis.

    Raises:
        GentxError: no gentx found, or one that is not a valid gentx.
    """
    folder = gentx_dir or home.config_dir / GENTX_DIR
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not paths:
        raise GentxError(f"no gentx files in {folder}")
    documents = []
    for path in paths:
        document = json.loads(path.read_text())
        try:
            decode_gentx(document)
        except Exception as exc:  # every decoding failure is a bad file to the operator
            raise GentxError(f"{path}: {exc}") from None
        documents.append(document)
    genesis = read_genesis(home.genesis_file)
    genesis.setdefault("app_state", {})["genutil"] = {"gen_txs": documents}
    genesis["validators"] = []
    write_genesis(home.genesis_file, genesis)
    return paths


@click.command("gentx")
@click.argument("key_name")
@click.argument("amount")
@click.option("--moniker", default=None, help="Validator name (default: the node's moniker).")
@click.option("--chain-id", required=True, help="The chain id the gentx is signed for.")
@click.option("--commission-rate", default="0.1", show_default=True)
@click.option("--commission-max-rate", default="0.2", show_default=True)
@click.option("--commission-max-change-rate", default="0.01", show_default=True)
@click.option("--min-self-delegation", default="1", show_default=True)
@click.option("--details", default="")
@click.option("--website", default="")
@click.option("--identity", default="")
@click.option("--security-contact", default="")
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), default=None)
@click.option("--keyring-backend", default=None, help="Keyring backend (default: test).")
@click.pass_context
def gentx_command(
    ctx: click.Context,
    key_name: str,
    amount: str,
    moniker: str | None,
    chain_id: str,
    commission_rate: str,
    commission_max_rate: str,
    commission_max_change_rate: str,
    min_self_delegation: str,
    details: str,
    website: str,
    identity: str,
    security_contact: str,
    home: Path | None,
    keyring_backend: str | None,
) -> None:
    """Sign a MsgCreateValidator of KEY_NAME self-delegating AMOUNT (e.g. 100000000uxprt) for
    this node's consensus key; writes config/gentx/gentx-<node id>.json."""
    client = client_context(ctx)
    node = NodeHome(home or client.home)
    backend = keyring_backend or client.keyring_backend
    try:
        coin = Coin.parse(amount)
        genesis = read_genesis(node.genesis_file)
        spec = ValidatorSpec(
            moniker=moniker or _node_moniker(node),
            commission_rate=commission_rate,
            commission_max_rate=commission_max_rate,
            commission_max_change_rate=commission_max_change_rate,
            min_self_delegation=min_self_delegation,
            identity=identity,
            website=website,
            security_contact=security_contact,
            details=details,
        )
        consensus_key = ed25519.load_priv_validator_key(node.priv_validator_key_file)
        document = build_gentx(
            Keyring(node.root, backend),  # type: ignore[arg-type]
            key_name,
            coin,
            consensus_key.public_key.key,
            spec,
            genesis=genesis,
            chain_id=chain_id,
        )
    except (GentxError, InitError, KeyringError, TypesError, OSError) as error:
        raise click.ClickException(str(error)) from None
    path = write_gentx(node, document)
    click.echo(f"Genesis transaction written to {path}", err=True)


@click.command("collect-gentxs")
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), default=None)
@click.option("--gentx-dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@click.pass_context
def collect_gentxs_command(ctx: click.Context, home: Path | None, gentx_dir: Path | None) -> None:
    """Put every gentx of config/gentx into the genesis (app_state.genutil.gen_txs)."""
    node = NodeHome(home or client_home(ctx))
    try:
        paths = collect_gentxs(node, gentx_dir)
    except (GentxError, InitError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"collected {len(paths)} genesis transactions into {node.genesis_file}", err=True)


def _node_moniker(home: NodeHome) -> str:
    for line in home.cometbft_config.read_text().splitlines():
        if line.startswith("moniker"):
            return line.split("=", 1)[1].strip().strip('"')
    return "validator"
