"""Crafted double-sign evidence: two conflicting precommits signed with a validator's key.

What CometBFT's e2e runner does (spec/cometbft.md §6, option 2), fully deterministic: sign two
precommits for the same height and round with two different block IDs, wrap them as a
`DuplicateVoteEvidence` and POST it to `broadcast_evidence`. The node's evidence pool accepts it
only when it matches the node's view of that height (`evidence/verify.go`):

- both votes verify against the validator's key over `CanonicalVote` sign bytes
  (uvarint-length-delimited protobuf with the chain id);
- `ValidatorPower` and `TotalVotingPower` equal the validator set at that height, and each vote's
  `validator_index` is the validator's position in that set;
- `Timestamp` equals the header time of the block at that height;
- `vote_a`'s block ID sorts before `vote_b`'s (`BlockID.Key()`: hash, then part-set header).

The JSON follows CometBFT's `libs/json`: int64 as strings, int32 as numbers, `HexBytes` as
upper-case hex, `[]byte` as base64; the evidence's last three fields have no json tags.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from app.abci.framing import frame
from app.cli.rpc import JSONObject, RpcClient
from app.crypto import ed25519
from app.pb.tendermint.types.canonical_pb2 import (
    CanonicalBlockID,
    CanonicalPartSetHeader,
    CanonicalVote,
)
from app.pb.tendermint.types.types_pb2 import SIGNED_MSG_TYPE_PRECOMMIT, PartSetHeader
from app.types.time import Timestamp, format_rfc3339, parse_rfc3339, timestamp_to_proto

DUPLICATE_VOTE_EVIDENCE_TYPE = "tendermint/DuplicateVoteEvidence"
"""Amino name of `DuplicateVoteEvidence` in CometBFT JSON."""


@dataclass(frozen=True, slots=True)
class BlockID:
    """A block ID: the block hash and its part-set header (total parts, parts hash)."""

    hash: bytes
    parts_total: int
    parts_hash: bytes

    def sort_key(self) -> bytes:
        """CometBFT's `BlockID.Key()`: the hash, then the part-set header's protobuf bytes."""
        header = PartSetHeader(total=self.parts_total, hash=self.parts_hash)
        return self.hash + header.SerializeToString()

    def to_json(self) -> JSONObject:
        return {
            "hash": self.hash.hex().upper(),
            "parts": {"total": self.parts_total, "hash": self.parts_hash.hex().upper()},
        }


@dataclass(frozen=True, slots=True)
class ValidatorView:
    """What the node knows of a validator at a height: all the evidence must agree with."""

    height: int
    index: int
    """The validator's position in the height's validator set (`validator_index` of its votes)."""
    power: int
    total_power: int
    block_time: Timestamp
    """Header time of the block at `height`: the evidence's `Timestamp`."""


def conflicting_block_ids(height: int) -> tuple[BlockID, BlockID]:
    """Two different, well-formed block IDs for `height`, in `BlockID.Key()` order."""
    ids = [
        BlockID(
            hash=hashlib.sha256(f"conflict {label} {height}".encode()).digest(),
            parts_total=1,
            parts_hash=hashlib.sha256(f"parts {label} {height}".encode()).digest(),
        )
        for label in ("a", "b")
    ]
    first, second = sorted(ids, key=BlockID.sort_key)
    return first, second


def precommit_sign_bytes(
    chain_id: str, height: int, round_: int, block_id: BlockID, timestamp: Timestamp
) -> bytes:
    """What a validator signs for a precommit: the length-delimited `CanonicalVote`."""
    vote = CanonicalVote(
        type=SIGNED_MSG_TYPE_PRECOMMIT,
        height=height,
        round=round_,
        block_id=CanonicalBlockID(
            hash=block_id.hash,
            part_set_header=CanonicalPartSetHeader(
                total=block_id.parts_total, hash=block_id.parts_hash
            ),
        ),
        timestamp=timestamp_to_proto(timestamp),
        chain_id=chain_id,
    )
    return frame(vote.SerializeToString())


def signed_precommit(
    key: ed25519.PrivateKey,
    chain_id: str,
    view: ValidatorView,
    block_id: BlockID,
    round_: int = 0,
) -> JSONObject:
    """A precommit for `block_id` at `view.height`, signed with `key`, as CometBFT's JSON `Vote`."""
    signature = key.sign(
        precommit_sign_bytes(chain_id, view.height, round_, block_id, view.block_time)
    )
    return {
        "type": SIGNED_MSG_TYPE_PRECOMMIT,
        "height": str(view.height),
        "round": round_,
        "block_id": block_id.to_json(),
        "timestamp": format_rfc3339(view.block_time),
        "validator_address": key.public_key.address().hex().upper(),
        "validator_index": view.index,
        "signature": base64.b64encode(signature).decode(),
    }


def duplicate_vote_evidence(
    key: ed25519.PrivateKey, chain_id: str, view: ValidatorView
) -> JSONObject:
    """`DuplicateVoteEvidence` of two conflicting precommits by `key` at `view.height`, in the
    amino-JSON form `broadcast_evidence` takes."""
    block_a, block_b = conflicting_block_ids(view.height)
    return {
        "type": DUPLICATE_VOTE_EVIDENCE_TYPE,
        "value": {
            "vote_a": signed_precommit(key, chain_id, view, block_a),
            "vote_b": signed_precommit(key, chain_id, view, block_b),
            "TotalVotingPower": str(view.total_power),
            "ValidatorPower": str(view.power),
            "Timestamp": format_rfc3339(view.block_time),
        },
    }


def validator_view(rpc: RpcClient, address: bytes, height: int) -> ValidatorView:
    """The node's view of validator `address` at `height` (`/validators` and `/block`).

    Raises:
        AssertionError: the validator is not in the set at `height`.
    """
    validators: list[dict[str, Any]] = rpc.validators(height, per_page=100)["validators"]
    addresses = [bytes.fromhex(validator["address"]) for validator in validators]
    assert address in addresses, f"{address.hex().upper()} is not a validator at height {height}"
    index = addresses.index(address)
    header = rpc.block(height)["block"]["header"]
    return ValidatorView(
        height=height,
        index=index,
        power=int(validators[index]["voting_power"]),
        total_power=sum(int(validator["voting_power"]) for validator in validators),
        block_time=parse_rfc3339(header["time"]),
    )


def broadcast_double_sign(
    rpc: RpcClient, key: ed25519.PrivateKey, chain_id: str, height: int
) -> str:
    """Submit evidence that `key`'s validator double-signed at `height`; return its hash (hex).

    Raises:
        app.cli.rpc.RpcError: the node's evidence pool refused it (the message says why).
    """
    view = validator_view(rpc, key.public_key.address(), height)
    result = rpc.call(
        "broadcast_evidence", {"evidence": duplicate_vote_evidence(key, chain_id, view)}
    )
    evidence_hash: str = result["hash"]
    return evidence_hash
