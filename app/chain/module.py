"""The contract between the chain and a module folder under `app/modules/`.

A module plugs into the chain by implementing `Module`; `app.chain.wiring` lists the modules in
their genesis and block-hook orders. The ABCI application never names a module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from app.chain.context import Context
from app.chain.router import MsgRouter, MsgServiceRoute, QueryMethod, QueryRouter

__all__ = [
    "GenesisJSON",
    "KeeperModule",
    "Module",
    "ModuleGenesis",
    "NoBeginBlock",
    "NoBlockHooks",
    "NoEndBlock",
    "ValidatorUpdate",
]

GenesisJSON = dict[str, Any]
"""A module's section of genesis ``app_state``, as parsed JSON (proto-JSON of its GenesisState)."""


@dataclass(frozen=True, slots=True)
class ValidatorUpdate:
    """A change of a validator's consensus power (0 removes it), for CometBFT."""

    pub_key_type: str
    """``ed25519`` or ``secp256k1``."""
    pub_key: bytes
    power: int


class Module(Protocol):
    """What the chain calls on a module; a module that has no block hook returns nothing there."""

    @property
    def name(self) -> str:
        """The module name: its ``app_state`` key and the ``module`` of its message events."""
        ...

    @property
    def store_names(self) -> tuple[str, ...]:
        """The stores the module owns (its store keys, ``acc``, ``bank``, …)."""
        ...

    def register_routes(self, msgs: MsgRouter, queries: QueryRouter) -> None:
        """Add the module's message and query handlers."""
        ...

    def default_genesis(self) -> GenesisJSON:
        """The genesis section used when ``app_state`` has none for this module."""
        ...

    def validate_genesis(self, genesis: GenesisJSON) -> None:
        """Check the section without touching state; raise a `ChainError` naming the fault."""
        ...

    def init_genesis(self, ctx: Context, genesis: GenesisJSON) -> tuple[ValidatorUpdate, ...]:
        """Write the (validated) section into state; return the initial validators, if any."""
        ...

    def export_genesis(self, ctx: Context) -> GenesisJSON:
        """The section that `init_genesis` would turn back into the current state."""
        ...

    def begin_block(self, ctx: Context) -> None:
        """Work at the start of every block, before its txs."""
        ...

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        """Work at the end of every block; return validator power changes."""
        ...


class NoBeginBlock:
    """Mixin for modules with no begin-block work."""

    def begin_block(self, ctx: Context) -> None:
        """No begin-block work."""


class NoEndBlock:
    """Mixin for modules with no end-block work, hence no validator updates."""

    def end_block(self, ctx: Context) -> tuple[ValidatorUpdate, ...]:
        """No end-block work and no validator updates."""
        return ()


class NoBlockHooks(NoBeginBlock, NoEndBlock):
    """Mixin for modules with no begin-block or end-block work."""


K = TypeVar("K")
K_contra = TypeVar("K_contra", contravariant=True)


class ModuleGenesis(Protocol[K_contra]):
    """The four functions of a module's ``genesis.py`` (the Python module itself is passed)."""

    def default_genesis(self) -> GenesisJSON: ...

    def validate_genesis(self, genesis: GenesisJSON) -> None: ...

    def init_genesis(self, keeper: K_contra, ctx: Context, genesis: GenesisJSON) -> object: ...

    def export_genesis(self, keeper: K_contra, ctx: Context) -> GenesisJSON: ...


class KeeperModule(Generic[K]):
    """A module built on one keeper: its routes are tables, its genesis lives in ``genesis.py``.

    Subclasses name the module (`name`, `store_names`), pass their tables to ``__init__`` and add
    block hooks (or the `NoBeginBlock` / `NoEndBlock` mixins); a module whose genesis returns
    validators overrides `init_genesis`.
    """

    name: str
    store_names: tuple[str, ...]

    def __init__(
        self,
        keeper: K,
        genesis: ModuleGenesis[K],
        msg_routes: Iterable[MsgServiceRoute[K]],
        query_service: str,
        query_routes: Iterable[QueryMethod[K]],
    ) -> None:
        self.keeper = keeper
        self._genesis = genesis
        self._msg_routes = tuple(msg_routes)
        self._query_service = query_service
        self._query_routes = tuple(query_routes)

    def register_routes(self, msg_router: MsgRouter, query_router: QueryRouter) -> None:
        msg_router.register_service(self.name, self.keeper, self._msg_routes)
        query_router.register_service(self._query_service, self.keeper, self._query_routes)

    def default_genesis(self) -> GenesisJSON:
        return self._genesis.default_genesis()

    def validate_genesis(self, genesis: GenesisJSON) -> None:
        self._genesis.validate_genesis(genesis)

    def init_genesis(self, ctx: Context, genesis: GenesisJSON) -> tuple[ValidatorUpdate, ...]:
        self._genesis.init_genesis(self.keeper, ctx, genesis)
        return ()

    def export_genesis(self, ctx: Context) -> GenesisJSON:
        return self._genesis.export_genesis(self.keeper, ctx)
