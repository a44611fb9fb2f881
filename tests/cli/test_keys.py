"""The keyring (app/cli/keyring.py) and the `allianced keys` commands (app/cli/keys.py)."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner, Result

from app.cli.keyring import PASSPHRASE_ENV, Keyring, KeyringError, ScryptParams
from app.cli.keys import keys
from app.crypto.hd import derive_private_key
from app.crypto.secp256k1 import PublicKey
from app.types.address import VALIDATOR_PREFIX, from_bech32, to_bech32

# LocalOsmosis' published lo-test1 account (coin type 118): the same 20 bytes under our prefix.
LO_TEST1_MNEMONIC = (
    "notice oak worry limit wrap speak medal online prefer cluster roof addict wrist behave "
    "treat actual wasp year salad speed social layer crew genius"
)
LO_TEST1_ADDRESS = from_bech32("osmo1cyyzpxplxdzkeea7kwsydadg87357qnahakaks", "osmo")
LO_TEST1_SECRET_HEX = derive_private_key(LO_TEST1_MNEMONIC).secret.hex()
FAST_SCRYPT = ScryptParams(n=2**10)


@pytest.fixture(autouse=True)
def _no_ambient_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv("ALLIANCED_HOME", raising=False)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- Keyring ---------------------------------------------------------------------------------


def test_test_backend_add_get_list_delete_and_permissions(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path, "test")
    record, mnemonic = keyring.add("lo-test1", LO_TEST1_MNEMONIC)
    assert mnemonic == LO_TEST1_MNEMONIC
    assert record.address == LO_TEST1_ADDRESS
    assert record.bech32_address == to_bech32("persistence", LO_TEST1_ADDRESS)
    assert keyring.get("lo-test1") == record
    assert keyring.get(record.bech32_address) == record

    directory = tmp_path / "keyring-test"
    assert _mode(directory) == 0o700
    files = sorted(path.name for path in directory.iterdir())
    assert files == [f"{LO_TEST1_ADDRESS.hex()}.address", "lo-test1.info"]
    assert all(_mode(directory / name) == 0o600 for name in files)

    keyring.add("alice")
    assert [r.name for r in Keyring(tmp_path, "test").list()] == ["alice", "lo-test1"]
    assert keyring.delete("lo-test1") == record
    assert [r.name for r in keyring.list()] == ["alice"]
    assert len(list(directory.iterdir())) == 2
    with pytest.raises(KeyringError, match="not found"):
        keyring.get("lo-test1")
    with pytest.raises(KeyringError, match="no key with address"):
        keyring.get(record.bech32_address)


def test_new_key_has_a_24_word_mnemonic_that_recovers_it(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path, "memory")
    record, mnemonic = keyring.add("fresh")
    assert len(mnemonic.split()) == 24
    assert derive_private_key(mnemonic).public_key.key == record.pubkey
    other, _ = keyring.add("fresh-account-1", mnemonic, account=1)
    assert other.address != record.address


def test_duplicates_and_bad_input_are_refused(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path, "test")
    keyring.add("bob", LO_TEST1_MNEMONIC)
    with pytest.raises(KeyringError, match="already exists"):
        keyring.add("bob")
    with pytest.raises(KeyringError, match="already stored under the name 'bob'"):
        keyring.add("bob2", LO_TEST1_MNEMONIC)
    with pytest.raises(KeyringError, match="invalid key name"):
        keyring.add("../escape")
    with pytest.raises(KeyringError, match="invalid mnemonic"):
        keyring.add("carol", "abandon " * 11 + "abandon")
    with pytest.raises(KeyringError, match="not found"):
        keyring.get("../bob")
    with pytest.raises(KeyringError, match="not found"):
        keyring.delete("nobody")
    with pytest.raises(KeyringError, match="unknown keyring backend"):
        Keyring(tmp_path, "os")  # type: ignore[arg-type]


def test_sign_gives_a_signature_the_public_key_verifies(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path, "test")
    record, _ = keyring.add("signer")
    signature, pubkey = keyring.sign(record.bech32_address, b"sign bytes")
    assert pubkey == record.pubkey
    assert PublicKey(pubkey).verify(b"sign bytes", signature)


def test_memory_backend_writes_nothing(tmp_path: Path) -> None:
    Keyring(tmp_path, "memory").add("ephemeral")
    assert list(tmp_path.iterdir()) == []


def test_file_backend_encrypts_and_checks_the_passphrase(tmp_path: Path) -> None:
    prompts: list[bool] = []

    def prompt(new: bool) -> str:
        prompts.append(new)
        return "correct horse"

    keyring = Keyring(tmp_path, "file", passphrase_prompt=prompt, scrypt=FAST_SCRYPT)
    record, _ = keyring.add("vault", LO_TEST1_MNEMONIC)
    assert prompts == [True]
    directory = tmp_path / "keyring-file"
    assert _mode(directory) == 0o700
    for path in directory.iterdir():
        assert _mode(path) == 0o600
        assert LO_TEST1_SECRET_HEX not in path.read_text()

    # Public data needs no passphrase; signing in a new process asks once for the existing one.
    reopened = Keyring(tmp_path, "file", passphrase_prompt=prompt, scrypt=FAST_SCRYPT)
    assert reopened.list() == [record]
    signature, _ = reopened.sign("vault", b"msg")
    assert PublicKey(record.pubkey).verify(b"msg", signature)
    assert prompts == [True, False]

    wrong = Keyring(tmp_path, "file", passphrase_prompt=lambda new: "wrong horse")
    with pytest.raises(KeyringError, match="incorrect keyring passphrase"):
        wrong.sign("vault", b"msg")
    with pytest.raises(KeyringError, match=PASSPHRASE_ENV):
        Keyring(tmp_path, "file").sign("vault", b"msg")


def test_file_backend_reads_passphrase_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "from env")
    Keyring(tmp_path, "file", scrypt=FAST_SCRYPT).add("envkey")
    assert Keyring(tmp_path, "file").sign("envkey", b"m")
    monkeypatch.setenv(PASSPHRASE_ENV, "other")
    with pytest.raises(KeyringError, match="incorrect"):
        Keyring(tmp_path, "file").sign("envkey", b"m")


def test_tampered_file_ciphertext_is_reported_as_corrupt(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path, "file", passphrase_prompt=lambda new: "pw", scrypt=FAST_SCRYPT)
    keyring.add("k")
    info_path = tmp_path / "keyring-file" / "k.info"
    info = json.loads(info_path.read_text())
    info["private_key"]["ciphertext"] = info["private_key"]["ciphertext"][::-1]
    info_path.write_text(json.dumps(info))
    with pytest.raises(KeyringError, match="corrupt"):
        keyring.sign("k", b"m")


def test_armor_export_import_round_trip(tmp_path: Path) -> None:
    source = Keyring(tmp_path, "test", scrypt=FAST_SCRYPT)
    record, _ = source.add("exported", LO_TEST1_MNEMONIC)
    armor = source.export_armored("exported", "armor pass")
    assert armor.startswith("-----BEGIN ALLIANCED PRIVATE KEY-----\n")
    assert "kdf: scrypt" in armor
    assert LO_TEST1_SECRET_HEX not in armor.lower()

    target = Keyring(tmp_path / "other", "memory")
    with pytest.raises(KeyringError, match="incorrect passphrase"):
        target.import_armored("imported", armor, "bad pass")
    imported = target.import_armored("imported", armor, "armor pass")
    assert (imported.address, imported.pubkey) == (record.address, record.pubkey)
    with pytest.raises(KeyringError, match="already stored"):
        source.import_armored("again", armor, "armor pass")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda text: text.replace("BEGIN", "START"),
        lambda text: text.replace("kdf: scrypt", "kdf: bcrypt"),
        lambda text: text.replace("\n\n", "\n"),
        lambda text: text.replace("salt: ", "salt: zz"),
    ],
)
def test_malformed_armor_is_refused(tmp_path: Path, mangle: Callable[[str], str]) -> None:
    keyring = Keyring(tmp_path, "memory", scrypt=FAST_SCRYPT)
    keyring.add("k")
    armor = keyring.export_armored("k", "pw")
    with pytest.raises(KeyringError):
        keyring.import_armored("k2", mangle(armor), "pw")


# ---- allianced keys ------------------------------------------------------------------------


def _run(home: Path, *args: str, input: str | None = None, backend: str = "test") -> Result:
    return CliRunner().invoke(
        keys, [*args, "--home", str(home), "--keyring-backend", backend], input=input
    )


def test_add_prints_record_and_mnemonic_once(tmp_path: Path) -> None:
    result = _run(tmp_path, "add", "alice")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("- address: persistence1")
    assert lines[1] == "  name: alice"
    assert lines[2].startswith("""  pubkey: '{"@type":"/cosmos.crypto.secp256k1.PubKey","key":"A""")
    assert lines[3] == "  type: local"
    assert "**Important** write this mnemonic phrase in a safe place." in result.stdout
    mnemonic = lines[-1]
    assert len(mnemonic.split()) == 24
    address = lines[0].removeprefix("- address: ")
    assert to_bech32("persistence", derive_private_key(mnemonic).public_key.address()) == address

    shown = _run(tmp_path, "show", "alice")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == lines[:4]
    assert mnemonic not in shown.stdout


