"""The gateway's domain errors and their RFC 9457 problem documents.

Each error is a class with a stable machine-readable `code`, an HTTP status and a title; one
handler (api.handlers) renders any of them as `application/problem+json`. Routes name the errors
they can return (`responses=problems(...)`), so the OpenAPI document lists every code.

A refusal by a contract that no early check explained is rendered from the decoded custom error:
its code is the error's name in snake case (`SecuredAsset_IssuancePaused` ->
`secured_asset_issuance_paused`) and its arguments are in `arguments`. Each custom error has a
class of its own (`ContractRefusal` subclasses in api/contract_problems.py, generated from the
ABIs by scripts/build_artifacts.py), so the catalogue lists every code and routes name those they
may answer; ADVICE says what a client does about some of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """An RFC 9457 problem document. `code` is stable: clients branch on it, never on `detail`."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI of the problem type: `urn:sdap:problem:<code>`.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str = Field(description="Stable machine-readable code.")


class ApiError(Exception):
    """Base of every error the gateway answers with. Extensions become members of the problem."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.extensions = extensions
        #: Response headers the problem carries (`Retry-After`, `Allow`).
        self.headers: dict[str, str] = {}

    def with_headers(self, **headers: str) -> ApiError:
        """This problem, answered with `headers` (underscores in names become dashes)."""
        self.headers.update({name.replace("_", "-"): value for name, value in headers.items()})
        return self

    @property
    def problem_code(self) -> str:
        return self.code

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        code = self.problem_code
        body: dict[str, Any] = {
            "type": f"urn:sdap:problem:{code}",
            "title": self.title,
            "status": self.status,
            "code": code,
        }
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        body.update(self.extensions)
        return body


# --- request, authentication, authorisation -------------------------------------------------


class Unauthenticated(ApiError):
    """No credentials, or credentials the gateway does not know (or that expired or were revoked)."""

    status, code, title = 401, "unauthenticated", "Authentication required"


class AmbiguousCredentials(ApiError):
    """Both an `X-API-Key` header (even an empty one) and an `Authorization` header: the gateway
    does not guess which caller is meant."""

    status, code, title = 401, "ambiguous_credentials", "Send one kind of credentials"


class SignInFailed(ApiError):
    """A Sign-In with Ethereum message that is malformed, stale, for another domain or chain, or
    whose signature is not its address's."""

    status, code, title = 401, "sign_in_failed", "Sign-in refused"


class Forbidden(ApiError):
    """Authenticated, but this role may not use this endpoint."""

    status, code, title = 403, "forbidden", "Not allowed for this role"


class NotOwnAccount(ApiError):
    """A holder tried to act for, or read, another wallet than the one it signed in with."""

    status, code, title = 403, "not_own_account", "Holders act only for themselves"


class RegulatorGoverned(ApiError):
    """The regulator of this deployment is governed: REGULATOR_ROLE is held by its timelock, which
    acts only on what the regulator's council agreed and only after a public delay, so no key of
    the regulator sends these acts and the gateway sends none. Propose the act with the `sdap`
    command line's `--propose FILE` (e.g. `sdap permit grant ... --propose grant.json`); the
    council's members sign it, each with its own key (`sdap proposal sign FILE`), until the
    threshold; anyone schedules it (`sdap proposal schedule FILE`) and, once the delay has passed,
    executes it (`sdap proposal execute FILE`). Reads are unchanged; a supervisor's key pauses
    and unpauses issuances at once."""

    status, code, title = 409, "regulator_governed", "The regulator acts through its council and timelock"


class ValidationFailed(ApiError):
    status, code, title = 422, "validation_failed", "The request is not valid"


class MalformedBody(ApiError):
    """The body cannot be read as the JSON the route takes (not UTF-8, not JSON at all)."""

    status, code, title = 400, "malformed_body", "The body cannot be read"


class BodyTooLarge(ApiError):
    """The body is longer than this route takes (`limit` bytes): it was refused while it arrived,
    before any of it was parsed."""

    status, code, title = 413, "body_too_large", "The request body is too large"


class RateLimited(ApiError):
    """Too many requests from this API key, wallet or (for sign-in) client address: retry after
    `Retry-After` seconds."""

    status, code, title = 429, "rate_limited", "Too many requests"


