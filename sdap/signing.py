"""EIP-712 messages exactly as the contracts verify them.

Five things are signed off-chain and checked on-chain:

- a verifier's collateral attestation (CollateralAttestations, Law art. 6.8): its digest is also the
  attestation's id, and a renewal signs the id of the attestation it supersedes;
- a participant's acknowledgement of the risk notice in force (PlatformRegistry, art. 6.4), which an
  operator relays;
- a holder's forward request (HolderForwarder, OpenZeppelin ERC2771Forwarder), which any relayer
  submits so the holder needs no gas;
- an issuer's consent to an issuance's terms and its operator (SecuredAsset, art. 6.5), which the
  operator submits with `createIssuance`;
- a maker's offer to exchange (SecuredExchange), which a taker takes: its digest is the offer's id
  (`offerHash`) and its typed data is named `offer_typed_data`, what a browser wallet's
  `eth_signTypedData_v4` takes.

Each has a `*_message` (the full typed-data dict, what a wallet would display), a `*_digest` (the
32 bytes signed) and a `sign_*`. The domains take the chain id and contract address as arguments, never
a constant: the same code signs for anvil and for a production network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from sdap import _validate as check
from sdap.errors import InvalidArgument
from sdap.types import (
    CollateralAttestation,
    ForwardRequest,
    IssuanceParams,
    IssuerConsent,
    Offer,
    RiskNoticeAcknowledgement,
    SignedOffer,
)

ATTESTATION_DOMAIN = "SDAP Collateral Attestations"
CONSENT_DOMAIN = "SDAP SecuredAsset"
REGISTRY_DOMAIN = "SDAP Platform Registry"
FORWARDER_DOMAIN = "SDAP Holder Forwarder"
EXCHANGE_DOMAIN = "SDAP Exchange"
DOMAIN_VERSION = "1"

_DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]

ATTESTATION_FIELDS = [
    {"name": "asset", "type": "address"},
    {"name": "issuanceId", "type": "uint256"},
    {"name": "owner", "type": "address"},
    {"name": "collateralRef", "type": "bytes32"},
    {"name": "value", "type": "uint256"},
    {"name": "units", "type": "uint256"},
    {"name": "validUntil", "type": "uint64"},
    {"name": "nonce", "type": "uint256"},
    {"name": "supersedes", "type": "bytes32"},
]

ACKNOWLEDGEMENT_FIELDS = [
    {"name": "participant", "type": "address"},
    {"name": "version", "type": "uint32"},
    {"name": "contentHash", "type": "bytes32"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]

FORWARD_REQUEST_FIELDS = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "gas", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint48"},
    {"name": "data", "type": "bytes"},
]


@dataclass(frozen=True)
class SignedAttestation:
    """A verifier's attestation with its signature; `digest` is the id it will have on-chain."""

    attestation: CollateralAttestation
    signature: bytes
    digest: bytes


@dataclass(frozen=True)
class SignedAcknowledgement:
    """A participant's signed acknowledgement of a risk notice, ready for an operator to relay."""

    acknowledgement: RiskNoticeAcknowledgement
    signature: bytes
    digest: bytes


@dataclass(frozen=True)
class SignedConsent:
    """An issuer's signed consent to `params` run by `operator`, ready for that operator to submit
    (OperatorClient.create_issuance); `digest` is what the IssuerConsented event will record."""

    params: IssuanceParams
    operator: str
    consent: IssuerConsent
    digest: bytes


@dataclass(frozen=True)
class SignedForwardRequest:
    """A holder's signed forward request, ready for any relayer to submit to the forwarder."""

    request: ForwardRequest
    signature: bytes
    digest: bytes


def domain(name: str, chain_id: int, verifying_contract: str) -> dict[str, Any]:
    return {
        "name": name,
        "version": DOMAIN_VERSION,
        "chainId": check.uint(chain_id, "chain_id"),
        "verifyingContract": check.address(verifying_contract, "verifying_contract"),
    }


# --- Collateral attestation -----------------------------------------------------------------


