"""One running chain per test module: starting CometBFT and the app takes a few seconds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.chain import RunningChain, running_chain


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningChain]:
    root: Path = tmp_path_factory.mktemp("chain")
    with running_chain(root) as started:
        yield started
