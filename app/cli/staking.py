"""`allianced tx staking …` and `allianced query staking …`: the staking module's commands."""

from __future__ import annotations

import base64
import json

import click
from google.protobuf.message import Message

from app.cli.params import parse_account_address, parse_coin, parse_validator_address
from app.cli.queries import QueryArgs, QuerySpec, query_group
from app.cli.txs import TxOptions, run_message_tx, run_redelegate_tx, run_stake_tx, tx_flags
from app.codec import pack_any
from app.pb.cosmos.crypto.ed25519 import keys_pb2
from app.pb.cosmos.staking.v1beta1 import query_pb2 as staking_query
from app.pb.cosmos.staking.v1beta1 import staking_pb2
from app.pb.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.types import Dec, acc_address_from_bech32, val_to_bech32

__all__ = ["staking_query_group", "staking_tx_group"]

_SERVICE = "/cosmos.staking.v1beta1.Query/"


def _operator_of(sender: str) -> str:
    return val_to_bech32(acc_address_from_bech32(sender))


def _dec(text: str) -> str:
    return Dec.from_str(text).to_proto_str() if text else ""


def _pubkey(text: str) -> keys_pb2.PubKey:
    """`{"@type":"/cosmos.crypto.ed25519.PubKey","key":"<base64>"}` (as `comet show-validator`)."""
    document = json.loads(text)
    return keys_pb2.PubKey(key=base64.b64decode(document["key"]))


def _description(
    moniker: str, identity: str, website: str, security_contact: str, details: str
) -> staking_pb2.Description:
    return staking_pb2.Description(
        moniker=moniker,
        identity=identity,
        website=website,
        security_contact=security_contact,
        details=details,
    )


@click.group(name="staking")
def staking_tx_group() -> None:
    """Staking transactions: validators, delegations, unbonding, redelegation."""


@staking_tx_group.command(name="create-validator")
@click.option(
    "--pubkey", required=True, help="Consensus key JSON (`allianced comet show-validator`)."
)
@click.option("--amount", required=True, help="Self-delegation, e.g. 1000000uxprt.")
@click.option("--moniker", required=True)
@click.option("--identity", default="")
@click.option("--website", default="")
@click.option("--security-contact", default="")
@click.option("--details", default="")
@click.option("--commission-rate", default="0.1", show_default=True)
@click.option("--commission-max-rate", default="0.2", show_default=True)
@click.option("--commission-max-change-rate", default="0.01", show_default=True)
@click.option("--min-self-delegation", default="1", show_default=True)
@tx_flags()
def create_validator_command(
    pubkey: str,
    amount: str,
    moniker: str,
    identity: str,
    website: str,
    security_contact: str,
    details: str,
    commission_rate: str,
    commission_max_rate: str,
    commission_max_change_rate: str,
    min_self_delegation: str,
    tx: TxOptions,
) -> None:
    """Create a validator operated by --from, self-delegating --amount."""
    key = pack_any(_pubkey(pubkey))
    value = parse_coin(amount)
    description = _description(moniker, identity, website, security_contact, details)
    rates = staking_pb2.CommissionRates(
        rate=_dec(commission_rate),
        max_rate=_dec(commission_max_rate),
        max_change_rate=_dec(commission_max_change_rate),
    )
    run_message_tx(
        tx,
        lambda sender: staking_tx.MsgCreateValidator(
            description=description,
            commission=rates,
            min_self_delegation=min_self_delegation,
            validator_address=_operator_of(sender),
            pubkey=key,
            value=value,
        ),
    )


@staking_tx_group.command(name="edit-validator")
@click.option("--moniker", default="[do-not-modify]")
@click.option("--identity", default="[do-not-modify]")
@click.option("--website", default="[do-not-modify]")
@click.option("--security-contact", default="[do-not-modify]")
@click.option("--details", default="[do-not-modify]")
@click.option("--commission-rate", default="", help="New commission rate (at most once a day).")
@click.option("--min-self-delegation", default="")
@tx_flags()
def edit_validator_command(
    moniker: str,
    identity: str,
    website: str,
    security_contact: str,
    details: str,
    commission_rate: str,
    min_self_delegation: str,
    tx: TxOptions,
) -> None:
    """Edit the description, commission rate or minimum self-delegation of --from's validator."""
    description = _description(moniker, identity, website, security_contact, details)
    rate = _dec(commission_rate)
    run_message_tx(
        tx,
        lambda sender: staking_tx.MsgEditValidator(
            description=description,
            validator_address=_operator_of(sender),
            commission_rate=rate,
            min_self_delegation=min_self_delegation,
        ),
    )


@staking_tx_group.command(name="delegate")
@click.argument("validator")
@click.argument("amount")
@tx_flags()
def delegate_command(validator: str, amount: str, tx: TxOptions) -> None:
    """Delegate AMOUNT to VALIDATOR (persistencevaloper…)."""
    run_stake_tx(tx, staking_tx.MsgDelegate, validator, amount)


