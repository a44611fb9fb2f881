"""The chain's invariants, checked after every block of a running network.

How: a running node's LevelDB is locked by its app, so the checker keeps its own copy of the
state. `BlockReplayer` follows a node over RPC and re-executes every committed block in an
in-process `ChainApplication` over an in-memory store: InitChain from `/genesis`, then for each
height the `FinalizeBlock` request CometBFT built (txs, `decided_last_commit` from the block's
last commit and the previous validator set, `misbehavior` from the block's evidence, proposer,
time) and Commit. After each block it checks

- determinism: the replayed app hash and tx result codes equal the node's (`/block_results`);
- the invariants below, over a scratch branch of the committed state (thrown away after):
  supply = sum of balances; bonded pool = sum of bonded validators' tokens; not-bonded pool =
  unbonding entries + unbonded/unbonding validators' tokens; distribution's outstanding rewards
  cover every commission and delegation reward the owners can withdraw, and its account holds
  the outstanding rewards and the community pool; the alliance module's delegator shares,
  validator shares and asset balances (`app.modules.alliance.invariants`).

`InvariantWatcher` runs a replayer on a background thread during a test; `check()` fails the
test with the first block that broke something.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

from google.protobuf import timestamp_pb2

from app.chain.application import ChainApplication
from app.chain.context import BlockContext, Context, ExecMode
from app.chain.wiring import Chain, build_chain
from app.cli.rpc import JSONObject, RpcClient
from app.modules.alliance import invariants as alliance_invariants
from app.modules.alliance.keeper import AllianceKeeper
from app.modules.bank import state as bank_state
from app.modules.distribution import state as dist_state
from app.modules.staking import state as staking_state
from app.pb.tendermint.abci import types_pb2 as abci
from app.pb.tendermint.types import params_pb2
from app.store import MemoryDatabase, MultiStore
from app.types.address import module_address
from app.types.int import Int
from app.types.time import parse_rfc3339, timestamp_to_proto

BONDED_POOL = "bonded_tokens_pool"
NOT_BONDED_POOL = "not_bonded_tokens_pool"
DISTRIBUTION = "distribution"

Invariant = Callable[[Context, Chain], list[str]]
"""An invariant: the ways the state at `ctx` breaks it (empty when it holds)."""


class InvariantBroken(AssertionError):
    """A replayed block broke an invariant or did not reproduce the node's results."""


# ---- the invariants ----------------------------------------------------------------------------


def supply_equals_balances(ctx: Context, chain: Chain) -> list[str]:
    """bank: for every denom, the recorded supply = the sum of all balances."""
    store = ctx.store("bank")
    totals: dict[str, Int] = {}
    for _, coin in bank_state.iterate_all_balances(store):
        totals[coin.denom] = totals.get(coin.denom, Int(0)) + coin.amount
    supply = {coin.denom: coin.amount for coin in bank_state.iterate_supply(store)}
    return [
        f"supply of {denom} is {supply.get(denom, Int(0))}, balances sum to {totals.get(denom, 0)}"
        for denom in sorted(set(totals) | set(supply))
        if supply.get(denom, Int(0)) != totals.get(denom, Int(0))
    ]


def bonded_pool_equals_bonded_tokens(ctx: Context, chain: Chain) -> list[str]:
    """staking: bonded pool balance = the sum of the tokens of bonded validators."""
    store = ctx.store("staking")
    denom = staking_state.get_params(store).bond_denom
    bonded = sum(
        (v.tokens for v in staking_state.iterate_validators(store) if v.is_bonded()), Int(0)
    )
    pool = chain.bank.get_balance(ctx, module_address(BONDED_POOL), denom)
    if pool != bonded:
        return [f"bonded pool holds {pool}{denom}, bonded validators' tokens sum to {bonded}"]
    return []


