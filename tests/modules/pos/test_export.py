"""Export after proof-of-stake activity (delegations, an unbonding, a redelegation, a slash with
its distribution slash event, rewards, a live proposal) and start a new chain from it: InitChain
accepts it, returns the same validator set, every module exports the same state again, and the
new chain keeps running with the invariants."""

from __future__ import annotations

import json

from google.protobuf import timestamp_pb2

from app.chain.application import ChainApplication
from app.chain.context import BlockContext, Context, ExecMode
from app.chain.wiring import build_chain
from app.node.genesis import export_app_state
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.tendermint.abci import types_pb2 as abci
from app.pb.tendermint.types import params_pb2
from app.store import MemoryDatabase, MultiStore
from app.types.time import Timestamp
from tests.chain.helpers import CHAIN_ID
from tests.modules.pos.support import (
    DEL1,
    DEL2,
    VAL1,
    VAL2,
    delegate,
    redelegate,
    two_validator_chain,
    undelegate,
)
from tests.modules.pos.test_gov import gov_state, staking_params_msg, submit
from tests.support.app_chain import broken_invariants, duplicate_vote, ucoin


def test_export_after_activity_restarts_into_the_same_state() -> None:
    chain = two_validator_chain(**gov_state())
    chain.deliver(
        chain.tx(DEL1, delegate(DEL1, VAL2, 3_000_000)),
        chain.tx(DEL2, delegate(DEL2, VAL1, 2_000_000)),
    )
    infraction = (chain.height, chain.seconds)
    chain.advance(2)
    chain.deliver(
        chain.tx(DEL1, undelegate(DEL1, VAL2, 1_000_000)),
        chain.tx(DEL2, redelegate(DEL2, VAL1, VAL2, 500_000)),
        chain.tx(
            DEL2,
            bank_tx.MsgSend(from_address=DEL2.bech32, to_address=DEL1.bech32, amount=[ucoin(1)]),
            fee="77777uxprt",
        ),
    )
    evidence = duplicate_vote(chain.cons_of(VAL2), 8, infraction[0], infraction[1], 20)
    chain.next_block(misbehavior=[evidence])
    chain.ok(VAL1, submit(VAL1, staking_params_msg(chain, 50)))
    chain.advance(2)

    exported = export_app_state(chain.app.store, chain.chain)
    fresh_chain = build_chain()
    fresh = ChainApplication(
        MultiStore(MemoryDatabase(), fresh_chain.store_names), chain=fresh_chain
    )
    response = fresh.init_chain(
        abci.RequestInitChain(
            time=timestamp_pb2.Timestamp(seconds=chain.seconds),
            chain_id=CHAIN_ID,
            consensus_params=params_pb2.ConsensusParams(
                block=params_pb2.BlockParams(max_bytes=4_194_304, max_gas=-1)
            ),
            app_state_bytes=json.dumps(exported.app_state).encode(),
            initial_height=exported.height + 1,
        )
    )
    assert {u.pub_key.ed25519: u.power for u in response.validators} == {
        pub_key: power
        for pub_key, power in (
            (v.pub_key, v.power) for v in chain.validator_sets[chain.height + 1].values()
        )
    }
    fresh.finalize_block(
        abci.RequestFinalizeBlock(
            height=exported.height + 1,
            time=timestamp_pb2.Timestamp(seconds=chain.seconds + 5),
        )
    )
    fresh.commit(abci.RequestCommit())
    scratch = Context(
        fresh.store.check_view(),
        BlockContext(height=exported.height + 2, time=Timestamp(0), chain_id=CHAIN_ID),
        ExecMode.FINALIZE,
    )
    assert broken_invariants(fresh, scratch) == []
    again = export_app_state(fresh.store, fresh.chain)
    for name in ("staking", "slashing", "gov", "distribution"):
        assert _without_heights(again.app_state[name]) == _without_heights(
            exported.app_state[name]
        ), name


def _without_heights(section: object) -> object:
    """Module state minus what one more block legitimately changes (signing-info counters,
    missed-block windows and the mint/distribution accrual are compared through the
    invariants instead)."""
    if isinstance(section, dict):
        return {
            key: _without_heights(value)
            for key, value in section.items()
            if key
            not in {
                "signing_infos",
                "missed_blocks",
                "previous_proposer",
                "outstanding_rewards",
                "validator_current_rewards",
                "validator_historical_rewards",
                "validator_accumulated_commissions",
                "fee_pool",
                "delegator_starting_infos",
            }
        }
    if isinstance(section, list):
        return [_without_heights(item) for item in section]
    return section
