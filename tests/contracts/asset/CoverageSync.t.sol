// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {CoverageBase} from "./CoverageBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice How the asset learns its coverage: counted on every mint and redemption, on every
/// attachment, renewal and revocation (the collateral contract calls back), by anyone through
/// `syncCoverage`, and by the first movement after an accreditation was withdrawn. Coverage is
/// restored by new collateral or by redeeming the supply down.
contract CoverageSyncTest is CoverageBase {
    /*//////////////////////////////////////////////////////////////
                        COUNTED WHEN IT CHANGES
    //////////////////////////////////////////////////////////////*/

    /// @dev The recorded count says the attestation lasting until LAPSE covers COVERED units: a
    /// mint that keeps the supply within them leaves the count true, so nothing is counted again.
    function test_MintWithinTheLastingCover_IsNotCountedAgain() public {
        assertEq(asset.issuance(issuanceId).lastingCover, COVERED, "recorded with the count");
        vm.recordLogs();
        vm.prank(operator);
        asset.mint(issuanceId, alice, COVERED - SUPPLY);
        assertEq(vm.getRecordedLogs().length, 1, "the TransferSingle only");
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(issuanceId);
        assertEq(iss.coveredUntil, LAPSE, "coveredUntil unchanged");
        assertEq(iss.supply, COVERED, "supply");
    }

    /// @dev Beyond the lasting cover the collateral is counted now, against the new supply: a
    /// shorter-lived attestation covers the excess, until its own earlier end.
    function test_MintBeyondTheLastingCover_IsCountedNow() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 10);
        a.validUntil = LAPSE - 1 days;
        attachSigned(a);
        assertEq(asset.issuance(issuanceId).lastingCover, COVERED, "the longer one alone lasts until LAPSE");
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, COVERED + 10, COVERED + 5, LAPSE - 1 days);
        vm.prank(operator);
        asset.mint(issuanceId, alice, COVERED + 5 - SUPPLY);
        assertEq(asset.issuance(issuanceId).lastingCover, COVERED + 10, "both last until the earlier end");
    }

    /// @dev Once the recorded count has ended, a mint within the old cover is counted again (and
    /// refused: nothing covers the supply any more).
    function test_MintAfterTheCountEnds_IsCountedNow() public {
        vm.warp(LAPSE);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, issuanceId, 0, SUPPLY + 5
            )
        );
        vm.prank(operator);
        asset.mint(issuanceId, alice, 5);
    }

    function test_CoverageSyncedOnAttach() public {
        vm.warp(START + 1 days);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, SUPPLY);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, COVERED + SUPPLY, SUPPLY, a.validUntil);
        attachSigned(a);
        assertEq(asset.issuance(issuanceId).coveredUntil, a.validUntil, "the later one covers on its own");
    }

    /// @dev The collateral contract calls back on revocation: no unit moves on revoked collateral.
    function test_RevocationUndercollateralisesAtOnce() public {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, 0, SUPPLY, 0);
        vm.prank(verifier);
        collateral.revoke(fixtureId, keccak256("grain sold"));
        assertEq(asset.issuance(issuanceId).coveredUntil, 0, "recorded");
        assertRefused(alice, bob, issuanceId, 1, 0, SUPPLY);
    }

    /*//////////////////////////////////////////////////////////////
                               RESTORED
    //////////////////////////////////////////////////////////////*/

    function test_RestoredByNewAttestation() public {
        vm.warp(LAPSE);
        assertRefused(alice, bob, issuanceId, 1, 0, SUPPLY);
        bytes32 id = attest(issuanceId, SUPPLY);
        assertCoverage(issuanceId, SUPPLY, SUPPLY, collateral.attestation(id).validUntil, false);
        assertMoves(alice, bob, issuanceId, 1);
    }

    function test_RestoredByRenewal() public {
        vm.warp(LAPSE);
        attachSigned(renewal(fixtureId, COVERED));
        assertMoves(alice, bob, issuanceId, 1);
    }

    function test_RestoredByRedeemingDown() public {
        vm.prank(verifier);
        collateral.revoke(fixtureId, keccak256("part of the grain sold"));
        bytes32 rest = attest(issuanceId, SUPPLY - 500);
        assertRefused(alice, bob, issuanceId, 1, SUPPLY - 500, SUPPLY);

        uint64 until = collateral.attestation(rest).validUntil;
        vm.prank(alice);
        uint256 requestId = asset.requestRedemption(issuanceId, alice, 500, keccak256("delivery"));
        // Units pending redemption are still outstanding: only the confirmed burn counts down.
        assertRefused(bob, alice, issuanceId, 1, SUPPLY - 500, SUPPLY);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, SUPPLY - 500, SUPPLY - 500, until);
        vm.prank(issuer);
        asset.confirmRedemption(requestId, keccak256("delivered"));
        assertMoves(bob, alice, issuanceId, 1);
    }

    /// @dev The issuance stays covered until the latest expiry at which the attestations still
    /// running cover the supply; redeeming the supply down extends it.
    function test_CoveredUntil_LatestExpiryThatStillCovers() public {
        uint256 id = createIssuance();
        ICollateralAttestations.Attestation memory shortOne = attestation(id, 1500);
        shortOne.validUntil = uint64(START + 90 days);
        attachSigned(shortOne);
        ICollateralAttestations.Attestation memory longOne = attestation(id, 1000);
        longOne.validUntil = uint64(START + 200 days);
        attachSigned(longOne);
        vm.prank(operator);
        asset.mint(id, alice, 2000);
        assertCoverage(id, 2500, 2000, shortOne.validUntil, false);

        vm.warp(shortOne.validUntil);
        assertRefused(alice, bob, id, 1, 1000, 2000);
        redeem(id, alice, 1000, keccak256("delivery"));
        assertCoverage(id, 1000, 1000, longOne.validUntil, false);
        assertMoves(alice, bob, id, 1);
    }

    /*//////////////////////////////////////////////////////////////
                       ACCREDITATION WITHDRAWN
    //////////////////////////////////////////////////////////////*/

    /// @dev A withdrawal is one registry event for every issuance: each issuance counts again at its
    /// first movement, which is then judged on the new count.
    function test_VerifierWithdrawal_FirstMovementCountsAgain() public {
        withdrawAccreditation(verifier);
        ISecuredAssetTypes.Issuance memory before = asset.issuance(issuanceId);
        assertEq(before.coveredUntil, LAPSE, "the recorded count is stale");
        assertEq(before.coverageRevision, 0, "under revision 0");
        assertCoverage(issuanceId, 0, SUPPLY, 0, true);
        assertRefused(alice, bob, issuanceId, 1, 0, SUPPLY);

        // Back to the issuer is still open, and records the new count.
        onboard(issuer);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, 0, SUPPLY, 0);
        vm.prank(alice);
        asset.safeTransferFrom(alice, issuer, issuanceId, 1, "");
        ISecuredAssetTypes.Issuance memory afterwards = asset.issuance(issuanceId);
        assertEq(afterwards.coveredUntil, 0, "recorded");
        assertEq(afterwards.coverageRevision, 1, "under the new revision");
    }

    function test_VerifierWithdrawal_OtherCollateralStillCovers() public {
        (address verifier2, uint256 verifier2Key) = makeKey("verifier2");
        bytes32 role = registry.VERIFIER_ROLE();
        vm.prank(regulator);
        registry.grantRole(role, verifier2);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, SUPPLY);
        bytes memory signature = signAttestation(a, verifier2Key);
        vm.prank(operator);
        collateral.attach(a, signature);

        withdrawAccreditation(verifier);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(alice, alice, bob, issuanceId, 1);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, SUPPLY, SUPPLY, a.validUntil);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
        assertEq(asset.issuance(issuanceId).coverageRevision, 1, "counted again");
    }

    /*//////////////////////////////////////////////////////////////
                         SYNC AND THE VIEW
    //////////////////////////////////////////////////////////////*/

    function test_SyncCoverage_AnyoneMayCall() public {
        withdrawAccreditation(verifier);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, 0, SUPPLY, 0);
        vm.prank(dave);
        ISecuredAssetTypes.Coverage memory c = asset.syncCoverage(issuanceId);
        assertEq(c.covered, 0, "covered");
        assertEq(c.supply, SUPPLY, "supply");
        assertEq(c.coveredUntil, 0, "coveredUntil");
        assertTrue(c.undercollateralised, "undercollateralised");
        assertEq(asset.issuance(issuanceId).coverageRevision, 1, "recorded under the new revision");
    }

    function test_SyncCoverage_WritesOnlyWhatTheAttestationsSay() public {
        vm.prank(dave);
        asset.syncCoverage(issuanceId);
        assertCoverage(issuanceId, COVERED, SUPPLY, LAPSE, false);
        assertEq(asset.issuance(issuanceId).coveredUntil, LAPSE, "unchanged");
    }

    function test_RevertWhen_SyncCoverageUnknownIssuance() public {
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.syncCoverage(99);
    }

    function test_Coverage_EmptyIssuanceIsCovered() public {
        uint256 id = createIssuance();
        assertCoverage(id, 0, 0, type(uint40).max, false);
        assertEq(asset.issuance(id).coveredUntil, type(uint40).max, "recorded at creation");
    }

    function test_RevertWhen_CoverageOfUnknownIssuance() public {
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.coverage(99);
    }
}
