"""The ABCI application: CometBFT's calls, in the order it makes them, mapped onto the chain.

Reads like CometBFT's ``abci/example/kvstore``: one class, one method per ABCI call. State lives
in the injected `MultiStore`; FinalizeBlock stages and returns the app hash, Commit writes one
batch, Info answers from disk. A bad tx is always a non-zero code with a log, never an exception;
an `InvariantViolation` is the one exception allowed through: the node must halt.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from google.protobuf.internal.containers import RepeatedCompositeFieldContainer
from google.protobuf.message import DecodeError, Message

from app.abci.application import BaseApplication
from app.chain import consensus
from app.chain.addresses import format_acc_address
from app.chain.ante import MAX_TX_BYTES, AnteCaches, run_ante
from app.chain.context import BlockContext, Context, ExecMode, Misbehavior, VoteInfo
from app.chain.errors import (
    ErrInvalidHeight,
    ErrInvalidRequest,
    ErrJSONUnmarshal,
    ErrUnknownRequest,
    InvariantViolation,
    abci_error,
)
from app.chain.events import Event, add_abci_events, message_event
from app.chain.gas import GasMeter
from app.chain.kv import ReadOnlyView
from app.chain.module import GenesisJSON, ValidatorUpdate
from app.chain.router import MsgRoute
from app.chain.wiring import FEE_COLLECTOR, Chain, build_chain
from app.codec import pack_any
from app.pb.cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci_pb2
from app.pb.cosmos.tx.v1beta1 import service_pb2
from app.pb.tendermint.abci import types_pb2 as abci
from app.pb.tendermint.crypto import keys_pb2 as crypto_keys_pb2
from app.store import CacheView, MultiStore, ReadView, StoreError
from app.tx.cache import BoundedCache
from app.tx.decode import DecodedTx, decode_tx
from app.types.coin import DecCoins
from app.types.time import timestamp_from_proto

__all__ = ["APP_VERSION", "ChainApplication"]

log = logging.getLogger(__name__)

APP_VERSION = 1
"""The protocol version reported in Info; CometBFT copies it into every header."""

EMPTY_HASH = hashlib.sha256(b"").digest()
"""The app hash of InitChain: nothing is committed before block 1 (as the SDK v0.50)."""

DECODED_TX_CACHE_SIZE = 20_000
"""Decoded txs kept between CheckTx and FinalizeBlock: a full mempool's worth."""

SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"
STORE_QUERY_PREFIX = "/store/"


@dataclass(slots=True)
class TxOutcome:
    """What running one tx produced: the ABCI code triple, gas, events and message responses."""

    gas_wanted: int = 0
    gas_used: int = 0
    events: list[Event] = field(default_factory=list)
    responses: list[Message] = field(default_factory=list)
    codespace: str = ""
    code: int = 0
    log: str = ""


