"""`allianced tx gov submit-proposal|deposit|vote|weighted-vote` and `allianced query gov …`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from google.protobuf import any_pb2

from app.chain.coins import coins_to_proto
from app.cli.params import parse_amount
from app.cli.queries import QueryArgs, QuerySpec, query_group
from app.cli.txs import TxOptions, run_message_tx, tx_flags
from app.codec import from_json_dict
from app.pb.cosmos.gov.v1 import gov_pb2
from app.pb.cosmos.gov.v1 import query_pb2 as gov_query
from app.pb.cosmos.gov.v1 import tx_pb2 as gov_tx
from app.types import Coins

__all__ = ["gov_query_group", "gov_tx_group", "parse_proposal_file", "parse_weighted_options"]

_SERVICE = "/cosmos.gov.v1.Query/"

OPTION_NAMES = {
    "yes": gov_pb2.VOTE_OPTION_YES,
    "abstain": gov_pb2.VOTE_OPTION_ABSTAIN,
    "no": gov_pb2.VOTE_OPTION_NO,
    "no_with_veto": gov_pb2.VOTE_OPTION_NO_WITH_VETO,
}


def parse_vote_option(text: str) -> gov_pb2.VoteOption:
    """yes | abstain | no | no_with_veto (also the VOTE_OPTION_… names)."""
    name = text.lower().removeprefix("vote_option_")
    if name not in OPTION_NAMES:
        raise ValueError(f"invalid vote option {text!r}: use yes, no, abstain or no_with_veto")
    return OPTION_NAMES[name]


def parse_weighted_options(text: str) -> list[gov_pb2.WeightedVoteOption]:
    """``yes=0.6,no=0.4`` as weighted options (the weights are checked by the chain)."""
    options = []
    for part in text.split(","):
        name, separator, weight = part.partition("=")
        if not separator or not weight:
            raise ValueError(f"invalid weighted option {part!r}: expected OPTION=WEIGHT")
        options.append(gov_pb2.WeightedVoteOption(option=parse_vote_option(name), weight=weight))
    return options


def parse_proposal_file(path: Path, proposer: str) -> gov_tx.MsgSubmitProposal:
    """A proposal JSON as the SDK's CLI reads it: ``messages`` (with ``@type``), ``metadata``,
    ``deposit`` ("10000000uxprt"), ``title``, ``summary``, ``expedited``."""
    document = json.loads(path.read_text())
    msg = gov_tx.MsgSubmitProposal(
        proposer=proposer,
        metadata=document.get("metadata", ""),
        title=document.get("title", ""),
        summary=document.get("summary", ""),
        expedited=bool(document.get("expedited", False)),
    )
    for message in document.get("messages", []):
        msg.messages.append(from_json_dict(any_pb2.Any, message))
    deposit = document.get("deposit", "")
    if deposit:
        msg.initial_deposit.extend(coins_to_proto(parse_amount(deposit, "deposit")))
    return msg


@click.group(name="gov")
def gov_tx_group() -> None:
    """Governance transactions: submit proposals, deposit, vote."""


@gov_tx_group.command(name="submit-proposal")
@click.argument("proposal_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@tx_flags()
def submit_proposal_command(proposal_file: Path, tx: TxOptions) -> None:
    """Submit the proposal described in PROPOSAL_FILE (JSON: messages, deposit, title, …)."""
    run_message_tx(tx, lambda sender: parse_proposal_file(proposal_file, sender))


@gov_tx_group.command(name="deposit")
@click.argument("proposal_id", type=int)
@click.argument("amount")
@tx_flags()
def deposit_command(proposal_id: int, amount: str, tx: TxOptions) -> None:
    """Deposit AMOUNT on proposal PROPOSAL_ID."""
    coins: Coins = parse_amount(amount)
    run_message_tx(
        tx,
        lambda sender: gov_tx.MsgDeposit(
            proposal_id=proposal_id, depositor=sender, amount=coins_to_proto(coins)
        ),
    )


@gov_tx_group.command(name="vote")
@click.argument("proposal_id", type=int)
@click.argument("option")
@click.option("--metadata", default="", help="Metadata of the vote")
@tx_flags()
def vote_command(proposal_id: int, option: str, metadata: str, tx: TxOptions) -> None:
    """Vote OPTION (yes, no, abstain, no_with_veto) on PROPOSAL_ID."""
    chosen = parse_vote_option(option)
    run_message_tx(
        tx,
        lambda sender: gov_tx.MsgVote(
            proposal_id=proposal_id, voter=sender, option=chosen, metadata=metadata
        ),
    )


@gov_tx_group.command(name="weighted-vote")
@click.argument("proposal_id", type=int)
@click.argument("weighted_options")
@click.option("--metadata", default="", help="Metadata of the vote")
@tx_flags()
def weighted_vote_command(
    proposal_id: int, weighted_options: str, metadata: str, tx: TxOptions
) -> None:
    """Split a vote on PROPOSAL_ID: WEIGHTED_OPTIONS like yes=0.6,no=0.4 (summing to 1)."""
    options = parse_weighted_options(weighted_options)
    run_message_tx(
        tx,
        lambda sender: gov_tx.MsgVoteWeighted(
            proposal_id=proposal_id, voter=sender, options=options, metadata=metadata
        ),
    )


def _proposals(args: QueryArgs) -> tuple[str, gov_query.QueryProposalsRequest]:
    status = args["status"]
    request = gov_query.QueryProposalsRequest(
        voter=args["voter"], depositor=args["depositor"], pagination=args["pagination"]
    )
    if status:
        name = "PROPOSAL_STATUS_" + status.upper().removeprefix("PROPOSAL_STATUS_")
        request.proposal_status = gov_pb2.ProposalStatus.Value(name)  # type: ignore[assignment]
    return _SERVICE + "Proposals", request


def _id_argument() -> click.Argument:
    return click.Argument(["proposal_id"], type=int)


gov_query_group = query_group(
    "gov",
    "Governance queries: proposals, votes, deposits, tallies, params.",
    [
        QuerySpec(
            "proposals",
            "Proposals, optionally filtered by status, voter or depositor.",
            _proposals,
            (
                click.Option(
                    ["--status"],
                    default="",
                    help="deposit_period, voting_period, passed, rejected or failed",
                ),
                click.Option(["--voter"], default="", help="Only proposals this address voted on"),
                click.Option(["--depositor"], default="", help="Only proposals with its deposit"),
            ),
            paginated=True,
        ),
        QuerySpec(
            "proposal",
            "One proposal.",
            lambda args: (
                _SERVICE + "Proposal",
                gov_query.QueryProposalRequest(proposal_id=args["proposal_id"]),
            ),
            (_id_argument(),),
        ),
        QuerySpec(
            "votes",
            "The votes on a proposal in its voting period.",
            lambda args: (
                _SERVICE + "Votes",
                gov_query.QueryVotesRequest(
                    proposal_id=args["proposal_id"], pagination=args["pagination"]
                ),
            ),
            (_id_argument(),),
            paginated=True,
        ),
        QuerySpec(
            "deposits",
            "The deposits held for a proposal.",
            lambda args: (
                _SERVICE + "Deposits",
                gov_query.QueryDepositsRequest(
                    proposal_id=args["proposal_id"], pagination=args["pagination"]
                ),
            ),
            (_id_argument(),),
            paginated=True,
        ),
        QuerySpec(
            "tally",
            "The tally of a proposal (running in its voting period, else final).",
            lambda args: (
                _SERVICE + "TallyResult",
                gov_query.QueryTallyResultRequest(proposal_id=args["proposal_id"]),
            ),
            (_id_argument(),),
        ),
        QuerySpec(
            "params",
            "The gov module's parameters.",
            lambda _args: (_SERVICE + "Params", gov_query.QueryParamsRequest()),
        ),
    ],
)
