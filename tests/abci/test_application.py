"""BaseApplication defaults and the request dispatch table."""

from __future__ import annotations

import logging

import pytest
from google.protobuf.message import Message
from hypothesis import given
from hypothesis import strategies as st

from app.abci.application import Application, BaseApplication, truncate_txs
from app.abci.dispatch import decode_request, dispatch
from app.pb.tendermint.abci import types_pb2 as abci


def test_base_application_satisfies_the_protocol() -> None:
    app: Application = BaseApplication()
    assert app.info(abci.RequestInfo()) == abci.ResponseInfo()


@given(st.lists(st.binary(max_size=40), max_size=20), st.integers(min_value=0, max_value=400))
def test_truncate_txs_keeps_the_longest_fitting_prefix(txs: list[bytes], limit: int) -> None:
    kept = truncate_txs(txs, limit)
    assert kept == txs[: len(kept)]
    assert sum(map(len, kept)) <= limit
    if len(kept) < len(txs):
        assert sum(map(len, kept)) + len(txs[len(kept)]) > limit


def test_base_prepare_proposal_truncates_to_max_tx_bytes() -> None:
    req = abci.RequestPrepareProposal(max_tx_bytes=5, txs=[b"ab", b"cd", b"ef"])
    assert list(BaseApplication().prepare_proposal(req).txs) == [b"ab", b"cd"]


def test_base_finalize_block_answers_one_result_per_tx() -> None:
    res = BaseApplication().finalize_block(abci.RequestFinalizeBlock(txs=[b"a", b"b", b"c"]))
    assert len(res.tx_results) == 3
    assert all(r.code == 0 for r in res.tx_results)


def test_base_statuses_are_never_unknown() -> None:
    app = BaseApplication()
    accept = abci.ResponseProcessProposal.ACCEPT
    assert app.process_proposal(abci.RequestProcessProposal()).status == accept
    verify = app.verify_vote_extension(abci.RequestVerifyVoteExtension())
    assert verify.status == abci.ResponseVerifyVoteExtension.ACCEPT
    offer = app.offer_snapshot(abci.RequestOfferSnapshot())
    assert offer.result == abci.ResponseOfferSnapshot.REJECT
    apply = app.apply_snapshot_chunk(abci.RequestApplySnapshotChunk())
    assert apply.result == abci.ResponseApplySnapshotChunk.ABORT
    assert list(app.list_snapshots(abci.RequestListSnapshots()).snapshots) == []


# Every request kind paired with the response kind it must produce (resMatchesReq in CometBFT).
REQUEST_KINDS = [
    ("echo", abci.RequestEcho(message="hi")),
    ("flush", abci.RequestFlush()),
    ("info", abci.RequestInfo()),
    ("init_chain", abci.RequestInitChain()),
    ("query", abci.RequestQuery()),
    ("check_tx", abci.RequestCheckTx(tx=b"x")),
    ("commit", abci.RequestCommit()),
    ("list_snapshots", abci.RequestListSnapshots()),
    ("offer_snapshot", abci.RequestOfferSnapshot()),
    ("load_snapshot_chunk", abci.RequestLoadSnapshotChunk()),
    ("apply_snapshot_chunk", abci.RequestApplySnapshotChunk()),
    ("prepare_proposal", abci.RequestPrepareProposal()),
    ("process_proposal", abci.RequestProcessProposal()),
    ("extend_vote", abci.RequestExtendVote()),
    ("verify_vote_extension", abci.RequestVerifyVoteExtension()),
    ("finalize_block", abci.RequestFinalizeBlock()),
]


def test_every_request_field_of_the_schema_is_dispatched() -> None:
    assert sorted(kind for kind, _ in REQUEST_KINDS) == sorted(
        f.name for f in abci.Request.DESCRIPTOR.oneofs_by_name["value"].fields
    )


@pytest.mark.parametrize(("kind", "inner"), REQUEST_KINDS)
def test_dispatch_answers_with_the_same_kind(kind: str, inner: Message) -> None:
    request = abci.Request()
    getattr(request, kind).CopyFrom(inner)
    assert dispatch(BaseApplication(), request).WhichOneof("value") == kind


def test_echo_is_answered_by_the_server() -> None:
    response = dispatch(BaseApplication(), abci.Request(echo=abci.RequestEcho(message="ping")))
    assert response.echo.message == "ping"


class FailingApp(BaseApplication):
    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        raise KeyError("boom")


def test_application_error_becomes_an_exception_response_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="abci"):
        response = dispatch(FailingApp(), abci.Request(check_tx=abci.RequestCheckTx(tx=b"x")))
    assert response.WhichOneof("value") == "exception"
    assert "check_tx" in response.exception.error and "KeyError" in response.exception.error
    assert any(record.exc_info for record in caplog.records)  # the traceback is logged


def test_unknown_request_type_becomes_an_exception_response() -> None:
    newer = bytes.fromhex("aa0100")  # field 21 (v0.39's insert_tx), empty message
    request = decode_request(newer)
    assert isinstance(request, abci.Request)
    response = dispatch(BaseApplication(), request)
    assert response.WhichOneof("value") == "exception"
    assert "unknown request type" in response.exception.error
    assert "21" in response.exception.error


def test_undecodable_request_becomes_an_exception_response() -> None:
    response = decode_request(b"\x0a\x05ab")  # field 1 claims 5 bytes, only 2 follow
    assert isinstance(response, abci.Response)
    assert response.WhichOneof("value") == "exception"
