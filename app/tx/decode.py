"""Decoding a Cosmos SDK v0.50 transaction: ``TxRaw`` bytes → a typed, checked `DecodedTx`.

The wire format (``cosmos.tx.v1beta1``): ``TxRaw{body_bytes, auth_info_bytes, signatures}``;
``TxBody{messages: Any[], memo, timeout_height, extension_options, non_critical_…}``;
``AuthInfo{signer_infos: SignerInfo{public_key: Any, mode_info, sequence}[], fee: Fee}``.

What this chain accepts, and why each rejection has the code it has:

* at most `max_bytes` bytes (sdk 21), and well-formed protobuf (sdk 2);
* no unknown fields, except non-critical ones (field number with bit 11 set) inside ``TxBody``,
  as the SDK's ``RejectUnknownFields`` (sdk 2);
* at least one message, each of a routed type (sdk 2, "unable to resolve type URL");
* no critical extension options (sdk 31), no tip, no fee granter or payer (sdk 37);
* ``SIGN_MODE_DIRECT`` with one signature per signer info (sdk 4 / 15), secp256k1 keys only (sdk 8).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from google.protobuf.message import DecodeError, Message
from google.protobuf.unknown_fields import UnknownFieldSet

from app.chain.coins import parse_coins
from app.chain.errors import (
    ErrInvalidPubKey,
    ErrInvalidRequest,
    ErrNoSignatures,
    ErrNotSupported,
    ErrTxDecode,
    ErrTxTooLarge,
    ErrUnauthorized,
    ErrUnknownExtensionOptions,
)
from app.pb.cosmos.crypto.secp256k1 import keys_pb2 as secp256k1_pb2
from app.pb.cosmos.tx.signing.v1beta1 import signing_pb2
from app.pb.cosmos.tx.v1beta1 import tx_pb2
from app.types.coin import Coins

__all__ = ["DecodedTx", "SignerInfo", "decode_tx"]

T = TypeVar("T", bound=Message)

SECP256K1_PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey"
"""The only account key type this chain accepts."""

SECP256K1_PUBKEY_LENGTH = 33
"""A compressed secp256k1 public key."""

NON_CRITICAL_FIELD_BIT = 1 << 10
"""Field numbers with this bit set (1024+ in bit 11) are non-critical: unknown ones are ignored
in ``TxBody`` (ADR-020), every other unknown field is an error."""


@dataclass(frozen=True, slots=True)
class SignerInfo:
    """One signer's claim: its public key (None when the account already has one) and sequence."""

    public_key: bytes | None
    sequence: int


@dataclass(frozen=True, slots=True)
class DecodedTx:
    """A decoded tx, everything typed; `body_bytes`/`auth_info_bytes` are kept for the SignDoc."""

    raw: bytes
    body_bytes: bytes
    auth_info_bytes: bytes
    messages: tuple[Message, ...]
    type_urls: tuple[str, ...]
    memo: str
    timeout_height: int
    signer_infos: tuple[SignerInfo, ...]
    signatures: tuple[bytes, ...]
    fee: Coins
    gas_limit: int


def decode_tx(raw: bytes, max_bytes: int, message_types: Mapping[str, type[Message]]) -> DecodedTx:
    """Decode and structurally check a tx; the ante chain checks it against state.

    Parameters:
        raw: the tx bytes as CometBFT delivers them (``TxRaw``).
        max_bytes: the largest tx accepted.
        message_types: type URL → class of every routed message.

    Raises:
        ChainError: sdk 2, 4, 8, 10, 15, 18, 21, 31 or 37 as listed in the module docstring.
    """
    if len(raw) > max_bytes:
        raise ErrTxTooLarge.wrap(f"tx of {len(raw)} bytes exceeds the limit of {max_bytes}")
    tx_raw = _parse(tx_pb2.TxRaw, raw, "tx")
    body = _parse(tx_pb2.TxBody, tx_raw.body_bytes, "tx body", allow_non_critical=True)
    auth_info = _parse(tx_pb2.AuthInfo, tx_raw.auth_info_bytes, "auth info")
    messages, type_urls = _decode_messages(body, message_types)
    if len(body.extension_options) > 0:
        raise ErrUnknownExtensionOptions.wrap("extension options are not supported")
    if auth_info.HasField("tip"):
        raise ErrNotSupported.wrap("tips are not supported")
    if auth_info.fee.granter or auth_info.fee.payer:
        raise ErrNotSupported.wrap("fee payer and fee granter are not supported")
    signer_infos = tuple(_decode_signer_info(info) for info in auth_info.signer_infos)
    signatures = tuple(tx_raw.signatures)
    if len(signatures) == 0:
        raise ErrNoSignatures.error()
    if len(signatures) != len(signer_infos):
        raise ErrUnauthorized.wrap(
            f"wrong number of signatures; expected {len(signer_infos)}, got {len(signatures)}"
        )
    fee = parse_coins(auth_info.fee.amount)
    return DecodedTx(
        raw=raw,
        body_bytes=tx_raw.body_bytes,
        auth_info_bytes=tx_raw.auth_info_bytes,
        messages=messages,
        type_urls=type_urls,
        memo=body.memo,
        timeout_height=body.timeout_height,
        signer_infos=signer_infos,
        signatures=signatures,
        fee=fee,
        gas_limit=auth_info.fee.gas_limit,
    )


