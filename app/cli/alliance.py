"""`allianced tx alliance …` and `allianced query alliance …`: staking alliance assets, listing
them by governance, and the module's 15 queries.

    tx alliance delegate|undelegate VALIDATOR AMOUNT
    tx alliance redelegate SRC_VALIDATOR DST_VALIDATOR AMOUNT
    tx alliance claim-rewards VALIDATOR DENOM
    tx alliance propose create|update DENOM WEIGHT WEIGHT_MIN WEIGHT_MAX
                        (--take-rate R | --annual-take-rate Y) --title T --summary S [--deposit D]
    tx alliance propose delete DENOM --title T --summary S [--deposit D]

A proposal command wraps the authority message (signed by the gov module account) in a gov v1
`MsgSubmitProposal` from --from. Without --deposit it deposits the chain's minimum deposit (the
expedited one with --expedited). `--annual-take-rate y` is converted with the chain's current
`take_rate_claim_interval` I to r = 1 - (1 - y)^(I / 31,536,000 s), rounded down to 18 decimals
(`app.cli.take_rate`); both rates are echoed on stderr.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click
from google.protobuf.message import Message

from app.chain.coins import coins_to_proto, parse_coins
from app.cli.context import client_context
from app.cli.params import (
    parse_account_address,
    parse_amount,
    parse_dec,
    parse_validator_address,
)
from app.cli.queries import QueryArgs, QuerySpec, query_group, response_class
from app.cli.rpc import ClientError, RpcClient
from app.cli.take_rate import annual_to_interval_take_rate
from app.cli.txs import TxOptions, run_message_tx, run_redelegate_tx, run_stake_tx, tx_flags
from app.codec import pack_any
from app.pb.alliance.alliance import alliance_pb2
from app.pb.alliance.alliance import query_pb2 as alliance_query
from app.pb.alliance.alliance import tx_pb2 as alliance_tx
from app.pb.cosmos.gov.v1 import query_pb2 as gov_query
from app.pb.cosmos.gov.v1 import tx_pb2 as gov_tx
from app.types import (
    SECOND,
    Coins,
    Dec,
    acc_to_bech32,
    duration_from_proto,
    duration_to_proto,
    format_duration,
    module_address,
    parse_duration,
)

__all__ = [
    "GOV_AUTHORITY",
    "AssetFlags",
    "ProposalFlags",
    "alliance_query_group",
    "alliance_tx_group",
    "resolve_take_rate",
    "submit_alliance_proposal",
]

_SERVICE = "/alliance.alliance.Query/"
ALLIANCE_PARAMS_PATH = _SERVICE + "Params"
GOV_PARAMS_PATH = "/cosmos.gov.v1.Query/Params"

GOV_AUTHORITY = acc_to_bech32(module_address("gov"))
"""The gov module account: the authority every alliance administration message names."""

AuthorityMessage = alliance_tx.MsgCreateAlliance | alliance_tx.MsgUpdateAlliance


# ---- argument parsing -------------------------------------------------------------------------


# ---- staking transactions ---------------------------------------------------------------------


@click.group(name="alliance")
def alliance_tx_group() -> None:
    """Alliance transactions: stake alliance assets, claim rewards, propose listings."""


@alliance_tx_group.command(name="delegate")
@click.argument("validator")
@click.argument("amount")
@tx_flags()
def delegate_command(validator: str, amount: str, tx: TxOptions) -> None:
    """Stake AMOUNT of an alliance asset (e.g. 1000ibc/…) with VALIDATOR."""
    run_stake_tx(tx, alliance_tx.MsgDelegate, validator, amount)


@alliance_tx_group.command(name="undelegate")
@click.argument("validator")
@click.argument("amount")
@tx_flags()
def undelegate_command(validator: str, amount: str, tx: TxOptions) -> None:
    """Unstake AMOUNT of an alliance asset from VALIDATOR; paid back after the unbonding time."""
    run_stake_tx(tx, alliance_tx.MsgUndelegate, validator, amount)


@alliance_tx_group.command(name="redelegate")
@click.argument("src_validator")
@click.argument("dst_validator")
@click.argument("amount")
@tx_flags()
def redelegate_command(src_validator: str, dst_validator: str, amount: str, tx: TxOptions) -> None:
    """Move AMOUNT of an alliance asset's stake from SRC_VALIDATOR to DST_VALIDATOR."""
    run_redelegate_tx(tx, alliance_tx.MsgRedelegate, src_validator, dst_validator, amount)


