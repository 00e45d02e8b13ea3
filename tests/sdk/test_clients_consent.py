"""The issuer's consent (Law art. 6.5; sdap/clients/issuer.py, operator.py): the issuer signs the
terms and the operator that will run them, sending nothing; the operator submits; the nonce is
spent. Withdrawn, expired or another operator's consents are refused before anything is sent, and
keyed nonces let one issuer sign for several operators that submit in any order."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from world import YEAR, States, World, advance, chain_time, h

from sdap.clients import OperatorClient
from sdap.contract_errors import (
    SecuredAssetConsentExpiredError,
    SecuredAssetConsentNonceInvalidError,
    SecuredAssetConsentNotSignedError,
)
from sdap.types import Created, Role

KEY_SHIFT = 64  # a keyed nonce carries its key in the upper 192 bits


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def second_operator(w: World, index: int = 10) -> OperatorClient:
    other = w.client_of(OperatorClient, index)
    w.regulator.grant_role(Role.OPERATOR, other.address)
    w.regulator.grant_permit(other.address, 0, chain_time(w.w3) + YEAR, h(f"permit of {other.address}"))
    return other


def test_the_issuer_signs_the_operator_submits_and_the_nonce_is_spent(w: World) -> None:
    q, block = w.queries, w.w3.eth.block_number
    assert w.issuer.consent_nonce() == q.consent_nonce(w.issuer.address) == 1  # the world's issuance spent 0
    signed = w.issuer.sign_consent(w.params(unit_description="1 tonne of barley"), w.operator.address)
    assert w.w3.eth.block_number == block  # signing sends nothing
    assert signed.consent.nonce == 1 and signed.operator == w.operator.address
    assert signed.consent.deadline == chain_time(w.w3) + 86_400  # a day by default
    created = w.operator.create_issuance(signed.params, signed)
    assert q.issuance(created.id).unit_description == "1 tonne of barley"
    assert q.issuance(created.id).issuer == w.issuer.address and q.issuance(created.id).operator == w.operator.address
    names = [e.name for e in created.receipt.events]
    assert names == ["IssuanceCreated", "IssuerConsented"]
    assert w.issuer.consent_nonce() == 2
    with pytest.raises(SecuredAssetConsentNonceInvalidError) as reused:
        w.operator.create_issuance(signed.params, signed.consent)  # the bare IssuerConsent works as well
    assert reused.value.arguments == {"issuer": w.issuer.address, "nonce": 1, "expected": 2}


def test_a_withdrawn_consent_is_refused(w: World) -> None:
    signed = w.issuer.sign_consent(w.params(), w.operator.address)
    withdrawn = w.issuer.withdraw_consent(signed.consent.nonce)
    assert withdrawn.event("IssuerConsentWithdrawn")["nonce"] == signed.consent.nonce
    assert withdrawn.event("IssuerConsentWithdrawn")["issuer"] == w.issuer.address
    block = w.w3.eth.block_number
    with pytest.raises(SecuredAssetConsentNonceInvalidError):
        w.operator.create_issuance(signed.params, signed)
    assert w.w3.eth.block_number == block
    with pytest.raises(SecuredAssetConsentNonceInvalidError) as ahead:
        w.issuer.withdraw_consent(signed.consent.nonce + 5)  # only the next one of its key
    assert ahead.value.arguments["expected"] == signed.consent.nonce + 1


def test_an_expired_consent_is_refused(w: World) -> None:
    signed = w.issuer.sign_consent(w.params(), w.operator.address, deadline=chain_time(w.w3) + 60)
    advance(w.w3, 120)
    with pytest.raises(SecuredAssetConsentExpiredError) as expired:
        w.operator.create_issuance(signed.params, signed)
    assert expired.value.deadline == signed.consent.deadline
    assert w.issuer.consent_nonce() == signed.consent.nonce  # nothing was spent


def test_another_operator_cannot_use_a_consent_given_to_one(w: World) -> None:
    other = second_operator(w)
    signed = w.issuer.sign_consent(w.params(), w.operator.address)
    with pytest.raises(SecuredAssetConsentNotSignedError) as refused:
        other.create_issuance(signed.params, signed)
    assert refused.value.issuer == w.issuer.address
    w.operator.create_issuance(signed.params, signed)  # the operator it names still can


def test_keyed_nonces_let_two_operators_submit_at_once_in_any_order(w: World) -> None:
    other = second_operator(w)
    first = w.issuer.sign_consent(w.params(unit_description="lot 1"), w.operator.address, key=1)
    second = w.issuer.sign_consent(w.params(unit_description="lot 2"), other.address, key=2)
    assert (first.consent.nonce, second.consent.nonce) == (1 << KEY_SHIFT, 2 << KEY_SHIFT)
    # Under one key the second consent would have to wait for the first:
    queued = w.issuer.sign_consent(w.params(), other.address, key=1, nonce=(1 << KEY_SHIFT) + 1)
    with pytest.raises(SecuredAssetConsentNonceInvalidError):
        other.create_issuance(queued.params, queued)

    def submit(operator: OperatorClient, signed: object) -> Created[int]:
        return operator.create_issuance(signed.params, signed)  # type: ignore[attr-defined]

    with ThreadPoolExecutor(2) as pool:
        created = [f.result() for f in [pool.submit(submit, other, second), pool.submit(submit, w.operator, first)]]
    assert {w.queries.issuance(c.id).unit_description for c in created} == {"lot 1", "lot 2"}
    assert w.queries.issuance(created[0].id).operator == other.address
    assert w.issuer.consent_nonce(1) == (1 << KEY_SHIFT) + 1 and w.issuer.consent_nonce(2) == (2 << KEY_SHIFT) + 1
    assert w.issuer.consent_nonce() == 1  # key 0 untouched
    other.create_issuance(queued.params, queued)  # its turn has come
