from __future__ import annotations

import csv
import io

from sdap.audit._base import Movement
from sdap.audit.aml import CSV_COLUMNS, AmlMonitor, AmlSettings, findings_csv
from sdap.audit.replay import Replay
from tests.audit.conftest import History

A, B, C, D = ("0x" + c * 40 for c in "abcd")


def move(block: int, sender: str, recipient: str, amount: int, kind: str = "transfer", request: int = 0) -> Movement:
    return Movement(block, 0, f"0x{block:064x}", 0, 1, sender, recipient, amount, kind, request)


def test_large_burst_and_pass_through_are_found() -> None:
    monitor = AmlMonitor(AmlSettings(large_amount=1_000, burst_count=3, burst_blocks=10, pass_through_blocks=5))
    monitor.on_movement(move(1, "0x" + "00" * 20, A, 5_000, "mint"))  # large mint
    for block in (10, 12, 15):  # three transfers between A and B within 10 blocks, either way
        monitor.on_movement(move(block, A, B, 1) if block != 12 else move(block, B, A, 1))
    monitor.on_movement(move(30, A, C, 500))
    monitor.on_movement(move(33, C, D, 480))  # 96 % of what C got 3 blocks ago goes on
    monitor.on_movement(move(50, A, C, 500))
    monitor.on_movement(move(70, C, D, 500))  # too late to count as passing through
    assert [(f.kind, f.block) for f in monitor.findings] == [("large", 1), ("burst", 15), ("pass_through", 33)]


def test_a_redemption_counts_once_when_the_holder_asks() -> None:
    """The request is the holder's act; its confirmation (the burn) or refusal settles it."""
    monitor = AmlMonitor(AmlSettings(large_amount=1_000))
    custody = "0x" + "ee" * 20
    monitor.on_movement(move(1, A, custody, 5_000, "redemption_request", request=1))
    monitor.on_movement(move(2, custody, "0x" + "00" * 20, 5_000, "redemption", request=1))
    monitor.on_movement(move(3, A, custody, 2_000, "redemption_request", request=2))
    monitor.on_movement(move(4, custody, A, 2_000, "redemption_refused", request=2))
    assert [(f.kind, f.block, f.detail) for f in monitor.findings] == [
        ("large", 1, "redemption_request of 5000 units (threshold 1000)"),
        ("large", 3, "redemption_request of 2000 units (threshold 1000)"),
    ]


def test_monitor_resumes_from_its_snapshot() -> None:
    moves = [move(b, A if b % 2 else B, B if b % 2 else A, b) for b in range(1, 40)]
    whole = AmlMonitor(AmlSettings(large_amount=30, burst_count=4, burst_blocks=6))
    for m in moves:
        whole.on_movement(m)
    first = AmlMonitor(AmlSettings(large_amount=30, burst_count=4, burst_blocks=6))
    for m in moves[:17]:
        first.on_movement(m)
    resumed = AmlMonitor.restore(first.snapshot())
    for m in moves[17:]:
        resumed.on_movement(m)
    assert resumed.findings == whole.findings and whole.findings


def test_findings_export_as_csv_from_a_real_history(history: History) -> None:
    history.setup(holders=3)
    a, b, c = (history.holder(i) for i in range(3))
    iid = history.create_issuance()
    history.attest(iid, 10_000)
    history.mint(iid, a, 5_000)
    history.transfer(a, b, iid, 1_000)
    history.transfer(b, c, iid, 950)
    replay = Replay(history.platform, aml=AmlSettings(large_amount=2_000, pass_through_blocks=3)).run()
    kinds = [f.kind for f in replay.aml.findings]
    assert kinds == ["large", "pass_through"]
    rows = list(csv.DictReader(io.StringIO(findings_csv(replay.aml.findings))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1]["sender"] == b.address and rows[1]["amount"] == "950"