@alliance_tx_group.command(name="claim-rewards")
@click.argument("validator")
@click.argument("denom")
@tx_flags()
def claim_rewards_command(validator: str, denom: str, tx: TxOptions) -> None:
    """Withdraw the rewards of the DENOM stake with VALIDATOR."""
    target = parse_validator_address(validator)
    run_message_tx(
        tx,
        lambda sender: alliance_tx.MsgClaimDelegationRewards(
            delegator_address=sender, validator_address=target, denom=denom
        ),
    )


# ---- governance proposals ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProposalFlags:
    """The gov flags of a `propose` command, as given (an empty deposit: the chain's minimum)."""

    title: str
    summary: str
    deposit: str
    metadata: str
    expedited: bool


@dataclass(frozen=True, slots=True)
class AssetFlags:
    """The asset fields of `propose create|update`, as given."""

    denom: str
    reward_weight: str
    reward_weight_min: str
    reward_weight_max: str
    take_rate: str | None
    annual_take_rate: str | None
    reward_change_rate: str
    reward_change_interval: str


def resolve_take_rate(
    take_rate: str | None, annual_take_rate: str | None, interval_of: Callable[[], int]
) -> Dec:
    """The per-interval take rate: --take-rate as given, or --annual-take-rate converted with the
    interval (seconds) that `interval_of` fetches, echoing both rates on stderr.

    Raises:
        click.UsageError: neither or both flags.
        ValueError: a rate that is not a decimal, or an annual rate outside [0, 1).
    """
    if annual_take_rate is None:
        if take_rate is None:
            raise click.UsageError("give --take-rate or --annual-take-rate")
        return parse_dec(take_rate, "--take-rate")
    if take_rate is not None:
        raise click.UsageError("give --take-rate or --annual-take-rate, not both")
    annual = parse_dec(annual_take_rate, "--annual-take-rate")
    interval = interval_of()
    rate = annual_to_interval_take_rate(annual, interval)
    click.echo(
        f"take rate: {annual} per year = {rate} per take-rate interval of {interval}s "
        "(rounded down)",
        err=True,
    )
    return rate


def _query(rpc: RpcClient, path: str, request: Message) -> Any:
    return rpc.query_grpc(path, request, response_class(path))


def _take_rate_interval_seconds(rpc: RpcClient) -> int:
    """The chain's `take_rate_claim_interval` in whole seconds.

    Raises:
        ClientError: the interval is zero or not a whole number of seconds.
    """
    params = _query(rpc, ALLIANCE_PARAMS_PATH, alliance_query.QueryParamsRequest()).params
    interval = duration_from_proto(params.take_rate_claim_interval)
    if interval <= 0 or interval % SECOND:
        raise ClientError(
            f"the chain's take-rate interval {format_duration(interval)} is not a positive "
            "number of seconds: give --take-rate instead"
        )
    return interval // SECOND


def _minimum_deposit(rpc: RpcClient, expedited: bool) -> Coins:
    params = _query(rpc, GOV_PARAMS_PATH, gov_query.QueryParamsRequest()).params
    chosen = params.expedited_min_deposit if expedited else params.min_deposit
    return parse_coins(chosen)


