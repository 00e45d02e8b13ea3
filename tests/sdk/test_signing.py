"""The EIP-712 helpers produce exactly what the contracts verify: the same domains, the same digests
as the contracts' own digest views, signatures they accept, and a refusal for any field changed
after signing."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import pytest
from world import YEAR, States, World, chain_time, h

from sdap import InvalidArgument
from sdap.contract_errors import (
    CollateralSignerNotVerifierError,
    ERC2771ForwarderInvalidSignerError,
    RegistryInvalidSignatureError,
    SecuredAssetConsentNotSignedError,
)
from sdap.signing import (
    ATTESTATION_DOMAIN,
    CONSENT_DOMAIN,
    DOMAIN_VERSION,
    FORWARDER_DOMAIN,
    REGISTRY_DOMAIN,
    acknowledgement_digest,
    acknowledgement_message,
    attestation_digest,
    attestation_message,
    consent_digest,
    consent_message,
    forward_request_digest,
    forward_request_message,
    recover_signer,
    sign_acknowledgement,
    sign_consent,
)
from sdap.types import CollateralAttestation, ForwardRequest, IssuanceParams, IssuerConsent, RiskNoticeAcknowledgement


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def _other(value: Any) -> Any:
    """A different value of the same type, for tampering."""
    if isinstance(value, bytes):
        return h("tampered") if len(value) == 32 else value + b"\x00"
    if isinstance(value, str):
        return "0x" + "77" * 20
    return value + 1


@pytest.mark.parametrize(
    ("contract", "name"),
    [
        ("registry", REGISTRY_DOMAIN),
        ("collateral", ATTESTATION_DOMAIN),
        ("forwarder", FORWARDER_DOMAIN),
        ("asset", CONSENT_DOMAIN),  # the consent is verified by the extension's code at the asset's address
    ],
)
def test_domains_are_the_contracts(w: World, contract: str, name: str) -> None:
    onchain = getattr(w.platform.contracts, contract).functions.eip712Domain().call()
    _, found_name, version, chain_id, verifying_contract, _, _ = onchain
    assert (found_name, version, chain_id) == (name, DOMAIN_VERSION, w.platform.deployment.chain_id)
    assert verifying_contract == getattr(w.platform.deployment, contract)


# --- Collateral attestation -----------------------------------------------------------------


def _attestation(w: World) -> CollateralAttestation:
    return w.verifier.attestation(w.issuance, w.issuer.address, h("receipt 9"), 10_000, 50, chain_time(w.w3) + YEAR)


def _collateral_digest(w: World, attestation: CollateralAttestation) -> bytes:
    return bytes(w.platform.contracts.collateral.functions.attestationDigest(attestation.as_tuple()).call())


def test_attestation_digest_is_the_contracts_and_its_signature_is_accepted(w: World) -> None:
    attestation = _attestation(w)
    d = w.platform.deployment
    digest = attestation_digest(attestation, chain_id=d.chain_id, collateral=d.collateral)
    assert digest == _collateral_digest(w, attestation)
    signed = w.verifier.sign_attestation(attestation)
    assert signed.digest == digest
    message = attestation_message(attestation, chain_id=d.chain_id, collateral=d.collateral)
    assert recover_signer(message, signed.signature) == w.verifier.address
    attached = w.operator.attach(signed)
    assert attached.id == digest
    assert w.queries.attestation(digest).units == 50


@pytest.mark.parametrize("field", [f.name for f in fields(CollateralAttestation)])
def test_attestation_changed_after_signing_is_refused(w: World, field: str) -> None:
    attestation = _attestation(w)
    signed = w.verifier.sign_attestation(attestation)
    tampered = replace(attestation, **{field: _other(getattr(attestation, field))})
    assert _collateral_digest(w, tampered) != signed.digest
    with pytest.raises(CollateralSignerNotVerifierError) as raised:
        w.operator.attach_attestation(tampered, signed.signature)
    assert raised.value.signer != w.verifier.address


# --- Risk-notice acknowledgement ------------------------------------------------------------


def _registry_digest(w: World, ack: RiskNoticeAcknowledgement) -> bytes:
    fn = w.platform.contracts.registry.functions.acknowledgementDigest(
        ack.participant, ack.version, ack.nonce, ack.deadline
    )
    return bytes(fn.call())


def test_acknowledgement_digest_is_the_contracts_and_its_signature_is_accepted(w: World) -> None:
    notice = w.regulator.publish_risk_notice(h("risk notice v2"), "https://sdap.example/risk/2").id
    signed = w.a.sign_acknowledgement()
    ack = signed.acknowledgement
    assert (ack.participant, ack.version, ack.content_hash) == (w.a.address, notice, h("risk notice v2"))
    d = w.platform.deployment
    assert signed.digest == acknowledgement_digest(ack, chain_id=d.chain_id, registry=d.registry)
    assert signed.digest == _registry_digest(w, ack)
    message = acknowledgement_message(ack, chain_id=d.chain_id, registry=d.registry)
    assert recover_signer(message, signed.signature) == w.a.address
    receipt = w.operator.relay_acknowledgement(ack.participant, ack.version, ack.deadline, signed.signature)
    assert receipt.event("RiskNoticeAcknowledged")["participant"] == w.a.address
    assert w.queries.participant(w.a.address).acknowledged_notice == notice
    assert w.queries.acknowledgement_nonce(w.a.address) == ack.nonce + 1


@pytest.mark.parametrize("field", [f.name for f in fields(RiskNoticeAcknowledgement)])
def test_acknowledgement_changed_before_signing_is_refused(w: World, field: str) -> None:
    genuine = w.a.sign_acknowledgement().acknowledgement
    tampered = replace(genuine, **{field: _other(getattr(genuine, field))})
    d = w.platform.deployment
    signed = sign_acknowledgement(w.accounts[6], tampered, chain_id=d.chain_id, registry=d.registry)
    assert signed.digest != _registry_digest(w, genuine)
    with pytest.raises(RegistryInvalidSignatureError) as raised:
        # Relayed with the genuine fields: the chain recomputes the digest from its own state.
        w.operator.relay_acknowledgement(genuine.participant, genuine.version, genuine.deadline, signed.signature)
    assert raised.value.participant == w.a.address
    assert raised.value.signer != w.a.address


# --- Forward request ------------------------------------------------------------------------


def _verify(w: World, request: ForwardRequest, signature: bytes) -> bool:
    return bool(w.platform.contracts.forwarder.functions.verify(request.as_request_data(signature)).call())


def test_forward_request_is_verified_by_the_forwarder_and_relayed(w: World) -> None:
    signed = w.a.sign_transfer_request(w.b.address, w.issuance, 7)
    d = w.platform.deployment
    assert signed.digest == forward_request_digest(signed.request, chain_id=d.chain_id, forwarder=d.forwarder)
    message = forward_request_message(signed.request, chain_id=d.chain_id, forwarder=d.forwarder)
    assert recover_signer(message, signed.signature) == w.a.address
    assert _verify(w, signed.request, signed.signature)
    receipt = w.operator.relay(signed.request, signed.signature)
    assert receipt.event("ExecutedForwardRequest")["success"] is True
    assert w.queries.balance_of(w.b.address, w.issuance) == 7
    assert w.queries.forwarder_nonce(w.a.address) == signed.request.nonce + 1
    # A request is single-use: its nonce is spent.
    assert not _verify(w, signed.request, signed.signature)


@pytest.mark.parametrize("field", [f.name for f in fields(ForwardRequest)])
def test_forward_request_changed_after_signing_is_refused(w: World, field: str) -> None:
    signed = w.a.sign_transfer_request(w.b.address, w.issuance, 7)
    tampered = replace(signed.request, **{field: _other(getattr(signed.request, field))})
    if field == "nonce":
        # The nonce is not sent: the forwarder takes its own. Sign the wrong one instead.
        wrong = w.a.sign_request(tampered)
        assert not _verify(w, signed.request, wrong.signature)
        return
    assert not _verify(w, tampered, signed.signature)
    if field in ("from_", "gas", "deadline", "data"):
        with pytest.raises(ERC2771ForwarderInvalidSignerError) as raised:
            w.operator.relay(tampered, signed.signature)
        assert raised.value.signer != w.a.address


# --- Issuer consent -------------------------------------------------------------------------

#: secp256k1's group order: s and n - s both verify for a plain ECDSA check, OpenZeppelin refuses the high one.
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def _asset_digest(w: World, params: IssuanceParams, operator: str, nonce: int, deadline: int) -> bytes:
    p = params
    terms = (p.issuer, p.asset_type, p.decision_hash, p.decision_uri, p.evidence_hash, p.unit_description, p.max_supply)
    return bytes(w.platform.contracts.asset.functions.consentDigest(terms, operator, nonce, deadline).call())


@pytest.mark.parametrize("nonce", [0, 7, (3 << 64) + 2, 2**256 - 1])
def test_consent_digest_is_the_contracts(w: World, nonce: int) -> None:
    d, params, deadline = w.platform.deployment, w.params(decision_uri="https://issuer.example/ä.pdf"), 2**64 - 1
    digest = consent_digest(params, w.operator.address, nonce, deadline, chain_id=d.chain_id, asset=d.asset)
    assert digest == _asset_digest(w, params, w.operator.address, nonce, deadline)
    signed = sign_consent(
        w.accounts[5], params, w.operator.address, nonce, deadline, chain_id=d.chain_id, asset=d.asset
    )
    assert signed.digest == digest and signed.consent == IssuerConsent(nonce, deadline, signed.consent.signature)
    message = consent_message(params, w.operator.address, nonce, deadline, chain_id=d.chain_id, asset=d.asset)
    assert recover_signer(message, signed.consent.signature) == w.issuer.address


def test_a_consent_is_signed_only_with_the_issuers_key(w: World) -> None:
    d = w.platform.deployment
    with pytest.raises(InvalidArgument, match=f"signed by the issuer {w.issuer.address}"):
        sign_consent(w.accounts[6], w.params(), w.operator.address, 1, 2**40, chain_id=d.chain_id, asset=d.asset)
    holder_as_issuer = w.client_of(type(w.issuer), 6)
    block = w.w3.eth.block_number
    with pytest.raises(InvalidArgument, match="signed by the issuer"):
        holder_as_issuer.sign_consent(w.params(), w.operator.address)
    assert w.w3.eth.block_number == block


def test_the_signed_consent_creates_the_issuance_and_records_its_digest(w: World) -> None:
    signed = w.issuer.sign_consent(w.params(), w.operator.address)
    created = w.operator.create_issuance(signed.params, signed)
    consented = created.receipt.event("IssuerConsented")
    assert (consented["id"], consented["issuer"]) == (created.id, w.issuer.address)
    assert bytes(consented["termsDigest"]) == signed.digest


@pytest.mark.parametrize(
    "change",
    ["decision_hash", "decision_uri", "evidence_hash", "unit_description", "max_supply", "operator", "chain_id",
     "asset", "high_s"],
)  # fmt: skip
def test_a_consent_to_anything_else_is_refused(w: World, change: str) -> None:
    """The issuer and the asset type are checked in the register first; every other term, the
    operator, the chain, the contract and the signature's form are the consent's to refuse."""
    d, params, op = w.platform.deployment, w.params(), w.operator.address
    nonce, deadline = w.issuer.consent_nonce(), chain_time(w.w3) + 600
    chain_id, asset = d.chain_id, d.asset
    if change == "operator":
        op = w.accounts[12].address
    elif change == "chain_id":
        chain_id = 1
    elif change == "asset":
        asset = d.collateral
    elif change != "high_s":
        params = replace(params, **{change: _other(getattr(params, change))})
    signed = sign_consent(w.accounts[5], params, op, nonce, deadline, chain_id=chain_id, asset=asset)
    consent = signed.consent
    if change == "high_s":
        r, s_, v = consent.signature[:32], int.from_bytes(consent.signature[32:64], "big"), consent.signature[64]
        flipped = r + (SECP256K1_N - s_).to_bytes(32, "big") + bytes([55 - v])  # 27 <-> 28: the same signer
        consent = replace(consent, signature=flipped)
    with pytest.raises(SecuredAssetConsentNotSignedError) as raised:
        w.operator.create_issuance(w.params(), consent)
    assert raised.value.issuer == w.issuer.address
