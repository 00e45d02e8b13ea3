"""The argument checks (sdap/_validate.py), seen through every client: a bad argument never reaches
the chain as garbage, every client refuses it with InvalidArgument before any request. The platform
here points at a closed port, so a method that asked the node anything before checking its
arguments would raise ConnectionFailed instead and fail the test."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from sdap import InvalidArgument
from sdap.errors import ConfigurationError
from sdap.platform import Platform
from sdap.signing import sign_attestation
from sdap.types import CollateralAttestation, ForwardRequest, IssuanceParams, IssuerConsent

ADDRESS = "0x" + "11" * 20
HASH = b"\x22" * 32
GOOD_CHECKSUM = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
BAD_CHECKSUM = GOOD_CHECKSUM.replace("aA", "AA", 1)  # one letter's case flipped: a typo
CONSENT = IssuerConsent(0, 1, b"\x01" * 65)

Call = Callable[[Any], object]


@pytest.fixture(scope="module")
def offline(deployed: Any, accounts: list[LocalAccount]) -> dict[str, Any]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    provider = Web3.HTTPProvider(f"http://127.0.0.1:{port}", exception_retry_configuration=None)
    platform = Platform(Web3(provider), deployed.deployment)
    return {
        "regulator": platform.regulator(accounts[1]),
        "operator": platform.operator(accounts[2]),
        "verifier": platform.verifier(accounts[3]),
        "compliance": platform.compliance(accounts[4]),
        "issuer": platform.issuer(accounts[5]),
        "holder": platform.holder(accounts[6]),
        "queries": platform.queries,
    }


def _params(**overrides: Any) -> IssuanceParams:
    fields: dict[str, Any] = {
        "issuer": ADDRESS,
        "asset_type": 1,
        "decision_hash": HASH,
        "decision_uri": "https://issuer.example/d",
        "evidence_hash": HASH,
        "unit_description": "1 t",
        "max_supply": 10,
    }
    fields.update(overrides)
    return IssuanceParams(**fields)


def _attestation(**overrides: Any) -> CollateralAttestation:
    fields: dict[str, Any] = {
        "asset": ADDRESS,
        "issuance_id": 1,
        "owner": ADDRESS,
        "collateral_ref": HASH,
        "value": 1,
        "units": 1,
        "valid_until": 2**40,
        "nonce": 1,
    }
    fields.update(overrides)
    return CollateralAttestation(**fields)


CASES: list[tuple[str, str, Call, str]] = [
    ("regulator", "address not hex", lambda c: c.grant_permit("0xnot-an-address", 0, 1, HASH), "operator"),
    ("regulator", "address too short", lambda c: c.suspend_permit("0x1234", HASH), "operator"),
    ("regulator", "address bad checksum", lambda c: c.revoke_permit(BAD_CHECKSUM, HASH), "operator"),
    ("regulator", "address not a string", lambda c: c.revoke_permit(1234, HASH), "operator"),
    ("regulator", "uint64 overflow", lambda c: c.grant_permit(ADDRESS, 0, 2**64, HASH), "valid_until"),
    ("regulator", "negative time", lambda c: c.grant_permit(ADDRESS, -1, 10, HASH), "valid_from"),
    ("regulator", "hash 31 bytes", lambda c: c.grant_permit(ADDRESS, 0, 10, b"\x01" * 31), "document_hash"),
    ("regulator", "hash not hex", lambda c: c.suspend_permit(ADDRESS, "0x" + "zz" * 32), "reason_hash"),
    ("regulator", "hash as text", lambda c: c.suspend_permit(ADDRESS, "permit suspended"), "reason_hash"),
    ("regulator", "name not a string", lambda c: c.register_issuer(ADDRESS, 42, "1", "KZ", HASH), "legal_name"),
    ("regulator", "unknown status", lambda c: c.set_issuer_status(ADDRESS, "dormant", HASH), "status"),
    ("regulator", "status out of range", lambda c: c.set_issuer_status(ADDRESS, 9, HASH), "status"),
    ("regulator", "unknown category", lambda c: c.list_asset_type("Gold", "bullion"), "category"),
    ("regulator", "type id overflow", lambda c: c.delist_asset_type(2**32), "type_id"),
    ("regulator", "unknown role", lambda c: c.grant_role("auditor", ADDRESS), "role"),
    ("regulator", "negative amount", lambda c: c.forced_transfer(1, ADDRESS, ADDRESS, -5, HASH), "amount"),
    ("regulator", "uri not a string", lambda c: c.publish_risk_notice(HASH, None), "uri"),
    ("regulator", "notice hash short", lambda c: c.publish_risk_notice(b"\x01", "https://x"), "content_hash"),
    ("operator", "sync negative id", lambda c: c.sync_coverage(-1), "issuance_id"),
    ("operator", "identity expiry not int", lambda c: c.register_participant(ADDRESS, HASH, "soon"), "identity_expiry"),
    ("operator", "signature too short", lambda c: c.relay_acknowledgement(ADDRESS, 1, 10, b"\x01" * 64), "signature"),
    ("operator", "params bad issuer", lambda c: c.create_issuance(_params(issuer="nobody"), CONSENT), "issuer"),
    (
        "operator",
        "params max supply bool",
        lambda c: c.create_issuance(_params(max_supply=True), CONSENT),
        "max_supply",
    ),
    (
        "operator",
        "params uint256 overflow",
        lambda c: c.create_issuance(_params(max_supply=2**256), CONSENT),
        "max_supply",
    ),
    (
        "operator",
        "consent deadline uint64",
        lambda c: c.create_issuance(_params(), IssuerConsent(0, 2**64, b"")),
        "deadline",
    ),
    ("operator", "mint float amount", lambda c: c.mint(1, ADDRESS, 1.5), "amount"),
    (
        "operator",
        "attestation bad units",
        lambda c: c.attach_attestation(_attestation(units=-1), b"\x00" * 65),
        "units",
    ),
    (
        "operator",
        "relay value",
        lambda c: c.relay(ForwardRequest(ADDRESS, ADDRESS, 1, 1, 0, 1, b""), b"\x00" * 65),
        "value",
    ),
    (
        "operator",
        "relay deadline uint48",
        lambda c: c.relay(ForwardRequest(ADDRESS, ADDRESS, 0, 1, 0, 2**48, b""), b"\x00" * 65),
        "deadline",
    ),
    ("verifier", "attestation bad owner", lambda c: c.attestation(1, "0x0", HASH, 1, 1, 10), "owner"),
    ("verifier", "sign bad ref", lambda c: c.sign_attestation(_attestation(collateral_ref=b"x")), "collateral_ref"),
    ("verifier", "nonce negative", lambda c: c.invalidate_nonce(-1), "nonce"),
    (
        "verifier",
        "supersedes short",
        lambda c: c.attestation(1, ADDRESS, HASH, 1, 1, 10, supersedes="0x12"),
        "supersedes",
    ),
    ("verifier", "renewal bad id", lambda c: c.renewal("0x12", units=1, valid_until=10), "previous_attestation_id"),
    ("verifier", "renewal bad units", lambda c: c.renewal(HASH, units=-1, valid_until=10), "units"),
    ("verifier", "renewal bad value", lambda c: c.renewal(HASH, units=1, valid_until=10, value=-1), "value"),
    ("verifier", "sign bad supersedes", lambda c: c.sign_attestation(_attestation(supersedes=b"x")), "supersedes"),
    ("compliance", "freeze bad holder", lambda c: c.freeze_units(1, "holder", 1, HASH), "holder"),
    ("compliance", "unfreeze bad wallet", lambda c: c.unfreeze_participant(None, HASH), "wallet"),
    ("issuer", "close bad hash", lambda c: c.close(1, b""), "fulfilment_hash"),
    ("issuer", "confirm bad request", lambda c: c.confirm_redemption(-1, HASH), "request_id"),
    ("issuer", "refuse bad reason", lambda c: c.refuse_redemption(1, b"x"), "reason_hash"),
    ("issuer", "withdraw consent bad nonce", lambda c: c.withdraw_consent(-1), "nonce"),
    ("holder", "redeem bad amount", lambda c: c.request_redemption(1, "ten", HASH), "amount"),
    ("holder", "sign redeem bad ref", lambda c: c.sign_redemption_request(1, 1, b"x"), "fulfilment_ref"),
    ("holder", "transfer bad recipient", lambda c: c.transfer("0x" + "1" * 39, 1, 1), "to"),
    ("holder", "batch unequal lists", lambda c: c.batch_transfer(ADDRESS, [1, 2], [1]), "same length"),
    ("holder", "batch negative amount", lambda c: c.batch_transfer(ADDRESS, [1], [-1]), "amounts"),
    ("holder", "approval not bool", lambda c: c.set_approval(ADDRESS, "yes"), "approved"),
    ("holder", "encumber bad expiry", lambda c: c.encumber(1, 1, ADDRESS, HASH, 2**64), "expiry"),
    ("holder", "acknowledge bad version", lambda c: c.acknowledge_risk_notice(2**32), "version"),
    ("holder", "sign ack bad deadline", lambda c: c.sign_acknowledgement(1, deadline=-1), "deadline"),
    ("holder", "sign transfer bad gas", lambda c: c.sign_transfer_request(ADDRESS, 1, 1, gas=-1), "gas"),
    (
        "holder",
        "sign transfer bad deadline",
        lambda c: c.sign_transfer_request(ADDRESS, 1, 1, deadline=2**48),
        "deadline",
    ),
    ("queries", "balance bad holder", lambda c: c.balance_of("alice", 1), "holder"),
    ("queries", "check transfer negative", lambda c: c.check_transfer(ADDRESS, ADDRESS, 1, -1), "amount"),
    ("queries", "attestation id short", lambda c: c.attestation("0x1234"), "attestation_id"),
    ("queries", "role unknown", lambda c: c.has_role("root", ADDRESS), "role"),
    ("queries", "coverage negative id", lambda c: c.coverage(-1), "issuance_id"),
    ("queries", "status id short", lambda c: c.attestation_status(b"\x01"), "attestation_id"),
    ("queries", "pledge bad owner", lambda c: c.pledge_of("issuer", HASH), "owner"),
    ("queries", "pledge bad ref", lambda c: c.pledge_of(ADDRESS, "receipt 7"), "collateral_ref"),
    ("queries", "redemption id negative", lambda c: c.redemption_request(-1), "request_id"),
    ("queries", "redemptions bad holder", lambda c: c.redemption_requests(holder="alice"), "holder"),
    ("queries", "check redemption negative", lambda c: c.check_redemption(1, ADDRESS, -1), "amount"),
    ("queries", "consent key overflow", lambda c: c.consent_nonce(ADDRESS, 2**192), "key"),
    ("queries", "accreditation bad verifier", lambda c: c.accreditation_of("0x1"), "verifier"),
]


@pytest.mark.parametrize(("client", "what", "call", "names"), CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_bad_argument_is_refused_before_any_request(
    offline: dict[str, Any], client: str, what: str, call: Call, names: str
) -> None:
    with pytest.raises(InvalidArgument, match=names) as raised:
        call(offline[client])
    assert isinstance(raised.value, ConfigurationError) and isinstance(raised.value, ValueError)


def test_signing_refuses_a_malformed_message(accounts: list[LocalAccount]) -> None:
    with pytest.raises(InvalidArgument, match="verifying_contract"):
        sign_attestation(accounts[3], _attestation(), chain_id=31337, collateral="0x12")
    with pytest.raises(InvalidArgument, match="valid_until must fit in uint64"):
        sign_attestation(accounts[3], _attestation(valid_until=2**64), chain_id=31337, collateral=ADDRESS)


def test_addresses_and_hashes_are_normalised(accounts: list[LocalAccount]) -> None:
    signed = sign_attestation(
        accounts[3],
        _attestation(asset=ADDRESS.upper().replace("0X", "0x"), collateral_ref="0x" + HASH.hex()),
        chain_id=31337,
        collateral=ADDRESS,
    )
    assert signed.attestation.asset == Web3.to_checksum_address(ADDRESS)
    assert signed.attestation.collateral_ref == HASH