class ChainApplication(BaseApplication):
    """The chain behind CometBFT's four connections.

    Parameters:
        store: the versioned state (in memory for tests, LevelDB for a node).
        min_gas_prices: this node's minimum gas prices, enforced in CheckTx only.
        chain: the assembled modules (`build_chain()` by default).
    """

    def __init__(
        self,
        store: MultiStore,
        *,
        min_gas_prices: DecCoins | None = None,
        chain: Chain | None = None,
    ) -> None:
        self.store = store
        self.chain = chain if chain is not None else build_chain()
        self.min_gas_prices = min_gas_prices if min_gas_prices is not None else DecCoins()
        self._message_types = self.chain.msg_router.message_types()
        self._genesis_view: CacheView | None = None
        self._check_view = store.check_view()
        self._check_block_context: BlockContext | None = None
        self._ante_caches = AnteCaches()
        # Decoding is a pure function of the bytes and the routed types: CheckTx or a proposal
        # decodes, FinalizeBlock looks up (and then forgets the txs it executed).
        self._decoded: BoundedCache[bytes, DecodedTx] = BoundedCache(DECODED_TX_CACHE_SIZE)
        self.chain.genutil.bind_tx_deliverer(self._deliver_genesis_tx)

    # ---- Info connection -------------------------------------------------------------------------

    def info(self, req: abci.RequestInfo) -> abci.ResponseInfo:
        """Info/query connection, first call at start: the last committed height and app hash,
        read from disk, so CometBFT replays exactly the blocks the store lacks."""
        return abci.ResponseInfo(
            data="allianced",
            version="0.1.0",
            app_version=APP_VERSION,
            last_block_height=self.store.last_height,
            last_block_app_hash=self.store.last_app_hash,
        )

    # ---- Consensus connection: genesis -----------------------------------------------------------

    def init_chain(self, req: abci.RequestInitChain) -> abci.ResponseInitChain:
        """Consensus connection, once when Info reports height 0: validate every module's
        genesis (pure), then run them into the first block's view. Nothing is persisted: the
        genesis state is committed with block ``initial_height``. Returns sha256("")."""
        app_state = parse_app_state(req.app_state_bytes)
        sections = {
            module.name: app_state.get(module.name, module.default_genesis())
            for module in self.chain.genesis_order
        }
        for module in self.chain.genesis_order:
            module.validate_genesis(sections[module.name])
        initial_height = max(req.initial_height, 1)
        self.store.set_initial_version(initial_height)
        view = self.store.block_view()
        block = BlockContext(
            height=initial_height,
            time=timestamp_from_proto(req.time),
            chain_id=req.chain_id,
            max_block_gas=req.consensus_params.block.max_gas,
        )
        ctx = Context(view, block, ExecMode.FINALIZE)
        consensus_store = ctx.store(consensus.STORE_NAME)
        consensus.set_chain_id(consensus_store, req.chain_id)
        consensus.set_block_limits(
            consensus_store,
            consensus.BlockLimits(
                max_bytes=req.consensus_params.block.max_bytes,
                max_gas=req.consensus_params.block.max_gas,
            ),
        )
        updates: list[ValidatorUpdate] = []
        for module in self.chain.genesis_order:
            updates.extend(module.init_genesis(ctx, sections[module.name]))
        self._genesis_view = view
        self._check_view = view.branch()
        self._check_block_context = None
        return abci.ResponseInitChain(
            validators=[to_abci_validator_update(update) for update in updates],
            app_hash=EMPTY_HASH,
        )

    # ---- Mempool connection ----------------------------------------------------------------------

    def check_tx(self, req: abci.RequestCheckTx) -> abci.ResponseCheckTx:
        """Mempool connection, for every tx received: decode, run the ante chain and the messages
        against the mempool's scratch state (last commit + earlier admitted txs). NEW verifies
        signatures; RECHECK (after a commit) does not. Code 0 admits the tx, and its effects
        stay in the scratch state; no events are returned (CometBFT ignores them).

        Stricter than the SDK, which runs only the ante chain here: a tx whose messages fail
        (insufficient funds, a module-account recipient) is refused instead of being included
        and charged a fee."""
        mode = ExecMode.RECHECK if req.type == abci.RECHECK else ExecMode.CHECK
        try:
            outcome = self._run_tx(self._check_view, req.tx, self._check_block(), mode)
        except InvariantViolation:
            raise
        except Exception:
            log.exception("CheckTx failed unexpectedly")
            outcome = failed_outcome(Exception())
        return abci.ResponseCheckTx(
            code=outcome.code,
            codespace=outcome.codespace,
            log=outcome.log,
            gas_wanted=outcome.gas_wanted,
            gas_used=outcome.gas_used,
        )

    # ---- Consensus connection: a height ----------------------------------------------------------

    def prepare_proposal(self, req: abci.RequestPrepareProposal) -> abci.ResponsePrepareProposal:
        """Consensus connection, at the proposer: the mempool's txs in order, dropping the
        undecodable ones, within ``max_tx_bytes`` and the block gas limit."""
        limits = self._committed_limits()
        chosen: list[bytes] = []
        total_bytes = 0
        total_gas = 0
        for raw in req.txs:
            try:
                tx = self._decode(raw)
            except Exception:  # an undecodable tx is simply left out
                continue
            if total_bytes + len(raw) > req.max_tx_bytes:
                break
            if limits.max_gas > 0 and total_gas + tx.gas_limit > limits.max_gas:
                continue
            chosen.append(raw)
            total_bytes += len(raw)
            total_gas += tx.gas_limit
        return abci.ResponsePrepareProposal(txs=chosen)

    def process_proposal(self, req: abci.RequestProcessProposal) -> abci.ResponseProcessProposal:
        """Consensus connection, at every validator before prevoting: REJECT only a block whose
        txs want more gas than the block gas limit; otherwise ACCEPT (never UNKNOWN, which
        halts CometBFT). Undecodable txs are accepted and fail in FinalizeBlock."""
        limits = self._committed_limits()
        if limits.max_gas > 0 and self._total_gas_wanted(req.txs) > limits.max_gas:
            return abci.ResponseProcessProposal(status=abci.ResponseProcessProposal.REJECT)
        return abci.ResponseProcessProposal(status=abci.ResponseProcessProposal.ACCEPT)

    def finalize_block(self, req: abci.RequestFinalizeBlock) -> abci.ResponseFinalizeBlock:
        """Consensus connection, once per decided block: begin-block hooks, every tx in its own
        branch (exactly one result each), end-block hooks, then the new app hash. Persists
        nothing: Commit does."""
        view = self._genesis_view if self._genesis_view is not None else self.store.block_view()
        block = self._finalize_block_context(view, req)
        block_ctx = Context(view, block, ExecMode.FINALIZE)
        consensus.set_last_block(
            block_ctx.store(consensus.STORE_NAME), consensus.LastBlock(block.height, block.time)
        )
        for module in self.chain.begin_block_order:
            module.begin_block(block_ctx)
        response = abci.ResponseFinalizeBlock()
        for raw in req.txs:
            outcome = self._run_tx(view, raw, block, ExecMode.FINALIZE)
            add_exec_tx_result(response.tx_results, outcome)
        self._decoded.discard(req.txs)
        updates: list[ValidatorUpdate] = []
        for module in self.chain.end_block_order:
            updates.extend(module.end_block(block_ctx))
        add_abci_events(response.events, block_ctx.events)
        response.validator_updates.extend(to_abci_validator_update(update) for update in updates)
        response.app_hash = self.store.finalize(view, req.height)
        return response

    def commit(self, req: abci.RequestCommit) -> abci.ResponseCommit:
        """Consensus connection, after FinalizeBlock: write the staged block in one batch, then
        restart the mempool's scratch state from it. Keeps every block (retain height 0)."""
        self.store.commit()
        self._genesis_view = None
        self._check_view = self.store.check_view()
        self._check_block_context = None
        return abci.ResponseCommit(retain_height=0)

    # ---- Info connection: queries ----------------------------------------------------------------

    def query(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        """Info/query connection, any time: committed state at ``height`` (0 = latest) by
        gRPC-style path, ``/store/<name>/key`` raw reads (with proofs), or tx simulation."""
        try:
            return self._query(req)
        except InvariantViolation:
            raise
        except Exception as exc:
            codespace, code, message = abci_error(exc)
            if code == 1:
                log.exception("Query %s failed unexpectedly", req.path)
            return abci.ResponseQuery(code=code, codespace=codespace, log=message)

    def on_disconnect(self) -> None:
        """CometBFT went away: drop the staged block; it will be finalized again."""
        self.store.discard_pending()
        self._genesis_view = None

    # ---- helpers ---------------------------------------------------------------------------------

    def _query(self, req: abci.RequestQuery) -> abci.ResponseQuery:
        if req.path == SIMULATE_PATH:
            return self._simulate(req.data)
        try:
            view = self.store.query_view(req.height)
        except StoreError as exc:
            raise ErrInvalidHeight.wrap(str(exc)) from None
        if req.path.startswith(STORE_QUERY_PREFIX):
            return query_store(view, req)
        route = self.chain.query_router.route(req.path)
        if route is None:
            raise ErrUnknownRequest.wrap(f"unknown query path {req.path}")
        try:
            request = route.request_class.FromString(req.data)
        except DecodeError as exc:
            raise ErrInvalidRequest.wrap(f"cannot decode request: {exc}") from None
        consensus_store = view.store(consensus.STORE_NAME)
        block = BlockContext(
            height=view.height,
            time=consensus.get_last_block(consensus_store).time,
            chain_id=consensus.get_chain_id(consensus_store),
        )
        ctx = Context(ReadOnlyView(view), block, ExecMode.QUERY)
        response = route.handle(ctx, request)
        return abci.ResponseQuery(
            value=response.SerializeToString(deterministic=True), height=view.height
        )

    def _simulate(self, data: bytes) -> abci.ResponseQuery:
        """Run a tx on a throwaway branch of the mempool state: no signature checks, no gas
        limit; answer its gas use and events (``--gas auto``)."""
        try:
            request = service_pb2.SimulateRequest.FromString(data)
        except DecodeError as exc:
            raise ErrInvalidRequest.wrap(f"cannot decode simulate request: {exc}") from None
        outcome = self._run_tx(
            self._check_view.branch(), request.tx_bytes, self._check_block(), ExecMode.SIMULATE
        )
        if outcome.code != 0:
            return abci.ResponseQuery(
                code=outcome.code, codespace=outcome.codespace, log=outcome.log
            )
        response = service_pb2.SimulateResponse(
            gas_info=sdk_abci_pb2.GasInfo(gas_wanted=outcome.gas_wanted, gas_used=outcome.gas_used),
            result=sdk_abci_pb2.Result(
                msg_responses=[pack_any(response) for response in outcome.responses]
            ),
        )
        add_abci_events(response.result.events, outcome.events)
        return abci.ResponseQuery(
            value=response.SerializeToString(deterministic=True), height=self.store.last_height
        )

    def _run_tx(
        self, parent: CacheView, raw: bytes, block: BlockContext, mode: ExecMode
    ) -> TxOutcome:
        """Decode, ante, then the messages, each phase in a branch: a failed ante leaves nothing;
        failed messages leave the ante's fee and sequence in a block, nothing in the mempool.
        Registered errors become the outcome's code; unexpected ones code 1."""
        try:
            tx = self._decode(raw)
        except InvariantViolation:
            raise
        except Exception as exc:
            return failed_outcome(exc)
        meter = GasMeter(None if mode is ExecMode.SIMULATE else tx.gas_limit)
        outcome = TxOutcome(gas_wanted=tx.gas_limit)
        routes = [self._route(type_url) for type_url in tx.type_urls]
        ante_view = parent.branch()
        ante_ctx = Context(ante_view, block, mode, meter)
        try:
            msg_signers = run_ante(
                ante_ctx,
                tx,
                routes,
                self.chain.accounts,
                self.chain.bank,
                fee_collector=FEE_COLLECTOR,
                min_gas_prices=self.min_gas_prices,
                caches=self._ante_caches,
            )
        except InvariantViolation:
            raise
        except Exception as exc:
            return failed_outcome(exc, gas_wanted=tx.gas_limit, gas_used=meter.consumed)
        outcome.events.extend(ante_ctx.events)
        # In a block the ante's effects (fee, sequence) stand even if a message fails, as in the
        # SDK: they are written first and the messages run in a branch of their own. The mempool
        # admits a tx only if its messages succeed too, so there they share one fate (a send that
        # cannot succeed is refused before it costs its sender a fee) and one branch.
        in_block = mode in (ExecMode.FINALIZE, ExecMode.SIMULATE)
        if in_block:
            ante_view.write()
        msg_view = parent.branch() if in_block else ante_view
        try:
            self._run_messages(msg_view, tx, routes, msg_signers, block, mode, meter, outcome)
        except InvariantViolation:
            raise
        except Exception as exc:
            failed = failed_outcome(exc, gas_wanted=tx.gas_limit, gas_used=meter.consumed)
            failed.events = outcome.events
            return failed
        msg_view.write()
        outcome.gas_used = meter.consumed
        return outcome

    def _run_messages(
        self,
        view: CacheView,
        tx: DecodedTx,
        routes: Sequence[MsgRoute],
        msg_signers: Sequence[Sequence[bytes]],
        block: BlockContext,
        mode: ExecMode,
        meter: GasMeter,
        outcome: TxOutcome,
    ) -> None:
        """Every message in order in `view`, which the caller writes only if all succeed; only
        then do their events and responses join `outcome`. Each message's events follow a
        ``message`` event (action, sender, module) and carry ``msg_index``; in CheckTx, where
        events are dropped, none are built."""
        events: list[Event] = []
        responses: list[Message] = []
        for index, (route, message, signers) in enumerate(
            zip(routes, tx.messages, msg_signers, strict=True)
        ):
            ctx = Context(view, block, mode, meter)
            responses.append(route.handle(ctx, message))
            if ctx.records_events:
                sender = format_acc_address(signers[0])
                events.append(
                    with_msg_index(message_event(route.type_url, sender, route.module), index)
                )
                events.extend(with_msg_index(event, index) for event in ctx.events)
        outcome.events.extend(events)
        outcome.responses.extend(responses)

    def _deliver_genesis_tx(self, ctx: Context, raw: bytes) -> None:
        """Run a gentx in InitChain's view as a block would, at height 0 (the SDK's genesis
        height, where signatures use account number 0); its events are dropped.

        Raises:
            ChainError: sdk 18 with the tx's log when it fails: the chain must not start.
        """
        view = self._genesis_view_of(ctx)
        outcome = self._run_tx(view, raw, replace(ctx.block, height=0), ExecMode.FINALIZE)
        if outcome.code != 0:
            raise ErrInvalidRequest.wrap(
                f"genesis tx failed with {outcome.codespace} {outcome.code}: {outcome.log}"
            )

    @staticmethod
    def _genesis_view_of(ctx: Context) -> CacheView:
        if not isinstance(ctx.view, CacheView):
            raise InvariantViolation("genesis txs run only in InitChain's block view")
        return ctx.view

    def _decode(self, raw: bytes) -> DecodedTx:
        """The decoded tx, from the cache when CheckTx or a proposal already decoded it."""
        tx = self._decoded.get(raw)
        if tx is None:
            tx = decode_tx(raw, MAX_TX_BYTES, self._message_types)
            self._decoded.add(raw, tx)
        return tx

    def _total_gas_wanted(self, txs: Sequence[bytes]) -> int:
        """Sum of the gas limits of the decodable txs of a block."""
        total = 0
        for raw in txs:
            try:
                total += self._decode(raw).gas_limit
            except Exception:  # undecodable txs want no gas
                continue
        return total

    def _route(self, type_url: str) -> MsgRoute:
        route = self.chain.msg_router.route(type_url)
        if route is None:
            raise InvariantViolation(f"decoded a message of unrouted type {type_url}")
        return route

    def _check_block(self) -> BlockContext:
        """The block CheckTx and simulation assume: the one after the last commit (cached until
        the next commit)."""
        if self._check_block_context is None:
            store = self._check_view.store(consensus.STORE_NAME)
            last = consensus.get_last_block(store)
            self._check_block_context = BlockContext(
                height=last.height + 1,
                time=last.time,
                chain_id=consensus.get_chain_id(store),
                max_block_gas=consensus.get_block_limits(store).max_gas,
            )
        return self._check_block_context

    def _committed_limits(self) -> consensus.BlockLimits:
        return consensus.get_block_limits(self._check_view.store(consensus.STORE_NAME))

    def _finalize_block_context(
        self, view: CacheView, req: abci.RequestFinalizeBlock
    ) -> BlockContext:
        store = view.store(consensus.STORE_NAME)
        return BlockContext(
            height=req.height,
            time=timestamp_from_proto(req.time),
            chain_id=consensus.get_chain_id(store),
            proposer=req.proposer_address,
            votes=tuple(
                VoteInfo(vote.validator.address, vote.validator.power, vote.block_id_flag)
                for vote in req.decided_last_commit.votes
            ),
            misbehavior=tuple(
                Misbehavior(
                    kind=evidence.type,
                    address=evidence.validator.address,
                    power=evidence.validator.power,
                    height=evidence.height,
                    time=timestamp_from_proto(evidence.time),
                    total_voting_power=evidence.total_voting_power,
                )
                for evidence in req.misbehavior
            ),
            max_block_gas=consensus.get_block_limits(store).max_gas,
        )


def parse_app_state(raw: bytes) -> dict[str, GenesisJSON]:
    """Genesis ``app_state`` as JSON objects per module; empty bytes mean no app state.

    JSON floats are refused: amounts are strings and numbers integers.

    Raises:
        ChainError: sdk 17 for malformed JSON, a float, or a non-object.
    """
    if raw.strip() == b"":
        return {}
    try:
        state = json.loads(raw, parse_float=_refuse_float)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ErrJSONUnmarshal.wrap(f"app_state: {exc}") from None
    if not isinstance(state, dict):
        raise ErrJSONUnmarshal.wrap("app_state must be a JSON object")
    return state


def _refuse_float(text: str) -> Any:
    raise ValueError(f"floating-point number {text} in genesis")


def with_msg_index(event: Event, index: int) -> Event:
    """`event` with a trailing ``msg_index`` attribute: which message of the tx emitted it."""
    return Event(event.type, (*event.attributes, ("msg_index", str(index))))


def failed_outcome(exc: Exception, *, gas_wanted: int = 0, gas_used: int = 0) -> TxOutcome:
    """The outcome of a tx that failed with `exc` (code 1, details hidden, if unregistered)."""
    codespace, code, message = abci_error(exc)
    if code == 1:
        log.error("tx failed with an unexpected error", exc_info=exc)
    return TxOutcome(
        gas_wanted=gas_wanted, gas_used=gas_used, codespace=codespace, code=code, log=message
    )


def add_exec_tx_result(
    container: RepeatedCompositeFieldContainer[abci.ExecTxResult], outcome: TxOutcome
) -> None:
    """Append the block result of one tx; ``data`` is ``TxMsgData`` of the responses on success."""
    result = container.add(
        code=outcome.code,
        codespace=outcome.codespace,
        log=outcome.log,
        gas_wanted=outcome.gas_wanted,
        gas_used=outcome.gas_used,
    )
    if outcome.code == 0:
        msg_data = sdk_abci_pb2.TxMsgData(
            msg_responses=[pack_any(response) for response in outcome.responses]
        )
        result.data = msg_data.SerializeToString(deterministic=True)
    add_abci_events(result.events, outcome.events)


def to_abci_validator_update(update: ValidatorUpdate) -> abci.ValidatorUpdate:
    """A validator power change in CometBFT's form."""
    if update.pub_key_type == "ed25519":
        key = crypto_keys_pb2.PublicKey(ed25519=update.pub_key)
    else:
        key = crypto_keys_pb2.PublicKey(secp256k1=update.pub_key)
    return abci.ValidatorUpdate(pub_key=key, power=update.power)


def query_store(view: ReadView, req: abci.RequestQuery) -> abci.ResponseQuery:
    """``/store/<name>/key``: the raw value at ``data``, with ICS23 proof ops when asked."""
    parts = req.path[len(STORE_QUERY_PREFIX) :].split("/")
    if len(parts) != 2 or parts[1] != "key":
        raise ErrUnknownRequest.wrap(f"unknown query path {req.path}")
    try:
        value = view.store(parts[0]).get(req.data)
        ops = view.prove(parts[0], req.data) if req.prove else []
    except StoreError as exc:
        raise ErrUnknownRequest.wrap(str(exc)) from None
    response = abci.ResponseQuery(key=req.data, value=value or b"", height=view.height)
    for op in ops:
        response.proof_ops.ops.add(type=op.type, key=op.key, data=op.data)
    return response