def _decode_messages(
    body: tx_pb2.TxBody, message_types: Mapping[str, type[Message]]
) -> tuple[tuple[Message, ...], tuple[str, ...]]:
    if len(body.messages) == 0:
        raise ErrInvalidRequest.wrap("tx must contain at least one message")
    messages: list[Message] = []
    type_urls: list[str] = []
    for packed in body.messages:
        msg_class = message_types.get(packed.type_url)
        if msg_class is None:
            raise ErrTxDecode.wrap(f"unable to resolve type URL {packed.type_url}")
        messages.append(_parse(msg_class, packed.value, packed.type_url))
        type_urls.append(packed.type_url)
    return tuple(messages), tuple(type_urls)


def _decode_signer_info(info: tx_pb2.SignerInfo) -> SignerInfo:
    mode = info.mode_info
    if mode.WhichOneof("sum") != "single" or mode.single.mode != signing_pb2.SIGN_MODE_DIRECT:
        raise ErrNotSupported.wrap("only SIGN_MODE_DIRECT single signatures are supported")
    if not info.HasField("public_key"):
        return SignerInfo(public_key=None, sequence=info.sequence)
    if info.public_key.type_url != SECP256K1_PUBKEY_TYPE_URL:
        raise ErrInvalidPubKey.wrap(f"unsupported public key type {info.public_key.type_url}")
    pub_key = _parse(secp256k1_pb2.PubKey, info.public_key.value, "public key")
    if len(pub_key.key) != SECP256K1_PUBKEY_LENGTH:
        raise ErrInvalidPubKey.wrap(
            f"secp256k1 public key must be {SECP256K1_PUBKEY_LENGTH} bytes, got {len(pub_key.key)}"
        )
    return SignerInfo(public_key=pub_key.key, sequence=info.sequence)


def _parse(cls: type[T], data: bytes, what: str, *, allow_non_critical: bool = False) -> T:
    """Parse `data` as `cls`, refusing unknown fields (sdk 2).

    Only ``TxBody`` may carry unknown non-critical fields; it is checked field by field (its
    nested messages are ``Any``s, checked when unpacked). Everywhere else the unknown fields
    are dropped and the canonical size compared with the bytes received: a difference means an
    unknown field somewhere (or a non-canonical encoding, which no SDK client produces) — one
    cheap comparison instead of a walk over every nested message.
    """
    message = cls()
    try:
        message.ParseFromString(data)
    except DecodeError as exc:
        raise ErrTxDecode.wrap(f"cannot decode {what}: {exc}") from None
    if allow_non_critical:
        _reject_critical_unknown_fields(message, what)
        return message
    message.DiscardUnknownFields()
    if message.ByteSize() != len(data):
        raise ErrTxDecode.wrap(f"{what} has unknown fields or is not canonically encoded")
    return message


def _reject_critical_unknown_fields(message: Message, what: str) -> None:
    unknown = UnknownFieldSet(message)
    for index in range(len(unknown)):
        number = unknown[index].field_number
        if not number & NON_CRITICAL_FIELD_BIT:
            raise ErrTxDecode.wrap(f"{what} has unknown field number {number}")
