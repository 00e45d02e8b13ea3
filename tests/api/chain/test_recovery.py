"""What became of recorded transactions, found by hash on a real node (api.chain.recovery): included
ones recorded, unknown ones with a free nonce sent again byte for byte, those whose nonce went to
another marked dropped; and a retried request's look at what its attempt sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from api.chain.journal import DROPPED, MINED, PENDING, Journal, JournalEntry, Recorded
from api.chain.operation import Operation
from api.chain.recovery import LostSends, includable, recover, resolve, resumes
from api.db import Database

pytestmark = pytest.mark.usefixtures("platform")  # the chain is rewound after each test


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    db = Database(f"sqlite:///{tmp_path / 'journal.db'}")
    db.migrate()
    yield Journal(db)
    db.dispose()


@pytest.fixture
def key(accounts: list[LocalAccount]) -> LocalAccount:
    return accounts[9]  # a key nothing else in these tests sends with


def signed(w3: Web3, key: LocalAccount, nonce: int, value: int = 1) -> JournalEntry:
    tx = {"to": "0x" + "11" * 20, "value": value, "gas": 21_000, "nonce": nonce, "chainId": w3.eth.chain_id}
    tx.update({"maxFeePerGas": 10 * 10**9, "maxPriorityFeePerGas": 10**9})
    done = key.sign_transaction(tx)
    return JournalEntry(
        "0x" + bytes(done.hash).hex(), key.address, nonce, "0x" + bytes(done.raw_transaction).hex(), PENDING
    )


def state(journal: Journal, item: JournalEntry) -> str:
    found = journal.get(item.tx_hash)
    assert found is not None
    return found.state


def test_recovery_records_the_included_resends_the_unknown_and_drops_the_superseded(
    w3: Web3, journal: Journal, key: LocalAccount
) -> None:
    nonce = w3.eth.get_transaction_count(key.address)
    included = signed(w3, key, nonce)
    superseded = signed(w3, key, nonce + 1)
    other = signed(w3, key, nonce + 1, value=2)  # the same nonce, signed elsewhere, sent instead
    never_sent = signed(w3, key, nonce + 2)
    journal.record([Recorded(e, "test") for e in (included, superseded, never_sent)])
    w3.eth.send_raw_transaction(included.raw)
    w3.eth.send_raw_transaction(other.raw)

    outcome = recover(w3, journal)
    assert (outcome.mined, outcome.dropped, outcome.rebroadcast) == (1, 1, 1)
    assert state(journal, included) == MINED and state(journal, superseded) == DROPPED
    assert w3.eth.get_transaction(never_sent.tx_hash)["nonce"] == nonce + 2  # the very same bytes
    assert state(journal, never_sent) == PENDING  # recorded on the next look
    assert resolve(w3, journal, journal.pending()[0]) == "mined"
    assert journal.pending() == []


def test_a_retried_request_waits_for_what_its_attempt_sent_unless_it_can_never_be_included(
    w3: Web3, journal: Journal, key: LocalAccount
) -> None:
    nonce = w3.eth.get_transaction_count(key.address)
    lost = signed(w3, key, nonce)
    journal.record([Recorded(lost, "test", idempotency_id=5, seq=1)])
    retry = Operation(5, resumed=True)
    assert resumes(w3, journal, retry)  # unknown to the node, nonce free: sent again, waited for
    found = includable(w3, journal, journal.step(5, 1))
    assert found is not None and found.tx_hash == lost.tx_hash

    taken = signed(w3, key, nonce + 1)
    journal.record([Recorded(taken, "test", idempotency_id=6, seq=1)])
    w3.eth.send_raw_transaction(signed(w3, key, nonce + 1, value=3).raw)  # its nonce goes to another
    assert not resumes(w3, journal, Operation(6, resumed=True))  # starts over, checks included
    assert state(journal, taken) == DROPPED
    assert not resumes(w3, journal, Operation(5, resumed=False))  # a first attempt resumes nothing


def test_lost_sends_wake_the_resolver_and_wait_for_it(journal: Journal) -> None:
    lost = LostSends()
    assert not lost.any() and not lost.wake.is_set()
    lost.add("0xa", "0xb")
    assert lost.wake.is_set() and lost.any()
    lost.wake.clear()
    assert lost.take() == {"0xa", "0xb"} and not lost.any()
    lost.keep({"0xb"})
    assert lost.any() and not lost.wake.is_set()  # kept for the next round, without waking it
    assert lost.take() == {"0xb"}
