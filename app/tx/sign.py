"""Signing and building SIGN_MODE_DIRECT transactions (client side: CLI, tests, benchmarks).

The signature of signer i is over ``SignDoc{body_bytes, auth_info_bytes, chain_id,
account_number_i}`` serialised; the key signs sha256 of those bytes. The chain verifies the same
bytes, so a tx signed for another chain id or account number fails verification.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from google.protobuf.message import Message

from app.chain.coins import coins_to_proto
from app.codec import pack_any
from app.pb.cosmos.crypto.secp256k1 import keys_pb2 as secp256k1_pb2
from app.pb.cosmos.tx.signing.v1beta1 import signing_pb2
from app.pb.cosmos.tx.v1beta1 import tx_pb2
from app.types.coin import Coins

__all__ = ["Signer", "build_signed_tx", "sign_doc_bytes", "tx_hash"]


@dataclass(frozen=True, slots=True)
class Signer:
    """What the builder needs from a key."""

    public_key: bytes
    """33-byte compressed secp256k1 public key."""
    sign: Callable[[bytes], bytes]
    """sign(sign_doc_bytes) → 64-byte r‖s over sha256(sign_doc_bytes), low-S."""


def sign_doc_bytes(
    body_bytes: bytes, auth_info_bytes: bytes, chain_id: str, account_number: int
) -> bytes:
    """The bytes a signer signs in SIGN_MODE_DIRECT: the serialised ``SignDoc``."""
    doc = tx_pb2.SignDoc(
        body_bytes=body_bytes,
        auth_info_bytes=auth_info_bytes,
        chain_id=chain_id,
        account_number=account_number,
    )
    return doc.SerializeToString(deterministic=True)


def build_signed_tx(
    messages: Sequence[Message],
    signer: Signer,
    *,
    chain_id: str,
    account_number: int,
    sequence: int,
    fee: Coins,
    gas_limit: int,
    memo: str = "",
    timeout_height: int = 0,
) -> bytes:
    """A single-signer ``TxRaw``, signed in SIGN_MODE_DIRECT; returns its bytes."""
    body = tx_pb2.TxBody(
        messages=[pack_any(message) for message in messages],
        memo=memo,
        timeout_height=timeout_height,
    )
    signer_info = tx_pb2.SignerInfo(
        public_key=pack_any(secp256k1_pb2.PubKey(key=signer.public_key)),
        mode_info=tx_pb2.ModeInfo(single=tx_pb2.ModeInfo.Single(mode=signing_pb2.SIGN_MODE_DIRECT)),
        sequence=sequence,
    )
    auth_info = tx_pb2.AuthInfo(
        signer_infos=[signer_info],
        fee=tx_pb2.Fee(amount=coins_to_proto(fee), gas_limit=gas_limit),
    )
    body_bytes = body.SerializeToString(deterministic=True)
    auth_info_bytes = auth_info.SerializeToString(deterministic=True)
    signature = signer.sign(sign_doc_bytes(body_bytes, auth_info_bytes, chain_id, account_number))
    tx_raw = tx_pb2.TxRaw(
        body_bytes=body_bytes, auth_info_bytes=auth_info_bytes, signatures=[signature]
    )
    return tx_raw.SerializeToString(deterministic=True)


def tx_hash(raw: bytes) -> str:
    """The tx hash CometBFT and the SDK show: upper-case hex sha256 of the tx bytes."""
    return hashlib.sha256(raw).hexdigest().upper()