class GasBudgetExceeded(ApiError):
    """The holder's relayed actions, which the operator pays for, used up their gas budget for now
    (`SDAP_RELAY_GAS_BUDGET` per `SDAP_RELAY_GAS_WINDOW` seconds): retry after `Retry-After` seconds."""

    status, code, title = 429, "gas_budget_exceeded", "The holder's relay gas budget is used up"


class ForwardRequestUsed(ApiError):
    """The signed forward request's nonce was already used: the request (or another the holder
    signed with that nonce) was executed. Nothing was sent; ask for a new request to sign."""

    status, code, title = 409, "forward_request_used", "This signed request was already executed"


class ForwardRequestNonceAhead(ApiError):
    """The signed forward request's nonce is past the holder's next one (`expected`): an earlier
    request of the holder has not been executed. Send that one first, or ask for a new request."""

    status, code, title = 409, "forward_request_nonce_ahead", "This signed request is not the holder's next"


class ForwardRequestGasTooLow(ApiError):
    """The signed forward request grants its call less gas (`gas`) than the call needs (about
    `needed`): the forwarder would fail it. Nothing was sent nor counted against the gas budget;
    sign the request the `*-request` route gives (its `gas` is estimated)."""

    status, code, title = 422, "forward_request_gas_too_low", "The signed request grants too little gas"


class InvalidArgument(ApiError):
    """A value has the wrong form for the chain (an address, a 32-byte hash, an integer range)."""

    status, code, title = 422, "invalid_argument", "Invalid argument"


class InvalidSignature(ApiError):
    """A signed message (acknowledgement, forward request) was not signed by the caller's wallet."""

    status, code, title = 422, "invalid_signature", "The signature is not the caller's"


class RouteNotFound(ApiError):
    status, code, title = 404, "not_found", "No such resource"


class MethodNotAllowed(ApiError):
    status, code, title = 405, "method_not_allowed", "Method not allowed"


class InvalidIdempotencyKey(ApiError):
    status, code, title = 400, "invalid_idempotency_key", "Invalid Idempotency-Key"


class IdempotencyKeyReused(ApiError):
    """The Idempotency-Key was already used for a different request (method, path or body)."""

    status, code, title = 422, "idempotency_key_reused", "Idempotency-Key reused with another request"


class IdempotencyInProgress(ApiError):
    """A request with the same Idempotency-Key is still being processed; retry later."""

    status, code, title = 409, "idempotency_in_progress", "A request with this Idempotency-Key is in progress"


# --- the platform ---------------------------------------------------------------------------


class IssuanceNotFound(ApiError):
    status, code, title = 404, "issuance_not_found", "No such issuance"


class AttestationNotFound(ApiError):
    status, code, title = 404, "attestation_not_found", "No such attestation was attached"


class RedemptionNotFound(ApiError):
    status, code, title = 404, "redemption_not_found", "No such redemption request"


class OfferNotFound(ApiError):
    """No offer with this hash was published through this gateway (the chain keeps no offers: a
    maker publishes its signed offer with POST /v1/offers)."""

    status, code, title = 404, "offer_not_found", "No such offer was published here"


class OfferAlreadyPublished(ApiError):
    """This very offer (the same EIP-712 hash) is already in the gateway's records: GET
    /v1/offers/{offer_hash} shows it."""

    status, code, title = 409, "offer_already_published", "The offer is already published"


class OfferBeingTaken(ApiError):
    """Another take of this offer is being relayed right now: nothing was sent for this one. GET
    /v1/offers/{offer_hash} says a moment later whether the offer is still open."""

    status, code, title = 409, "offer_being_taken", "The offer is being taken by another request"


class OfferExpiryTooFar(ApiError):
    """An offer's expiry is at most `longest` seconds of chain time ahead (`latest`, when asked):
    an offer stays in the public book until then."""

    status, code, title = 422, "offer_expiry_too_far", "The offer's expiry is too far ahead"


class TooManyOpenOffers(ApiError):
    """The maker already keeps `limit` offers open (`SDAP_MAX_OPEN_OFFERS_PER_MAKER`): one is taken,
    cancelled or expires before another is published."""

    status, code, title = 409, "too_many_open_offers", "The maker keeps as many open offers as allowed"


class PaymentNotAvailable(ApiError):
    """The payer of an offer's payment leg (a listed electronic-money token) lacks the balance, or
    has not approved the exchange for the amount (`approve(exchange, amount)` on the token, from its
    own wallet): the take would fail in the token's transfer."""

    status, code, title = 409, "payment_not_available", "The payment token's balance or allowance is short"


