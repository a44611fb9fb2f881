"""Turn one decoded ``Request`` into its ``Response``: the server's only contact with the app.

Echo and Flush are answered here. Any exception escaping the application is a bug in it: it is
logged with its traceback and answered with ``Response{exception}``, on which CometBFT stops —
the right outcome for a consensus bug. Bad transactions are not exceptions: the application
answers them with a non-zero code.
"""

from __future__ import annotations

import logging

from google.protobuf.message import DecodeError
from google.protobuf.unknown_fields import UnknownFieldSet

from app.abci.application import Application
from app.pb.tendermint.abci import types_pb2 as abci

log = logging.getLogger("abci")


def exception_response(error: str) -> abci.Response:
    """``Response{exception}``: CometBFT logs ``error`` and shuts down."""
    return abci.Response(exception=abci.ResponseException(error=error))


def decode_request(payload: bytes) -> abci.Request | abci.Response:
    """Parse a framed payload; an undecodable one yields the exception response to send."""
    try:
        return abci.Request.FromString(payload)
    except DecodeError as err:
        log.error("cannot decode a %d-byte request: %s", len(payload), err)
        return exception_response(f"cannot decode request: {err}")


def dispatch(app: Application, request: abci.Request) -> abci.Response:
    """Call the application method matching ``request`` and wrap its answer.

    Never raises: application errors and unknown request types become ``Response{exception}``.
    """
    kind = request.WhichOneof("value")
    try:
        return _call(app, request, kind)
    except Exception as err:
        log.exception("application failed on %s; answering an exception (CometBFT will stop)", kind)
        return exception_response(f"{kind}: {type(err).__name__}: {err}")


def _call(app: Application, request: abci.Request, kind: str | None) -> abci.Response:
    """The method table, written out so every ABCI method is visible in one place."""
    match kind:
        case "echo":
            return abci.Response(echo=abci.ResponseEcho(message=request.echo.message))
        case "flush":
            return abci.Response(flush=abci.ResponseFlush())
        case "info":
            return abci.Response(info=app.info(request.info))
        case "query":
            return abci.Response(query=app.query(request.query))
        case "check_tx":
            return abci.Response(check_tx=app.check_tx(request.check_tx))
        case "init_chain":
            return abci.Response(init_chain=app.init_chain(request.init_chain))
        case "prepare_proposal":
            return abci.Response(prepare_proposal=app.prepare_proposal(request.prepare_proposal))
        case "process_proposal":
            return abci.Response(process_proposal=app.process_proposal(request.process_proposal))
        case "extend_vote":
            return abci.Response(extend_vote=app.extend_vote(request.extend_vote))
        case "verify_vote_extension":
            return abci.Response(
                verify_vote_extension=app.verify_vote_extension(request.verify_vote_extension)
            )
        case "finalize_block":
            return abci.Response(finalize_block=app.finalize_block(request.finalize_block))
        case "commit":
            return abci.Response(commit=app.commit(request.commit))
        case "list_snapshots":
            return abci.Response(list_snapshots=app.list_snapshots(request.list_snapshots))
        case "offer_snapshot":
            return abci.Response(offer_snapshot=app.offer_snapshot(request.offer_snapshot))
        case "load_snapshot_chunk":
            return abci.Response(
                load_snapshot_chunk=app.load_snapshot_chunk(request.load_snapshot_chunk)
            )
        case "apply_snapshot_chunk":
            return abci.Response(
                apply_snapshot_chunk=app.apply_snapshot_chunk(request.apply_snapshot_chunk)
            )
    # An empty oneof: a request type newer than v0.38's ABCI 2.0 lands in the unknown fields.
    unknown = UnknownFieldSet(request)
    numbers = [unknown[index].field_number for index in range(len(unknown))]
    log.error("unknown ABCI request type (wire fields %s)", numbers)
    return exception_response(
        f"unknown request type (wire fields {numbers}): this application speaks ABCI 2.0 of v0.38"
    )