def not_bonded_pool_equals_unbonding(ctx: Context, chain: Chain) -> list[str]:
    """staking: not-bonded pool balance = the balances of all unbonding-delegation entries + the
    tokens of unbonded and unbonding validators."""
    store = ctx.store("staking")
    denom = staking_state.get_params(store).bond_denom
    entries = sum(
        (entry.balance for ubd in staking_state.iterate_ubds(store) for entry in ubd.entries),
        Int(0),
    )
    validators = sum(
        (v.tokens for v in staking_state.iterate_validators(store) if not v.is_bonded()), Int(0)
    )
    pool = chain.bank.get_balance(ctx, module_address(NOT_BONDED_POOL), denom)
    if pool != entries + validators:
        return [
            f"not-bonded pool holds {pool}{denom}; unbonding entries {entries} + "
            f"not-bonded validators' tokens {validators} = {entries + validators}"
        ]
    return []


def outstanding_rewards_cover_withdrawals(ctx: Context, chain: Chain) -> list[str]:
    """distribution: for every validator, outstanding rewards >= its accumulated commission + the
    rewards every delegator could withdraw now (the SDK's can-withdraw, without the cap that
    withdrawal applies, which would hide a shortfall)."""
    store = ctx.store("distribution")
    delegators: dict[bytes, list[bytes]] = {}
    for delegation in staking_state.iterate_delegations(ctx.store("staking")):
        delegators.setdefault(delegation.validator, []).append(delegation.delegator)
    broken: list[str] = []
    for validator in staking_state.iterate_validators(ctx.store("staking")):
        operator = validator.operator
        owed = dist_state.get_commission(store, operator)
        for delegator in delegators.get(operator, []):
            owed = owed + chain.distribution.delegation_rewards(ctx, delegator, operator)
        outstanding = dist_state.get_outstanding(store, operator)
        if not outstanding.is_all_gte(owed):
            broken.append(
                f"validator {operator.hex()} owes {owed} but has {outstanding} outstanding"
            )
    return broken


def distribution_account_covers_outstanding(ctx: Context, chain: Chain) -> list[str]:
    """distribution: its module account holds exactly the whole coins of every validator's
    outstanding rewards plus the community pool (the SDK's module-account invariant)."""
    store = ctx.store("distribution")
    expected = chain.distribution.get_community_pool(ctx)
    for validator in staking_state.iterate_validators(ctx.store("staking")):
        expected = expected + dist_state.get_outstanding(store, validator.operator)
    whole, _ = expected.truncate_decimal()
    held = chain.bank.get_all_balances(ctx, module_address(DISTRIBUTION))
    if held != whole:
        return [f"distribution account holds {held}, outstanding + community pool is {whole}"]
    return []


def alliance_invariant(check: Callable[[AllianceKeeper, Context], list[str]]) -> Invariant:
    """An alliance module invariant (which takes the keeper) as an `Invariant`."""

    def invariant(ctx: Context, chain: Chain) -> list[str]:
        return check(chain.alliance, ctx)

    return invariant


INVARIANTS: tuple[tuple[str, Invariant], ...] = (
    ("bank/total-supply", supply_equals_balances),
    ("staking/bonded-pool", bonded_pool_equals_bonded_tokens),
    ("staking/not-bonded-pool", not_bonded_pool_equals_unbonding),
    ("distribution/can-withdraw", outstanding_rewards_cover_withdrawals),
    ("distribution/module-account", distribution_account_covers_outstanding),
    (
        "alliance/delegator-shares",
        alliance_invariant(alliance_invariants.delegator_shares_invariant),
    ),
    (
        "alliance/validator-shares",
        alliance_invariant(alliance_invariants.validator_shares_invariant),
    ),
    ("alliance/asset-balances", alliance_invariant(alliance_invariants.asset_balances_invariant)),
)
"""Every invariant by its route name; each runs in its own scratch branch."""


def check_invariants(app: ChainApplication, block: BlockContext) -> list[str]:
    """Run every invariant over the app's last committed state; the broken ones, named."""
    broken: list[str] = []
    for name, invariant in INVARIANTS:
        ctx = Context(app.store.check_view(), block, ExecMode.FINALIZE)
        try:
            problems = invariant(ctx, app.chain)
        except Exception as error:  # a check that cannot even run is a broken invariant
            problems = [f"raised {type(error).__name__}: {error}"]
        broken.extend(f"{name}: {problem}" for problem in problems)
    return broken


