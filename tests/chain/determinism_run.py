"""Runs a fixed block sequence and prints the app hash of every height (one JSON list).

Used by test_determinism.py under different PYTHONHASHSEEDs: the hashes must not change.
"""

from __future__ import annotations

import json

from app.pb.cosmos.bank.v1beta1 import bank_pb2
from app.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from tests.chain.helpers import (
    AccountKey,
    coin,
    genesis_app_state,
    init_chain,
    make_app,
    run_block,
    send_msg,
    signed,
)

USERS = [AccountKey.named(f"user{i}") for i in range(6)]


def main() -> None:
    app = make_app()
    balances = {
        key.bech32: {"uxprt": 10_000_000, f"tok{i}": 1_000 + i} for i, key in enumerate(USERS)
    }
    init_chain(app, genesis_app_state(balances))
    numbers = {
        key.bech32: number
        for number, key in enumerate(sorted(USERS, key=lambda k: k.address), start=1)
    }
    sequences = dict.fromkeys(numbers, 0)
    hashes = [run_block(app, []).app_hash.hex()]
    for height in range(2, 8):
        txs = []
        for i, key in enumerate(USERS):
            recipient = USERS[(i + height) % len(USERS)]
            if (i + height) % 3 == 0:
                msg = bank_tx.MsgMultiSend(
                    inputs=[bank_pb2.Input(address=key.bech32, coins=[coin(30)])],
                    outputs=[
                        bank_pb2.Output(address=recipient.bech32, coins=[coin(10)]),
                        bank_pb2.Output(
                            address=AccountKey.named(f"new{height}").bech32, coins=[coin(20)]
                        ),
                    ],
                )
            else:
                amount = 10**12 if (i * height) % 7 == 0 else 1 + i * height
                msg = send_msg(key, recipient.bech32, [coin(amount)])
            txs.append(
                signed(
                    key,
                    [msg],
                    sequence=sequences[key.bech32],
                    account_number=numbers[key.bech32],
                    fee="7uxprt",
                )
            )
            sequences[key.bech32] += 1
        txs.append(b"not a tx")
        hashes.append(run_block(app, txs).app_hash.hex())
    print(json.dumps(hashes))


if __name__ == "__main__":
    main()
