"""Every custom error of the platform's contracts, triggered on a real chain through the SDK, arrives
as its own exception class with its decoded arguments, before anything is sent.

The chain is set up once (tests/sdk/world.py) and rewound to that state before each case, so the
sixty-odd cases cost one or two transactions each.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from emoney import EMoney
from eth_abi import encode as abi_encode
from world import YEAR, States, World, advance, chain_time, h

from sdap import InvalidArgument
from sdap import contract_errors as errors
from sdap.artifacts import interface_abi, load_artifact
from sdap.clients import IssuerClient, OperatorClient, RegulatorClient, VerifierClient
from sdap.contract_errors import BY_SELECTOR
from sdap.errors import ContractError
from sdap.events import EventDecoder
from sdap.signing import forward_request_message, offer_digest, recover_signer, sign_acknowledgement, sign_offer
from sdap.transactions import Transactor
from sdap.types import (
    MAX_UNITS,
    AssetCategory,
    ForwardRequest,
    IssuerStatus,
    Offer,
    ParticipantStatus,
    PermitState,
    PermitStatus,
    Role,
    SignedOffer,
)

ROOT = Path(__file__).resolve().parents[2]
ZERO = "0x" + "00" * 20
ZERO_HASH = b"\x00" * 32
STRANGER = 12  # a funded account nobody registered
REPLACEMENT = 11  # another: the new wallet of a participant whose wallet is lost

#: Declared on an interface but raised by no contract, so no call can trigger it. The coverage
#: test below fails as soon as a contract starts raising one of these without a case here.
#: (ERC-7943's errors, declared by contracts/interfaces/IERC7943MultiToken.sol, are in no ABI: the
#: asset implements the standard's functions but refuses with its own errors, which carry the rule
#: that failed, so BY_SELECTOR has no class for them; PLATFORM_PREFIXES would catch one that appears.)
UNREACHABLE: set[str] = set()
PLATFORM_PREFIXES = ("Registry_", "Collateral_", "SecuredAsset_", "Exchange_", "ERC7943")

#: OpenZeppelin errors in the ABIs that no call through the SDK can raise, and why.
NOT_THROUGH_THE_SDK = {
    "AccessControlBadConfirmation": "renounceRole's confirmation; the SDK does not renounce roles",
    "AddressEmptyCode": "the asset's delegatecall to an extension without code; deploy_platform deploys it first",
    "ERC1155InvalidApprover": "an approval from address(0), which cannot send",
    "ERC1155InvalidArrayLength": "the SDK refuses unequal batch lists with InvalidArgument first",
    "ERC1155InvalidSender": "a transfer from address(0); MissingApprovalForAll comes first",
    "ERC2771ForwarderMismatchedValue": "the SDK relays with msg.value equal to the request's value (0)",
    "ERC2771ForwarderNoRefundReceiver": "executeBatch, which the SDK does not use",
    "FailedCall": "a relayed call that fails; the SDK simulates it and raises the asset's own error",
    "InsufficientBalance": "the forwarder's ether refund in executeBatch",
    "InvalidAccountNonce": "the council's batch under a spent nonce (tests/sdk/test_governance.py)",
    "InvalidShortString": "EIP-712 names at construction only",
    "SafeCastOverflowedUintDowncast": "an encumbrance of an issuance id of 2^32 or more, which exists nowhere: its"
    " circulation check reverts first (SecuredAssetIssuanceUnknown)",
    "StringTooLong": "EIP-712 names at construction only",
    # The governed regulator's council and timelock (contracts/governance), driven by sdap.governance.
    "Council_NotAgreed": "fewer signatures than the threshold (tests/sdk/test_governance.py)",
    "Council_OnlyCouncil": "membership changes only inside a batch the council agreed on",
    "TimelockUnexpectedOperationState": "an operation executed too early or twice (tests/sdk/test_governance.py)",
    "Timelock_InvalidSetup": "a timelock without council or delay, at construction (GovernanceSetup refuses it first)",
    "TimelockInsufficientDelay": "a delay under the minimum; Governance.propose never goes below it",
    "TimelockUnauthorizedCaller": "the timelock administering itself, only through its own operations",
    "TimelockUnexecutedPredecessor": "a predecessor operation; sdap.governance schedules without one",
    "TimelockInvalidOperationLength": "scheduleBatch's lists; sdap.governance schedules one call",
    "AccountUnauthorized": "ERC-7821's execute called directly; the council runs it only from executeSigned",
    "UnsupportedExecutionMode": "an ERC-7821 mode other than the batch mode sdap.governance builds",
    "ERC7579DecodingError": "malformed executionData; sdap.governance encodes it",
    "ERC7579UnsupportedExecType": "an ERC-7579 exec type other than the default",
    "MultiSignerERC7913AlreadyExists": "adding a council member twice (at deployment: GovernanceSetup refuses it)",
    "MultiSignerERC7913InvalidSigner": "a signer shorter than 20 bytes; the council's are addresses",
    "MultiSignerERC7913NonexistentSigner": "removing a council member that is none",
    "MultiSignerERC7913UnreachableThreshold": "a threshold above the signers (GovernanceSetup refuses it)",
    "MultiSignerERC7913ZeroThreshold": "a zero threshold (at deployment: GovernanceSetup refuses it)",
    "OutOfRangeAccess": "ERC-7579 batch decoding past its end",
    # The exchange's OpenZeppelin guards around payment tokens (the banks' ERC-20s).
    "ReentrancyGuardReentrantCall": "a payment token calling back into the exchange; an e-money ERC-20 does not",
    "SafeERC20FailedOperation": "a token returning false from transferFrom; the SDK checks balance and allowance"
    " first (PaymentNotAvailable, tests/sdk/test_exchange.py)",
}

Trigger = Callable[[], object]
Arrange = Callable[[World], tuple[Trigger, dict[str, Any]]]


@dataclass(frozen=True)
class Case:
    error: type[ContractError]
    arrange: Arrange
    bare: bool = False  # on a freshly deployed platform instead of the prepared world

    @property
    def name(self) -> str:
        return self.error.signature.split("(", 1)[0]


CASES: list[Case] = []


def case(error: type[ContractError], *, bare: bool = False) -> Callable[[Arrange], Arrange]:
    def register(arrange: Arrange) -> Arrange:
        CASES.append(Case(error, arrange, bare))
        return arrange

    return register


def stranger(w: World) -> str:
    return w.accounts[STRANGER].address


def now(w: World) -> int:
    return chain_time(w.w3)


# --- PlatformRegistry -----------------------------------------------------------------------


@case(errors.RegistryNoNoticeInForceError, bare=True)
def _no_notice(w: World) -> tuple[Trigger, dict[str, Any]]:
    w.regulator.grant_role(Role.OPERATOR, w.operator.address)
    w.regulator.grant_permit(w.operator.address, 0, now(w) + YEAR, h("permit"))
    w.operator.register_participant(w.a.address, h("kyc"), now(w) + YEAR)
    return w.a.acknowledge_risk_notice, {}


@case(errors.RegistryZeroAddressError)
def _zero_address(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.grant_permit(ZERO, 0, now(w) + YEAR, h("p")), {}


@case(errors.RegistryLastRegulatorError)
def _last_regulator(w: World) -> tuple[Trigger, dict[str, Any]]:
    me = w.regulator.address
    return lambda: w.regulator.revoke_role(Role.REGULATOR, me), {"account": me}


@case(errors.RegistryInvalidValidityError)
def _invalid_validity(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.grant_permit(stranger(w), 100, 50, h("p")), {"valid_from": 100, "valid_until": 50}


@case(errors.RegistryPermitAlreadyGrantedError)
def _permit_already_granted(w: World) -> tuple[Trigger, dict[str, Any]]:
    op = w.operator.address
    return lambda: w.regulator.grant_permit(op, 0, now(w) + YEAR, h("p")), {
        "operator": op,
        "status": PermitStatus.GRANTED,
    }


@case(errors.RegistryPermitNotGrantedError)
def _permit_not_granted(w: World) -> tuple[Trigger, dict[str, Any]]:
    who = stranger(w)
    return lambda: w.regulator.suspend_permit(who, h("r")), {"operator": who, "status": PermitStatus.NONE}


@case(errors.RegistryPermitNotSuspendedError)
def _permit_not_suspended(w: World) -> tuple[Trigger, dict[str, Any]]:
    op = w.operator.address
    return lambda: w.regulator.reinstate_permit(op, h("r")), {"operator": op, "status": PermitStatus.GRANTED}


@case(errors.RegistryIssuerAlreadyRegisteredError)
def _issuer_already_registered(w: World) -> tuple[Trigger, dict[str, Any]]:
    who = w.issuer.address
    return lambda: w.regulator.register_issuer(who, "X", "1", "KZ", h("d")), {"issuer": who}


@case(errors.RegistryIssuerNotRegisteredError)
def _issuer_not_registered(w: World) -> tuple[Trigger, dict[str, Any]]:
    who = stranger(w)
    return lambda: w.regulator.update_issuer(who, "X", "1", "KZ", h("d")), {"issuer": who}


@case(errors.RegistryInvalidIssuerDetailsError)
def _invalid_issuer_details(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.register_issuer(stranger(w), "", "1", "KZ", h("d")), {}


@case(errors.RegistryInvalidOperatorDetailsError)
def _invalid_operator_details(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.record_operator_details(w.operator.address, "X JSC", "1", "", h("d")), {}


@case(errors.RegistryInvalidIssuerStatusError)
def _invalid_issuer_status(w: World) -> tuple[Trigger, dict[str, Any]]:
    who = w.issuer.address
    return lambda: w.regulator.set_issuer_status(who, IssuerStatus.ACTIVE, h("r")), {
        "issuer": who,
        "status": IssuerStatus.ACTIVE,
    }


@case(errors.RegistryCategoryNotAllowedError)
def _category_not_allowed(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.list_asset_type("Tenge", AssetCategory.MONEY), {"category": AssetCategory.MONEY}


@case(errors.RegistryEmptyNameError)
def _empty_name(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.list_asset_type("", AssetCategory.GOODS), {}


@case(errors.RegistryAssetTypeUnknownError)
def _asset_type_unknown(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.delist_asset_type(99), {"type_id": 99}


@case(errors.RegistryAssetTypeAlreadyInStateError)
def _asset_type_already_in_state(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.relist_asset_type(w.asset_type), {"type_id": w.asset_type, "listed": True}


@case(errors.RegistryParticipantAlreadyRegisteredError)
def _participant_already_registered(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.operator.register_participant(w.a.address, h("k"), now(w) + YEAR), {"wallet": w.a.address}


@case(errors.RegistryParticipantNotRegisteredError)
def _participant_not_registered(w: World) -> tuple[Trigger, dict[str, Any]]:
    who = stranger(w)
    return lambda: w.operator.update_identity(who, h("k"), now(w) + YEAR), {"wallet": who}


@case(errors.RegistryIdentityExpiryInPastError)
def _identity_expiry_in_past(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.operator.register_participant(stranger(w), h("k"), 1), {"identity_expiry": 1}


@case(errors.RegistryParticipantAlreadyInStateError)
def _participant_already_in_state(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.compliance.unfreeze_participant(w.a.address, h("r")), {"wallet": w.a.address, "frozen": False}


@case(errors.RegistryEmptyNoticeError)
def _empty_notice(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.publish_risk_notice(ZERO_HASH, "https://sdap.example/risk/2"), {}


@case(errors.RegistryPermitNotActiveError)
def _registry_permit_not_active(w: World) -> tuple[Trigger, dict[str, Any]]:
    """An operator without a permit in force has no registry power left (Law art. 6.1-6.2)."""
    w.regulator.suspend_permit(w.operator.address, h("inspection"))
    return lambda: w.operator.register_participant(stranger(w), h("k"), now(w) + YEAR), {
        "account": w.operator.address,
        "state": PermitState.SUSPENDED,
    }


@case(errors.RegistryNotParticipantOperatorError)
def _not_participant_operator(w: World) -> tuple[Trigger, dict[str, Any]]:
    """A second operator may not re-identify (and so shorten) the first one's participants."""
    other: OperatorClient = w.client_of(OperatorClient, STRANGER)
    w.regulator.grant_role(Role.OPERATOR, other.address)
    w.regulator.grant_permit(other.address, 0, now(w) + YEAR, h("permit No. 2"))
    return lambda: other.update_identity(w.a.address, h("k"), now(w) + 60), {
        "wallet": w.a.address,
        "operator": w.operator.address,
        "account": other.address,
    }


