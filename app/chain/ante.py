"""The ante chain: the checks and charges every tx passes before its messages run.

In the SDK's decorator order (``x/auth/ante``), each step a small named function that raises a
registered error:

 1. `check_gas_limit`        0 < gas limit ≤ block max gas (not when simulating)          (sdk 41)
 2. `check_timeout_height`   the tx is not past its ``timeout_height``                   (sdk 30)
 3. `check_memo`             memo length ≤ ``max_memo_characters``                      (sdk 12)
 4. `validate_messages`      each message's stateless checks; collects its signers
 5. `consume_tx_size_gas`    ``tx_size_cost_per_byte`` × tx bytes                         (sdk 11)
 6. `check_min_fee`          fee ≥ ⌈min gas price × gas limit⌉ in some denom, CheckTx only (sdk 13)
 7. `deduct_fee`             the fee payer (first signer) pays ``fee_collector``        (sdk 5, 9)
 8. `check_signer_count`     one signer info per signer, at most ``tx_sig_limit``     (sdk 4, 14)
 9. `verify_signers`         pubkey set on first use and matching the address (sdk 8), sequence
                             equal to the account's (sdk 32), signature over the SignDoc with
                             the chain id and account number (sdk 4; skipped in recheck and
                             simulation), ``sig_verify_cost_secp256k1`` gas each, sequence + 1.

A tx that passes keeps these effects (fee paid, sequence incremented) even if a message fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol

from app.chain.addresses import format_acc_address
from app.chain.context import Context, ExecMode
from app.chain.errors import (
    ErrInsufficientFee,
    ErrInvalidGasLimit,
    ErrInvalidPubKey,
    ErrMemoTooLarge,
    ErrTooManySignatures,
    ErrTxTimeoutHeight,
    ErrUnauthorized,
    ErrUnknownAddress,
    ErrWrongSequence,
)
from app.chain.events import fee_event, sequence_event, signature_event
from app.chain.router import MsgRoute
from app.crypto.secp256k1 import PublicKey
from app.modules.auth.state import Account, Params
from app.tx.cache import BoundedCache
from app.tx.decode import DecodedTx
from app.tx.sign import sign_doc_bytes
from app.types.address import AccAddress, address_from_secp256k1_pubkey
from app.types.coin import Coin, Coins, DecCoins
from app.types.dec import Dec

__all__ = [
    "MAX_TX_BYTES",
    "AnteAccounts",
    "AnteBank",
    "AnteCaches",
    "MsgSigners",
    "run_ante",
]

MAX_TX_BYTES = 256 * 1024
"""The largest tx this chain accepts: well below CometBFT's 1 MiB mempool cap, large enough for
any multi-send a user writes by hand."""

MsgSigners = tuple[tuple[AccAddress, ...], ...]
"""The signers of each message of a tx, in message order."""

ANTE_CACHE_SIZE = 50_000
"""Txs remembered by the ante caches: more than a full mempool and a block."""


@dataclass(frozen=True, slots=True)
class AnteCaches:
    """What the ante chain remembers between the times it sees the same tx.

    `signatures`: (sign bytes, public key, signature) verified by CheckTx, so FinalizeBlock
    skips them. `signers`: each message's signers by tx bytes, once its stateless checks
    passed, so RECHECK and FinalizeBlock skip them. Both are pure functions of their keys.
    """

    signatures: BoundedCache[tuple[bytes, bytes, bytes], bool] = field(
        default_factory=lambda: BoundedCache(ANTE_CACHE_SIZE)
    )
    signers: BoundedCache[bytes, MsgSigners] = field(
        default_factory=lambda: BoundedCache(ANTE_CACHE_SIZE)
    )


class AnteAccounts(Protocol):
    """What the ante chain needs from auth."""

    def get_account(self, ctx: Context, address: AccAddress) -> Account | None: ...

    def has_account(self, ctx: Context, address: AccAddress) -> bool: ...

    def set_account(self, ctx: Context, account: Account) -> None: ...

    def get_params(self, ctx: Context) -> Params: ...


class AnteBank(Protocol):
    """What the ante chain needs from bank: moving the fee."""

    def send_coins_from_account_to_module(
        self, ctx: Context, sender: AccAddress, module: str, amount: Coins
    ) -> None: ...


def run_ante(
    ctx: Context,
    tx: DecodedTx,
    routes: Sequence[MsgRoute],
    accounts: AnteAccounts,
    bank: AnteBank,
    *,
    fee_collector: str,
    min_gas_prices: DecCoins,
    caches: AnteCaches,
) -> MsgSigners:
    """Run every check and charge on `tx` in `ctx`; return each message's signers.

    `routes[i]` is the route of ``tx.messages[i]``. Raises the first failing step's error.
    """
    if ctx.mode is not ExecMode.SIMULATE:
        check_gas_limit(tx, ctx.block.max_block_gas)
    params = accounts.get_params(ctx)
    check_timeout_height(tx, ctx.block.height)
    check_memo(tx, params)
    msg_signers = caches.signers.get(tx.raw)
    if msg_signers is None:
        msg_signers = validate_messages(tx, routes)
        caches.signers.add(tx.raw, msg_signers)
    signers = unique_signers(msg_signers)
    consume_tx_size_gas(ctx, tx, params)
    if ctx.mode in (ExecMode.CHECK, ExecMode.RECHECK):
        check_min_fee(tx, min_gas_prices)
    deduct_fee(ctx, tx, signers[0], accounts, bank, fee_collector)
    check_signer_count(tx, signers, params)
    verify_signers(ctx, tx, signers, accounts, params, caches.signatures)
    return msg_signers


def check_timeout_height(tx: DecodedTx, height: int) -> None:
    """A tx with a timeout height is valid up to and including that height."""
    if tx.timeout_height > 0 and height > tx.timeout_height:
        raise ErrTxTimeoutHeight.wrap(
            f"block height: {height}, timeout height: {tx.timeout_height}"
        )


def check_memo(tx: DecodedTx, params: Params) -> None:
    """The memo has at most ``max_memo_characters`` characters."""
    if len(tx.memo) > params.max_memo_characters:
        raise ErrMemoTooLarge.wrap(
            f"maximum number of characters is {params.max_memo_characters} "
            f"but received {len(tx.memo)} characters"
        )


def validate_messages(tx: DecodedTx, routes: Sequence[MsgRoute]) -> MsgSigners:
    """Each message's stateless checks, then its signers (which must decode)."""
    msg_signers = []
    for route, message in zip(routes, tx.messages, strict=True):
        route.validate_basic(message)
        msg_signers.append(tuple(AccAddress(signer) for signer in route.signers(message)))
    return tuple(msg_signers)