# ---- replaying a node's blocks -----------------------------------------------------------------


def proto_time(text: str) -> timestamp_pb2.Timestamp:
    """A CometBFT JSON time as a protobuf Timestamp."""
    return timestamp_to_proto(parse_rfc3339(text))


def init_chain_request(genesis: JSONObject) -> abci.RequestInitChain:
    """The InitChain CometBFT sends for `genesis` (fields our app reads)."""
    block_params = genesis["consensus_params"]["block"]
    return abci.RequestInitChain(
        time=proto_time(genesis["genesis_time"]),
        chain_id=genesis["chain_id"],
        consensus_params=params_pb2.ConsensusParams(
            block=params_pb2.BlockParams(
                max_bytes=int(block_params["max_bytes"]), max_gas=int(block_params["max_gas"])
            )
        ),
        app_state_bytes=json.dumps(genesis.get("app_state", {})).encode(),
        initial_height=int(genesis.get("initial_height", "1")),
    )


def misbehavior_of(evidence: JSONObject) -> list[abci.Misbehavior]:
    """`types/evidence.go` `ABCI()` of a `DuplicateVoteEvidence` (the only kind a devnet sees)."""
    if evidence["type"] != "tendermint/DuplicateVoteEvidence":
        raise InvariantBroken(f"cannot replay evidence of type {evidence['type']}")
    value = evidence["value"]
    vote = value["vote_a"]
    return [
        abci.Misbehavior(
            type=abci.DUPLICATE_VOTE,
            validator=abci.Validator(
                address=bytes.fromhex(vote["validator_address"]),
                power=int(value["ValidatorPower"]),
            ),
            height=int(vote["height"]),
            time=proto_time(value["Timestamp"]),
            total_voting_power=int(value["TotalVotingPower"]),
        )
    ]


def finalize_block_request(
    block_json: JSONObject, last_validators: list[JSONObject]
) -> abci.RequestFinalizeBlock:
    """The FinalizeBlock CometBFT sends for a `/block` result.

    `decided_last_commit.votes[i]` pairs the previous height's validator i with the block's
    last-commit signature i (`state/execution.go` `buildLastCommitInfo`).
    """
    block = block_json["block"]
    header = block["header"]
    last_commit = block.get("last_commit") or {}
    signatures = last_commit.get("signatures") or []
    votes = [
        abci.VoteInfo(
            validator=abci.Validator(
                address=bytes.fromhex(validator["address"]), power=int(validator["voting_power"])
            ),
            block_id_flag=int(signature["block_id_flag"]),  # type: ignore[arg-type]
        )
        for validator, signature in zip(last_validators, signatures, strict=True)
    ]
    evidence = (block.get("evidence") or {}).get("evidence") or []
    return abci.RequestFinalizeBlock(
        txs=[base64.b64decode(tx) for tx in (block["data"].get("txs") or [])],
        decided_last_commit=abci.CommitInfo(round=int(last_commit.get("round", 0)), votes=votes),
        misbehavior=[entry for item in evidence for entry in misbehavior_of(item)],
        hash=bytes.fromhex(block_json["block_id"]["hash"]),
        height=int(header["height"]),
        time=proto_time(header["time"]),
        next_validators_hash=bytes.fromhex(header["next_validators_hash"]),
        proposer_address=bytes.fromhex(header["proposer_address"]),
    )


@dataclass(frozen=True, slots=True)
class ReplayedBlock:
    """What one replayed height produced."""

    height: int
    app_hash: bytes
    validator_updates: int