def test_add_recover_reads_mnemonic_and_does_not_print_it(tmp_path: Path) -> None:
    result = _run(tmp_path, "add", "lo-test1", "--recover", input=LO_TEST1_MNEMONIC + "\n")
    assert result.exit_code == 0, result.output
    assert LO_TEST1_MNEMONIC not in result.stdout
    assert "Important" not in result.output
    expected = to_bech32("persistence", LO_TEST1_ADDRESS)
    assert f"- address: {expected}" in result.stdout
    assert _run(tmp_path, "show", "lo-test1", "-a").stdout == expected + "\n"


def test_add_with_coin_type_account_index(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "add",
        "terra",
        "--recover",
        "--coin-type",
        "330",
        "--index",
        "2",
        "-o",
        "json",
        input=LO_TEST1_MNEMONIC + "\n",
    )
    assert result.exit_code == 0, result.output
    expected = derive_private_key(LO_TEST1_MNEMONIC, coin_type=330, index=2).public_key.address()
    assert from_bech32(json.loads(result.stdout)["address"], "persistence") == expected


def test_add_json_output(tmp_path: Path) -> None:
    result = _run(tmp_path, "add", "bob", "-o", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"name", "type", "address", "pubkey", "mnemonic"}
    assert json.loads(document["pubkey"])["@type"] == "/cosmos.crypto.secp256k1.PubKey"
    assert "Important" in result.stderr


