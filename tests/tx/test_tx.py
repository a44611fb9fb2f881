from __future__ import annotations

import hashlib

import pytest

from app.chain.errors import ChainError
from app.chain.wiring import build_chain
from app.codec import pack_any
from app.crypto.secp256k1 import PublicKey
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.crypto.ed25519 import keys_pb2 as ed25519_pb2
from app.pb.cosmos.tx.signing.v1beta1 import signing_pb2
from app.pb.cosmos.tx.v1beta1 import tx_pb2
from app.tx import build_signed_tx, decode_tx, sign_doc_bytes, tx_hash
from app.types import Coins
from tests.chain.helpers import ALICE, BOB, coin, send_msg

TYPES = build_chain().msg_router.message_types()


def build(**kwargs) -> bytes:
    options = dict(
        chain_id="c", account_number=3, sequence=4, fee=Coins.parse("5uxprt"), gas_limit=100
    )
    options.update(kwargs)
    return build_signed_tx([send_msg(ALICE, BOB.bech32, [coin(1)])], ALICE.signer, **options)


def code_of(raw: bytes) -> tuple[str, int]:
    with pytest.raises(ChainError) as info:
        decode_tx(raw, 10_000, TYPES)
    return info.value.codespace, info.value.code


def test_round_trip_and_signature_over_the_sign_doc() -> None:
    raw = build(memo="hi", timeout_height=9)
    tx = decode_tx(raw, 10_000, TYPES)
    assert tx.type_urls == ("/cosmos.bank.v1beta1.MsgSend",)
    assert isinstance(tx.messages[0], bank_tx.MsgSend)
    assert (tx.memo, tx.timeout_height, tx.gas_limit, str(tx.fee)) == ("hi", 9, 100, "5uxprt")
    assert tx.signer_infos[0].public_key == ALICE.public_key
    assert tx.signer_infos[0].sequence == 4
    doc = sign_doc_bytes(tx.body_bytes, tx.auth_info_bytes, "c", 3)
    assert PublicKey(ALICE.public_key).verify(doc, tx.signatures[0])
    assert not PublicKey(ALICE.public_key).verify(
        sign_doc_bytes(tx.body_bytes, tx.auth_info_bytes, "c", 4), tx.signatures[0]
    )
    assert tx_hash(raw) == hashlib.sha256(raw).hexdigest().upper()


def test_size_limit_and_garbage() -> None:
    raw = build()
    with pytest.raises(ChainError) as info:
        decode_tx(raw, len(raw) - 1, TYPES)
    assert info.value.code == 21
    assert code_of(b"\xff\xff\xff") == ("sdk", 2)
    assert code_of(raw[:-10]) == ("sdk", 2)


def rebuild(raw: bytes, edit) -> bytes:
    tx_raw = tx_pb2.TxRaw.FromString(raw)
    body = tx_pb2.TxBody.FromString(tx_raw.body_bytes)
    auth = tx_pb2.AuthInfo.FromString(tx_raw.auth_info_bytes)
    edit(tx_raw, body, auth)
    tx_raw.body_bytes = body.SerializeToString()
    tx_raw.auth_info_bytes = auth.SerializeToString()
    return tx_raw.SerializeToString()


def test_unknown_fields() -> None:
    raw = build()
    tx_raw = tx_pb2.TxRaw.FromString(raw)
    critical = tx_raw.body_bytes + b"\x98\x01\x05"  # field 19, varint
    non_critical = (
        tx_raw.body_bytes + b"\x88\x40\x05"
    )  # field 1025: the 1024 bit marks it non-critical
    for body_bytes, ok in ((critical, False), (non_critical, True)):
        changed = tx_pb2.TxRaw(
            body_bytes=body_bytes,
            auth_info_bytes=tx_raw.auth_info_bytes,
            signatures=tx_raw.signatures,
        )
        if ok:
            decode_tx(changed.SerializeToString(), 10_000, TYPES)
        else:
            assert code_of(changed.SerializeToString()) == ("sdk", 2)
    nested = rebuild(raw, lambda _r, _b, auth: auth.fee.amount[0].MergeFromString(b"\x18\x01"))
    assert code_of(nested) == ("sdk", 2)
    assert code_of(raw + b"\x20\x01") == ("sdk", 2)


def test_structural_rejections() -> None:
    raw = build()
    cases = {
        "no messages": (lambda _r, body, _a: body.ClearField("messages"), 18),
        "unknown type": (lambda _r, body, _a: setattr(body.messages[0], "type_url", "/x.Y"), 2),
        "extension": (
            lambda _r, body, _a: body.extension_options.append(pack_any(tx_pb2.Fee())),
            31,
        ),
        "granter": (lambda _r, _b, auth: setattr(auth.fee, "granter", ALICE.bech32), 37),
        "no signatures": (lambda tx_raw, _b, _a: tx_raw.ClearField("signatures"), 15),
        "extra signature": (lambda tx_raw, _b, _a: tx_raw.signatures.append(b"x" * 64), 4),
        "ed25519 key": (
            lambda _r, _b, auth: auth.signer_infos[0].public_key.CopyFrom(
                pack_any(ed25519_pb2.PubKey(key=b"k" * 32))
            ),
            8,
        ),
        "amino mode": (
            lambda _r, _b, auth: setattr(
                auth.signer_infos[0].mode_info.single,
                "mode",
                signing_pb2.SIGN_MODE_LEGACY_AMINO_JSON,
            ),
            37,
        ),
        "bad fee": (lambda _r, _b, auth: setattr(auth.fee.amount[0], "amount", "-1"), 10),
    }
    for name, (edit, code) in cases.items():
        assert code_of(rebuild(raw, edit)) == ("sdk", code), name
