"""Crash safety through a real node: kill -9 the app under load, restart, compare with a replay.

CometBFT checks every replayed block's app hash against the next header, so a from-scratch
replay (the app's database deleted, the node's block store kept) that reaches the tip proves the
app produced the same hashes without the crash as it did with it.
"""

from __future__ import annotations

import random
import shutil
import threading
import time
from pathlib import Path

import pytest

from app.crypto.hd import derive_private_key
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.pb.cosmos.base.v1beta1 import coin_pb2
from app.tx import Signer, build_signed_tx
from app.types import Coins
from tests.support.chain import RunningChain, running_chain

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class SendLoad:
    """Keeps sending 1uxprt transfers from one key in a background thread until stopped."""

    def __init__(self, chain: RunningChain, sender: str, recipient: str) -> None:
        self.chain = chain
        key = derive_private_key(chain.keys[sender].mnemonic)
        self.signer = Signer(public_key=key.public_key.key, sign=key.sign)
        self.sender = chain.address(sender)
        self.recipient = chain.address(recipient)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SendLoad:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                account = self.chain.cli_json("query", "auth", "account", self.sender)
                account = account.get("account", account)
                sequence = int(account["sequence"])
                rpc = self.chain.rpc()
                for offset in range(5):
                    send = bank_tx.MsgSend(
                        from_address=self.sender,
                        to_address=self.recipient,
                        amount=[coin_pb2.Coin(denom="uxprt", amount="1")],
                    )
                    raw = build_signed_tx(
                        [send],
                        self.signer,
                        chain_id=self.chain.chain_id,
                        account_number=int(account["account_number"]),
                        sequence=sequence + offset,
                        fee=Coins.parse(""),
                        gas_limit=200_000,
                    )
                    rpc.broadcast_tx_async(raw)
            except Exception:  # the node is being killed under us: try again shortly
                pass
            time.sleep(0.15)


def restart(chain: RunningChain) -> None:
    chain.processes.stop(timeout=10)
    chain.processes.start()


def test_kill_app_mid_block_restart_and_replay_from_scratch(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    with running_chain(tmp_path) as chain:
        start = chain.cli_json("query", "bank", "balances", chain.address("user2"))
        with SendLoad(chain, "user1", "user2"):
            for _ in range(3):
                before = chain.wait_for_height(chain.height() + 2)
                time.sleep(rng.uniform(0.05, 0.5))
                chain.processes.kill_app()
                restart(chain)
                chain.wait_for_height(before + 3, timeout=90)
        tip = chain.wait_for_height(chain.height() + 1)
        balance = chain.cli_json(
            "query", "bank", "balances", chain.address("user2"), "--height", str(tip)
        )

        assert balance["balances"] != start["balances"], "the load reached no block"

        chain.processes.stop()
        shutil.rmtree(chain.home.application_db)
        chain.processes.start()
        chain.wait_for_height(tip + 2, timeout=120)
        replayed = chain.cli_json(
            "query", "bank", "balances", chain.address("user2"), "--height", str(tip)
        )
        assert replayed["balances"] == balance["balances"]
        assert "state at height 0" in chain.processes.app_log.read_text()


def test_stop_and_start_resumes_state(tmp_path: Path) -> None:
    with running_chain(tmp_path) as chain:
        recipient = chain.address("validator0")
        chain.cli_json("tx", "bank", "send", "user3", recipient, "500uxprt", "--wait", "-y")
        expected = chain.cli_json("query", "bank", "balances", recipient)
        height = chain.height()
        restart(chain)
        chain.wait_for_height(height + 2)
        assert chain.cli_json("query", "bank", "balances", recipient) == expected
        reply = chain.cli_json("tx", "bank", "send", "user3", recipient, "1uxprt", "--wait", "-y")
        assert reply.get("code", 0) == 0
