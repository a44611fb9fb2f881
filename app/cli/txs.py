"""Building, signing and broadcasting a transaction: the shared part of every `tx` command.

A module's tx command parses its arguments, then hands `run_tx` a function from the sender's
bech32 address to the messages; `run_tx` does the rest, like the SDK's `GenerateOrBroadcastTxCLI`:

1. resolve `--from` (key name or address) in the keyring;
2. account number and sequence from `/cosmos.auth.v1beta1.Query/Account` unless both
   `-a` and `-s` are given (offline); the chain id from --chain-id, client.toml, else the
   node's `/status`;
3. gas: `--gas N`, or `--gas auto` / `--dry-run` simulate (`/cosmos.tx.v1beta1.Service/Simulate`)
   and use gas_used × `--gas-adjustment` (truncated, as the SDK does);
4. fee: `--fees`, or ceil(price × gas limit) per denom of `--gas-prices`;
5. `--generate-only` prints the unsigned tx; without `-y` the unsigned tx goes to stderr and the
   user confirms;
6. sign (SIGN_MODE_DIRECT), `broadcast_tx_sync` (or async), print the TxResponse; with `--wait`,
   poll `/tx` until the tx is in a block and print the full TxResponse.

A tx rejected by CheckTx or included with a non-zero code prints its TxResponse, then fails
(`TxFailedError`: one line on stderr, exit code 1).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import click
from google.protobuf.message import Message

from app.chain.coins import coins_to_proto
from app.cli.context import ClientContext, client_context, client_flags
from app.cli.keyring import KeyRecord, Keyring
from app.cli.output import emit_message, render
from app.cli.params import parse_coin, parse_validator_address
from app.cli.rpc import ClientError, QueryError, RpcClient, TxNotFoundError, TxResult
from app.cli.tx_results import block_timestamp, broadcast_tx_response, included_tx_response
from app.codec import pack_any, to_json_dict, unpack_any
from app.pb.cosmos.auth.v1beta1 import auth_pb2
from app.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from app.pb.cosmos.tx.v1beta1 import service_pb2, tx_pb2
from app.tx import Signer, build_signed_tx, tx_hash
from app.types import Coin, Coins, Dec, DecCoins, Int, acc_address_from_bech32

__all__ = [
    "DEFAULT_GAS_LIMIT",
    "MessageBuilder",
    "TxFailedError",
    "TxOptions",
    "compute_adjusted_gas",
    "compute_fee_from_gas_prices",
    "query_base_account",
    "run_message_tx",
    "run_tx",
    "tx_flags",
]

DEFAULT_GAS_LIMIT = 200_000
"""Gas limit when --gas is not given (the SDK's default)."""

SIMULATION_GAS_LIMIT = 100_000_000
"""Gas limit written into the tx that is simulated; the simulation reports what it really used."""

POLL_INTERVAL_SECONDS = 0.2
"""Pause between `/tx` polls of --wait; blocks come every ~0.5 s on the devnet."""

DEFAULT_WAIT_TIMEOUT_SECONDS = 30.0
"""How long --wait polls for inclusion before giving up."""

ACCOUNT_QUERY_PATH = "/cosmos.auth.v1beta1.Query/Account"
SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"

MessageBuilder = Callable[[str], Sequence[Message]]
"""Builds a tx's messages from the sender's bech32 account address."""

_Command = TypeVar("_Command", bound=Callable[..., Any])


class TxFailedError(ClientError):
    """CheckTx rejected the tx, or it was included with a non-zero code."""


@dataclass(frozen=True, slots=True)
class TxOptions:
    """The shared tx flags of one command, as given (see `tx_flags`)."""

    from_: str | None
    fees: str
    gas_prices: str
    gas: str
    gas_adjustment: str
    memo: str
    timeout_height: int
    account_number: int | None
    sequence: int | None
    generate_only: bool
    dry_run: bool
    yes: bool
    wait: bool
    wait_timeout: float
    broadcast_mode: str | None


_TX_OPTION_NAMES = frozenset(field.name for field in fields(TxOptions))


def tx_flags(*, with_from: bool = True) -> Callable[[_Command], _Command]:
    """Add the shared tx flags (SDK `AddTxFlagsToCmd`) and the client flags to a command.

    The command receives them as one keyword argument `tx: TxOptions`. Commands whose first
    argument is the sender (`bank send FROM ...`) pass `with_from=False`.
    """

    def decorate(command: _Command) -> _Command:
        @functools.wraps(command)
        def with_options(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in list(kwargs) if name in _TX_OPTION_NAMES}
            given.setdefault("from_", None)
            return command(*args, tx=TxOptions(**given), **kwargs)

        options = [option for option in _tx_options() if with_from or option.name != "from_"]
        wrapped: Any = with_options
        for option in reversed(options):
            wrapped = _attach(option, wrapped)
        return client_flags(wrapped)  # type: ignore[no-any-return]

    return decorate


def run_tx(options: TxOptions, sender: str | None, build: MessageBuilder) -> None:
    """Build, sign, broadcast and print a tx of `build(sender address)` (see the module doc).

    Parameters:
        options: the command's tx flags.
        sender: the key name or address of a positional FROM argument, else None for --from.
        build: the messages, given the sender's bech32 address.

    Raises:
        click.UsageError: no sender, or conflicting fee flags.
        TxFailedError: CheckTx rejected the tx or it was included with a non-zero code.
        ClientError, KeyringError, ValueError: unreachable node, unknown key, bad input.
    """
    client = client_context(click.get_current_context())
    key_ref = sender or options.from_
    if not key_ref:
        raise click.UsageError("missing --from: the key name or address that signs the tx")
    gas_limit = _parse_gas(options.gas)
    fee_of = _fee_rule(options)
    if options.generate_only and gas_limit is not None and not options.dry_run:
        # Nothing is signed or simulated, so an address that is not in the keyring will do.
        messages = build(_sender_address(client, key_ref))
        emit_message(_unsigned_tx(messages, options, fee_of(gas_limit), gas_limit), "json")
        return
    keyring = client.keyring()  # one instance, so a `file` passphrase is asked for once
    key = keyring.get(key_ref)
    messages = build(key.bech32_address)
    with client.rpc() as rpc:
        account_number, sequence = _account_numbers(rpc, options, key.bech32_address)
        chain_id = client.chain_id or _node_chain_id(rpc)
        signing = _Signing(_keyring_signer(keyring, key), chain_id, account_number, sequence)
        if gas_limit is None or options.dry_run:
            simulated = _sign(messages, options, signing, Coins(), SIMULATION_GAS_LIMIT)
            estimate = _simulate(rpc, simulated)
            if options.dry_run:
                click.echo(f"gas estimate: {estimate}", err=True)
                return
            gas_limit = compute_adjusted_gas(estimate, options.gas_adjustment)
        fee = fee_of(gas_limit)
        unsigned = _unsigned_tx(messages, options, fee, gas_limit)
        if options.generate_only:
            emit_message(unsigned, "json")
            return
        if not options.yes and not _confirmed(unsigned, client):
            return
        raw = _sign(messages, options, signing, fee, gas_limit)
        _broadcast_and_report(rpc, client, options, raw)


def run_message_tx(options: TxOptions, build: Callable[[str], Message]) -> None:
    """`run_tx` of the usual command: one message, built from the address of the --from key."""
    run_tx(options, None, lambda sender: [build(sender)])


def run_stake_tx(
    options: TxOptions, message: Callable[..., Message], validator: str, amount: str
) -> None:
    """A one-message tx of ``message(delegator_address=<--from>, validator_address=VALIDATOR,
    amount=AMOUNT)``: the shape the staking and alliance delegate and undelegate messages share."""
    target, coin = parse_validator_address(validator), parse_coin(amount)
    run_message_tx(
        options,
        lambda sender: message(delegator_address=sender, validator_address=target, amount=coin),
    )


def run_redelegate_tx(
    options: TxOptions,
    message: Callable[..., Message],
    src_validator: str,
    dst_validator: str,
    amount: str,
) -> None:
    """A one-message tx of ``message(delegator_address=<--from>, validator_src_address=…,
    validator_dst_address=…, amount=AMOUNT)``: the staking and alliance redelegations."""
    src = parse_validator_address(src_validator, "source validator")
    dst = parse_validator_address(dst_validator, "destination validator")
    coin = parse_coin(amount)
    run_message_tx(
        options,
        lambda sender: message(
            delegator_address=sender,
            validator_src_address=src,
            validator_dst_address=dst,
            amount=coin,
        ),
    )


def compute_adjusted_gas(gas_used: int, adjustment: str) -> int:
    """The gas limit after simulation: trunc(gas_used × adjustment), as the SDK's
    `CalculateGas` does (`uint64(adjustment * float64(gasUsed))`), exact here.

    Raises:
        click.BadParameter: the adjustment is not a positive decimal.
    """
    try:
        factor = Dec.from_str(adjustment)
    except ValueError:
        raise click.BadParameter(
            f"{adjustment!r} is not a decimal", param_hint="--gas-adjustment"
        ) from None
    if not factor.is_positive():
        raise click.BadParameter("must be positive", param_hint="--gas-adjustment")
    return int(factor.mul_int(Int(gas_used)).truncate_int())


def compute_fee_from_gas_prices(gas_prices: DecCoins, gas_limit: int) -> Coins:
    """fee_denom = ceil(price_denom × gas_limit) per denom (SDK `tx.Factory.BuildUnsignedTx`)."""
    limit = Int(gas_limit)
    return Coins.from_iterable(
        Coin(price.denom, price.amount.mul_int(limit).ceil().truncate_int()) for price in gas_prices
    )


def query_base_account(rpc: RpcClient, address: str) -> auth_pb2.BaseAccount:
    """The `BaseAccount` of `address` (a module account's base account for module accounts).

    Raises:
        ClientError: the account does not exist yet ("it has never received funds").
        QueryError: any other query failure.
    """
    request = auth_query.QueryAccountRequest(address=address)
    try:
        response = rpc.query_grpc(ACCOUNT_QUERY_PATH, request, auth_query.QueryAccountResponse)
    except QueryError as error:
        if "not found" in error.log.lower():
            raise ClientError(f"account {address} not found: it has never received funds") from None
        raise
    account = unpack_any(response.account)
    if isinstance(account, auth_pb2.ModuleAccount):
        return account.base_account
    if not isinstance(account, auth_pb2.BaseAccount):
        raise ClientError(f"account {address} has unsupported type {response.account.type_url}")
    return account


@dataclass(frozen=True, slots=True)
class _Signing:
    """Who signs, for which chain, account number and sequence."""

    signer: Signer
    chain_id: str
    account_number: int
    sequence: int


def _tx_options() -> list[click.Option]:
    return [
        click.Option(["--from", "from_"], help="Name or address of the signing key"),
        click.Option(["--fees"], default="", help="Fee to pay, e.g. 5000uxprt"),
        click.Option(["--gas-prices"], default="", help="Gas price per unit, e.g. 0.025uxprt"),
        click.Option(
            ["--gas"],
            default=str(DEFAULT_GAS_LIMIT),
            show_default=True,
            help='Gas limit, or "auto" to simulate and use gas used × --gas-adjustment',
        ),
        click.Option(
            ["--gas-adjustment"],
            default="1.0",
            show_default=True,
            help="Factor on the simulated gas (scripts use 1.3-1.5)",
        ),
        click.Option(["--note", "--memo", "memo"], default="", help="Memo of the tx"),
        click.Option(
            ["--timeout-height"],
            type=click.IntRange(min=0),
            default=0,
            help="Height after which the tx is no longer valid (0 = never)",
        ),
        click.Option(
            ["-a", "--account-number"],
            type=click.IntRange(min=0),
            help="Account number (with -s: sign offline, without querying the node)",
        ),
        click.Option(["-s", "--sequence"], type=click.IntRange(min=0), help="Account sequence"),
        click.Option(["--generate-only"], is_flag=True, help="Print the unsigned tx and stop"),
        click.Option(["--dry-run"], is_flag=True, help="Simulate, print the gas estimate and stop"),
        click.Option(["-y", "--yes"], is_flag=True, help="Skip the confirmation prompt"),
        click.Option(
            ["--wait"], is_flag=True, help="Wait until the tx is in a block and print its result"
        ),
        click.Option(
            ["--wait-timeout"],
            type=click.FloatRange(min=0),
            default=DEFAULT_WAIT_TIMEOUT_SECONDS,
            show_default=True,
            help="Seconds --wait polls before giving up",
        ),
        click.Option(
            ["-b", "--broadcast-mode"],
            type=click.Choice(["sync", "async"]),
            help="sync waits for CheckTx [default: client.toml broadcast-mode or sync]",
        ),
    ]


def _attach(option: click.Option, command: Any) -> Any:
    """Append `option` the way `@click.option` does, before or after `@command` applies."""
    if isinstance(command, click.Command):
        command.params.append(option)
    else:
        command.__dict__.setdefault("__click_params__", []).append(option)
    return command


def _parse_gas(text: str) -> int | None:
    """--gas: a non-negative integer, or "auto" (None: simulate)."""
    if text == "auto":
        return None
    if not text.isdigit():
        raise click.BadParameter(f"{text!r} is neither an integer nor auto", param_hint="--gas")
    return int(text)


def _fee_rule(options: TxOptions) -> Callable[[int], Coins]:
    """The fee as a function of the gas limit, from --fees or --gas-prices (not both)."""
    if options.fees and options.gas_prices:
        raise click.UsageError("cannot provide both --fees and --gas-prices")
    if options.gas_prices:
        prices = DecCoins.parse(options.gas_prices)
        return functools.partial(compute_fee_from_gas_prices, prices)
    fees = Coins.parse(options.fees)
    return lambda _gas_limit: fees


def _sender_address(client: ClientContext, key_ref: str) -> str:
    """A bech32 account address as given, else the address of that key in the keyring."""
    try:
        acc_address_from_bech32(key_ref)
    except ValueError:
        return client.keyring().get(key_ref).bech32_address
    return key_ref


def _account_numbers(rpc: RpcClient, options: TxOptions, address: str) -> tuple[int, int]:
    """(account number, sequence): both flags given = offline; otherwise the node fills the rest."""
    if options.account_number is not None and options.sequence is not None:
        return options.account_number, options.sequence
    account = query_base_account(rpc, address)
    account_number = (
        account.account_number if options.account_number is None else options.account_number
    )
    sequence = account.sequence if options.sequence is None else options.sequence
    return account_number, sequence


def _node_chain_id(rpc: RpcClient) -> str:
    """The chain id the node reports, for when neither --chain-id nor client.toml gives one."""
    return str(rpc.status()["node_info"]["network"])


def _keyring_signer(keyring: Keyring, key: KeyRecord) -> Signer:
    return Signer(key.pubkey, lambda sign_bytes: keyring.sign(key.name, sign_bytes)[0])


def _sign(
    messages: Sequence[Message], options: TxOptions, signing: _Signing, fee: Coins, gas_limit: int
) -> bytes:
    return build_signed_tx(
        messages,
        signing.signer,
        chain_id=signing.chain_id,
        account_number=signing.account_number,
        sequence=signing.sequence,
        fee=fee,
        gas_limit=gas_limit,
        memo=options.memo,
        timeout_height=options.timeout_height,
    )


def _simulate(rpc: RpcClient, raw: bytes) -> int:
    """Gas used by a signed tx when simulated against the latest state (fee and limit ignored)."""
    request = service_pb2.SimulateRequest(tx_bytes=raw)
    response = rpc.query_grpc(SIMULATE_PATH, request, service_pb2.SimulateResponse)
    return int(response.gas_info.gas_used)


def _unsigned_tx(
    messages: Sequence[Message], options: TxOptions, fee: Coins, gas_limit: int
) -> tx_pb2.Tx:
    """The tx as `--generate-only` and the confirmation prompt show it: no signer, no signature."""
    return tx_pb2.Tx(
        body=tx_pb2.TxBody(
            messages=[pack_any(message) for message in messages],
            memo=options.memo,
            timeout_height=options.timeout_height,
        ),
        auth_info=tx_pb2.AuthInfo(fee=tx_pb2.Fee(amount=coins_to_proto(fee), gas_limit=gas_limit)),
    )


def _confirmed(unsigned: tx_pb2.Tx, client: ClientContext) -> bool:
    """Show the unsigned tx on stderr and ask; a refusal prints "canceled transaction"."""
    click.echo(render(to_json_dict(unsigned), client.output_or("json")), err=True)
    if click.confirm("confirm transaction before signing and broadcasting", err=True):
        return True
    click.echo("canceled transaction", err=True)
    return False


def _broadcast_and_report(
    rpc: RpcClient, client: ClientContext, options: TxOptions, raw: bytes
) -> None:
    output = client.output_or("json")
    mode = options.broadcast_mode or client.broadcast_mode
    result = rpc.broadcast_tx_async(raw) if mode == "async" else rpc.broadcast_tx_sync(raw)
    if result.code != 0 or not options.wait:
        emit_message(broadcast_tx_response(result), output)
        if result.code != 0:
            raise TxFailedError(
                f"tx {result.hash} rejected: codespace={result.codespace} "
                f"code={result.code}: {result.log}"
            )
        return
    included = _wait_for_inclusion(rpc, tx_hash(raw), options.wait_timeout)
    response = included_tx_response(included, block_timestamp(rpc, included.height))
    emit_message(response, output)
    if response.code != 0:
        raise TxFailedError(
            f"tx {response.txhash} failed at height {response.height}: "
            f"codespace={response.codespace} code={response.code}: {response.raw_log}"
        )


def _wait_for_inclusion(rpc: RpcClient, hash_hex: str, timeout: float) -> TxResult:
    """Poll `/tx` until the tx is indexed; progress goes to stderr so stdout stays JSON."""
    click.echo(f"waiting for tx {hash_hex} to be included in a block...", err=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return rpc.tx(hash_hex)
        except TxNotFoundError:
            if time.monotonic() >= deadline:
                raise ClientError(
                    f"tx {hash_hex} was not included within {timeout:g}s; "
                    f"check later with `allianced query tx {hash_hex}`"
                ) from None
            time.sleep(POLL_INTERVAL_SECONDS)
