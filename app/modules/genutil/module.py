"""Genutil: the genesis transactions (``app_state.genutil.gen_txs``) that create the first
validators, as cosmos-sdk v0.50 ``x/genutil``.

Each gentx is a signed ``cosmos.tx.v1beta1.Tx`` in proto-JSON carrying one MsgCreateValidator.
InitChain runs genutil last: every gentx is delivered through the chain's ordinary tx path (ante
with signature checks against the genesis accounts, then the message), then staking computes the
validator set that InitChain returns. A failing gentx stops the chain from starting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.protobuf import json_format

from app.chain.context import Context
from app.chain.errors import ErrInvalidRequest, ErrJSONUnmarshal, register_error
from app.chain.module import GenesisJSON, NoBlockHooks, ValidatorUpdate
from app.chain.router import MsgRouter, QueryRouter
from app.codec import from_json_dict, type_url_of
from app.modules.staking.end_block import apply_validator_set_updates
from app.modules.staking.keeper import StakingKeeper
from app.pb.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.pb.cosmos.tx.v1beta1 import tx_pb2

__all__ = ["GenesisTxDeliverer", "GenutilModule", "decode_gentx"]

ErrGenTxFailed = register_error("genutil", 2, "failed to execute DeliverTx of a genesis tx")

GenesisTxDeliverer = Callable[[Context, bytes], None]
"""Runs one tx's bytes in the genesis context as a block would, raising if it fails."""

CREATE_VALIDATOR_URL = type_url_of(staking_tx.MsgCreateValidator)


def decode_gentx(document: Any) -> tx_pb2.Tx:
    """A gentx from its proto-JSON; exactly one MsgCreateValidator (sdk 17 / 18 otherwise)."""
    try:
        tx = from_json_dict(tx_pb2.Tx, document)
    except json_format.ParseError as exc:
        raise ErrJSONUnmarshal.wrap(f"genesis tx: {exc}") from None
    urls = [message.type_url for message in tx.body.messages]
    if urls != [CREATE_VALIDATOR_URL]:
        raise ErrInvalidRequest.wrap(
            f"a genesis tx must hold exactly one {CREATE_VALIDATOR_URL}, got {urls}"
        )
    return tx


class GenutilModule(NoBlockHooks):
    """Delivers the gentxs; owns no store and has no block hooks."""

    name = "genutil"
    store_names: tuple[str, ...] = ()

    def __init__(self, staking: StakingKeeper) -> None:
        self.staking = staking
        self._deliver: GenesisTxDeliverer | None = None

    def bind_tx_deliverer(self, deliver: GenesisTxDeliverer) -> None:
        """The application's tx path, given once it exists (it is built after the modules)."""
        self._deliver = deliver

    def register_routes(self, msg_router: MsgRouter, query_router: QueryRouter) -> None:
        """Genutil has no messages or queries."""

    def default_genesis(self) -> GenesisJSON:
        return {"gen_txs": []}

    def validate_genesis(self, section: GenesisJSON) -> None:
        gen_txs = section.get("gen_txs", [])
        if not isinstance(gen_txs, list):
            raise ErrJSONUnmarshal.wrap("genutil.gen_txs must be a list")
        for document in gen_txs:
            decode_gentx(document)

    def init_genesis(self, ctx: Context, section: GenesisJSON) -> tuple[ValidatorUpdate, ...]:
        """Deliver every gentx in order, then return staking's validator set.

        Raises:
            ChainError: a gentx failed; or the gentxs bond no validator with at least one unit
                of power (CometBFT cannot start on an empty set: the SDK's module manager
                refuses it too).
        """
        gen_txs = section.get("gen_txs", [])
        if not gen_txs:
            return ()
        if self._deliver is None:
            raise ErrGenTxFailed.wrap("no transaction path is bound to deliver genesis txs")
        for document in gen_txs:
            raw = decode_gentx(document).SerializeToString(deterministic=True)
            self._deliver(ctx, raw)
        updates = apply_validator_set_updates(self.staking, ctx)
        if not updates:
            raise ErrInvalidRequest.wrap(
                "validator set is empty after the genesis txs: at least one validator must "
                f"self-delegate {self.staking.power_reduction()} or more"
            )
        return updates

    def export_genesis(self, ctx: Context) -> GenesisJSON:
        """Gentxs are not exported: the exported staking state holds their effect."""
        return {"gen_txs": []}