def _asset_message(
    flags: AssetFlags, take_rate: Dec, message_class: type[AuthorityMessage]
) -> AuthorityMessage:
    return message_class(
        authority=GOV_AUTHORITY,
        denom=flags.denom,
        reward_weight=parse_dec(flags.reward_weight, "reward weight").to_proto_str(),
        take_rate=take_rate.to_proto_str(),
        reward_change_rate=parse_dec(
            flags.reward_change_rate, "--reward-change-rate"
        ).to_proto_str(),
        reward_change_interval=duration_to_proto(parse_duration(flags.reward_change_interval)),
        reward_weight_range=alliance_pb2.RewardWeightRange(
            min=parse_dec(flags.reward_weight_min, "reward weight min").to_proto_str(),
            max=parse_dec(flags.reward_weight_max, "reward weight max").to_proto_str(),
        ),
    )


def submit_alliance_proposal(
    tx: TxOptions, proposal: ProposalFlags, build: Callable[[Callable[[], RpcClient]], Message]
) -> None:
    """Submit a gov proposal carrying `build(rpc)`, with --deposit or the chain's minimum.

    `build` receives a function opening the node connection, so that nothing is queried when
    every value is given on the command line.
    """
    client = client_context(click.get_current_context())
    with _LazyRpc(client.rpc) as rpc:
        message = build(rpc.get)
        deposit = (
            parse_amount(proposal.deposit, "--deposit")
            if proposal.deposit
            else _minimum_deposit(rpc.get(), proposal.expedited)
        )
    packed = pack_any(message)
    run_message_tx(
        tx,
        lambda sender: gov_tx.MsgSubmitProposal(
            messages=[packed],
            initial_deposit=coins_to_proto(deposit),
            proposer=sender,
            metadata=proposal.metadata,
            title=proposal.title,
            summary=proposal.summary,
            expedited=proposal.expedited,
        ),
    )


class _LazyRpc:
    """Opens the node connection on first use and closes it on exit if it was opened."""

    def __init__(self, connect: Callable[[], RpcClient]) -> None:
        self._connect = connect
        self._rpc: RpcClient | None = None

    def __enter__(self) -> _LazyRpc:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._rpc is not None:
            self._rpc.close()

    def get(self) -> RpcClient:
        if self._rpc is None:
            self._rpc = self._connect()
        return self._rpc


