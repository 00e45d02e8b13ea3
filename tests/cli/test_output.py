"""How a write is reported (sdap/cli/_output.py): one line saying what happened and where it was
recorded, or with `--json` the receipt and its decoded events next to what the write created."""

from __future__ import annotations

import json

import pytest

from sdap.cli._output import event_line, report
from sdap.events import Event
from sdap.transactions import Receipt

EVENT = Event(
    name="TransferSingle",
    contract="SecuredAsset",
    address="0x" + "22" * 20,
    block_number=7,
    tx_hash="0x" + "ab" * 32,
    log_index=0,
    args={"operator": "0x" + "11" * 20, "id": 1, "value": 5, "data": {"nested": b"\x01"}},
)
RECEIPT = Receipt(tx_hash="0x" + "ab" * 32, block_number=7, gas_used=51_234, events=(EVENT,))


def test_a_write_is_one_line_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    report(RECEIPT, False, "minted 5 units")
    assert capsys.readouterr().out == f"minted 5 units\n  tx {RECEIPT.tx_hash} in block 7, gas 51,234\n"


def test_a_write_as_json_carries_the_receipt_its_events_and_what_it_created(capsys: pytest.CaptureFixture[str]) -> None:
    report(RECEIPT, True, "ignored", issuance_id=3)
    body = json.loads(capsys.readouterr().out)
    assert body["issuance_id"] == 3 and body["gas_used"] == 51_234 and body["block_number"] == 7
    assert body["events"] == [
        {
            "name": "TransferSingle",
            "contract": "SecuredAsset",
            "block_number": 7,
            "tx_hash": RECEIPT.tx_hash,
            "log_index": 0,
            "args": {"operator": "0x" + "11" * 20, "id": 1, "value": 5, "data": {"nested": "0x01"}},
        }
    ]


def test_an_event_line_names_the_block_the_event_and_its_fields() -> None:
    line = event_line(EVENT)
    assert line.startswith("block 7      TransferSingle")
    assert line.endswith(f"operator={'0x' + '11' * 20} id=1 value=5 data={{nested=0x01}}")
