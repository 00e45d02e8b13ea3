// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {CoverageBase} from "./CoverageBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice While live collateral does not cover the supply (Law art. 5.2, 6.8), nothing is minted
/// and units move only back to the issuer, by redemption or by regulator order. Expiry needs no
/// call: the issuance's recorded `coveredUntil` already accounts for it.
contract UndercollateralisedTest is CoverageBase {
    function test_Coverage_WhileCovered() public view {
        assertCoverage(issuanceId, COVERED, SUPPLY, LAPSE, false);
        assertEq(asset.issuance(issuanceId).coveredUntil, LAPSE, "recorded");
    }

    function test_WhenAttestationsExpire_IssuanceIsUndercollateralised() public {
        vm.warp(LAPSE);
        assertCoverage(issuanceId, 0, SUPPLY, 0, true);
        assertEq(asset.issuance(issuanceId).coveredUntil, LAPSE, "nothing recorded: the lapse was foreseen");
    }

    function test_RevertWhen_TransferWhileUndercollateralised() public {
        vm.warp(LAPSE - 1);
        assertMoves(alice, bob, issuanceId, 1);
        vm.warp(LAPSE);
        assertRefused(bob, alice, issuanceId, 1, 0, SUPPLY);
    }

    function test_RevertWhen_BatchWhileUndercollateralised() public {
        // A second issuance, still covered: one uncovered item refuses the whole batch.
        uint256 covered = createIssuance();
        vm.warp(LAPSE - 1 days);
        attest(covered, MINTED);
        vm.prank(operator);
        asset.mint(covered, alice, MINTED);
        vm.warp(LAPSE);
        uint256[] memory ids = new uint256[](2);
        (ids[0], ids[1]) = (covered, issuanceId);
        uint256[] memory amounts = new uint256[](2);
        (amounts[0], amounts[1]) = (1, 1);
        vm.expectRevert(undercollateralised(issuanceId, 0, SUPPLY));
        vm.prank(alice);
        asset.safeBatchTransferFrom(alice, bob, ids, amounts, "");
        assertMoves(alice, bob, covered, 1);
    }

    function test_RevertWhen_ApprovedOperatorTransfersWhileUndercollateralised() public {
        vm.prank(alice);
        asset.setApprovalForAll(bob, true);
        vm.warp(LAPSE);
        vm.expectRevert(undercollateralised(issuanceId, 0, SUPPLY));
        vm.prank(bob);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    function test_WhenTransferToTheIssuer() public {
        onboard(issuer);
        vm.warp(LAPSE);
        assertMoves(alice, issuer, issuanceId, 300);
        assertEq(asset.totalSupply(issuanceId), SUPPLY, "still outstanding until redeemed");
    }

    /// @dev Both sides of a redemption pass while under-collateralised; the burn counts again.
    function test_WhenRedeemWhileUndercollateralised() public {
        vm.warp(LAPSE);
        vm.prank(alice);
        uint256 requestId = asset.requestRedemption(issuanceId, alice, 100, keccak256("delivery"));
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 100, "requested");
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, 0, SUPPLY - 100, 0);
        vm.prank(issuer);
        asset.confirmRedemption(requestId, keccak256("delivered"));
        assertEq(asset.totalSupply(issuanceId), SUPPLY - 100, "redeemed");
    }

    function test_WhenForcedTransferWhileUndercollateralised() public {
        vm.warp(LAPSE);
        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, alice, bob, 100, keccak256("court order"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100, "the regulator's order moves");
    }

    function test_RevertWhen_EncumberWhileUndercollateralised() public {
        vm.warp(LAPSE);
        vm.expectRevert(undercollateralised(issuanceId, 0, SUPPLY));
        vm.prank(alice);
        asset.encumber(issuanceId, 10, bob, keccak256("pledge"), 0);
        assertEq(asset.encumberedUnits(issuanceId, alice), 0, "nothing locked");
    }

    /// @dev An encumbrance in favour of the issuer can only ever deliver units back to it.
    function test_WhenEncumberInFavourOfTheIssuer() public {
        onboard(issuer);
        vm.warp(LAPSE);
        vm.prank(alice);
        asset.encumber(issuanceId, 10, issuer, keccak256("pledge"), 0);
        assertEq(asset.encumberedUnits(issuanceId, alice), 10, "locked");
    }

    function test_RevertWhen_EnforceWhileUndercollateralised() public {
        vm.prank(alice);
        uint256 encumbranceId = asset.encumber(issuanceId, 10, bob, keccak256("pledge"), 0);
        vm.warp(LAPSE);
        vm.expectRevert(undercollateralised(issuanceId, 0, SUPPLY));
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default"));
        assertTrue(asset.encumbrance(encumbranceId).active, "still active");
    }

    function test_RevertWhen_MintWhileUndercollateralised() public {
        vm.warp(LAPSE);
        assertEq(
            uint256(asset.checkMint(issuanceId, alice, 1)),
            uint256(ISecuredAssetTypes.Refusal.CollateralInsufficient),
            "checkMint"
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, issuanceId, 0, SUPPLY + 1
            )
        );
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
    }

    function test_OtherIssuancesKeepCirculating() public {
        vm.warp(LAPSE - 1 days);
        uint256 other = createIssuance();
        attest(other, MINTED);
        vm.prank(operator);
        asset.mint(other, alice, MINTED);
        vm.warp(LAPSE);
        assertMoves(alice, bob, other, 5);
        assertRefused(alice, bob, issuanceId, 5, 0, SUPPLY);
    }

    /// @dev The status rules come first: a paused issuance says so, whatever its coverage.
    function test_StatusRefusalBeforeCoverage() public {
        vm.warp(LAPSE);
        vm.prank(operator);
        asset.pause(issuanceId);
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, 1)),
            uint256(ISecuredAssetTypes.Refusal.IssuancePaused),
            "paused first"
        );
    }
}
