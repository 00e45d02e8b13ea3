"""sdap.events decodes every event of the platform's ABIs, the new states included (coverage counted,
a renewal, an accreditation withdrawn, who paused), the same way in a receipt and in a stream."""

from __future__ import annotations

import pytest
from world import YEAR, States, World, chain_time

from sdap.artifacts import CONTRACT_NAMES, load_artifact
from sdap.events import EventDecoder, address_topic, event_topic, stream_events
from sdap.types import Role


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_the_decoder_knows_every_event_of_the_abis() -> None:
    declared = {i["name"] for c in CONTRACT_NAMES for i in load_artifact(c).abi if i["type"] == "event"}
    assert {"CoverageSynced", "AttestationSuperseded", "AccreditationWithdrawn", "IssuancePaused"} <= declared
    assert len(EventDecoder().topics) >= len(declared)


def test_new_events_decode_in_receipts_and_in_streams(w: World) -> None:
    start = w.w3.eth.block_number + 1
    renewal = w.verifier.renewal(w.attestation, units=500, valid_until=chain_time(w.w3) + YEAR)
    renewed = w.verifier.attach(w.verifier.sign_attestation(renewal))
    paused = w.regulator.pause(w.issuance)
    withdrawn = w.regulator.revoke_role(Role.VERIFIER, w.verifier.address)
    synced = w.b.sync_coverage(w.issuance)

    from_receipts = [e for r in (renewed.receipt, paused, withdrawn) for e in r.events]
    streamed = [
        e
        for e in stream_events(w.w3, list(w.platform.deployment.addresses.values()), start)
        if e.name in {"CoverageSynced", "AttestationSuperseded", "AccreditationWithdrawn", "IssuancePaused"}
    ]
    assert [e.name for e in streamed] == [
        "AttestationSuperseded",
        "CoverageSynced",  # the renewal's count
        "IssuancePaused",
        "AccreditationWithdrawn",
        "CoverageSynced",  # the holder's sync after the withdrawal
    ]
    assert streamed[:4] == [e for e in from_receipts if e.name in {s.name for s in streamed}]
    assert dict(streamed[0].args) == {"attestationId": w.attestation, "supersededBy": renewed.id}
    assert dict(streamed[2].args) == {"id": w.issuance, "by": w.regulator.address, "byRegulator": True}
    assert dict(streamed[3].args) == {"verifier": w.verifier.address, "revision": 1, "by": w.regulator.address}
    last = streamed[4]
    assert (last["id"], last["covered"], last["supply"], last["coveredUntil"]) == (w.issuance, 0, 100, 0)
    assert (synced.covered, synced.supply, synced.undercollateralised) == (0, 100, True)


def test_a_stream_filtered_by_topics_holds_only_the_matching_logs(w: World) -> None:
    """The node does the search: the events that gave holder b units, whatever else happened."""
    start = w.w3.eth.block_number + 1
    w.a.transfer(w.b.address, w.issuance, 3)
    w.a.transfer(w.c.address, w.issuance, 4)
    w.a.batch_transfer(w.b.address, [w.issuance, w.issuance], [1, 2])
    single = event_topic("TransferSingle(address,address,address,uint256,uint256)")
    batch = event_topic("TransferBatch(address,address,address,uint256[],uint256[])")
    to_b = [[single, batch], None, None, address_topic(w.b.address)]
    streamed = list(stream_events(w.w3, [w.platform.deployment.asset], start, topics=to_b))
    assert [(e.name, e["to"]) for e in streamed] == [("TransferSingle", w.b.address), ("TransferBatch", w.b.address)]
    assert address_topic(w.b.address.lower()) == "0x" + "00" * 12 + w.b.address[2:].lower()
