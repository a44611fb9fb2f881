"""The crafted double-sign evidence: sign bytes, block-ID order and CometBFT's JSON shape."""

from __future__ import annotations

import base64
import hashlib
import struct

from app.crypto import ed25519
from app.pb.tendermint.types.types_pb2 import SIGNED_MSG_TYPE_PRECOMMIT
from app.types.time import SECOND, Timestamp, parse_rfc3339
from tests.support.evidence import (
    DUPLICATE_VOTE_EVIDENCE_TYPE,
    BlockID,
    ValidatorView,
    conflicting_block_ids,
    duplicate_vote_evidence,
    precommit_sign_bytes,
)

CHAIN_ID = "persistence-test-1"
KEY = ed25519.PrivateKey(hashlib.sha256(b"validator under test").digest())
VIEW = ValidatorView(
    height=12,
    index=2,
    power=100_000,
    total_power=400_000,
    block_time=Timestamp(1_700_000_000 * SECOND + 123_456_789),
)


def test_precommit_sign_bytes_are_the_length_delimited_canonical_vote() -> None:
    """Encoded by hand from the field numbers (spec/cometbft.md §6): round 0 is omitted."""
    block_id = BlockID(hash=b"\x11" * 32, parts_total=1, parts_hash=b"\x22" * 32)
    part_set_header = b"\x08\x01" + b"\x12\x20" + b"\x22" * 32
    canonical_block_id = b"\x0a\x20" + b"\x11" * 32 + b"\x12" + bytes([len(part_set_header)])
    canonical_block_id += part_set_header
    timestamp = (
        b"\x08" + bytes([0x80, 0xE2, 0xCF, 0xAA, 0x06]) + b"\x10" + bytes([0x95, 0x9A, 0xEF, 0x3A])
    )
    body = (
        b"\x08\x02"
        + b"\x11"
        + struct.pack("<q", 12)
        + b"\x22"
        + bytes([len(canonical_block_id)])
        + canonical_block_id
        + b"\x2a"
        + bytes([len(timestamp)])
        + timestamp
        + b"\x32"
        + bytes([len(CHAIN_ID)])
        + CHAIN_ID.encode()
    )
    signed = precommit_sign_bytes(CHAIN_ID, 12, 0, block_id, VIEW.block_time)
    assert signed == bytes([len(body)]) + body


def test_conflicting_block_ids_differ_and_come_in_key_order() -> None:
    first, second = conflicting_block_ids(7)
    assert first != second
    assert first.sort_key() < second.sort_key()
    assert len(first.hash) == len(first.parts_hash) == 32
    assert conflicting_block_ids(7) == (first, second)
    assert conflicting_block_ids(8) != (first, second)


def test_evidence_json_has_cometbft_encodings() -> None:
    evidence = duplicate_vote_evidence(KEY, CHAIN_ID, VIEW)
    assert evidence["type"] == DUPLICATE_VOTE_EVIDENCE_TYPE
    value = evidence["value"]
    assert value["TotalVotingPower"] == "400000"
    assert value["ValidatorPower"] == "100000"
    assert parse_rfc3339(value["Timestamp"]) == VIEW.block_time
    for vote in (value["vote_a"], value["vote_b"]):
        assert vote["type"] == SIGNED_MSG_TYPE_PRECOMMIT
        assert vote["height"] == "12"  # int64: a string
        assert vote["round"] == 0 and vote["validator_index"] == 2  # int32: numbers
        assert vote["validator_address"] == KEY.public_key.address().hex().upper()
        assert vote["block_id"]["hash"] == vote["block_id"]["hash"].upper()
        assert isinstance(vote["block_id"]["parts"]["total"], int)
    assert value["vote_a"]["block_id"] != value["vote_b"]["block_id"]


def test_each_vote_is_signed_over_its_own_block_id() -> None:
    value = duplicate_vote_evidence(KEY, CHAIN_ID, VIEW)["value"]
    ids = conflicting_block_ids(VIEW.height)
    public = KEY.public_key
    for vote, block_id, other in ((value["vote_a"], *ids), (value["vote_b"], *reversed(ids))):
        signature = base64.b64decode(vote["signature"])
        assert public.verify(
            precommit_sign_bytes(CHAIN_ID, 12, 0, block_id, VIEW.block_time), signature
        )
        assert not public.verify(
            precommit_sign_bytes(CHAIN_ID, 12, 0, other, VIEW.block_time), signature
        )
        assert not public.verify(
            precommit_sign_bytes("another-chain", 12, 0, block_id, VIEW.block_time), signature
        )