def recovered(w: World) -> str:
    """Holder a's wallet recovered to REPLACEMENT by the regulator, its units not moved yet."""
    new = w.accounts[REPLACEMENT].address
    w.regulator.recover_participant(w.a.address, new, h("kyc of the new wallet"), now(w) + YEAR, h("order"))
    return new


@case(errors.RegistryWalletLostError)
def _wallet_lost(w: World) -> tuple[Trigger, dict[str, Any]]:
    """A lost wallet is never registered again: it would receive behind its replacement's back."""
    new = recovered(w)
    return lambda: w.operator.register_participant(w.a.address, h("k"), now(w) + YEAR), {
        "wallet": w.a.address,
        "replacement": new,
    }


@case(errors.RegistryCustodianNotParticipantError)
def _custodian_not_participant(w: World) -> tuple[Trigger, dict[str, Any]]:
    """The asset's own address holds units pending redemption: it is never a participant."""
    asset = w.platform.deployment.asset
    return lambda: w.operator.register_participant(asset, h("k"), now(w) + YEAR), {"wallet": asset}


@case(errors.RegistryRecoveryNeedsFreezeError)
def _recovery_needs_freeze(w: World) -> tuple[Trigger, dict[str, Any]]:
    """One operator key alone takes no position: compliance freezes the lost wallet first."""
    new = w.accounts[REPLACEMENT].address
    return lambda: w.operator.recover_participant(w.a.address, new, h("kyc"), now(w) + YEAR, h("case file")), {
        "lost": w.a.address
    }


