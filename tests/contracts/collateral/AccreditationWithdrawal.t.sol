// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {CollateralBase} from "./CollateralBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Withdrawing a verifier's accreditation (Law art. 6.8) stops every attestation it signed
/// at once, with no per-attestation clean-up; a later accreditation is a new epoch that does not
/// bring them back.
contract AccreditationWithdrawalTest is CollateralBase {
    function withdraw(address account) internal {
        vm.prank(regulator);
        registry.revokeRole(VERIFIER_ROLE, account);
    }

    function accredit(address account) internal {
        vm.prank(regulator);
        registry.grantRole(VERIFIER_ROLE, account);
    }

    /*//////////////////////////////////////////////////////////////
                         EPOCHS AND REVISIONS
    //////////////////////////////////////////////////////////////*/

    function test_AccreditationOf_CountsGrants() public {
        assertEq(registry.accreditationOf(verifier), 1, "first accreditation");
        assertEq(registry.accreditationOf(alice), 0, "never accredited");
        assertEq(collateral.attestation(fixtureId).accreditation, 1, "recorded on the attestation");
        withdraw(verifier);
        assertEq(registry.accreditationOf(verifier), 0, "withdrawn");
        accredit(verifier);
        assertEq(registry.accreditationOf(verifier), 2, "a new epoch");
        assertEq(collateral.attestation(attest(issuanceId, 5)).accreditation, 2, "new attestations carry it");
    }

    function test_Withdrawal_EmitsAndBumpsTheRevision() public {
        assertEq(registry.accreditationRevision(), 0, "none yet");
        vm.expectEmit(address(registry));
        emit IPlatformRegistry.AccreditationWithdrawn(verifier, 1, regulator);
        withdraw(verifier);
        assertEq(registry.accreditationRevision(), 1, "bumped");
        vm.expectEmit(address(registry));
        emit IPlatformRegistry.AccreditationWithdrawn(verifier2, 2, verifier2);
        vm.prank(verifier2);
        registry.renounceRole(VERIFIER_ROLE, verifier2);
        assertEq(registry.accreditationRevision(), 2, "a renunciation withdraws too");
    }

    function test_Withdrawal_OnlyOfTheVerifierRole() public {
        vm.startPrank(regulator);
        registry.revokeRole(registry.OPERATOR_ROLE(), operator);
        registry.revokeRole(VERIFIER_ROLE, alice); // never held it: nothing is withdrawn
        vm.stopPrank();
        assertEq(registry.accreditationRevision(), 0, "unchanged");
    }

    /*//////////////////////////////////////////////////////////////
                     ALL ITS ATTESTATIONS STOP AT ONCE
    //////////////////////////////////////////////////////////////*/

    function test_Withdrawal_StopsEveryAttestationOfTheVerifier() public {
        bytes32 second = attest(issuanceId, 500);
        (address issuer2, uint256 id2) = issuer2Issuance();
        ICollateralAttestations.Attestation memory a = attestation(id2, 700);
        a.owner = issuer2;
        bytes32 elsewhere = attachAs(operator, a, signAttestation(a, verifierKey));
        ICollateralAttestations.Attestation memory b = attestation(issuanceId, 300);
        bytes32 byOther = attachAs(operator, b, signAttestation(b, verifier2Key));
        assertEq(covered(), COVERED + 500 + 300, "before");

        withdraw(verifier);

        assertEq(covered(), 300, "only verifier2's counts");
        assertEq(collateral.coveredUnits(address(asset), id2, issuer2), 0, "nor on another issuance");
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.VerifierWithdrawn, "fixture");
        assertStatus(second, ICollateralAttestations.AttestationStatus.VerifierWithdrawn, "second");
        assertStatus(elsewhere, ICollateralAttestations.AttestationStatus.VerifierWithdrawn, "elsewhere");
        assertStatus(byOther, ICollateralAttestations.AttestationStatus.Live, "verifier2's");
        assertFalse(collateral.attestation(fixtureId).revoked, "nothing revoked one by one");
    }

    function test_Withdrawal_StopsMintingAgainstIt() public {
        withdraw(verifier);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, issuanceId, 0, 2 * MINTED + 1
            )
        );
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
    }

    function test_Regrant_DoesNotReviveOldAttestations() public {
        withdraw(verifier);
        accredit(verifier);
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.VerifierWithdrawn, "still withdrawn");
        assertEq(covered(), 0, "not counted again");
        assertTrue(asset.coverage(issuanceId).undercollateralised, "the issuance stays uncovered");

        bytes32 fresh = attest(issuanceId, 2 * MINTED);
        assertStatus(fresh, ICollateralAttestations.AttestationStatus.Live, "signed in the new epoch");
        assertEq(covered(), 2 * MINTED, "counted");
    }

    function test_Regrant_UnattachedOldSignatureCountsInTheNewEpoch() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 50);
        bytes memory signature = signAttestation(a, verifierKey);
        withdraw(verifier);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_SignerNotVerifier.selector, verifier));
        attachAs(operator, a, signature);
        accredit(verifier);
        // A signature is authority only through a current accreditation: attached now, it counts
        // under the new epoch, as the verifier may still withdraw it by invalidating its nonce.
        bytes32 id = attachAs(operator, a, signature);
        assertEq(collateral.attestation(id).accreditation, 2, "current epoch");
    }

    /// @dev The withdrawn verifier may no longer submit, but may still revoke what it signed.
    function test_RevertWhen_WithdrawnVerifierSubmits() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 50);
        bytes memory signature = signAttestation(a, verifier2Key);
        withdraw(verifier);
        expectNotAuthorised(verifier);
        attachAs(verifier, a, signature);
    }
}