def test_list_show_and_val_address(tmp_path: Path) -> None:
    for name in ("zed", "amy"):
        assert _run(tmp_path, "add", name).exit_code == 0
    listed = json.loads(_run(tmp_path, "list", "-o", "json").stdout)
    assert [entry["name"] for entry in listed] == ["amy", "zed"]
    assert set(listed[0]) == {"name", "type", "address", "pubkey"}
    text = _run(tmp_path, "list").stdout
    assert text.index("name: amy") < text.index("name: zed")

    account = _run(tmp_path, "show", "amy", "-a").stdout.strip()
    operator = _run(tmp_path, "show", "amy", "--bech", "val", "-a").stdout.strip()
    assert operator.startswith(VALIDATOR_PREFIX + "1")
    assert from_bech32(operator, VALIDATOR_PREFIX) == from_bech32(account, "persistence")
    assert json.loads(_run(tmp_path, "show", account, "-o", "json").stdout)["name"] == "amy"


def test_list_empty(tmp_path: Path) -> None:
    result = _run(tmp_path, "list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No records" in result.stderr
    assert _run(tmp_path, "list", "-o", "json").stdout.strip() == "[]"


def test_errors_are_one_line_and_exit_1(tmp_path: Path) -> None:
    missing = _run(tmp_path, "show", "ghost")
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == [
        "Error: key 'ghost' not found in the test keyring"
    ]
    assert _run(tmp_path, "add", "dup").exit_code == 0
    duplicate = _run(tmp_path, "add", "dup")
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.stderr
    bad = _run(tmp_path, "add", "x", "--recover", input="not a mnemonic at all\n")
    assert bad.exit_code == 1
    assert "invalid mnemonic" in bad.stderr


def test_delete_asks_unless_yes(tmp_path: Path) -> None:
    _run(tmp_path, "add", "a")
    _run(tmp_path, "add", "b")
    refused = _run(tmp_path, "delete", "a", input="n\n")
    assert refused.exit_code == 1
    assert _run(tmp_path, "show", "a").exit_code == 0
    confirmed = _run(tmp_path, "delete", "a", input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "Key deleted forever" in confirmed.stderr
    assert _run(tmp_path, "delete", "b", "-y").exit_code == 0
    assert json.loads(_run(tmp_path, "list", "-o", "json").stdout) == []


def test_export_then_import_into_another_home(tmp_path: Path) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    _run(source, "add", "moving", "--recover", input=LO_TEST1_MNEMONIC + "\n")
    exported = _run(source, "export", "moving", input="pw\npw\n")
    assert exported.exit_code == 0, exported.output
    assert exported.stdout.startswith("-----BEGIN ALLIANCED PRIVATE KEY-----")
    armor_file = tmp_path / "moving.armor"
    armor_file.write_text(exported.stdout)

    wrong = _run(target, "import", "moved", str(armor_file), input="nope\n")
    assert wrong.exit_code == 1
    assert "incorrect passphrase" in wrong.stderr
    imported = _run(target, "import", "moved", str(armor_file), input="pw\n")
    assert imported.exit_code == 0, imported.output
    assert _run(target, "show", "moved", "-a").stdout.strip() == to_bech32(
        "persistence", LO_TEST1_ADDRESS
    )


def test_backend_and_output_come_from_client_toml(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "client.toml").write_text(
        'chain-id = "persistence-devnet-1"\nkeyring-backend = "test"\noutput = "json"\n'
    )
    result = CliRunner().invoke(keys, ["add", "cfg", "--home", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "cfg"
    assert (tmp_path / "keyring-test" / "cfg.info").exists()


def test_home_from_environment(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        keys, ["add", "envhome", "--keyring-backend", "test"], env={"ALLIANCED_HOME": str(tmp_path)}
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "keyring-test" / "envhome.info").exists()


def test_default_file_backend_prompts_for_passphrase(tmp_path: Path) -> None:
    home = ["--home", str(tmp_path)]
    created = CliRunner().invoke(
        keys,
        ["add", "secret", "--recover", *home],
        input=LO_TEST1_MNEMONIC + "\nhunter22\nhunter22\n",
    )
    assert created.exit_code == 0, created.output
    assert (tmp_path / "keyring-file" / "secret.info").exists()
    assert LO_TEST1_SECRET_HEX not in (tmp_path / "keyring-file" / "secret.info").read_text()
    listed = CliRunner().invoke(keys, ["list", *home])
    assert "name: secret" in listed.stdout
    exported = CliRunner().invoke(keys, ["export", "secret", *home], input="a\na\nwrong\n")
    assert exported.exit_code == 1
    assert "incorrect keyring passphrase" in exported.stderr


def test_flags_given_to_the_root_command_are_used(tmp_path: Path) -> None:
    root_flags = SimpleNamespace(home=tmp_path, keyring_backend="test", output="json")
    result = CliRunner().invoke(keys, ["add", "rooted"], obj=root_flags)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "rooted"
    assert (tmp_path / "keyring-test" / "rooted.info").exists()
    own_flag = CliRunner().invoke(keys, ["show", "rooted", "-o", "text"], obj=root_flags)
    assert own_flag.stdout.startswith("- address: persistence1")
