"""ed25519 validator and node keys: RFC 8032 vector, key files, interop with the cometbft binary."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from app.crypto.ed25519 import (
    KeyFileError,
    PrivateKey,
    PublicKey,
    consensus_address,
    generate,
    load_node_key,
    load_priv_validator_key,
    node_id,
    priv_validator_key_json,
    save_node_key,
    save_priv_validator_key,
    save_priv_validator_state,
)

COMETBFT = Path(__file__).resolve().parents[2] / ".bin" / "cometbft"

# RFC 8032 section 7.1, TEST 1 (empty message).
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUB = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_SIG = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4"
    "6bd25bf5f0595bbe24655141438e7a100b"
)


def test_rfc8032_vector() -> None:
    key = PrivateKey(RFC8032_SEED)
    assert key.public_key.key == RFC8032_PUB
    assert key.sign(b"") == RFC8032_SIG
    assert PublicKey(RFC8032_PUB).verify(b"", RFC8032_SIG)


def test_sign_verify_and_tamper() -> None:
    key = generate()
    vote = b"precommit height=10 round=0"
    signature = key.sign(vote)
    assert key.public_key.verify(vote, signature)
    assert not key.public_key.verify(b"precommit height=11 round=0", signature)
    assert not key.public_key.verify(vote, signature[:-1] + bytes([signature[-1] ^ 1]))
    assert not key.public_key.verify(vote, signature[:63])
    assert not generate().public_key.verify(vote, signature)


def test_invalid_key_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        PrivateKey(b"\x01" * 31)
    with pytest.raises(ValueError):
        PublicKey(b"\x01" * 33)


def test_addresses() -> None:
    digest = hashlib.sha256(RFC8032_PUB).digest()
    assert consensus_address(RFC8032_PUB) == digest[:20]
    assert PublicKey(RFC8032_PUB).address() == digest[:20]
    assert node_id(RFC8032_PUB) == digest[:20].hex()
    assert node_id(RFC8032_PUB).islower()


def test_priv_validator_key_layout_and_round_trip(tmp_path: Path) -> None:
    key = PrivateKey(RFC8032_SEED)
    path = tmp_path / "config" / "priv_validator_key.json"
    save_priv_validator_key(path, key)
    document = json.loads(path.read_text())
    assert document == {
        "address": hashlib.sha256(RFC8032_PUB).digest()[:20].hex().upper(),
        "pub_key": {
            "type": "tendermint/PubKeyEd25519",
            "value": base64.b64encode(RFC8032_PUB).decode(),
        },
        "priv_key": {
            "type": "tendermint/PrivKeyEd25519",
            "value": base64.b64encode(RFC8032_SEED + RFC8032_PUB).decode(),
        },
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_priv_validator_key(path) == key


def test_node_key_round_trip(tmp_path: Path) -> None:
    key = generate()
    path = tmp_path / "node_key.json"
    save_node_key(path, key)
    assert set(json.loads(path.read_text())) == {"priv_key"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_node_key(path) == key


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("address", "00" * 20, "address"),
        ("pub_key", {"type": "tendermint/PubKeyEd25519", "value": "AAAA"}, "bytes"),
        ("pub_key", {"type": "tendermint/PubKeySecp256k1", "value": "AAAA"}, "type"),
        ("priv_key", {"type": "tendermint/PrivKeyEd25519", "value": "!!"}, "base64"),
    ],
)
def test_inconsistent_key_file_is_refused(
    tmp_path: Path, field: str, value: object, message: str
) -> None:
    document = priv_validator_key_json(generate())
    document[field] = value
    path = tmp_path / "priv_validator_key.json"
    path.write_text(json.dumps(document))
    with pytest.raises(KeyFileError, match=message):
        load_priv_validator_key(path)


def test_mismatched_halves_of_priv_key_are_refused(tmp_path: Path) -> None:
    document = priv_validator_key_json(PrivateKey(RFC8032_SEED))
    other_pub = generate().public_key.key
    document["priv_key"]["value"] = base64.b64encode(RFC8032_SEED + other_pub).decode()
    path = tmp_path / "node_key.json"
    path.write_text(json.dumps({"priv_key": document["priv_key"]}))
    with pytest.raises(KeyFileError, match="public half"):
        load_node_key(path)


def test_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "node_key.json"
    path.write_text("{nope")
    with pytest.raises(KeyFileError):
        load_node_key(path)


def _cometbft(*args: str) -> str:
    completed = subprocess.run(
        [str(COMETBFT), *args], capture_output=True, text=True, timeout=60, check=True
    )
    return completed.stdout.strip()


needs_cometbft = pytest.mark.skipif(
    not COMETBFT.exists() and shutil.which("cometbft") is None, reason="no cometbft binary"
)


@needs_cometbft
def test_cometbft_reads_our_key_files(tmp_path: Path) -> None:
    home = tmp_path / "node"
    _cometbft("init", "--home", str(home))
    validator_key, node_key = generate(), generate()
    save_priv_validator_key(home / "config" / "priv_validator_key.json", validator_key)
    save_node_key(home / "config" / "node_key.json", node_key)
    save_priv_validator_state(home / "data" / "priv_validator_state.json")
    assert _cometbft("show-node-id", "--home", str(home)) == node_id(node_key.public_key.key)
    shown = json.loads(_cometbft("show-validator", "--home", str(home)))
    assert shown == {
        "type": "tendermint/PubKeyEd25519",
        "value": base64.b64encode(validator_key.public_key.key).decode(),
    }


@needs_cometbft
def test_we_read_cometbft_key_files(tmp_path: Path) -> None:
    home = tmp_path / "node"
    _cometbft("init", "--home", str(home))
    node_key = load_node_key(home / "config" / "node_key.json")
    validator_key = load_priv_validator_key(home / "config" / "priv_validator_key.json")
    assert _cometbft("show-node-id", "--home", str(home)) == node_id(node_key.public_key.key)
    shown = json.loads(_cometbft("show-validator", "--home", str(home)))
    assert base64.b64decode(shown["value"]) == validator_key.public_key.key