class BlockReplayer:
    """Re-executes a node's blocks in memory and checks each one (see the module docstring)."""

    def __init__(self, rpc: RpcClient) -> None:
        self._rpc = rpc
        chain = build_chain()
        self.app = ChainApplication(MultiStore(MemoryDatabase(), chain.store_names), chain=chain)
        self._chain_id = ""
        self._initial_height = 0
        self.height = 0
        """The last height replayed and checked (0 before the first block)."""

    def catch_up(self) -> list[ReplayedBlock]:
        """Replay every block the node has committed since the last call.

        Raises:
            InvariantBroken: a block's results differ from the node's or break an invariant.
        """
        if not self._chain_id:
            self._init_chain()
        # The application's committed height: a block the block store holds may not have its
        # results saved yet.
        latest = self._rpc.abci_info().last_block_height
        return [self._replay(height) for height in range(self.height + 1, latest + 1)]

    def _init_chain(self) -> None:
        genesis = self._rpc.call("genesis", {})["genesis"]
        request = init_chain_request(genesis)
        self.app.init_chain(request)
        self._chain_id = request.chain_id
        self._initial_height = request.initial_height or 1
        self.height = self._initial_height - 1

    def _replay(self, height: int) -> ReplayedBlock:
        # Every RPC read comes first: a node that does not answer must not leave a half-replayed
        # height behind (the next call replays it again from the start).
        block_json = self._rpc.block(height)
        last_validators = self._all_validators(height - 1) if height > self._initial_height else []
        results = self._rpc.block_results(height)
        request = finalize_block_request(block_json, last_validators)
        response = self.app.finalize_block(request)
        self.app.commit(abci.RequestCommit())
        compare_results(height, response, results)
        block = BlockContext(
            height=height,
            time=parse_rfc3339(block_json["block"]["header"]["time"]),
            chain_id=self._chain_id,
        )
        broken = check_invariants(self.app, block)
        if broken:
            raise InvariantBroken(f"after block {height}: " + "; ".join(broken))
        self.height = height
        return ReplayedBlock(height, response.app_hash, len(response.validator_updates))

    def _all_validators(self, height: int) -> list[JSONObject]:
        validators: list[JSONObject] = []
        page = 1
        while True:
            result = self._rpc.validators(height, page=page, per_page=100)
            validators.extend(result["validators"])
            if len(validators) >= int(result["total"]):
                return validators
            page += 1


def compare_results(height: int, response: abci.ResponseFinalizeBlock, results: JSONObject) -> None:
    """The replayed block's app hash and tx codes equal the node's `/block_results`.

    Raises:
        InvariantBroken: they differ (the app is not deterministic, or the replay is wrong).
    """
    node_hash = base64.b64decode(results.get("app_hash") or "")
    if response.app_hash != node_hash:
        raise InvariantBroken(
            f"block {height}: replayed app hash {response.app_hash.hex()} != node's "
            f"{node_hash.hex()}"
        )
    node_codes = [int(tx.get("code", 0)) for tx in results.get("txs_results") or []]
    replayed_codes = [result.code for result in response.tx_results]
    if node_codes != replayed_codes:
        raise InvariantBroken(
            f"block {height}: replayed tx codes {replayed_codes} != node's {node_codes}"
        )


class InvariantWatcher:
    """Replays a node's blocks on a background thread while a test drives the network."""

    def __init__(self, rpc: RpcClient, interval: float = 0.3) -> None:
        self.replayer = BlockReplayer(rpc)
        self._interval = interval
        self._stop = threading.Event()
        self._failure: BaseException | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="invariant-watcher", daemon=True)

    def start(self) -> InvariantWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    @property
    def height(self) -> int:
        """The last height replayed and checked."""
        with self._lock:
            return self.replayer.height

    @property
    def failed(self) -> bool:
        """Whether a block broke something (the watcher stops at the first)."""
        return self._failure is not None

    def check(self) -> None:
        """Fail with the first broken block, if any."""
        if self._failure is not None:
            raise InvariantBroken(str(self._failure)) from self._failure

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self._lock:
                    self.replayer.catch_up()
            except InvariantBroken as error:
                self._failure = error
                return
            except Exception:  # an RPC blip while nodes stop and start: retry next round
                pass
            self._stop.wait(self._interval)