class EscrowNotFound(ApiError):
    status, code, title = 404, "escrow_not_found", "No such escrow"


class NoNoticeInForce(ApiError):
    status, code, title = 404, "no_notice_in_force", "No risk notice has been published"


class NotIssuanceIssuer(ApiError):
    """Only the issuer of an issuance may ask for its units to be minted."""

    status, code, title = 403, "not_issuance_issuer", "The caller is not the issuer of this issuance"


class NotIssuanceOperator(ApiError):
    """The issuance was posted by another operator: only that operator may mint it (on-chain rule)."""

    status, code, title = 409, "not_issuance_operator", "This gateway's operator did not post this issuance"


class DecisionUriNotAllowed(ApiError):
    """The decision URI is not an http(s) URL on a public address."""

    status, code, title = 422, "decision_uri_not_allowed", "The decision URI cannot be fetched by the gateway"


class DecisionUnavailable(ApiError):
    status, code, title = 422, "decision_unavailable", "The decision to issue could not be fetched"


class DecisionHashMismatch(ApiError):
    """The document published at the decision URI does not hash to the hash given (Law art. 7)."""

    status, code, title = 422, "decision_hash_mismatch", "The published decision does not match its hash"


class ContractRefusal(ApiError):
    """A contract refused the transaction (decoded custom error; see the module docstring)."""

    status, code, title = 409, "chain_refused", "The platform's contracts refused the request"
    #: The custom error a subclass stands for; its `code` is that name in snake case.
    error: ClassVar[str] = ""

    def __init__(self, error_name: str, detail: str, arguments: dict[str, Any]) -> None:
        super().__init__(detail, error=error_name, arguments=arguments)
        self._code = snake_case(error_name)

    @property
    def problem_code(self) -> str:
        return self._code

    @classmethod
    def of(cls, error_name: str) -> type[ContractRefusal]:
        """The class answering the custom error `error_name`: its own, or this generic one."""
        return BY_ERROR.get(error_name, cls)


# --- contract refusals: one class per custom error, generated (api/contract_problems.py) -----