def unique_signers(msg_signers: Sequence[Sequence[AccAddress]]) -> tuple[AccAddress, ...]:
    """Every signer once, in order of first appearance (``GetSigners``); the first pays fees."""
    seen: list[AccAddress] = []
    for signers in msg_signers:
        for signer in signers:
            if signer not in seen:
                seen.append(signer)
    return tuple(seen)


def check_gas_limit(tx: DecodedTx, max_block_gas: int) -> None:
    """0 < gas limit, and ≤ the block's max gas when the block has one."""
    if tx.gas_limit == 0:
        raise ErrInvalidGasLimit.wrap("gas limit must be positive")
    if max_block_gas > 0 and tx.gas_limit > max_block_gas:
        raise ErrInvalidGasLimit.wrap(
            f"tx gas limit {tx.gas_limit} exceeds block max gas {max_block_gas}"
        )


def consume_tx_size_gas(ctx: Context, tx: DecodedTx, params: Params) -> None:
    """Gas for the tx's size: ``tx_size_cost_per_byte`` × len(tx bytes)."""
    ctx.gas_meter.consume(params.tx_size_cost_per_byte * len(tx.raw), "txSize")


def compute_required_fee(min_gas_prices: DecCoins, gas_limit: int) -> Coins:
    """⌈price × gas limit⌉ of every min-gas-price denom.

    As the SDK's ``checkTxFeeWithValidatorMinGasPrices``.
    """
    gas = Dec.from_int(gas_limit)
    return Coins(
        Coin(price.denom, price.amount.mul(gas).ceil().round_int()) for price in min_gas_prices
    )


def check_min_fee(tx: DecodedTx, min_gas_prices: DecCoins) -> None:
    """The fee covers the node's min gas prices in at least one of their denoms (CheckTx only)."""
    if min_gas_prices.is_zero():
        return
    required = compute_required_fee(min_gas_prices, tx.gas_limit)
    if not required:
        return
    if not any(tx.fee.amount_of(coin.denom) >= coin.amount for coin in required):
        raise ErrInsufficientFee.wrap(f"insufficient fees; got: {tx.fee} required: {required}")


