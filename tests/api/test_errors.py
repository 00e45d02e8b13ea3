"""The gateway's problems: every contract refusal has a class of its own that keeps the code every
refusal of that error already had (its name in snake case), names an error the contracts really
have, and is in the catalogue; an error the gateway does not know is still answered, generically."""

from __future__ import annotations

import pytest

from api import errors
from api.errors import ContractRefusal, all_errors, snake_case
from api.handlers import translate
from sdap.contract_errors import (
    BY_SELECTOR,
    CollateralAlreadyPledgedError,
    RegistryPermitNotActiveError,
    SecuredAssetIssuancePausedError,
    SecuredAssetUndercollateralisedError,
)

#: The custom errors the contracts gained with issues 11 and 14: each has a code clients can look up.
NEW_CONTRACT_ERRORS = (
    "SecuredAsset_ConsentExpired",
    "SecuredAsset_ConsentNonceInvalid",
    "SecuredAsset_ConsentNotSigned",
    "SecuredAsset_NotRedemptionParty",
    "SecuredAsset_RedemptionNotRequested",
    "Collateral_AlreadyPledged",
    "Collateral_NotCurrentPledge",
    "Collateral_SupersedesOtherIssuance",
    "Registry_PermitNotActive",
    "Registry_NotParticipantOperator",
    "SecuredAsset_PausedByRegulator",
    "SecuredAsset_Undercollateralised",
)


def named_refusals() -> dict[str, type[ContractRefusal]]:
    return {cls.error: cls for cls in ContractRefusal.__subclasses__()}


def test_every_new_contract_error_has_a_listed_code() -> None:
    named = named_refusals()
    catalogue = {e.code for e in all_errors()}
    for name in NEW_CONTRACT_ERRORS:
        assert name in named, f"{name} has no problem class"
        assert named[name].code in catalogue


@pytest.mark.parametrize("cls", ContractRefusal.__subclasses__(), ids=lambda c: c.__name__)
def test_a_named_refusal_is_an_error_of_the_contracts_and_keeps_its_code(cls: type[ContractRefusal]) -> None:
    errors_of_the_contracts = {e.signature.split("(", 1)[0] for e in BY_SELECTOR.values()}
    assert cls.error in errors_of_the_contracts
    assert cls.code == snake_case(cls.error)
    # A refusal the request brings on itself whatever the state (an invalid field, an empty batch,
    # a zero address) of the platform's own contracts is 422; a conflict with the state is 409, a
    # replacement wallet with a history and a status change the current one does not allow
    # included; a consent that is not the issuer's signature over the terms is 422 however often it
    # is sent (scripts/build_artifacts.py). Library errors (no `Contract_` prefix) stay 409.
    reason = cls.error.partition("_")[2]
    malformed = bool(reason) and reason.startswith(("Invalid", "Empty", "Zero"))
    stateful = cls.error in ("Registry_InvalidIssuerStatus", "Registry_InvalidReplacement")
    signed_wrong = cls.error == "SecuredAsset_ConsentNotSigned"
    assert cls.status == (422 if (malformed and not stateful) or signed_wrong else 409) and cls.__doc__


def test_a_decoded_error_becomes_its_named_problem() -> None:
    live = bytes.fromhex("ab" * 32)
    problem = translate(CollateralAlreadyPledgedError("0x" + "11" * 20, bytes(32), live))
    assert type(problem) is errors.CollateralAlreadyPledged
    body = problem.problem("/v1/issuances/1/attestations")
    assert (
        body["code"] == "collateral_already_pledged" and body["type"] == "urn:sdap:problem:collateral_already_pledged"
    )
    assert (
        body["error"] == "Collateral_AlreadyPledged" and body["arguments"]["live_attestation_id"] == "0x" + live.hex()
    )
    assert body["title"] == errors.CollateralAlreadyPledged.title and body["status"] == 409

    under = translate(SecuredAssetUndercollateralisedError(1, 100, 500)).problem()
    assert under["code"] == "secured_asset_undercollateralised" and under["arguments"] == {
        "id": 1,
        "covered": 100,
        "supply": 500,
    }
    assert translate(RegistryPermitNotActiveError("0x" + "22" * 20, 4)).problem()["arguments"]["state"] == 4


def test_every_contract_error_has_a_class_of_its_own() -> None:
    problem = translate(SecuredAssetIssuancePausedError(3))
    assert type(problem) is errors.BY_ERROR["SecuredAsset_IssuancePaused"]
    assert problem.problem()["code"] == "secured_asset_issuance_paused"
    assert problem.problem()["arguments"] == {"id": 3}
    assert ContractRefusal.of("NoSuchError_Anywhere") is ContractRefusal  # a contract newer than the gateway


def test_the_catalogue_lists_each_code_once_with_advice() -> None:
    catalogue = all_errors()
    codes = [e.code for e in catalogue]
    assert len(codes) == len(set(codes))
    assert "secured_asset_issuance_paused" in codes
    pledged = next(e for e in catalogue if e.code == "collateral_already_pledged")
    assert "live_attestation_id" in (errors.description(pledged) or "")
    assert set(errors.ADVICE) <= set(errors.BY_ERROR)
