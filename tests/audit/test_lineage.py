from __future__ import annotations

from sdap.audit.lineage import trace
from tests.audit.conftest import History, h


def test_trace_follows_units_from_mint_through_transfers_and_orders(history: History) -> None:
    history.setup(holders=3)
    a, b, c = (history.holder(i) for i in range(3))
    iid = history.create_issuance()
    attestation = history.attest(iid, 1_000)
    first = history.mint(iid, a, 100)
    second = history.mint(iid, b, 50)
    hop1 = history.transfer(a, b, iid, 60)
    hop2 = history.transfer(b, c, iid, 80)  # 50 of b's own mint first, then 30 that came from a
    order = history.send(
        history.regulator, history.asset.functions.forcedTransfer(iid, c.address, a.address, 10, h("o"))
    )

    lineage = trace(history.platform, c.address, iid)
    assert lineage.balance == 70 == lineage.traced
    by_origin = {lot.origin.tx_hash: lot for lot in lineage.lots}
    from_b = by_origin[second.tx_hash]
    from_a = by_origin[first.tx_hash]
    assert from_b.amount == 40 and [hop.tx_hash for hop in from_b.hops] == [hop2.tx_hash]
    assert from_a.amount == 30 and [hop.tx_hash for hop in from_a.hops] == [hop1.tx_hash, hop2.tx_hash]
    origin = from_a.origin
    assert origin.recipient == a.address and origin.issuer == history.issuer.address
    assert origin.decision_hash == "0x" + h("decision").hex()
    assert [x.attestation_id for x in origin.attestations] == ["0x" + attestation.hex()]
    assert origin.attestations[0].verifier == history.verifier.address

    back = trace(history.platform, a.address, iid)
    assert back.traced == back.balance == 50
    assert any(hop.kind == "forced" and hop.tx_hash == order.tx_hash for lot in back.lots for hop in lot.hops)