def deduct_fee(
    ctx: Context,
    tx: DecodedTx,
    fee_payer: AccAddress,
    accounts: AnteAccounts,
    bank: AnteBank,
    fee_collector: str,
) -> None:
    """The fee payer must exist; a non-zero fee moves to the fee collector (``DeductFees``)."""
    if not accounts.has_account(ctx, fee_payer):
        raise ErrUnknownAddress.wrap(
            f"fee payer address: {format_acc_address(fee_payer)} does not exist"
        )
    if tx.fee:
        bank.send_coins_from_account_to_module(ctx, fee_payer, fee_collector, tx.fee)
    if ctx.records_events:
        ctx.emit(fee_event(str(tx.fee), format_acc_address(fee_payer)))


def check_signer_count(tx: DecodedTx, signers: Sequence[AccAddress], params: Params) -> None:
    """One signer info (and signature) per signer, and no more than ``tx_sig_limit``."""
    if len(tx.signer_infos) != len(signers):
        raise ErrUnauthorized.wrap(
            f"wrong number of signers; expected {len(signers)}, got {len(tx.signer_infos)}"
        )
    if len(signers) > params.tx_sig_limit:
        raise ErrTooManySignatures.wrap(f"signatures: {len(signers)}, limit: {params.tx_sig_limit}")


def verify_signers(
    ctx: Context,
    tx: DecodedTx,
    signers: Sequence[AccAddress],
    accounts: AnteAccounts,
    params: Params,
    verified: BoundedCache[tuple[bytes, bytes, bytes], bool],
) -> None:
    """Per signer: pubkey, sequence, signature and its gas; then store it with sequence + 1."""
    verify = ctx.mode in (ExecMode.CHECK, ExecMode.FINALIZE)
    for index, (signer, info, signature) in enumerate(
        zip(signers, tx.signer_infos, tx.signatures, strict=True)
    ):
        account = accounts.get_account(ctx, signer)
        if account is None:
            raise ErrUnknownAddress.wrap(f"account {format_acc_address(signer)} does not exist")
        pub_key = account.pub_key
        if info.public_key is not None:
            if _address_of(info.public_key) != signer:
                raise ErrInvalidPubKey.wrap(
                    f"pubKey does not match signer address {format_acc_address(signer)} "
                    f"with signer index: {index}"
                )
            pub_key = info.public_key
        if pub_key is None:
            raise ErrInvalidPubKey.wrap(
                f"pubkey on account {format_acc_address(signer)} is not set"
            )
        ctx.gas_meter.consume(params.sig_verify_cost_secp256k1, "ante verify: secp256k1")
        if info.sequence != account.sequence:
            raise ErrWrongSequence.wrap(
                f"account sequence mismatch, expected {account.sequence}, got {info.sequence}"
            )
        if verify:
            # Gentxs (delivered at height 0) are signed with account number 0, as in the SDK.
            signed_as = account if ctx.block.height > 0 else replace(account, account_number=0)
            check_signature(tx, signed_as, pub_key, signature, ctx.block.chain_id, verified)
        accounts.set_account(ctx, account.after_signing(pub_key))
        if ctx.records_events:
            ctx.emit(sequence_event(format_acc_address(signer), info.sequence))
            ctx.emit(signature_event(signature))


def check_signature(
    tx: DecodedTx,
    account: Account,
    pub_key: bytes,
    signature: bytes,
    chain_id: str,
    verified: BoundedCache[tuple[bytes, bytes, bytes], bool],
) -> None:
    """The signature is `pub_key`'s over the SignDoc of this chain id and account number;
    `verified` holds the triples already found valid."""
    doc = sign_doc_bytes(tx.body_bytes, tx.auth_info_bytes, chain_id, account.account_number)
    if (doc, pub_key, signature) in verified:
        return
    try:
        valid = _public_key(pub_key).verify(doc, signature)
    except ValueError:
        valid = False
    if not valid:
        raise ErrUnauthorized.wrap(
            f"signature verification failed; please verify account number "
            f"({account.account_number}), sequence ({account.sequence}) and chain-id ({chain_id})"
        )
    verified.add((doc, pub_key, signature), True)


@lru_cache(maxsize=65536)
def _public_key(key: bytes) -> PublicKey:
    # Parsing a point costs a fifth of a verification; accounts sign many txs.
    return PublicKey(key)


@lru_cache(maxsize=65536)
def _address_of(key: bytes) -> AccAddress:
    # Every tx carries its signer's key, and two hashes per tx add up; the map is pure.
    return address_from_secp256k1_pubkey(key)
