"""Routing: a message's type URL to its module's handler, a query path to its query handler.

Each module registers its messages and queries once, at wiring time; the tx decoder learns from
the message router which types it may unpack, so an unknown message type is a decode error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast

from google.protobuf.message import Message

from app.chain.context import Context
from app.codec import type_url_of

__all__ = [
    "MsgRoute",
    "MsgRouter",
    "MsgServiceRoute",
    "QueryMethod",
    "QueryRoute",
    "QueryRouter",
]

M = TypeVar("M", bound=Message)
K = TypeVar("K")

MsgServiceRoute = tuple[
    type[Message],
    Callable[[Any], Sequence[bytes]],
    Callable[[Any], None],
    Callable[[K, Context, Any], Message],
]
"""One row of a module's message table: (message class, signers, validate_basic, handle), the
handler taking the module's keeper first (see `MsgRouter.register_service`)."""

QueryMethod = tuple[str, type[Message], Callable[[K, Context, Any], Message]]
"""One row of a module's query table: (method name, request class, handler taking the keeper
first) (see `QueryRouter.register_service`)."""


@dataclass(frozen=True, slots=True)
class MsgRoute:
    """How the chain treats one message type."""

    type_url: str
    msg_class: type[Message]
    module: str
    """Module name for the ``message`` event (``bank`` for ``/cosmos.bank.v1beta1.MsgSend``)."""
    signers: Callable[[Any], Sequence[bytes]]
    """The addresses that must sign: checked in the ante chain; raises on a malformed address."""
    validate_basic: Callable[[Any], None]
    """Stateless checks (addresses, coins, lengths); raises a registered error."""
    handle: Callable[[Context, Any], Message]
    """Validate against state, change it, emit events; returns the Msg…Response."""


class MsgRouter:
    """The message routes by type URL; registering a type twice is an error."""

    def __init__(self) -> None:
        self._routes: dict[str, MsgRoute] = {}

    def register(
        self,
        msg_class: type[M],
        *,
        module: str,
        signers: Callable[[M], Sequence[bytes]],
        validate_basic: Callable[[M], None],
        handle: Callable[[Context, M], Message],
    ) -> None:
        """Route `msg_class` to `handle`; raises `ValueError` if it is already routed."""
        type_url = type_url_of(msg_class)
        if type_url in self._routes:
            raise ValueError(f"message {type_url} is already routed")
        self._routes[type_url] = MsgRoute(
            type_url=type_url,
            msg_class=msg_class,
            module=module,
            signers=signers,
            validate_basic=validate_basic,
            handle=cast(Callable[[Context, Any], Message], handle),
        )

    def register_service(
        self, module: str, keeper: K, routes: Iterable[MsgServiceRoute[K]]
    ) -> None:
        """Route every message of a module's table, each handler bound to the module's keeper.

        A row ``(MsgSend, signers_of_send, validate_send, handle_send)`` routes
        ``/cosmos.bank.v1beta1.MsgSend`` with ``handle_send(keeper, ctx, msg)`` and `module` as
        the ``message`` event's module; raises `ValueError` if a type is already routed.
        """
        for msg_class, signers, validate_basic, handle in routes:
            self.register(
                msg_class,
                module=module,
                signers=signers,
                validate_basic=validate_basic,
                handle=partial(handle, keeper),
            )

    def route(self, type_url: str) -> MsgRoute | None:
        """The route of a type URL, or None when no module handles it."""
        return self._routes.get(type_url)

    def message_types(self) -> dict[str, type[Message]]:
        """Type URL → message class of every routed message, for the tx decoder."""
        return {url: route.msg_class for url, route in sorted(self._routes.items())}


@dataclass(frozen=True, slots=True)
class QueryRoute:
    """One query method: its request class and handler (shared by ABCI Query and gRPC)."""

    path: str
    request_class: type[Message]
    handle: Callable[[Context, Any], Message]


class QueryRouter:
    """Query routes by gRPC-style path, ``/cosmos.bank.v1beta1.Query/Balance``."""

    def __init__(self) -> None:
        self._routes: dict[str, QueryRoute] = {}

    def register(
        self, path: str, request_class: type[M], handle: Callable[[Context, M], Message]
    ) -> None:
        """Route `path`; raises `ValueError` if it is already routed."""
        if path in self._routes:
            raise ValueError(f"query {path} is already routed")
        self._routes[path] = QueryRoute(
            path, request_class, cast(Callable[[Context, Any], Message], handle)
        )

    def register_service(
        self,
        service: str,
        keeper: K,
        methods: Iterable[QueryMethod[K]],
    ) -> None:
        """Route every method of a query service, each handler bound to the module's keeper.

        `service` is the gRPC service name (``cosmos.bank.v1beta1.Query``); a method
        ``("Balance", QueryBalanceRequest, query_balance)`` answers at
        ``/cosmos.bank.v1beta1.Query/Balance`` with ``query_balance(keeper, ctx, request)``.
        """
        for method, request_class, handle in methods:
            self.register(f"/{service}/{method}", request_class, partial(handle, keeper))

    def route(self, path: str) -> QueryRoute | None:
        """The route of `path`, or None."""
        return self._routes.get(path)

    def paths(self) -> list[str]:
        """Every routed path, sorted."""
        return sorted(self._routes)
