"""`allianced keys`: manage the local keyring (add, list, show, delete, export, import).

Output follows `appd keys` of the Cosmos SDK: text is the SDK's YAML-like listing, `-o json` the
same fields as JSON. Every subcommand takes `--home` (default: the root command's home, else
$ALLIANCED_HOME, else ~/.allianced), `--keyring-backend` (default: the root command's flag, else
`keyring-backend` in <home>/config/client.toml, else "file") and `-o/--output` (default: the root
command's flag, else `output` there, else text).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import click

from app.cli.config import ConfigError, read_client_config
from app.cli.keyring import BACKENDS, Backend, KeyRecord, Keyring, KeyringError
from app.crypto.hd import DEFAULT_COIN_TYPE, HARDENED_OFFSET
from app.types.address import VALIDATOR_PREFIX, to_bech32

HOME_ENV = "ALLIANCED_HOME"
"""Environment variable naming the client home when --home is not given."""

DEFAULT_HOME = Path("~/.allianced")
"""Client home used when neither --home nor $ALLIANCED_HOME is set."""

DEFAULT_BACKEND: Backend = "file"
"""Keyring backend when neither --keyring-backend nor client.toml names one."""

SECP256K1_PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey"
"""Type URL of an account public key in the SDK's JSON."""

MNEMONIC_WARNING = (
    "**Important** write this mnemonic phrase in a safe place.\n"
    "It is the only way to recover your account if you ever forget your password."
)
"""Printed before a newly created mnemonic, as the SDK does."""

Output = Literal["text", "json"]
_Command = TypeVar("_Command", bound=Callable[..., Any])
_CHILD_INDEX = click.IntRange(0, HARDENED_OFFSET - 1)


@dataclass(frozen=True, slots=True)
class KeysSettings:
    """Where the keyring is and how to print, after flags, client.toml and defaults."""

    home: Path
    backend: Backend
    output: Output