def attestation_message(attestation: CollateralAttestation, *, chain_id: int, collateral: str) -> dict[str, Any]:
    """The typed data of `attestation` for the collateral contract at `collateral`."""
    a = normalise_attestation(attestation)
    return _message(
        domain(ATTESTATION_DOMAIN, chain_id, collateral),
        "Attestation",
        ATTESTATION_FIELDS,
        {
            "asset": a.asset,
            "issuanceId": a.issuance_id,
            "owner": a.owner,
            "collateralRef": a.collateral_ref,
            "value": a.value,
            "units": a.units,
            "validUntil": a.valid_until,
            "nonce": a.nonce,
            "supersedes": a.supersedes,
        },
    )


def attestation_digest(attestation: CollateralAttestation, *, chain_id: int, collateral: str) -> bytes:
    """What `CollateralAttestations.attestationDigest` returns, and the attestation's id."""
    return digest(attestation_message(attestation, chain_id=chain_id, collateral=collateral))


def sign_attestation(
    verifier: LocalAccount, attestation: CollateralAttestation, *, chain_id: int, collateral: str
) -> SignedAttestation:
    message = attestation_message(attestation, chain_id=chain_id, collateral=collateral)
    signature, signed_digest = _sign(verifier, message)
    return SignedAttestation(normalise_attestation(attestation), signature, signed_digest)


def normalise_attestation(a: CollateralAttestation) -> CollateralAttestation:
    """`a` with every field checked against its Solidity type and addresses checksummed."""
    return CollateralAttestation(
        asset=check.address(a.asset, "asset"),
        issuance_id=check.uint(a.issuance_id, "issuance_id"),
        owner=check.address(a.owner, "owner"),
        collateral_ref=check.hash32(a.collateral_ref, "collateral_ref"),
        value=check.uint(a.value, "value"),
        units=check.uint(a.units, "units"),
        valid_until=check.uint(a.valid_until, "valid_until", 64),
        nonce=check.uint(a.nonce, "nonce"),
        supersedes=check.hash32(a.supersedes, "supersedes"),
    )


# --- Risk-notice acknowledgement ------------------------------------------------------------


def acknowledgement_message(ack: RiskNoticeAcknowledgement, *, chain_id: int, registry: str) -> dict[str, Any]:
    """The typed data of `ack` for the registry at `registry`."""
    a = normalise_acknowledgement(ack)
    return _message(
        domain(REGISTRY_DOMAIN, chain_id, registry),
        "RiskNoticeAcknowledgement",
        ACKNOWLEDGEMENT_FIELDS,
        {
            "participant": a.participant,
            "version": a.version,
            "contentHash": a.content_hash,
            "nonce": a.nonce,
            "deadline": a.deadline,
        },
    )


def acknowledgement_digest(ack: RiskNoticeAcknowledgement, *, chain_id: int, registry: str) -> bytes:
    """What `PlatformRegistry.acknowledgementDigest` returns for the same fields."""
    return digest(acknowledgement_message(ack, chain_id=chain_id, registry=registry))


def sign_acknowledgement(
    participant: LocalAccount, ack: RiskNoticeAcknowledgement, *, chain_id: int, registry: str
) -> SignedAcknowledgement:
    message = acknowledgement_message(ack, chain_id=chain_id, registry=registry)
    signature, signed_digest = _sign(participant, message)
    return SignedAcknowledgement(normalise_acknowledgement(ack), signature, signed_digest)


def normalise_acknowledgement(ack: RiskNoticeAcknowledgement) -> RiskNoticeAcknowledgement:
    return RiskNoticeAcknowledgement(
        participant=check.address(ack.participant, "participant"),
        version=check.uint(ack.version, "version", 32),
        content_hash=check.hash32(ack.content_hash, "content_hash"),
        nonce=check.uint(ack.nonce, "nonce"),
        deadline=check.uint(ack.deadline, "deadline"),
    )


# --- Forward request ------------------------------------------------------------------------


def forward_request_message(request: ForwardRequest, *, chain_id: int, forwarder: str) -> dict[str, Any]:
    """The typed data of `request` for the forwarder at `forwarder` (OpenZeppelin's layout)."""
    r = normalise_forward_request(request)
    return _message(
        domain(FORWARDER_DOMAIN, chain_id, forwarder),
        "ForwardRequest",
        FORWARD_REQUEST_FIELDS,
        {
            "from": r.from_,
            "to": r.to,
            "value": r.value,
            "gas": r.gas,
            "nonce": r.nonce,
            "deadline": r.deadline,
            "data": r.data,
        },
    )


