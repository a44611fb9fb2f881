"""The benchmarks' transactions: funded sender keys and pre-signed bank sends, and kvstore twins.

Senders are derived deterministically from their index, so every run signs the same txs for the
same account numbers. Each send moves 1uxprt from one sender to the next one (sender i pays
sender i + 1, the last pays the first), so a send writes the sender's account (sequence) and two
balances, the issue's "about 4 store writes per send"; no fee: the benchmark nodes run with a
minimum gas price of 0.

Alliance delegates (`--alliance` throughput mode): each sender stakes 1 unit of the bench asset
`ALLIANCE_DENOM` with the genesis validator per tx; the asset is listed in the genesis with a
reward start in the past, so delegating works from block 1 without a governance round.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message

from app.codec import to_json_dict
from app.crypto.secp256k1 import PrivateKey
from app.modules.alliance.types import AllianceAsset, RewardWeightRange
from app.node.genesis import add_genesis_account
from app.pb.alliance.alliance import tx_pb2 as alliance_tx_pb2
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx_pb2
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.tx import Signer, build_signed_tx
from app.types.address import acc_to_bech32
from app.types.coin import Coins
from app.types.dec import Dec
from app.types.int import Int
from app.types.time import Duration, Timestamp

__all__ = [
    "ALLIANCE_DENOM",
    "BENCH_CHAIN_ID",
    "BOND_DENOM",
    "DELEGATE_GAS_LIMIT",
    "SEND_GAS_LIMIT",
    "Sender",
    "fund_senders",
    "genesis_operator",
    "interleave",
    "kvstore_txs",
    "list_bench_asset",
    "make_senders",
    "mean_size",
    "sign_delegate_runs",
    "sign_send_runs",
]

BENCH_CHAIN_ID = "persistence-bench-1"
"""Chain id of the throwaway benchmark chains (never the devnet's)."""

BOND_DENOM = "uxprt"

SENDER_FUNDS = Coins.parse("1000000000000uxprt")
"""Genesis balance of every sender: far more than any run spends."""

SEND_GAS_LIMIT = 46_000
"""Gas limit of each send, as a client would set it: `--gas auto --gas-adjustment 1.3` over the
35,444 gas a send uses. Proposals count gas *wanted* against the block gas limit (100,000,000), so
this decides how many sends fit a block (2,173) — a padded limit would cap the run, not the app."""

ALLIANCE_DENOM = "ibc/BENCHSTAKE"
"""The alliance asset of the delegate workload (an IBC-style denom, as listed assets are)."""

ALLIANCE_FUNDS = Coins.parse(f"1000000000000{ALLIANCE_DENOM}")

DELEGATE_GAS_LIMIT = 200_000
"""Gas limit of each alliance delegate, as a client would set it: `--gas auto --gas-adjustment 1.3`
over the ~148,500 gas a delegate that grows a delegation uses (it claims first; the first delegate
uses 65,625). 500 fit the block gas limit; the earlier padded 400,000 let only 250 in, so the
run measured the gas cap and the rechecks of the backlog it built, not the app."""


@dataclass(frozen=True, slots=True)
class Sender:
    """A funded account the benchmark signs for."""

    key: PrivateKey
    address: bytes

    @property
    def bech32(self) -> str:
        return acc_to_bech32(self.address)


def make_senders(count: int) -> list[Sender]:
    """`count` deterministic keys: the secret of sender i is sha256("bench sender i")."""
    senders = []
    for index in range(count):
        key = PrivateKey(hashlib.sha256(f"bench sender {index}".encode()).digest())
        senders.append(Sender(key, key.public_key.address()))
    return senders


def fund_senders(
    genesis: dict[str, Any], senders: Iterable[Sender], *, alliance: bool = False
) -> None:
    """Add every sender to `genesis` as an account holding SENDER_FUNDS (and ALLIANCE_FUNDS
    when `alliance`).

    The genesis accounts are then numbered 0, 1, 2, … in list order: `add_genesis_account`
    leaves every number at 0, which the auth genesis refuses as duplicates.
    """
    funds = SENDER_FUNDS + ALLIANCE_FUNDS if alliance else SENDER_FUNDS
    for sender in senders:
        add_genesis_account(genesis, sender.bech32, funds)
    for number, account in enumerate(genesis["app_state"]["auth"]["accounts"]):
        account["account_number"] = str(number)


def list_bench_asset(genesis: dict[str, Any]) -> None:
    """List ALLIANCE_DENOM in `app_state.alliance.assets`: weight 0.5, no take rate, no weight
    schedule, rewards started at the zero time (so at once)."""
    started = Timestamp(0)
    asset = AllianceAsset(
        denom=ALLIANCE_DENOM,
        reward_weight=Dec.from_str("0.5"),
        take_rate=Dec.zero(),
        total_tokens=Int(0),
        total_validator_shares=Dec.zero(),
        reward_start_time=started,
        reward_change_rate=Dec.one(),
        reward_change_interval=Duration(0),
        last_reward_change_time=started,
        reward_weight_range=RewardWeightRange(Dec.zero(), Dec.one()),
        is_initialized=True,
    )
    alliance = genesis["app_state"].setdefault("alliance", {})
    alliance.setdefault("assets", []).append(to_json_dict(asset.to_proto()))


def genesis_operator(genesis: dict[str, Any]) -> str:
    """The operator address (bech32) of the first gentx's validator."""
    gentx = genesis["app_state"]["genutil"]["gen_txs"][0]
    return str(gentx["body"]["messages"][0]["validator_address"])


def _sign_runs(
    senders: Sequence[Sender],
    account_numbers: Sequence[int],
    per_sender: int,
    message_of: Callable[[int], Message],
    *,
    gas_limit: int,
    chain_id: str,
    first_sequence: int,
) -> list[list[bytes]]:
    """For each sender (by index), `per_sender` signed txs of `message_of(index)`, with
    consecutive sequences from `first_sequence`."""
    runs = []
    for index, (sender, account_number) in enumerate(zip(senders, account_numbers, strict=True)):
        signer = Signer(sender.key.public_key.key, sender.key.sign)
        message = message_of(index)
        runs.append(
            [
                build_signed_tx(
                    [message],
                    signer,
                    chain_id=chain_id,
                    account_number=account_number,
                    sequence=sequence,
                    fee=Coins(),
                    gas_limit=gas_limit,
                )
                for sequence in range(first_sequence, first_sequence + per_sender)
            ]
        )
    return runs


def sign_send_runs(
    senders: Sequence[Sender],
    account_numbers: Sequence[int],
    per_sender: int,
    *,
    chain_id: str = BENCH_CHAIN_ID,
    first_sequence: int = 0,
) -> list[list[bytes]]:
    """For each sender, `per_sender` signed sends of 1uxprt to the next sender, with consecutive
    sequences from `first_sequence`."""

    def send(index: int) -> Message:
        return bank_tx_pb2.MsgSend(
            from_address=senders[index].bech32,
            to_address=senders[(index + 1) % len(senders)].bech32,
            amount=[coin_pb2.Coin(denom=BOND_DENOM, amount="1")],
        )

    return _sign_runs(
        senders,
        account_numbers,
        per_sender,
        send,
        gas_limit=SEND_GAS_LIMIT,
        chain_id=chain_id,
        first_sequence=first_sequence,
    )


def sign_delegate_runs(
    senders: Sequence[Sender],
    account_numbers: Sequence[int],
    per_sender: int,
    operator: str,
    *,
    chain_id: str = BENCH_CHAIN_ID,
) -> list[list[bytes]]:
    """For each sender, `per_sender` signed alliance delegates of 1 ALLIANCE_DENOM to
    `operator` (bech32), sequences from 0: the first creates the delegation, the others grow it
    (each also claims its rewards)."""

    def delegate(index: int) -> Message:
        return alliance_tx_pb2.MsgDelegate(
            delegator_address=senders[index].bech32,
            validator_address=operator,
            amount=coin_pb2.Coin(denom=ALLIANCE_DENOM, amount="1"),
        )

    return _sign_runs(
        senders,
        account_numbers,
        per_sender,
        delegate,
        gas_limit=DELEGATE_GAS_LIMIT,
        chain_id=chain_id,
        first_sequence=0,
    )


def interleave(runs: Sequence[Sequence[bytes]]) -> list[bytes]:
    """Round-robin over the runs: every run's first tx, then every run's second, and so on.

    With S equal-length runs, the tx at position i belongs to run i mod S; a load generator that
    deals positions to C connections by i mod C (C dividing S) keeps each run on one connection,
    in order.
    """
    longest = max((len(run) for run in runs), default=0)
    return [run[step] for step in range(longest) for run in runs if step < len(run)]


def mean_size(txs: Sequence[bytes]) -> int:
    """The mean tx size in bytes, rounded to the nearest integer."""
    return (sum(len(tx) for tx in txs) * 2 + len(txs)) // (2 * len(txs))


def kvstore_txs(count: int, size: int) -> list[bytes]:
    """`count` distinct `key=value` txs of exactly `size` bytes for CometBFT's kvstore app.

    The key is unique (a repeated tx would be refused by the mempool cache); the value is padding.
    """
    txs = []
    for index in range(count):
        prefix = f"bench{index:010d}=".encode()
        if len(prefix) >= size:
            raise ValueError(f"a kvstore tx needs at least {len(prefix) + 1} bytes")
        txs.append(prefix.ljust(size, b"v"))
    return txs