def keyring_options(command: _Command) -> _Command:
    """Add --home, --keyring-backend and -o/--output to a `keys` subcommand."""
    decorators = [
        click.option(
            "--home",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help=f"Client home directory [default: ${HOME_ENV} or {DEFAULT_HOME}]",
        ),
        click.option(
            "--keyring-backend",
            type=click.Choice(BACKENDS),
            default=None,
            help="Keyring backend [default: client.toml keyring-backend or file]",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Choice(["text", "json"]),
            default=None,
            help="Output format [default: client.toml output or text]",
        ),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def resolve_settings(home: Path | None, backend: str | None, output: str | None) -> KeysSettings:
    """Apply the precedence: this command's flag > the root command's flag > client.toml >
    default (and $ALLIANCED_HOME before ~/.allianced for the home).

    Raises:
        click.ClickException: client.toml is unreadable or names an unknown backend or output.
    """
    resolved_home = home or _root_flag("home") or Path(os.environ.get(HOME_ENV) or DEFAULT_HOME)
    resolved_home = Path(resolved_home).expanduser()
    try:
        config = read_client_config(resolved_home)
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    chosen_backend = (
        backend or _root_flag("keyring_backend") or config.get("keyring-backend") or DEFAULT_BACKEND
    )
    if chosen_backend not in BACKENDS:
        raise click.ClickException(f"unknown keyring backend {chosen_backend!r} in client.toml")
    chosen_output = output or _root_flag("output") or config.get("output") or "text"
    if chosen_output not in ("text", "json"):
        raise click.ClickException(f"unknown output format {chosen_output!r} in client.toml")
    return KeysSettings(resolved_home, chosen_backend, cast(Output, chosen_output))


def open_keyring(settings: KeysSettings) -> Keyring:
    """The keyring of `settings`, prompting on the terminal for a `file` passphrase."""
    return Keyring(settings.home, settings.backend, passphrase_prompt=_prompt_keyring_passphrase)


def pubkey_json(pubkey: bytes) -> str:
    """The SDK's JSON string of an account key: {"@type":"/cosmos.crypto.secp256k1.PubKey",...}."""
    document = {"@type": SECP256K1_PUBKEY_TYPE_URL, "key": base64.b64encode(pubkey).decode()}
    return json.dumps(document, separators=(",", ":"))


def key_output(record: KeyRecord, prefix: Literal["acc", "val"] = "acc") -> dict[str, str]:
    """The fields `keys show` prints: name, type, address (account or operator) and pubkey."""
    address = (
        record.bech32_address if prefix == "acc" else to_bech32(VALIDATOR_PREFIX, record.address)
    )
    return {
        "name": record.name,
        "type": record.key_type,
        "address": address,
        "pubkey": pubkey_json(record.pubkey),
    }


def format_text(entries: list[dict[str, str]]) -> str:
    """The SDK's YAML listing: one "- address: …" block per key, fields in alphabetical order."""
    lines = []
    for entry in entries:
        fields = sorted(entry.items())
        for position, (field_name, value) in enumerate(fields):
            lead = "- " if position == 0 else "  "
            lines.append(f"{lead}{field_name}: {_yaml_scalar(value)}")
    return "\n".join(lines)


@click.group(name="keys")
def keys() -> None:
    """Manage the local keyring of account keys (secp256k1, BIP44 path m/44'/118'/0'/0/0).

    \b
    Examples:
      allianced keys add alice --keyring-backend test
      allianced keys add bob --recover --keyring-backend test < mnemonic.txt
      allianced keys show alice -a
      allianced keys show alice --bech val -a
    """


@keys.command("add")
@click.argument("name")
@click.option("--recover", is_flag=True, help="Recover a key from a BIP39 mnemonic (stdin/prompt)")
@click.option("--coin-type", type=_CHILD_INDEX, default=DEFAULT_COIN_TYPE, show_default=True)
@click.option("--account", type=_CHILD_INDEX, default=0, show_default=True)
@click.option("--index", type=_CHILD_INDEX, default=0, show_default=True)
@keyring_options
def add_command(
    name: str,
    recover: bool,
    coin_type: int,
    account: int,
    index: int,
    home: Path | None,
    keyring_backend: str | None,
    output: str | None,
) -> None:
    """Create a key NAME (new 24-word mnemonic) or, with --recover, restore it from a mnemonic.

    The mnemonic is printed only when it is created here: write it down.
    """
    settings = resolve_settings(home, keyring_backend, output)
    mnemonic = None
    if recover:
        mnemonic = click.prompt("> Enter your bip39 mnemonic", err=True, hide_input=True)
    with _keyring_errors():
        record, phrase = open_keyring(settings).add(name, mnemonic, coin_type, account, index)
    entry = key_output(record)
    if settings.output == "json":
        if not recover:
            entry["mnemonic"] = phrase
            click.echo(MNEMONIC_WARNING, err=True)
        click.echo(json.dumps(entry))
        return
    click.echo(format_text([entry]))
    if not recover:
        click.echo(f"\n{MNEMONIC_WARNING}\n\n{phrase}")


@keys.command("list")
@keyring_options
def list_command(home: Path | None, keyring_backend: str | None, output: str | None) -> None:
    """List all keys, sorted by name."""
    settings = resolve_settings(home, keyring_backend, output)
    with _keyring_errors():
        entries = [key_output(record) for record in open_keyring(settings).list()]
    if settings.output == "json":
        click.echo(json.dumps(entries))
    elif entries:
        click.echo(format_text(entries))
    else:
        click.echo("No records were found in keyring", err=True)


@keys.command("show")
@click.argument("name")
@click.option(
    "--bech",
    type=click.Choice(["acc", "val"]),
    default="acc",
    show_default=True,
    help="Address prefix: acc (persistence…) or val (persistencevaloper…)",
)
@click.option("-a", "--address", "address_only", is_flag=True, help="Print the address only")
@keyring_options
def show_command(
    name: str,
    bech: Literal["acc", "val"],
    address_only: bool,
    home: Path | None,
    keyring_backend: str | None,
    output: str | None,
) -> None:
    """Show the key NAME (a key name or its persistence1… address)."""
    settings = resolve_settings(home, keyring_backend, output)
    with _keyring_errors():
        entry = key_output(open_keyring(settings).get(name), bech)
    if address_only:
        click.echo(entry["address"])
    elif settings.output == "json":
        click.echo(json.dumps(entry))
    else:
        click.echo(format_text([entry]))


@keys.command("delete")
@click.argument("name")
@click.option("-y", "--yes", is_flag=True, help="Skip the confirmation prompt")
@keyring_options
def delete_command(
    name: str, yes: bool, home: Path | None, keyring_backend: str | None, output: str | None
) -> None:
    """Delete the key NAME from the keyring (its mnemonic is the only way back)."""
    settings = resolve_settings(home, keyring_backend, output)
    keyring = open_keyring(settings)
    with _keyring_errors():
        keyring.get(name)
        if not yes:
            click.confirm("Key reference will be deleted. Continue?", abort=True, err=True)
        keyring.delete(name)
    click.echo("Key deleted forever (uh oh!)", err=True)


@keys.command("export")
@click.argument("name")
@keyring_options
def export_command(
    name: str, home: Path | None, keyring_backend: str | None, output: str | None
) -> None:
    """Print the key NAME as passphrase-encrypted ASCII armor (allianced format, not the SDK's)."""
    settings = resolve_settings(home, keyring_backend, output)
    keyring = open_keyring(settings)
    with _keyring_errors():
        keyring.get(name)
        passphrase = click.prompt(
            "Enter passphrase to encrypt the exported key",
            hide_input=True,
            confirmation_prompt=True,
            err=True,
        )
        click.echo(keyring.export_armored(name, passphrase), nl=False)


@keys.command("import")
@click.argument("name")
@click.argument("keyfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@keyring_options
def import_command(
    name: str,
    keyfile: Path,
    home: Path | None,
    keyring_backend: str | None,
    output: str | None,
) -> None:
    """Import under NAME a key exported by `allianced keys export` into KEYFILE."""
    settings = resolve_settings(home, keyring_backend, output)
    armor = keyfile.read_text()
    passphrase = click.prompt("Enter passphrase to decrypt your key", hide_input=True, err=True)
    with _keyring_errors():
        record = open_keyring(settings).import_armored(name, armor, passphrase)
    click.echo(f"imported key {record.name} ({record.bech32_address})", err=True)


@contextmanager
def _keyring_errors() -> Iterator[None]:
    """Turn a KeyringError into the one-line `Error: …` the CLI prints before exiting 1."""
    try:
        yield
    except KeyringError as error:
        raise click.ClickException(str(error)) from error


def _prompt_keyring_passphrase(new: bool) -> str:
    prompt = "Enter a passphrase for the new keyring" if new else "Enter keyring passphrase"
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=new, err=True))


def _root_flag(name: str) -> str | None:
    """A client flag given to the root `allianced` command before `keys`, if the root recorded
    it on its context object (`app.cli.context.GlobalFlags`); None otherwise."""
    context = click.get_current_context(silent=True)
    value = getattr(context.find_root().obj, name, None) if context else None
    return str(value) if isinstance(value, str | Path) else None


def _yaml_scalar(value: str) -> str:
    """Single-quote a value that YAML would otherwise misread (as the SDK's output does)."""
    plain_safe = value and value[0].isalnum() and all(ch.isalnum() or ch in "._-" for ch in value)
    return value if plain_safe else "'" + value.replace("'", "''") + "'"