#: What a client does about some refusals of the contracts, shown with their codes at /v1/problems.
ADVICE: dict[str, str] = {
    "Collateral_AlreadyPledged": "The collateral (its owner and `collateral_ref`) already backs a live attestation, "
    "named in `arguments.live_attestation_id`: a collateral backs one at a time on the whole platform. A renewal "
    "names the live one in `supersedes`.",
    "Collateral_NotCurrentPledge": "The attestation named in `supersedes` is not the collateral's live pledge "
    "(`arguments.current`).",
    "Collateral_SupersedesOtherIssuance": "A renewal replaces an attestation of the same asset and issuance only.",
    "Registry_PermitNotActive": "The operator holds OPERATOR_ROLE but no permit in force (`arguments.state`): it "
    "may not register or re-identify participants nor relay acknowledgements.",
    "Registry_NotParticipantOperator": "Only the operator that identified the participant (`arguments.operator`), "
    "or the regulator, updates its identification or recovers its wallet.",
    "Registry_InvalidReplacement": "A participant's new wallet must be new to the register: not zero, not the lost "
    "wallet, never registered and not itself lost.",
    "Registry_RecoveryNeedsFreeze": "An operator recovers a participant's wallet only once a compliance officer "
    "has frozen the lost wallet's account (POST /v1/participants/{wallet}/freeze): two hands, not one operator "
    "key. The replacement inherits the freeze until compliance lifts it. The regulator's order needs no freeze.",
    "Exchange_InvalidLegs": "An offer gives and wants a positive amount; at least one side is units of the asset, the "
    "other units of another issuance or a payment token the regulator listed (id 0).",
    "Exchange_PaymentTokenNotListed": "The regulator has not listed this token for payment legs "
    "(`arguments.token`); GET /v1/payment-tokens lists those it did.",
    "Exchange_OfferExpired": "The offer could be taken until `arguments.expiry` (chain time): the maker signs a new "
    "one.",
    "Exchange_NonceUsed": "The maker's nonce of this offer is spent: the offer was taken or cancelled (GET "
    "/v1/offers/{offer_hash} says which), or another offer of the same nonce was taken.",
    "Exchange_TakerNotAllowed": "The offer names another taker, or the taker is its maker (`arguments.taker`).",
    "Exchange_OfferNotSigned": "The signature is not the maker's EIP-712 signature over exactly these terms, this "
    "chain and this exchange (or it is malleable): the maker signs what GET /v1/offers/typed-data gives.",
    "Exchange_MissingRole": "The account (`arguments.account`) does not hold the role (`arguments.role`): a settlement "
    "agent is one the regulator granted SETTLEMENT_AGENT_ROLE, and one whose role was withdrawn confirms nothing.",
    "Exchange_NotEscrowAgent": "Only the agent the escrow names confirms its payment (`arguments.account` is not it).",
    "Exchange_EscrowExpired": "The escrow's deadline (`arguments.deadline`) has passed: it can only lapse now "
    "(POST /v1/escrows/{escrow_id}/lapse), the units back to the seller.",
    "Exchange_EscrowNotExpired": "The escrow may still be confirmed until `arguments.deadline`: it lapses only after.",
    "Exchange_EscrowNotOpen": "The escrow (`arguments.escrow_id`) was already settled or lapsed (GET "
    "/v1/escrows/{escrow_id} says which).",
    "SecuredAsset_ConsentExpired": "The issuer's consent was usable until `arguments.deadline`: the issuer signs a "
    "new one (POST /v1/issuances/consent-message).",
    "SecuredAsset_ConsentNonceInvalid": "The consent's nonce is not the issuer's next unused one of its key "
    "(`arguments.expected`): it was used by another issuance, withdrawn by the issuer, or is ahead. The issuer "
    "signs again with the expected nonce.",
    "SecuredAsset_ConsentNotSigned": "The consent is not the issuer's EIP-712 signature over exactly these terms, "
    "this gateway's operator, chain and asset contract (or the signature is malleable or malformed): the issuer "
    "signs what POST /v1/issuances/consent-message returns for the same terms.",
    "SecuredAsset_IssuerNotActive": "The issuer is suspended or removed from the state register "
    "(`arguments.issuer`): its key no longer moves the issuance's decision URI.",
    "SecuredAsset_NotRedemptionParty": "Only the issuer of the issuance confirms or refuses a redemption request; "
    "the regulator may refuse one by order (`arguments.account` is neither).",
    "SecuredAsset_RedemptionNotRequested": "The redemption request (`arguments.request_id`) is no longer pending: "
    "it was confirmed or refused (GET /v1/redemptions/{id} says which).",
    "SecuredAsset_WalletNotRecovered": "The registry records no recovery of this wallet: the regulator or its "
    "operator records one first (POST /v1/participants/{wallet}/recovery).",
    "SecuredAsset_PausedByRegulator": "The regulator paused the issuance, or a supervisor did with its authority: "
    "no operator lifts that pause. The regulator's own only the regulator lifts, a supervisor's a supervisor too.",
    "SecuredAsset_Undercollateralised": "Live collateral (`arguments.covered`) no longer covers the supply "
    "(`arguments.supply`): units move only back to the issuer, by redemption or by regulator order "
    "(Law art. 5.2, 6.8).",
}


def description(error: type[ApiError]) -> str | None:
    """What the catalogue says of an error: its advice if it is a contract's, else its docstring."""
    advice = ADVICE.get(getattr(error, "error", ""))
    return advice or (error.__doc__ or "").strip() or None


# --- the gateway's own state ----------------------------------------------------------------


class SignerUnavailable(ApiError):
    """The gateway holds no key for the on-chain identity this request must be signed by."""

    status, code, title = 503, "signer_unavailable", "No key for the signing account"


class ChainUnavailable(ApiError):
    status, code, title = 503, "chain_unavailable", "The platform's node cannot be reached"


class NotReady(ApiError):
    status, code, title = 503, "not_ready", "The gateway is not ready"


class TransactionPending(ApiError):
    """The transaction was sent but not yet included; retry with the same Idempotency-Key to get
    its result once it is (nothing is sent twice)."""

    status, code, title = 504, "transaction_pending", "The transaction is not included yet"


class InternalError(ApiError):
    status, code, title = 500, "internal_error", "Internal error"


# --- refusals of a movement, one per reason the contract's check views report ---------------


class IssuanceClosed(ApiError):
    status, code, title = 409, "issuance_closed", "The issuance is closed"


class IssuancePaused(ApiError):
    status, code, title = 409, "issuance_paused", "The issuance is paused"


class PermitNotActive(ApiError):
    """The operator has no permit in force (none was granted)."""

    status, code, title = 409, "permit_not_active", "The operator's permit is not active"


class PermitNotYetValid(ApiError):
    status, code, title = 409, "permit_not_yet_valid", "The operator's permit is not yet valid"