def forward_request_digest(request: ForwardRequest, *, chain_id: int, forwarder: str) -> bytes:
    return digest(forward_request_message(request, chain_id=chain_id, forwarder=forwarder))


def sign_forward_request(
    holder: LocalAccount, request: ForwardRequest, *, chain_id: int, forwarder: str
) -> SignedForwardRequest:
    message = forward_request_message(request, chain_id=chain_id, forwarder=forwarder)
    signature, signed_digest = _sign(holder, message)
    return SignedForwardRequest(normalise_forward_request(request), signature, signed_digest)


def normalise_forward_request(request: ForwardRequest) -> ForwardRequest:
    return ForwardRequest(
        from_=check.address(request.from_, "from_"),
        to=check.address(request.to, "to"),
        value=check.uint(request.value, "value"),
        gas=check.uint(request.gas, "gas"),
        nonce=check.uint(request.nonce, "nonce"),
        deadline=check.uint(request.deadline, "deadline", 48),
        data=check.data(request.data, "data"),
    )


# --- Issuer consent -------------------------------------------------------------------------

CONSENT_FIELDS = [
    {"name": "issuer", "type": "address"},
    {"name": "operator", "type": "address"},
    {"name": "assetType", "type": "uint32"},
    {"name": "decisionHash", "type": "bytes32"},
    {"name": "decisionUri", "type": "string"},
    {"name": "evidenceHash", "type": "bytes32"},
    {"name": "unitDescription", "type": "string"},
    {"name": "maxSupply", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint64"},
]


def consent_message(
    params: IssuanceParams, operator: str, nonce: int, deadline: int, *, chain_id: int, asset: str
) -> dict[str, Any]:
    """The typed data an issuer signs to consent to `params` run by `operator`, for the asset at `asset`."""
    p = normalise_params(params)
    return _message(
        domain(CONSENT_DOMAIN, chain_id, asset),
        "IssuanceConsent",
        CONSENT_FIELDS,
        {
            "issuer": p.issuer,
            "operator": check.address(operator, "operator"),
            "assetType": p.asset_type,
            "decisionHash": p.decision_hash,
            "decisionUri": p.decision_uri,
            "evidenceHash": p.evidence_hash,
            "unitDescription": p.unit_description,
            "maxSupply": p.max_supply,
            "nonce": check.uint(nonce, "nonce"),
            "deadline": check.uint(deadline, "deadline", 64),
        },
    )


def consent_digest(
    params: IssuanceParams, operator: str, nonce: int, deadline: int, *, chain_id: int, asset: str
) -> bytes:
    """What `SecuredAsset.consentDigest` returns."""
    return digest(consent_message(params, operator, nonce, deadline, chain_id=chain_id, asset=asset))


def sign_consent(
    issuer: LocalAccount,
    params: IssuanceParams,
    operator: str,
    nonce: int,
    deadline: int,
    *,
    chain_id: int,
    asset: str,
) -> SignedConsent:
    """The issuer's consent to `params` run by `operator`. `issuer` must be the key of `params.issuer`:
    the contract refuses any other signer (SecuredAssetConsentNotSignedError)."""
    p = normalise_params(params)
    if to_checksum_address(issuer.address) != p.issuer:
        raise InvalidArgument(f"the consent must be signed by the issuer {p.issuer}, not {issuer.address}")
    message = consent_message(p, operator, nonce, deadline, chain_id=chain_id, asset=asset)
    signature, signed = _sign(issuer, message)
    return SignedConsent(p, check.address(operator, "operator"), IssuerConsent(nonce, deadline, signature), signed)


def normalise_params(p: IssuanceParams) -> IssuanceParams:
    """`p` validated, with addresses checksummed and hashes as bytes (InvalidArgument otherwise)."""
    return IssuanceParams(
        issuer=check.address(p.issuer, "issuer"),
        asset_type=check.uint(p.asset_type, "asset_type", 32),
        decision_hash=check.hash32(p.decision_hash, "decision_hash"),
        decision_uri=check.text(p.decision_uri, "decision_uri"),
        evidence_hash=check.hash32(p.evidence_hash, "evidence_hash"),
        unit_description=check.text(p.unit_description, "unit_description"),
        max_supply=check.uint(p.max_supply, "max_supply"),
    )


# --- Exchange offer -------------------------------------------------------------------------

OFFER_FIELDS = [
    {"name": "maker", "type": "address"},
    {"name": "taker", "type": "address"},
    {"name": "giveToken", "type": "address"},
    {"name": "giveId", "type": "uint256"},
    {"name": "giveAmount", "type": "uint256"},
    {"name": "wantToken", "type": "address"},
    {"name": "wantId", "type": "uint256"},
    {"name": "wantAmount", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "expiry", "type": "uint64"},
]


def offer_typed_data(offer: Offer, *, chain_id: int, exchange: str) -> dict[str, Any]:
    """The typed data of `offer` for the exchange at `exchange`: the full EIP-712 message a
    browser wallet signs (`eth_signTypedData_v4`) and displays."""
    return _message(
        domain(EXCHANGE_DOMAIN, chain_id, exchange),
        "Offer",
        OFFER_FIELDS,
        {
            "maker": offer.maker,
            "taker": offer.taker,
            "giveToken": offer.give_token,
            "giveId": offer.give_id,
            "giveAmount": offer.give_amount,
            "wantToken": offer.want_token,
            "wantId": offer.want_id,
            "wantAmount": offer.want_amount,
            "nonce": offer.nonce,
            "expiry": offer.expiry,
        },
    )


def offer_digest(offer: Offer, *, chain_id: int, exchange: str) -> bytes:
    """What `SecuredExchange.offerHash(offer)` returns: the offer's id."""
    return digest(offer_typed_data(offer, chain_id=chain_id, exchange=exchange))


def require_offer_hash(signed: SignedOffer, *, chain_id: int, exchange: str) -> SignedOffer:
    """`signed`, refused (InvalidArgument) unless its recorded hash is its offer's digest on this
    exchange: an offer made for another exchange or chain, or whose terms were altered after it
    was recorded, is never shown under one hash and taken under other terms."""
    if offer_digest(signed.offer, chain_id=chain_id, exchange=exchange) != signed.offer_hash:
        raise InvalidArgument(
            f"the offer's hash does not match its terms on the exchange {exchange} of chain {chain_id}: "
            "it was made for another exchange or altered"
        )
    return signed


def sign_offer(maker: LocalAccount, offer: Offer, *, chain_id: int, exchange: str) -> SignedOffer:
    """The maker's signature over `offer`. `maker` must be the key of `offer.maker`: the exchange
    takes no other signer (ExchangeOfferNotSignedError)."""
    if to_checksum_address(maker.address) != offer.maker:
        raise InvalidArgument(f"the offer must be signed by its maker {offer.maker}, not {maker.address}")
    signature, signed = _sign(maker, offer_typed_data(offer, chain_id=chain_id, exchange=exchange))
    return SignedOffer(offer, signature, signed)


# --- Common ---------------------------------------------------------------------------------


def digest(message: dict[str, Any]) -> bytes:
    """The EIP-712 digest of a full typed-data message: what ECDSA signs and the contracts hash."""
    return _digest(encode_typed_data(full_message=message))


def recover_signer(message: dict[str, Any], signature: bytes) -> str:
    """The address that signed `message`, as `ECDSA.recover` would find it."""
    recovered = Account.recover_message(encode_typed_data(full_message=message), signature=signature)
    return to_checksum_address(recovered)


def _message(
    domain_data: dict[str, Any], primary: str, fields: list[dict[str, str]], values: dict[str, Any]
) -> dict[str, Any]:
    return {
        "types": {"EIP712Domain": _DOMAIN_FIELDS, primary: fields},
        "primaryType": primary,
        "domain": domain_data,
        "message": values,
    }


def _sign(account: LocalAccount, message: dict[str, Any]) -> tuple[bytes, bytes]:
    signable = encode_typed_data(full_message=message)
    signed = account.sign_message(signable)
    return bytes(signed.signature), _digest(signable)


def _digest(signable: SignableMessage) -> bytes:
    return keccak(b"\x19" + signable.version + signable.header + signable.body)