@staking_tx_group.command(name="unbond")
@click.argument("validator")
@click.argument("amount")
@tx_flags()
def unbond_command(validator: str, amount: str, tx: TxOptions) -> None:
    """Undelegate AMOUNT from VALIDATOR; paid back after the unbonding time."""
    run_stake_tx(tx, staking_tx.MsgUndelegate, validator, amount)


@staking_tx_group.command(name="redelegate")
@click.argument("src_validator")
@click.argument("dst_validator")
@click.argument("amount")
@tx_flags()
def redelegate_command(src_validator: str, dst_validator: str, amount: str, tx: TxOptions) -> None:
    """Move AMOUNT of delegation from SRC_VALIDATOR to DST_VALIDATOR."""
    run_redelegate_tx(tx, staking_tx.MsgBeginRedelegate, src_validator, dst_validator, amount)


@staking_tx_group.command(name="cancel-unbond")
@click.argument("validator")
@click.argument("amount")
@click.argument("creation_height", type=int)
@tx_flags()
def cancel_unbond_command(validator: str, amount: str, creation_height: int, tx: TxOptions) -> None:
    """Delegate back AMOUNT of the unbonding entry created at CREATION_HEIGHT."""
    target, coin = parse_validator_address(validator), parse_coin(amount)
    run_message_tx(
        tx,
        lambda sender: staking_tx.MsgCancelUnbondingDelegation(
            delegator_address=sender,
            validator_address=target,
            amount=coin,
            creation_height=creation_height,
        ),
    )


_STATUSES = {
    "": "",
    "bonded": "BOND_STATUS_BONDED",
    "unbonding": "BOND_STATUS_UNBONDING",
    "unbonded": "BOND_STATUS_UNBONDED",
}


def _validators(args: QueryArgs) -> tuple[str, Message]:
    return _SERVICE + "Validators", staking_query.QueryValidatorsRequest(
        status=_STATUSES[args["status"]], pagination=args["pagination"]
    )


def _delegation(args: QueryArgs) -> tuple[str, Message]:
    return _SERVICE + "Delegation", staking_query.QueryDelegationRequest(
        delegator_addr=parse_account_address(args["delegator"]),
        validator_addr=parse_validator_address(args["validator"]),
    )


def _delegations(args: QueryArgs) -> tuple[str, Message]:
    return _SERVICE + "DelegatorDelegations", staking_query.QueryDelegatorDelegationsRequest(
        delegator_addr=parse_account_address(args["delegator"]), pagination=args["pagination"]
    )


def _unbondings(args: QueryArgs) -> tuple[str, Message]:
    return (
        _SERVICE + "DelegatorUnbondingDelegations",
        staking_query.QueryDelegatorUnbondingDelegationsRequest(
            delegator_addr=parse_account_address(args["delegator"]),
            pagination=args["pagination"],
        ),
    )


def _redelegations(args: QueryArgs) -> tuple[str, Message]:
    return _SERVICE + "Redelegations", staking_query.QueryRedelegationsRequest(
        delegator_addr=parse_account_address(args["delegator"]),
        src_validator_addr=args["src_validator"],
        dst_validator_addr=args["dst_validator"],
        pagination=args["pagination"],
    )


staking_query_group = query_group(
    "staking",
    "Staking queries: validators, delegations, unbondings, redelegations, pool, params.",
    [
        QuerySpec(
            "validators",
            "Every validator (--status bonded|unbonding|unbonded filters).",
            _validators,
            (click.Option(["--status"], default="", type=click.Choice(list(_STATUSES))),),
            paginated=True,
        ),
        QuerySpec(
            "validator",
            "One validator by operator address.",
            lambda args: (
                _SERVICE + "Validator",
                staking_query.QueryValidatorRequest(
                    validator_addr=parse_validator_address(args["validator"])
                ),
            ),
            (click.Argument(["validator"]),),
        ),
        QuerySpec(
            "delegation",
            "The delegation of DELEGATOR to VALIDATOR.",
            _delegation,
            (click.Argument(["delegator"]), click.Argument(["validator"])),
        ),
        QuerySpec(
            "delegations",
            "Every delegation of DELEGATOR.",
            _delegations,
            (click.Argument(["delegator"]),),
            paginated=True,
        ),
        QuerySpec(
            "unbonding-delegations",
            "Every unbonding delegation of DELEGATOR.",
            _unbondings,
            (click.Argument(["delegator"]),),
            paginated=True,
        ),
        QuerySpec(
            "redelegations",
            "Redelegations of DELEGATOR (one with --src-validator and --dst-validator).",
            _redelegations,
            (
                click.Argument(["delegator"]),
                click.Option(["--src-validator"], default=""),
                click.Option(["--dst-validator"], default=""),
            ),
            paginated=True,
        ),
        QuerySpec(
            "pool",
            "Tokens in the bonded and not-bonded pools.",
            lambda _args: (_SERVICE + "Pool", staking_query.QueryPoolRequest()),
        ),
        QuerySpec(
            "params",
            "The staking module's parameters.",
            lambda _args: (_SERVICE + "Params", staking_query.QueryParamsRequest()),
        ),
    ],
)