class PermitExpired(ApiError):
    status, code, title = 409, "permit_expired", "The operator's permit has expired"


class PermitSuspended(ApiError):
    status, code, title = 409, "permit_suspended", "The operator's permit is suspended"


class PermitRevoked(ApiError):
    status, code, title = 409, "permit_revoked", "The operator's permit is revoked"


class IssuerNotActive(ApiError):
    status, code, title = 409, "issuer_not_active", "The issuer is not active in the state register"


class AssetTypeNotListed(ApiError):
    status, code, title = 409, "asset_type_not_listed", "The asset type is not listed"


class SenderNotRegistered(ApiError):
    status, code, title = 409, "sender_not_registered", "The sender is not a registered participant"


class SenderFrozen(ApiError):
    status, code, title = 409, "sender_frozen", "The sender's account is frozen"


class SenderIdentityExpired(ApiError):
    status, code, title = 409, "sender_identity_expired", "The sender's identification has expired"


class SpenderNotEligible(ApiError):
    status, code, title = 409, "spender_not_eligible", "The approved operator moving the units may not act"


class RecipientNotRegistered(ApiError):
    status, code, title = 409, "recipient_not_registered", "The recipient is not a registered participant"


class RecipientFrozen(ApiError):
    status, code, title = 409, "recipient_frozen", "The recipient's account is frozen"


class RecipientIdentityExpired(ApiError):
    status, code, title = 409, "recipient_identity_expired", "The recipient's identification has expired"


class SenderNoticeNotAcknowledged(ApiError):
    """The sender has not acknowledged the risk notice in force: dealing needs it too (Law art. 6.4)."""

    status, code, title = 409, "sender_notice_not_acknowledged", "The sender has not acknowledged the risk notice"


class RecipientNoticeNotAcknowledged(ApiError):
    """The recipient has not acknowledged the risk notice in force (Law art. 6.4)."""

    status, code, title = 409, "recipient_notice_not_acknowledged", "The recipient has not acknowledged the risk notice"


class InsufficientBalance(ApiError):
    status, code, title = 409, "insufficient_balance", "The sender does not hold enough units"


class UnitsRestricted(ApiError):
    """The units are encumbered or frozen."""

    status, code, title = 409, "units_restricted", "The units are encumbered or frozen"


class MaxSupplyExceeded(ApiError):
    status, code, title = 409, "max_supply_exceeded", "The mint would exceed the issuance's maximum supply"


class CollateralInsufficient(ApiError):
    """Verified collateral (Law art. 6.8) does not cover the supply after the mint."""

    status, code, title = 409, "collateral_insufficient", "Verified collateral does not cover the new supply"


class Undercollateralised(ApiError):
    """Live collateral no longer covers the issuance's supply (Law art. 5.2, 6.8): its units move
    only back to the issuer until a new attestation or a redemption restores the coverage."""

    status, code, title = 409, "undercollateralised", "The issuance is under-collateralised"


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name: str) -> str:
    """`SecuredAsset_IssuancePaused` -> `secured_asset_issuance_paused`."""
    return "_".join(_CAMEL.sub("_", part).lower() for part in name.split("_") if part)


def all_errors() -> list[type[ApiError]]:
    """Every error class the gateway defines, for the problem catalogue: one per code (a
    contract's error whose code is also one of the gateway's own, as the forwarder's
    `InsufficientBalance`, is listed under the gateway's)."""
    found: dict[str, type[ApiError]] = {}
    pending: list[type[ApiError]] = [ApiError]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.code not in found or issubclass(found[sub.code], ContractRefusal):
                found[sub.code] = sub
    return sorted(found.values(), key=lambda c: (c.status, c.code))


#: What every route may answer besides its own errors.
COMMON: tuple[type[ApiError], ...] = (ValidationFailed, InternalError)
#: What every route that reads or writes the chain may answer.
CHAIN: tuple[type[ApiError], ...] = (ChainUnavailable,)
#: What every route that sends a transaction may answer.
WRITE: tuple[type[ApiError], ...] = (
    InvalidIdempotencyKey,
    IdempotencyKeyReused,
    IdempotencyInProgress,
    InvalidArgument,
    ContractRefusal,
    SignerUnavailable,
    ChainUnavailable,
    TransactionPending,
)

#: What every route relaying a holder's signed forward request may answer besides WRITE.
RELAY: tuple[type[ApiError], ...] = (
    InvalidSignature,
    ForwardRequestUsed,
    ForwardRequestNonceAhead,
    ForwardRequestGasTooLow,
    GasBudgetExceeded,
)


