"""`allianced tx distribution …` and `allianced query distribution …`."""

from __future__ import annotations

import click
from google.protobuf.message import Message

from app.chain.coins import coins_to_proto
from app.cli.context import client_context
from app.cli.params import parse_account_address, parse_amount
from app.cli.queries import QueryArgs, QuerySpec, query_group, response_class
from app.cli.txs import TxOptions, run_message_tx, run_tx, tx_flags
from app.pb.cosmos.distribution.v1beta1 import query_pb2 as distr_query
from app.pb.cosmos.distribution.v1beta1 import tx_pb2 as distr_tx
from app.types import acc_address_from_bech32, val_address_from_bech32, val_to_bech32

__all__ = ["distribution_query_group", "distribution_tx_group", "parse_validator_address"]

_SERVICE = "/cosmos.distribution.v1beta1.Query/"


def parse_validator_address(text: str) -> str:
    """`text` if it is a `persistencevaloper1…` operator address.

    Raises:
        ValueError: "invalid validator address <text>: <reason>".
    """
    try:
        val_address_from_bech32(text)
    except ValueError as error:
        raise ValueError(f"invalid validator address {text!r}: {error}") from None
    return text


def operator_of(account: str) -> str:
    """The operator address with the same bytes as an account address."""
    return val_to_bech32(acc_address_from_bech32(account))


@click.group(name="distribution")
def distribution_tx_group() -> None:
    """Distribution transactions: withdraw rewards and commission, the community pool."""


@distribution_tx_group.command(name="withdraw-rewards")
@click.argument("validator_address")
@click.option("--commission", is_flag=True, help="Also withdraw the validator's commission")
@tx_flags()
def withdraw_rewards_command(validator_address: str, commission: bool, tx: TxOptions) -> None:
    """Withdraw the rewards of the delegation to VALIDATOR_ADDRESS (and, with --commission,
    the commission of the validator the signer operates).

    Example: allianced tx distribution withdraw-rewards persistencevaloper1... --from key -y
    """
    validator = parse_validator_address(validator_address)

    def build(sender: str) -> list[Message]:
        messages: list[Message] = [
            distr_tx.MsgWithdrawDelegatorReward(
                delegator_address=sender, validator_address=validator
            )
        ]
        if commission:
            messages.append(
                distr_tx.MsgWithdrawValidatorCommission(validator_address=operator_of(sender))
            )
        return messages

    run_tx(tx, None, build)


@distribution_tx_group.command(name="withdraw-all-rewards")
@tx_flags()
def withdraw_all_rewards_command(tx: TxOptions) -> None:
    """Withdraw the rewards of every delegation of the signer, in one tx."""

    def build(sender: str) -> list[Message]:
        path = _SERVICE + "DelegatorValidators"
        client = client_context(click.get_current_context())
        with client.rpc() as rpc:
            response = rpc.query_grpc(
                path,
                distr_query.QueryDelegatorValidatorsRequest(delegator_address=sender),
                response_class(path),
                0,
            )
        validators = list(getattr(response, "validators"))  # noqa: B009 (dynamic class)
        if not validators:
            raise ValueError(f"{sender} has no delegations")
        return [
            distr_tx.MsgWithdrawDelegatorReward(delegator_address=sender, validator_address=v)
            for v in validators
        ]

    run_tx(tx, None, build)


@distribution_tx_group.command(name="set-withdraw-addr")
@click.argument("withdraw_address")
@tx_flags()
def set_withdraw_addr_command(withdraw_address: str, tx: TxOptions) -> None:
    """Send the signer's future rewards to WITHDRAW_ADDRESS."""
    address = parse_account_address(withdraw_address, "withdraw address")
    run_message_tx(
        tx,
        lambda sender: distr_tx.MsgSetWithdrawAddress(
            delegator_address=sender, withdraw_address=address
        ),
    )


@distribution_tx_group.command(name="fund-community-pool")
@click.argument("amount")
@tx_flags()
def fund_community_pool_command(amount: str, tx: TxOptions) -> None:
    """Move AMOUNT, such as 1000uxprt, from the signer into the community pool."""
    coins = parse_amount(amount)
    run_message_tx(
        tx,
        lambda sender: distr_tx.MsgFundCommunityPool(
            amount=coins_to_proto(coins), depositor=sender
        ),
    )


def _rewards(args: QueryArgs) -> tuple[str, Message]:
    delegator = parse_account_address(args["delegator_address"], "delegator address")
    if args["validator_address"]:
        return _SERVICE + "DelegationRewards", distr_query.QueryDelegationRewardsRequest(
            delegator_address=delegator,
            validator_address=parse_validator_address(args["validator_address"]),
        )
    return _SERVICE + "DelegationTotalRewards", distr_query.QueryDelegationTotalRewardsRequest(
        delegator_address=delegator
    )


def _validator_query(method: str, request_class: type[Message]) -> QuerySpec:
    """A query taking one VALIDATOR_ADDRESS argument."""

    def build(args: QueryArgs) -> tuple[str, Message]:
        validator = parse_validator_address(args["validator_address"])
        return _SERVICE + method, request_class(validator_address=validator)

    name = "commission" if method == "ValidatorCommission" else "validator-outstanding-rewards"
    return QuerySpec(
        name,
        f"The {name.replace('-', ' ')} of VALIDATOR_ADDRESS.",
        build,
        (click.Argument(["validator_address"]),),
    )


distribution_query_group = query_group(
    "distribution",
    "Distribution queries: rewards, commission, community pool, params.",
    [
        QuerySpec(
            "rewards",
            "Rewards of DELEGATOR_ADDRESS: every delegation, or the one to VALIDATOR_ADDRESS.",
            _rewards,
            (
                click.Argument(["delegator_address"]),
                click.Argument(["validator_address"], required=False, default=""),
            ),
        ),
        _validator_query("ValidatorCommission", distr_query.QueryValidatorCommissionRequest),
        _validator_query(
            "ValidatorOutstandingRewards", distr_query.QueryValidatorOutstandingRewardsRequest
        ),
        QuerySpec(
            "community-pool",
            "The community pool.",
            lambda _args: (_SERVICE + "CommunityPool", distr_query.QueryCommunityPoolRequest()),
        ),
        QuerySpec(
            "params",
            "The distribution module's parameters.",
            lambda _args: (_SERVICE + "Params", distr_query.QueryParamsRequest()),
        ),
    ],
)
