"""The layout of a node home and the templates its files are made from.

<home>/config/config.toml               CometBFT settings (from config/cometbft.toml)
<home>/config/app.toml                  allianced settings (from config/app.toml)
<home>/config/genesis.json              the chain's genesis, app_state included
<home>/config/priv_validator_key.json   the validator's ed25519 consensus key
<home>/config/node_key.json             the p2p identity
<home>/config/client.toml               defaults of the CLI client
<home>/data/                            CometBFT's databases and priv_validator_state.json
<home>/data/application.db              the app's LevelDB (versioned Merkle store)
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME_NAME = ".allianced"
"""The home used when neither --home nor ALLIANCED_HOME is given: ~/.allianced."""


def default_home() -> Path:
    """`$ALLIANCED_HOME`, else `~/.allianced`."""
    configured = os.environ.get("ALLIANCED_HOME")
    return Path(configured) if configured else Path.home() / DEFAULT_HOME_NAME


def templates_dir() -> Path:
    """The folder of config templates: `$ALLIANCED_CONFIG_DIR`, else the repository's `config/`.

    Images that install the package as a wheel set ALLIANCED_CONFIG_DIR to where they copied
    the repository's config folder.
    """
    configured = os.environ.get("ALLIANCED_CONFIG_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "config"


def render_template(name: str, values: dict[str, str]) -> str:
    """A template from `templates_dir()` with every ``${key}`` replaced; a missing key raises."""
    text = (templates_dir() / name).read_text()
    return string.Template(text).substitute(values)


@dataclass(frozen=True, slots=True)
class NodeHome:
    """Paths of one node's files."""

    root: Path

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def cometbft_config(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def app_config(self) -> Path:
        return self.config_dir / "app.toml"

    @property
    def client_config(self) -> Path:
        return self.config_dir / "client.toml"

    @property
    def genesis_file(self) -> Path:
        return self.config_dir / "genesis.json"

    @property
    def priv_validator_key_file(self) -> Path:
        return self.config_dir / "priv_validator_key.json"

    @property
    def node_key_file(self) -> Path:
        return self.config_dir / "node_key.json"

    @property
    def priv_validator_state_file(self) -> Path:
        return self.data_dir / "priv_validator_state.json"

    @property
    def application_db(self) -> Path:
        return self.data_dir / "application.db"