#: Headers some statuses always carry, as the OpenAPI document states them.
_STATUS_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "The schemes the gateway takes.", "schema": {"type": "string"}}},
    405: {"Allow": {"description": "The methods the path takes.", "schema": {"type": "string"}}},
    429: {
        "Retry-After": {
            "description": "Seconds until a retry may pass.",
            "required": True,
            "schema": {"type": "integer"},
        }
    },
}
#: The OpenAPI extension listing the codes a response may carry (read back by api.openapi).
CODES_KEY = "x-problem-codes"


def problems(*errors: type[ApiError]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: one entry per status, listing the codes it may carry."""
    by_status: dict[int, list[type[ApiError]]] = defaultdict(list)
    for error in (*errors, *COMMON):
        if error not in by_status[error.status]:
            by_status[error.status].append(error)
    out: dict[int | str, dict[str, Any]] = {}
    for status, members in sorted(by_status.items()):
        codes = ", ".join(f"`{e.code}`" for e in members)
        if ContractRefusal in members or any(issubclass(e, ContractRefusal) for e in members):
            codes += " (and the snake-case name of any contract custom error)"
        out[status] = {
            "description": f"Problem: {codes}",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            CODES_KEY: [e.code for e in members],
        }
        if status in _STATUS_HEADERS:
            out[status]["headers"] = _STATUS_HEADERS[status]
    return out


def by_code() -> dict[str, type[ApiError]]:
    """Every error class by its code."""
    return {e.code: e for e in all_errors()}


def problem_response(error: ApiError, instance: str | None = None) -> JSONResponse:
    """The problem+json response of `error` (the one shape every error is answered in)."""
    headers = dict(error.headers)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="sdap", ApiKey realm="sdap"'
    return JSONResponse(error.problem(instance), status_code=error.status, media_type=PROBLEM_JSON, headers=headers)


# The generated classes subclass ContractRefusal above; routes name them from here.
from api.contract_problems import (  # noqa: E402
    BY_ERROR,
    CollateralAlreadyPledged,
    CollateralNotCurrentPledge,
    CollateralSupersedesOtherIssuance,
    RegistryIdentityExpiryInPast,
    RegistryInvalidOperatorDetails,
    RegistryInvalidReplacement,
    RegistryNotParticipantOperator,
    RegistryParticipantNotRegistered,
    RegistryPermitNotActive,
    RegistryRecoveryNeedsFreeze,
    RegistryZeroAddress,
    SecuredAssetAlreadyIssuanceOperator,
    SecuredAssetConsentExpired,
    SecuredAssetConsentNonceInvalid,
    SecuredAssetConsentNotSigned,
    SecuredAssetEmptyBatch,
    SecuredAssetIssuanceClosed,
    SecuredAssetIssuerNotActive,
    SecuredAssetMissingRole,
    SecuredAssetNotRedemptionParty,
    SecuredAssetPausedByRegulator,
    SecuredAssetPermitNotActive,
    SecuredAssetRedemptionNotRequested,
    SecuredAssetUndercollateralised,
    SecuredAssetWalletNotRecovered,
)

__all__ = [
    "BY_ERROR",
    "CollateralAlreadyPledged",
    "CollateralNotCurrentPledge",
    "CollateralSupersedesOtherIssuance",
    "RegistryIdentityExpiryInPast",
    "RegistryInvalidOperatorDetails",
    "RegistryInvalidReplacement",
    "RegistryNotParticipantOperator",
    "RegistryParticipantNotRegistered",
    "RegistryPermitNotActive",
    "RegistryRecoveryNeedsFreeze",
    "RegistryZeroAddress",
    "SecuredAssetAlreadyIssuanceOperator",
    "SecuredAssetConsentExpired",
    "SecuredAssetConsentNonceInvalid",
    "SecuredAssetConsentNotSigned",
    "SecuredAssetEmptyBatch",
    "SecuredAssetIssuanceClosed",
    "SecuredAssetIssuerNotActive",
    "SecuredAssetMissingRole",
    "SecuredAssetNotRedemptionParty",
    "SecuredAssetPausedByRegulator",
    "SecuredAssetPermitNotActive",
    "SecuredAssetRedemptionNotRequested",
    "SecuredAssetUndercollateralised",
    "SecuredAssetWalletNotRecovered",
]
