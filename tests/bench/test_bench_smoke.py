"""Each benchmark runs in its smallest configuration and prints its figures, so none can rot.

They run as subprocesses, exactly as a user runs them (`python -m bench.<name>`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


def run_benchmark(module: str, *args: str, timeout: float) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def test_app_bench_prints_check_tx_and_block_figures() -> None:
    output = run_benchmark(
        "bench.app_bench", "--keys", "3000", "--senders", "20", "--blocks", "2", timeout=120
    )
    assert re.search(r"store of 3,\d{3} keys", output), output
    assert re.search(r"CheckTx \(new\), 40 signed sends: mean \d+\.\d us/tx", output), output
    block = re.search(r"FinalizeBlock \+ Commit, 20 sends: mean (\d+\.\d) ms", output)
    assert block and float(block.group(1)) > 0, output
    assert re.search(r"(\d+) store writes per block", output), output
    assert len(re.findall(r"^  block \d: ", output, re.MULTILINE)) == 2, output


@pytest.mark.integration
def test_throughput_quick_prints_both_runs_and_the_ratio() -> None:
    output = run_benchmark("bench.throughput", "--quick", timeout=300)
    labels = ("allianced bank sends", "kvstore over socket", "cometbft kvstore")
    rows = {}
    for label in labels:
        match = re.search(rf"^{label}\s+(\d+)\s+(\d+)\s+.*\s(\d+\.\d)$", output, re.MULTILINE)
        assert match, output
        rows[label] = match
        _, accepted, tx_per_second = match.groups()
        assert accepted == "40" and float(tx_per_second) > 0, output
    # kvstore txs are padded to the size of a signed send.
    assert {row.group(1) for row in rows.values()} == {rows["allianced bank sends"].group(1)}
    assert re.search(r"ratio allianced / kvstore: \d+\.\d\d", output), output
    assert re.search(r"ratio allianced / kvstore over socket: \d+\.\d\d", output), output
    # CPU per 1,000 txs of each node process: the two with an app process report both.
    cpu = dict(re.findall(r"^  ([a-z ]+): (app .*|CometBFT .*)$", output, re.MULTILINE))
    assert re.fullmatch(r"app \d+\.\d\d s \+ CometBFT \d+\.\d\d s", cpu[labels[0]]), output
    assert re.fullmatch(r"app \d+\.\d\d s \+ CometBFT \d+\.\d\d s", cpu[labels[1]]), output
    assert re.fullmatch(r"CometBFT \d+\.\d\d s", cpu[labels[2]]), output


def test_alliance_bench_quick_prints_end_block_and_claim_figures() -> None:
    output = run_benchmark("bench.alliance_bench", "--quick", timeout=120)
    rows = re.findall(
        r"^\s+(\d+) delegations .*: EndBlock (\d+\.\d\d) ms \(alliance (\d+\.\d\d) ms, "
        r"(\d+) writes; commit \d+\.\d\d ms\); claim (\d+) us$",
        output,
        re.MULTILINE,
    )
    assert [row[0] for row in rows] == ["100", "400"], output
    # Every timed block deducts the take rate and rebalances: EndBlock writes state.
    assert all(float(row[2]) > 0 and int(row[3]) > 0 and int(row[4]) > 0 for row in rows), output
    assert re.search(r"EndBlock ratio largest/smallest: \d+\.\d\d", output), output
    sweep = re.findall(r"^claim after\s+(\d+) weight changes .*: (\d+) us$", output, re.MULTILINE)
    assert [changes for changes, _ in sweep] == ["0", "3"], output


@pytest.mark.integration
def test_throughput_quick_alliance_prints_delegates_beside_sends() -> None:
    output = run_benchmark("bench.throughput", "--quick", "--alliance", timeout=400)
    match = re.search(
        r"^allianced delegates\s+\d+\s+(\d+)\s+\d+\s+\d+\s+(\d+)\s+(\d+)\s.*\s(\d+\.\d)$",
        output,
        re.MULTILINE,
    )
    assert match, output
    accepted, committed, failed, tx_per_second = match.groups()
    assert (accepted, committed, failed) == ("40", "40", "0"), output
    assert float(tx_per_second) > 0, output
    assert re.search(r"ratio alliance delegates / bank sends: \d+\.\d\d", output), output
