"""The contract's own verdict on a movement (`checkMint`, `checkTransfer`, `checkRedemption`) as the
gateway's problem codes: one code per reason, so the early refusal says exactly what the chain would."""

from __future__ import annotations

from typing import NoReturn

from api import errors
from api.errors import ApiError
from sdap.clients import PlatformQueries
from sdap.types import PermitState, Refusal

REFUSALS: dict[Refusal, type[ApiError]] = {
    Refusal.ISSUANCE_UNKNOWN: errors.IssuanceNotFound,
    Refusal.ISSUANCE_CLOSED: errors.IssuanceClosed,
    Refusal.ISSUANCE_PAUSED: errors.IssuancePaused,
    Refusal.PERMIT_NOT_ACTIVE: errors.PermitNotActive,
    Refusal.ISSUER_NOT_ACTIVE: errors.IssuerNotActive,
    Refusal.ASSET_TYPE_NOT_LISTED: errors.AssetTypeNotListed,
    Refusal.SENDER_NOT_REGISTERED: errors.SenderNotRegistered,
    Refusal.SENDER_FROZEN: errors.SenderFrozen,
    Refusal.SENDER_IDENTITY_EXPIRED: errors.SenderIdentityExpired,
    Refusal.RECIPIENT_NOT_REGISTERED: errors.RecipientNotRegistered,
    Refusal.RECIPIENT_FROZEN: errors.RecipientFrozen,
    Refusal.RECIPIENT_IDENTITY_EXPIRED: errors.RecipientIdentityExpired,
    Refusal.RECIPIENT_NOTICE_NOT_ACKNOWLEDGED: errors.RecipientNoticeNotAcknowledged,
    Refusal.INSUFFICIENT_BALANCE: errors.InsufficientBalance,
    Refusal.UNITS_RESTRICTED: errors.UnitsRestricted,
    Refusal.MAX_SUPPLY_EXCEEDED: errors.MaxSupplyExceeded,
    Refusal.COLLATERAL_INSUFFICIENT: errors.CollateralInsufficient,
    Refusal.SPENDER_NOT_ELIGIBLE: errors.SpenderNotEligible,
    Refusal.SENDER_NOTICE_NOT_ACKNOWLEDGED: errors.SenderNoticeNotAcknowledged,
    Refusal.UNDERCOLLATERALISED: errors.Undercollateralised,
}

#: Why a permit is not active, refined from the registry's `permitState`.
PERMIT_STATES: dict[PermitState, type[ApiError]] = {
    PermitState.NONE: errors.PermitNotActive,
    PermitState.NOT_YET_VALID: errors.PermitNotYetValid,
    PermitState.EXPIRED: errors.PermitExpired,
    PermitState.SUSPENDED: errors.PermitSuspended,
    PermitState.REVOKED: errors.PermitRevoked,
}

#: Every code a mint or transfer refusal can carry, for the routes' `responses=`.
MINT_ERRORS: tuple[type[ApiError], ...] = tuple(
    dict.fromkeys(
        [
            errors.IssuanceNotFound,
            errors.IssuanceClosed,
            errors.IssuancePaused,
            *PERMIT_STATES.values(),
            errors.IssuerNotActive,
            errors.AssetTypeNotListed,
            errors.RecipientNotRegistered,
            errors.RecipientFrozen,
            errors.RecipientIdentityExpired,
            errors.RecipientNoticeNotAcknowledged,
            errors.MaxSupplyExceeded,
            errors.CollateralInsufficient,
        ]
    )
)
TRANSFER_ERRORS: tuple[type[ApiError], ...] = tuple(
    dict.fromkeys(
        [
            errors.IssuanceNotFound,
            errors.IssuanceClosed,
            errors.IssuancePaused,
            *PERMIT_STATES.values(),
            errors.SenderNotRegistered,
            errors.SenderFrozen,
            errors.SenderIdentityExpired,
            errors.SenderNoticeNotAcknowledged,
            errors.RecipientNotRegistered,
            errors.RecipientFrozen,
            errors.RecipientIdentityExpired,
            errors.RecipientNoticeNotAcknowledged,
            errors.Undercollateralised,
            errors.InsufficientBalance,
            errors.UnitsRestricted,
        ]
    )
)

#: Every code a holder's redemption request may be refused with early (`checkRedemption`): the
#: holder's dealing rules, not the operator's permit, the coverage or a recipient's.
REDEMPTION_ERRORS: tuple[type[ApiError], ...] = (
    errors.IssuanceNotFound,
    errors.IssuanceClosed,
    errors.IssuancePaused,
    errors.SenderNotRegistered,
    errors.SenderFrozen,
    errors.SenderIdentityExpired,
    errors.SenderNoticeNotAcknowledged,
    errors.InsufficientBalance,
    errors.UnitsRestricted,
)


def refuse(refusal: Refusal, queries: PlatformQueries, operator: str, issuance_id: int, **context: object) -> NoReturn:
    """Raises the problem for `refusal` (never NONE) of a movement of `issuance_id`'s units. A
    permit refusal says which state the permit is in; an under-collateralised issuance, how much
    of its supply live collateral covers."""
    error = REFUSALS[refusal]
    detail = None
    if refusal is Refusal.PERMIT_NOT_ACTIVE:
        state = queries.permit_state(operator)
        error = PERMIT_STATES.get(state, errors.PermitNotActive)
        detail = f"the permit of operator {operator} is {state.name.lower().replace('_', ' ')}"
        context = {**context, "operator": operator, "permit_state": state.name.lower()}
    elif refusal is Refusal.UNDERCOLLATERALISED:
        coverage = queries.coverage(issuance_id)
        detail = f"live collateral covers {coverage.covered} of the {coverage.supply} units of issuance {issuance_id}"
        context = {**context, "covered": coverage.covered, "supply": coverage.supply}
    raise error(detail, refusal=refusal.name.lower(), issuance_id=issuance_id, **context)
