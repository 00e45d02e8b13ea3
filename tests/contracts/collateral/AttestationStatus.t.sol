// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";

import {CollateralBase} from "./CollateralBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Whether an attestation counts now and, if not, the first reason why: revoked,
/// superseded, expired, or its verifier's accreditation withdrawn. Only live ones are counted.
contract AttestationStatusTest is CollateralBase {
    function withdrawAccreditation(address account) internal {
        vm.prank(regulator);
        registry.revokeRole(VERIFIER_ROLE, account);
    }

    function test_Status_Unknown() public view {
        assertStatus(keccak256("no such attestation"), ICollateralAttestations.AttestationStatus.Unknown, "unknown");
    }

    function test_Status_Live() public view {
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Live, "live");
        assertEq(covered(), COVERED, "counted");
    }

    function test_Status_Revoked() public {
        revokeAs(regulator, fixtureId);
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Revoked, "revoked");
        assertEq(covered(), 0, "not counted");
    }

    function test_Status_Superseded() public {
        bytes32 newId = attachSigned(renewal(fixtureId, 100));
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Superseded, "superseded");
        assertEq(covered(), 100, "only the renewal counted");
        assertStatus(newId, ICollateralAttestations.AttestationStatus.Live, "renewal live");
    }

    function test_Status_ExpiredAtValidUntilExactly() public {
        vm.warp(fixtureValidUntil - 1);
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Live, "live on its last second");
        vm.warp(fixtureValidUntil);
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Expired, "expired");
        assertEq(covered(), 0, "not counted");
    }

    function test_Status_VerifierWithdrawn() public {
        withdrawAccreditation(verifier);
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.VerifierWithdrawn, "withdrawn");
        assertEq(covered(), 0, "not counted");
    }

    /// @dev The first reason wins: revoked, then superseded, then expired, then withdrawn.
    function test_Status_RevokedBeforeEverythingElse() public {
        revokeAs(verifier, fixtureId);
        attachSigned(renewal(fixtureId, 100));
        withdrawAccreditation(verifier);
        vm.warp(fixtureValidUntil);
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Revoked, "revoked wins");
    }

    function test_Status_SupersededBeforeExpiredAndWithdrawn() public {
        attachSigned(renewal(fixtureId, 100));
        withdrawAccreditation(verifier);
        vm.warp(fixtureValidUntil);
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Superseded, "superseded wins");
    }

    function test_Status_ExpiredBeforeWithdrawn() public {
        withdrawAccreditation(verifier);
        vm.warp(fixtureValidUntil);
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Expired, "expired wins");
    }

    /// @dev Pruning drops an entry from the issuance's list; its status stays readable by id.
    function test_Status_KeptAfterPruning() public {
        revokeAs(verifier, fixtureId);
        attest(issuanceId, 10);
        assertEq(listed().length, 1, "pruned");
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Revoked, "still revoked");
    }

    function test_CoveredUnits_CountsLiveOnly() public {
        bytes32 revoked = attest(issuanceId, 1);
        bytes32 renewed = attest(issuanceId, 20);
        attachSigned(renewal(renewed, 300));
        attest(issuanceId, 4000);
        revokeAs(verifier, revoked);
        assertEq(covered(), COVERED + 300 + 4000, "fixture, the renewal and the last one");
    }
}
