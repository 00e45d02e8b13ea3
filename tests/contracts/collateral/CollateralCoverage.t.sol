// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {CollateralBase} from "./CollateralBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Which attestations count towards coverage (Law art. 6.8; R6): revocation, expiry,
/// pruning of dead entries and the per-issuance limit.
contract CollateralCoverageTest is CollateralBase {
    /*//////////////////////////////////////////////////////////////
                                 REVOKE
    //////////////////////////////////////////////////////////////*/

    function test_Revoke_ByVerifierEmitsAndStopsMinting() public {
        vm.expectEmit();
        emit ICollateralAttestations.AttestationRevoked(fixtureId, REASON, verifier);
        revokeAs(verifier, fixtureId);

        ICollateralAttestations.AttestationRecord memory r = collateral.attestation(fixtureId);
        assertTrue(r.revoked, "revoked");
        assertEq(r.units, COVERED, "record kept");
        assertEq(covered(), 0, "no longer covers");
        assertEq(listed().length, 1, "still listed until the next attach prunes it");

        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, issuanceId, 0, 2 * MINTED + 1
            )
        );
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
    }

    function test_Revoke_ByRegulator() public {
        vm.expectEmit();
        emit ICollateralAttestations.AttestationRevoked(fixtureId, REASON, regulator);
        revokeAs(regulator, fixtureId);
        assertTrue(collateral.attestation(fixtureId).revoked, "revoked");
        assertEq(covered(), 0, "no longer covers");
    }

    /// @dev Withdrawing the verifier's accreditation does not take away its right to revoke what it signed.
    function test_Revoke_ByFormerVerifier() public {
        vm.prank(regulator);
        registry.revokeRole(VERIFIER_ROLE, verifier);
        revokeAs(verifier, fixtureId);
        assertTrue(collateral.attestation(fixtureId).revoked, "revoked");
    }

    function test_RevertWhen_RevokeByOperator() public {
        expectNotAuthorised(operator);
        revokeAs(operator, fixtureId);
        assertFalse(collateral.attestation(fixtureId).revoked, "kept");
    }

    function test_RevertWhen_RevokeByAnotherVerifier() public {
        expectNotAuthorised(verifier2);
        revokeAs(verifier2, fixtureId);
    }

    function test_RevertWhen_RevokeByIssuer() public {
        expectNotAuthorised(issuer);
        revokeAs(issuer, fixtureId);
    }

    function test_RevertWhen_RevokeTwice() public {
        revokeAs(verifier, fixtureId);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_AttestationAlreadyRevoked.selector, fixtureId)
        );
        revokeAs(verifier, fixtureId);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_AttestationAlreadyRevoked.selector, fixtureId)
        );
        revokeAs(regulator, fixtureId);
    }

    function test_RevertWhen_RevokeUnknown() public {
        bytes32 unknown = keccak256("no such attestation");
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_AttestationUnknown.selector, unknown));
        revokeAs(regulator, unknown);
    }

    /*//////////////////////////////////////////////////////////////
                             COVERED UNITS
    //////////////////////////////////////////////////////////////*/

    function test_CoveredUnits_SumsLiveAttestations() public {
        attest(issuanceId, 500);
        attest(issuanceId, 250);
        assertEq(covered(), COVERED + 750, "sum");
    }

    function test_CoveredUnits_ExcludesExpiredAtValidUntilExactly() public {
        vm.warp(START + 10 days);
        attest(issuanceId, 500); // valid until START + 190 days
        vm.warp(fixtureValidUntil - 1);
        assertEq(covered(), COVERED + 500, "both live");
        vm.warp(fixtureValidUntil);
        assertEq(covered(), 500, "fixture expired");
        vm.warp(START + 190 days);
        assertEq(covered(), 0, "both expired");
    }

    function test_CoveredUnits_ExcludesRevoked() public {
        bytes32 id = attest(issuanceId, 500);
        revokeAs(verifier, id);
        assertEq(covered(), COVERED, "revoked one excluded");
    }

    function test_CoveredUnits_OnlyMatchingOwner() public view {
        assertEq(collateral.coveredUnits(address(asset), issuanceId, alice), 0, "alice owns nothing");
        assertEq(collateral.coveredUnits(address(asset), issuanceId, address(0)), 0, "zero owner");
        assertEq(covered(), COVERED, "issuer");
    }

    function test_CoveredUnits_PerIssuanceAndAsset() public {
        (address issuer2, uint256 id2) = issuer2Issuance();
        assertEq(collateral.coveredUnits(address(asset), id2, issuer2), 0, "new issuance");
        assertEq(collateral.coveredUnits(address(asset), id2, issuer), 0, "fixture issuer on new issuance");
        assertEq(collateral.coveredUnits(address(0xBEEF), issuanceId, issuer), 0, "other asset");
    }

    /// @dev R6: an expired verification stops further minting.
    function test_CoveredUnits_ExpiryStopsMinting() public {
        vm.warp(fixtureValidUntil);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, issuanceId, 0, 2 * MINTED + 1
            )
        );
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
        // Units already minted stop circulating too: the issuance is under-collateralised.
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_Undercollateralised.selector, issuanceId, 0, 2 * MINTED
            )
        );
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    /*//////////////////////////////////////////////////////////////
                                PRUNING
    //////////////////////////////////////////////////////////////*/

    function test_Attach_PrunesRevokedAndEmits() public {
        revokeAs(verifier, fixtureId);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 400);
        bytes memory signature = signAttestation(a, verifierKey);
        bytes32 newId = collateral.attestationDigest(a);

        vm.expectEmit();
        emit ICollateralAttestations.AttestationPruned(fixtureId, address(asset), issuanceId);
        vm.expectEmit();
        emit ICollateralAttestations.AttestationAttached(newId, address(asset), issuanceId, verifier, a, operator);
        attachAs(operator, a, signature);

        bytes32[] memory ids = listed();
        assertEq(ids.length, 1, "only the live one");
        assertEq(ids[0], newId, "new");
        ICollateralAttestations.AttestationRecord memory old = collateral.attestation(fixtureId);
        assertEq(old.units, COVERED, "pruned record still readable by id");
        assertTrue(old.revoked, "and still revoked");
        assertEq(covered(), 400, "covered");
    }

    function test_Attach_PrunesExpired() public {
        vm.warp(fixtureValidUntil);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 400);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectEmit();
        emit ICollateralAttestations.AttestationPruned(fixtureId, address(asset), issuanceId);
        bytes32 newId = attachAs(operator, a, signature);
        bytes32[] memory ids = listed();
        assertEq(ids.length, 1, "expired pruned");
        assertEq(ids[0], newId, "new");
    }

    function test_Attach_PruneKeepsLiveOnesInPlace() public {
        bytes32 a = attest(issuanceId, 1);
        bytes32 b = attest(issuanceId, 2);
        bytes32 c = attest(issuanceId, 3);
        revokeAs(verifier, a);
        revokeAs(regulator, c); // the last entry
        bytes32 d = attest(issuanceId, 4);

        // [F, a, b, c] -> a swapped with c, c dropped, then c (now at a's place) dropped -> [F, b] + d
        bytes32[] memory ids = listed();
        assertEq(ids.length, 3, "two pruned");
        assertEq(ids[0], fixtureId, "F");
        assertEq(ids[1], b, "b moved into a's place");
        assertEq(ids[2], d, "d appended");
        assertEq(covered(), COVERED + 2 + 4, "covered");
    }

    function test_Attach_PrunesOnlyItsOwnIssuance() public {
        (address issuer2, uint256 id2) = issuer2Issuance();
        revokeAs(verifier, fixtureId);
        ICollateralAttestations.Attestation memory a = attestation(id2, 100);
        a.owner = issuer2;
        attachAs(operator, a, signAttestation(a, verifierKey));
        assertEq(listed().length, 1, "issuance 1 untouched");
        assertEq(listed()[0], fixtureId, "fixture still listed");
    }

    /*//////////////////////////////////////////////////////////////
                                 LIMIT
    //////////////////////////////////////////////////////////////*/

    function fill() internal returns (bytes32[] memory ids) {
        for (uint256 i = 1; i < MAX; ++i) {
            attest(issuanceId, 1);
        }
        ids = listed();
        assertEq(ids.length, MAX, "full");
    }

    function test_RevertWhen_TooManyAttestations() public {
        fill();
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 1);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICollateralAttestations.Collateral_TooManyAttestations.selector, address(asset), issuanceId, MAX
            )
        );
        attachAs(operator, a, signature);
        assertEq(covered(), COVERED + MAX - 1, "covered unchanged");
        assertFalse(collateral.isNonceUsed(verifier, a.nonce), "nonce not spent");
    }

    function test_Attach_RevocationFreesRoom() public {
        bytes32[] memory ids = fill();
        revokeAs(verifier, ids[5]);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 9);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectEmit();
        emit ICollateralAttestations.AttestationPruned(ids[5], address(asset), issuanceId);
        attachAs(operator, a, signature);
        assertEq(listed().length, MAX, "full again");
        assertEq(covered(), COVERED + MAX - 2 + 9, "covered");
    }

    function test_Attach_ExpiryFreesRoom() public {
        fill(); // all valid until START + 180 days
        vm.warp(fixtureValidUntil);
        bytes32 id = attest(issuanceId, 9);
        bytes32[] memory ids = listed();
        assertEq(ids.length, 1, "all expired ones pruned");
        assertEq(ids[0], id, "new");
        assertEq(covered(), 9, "covered");
    }
}
