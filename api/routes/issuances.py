"""Issuances: posted from a published decision, backed by verifiers' attestations, minted at the
issuer's request after the contract's own check, paused by their operator, the regulator or a
supervisor, and read by anyone, their collateral coverage included."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from api.deps import AnyRole, AttestationSubmitter, GatewayDep, Idem, IssuanceCreator, Issuer, PauseAuthority, Regulator
from api.errors import (
    CHAIN,
    WRITE,
    CollateralAlreadyPledged,
    CollateralNotCurrentPledge,
    CollateralSupersedesOtherIssuance,
    DecisionHashMismatch,
    DecisionUnavailable,
    DecisionUriNotAllowed,
    Forbidden,
    InvalidArgument,
    IssuanceNotFound,
    NotIssuanceIssuer,
    NotIssuanceOperator,
    SecuredAssetAlreadyIssuanceOperator,
    SecuredAssetConsentExpired,
    SecuredAssetConsentNonceInvalid,
    SecuredAssetConsentNotSigned,
    SecuredAssetEmptyBatch,
    SecuredAssetIssuanceClosed,
    SecuredAssetIssuerNotActive,
    SecuredAssetMissingRole,
    SecuredAssetPausedByRegulator,
    SecuredAssetPermitNotActive,
    Unauthenticated,
    problems,
)
from api.idempotency import blocking
from api.openapi import GatewayRoute
from api.pagination import PAGINATED, PageDep, after_id
from api.schemas.common import Address, IssuanceId, TxResult
from api.schemas.issuances import (
    Attestation,
    AttestationAttached,
    AttestationSubmission,
    ConsentRequest,
    ConsentTerms,
    ConsentWithdrawal,
    ConsentWithdrawn,
    Coverage,
    DecisionUriChange,
    DecisionUriChanged,
    HolderBalance,
    Issuance,
    IssuanceCreated,
    IssuanceCreation,
    IssuanceSuccession,
    IssuanceSummary,
    Minted,
    MintRequest,
    Succeeded,
)
from api.services.refusals import MINT_ERRORS

router = APIRouter(prefix="/issuances", tags=["issuances"], route_class=GatewayRoute)
AUTH = (Unauthenticated, Forbidden)


@router.get(
    "",
    response_model=list[IssuanceSummary],
    summary="Every issuance, by id, or those of one operator or issuer (paginated)",
    description=(
        "`operator` and `issuer` keep the issuances run by that operator now and of that issuer, found in "
        "the gateway's event index (IssuanceCreated, IssuanceSucceeded); each is read from the chain."
    ),
    responses={**PAGINATED, **problems(*CHAIN)},
)
def list_issuances(
    gateway: GatewayDep,
    page: PageDep,
    response: Response,
    operator: Annotated[Address | None, Query(description="Only the issuances this operator runs now.")] = None,
    issuer: Annotated[Address | None, Query(description="Only this issuer's issuances.")] = None,
) -> list[IssuanceSummary]:
    after = page.key(after_id) or 0
    summaries = gateway.issuances.summaries(operator=operator, issuer=issuer, after=after, limit=page.limit + 1)
    return page.answer(summaries, response, lambda s: str(s.id))


@router.get(
    "/{issuance_id}/holders",
    response_model=list[HolderBalance],
    summary="The issuance's holders and their balances, by address (paginated)",
    responses={**PAGINATED, **problems(IssuanceNotFound, *CHAIN)},
)
def list_holders(
    issuance_id: IssuanceId, gateway: GatewayDep, page: PageDep, response: Response
) -> list[HolderBalance]:
    after = page.key(str)
    holders = gateway.holders.of_issuance(issuance_id, after, page.limit + 1)
    return page.answer(holders, response, lambda h: h.holder)


@router.get(
    "/{issuance_id}/attestations",
    response_model=list[Attestation],
    summary="The attestations recorded for the issuance, in the order recorded (paginated)",
    responses={**PAGINATED, **problems(IssuanceNotFound, *CHAIN)},
)
def list_attestations(
    issuance_id: IssuanceId, gateway: GatewayDep, page: PageDep, response: Response
) -> list[Attestation]:
    start = page.key(after_id) or 0
    ids = gateway.chain.queries.attestations_of(issuance_id)[start : start + page.limit + 1]
    found = [gateway.issuances.attestation(i) for i in ids]
    return page.answer(found, response, lambda a: str(start + found.index(a) + 1))


@router.get(
    "/{issuance_id}",
    response_model=Issuance,
    summary="An issuance: decision, evidence and attestation hashes, supply, holders",
    responses=problems(IssuanceNotFound, *CHAIN),
)
def get_issuance(issuance_id: IssuanceId, gateway: GatewayDep) -> Issuance:
    return gateway.issuances.details(issuance_id)


@router.get(
    "/{issuance_id}/coverage",
    response_model=Coverage,
    summary="The issuance's collateral counted now: covered units against supply, and until when",
    responses=problems(IssuanceNotFound, *CHAIN),
)
def get_coverage(issuance_id: IssuanceId, gateway: GatewayDep) -> Coverage:
    return gateway.issuances.coverage(issuance_id)


@router.post(
    "",
    response_model=IssuanceCreated,
    status_code=201,
    summary="Post an issuance the issuer consented to, from its published decision (fetched and hashed first)",
    description=(
        "The body carries the terms and the issuer's EIP-712 consent to them run by this gateway's operator "
        "(Law art. 6.5; what to sign: `POST /v1/issuances/consent-message`). Checked before anything is "
        "fetched or sent, as the contract checks it: the consent has not expired "
        "(`secured_asset_consent_expired`), its nonce is the issuer's next one of its key "
        "(`secured_asset_consent_nonce_invalid`: used, withdrawn or ahead) and it is the issuer's signature "
        "over exactly these terms and this operator (`secured_asset_consent_not_signed`, 422). Then the "
        "decision is fetched and must hash to `decision_hash`. The contract's other refusals (issuer not "
        "active, type not listed, the operator's permit) are its own answers."
    ),
    responses=problems(
        *AUTH,
        NotIssuanceIssuer,
        SecuredAssetConsentExpired,
        SecuredAssetConsentNonceInvalid,
        SecuredAssetConsentNotSigned,
        DecisionUriNotAllowed,
        DecisionUnavailable,
        DecisionHashMismatch,
        *WRITE,
    ),
)
async def create_issuance(body: IssuanceCreation, caller: IssuanceCreator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 201, blocking(lambda op: gateway.issuances.create(caller, body, op)))


@router.post(
    "/consent-message",
    response_model=ConsentRequest,
    summary="What the issuer signs to consent to an issuance's terms run by this gateway's operator",
    description=(
        "Sends nothing: the EIP-712 typed data (`eth_signTypedData_v4`), its digest, the operator it names "
        "and the issuer's next consent nonce of `key`. The issuer's wallet signs `typed_data`; the creation "
        "carries `nonce`, `deadline` and the signature as `consent`. An issuer asks only for itself."
    ),
    responses=problems(*AUTH, NotIssuanceIssuer, InvalidArgument, *CHAIN),
)
def consent_message(body: ConsentTerms, caller: IssuanceCreator, gateway: GatewayDep) -> ConsentRequest:
    return gateway.issuances.consent_request(caller, body)


@router.post(
    "/consent-withdrawal",
    response_model=ConsentWithdrawn,
    summary="Take back a signed consent before it is used (the issuer): its nonce is spent",
    description=(
        "Sent with the issuer's own key (event IssuerConsentWithdrawn). The nonce must be the issuer's next "
        "unused one of its key (`secured_asset_consent_nonce_invalid` otherwise): a consent signed with it can "
        "no longer post an issuance."
    ),
    responses=problems(*AUTH, SecuredAssetConsentNonceInvalid, *WRITE),
)
async def withdraw_consent(body: ConsentWithdrawal, caller: Issuer, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller, 200, blocking(lambda op: gateway.issuances.consents.withdraw(caller.address, body.nonce, op))
    )


@router.post(
    "/succession",
    response_model=Succeeded,
    summary="Hand issuances to a successor operator (the regulator's order)",
    description=(
        "Sent with the regulator's own key. The successor needs the operator role and a permit in force; "
        "from then on it mints, pauses and closes the issuances, and its permit is the one their "
        "transfers need. `all_of` names every issuance an operator runs when the order is carried out "
        "(at most 1,000: more are named by `ids` in several orders); the answer lists the issuances the "
        "transaction moved, as its events name them."
    ),
    responses=problems(
        *AUTH,
        SecuredAssetMissingRole,
        SecuredAssetPermitNotActive,
        SecuredAssetEmptyBatch,
        IssuanceNotFound,
        SecuredAssetAlreadyIssuanceOperator,
        *WRITE,
    ),
)
async def succeed(body: IssuanceSuccession, caller: Regulator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 200, blocking(lambda op: gateway.issuances.succeed(caller, body, op)))


@router.post(
    "/{issuance_id}/decision-uri",
    response_model=DecisionUriChanged,
    summary="Move the decision's URI (the issuer; the document there must hash as anchored)",
    description=(
        "Sent with the issuer's own key. The anchored decision hash never changes: the gateway fetches "
        "the new URI first and refuses unless the sha256 of the document there is that hash, as when the "
        "issuance was posted. The decision watch checks the new URI from then on. An issuer suspended or "
        "removed from the state register moves no decision (`secured_asset_issuer_not_active`)."
    ),
    responses=problems(
        *AUTH,
        IssuanceNotFound,
        NotIssuanceIssuer,
        SecuredAssetIssuerNotActive,
        SecuredAssetIssuanceClosed,
        DecisionUriNotAllowed,
        DecisionUnavailable,
        DecisionHashMismatch,
        *WRITE,
    ),
)
async def update_decision_uri(
    issuance_id: IssuanceId, body: DecisionUriChange, caller: Issuer, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(
        caller, 200, blocking(lambda op: gateway.issuances.update_decision_uri(caller, issuance_id, body, op))
    )


@router.post(
    "/{issuance_id}/attestations",
    response_model=AttestationAttached,
    status_code=201,
    summary="Attach a verifier's signed collateral attestation (a renewal names the one it supersedes)",
    responses=problems(
        *AUTH,
        IssuanceNotFound,
        CollateralAlreadyPledged,
        CollateralNotCurrentPledge,
        CollateralSupersedesOtherIssuance,
        *WRITE,
    ),
)
async def attach_attestation(
    issuance_id: IssuanceId, body: AttestationSubmission, caller: AttestationSubmitter, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(caller, 201, blocking(lambda op: gateway.issuances.attach(issuance_id, body, op)))


@router.post(
    "/{issuance_id}/mint",
    response_model=Minted,
    status_code=201,
    summary="Mint units (the issuer of the issuance asks; the operator sends)",
    description=(
        "Checked before anything is sent, in order: the caller is the issuer of the issuance; this "
        "gateway's operator posted it; the operator's permit is active and not expired; the recipient "
        "is registered, unfrozen, identified and has acknowledged the notice in force; the cap and the "
        "verified collateral cover the new supply. The last checks are the contract's own `checkMint`, "
        "and the contract enforces all of them again on the transaction."
    ),
    responses=problems(*AUTH, NotIssuanceIssuer, NotIssuanceOperator, *MINT_ERRORS, *WRITE),
)
async def mint(issuance_id: IssuanceId, body: MintRequest, caller: Issuer, gateway: GatewayDep, idem: Idem) -> Response:
    # On the event loop: the platform's busiest write holds no worker thread while it waits.
    return await idem.respond(caller, 201, lambda op: gateway.issuances.mint(caller, issuance_id, body, op))


@router.post(
    "/{issuance_id}/coverage/sync",
    response_model=Coverage,
    summary="Have the chain record the collateral count now (event CoverageSynced)",
    description=(
        "Anyone signed in may ask; the call is permissionless on-chain and only records what the "
        "attestations say, so the gateway's operator sends it. The gateway's coverage watch does the "
        "same by itself when an attestation expires or a verifier's accreditation is withdrawn."
    ),
    responses=problems(*AUTH, IssuanceNotFound, *WRITE),
)
async def sync_coverage(issuance_id: IssuanceId, caller: AnyRole, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 200, blocking(lambda op: gateway.issuances.sync_coverage(issuance_id, op)))


@router.post(
    "/{issuance_id}/pause",
    response_model=TxResult,
    summary="Stop every movement of the issuance's units (its operator, the regulator or a supervisor)",
    description=(
        "Sent with the caller's own key. A supervisor pauses with the regulator's authority, at once (on a "
        "governed deployment too, where the regulator pauses through its council: `regulator_governed`): "
        "no operator lifts the regulator's or a supervisor's pause, and either may take over an operator's. "
        "An operator needs an active permit."
    ),
    responses=problems(*AUTH, IssuanceNotFound, *WRITE),
)
async def pause(issuance_id: IssuanceId, caller: PauseAuthority, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 200, blocking(lambda op: gateway.issuances.pause(caller, issuance_id, op)))


@router.post(
    "/{issuance_id}/unpause",
    response_model=TxResult,
    summary="Lift a pause (the regulator's: the regulator only; a supervisor's: a supervisor or the regulator)",
    responses=problems(*AUTH, IssuanceNotFound, SecuredAssetPausedByRegulator, *WRITE),
)
async def unpause(issuance_id: IssuanceId, caller: PauseAuthority, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 200, blocking(lambda op: gateway.issuances.unpause(caller, issuance_id, op)))