def _proposal_flags(command: Callable[..., Any]) -> Callable[..., Any]:
    """--title, --summary, --deposit, --metadata, --expedited (as `tx gov submit-proposal`)."""
    options = [
        click.option("--title", required=True, help="Title of the proposal"),
        click.option("--summary", required=True, help="Summary of the proposal"),
        click.option(
            "--deposit", default="", help="Initial deposit [default: the chain's minimum deposit]"
        ),
        click.option("--metadata", default="", help="Metadata of the proposal (e.g. an IPFS URI)"),
        click.option("--expedited", is_flag=True, help="Expedited proposal (shorter voting)"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _asset_flags(command: Callable[..., Any]) -> Callable[..., Any]:
    """DENOM WEIGHT WEIGHT_MIN WEIGHT_MAX and the take-rate and weight-schedule options."""
    parameters = [
        click.argument("denom"),
        click.argument("reward_weight"),
        click.argument("reward_weight_min"),
        click.argument("reward_weight_max"),
        click.option("--take-rate", default=None, help="Fraction taken per take-rate interval"),
        click.option(
            "--annual-take-rate",
            default=None,
            help="Fraction taken per year, converted to --take-rate with the chain's interval",
        ),
        click.option(
            "--reward-change-rate",
            default="1",
            show_default=True,
            help="Factor applied to the weight every --reward-change-interval (1: constant)",
        ),
        click.option(
            "--reward-change-interval",
            default="0s",
            show_default=True,
            help="Period of the weight change (0s: never)",
        ),
    ]
    for parameter in reversed(parameters):
        command = parameter(command)
    return command


def _propose_asset(
    message_class: type[AuthorityMessage], tx: TxOptions, values: dict[str, Any]
) -> None:
    proposal = ProposalFlags(**{name: values.pop(name) for name in _PROPOSAL_FIELDS})
    flags = AssetFlags(**values)

    def build(rpc: Callable[[], RpcClient]) -> Message:
        rate = resolve_take_rate(
            flags.take_rate, flags.annual_take_rate, lambda: _take_rate_interval_seconds(rpc())
        )
        return _asset_message(flags, rate, message_class)

    submit_alliance_proposal(tx, proposal, build)


_PROPOSAL_FIELDS = ("title", "summary", "deposit", "metadata", "expedited")


@alliance_tx_group.group(name="propose")
def propose_group() -> None:
    """Governance proposals that create, update or delete an alliance."""


@propose_group.command(name="create")
@_asset_flags
@_proposal_flags
@tx_flags()
def propose_create_command(tx: TxOptions, **values: Any) -> None:
    """Propose listing DENOM with REWARD_WEIGHT within [REWARD_WEIGHT_MIN, REWARD_WEIGHT_MAX]."""
    _propose_asset(alliance_tx.MsgCreateAlliance, tx, values)


@propose_group.command(name="update")
@_asset_flags
@_proposal_flags
@tx_flags()
def propose_update_command(tx: TxOptions, **values: Any) -> None:
    """Propose new weight, range, take rate and weight schedule for the alliance DENOM."""
    _propose_asset(alliance_tx.MsgUpdateAlliance, tx, values)


@propose_group.command(name="delete")
@click.argument("denom")
@_proposal_flags
@tx_flags()
def propose_delete_command(denom: str, tx: TxOptions, **values: Any) -> None:
    """Propose delisting DENOM (only possible once nothing of it is staked)."""
    submit_alliance_proposal(
        tx,
        ProposalFlags(**values),
        lambda _rpc: alliance_tx.MsgDeleteAlliance(authority=GOV_AUTHORITY, denom=denom),
    )


# ---- queries ----------------------------------------------------------------------------------


def _delegator(args: QueryArgs) -> str:
    return parse_account_address(args["delegator"], "delegator")


def _delegations(args: QueryArgs) -> tuple[str, Message]:
    """All delegations; DELEGATOR's; or DELEGATOR's with VALIDATOR."""
    page = args["pagination"]
    if not args["delegator"]:
        if args["validator"]:
            raise click.UsageError("VALIDATOR needs DELEGATOR")
        return _SERVICE + "AllAlliancesDelegations", (
            alliance_query.QueryAllAlliancesDelegationsRequest(pagination=page)
        )
    if not args["validator"]:
        return _SERVICE + "AlliancesDelegation", alliance_query.QueryAlliancesDelegationsRequest(
            delegator_addr=_delegator(args), pagination=page
        )
    return _SERVICE + "AlliancesDelegationByValidator", (
        alliance_query.QueryAlliancesDelegationByValidatorRequest(
            delegator_addr=_delegator(args),
            validator_addr=parse_validator_address(args["validator"]),
            pagination=page,
        )
    )


def _unbondings(args: QueryArgs) -> tuple[str, Message]:
    """DELEGATOR's unbondings; of DENOM; of DENOM with VALIDATOR."""
    page = args["pagination"]
    if not args["denom"]:
        if args["validator"]:
            raise click.UsageError("VALIDATOR needs DENOM")
        return _SERVICE + "AllianceUnbondingsByDelegator", (
            alliance_query.QueryAllianceUnbondingsByDelegatorRequest(
                delegator_addr=_delegator(args), pagination=page
            )
        )
    if not args["validator"]:
        return _SERVICE + "AllianceUnbondingsByDenomAndDelegator", (
            alliance_query.QueryAllianceUnbondingsByDenomAndDelegatorRequest(
                denom=args["denom"], delegator_addr=_delegator(args), pagination=page
            )
        )
    return _SERVICE + "AllianceUnbondings", alliance_query.QueryAllianceUnbondingsRequest(
        denom=args["denom"],
        delegator_addr=_delegator(args),
        validator_addr=parse_validator_address(args["validator"]),
        pagination=page,
    )


def _redelegations(args: QueryArgs) -> tuple[str, Message]:
    """DELEGATOR's redelegations, or those of DENOM."""
    page = args["pagination"]
    if not args["denom"]:
        return _SERVICE + "AllianceRedelegationsByDelegator", (
            alliance_query.QueryAllianceRedelegationsByDelegatorRequest(
                delegator_addr=_delegator(args), pagination=page
            )
        )
    return _SERVICE + "AllianceRedelegations", alliance_query.QueryAllianceRedelegationsRequest(
        denom=args["denom"], delegator_addr=_delegator(args), pagination=page
    )


def _delegation(args: QueryArgs) -> tuple[str, Message]:
    return _SERVICE + "AllianceDelegation", alliance_query.QueryAllianceDelegationRequest(
        delegator_addr=_delegator(args),
        validator_addr=parse_validator_address(args["validator"]),
        denom=args["denom"],
    )


def _rewards(args: QueryArgs) -> tuple[str, Message]:
    return _SERVICE + "AllianceDelegationRewards", (
        alliance_query.QueryAllianceDelegationRewardsRequest(
            delegator_addr=_delegator(args),
            validator_addr=parse_validator_address(args["validator"]),
            denom=args["denom"],
        )
    )


def _arguments(*names: str, optional: tuple[str, ...] = ()) -> tuple[click.Argument, ...]:
    required = tuple(click.Argument([name]) for name in names)
    return required + tuple(click.Argument([name], required=False, default="") for name in optional)


alliance_query_group = query_group(
    "alliance",
    "Alliance queries: params, alliances, delegations, rewards, validators, unbondings.",
    [
        QuerySpec(
            "params",
            "The alliance module's parameters.",
            lambda _args: (ALLIANCE_PARAMS_PATH, alliance_query.QueryParamsRequest()),
        ),
        QuerySpec(
            "alliances",
            "Every alliance asset.",
            lambda args: (
                _SERVICE + "Alliances",
                alliance_query.QueryAlliancesRequest(pagination=args["pagination"]),
            ),
            paginated=True,
        ),
        QuerySpec(
            "alliance",
            "One alliance asset by DENOM.",
            lambda args: (
                _SERVICE + "Alliance",
                alliance_query.QueryAllianceRequest(denom=args["denom"]),
            ),
            _arguments("denom"),
        ),
        QuerySpec(
            "delegations",
            "Alliance delegations: all, of DELEGATOR, or of DELEGATOR with VALIDATOR.",
            _delegations,
            _arguments(optional=("delegator", "validator")),
            paginated=True,
        ),
        QuerySpec(
            "delegation",
            "The DENOM delegation of DELEGATOR with VALIDATOR.",
            _delegation,
            _arguments("delegator", "validator", "denom"),
        ),
        QuerySpec(
            "rewards",
            "Pending rewards of DELEGATOR's DENOM stake with VALIDATOR.",
            _rewards,
            _arguments("delegator", "validator", "denom"),
        ),
        QuerySpec(
            "validator",
            "The alliance shares and stake of VALIDATOR.",
            lambda args: (
                _SERVICE + "AllianceValidator",
                alliance_query.QueryAllianceValidatorRequest(
                    validator_addr=parse_validator_address(args["validator"])
                ),
            ),
            _arguments("validator"),
        ),
        QuerySpec(
            "validators",
            "The alliance shares and stake of every validator.",
            lambda args: (
                _SERVICE + "AllAllianceValidators",
                alliance_query.QueryAllAllianceValidatorsRequest(pagination=args["pagination"]),
            ),
            paginated=True,
        ),
        QuerySpec(
            "unbondings",
            "DELEGATOR's unbondings: all, of DENOM, or of DENOM with VALIDATOR.",
            _unbondings,
            _arguments("delegator", optional=("denom", "validator")),
            paginated=True,
        ),
        QuerySpec(
            "redelegations",
            "DELEGATOR's redelegations: all, or of DENOM.",
            _redelegations,
            _arguments("delegator", optional=("denom",)),
            paginated=True,
        ),
    ],
)