@case(errors.RegistryInvalidReplacementError)
def _invalid_replacement(w: World) -> tuple[Trigger, dict[str, Any]]:
    """b has a registration of its own: a person's position cannot be merged into another's."""
    return lambda: w.regulator.recover_participant(w.a.address, w.b.address, h("k"), now(w) + YEAR, h("o")), {
        "lost": w.a.address,
        "replacement": w.b.address,
    }


@case(errors.RegistryNoticeNotInForceError)
def _notice_not_in_force(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.a.acknowledge_risk_notice(5), {"version": 5, "in_force": w.notice}


@case(errors.RegistrySignatureExpiredError)
def _signature_expired(w: World) -> tuple[Trigger, dict[str, Any]]:
    deadline = now(w) - 1
    signed = w.a.sign_acknowledgement(deadline=deadline)
    return lambda: w.operator.relay_acknowledgement(w.a.address, w.notice, deadline, signed.signature), {
        "deadline": deadline
    }


@case(errors.RegistryInvalidSignatureError)
def _ack_invalid_signature(w: World) -> tuple[Trigger, dict[str, Any]]:
    # b signs an acknowledgement in a's name; the operator relays it as a's.
    genuine = w.a.sign_acknowledgement().acknowledgement
    forged = sign_acknowledgement(
        w.accounts[7], genuine, chain_id=w.platform.deployment.chain_id, registry=w.platform.deployment.registry
    )
    return lambda: w.operator.relay_acknowledgement(w.a.address, w.notice, genuine.deadline, forged.signature), {
        "participant": w.a.address,
        "signer": w.b.address,
    }


@case(errors.SecuredAssetEmptyBatchError)
def _empty_batch(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.a.batch_transfer(w.b.address, [], []), {}


# --- CollateralAttestations -----------------------------------------------------------------


def _attestation(w: World, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "issuance_id": w.issuance,
        "owner": w.issuer.address,
        "collateral_ref": h("receipt 8"),
        "value": 1_000,
        "units": 10,
        "valid_until": now(w) + YEAR,
    }
    fields.update(overrides)
    return w.verifier.attestation(**fields)


@case(errors.CollateralNotAuthorisedError)
def _collateral_not_authorised(w: World) -> tuple[Trigger, dict[str, Any]]:
    signed = w.verifier.sign_attestation(_attestation(w))
    outsider: VerifierClient = w.client_of(VerifierClient, STRANGER)
    return lambda: outsider.attach(signed), {"account": outsider.address}


@case(errors.CollateralInvalidSignatureError)
def _collateral_invalid_signature(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.verifier.attach_attestation(_attestation(w), b"\x00" * 65), {"signer": ZERO}


@case(errors.CollateralSignerNotVerifierError)
def _signer_not_verifier(w: World) -> tuple[Trigger, dict[str, Any]]:
    impostor: VerifierClient = w.client_of(VerifierClient, STRANGER)
    signed = impostor.sign_attestation(_attestation(w))
    return lambda: w.operator.attach(signed), {"signer": impostor.address}


@case(errors.CollateralNonceUsedError)
def _nonce_used(w: World) -> tuple[Trigger, dict[str, Any]]:
    attestation = _attestation(w, nonce=7)
    w.verifier.invalidate_nonce(7)
    signed = w.verifier.sign_attestation(attestation)
    return lambda: w.verifier.attach(signed), {"verifier": w.verifier.address, "nonce": 7}


@case(errors.CollateralAttestationExpiredError)
def _attestation_expired(w: World) -> tuple[Trigger, dict[str, Any]]:
    valid_until = now(w) - 1
    signed = w.verifier.sign_attestation(_attestation(w, valid_until=valid_until))
    return lambda: w.verifier.attach(signed), {"valid_until": valid_until}


@case(errors.CollateralZeroUnitsError)
def _zero_units(w: World) -> tuple[Trigger, dict[str, Any]]:
    signed = w.verifier.sign_attestation(_attestation(w, units=0))
    return lambda: w.verifier.attach(signed), {}


@case(errors.CollateralUnitsTooLargeError)
def _units_too_large(w: World) -> tuple[Trigger, dict[str, Any]]:
    signed = w.verifier.sign_attestation(_attestation(w, units=2**128))
    return lambda: w.verifier.attach(signed), {"units": 2**128, "limit": 2**128 - 1}


@case(errors.CollateralAlreadyAttachedError)
def _already_attached(w: World) -> tuple[Trigger, dict[str, Any]]:
    """A second verifier co-signing the very same payload: the collateral must count once."""
    w.regulator.grant_role(Role.VERIFIER, stranger(w))
    cosigner = w.client_of(VerifierClient, STRANGER)
    attestation = _attestation(w, nonce=99)
    first = w.verifier.attach(w.verifier.sign_attestation(attestation))
    second = cosigner.sign_attestation(attestation)
    return lambda: cosigner.attach(second), {"attestation_id": first.id}


@case(errors.CollateralOwnerNotIssuerError)
def _owner_not_issuer(w: World) -> tuple[Trigger, dict[str, Any]]:
    signed = w.verifier.sign_attestation(_attestation(w, owner=w.a.address))
    return lambda: w.verifier.attach(signed), {
        "issuance_id": w.issuance,
        "owner": w.a.address,
        "issuer": w.issuer.address,
    }


@case(errors.CollateralAttestationUnknownError)
def _attestation_unknown(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.verifier.revoke(h("no such attestation"), h("r")), {"attestation_id": h("no such attestation")}


@case(errors.CollateralAttestationAlreadyRevokedError)
def _attestation_already_revoked(w: World) -> tuple[Trigger, dict[str, Any]]:
    w.verifier.revoke(w.attestation, h("r"))
    return lambda: w.regulator.revoke_attestation(w.attestation, h("r")), {"attestation_id": w.attestation}


@case(errors.CollateralTooManyAttestationsError)
def _too_many_attestations(w: World) -> tuple[Trigger, dict[str, Any]]:
    limit = int(w.platform.contracts.collateral.functions.MAX_ATTESTATIONS_PER_ISSUANCE().call())
    signed = [w.verifier.sign_attestation(_attestation(w, units=1, collateral_ref=h(f"lot {i}"))) for i in range(limit)]
    # One at a time: each attach prunes the whole list, so its gas grows with the list and an
    # estimate made while others are in flight would fall short.
    for item in signed[1:]:  # the world already holds one
        w.verifier.attach(item)
    return lambda: w.verifier.attach(signed[0]), {
        "asset": w.platform.deployment.asset,
        "issuance_id": w.issuance,
        "limit": limit,
    }


@case(errors.CollateralAlreadyPledgedError)
def _already_pledged(w: World) -> tuple[Trigger, dict[str, Any]]:
    """The world's collateral pledged a second time, without renewing: it would count twice."""
    ref = w.queries.attestation(w.attestation).collateral_ref
    signed = w.verifier.sign_attestation(_attestation(w, collateral_ref=ref))
    return lambda: w.verifier.attach(signed), {
        "owner": w.issuer.address,
        "collateral_ref": ref,
        "live_attestation_id": w.attestation,
    }


@case(errors.CollateralNotCurrentPledgeError)
def _not_current_pledge(w: World) -> tuple[Trigger, dict[str, Any]]:
    signed = w.verifier.sign_attestation(_attestation(w, supersedes=h("not the pledge")))
    return lambda: w.verifier.attach(signed), {"supersedes": h("not the pledge"), "current": ZERO_HASH}


@case(errors.CollateralSupersedesOtherIssuanceError)
def _supersedes_other_issuance(w: World) -> tuple[Trigger, dict[str, Any]]:
    """Moving a pledge to another issuance is a revocation and a new pledge, not a renewal."""
    second = w.create_issuance(w.params()).id
    ref = w.queries.attestation(w.attestation).collateral_ref
    signed = w.verifier.sign_attestation(
        _attestation(w, issuance_id=second, collateral_ref=ref, supersedes=w.attestation)
    )
    return lambda: w.verifier.attach(signed), {
        "supersedes": w.attestation,
        "asset": w.platform.deployment.asset,
        "issuance_id": w.issuance,
    }


# --- SecuredAsset ---------------------------------------------------------------------------


@case(errors.SecuredAssetMissingRoleError)
def _missing_role(w: World) -> tuple[Trigger, dict[str, Any]]:
    outsider: OperatorClient = w.client_of(OperatorClient, STRANGER)
    return lambda: w.create_issuance(w.params(), by=outsider), {"account": outsider.address, "role": Role.OPERATOR.id}


@case(errors.SecuredAssetNotIssuanceOperatorError)
def _not_issuance_operator(w: World) -> tuple[Trigger, dict[str, Any]]:
    outsider: OperatorClient = w.client_of(OperatorClient, STRANGER)
    return lambda: outsider.mint(w.issuance, w.a.address, 1), {"id": w.issuance, "account": outsider.address}


@case(errors.SecuredAssetNotIssuanceOperatorOrIssuerError)
def _not_operator_or_issuer(w: World) -> tuple[Trigger, dict[str, Any]]:
    outsider: IssuerClient = w.client_of(IssuerClient, STRANGER)
    return lambda: outsider.close(w.issuance, h("f")), {"id": w.issuance, "account": outsider.address}


@case(errors.SecuredAssetIssuanceUnknownError)
def _issuance_unknown(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.operator.mint(99, w.a.address, 1), {"id": 99}


@case(errors.SecuredAssetIssuanceClosedError)
def _issuance_closed(w: World) -> tuple[Trigger, dict[str, Any]]:
    second = w.create_issuance(w.params()).id
    w.issuer.close(second, h("nothing was ever minted"))
    return lambda: w.operator.close(second, h("again")), {"id": second}


@case(errors.SecuredAssetIssuancePausedError)
def _issuance_paused(w: World) -> tuple[Trigger, dict[str, Any]]:
    w.operator.pause(w.issuance)
    return lambda: w.a.transfer(w.b.address, w.issuance, 1), {"id": w.issuance}


@case(errors.SecuredAssetPausedByRegulatorError)
def _paused_by_regulator(w: World) -> tuple[Trigger, dict[str, Any]]:
    w.regulator.pause(w.issuance)
    return lambda: w.operator.unpause(w.issuance), {"id": w.issuance}


@case(errors.SecuredAssetUndercollateralisedError)
def _undercollateralised(w: World) -> tuple[Trigger, dict[str, Any]]:
    """The only attestation revoked: the 100 units in circulation are backed by nothing."""
    w.verifier.revoke(w.attestation, h("collateral gone"))
    return lambda: w.a.transfer(w.b.address, w.issuance, 1), {"id": w.issuance, "covered": 0, "supply": 100}


@case(errors.SecuredAssetIssuanceNotPausedError)
def _issuance_not_paused(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.unpause(w.issuance), {"id": w.issuance}


@case(errors.SecuredAssetPermitNotActiveError)
def _permit_not_active(w: World) -> tuple[Trigger, dict[str, Any]]:
    w.regulator.suspend_permit(w.operator.address, h("inspection"))
    return lambda: w.a.transfer(w.b.address, w.issuance, 1), {
        "operator": w.operator.address,
        "state": PermitState.SUSPENDED,
    }


@case(errors.SecuredAssetAlreadyIssuanceOperatorError)
def _already_issuance_operator(w: World) -> tuple[Trigger, dict[str, Any]]:
    op = w.operator.address
    return lambda: w.regulator.succeed_issuances([w.issuance], op, h("order")), {"id": w.issuance, "operator": op}


@case(errors.SecuredAssetNotIssuanceIssuerError)
def _not_issuance_issuer(w: World) -> tuple[Trigger, dict[str, Any]]:
    outsider: IssuerClient = w.client_of(IssuerClient, STRANGER)
    return lambda: outsider.update_decision_uri(w.issuance, "https://x.example/d.pdf"), {
        "id": w.issuance,
        "account": outsider.address,
    }


@case(errors.SecuredAssetEmptyFulfilmentError)
def _empty_fulfilment(w: World) -> tuple[Trigger, dict[str, Any]]:
    second = w.create_issuance(w.params()).id  # nothing minted: only the record is missing
    return lambda: w.issuer.close(second, ZERO_HASH), {}


@case(errors.SecuredAssetIssuerNotActiveError)
def _issuer_not_active(w: World) -> tuple[Trigger, dict[str, Any]]:
    who = stranger(w)
    return lambda: w.create_issuance(w.params(issuer=who)), {"issuer": who}


@case(errors.SecuredAssetAssetTypeNotListedError)
def _asset_type_not_listed(w: World) -> tuple[Trigger, dict[str, Any]]:
    w.regulator.delist_asset_type(w.asset_type)
    return lambda: w.operator.mint(w.issuance, w.a.address, 1), {"asset_type": w.asset_type}


@case(errors.SecuredAssetEmptyDecisionError)
def _empty_decision(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.create_issuance(w.params(decision_uri="")), {}


@case(errors.SecuredAssetEmptyEvidenceError)
def _empty_evidence(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.create_issuance(w.params(evidence_hash=ZERO_HASH)), {}


@case(errors.SecuredAssetEmptyUnitDescriptionError)
def _empty_unit_description(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.create_issuance(w.params(unit_description="")), {}


@case(errors.SecuredAssetInvalidMaxSupplyError)
def _invalid_max_supply(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.create_issuance(w.params(max_supply=MAX_UNITS + 1)), {"max_supply": MAX_UNITS + 1}


@case(errors.SecuredAssetParticipantNotEligibleError)
def _participant_not_eligible(w: World) -> tuple[Trigger, dict[str, Any]]:
    who = stranger(w)
    return lambda: w.a.transfer(who, w.issuance, 1), {"account": who, "status": ParticipantStatus.NOT_REGISTERED}


@case(errors.SecuredAssetUnitsRestrictedError)
def _units_restricted(w: World) -> tuple[Trigger, dict[str, Any]]:
    w.a.encumber(w.issuance, 60, w.b.address, h("pledge"))
    return lambda: w.a.transfer(w.b.address, w.issuance, 50), {
        "id": w.issuance,
        "holder": w.a.address,
        "balance_after": 50,
        "encumbered": 60,
        "frozen": 0,
        "escrowed": 0,
    }


@case(errors.SecuredAssetMaxSupplyExceededError)
def _max_supply_exceeded(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.operator.mint(w.issuance, w.a.address, 901), {
        "id": w.issuance,
        "max_supply": 1_000,
        "supply_after": 1_001,
    }


@case(errors.SecuredAssetCollateralInsufficientError)
def _collateral_insufficient(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.operator.mint(w.issuance, w.a.address, 401), {
        "id": w.issuance,
        "covered": 500,
        "supply_after": 501,
    }


@case(errors.SecuredAssetZeroAmountError)
def _zero_amount(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.operator.mint(w.issuance, w.a.address, 0), {}


@case(errors.SecuredAssetSupplyOutstandingError)
def _supply_outstanding(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.issuer.close(w.issuance, h("f")), {"id": w.issuance, "supply": 100}


@case(errors.SecuredAssetInvalidBeneficiaryError)
def _invalid_beneficiary(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.a.encumber(w.issuance, 10, w.a.address, h("self")), {"beneficiary": w.a.address}


@case(errors.SecuredAssetInvalidExpiryError)
def _invalid_expiry(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.a.encumber(w.issuance, 10, w.b.address, h("p"), expiry=1), {"expiry": 1}


@case(errors.SecuredAssetUnitsUnavailableError)
def _units_unavailable(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.a.encumber(w.issuance, 101, w.b.address, h("p")), {
        "id": w.issuance,
        "holder": w.a.address,
        "requested": 101,
        "available": 100,
    }


@case(errors.SecuredAssetEncumbranceNotActiveError)
def _encumbrance_not_active(w: World) -> tuple[Trigger, dict[str, Any]]:
    pledge = w.a.encumber(w.issuance, 10, w.b.address, h("p")).id
    w.b.release(pledge)
    return lambda: w.b.release(pledge), {"encumbrance_id": pledge}


@case(errors.SecuredAssetEncumbranceExpiredError)
def _encumbrance_expired(w: World) -> tuple[Trigger, dict[str, Any]]:
    expiry = now(w) + 100
    pledge = w.a.encumber(w.issuance, 10, w.b.address, h("p"), expiry=expiry).id
    advance(w.w3, 200)
    return lambda: w.operator.enforce(pledge, h("too late")), {"encumbrance_id": pledge, "expiry": expiry}


@case(errors.SecuredAssetNotBeneficiaryError)
def _not_beneficiary(w: World) -> tuple[Trigger, dict[str, Any]]:
    pledge = w.a.encumber(w.issuance, 10, w.b.address, h("p")).id
    return lambda: w.a.release(pledge), {"encumbrance_id": pledge, "account": w.a.address}


@case(errors.SecuredAssetForcedTransferToSelfError)
def _forced_transfer_to_self(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.regulator.forced_transfer(w.issuance, w.a.address, w.a.address, 1, h("order")), {
        "id": w.issuance,
        "holder": w.a.address,
    }


@case(errors.SecuredAssetUnfreezeExceedsFrozenError)
def _unfreeze_exceeds_frozen(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.compliance.unfreeze_units(w.issuance, w.a.address, 1, h("r")), {
        "id": w.issuance,
        "holder": w.a.address,
        "requested": 1,
        "frozen": 0,
    }


@case(errors.SecuredAssetWalletNotRecoveredError)
def _wallet_not_recovered(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.b.recover_holdings(w.a.address, [w.issuance], []), {"wallet": w.a.address}


@case(errors.SecuredAssetNotHoldersEncumbranceError)
def _not_holders_encumbrance(w: World) -> tuple[Trigger, dict[str, Any]]:
    w.operator.mint(w.issuance, w.b.address, 10)
    others = w.b.encumber(w.issuance, 5, w.c.address, h("b's pledge")).id
    recovered(w)
    return lambda: w.c.recover_holdings(w.a.address, [w.issuance], [others]), {
        "encumbrance_id": others,
        "holder": w.a.address,
    }


@case(errors.SecuredAssetEncumbrancesLeftBehindError)
def _encumbrances_left_behind(w: World) -> tuple[Trigger, dict[str, Any]]:
    """The units would move while the pledge stays on the lost wallet, binding nothing."""
    w.a.encumber(w.issuance, 30, w.b.address, h("pledge"))
    recovered(w)
    return lambda: w.c.recover_holdings(w.a.address, [w.issuance], []), {
        "id": w.issuance,
        "lost": w.a.address,
        "encumbered": 30,
    }


@case(errors.SecuredAssetEncumbranceWithoutUnitsError)
def _encumbrance_without_units(w: World) -> tuple[Trigger, dict[str, Any]]:
    """The pledge would move to the new wallet while its units stay on the lost one."""
    pledged = w.a.encumber(w.issuance, 30, w.b.address, h("pledge")).id
    other = w.create_issuance(w.params()).id  # a holds none of it
    recovered(w)
    return lambda: w.c.recover_holdings(w.a.address, [other], [pledged]), {
        "encumbrance_id": pledged,
        "id": w.issuance,
    }


# --- SecuredAsset: the issuer's consent (Law art. 6.5) ----------------------------------------


@case(errors.SecuredAssetConsentExpiredError)
def _consent_expired(w: World) -> tuple[Trigger, dict[str, Any]]:
    deadline = now(w) - 1
    signed = w.issuer.sign_consent(w.params(), w.operator.address, deadline=deadline)
    return lambda: w.operator.create_issuance(signed.params, signed), {"deadline": deadline}


@case(errors.SecuredAssetConsentNonceInvalidError)
def _consent_nonce_invalid(w: World) -> tuple[Trigger, dict[str, Any]]:
    """Key 0's nonces are used in order: the world's issuance spent 0, so 5 is not the next one."""
    signed = w.issuer.sign_consent(w.params(), w.operator.address, nonce=5)
    return lambda: w.operator.create_issuance(signed.params, signed), {
        "issuer": w.issuer.address,
        "nonce": 5,
        "expected": 1,
    }


@case(errors.SecuredAssetConsentNotSignedError)
def _consent_not_signed(w: World) -> tuple[Trigger, dict[str, Any]]:
    """The issuer consented to these terms run by another operator, not by this one."""
    signed = w.issuer.sign_consent(w.params(), stranger(w))
    return lambda: w.operator.create_issuance(signed.params, signed), {"issuer": w.issuer.address}


# --- SecuredAsset: two-sided redemption (Rules item 2.3) -------------------------------------


@case(errors.SecuredAssetRedemptionNotRequestedError)
def _redemption_not_requested(w: World) -> tuple[Trigger, dict[str, Any]]:
    request = w.a.request_redemption(w.issuance, 10, h("deliver")).id
    w.issuer.confirm_redemption(request, h("delivered"))
    return lambda: w.issuer.refuse_redemption(request, h("too late")), {"request_id": request}


@case(errors.SecuredAssetNotRedemptionPartyError)
def _not_redemption_party(w: World) -> tuple[Trigger, dict[str, Any]]:
    """Only the issuance's issuer confirms a delivery, whoever else asks."""
    request = w.a.request_redemption(w.issuance, 10, h("deliver")).id
    outsider: IssuerClient = w.client_of(IssuerClient, STRANGER)
    return lambda: outsider.confirm_redemption(request, h("delivered")), {
        "request_id": request,
        "account": outsider.address,
    }


@case(errors.SecuredAssetNotThroughAssetError)
def _not_through_asset(w: World) -> tuple[Trigger, dict[str, Any]]:
    """The extension's code called at its own address, not through the asset's: no client does
    this, so a plain transaction to the extension with the asset's ABI."""
    extension = w.w3.eth.contract(address=w.platform.deployment.extension, abi=interface_abi("SecuredAsset"))
    sender = Transactor(w.w3, w.accounts[5], EventDecoder())
    return lambda: sender.send(extension.functions.withdrawConsent(0)), {}


@case(errors.SecuredAssetExtensionMismatchError)
def _extension_mismatch(w: World) -> tuple[Trigger, dict[str, Any]]:
    """An asset deployed with an extension wired to another forwarder: refused at construction."""
    d = w.platform.deployment
    args = [d.registry, d.collateral, w.accounts[STRANGER].address, "", d.extension]
    code = bytes.fromhex(load_artifact("SecuredAsset").bytecode[2:]) + abi_encode(
        ["address", "address", "address", "string", "address"], args
    )
    sender = Transactor(w.w3, w.accounts[0], EventDecoder())
    return lambda: sender.send_raw(None, code), {"extension": d.extension}


# --- OpenZeppelin's, as the platform's contracts raise them --------------------------------


@case(errors.AccessControlUnauthorizedAccountError)
def _unauthorized_account(w: World) -> tuple[Trigger, dict[str, Any]]:
    outsider: RegulatorClient = w.client_of(RegulatorClient, STRANGER)
    return lambda: outsider.grant_role(Role.OPERATOR, outsider.address), {
        "account": outsider.address,
        "needed_role": Role.REGULATOR.id,
    }


@case(errors.ERC1155InsufficientBalanceError)
def _insufficient_balance(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.a.transfer(w.b.address, w.issuance, 101), {
        "sender": w.a.address,
        "balance": 100,
        "needed": 101,
        "token_id": w.issuance,
    }


@case(errors.ERC1155MissingApprovalForAllError)
def _missing_approval(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.b.transfer_from(w.a.address, w.c.address, w.issuance, 1), {
        "operator": w.b.address,
        "owner": w.a.address,
    }


@case(errors.ERC1155InvalidReceiverError)
def _invalid_receiver(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.a.transfer(ZERO, w.issuance, 1), {"receiver": ZERO}


@case(errors.ERC1155InvalidOperatorError)
def _invalid_operator(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.a.set_approval(ZERO), {"operator": ZERO}


@case(errors.ERC2771ForwarderExpiredRequestError)
def _request_expired(w: World) -> tuple[Trigger, dict[str, Any]]:
    deadline = now(w) - 1
    signed = w.a.sign_transfer_request(w.b.address, w.issuance, 1, deadline=deadline)
    return lambda: w.operator.relay(signed.request, signed.signature), {"deadline": deadline}


@case(errors.ERC2771ForwarderInvalidSignerError)
def _request_invalid_signer(w: World) -> tuple[Trigger, dict[str, Any]]:
    signed = w.a.sign_transfer_request(w.b.address, w.issuance, 1)
    forged = replace(signed.request, gas=signed.request.gas + 1)  # the relayer changes the gas
    message = forward_request_message(forged, chain_id=w.platform.deployment.chain_id, forwarder=_fwd(w))
    return lambda: w.operator.relay(forged, signed.signature), {
        "signer": recover_signer(message, signed.signature),
        "from_": w.a.address,
    }


@case(errors.ERC2771UntrustfulTargetError)
def _untrustful_target(w: World) -> tuple[Trigger, dict[str, Any]]:
    registry = w.platform.deployment.registry
    call = w.platform.contracts.registry.encode_abi("acknowledgeRiskNotice", args=[1])
    request = ForwardRequest(w.a.address, registry, 0, 100_000, 0, now(w) + 600, bytes.fromhex(call[2:]))
    signed = w.a.sign_request(request)
    return lambda: w.operator.relay(signed.request, signed.signature), {"target": registry, "forwarder": _fwd(w)}


def _fwd(w: World) -> str:
    return w.platform.deployment.forwarder


# --- SecuredExchange and the asset's side of it -----------------------------------------------


def _offer(w: World, **overrides: Any) -> SignedOffer:
    """Holder a's offer of 1 unit of the issuance for 1 unit of issuance + 1, signed by a (taken
    through the chain's checks, not the SDK's make_offer, which refuses some offers before signing)."""
    asset, d = w.platform.deployment.asset, w.platform.deployment
    fields: dict[str, Any] = {
        "maker": w.a.address, "taker": ZERO, "give_token": asset, "give_id": w.issuance, "give_amount": 1,
        "want_token": asset, "want_id": w.issuance + 1, "want_amount": 1, "nonce": 7, "expiry": now(w) + 600,
    }  # fmt: skip
    fields.update(overrides)
    chain_id = fields.pop("chain_id", d.chain_id)
    return sign_offer(w.accounts[6], Offer(**fields), chain_id=chain_id, exchange=d.exchange)


def _agent(w: World) -> str:
    agent = w.accounts[STRANGER].address
    w.regulator.grant_role(Role.SETTLEMENT_AGENT, agent)
    return agent


def _escrow(w: World, deadline: int) -> tuple[int, str]:
    agent = _agent(w)
    return w.a.open_escrow(w.issuance, 20, w.b.address, agent, 1_000, deadline=deadline).id, agent


@case(errors.ExchangeInvalidLegsError)
def _invalid_legs(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.b.take_offer(_offer(w, want_id=w.issuance)), {}  # one issuance on both sides


@case(errors.ExchangePaymentTokenNotListedError)
def _payment_token_not_listed(w: World) -> tuple[Trigger, dict[str, Any]]:
    token = w.platform.deployment.registry
    return lambda: w.b.take_offer(_offer(w, want_token=token, want_id=0)), {"token": token}


@case(errors.ExchangeOfferExpiredError)
def _offer_expired(w: World) -> tuple[Trigger, dict[str, Any]]:
    expiry = now(w) - 1
    return lambda: w.b.take_offer(_offer(w, expiry=expiry)), {"expiry": expiry}


@case(errors.ExchangeNonceUsedError)
def _nonce_used(w: World) -> tuple[Trigger, dict[str, Any]]:
    w.a.cancel_offer(7)
    return lambda: w.b.take_offer(_offer(w)), {"maker": w.a.address, "nonce": 7}


@case(errors.ExchangeTakerNotAllowedError)
def _taker_not_allowed(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.c.take_offer(_offer(w, taker=w.b.address)), {"taker": w.c.address}


@case(errors.ExchangeOfferNotSignedError)
def _offer_not_signed(w: World) -> tuple[Trigger, dict[str, Any]]:
    d = w.platform.deployment
    foreign = _offer(w, chain_id=d.chain_id + 1)  # signed for another chain, shown under this chain's hash
    here = SignedOffer(
        foreign.offer, foreign.signature, offer_digest(foreign.offer, chain_id=d.chain_id, exchange=d.exchange)
    )
    return lambda: w.b.take_offer(here), {"maker": w.a.address}


@case(errors.ExchangePaymentNotAvailableError)
def _payment_not_available(w: World) -> tuple[Trigger, dict[str, Any]]:
    """The SDK refuses an unpaid take first (PaymentNotAvailable); sent as it is, the chain names the payer."""
    token = EMoney(w.platform, w.accounts[0]).address
    w.regulator.list_payment_token(token, "KZT")
    sale = _offer(w, want_token=token, want_id=0, want_amount=100)
    take = w.platform.contracts.exchange.functions.take(sale.offer.as_tuple(), sale.signature)
    taker = w.platform.transactor(w.accounts[7])
    return lambda: taker.send(take), {"payer": w.accounts[7].address, "token": token, "amount": 100}


@case(errors.ExchangeMissingRoleError)
def _exchange_missing_role(w: World) -> tuple[Trigger, dict[str, Any]]:
    agent = w.c.address  # holds no SETTLEMENT_AGENT_ROLE
    return lambda: w.a.open_escrow(w.issuance, 1, w.b.address, agent, 100, deadline=now(w) + 60), {
        "account": agent,
        "role": Role.SETTLEMENT_AGENT.id,
    }


@case(errors.ExchangeInvalidCurrencyError)
def _invalid_currency(w: World) -> tuple[Trigger, dict[str, Any]]:
    """The SDK refuses a malformed code (InvalidArgument); the chain refuses the zero one."""
    agent = _agent(w)
    open_escrow = w.platform.contracts.exchange.functions.openEscrow
    fn = open_escrow(w.issuance, 1, w.b.address, agent, 1, b"\0\0\0", now(w) + 60)
    return lambda: w.platform.transactor(w.accounts[6]).send(fn), {"currency": b"\0\0\0"}


@case(errors.ExchangePaymentTokenAlreadyListedError)
def _payment_token_already_listed(w: World) -> tuple[Trigger, dict[str, Any]]:
    token = EMoney(w.platform, w.accounts[0]).address
    w.regulator.list_payment_token(token, "KZT")
    return lambda: w.regulator.list_payment_token(token, "KZT"), {"token": token}


@case(errors.ExchangeInvalidEscrowError)
def _invalid_escrow(w: World) -> tuple[Trigger, dict[str, Any]]:
    agent = _agent(w)
    return lambda: w.a.open_escrow(w.issuance, 1, w.a.address, agent, 100, deadline=now(w) + 60), {}  # to itself


@case(errors.ExchangeInvalidDeadlineError)
def _invalid_deadline(w: World) -> tuple[Trigger, dict[str, Any]]:
    agent, deadline = _agent(w), now(w) - 1
    return lambda: w.a.open_escrow(w.issuance, 1, w.b.address, agent, 100, deadline=deadline), {"deadline": deadline}


@case(errors.ExchangeEscrowNotOpenError)
def _escrow_not_open(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.c.lapse_escrow(99), {"escrow_id": 99}


@case(errors.ExchangeNotEscrowAgentError)
def _not_escrow_agent(w: World) -> tuple[Trigger, dict[str, Any]]:
    escrow_id, _ = _escrow(w, now(w) + 600)
    other = w.platform.settlement_agent(w.accounts[REPLACEMENT])
    return lambda: other.confirm_payment(escrow_id, h("paid")), {"escrow_id": escrow_id, "account": other.address}


@case(errors.ExchangeEscrowExpiredError)
def _escrow_expired(w: World) -> tuple[Trigger, dict[str, Any]]:
    deadline = now(w) + 60
    escrow_id, _ = _escrow(w, deadline)
    advance(w.w3, 61)
    bank = w.platform.settlement_agent(w.accounts[STRANGER])
    return lambda: bank.confirm_payment(escrow_id, h("late")), {"escrow_id": escrow_id, "deadline": deadline}


@case(errors.ExchangeEscrowNotExpiredError)
def _escrow_not_expired(w: World) -> tuple[Trigger, dict[str, Any]]:
    deadline = now(w) + 600
    escrow_id, _ = _escrow(w, deadline)
    return lambda: w.c.lapse_escrow(escrow_id), {"escrow_id": escrow_id, "deadline": deadline}


@case(errors.ExchangeEmptyPaymentRefError)
def _empty_payment_ref(w: World) -> tuple[Trigger, dict[str, Any]]:
    escrow_id, _ = _escrow(w, now(w) + 600)
    bank = w.platform.settlement_agent(w.accounts[STRANGER])
    return lambda: bank.confirm_payment(escrow_id, ZERO_HASH), {}


@case(errors.ExchangePaymentRefUsedError)
def _payment_ref_used(w: World) -> tuple[Trigger, dict[str, Any]]:
    """One payment settles one escrow: the agent cannot confirm a second with the same reference."""
    first, agent = _escrow(w, now(w) + 600)
    second = w.a.open_escrow(w.issuance, 20, w.b.address, agent, 1_000, deadline=now(w) + 600).id
    bank = w.platform.settlement_agent(w.accounts[STRANGER])
    bank.confirm_payment(first, h("payment 1"))
    return lambda: bank.confirm_payment(second, h("payment 1")), {"agent": agent, "payment_ref": h("payment 1")}


@case(errors.ExchangeNotATokenError)
def _not_a_token(w: World) -> tuple[Trigger, dict[str, Any]]:
    asset = w.platform.deployment.asset  # the platform's own contract is no payment
    return lambda: w.regulator.list_payment_token(asset, "KZT"), {"token": asset}


@case(errors.SecuredAssetNotExchangeError)
def _not_exchange(w: World) -> tuple[Trigger, dict[str, Any]]:
    """Only the exchange the asset deployed moves units for an exchange."""
    fn = w.platform.contracts.asset.functions.exchangeTransfer(w.a.address, w.b.address, w.issuance, 1)
    return lambda: w.platform.transactor(w.accounts[6]).send(fn), {"account": w.a.address}


@case(errors.SecuredAssetUnitsEscrowedError)
def _units_escrowed(w: World) -> tuple[Trigger, dict[str, Any]]:
    """A lost wallet's escrowed units wait for the settlement or the lapse before they follow it."""
    _escrow(w, now(w) + 600)
    recovered(w)
    return lambda: w.c.recover_holdings(w.a.address, [w.issuance], []), {
        "id": w.issuance,
        "holder": w.a.address,
        "escrowed": 20,
    }


@case(errors.SecuredAssetInvalidFrozenAmountError)
def _invalid_frozen_amount(w: World) -> tuple[Trigger, dict[str, Any]]:
    return lambda: w.compliance.set_frozen_tokens(w.a.address, w.issuance, MAX_UNITS + 1), {"amount": MAX_UNITS + 1}


# --- Running the cases ----------------------------------------------------------------------


ORDERED = sorted(CASES, key=lambda c: not c.bare)


@pytest.mark.parametrize("case", ORDERED, ids=[c.name for c in ORDERED])
def test_custom_error_arrives_as_its_class_with_its_arguments(case: Case, states: States) -> None:
    w = states.bare() if case.bare else states.world()
    trigger, expected = case.arrange(w)
    block = w.w3.eth.block_number
    with pytest.raises(ContractError) as raised:
        trigger()
    assert type(raised.value) is case.error, str(raised.value)
    assert raised.value.arguments == expected
    assert w.w3.eth.block_number == block, "refused in simulation, so nothing was sent"


def test_every_platform_error_has_a_case() -> None:
    declared = {cls.signature.split("(", 1)[0] for cls in BY_SELECTOR.values()}
    platform = {name for name in declared if name.startswith(PLATFORM_PREFIXES)}
    covered = {c.name for c in CASES}
    assert len(covered) == len(CASES), "one case per error"
    assert platform - covered == UNREACHABLE
    assert covered <= declared
    # Every selector of BY_SELECTOR is accounted for: triggered, unreachable, or explained.
    assert declared == covered | UNREACHABLE | set(NOT_THROUGH_THE_SDK)


def test_unreachable_errors_are_raised_by_no_contract() -> None:
    sources = [p for p in (ROOT / "contracts").rglob("*.sol") if "interfaces" not in p.parts]
    text = "\n".join(p.read_text() for p in sources)
    for name in UNREACHABLE:
        assert not re.search(rf"revert\s+{name}\b", text), f"{name} is raised now: add a case for it"


def test_batch_of_unequal_lengths_never_reaches_the_chain(states: States) -> None:
    w = states.world()
    with pytest.raises(InvalidArgument, match="same length"):
        w.a.batch_transfer(w.b.address, [w.issuance, w.issuance], [1])
