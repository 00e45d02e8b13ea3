"""The issuer's consent as the auditor sees it (consent.recorded): on the real contracts issuances
created with consent and a withdrawn nonce audit clean and cross-check; on the permissive asset every
way of creating without a valid consent is caught."""

from __future__ import annotations

from dataclasses import astuple, replace
from typing import Any

import pytest

from sdap.audit.html import render_html
from sdap.audit.replay import Replay
from sdap.audit.report import audit
from sdap.transactions import Receipt
from sdap.types import IssuanceParams
from tests.audit.conftest import History, Permissive
from tests.audit.test_rules import audit as breaches_of
from tests.audit.test_rules import found, said

ISSUANCE = 1


@pytest.fixture
def p(permissive: Permissive) -> Permissive:
    """Issuance 1 created with the issuer's consent (its nonce 0): within the rules."""
    permissive.setup(holders=2)
    permissive.create(ISSUANCE)
    assert breaches_of(permissive) == []
    return permissive


def test_consents_and_a_withdrawal_on_the_real_contracts_audit_clean(history: History) -> None:
    history.setup(holders=1)
    issuer = history.platform.issuer(history.issuer)
    terms = history.terms()
    signed = issuer.sign_consent(terms, history.operator.address)
    first = history.platform.operator(history.operator).create_issuance(terms, signed).id
    issuer.withdraw_consent(1)  # a consent it signed and thought better of
    second = history.create_issuance(max_supply=500)
    report = audit(history.platform)
    assert report.breaches == (), [b.message for b in report.breaches]
    assert report.cross_check is not None and report.cross_check.ok, report.cross_check.differences
    consents = {i.issuance_id: i.consent for i in report.issuances}
    assert [(c.nonce, c.issuer) for c in consents.values() if c] == [(0, history.issuer.address), (2, issuer.address)]
    first_consent = consents[first]
    # What the issuer signed is what the chain recorded, and what the auditor recomputed.
    assert first_consent is not None and first_consent.terms_digest == "0x" + signed.digest.hex()
    assert report.counts["issuer_consents"] == 2 and report.counts["issuer_consents_withdrawn"] == 1
    assert report.state["consent_nonces"] == {history.issuer.address: [0, 1, 2]}
    second_consent = consents[second]
    assert second_consent is not None
    assert f"issuer's consent at block {second_consent.block}: nonce 2" in render_html(report)


def test_R3_an_issuance_created_without_its_issuers_consent_or_with_one_apart(p: Permissive) -> None:
    unconsented = p.create(2, consent=False)
    terms = p.terms()
    apart = p.send(p.operator, p.p.multicall([p.consent_call(2, terms)]))  # its own transaction
    created = p.call("createIssuance", 3, p.operator.address, astuple(terms))
    another = p.send(p.operator, p.p.multicall([created, p.consent_call(4, terms)]))  # for another issuance
    breaches = breaches_of(p)
    assert found(breaches, unconsented) == found(breaches, apart) == found(breaches, another) == {"R3 consent.recorded"}
    assert said(breaches, unconsented) == ["issuance 2 created without its issuer's consent"]
    issuer = p.issuer.address
    assert said(breaches, apart) == [f"consent of {issuer} to issuance 2 recorded apart from that issuance's creation"]
    assert said(breaches, another) == [
        "issuance 3 created without its issuer's consent",
        f"consent of {issuer} to issuance 4 recorded apart from that issuance's creation",
    ]


def consented(p: Permissive, iid: int, *, terms: IssuanceParams | None = None, **consent: Any) -> Receipt:
    """Issuance `iid` created with a consent to `terms` (its own by default), changed by `consent`."""
    created = p.call("createIssuance", iid, p.operator.address, astuple(p.terms()))
    return p.send(p.operator, p.p.multicall([created, p.consent_call(iid, terms or p.terms(), **consent)]))


def test_R3_a_consent_to_other_terms_another_operator_chain_or_asset(p: Permissive) -> None:
    other_terms = consented(p, 2, terms=replace(p.terms(), max_supply=10**9))
    other_operator = consented(p, 3, operator=p.accounts[12].address)
    other_chain = consented(p, 4, chain_id=1)
    other_asset = consented(p, 5, asset=p.platform.deployment.registry)
    faithful = consented(p, 6)
    breaches = breaches_of(p)
    for receipt in (other_terms, other_operator, other_chain, other_asset):
        assert found(breaches, receipt) == {"R3 consent.recorded"}
        [message] = said(breaches, receipt)
        assert "not the digest of its terms, operator, chain and asset" in message
    assert found(breaches, faithful) == set()


def test_R3_a_consent_used_after_its_deadline(p: Permissive) -> None:
    deadline = p.now() - 1
    late = consented(p, 2, deadline=deadline)
    on_time = consented(p, 3, deadline=p.now() + 1)
    breaches = breaches_of(p)
    assert found(breaches, late) == {"R3 consent.recorded"}
    [message] = said(breaches, late)
    assert message.endswith(f"after its deadline {deadline}")
    assert found(breaches, on_time) == set()


def test_R3_a_nonce_spent_twice_or_out_of_turn_withdrawals_counting(p: Permissive) -> None:
    issuer = p.issuer.address
    withdrawn = p.send(p.issuer, p.p.withdrawConsent(1))  # nonce 0 went to issuance 1
    reused = consented(p, 2, nonce=1)  # the withdrawn nonce
    ahead = consented(p, 3, nonce=5)  # the next is 2
    keyed = consented(p, 4, nonce=1 << 64)  # another key: its first nonce
    withdrawn_used = p.send(p.issuer, p.p.withdrawConsent(0))
    replay = Replay(p.platform).run()
    breaches = replay.breaches
    assert found(breaches, withdrawn) == found(breaches, keyed) == set()
    assert (
        found(breaches, reused) == found(breaches, ahead) == found(breaches, withdrawn_used) == {"R3 consent.recorded"}
    )
    assert said(breaches, reused) == [f"consent to issuance 2 spends nonce 1 of {issuer} again"]
    assert said(breaches, ahead) == [f"consent to issuance 3 spends nonce 5 of {issuer}; its next of that key was 2"]
    assert said(breaches, withdrawn_used) == [f"withdrawal of a consent spends nonce 0 of {issuer} again"]
    assert replay.state.consent_nonces[issuer] == {0, 1, 5, 1 << 64}
