// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {EncumbranceBase} from "./EncumbranceBase.t.sol";
import {ArmedWallet} from "../utils/ArmedWallet.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Enforcement of an encumbrance by the issuance's operator (Rules item 4): what it moves
/// and what it ignores, who may enforce and when, and a route that ends with the enforcement.
contract EnforcementTest is EncumbranceBase {
    /*//////////////////////////////////////////////////////////////
                                 ENFORCE
    //////////////////////////////////////////////////////////////*/

    function test_EnforceByIssuanceOperator() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.EncumbranceEnforced(encumbranceId, keccak256("default notice"), operator);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(operator, alice, bob, issuanceId, 400);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));

        assertFalse(asset.encumbrance(encumbranceId).active, "inactive");
        assertLocked(0, MINTED - 400);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "beneficiary");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply");
    }

    function test_EnforceOnTheLastSecondBeforeExpiry() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry - 1);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "beneficiary");
    }

    function test_EnforceWithoutExpiryLongAfter() public {
        uint256 encumbranceId = pledge(400, 0);
        vm.warp(START + 300 days);
        // The fixture's collateral lapsed at 180 days: fresh collateral keeps the units circulating.
        attest(issuanceId, COVERED);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "beneficiary");
    }

    function test_EnforceOneOfSeveralLeavesTheOthersLocked() public {
        uint256 first = pledge(300, expiry);
        pledge(200, 0);
        vm.prank(operator);
        asset.enforce(first, keccak256("default notice"));
        assertLocked(200, MINTED - 300);
    }

    function test_EnforceIgnoresHolderAccountFreeze() public {
        uint256 encumbranceId = pledge(400, expiry);
        freezeAccount(alice);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertLocked(0, MINTED - 400);
        // The route ends with the enforcement: the frozen holder still cannot send.
        vm.prank(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    function test_EnforceIgnoresHolderIdentityExpiry() public {
        uint256 encumbranceId = pledge(400, 0);
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, keccak256("kyc short"), uint64(START + 1 days));
        vm.warp(START + 1 days);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "beneficiary");
    }

    function test_EnforceLeavesFrozenUnitsInPlace() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, 600, keccak256("str"));
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertEq(asset.balanceOf(alice, issuanceId), 600, "alice keeps the frozen units");
        assertEq(asset.frozenUnits(issuanceId, alice), 600, "still frozen");
        assertEq(asset.availableUnits(issuanceId, alice), 0, "available");
    }

    function test_RevertWhen_EnforceByBeneficiary() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, bob)
        );
        asset.enforce(encumbranceId, keccak256("self help"));
    }

    function test_RevertWhen_EnforceByHolder() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, alice)
        );
        asset.enforce(encumbranceId, keccak256("x"));
    }

    function test_RevertWhen_EnforceByRegulator() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, regulator)
        );
        asset.enforce(encumbranceId, keccak256("x"));
    }

    function test_RevertWhen_EnforceByAnotherOperator() public {
        uint256 encumbranceId = pledge(400, expiry);
        address op = makeAddr("operator2");
        vm.startPrank(regulator);
        registry.grantRole(registry.OPERATOR_ROLE(), op);
        registry.grantPermit(op, uint64(START), uint64(START + 365 days), keccak256("permit-002"));
        vm.stopPrank();
        vm.prank(op);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, op)
        );
        asset.enforce(encumbranceId, keccak256("x"));
    }

    function test_RevertWhen_EnforceExpired() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry);
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EncumbranceExpired.selector, encumbranceId, expiry)
        );
        asset.enforce(encumbranceId, keccak256("late"));
        assertLocked(400, MINTED);
        assertTrue(asset.encumbrance(encumbranceId).active, "still active until released");
    }

    function test_RevertWhen_EnforceReleased() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(bob);
        asset.release(encumbranceId);
        vm.prank(operator);
        vm.expectRevert(notActive(encumbranceId));
        asset.enforce(encumbranceId, keccak256("x"));
    }

    function test_RevertWhen_EnforceTwice() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("x"));
        vm.prank(operator);
        vm.expectRevert(notActive(encumbranceId));
        asset.enforce(encumbranceId, keccak256("x"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "moved once");
    }

    function test_RevertWhen_EnforceUnknownEncumbrance() public {
        vm.prank(operator);
        vm.expectRevert(notActive(7));
        asset.enforce(7, keccak256("x"));
    }

    function test_RevertWhen_EnforceWhilePaused() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(regulator);
        asset.pause(issuanceId);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.enforce(encumbranceId, keccak256("x"));
        assertLocked(400, MINTED);
        assertTrue(asset.encumbrance(encumbranceId).active, "still active");
    }

    function test_RevertWhen_EnforcePermitSuspended() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                operator,
                IPlatformRegistry.PermitState.Suspended
            )
        );
        asset.enforce(encumbranceId, keccak256("x"));
        assertLocked(400, MINTED);
    }

    function test_RevertWhen_EnforceToFrozenBeneficiary() public {
        uint256 encumbranceId = pledge(400, expiry);
        freezeAccount(bob);
        vm.prank(operator);
        vm.expectRevert(notEligible(bob, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.enforce(encumbranceId, keccak256("x"));
        assertLocked(400, MINTED);
        assertTrue(asset.encumbrance(encumbranceId).active, "still active");
    }

    function test_RevertWhen_EnforceToBeneficiaryBehindOnNewestNotice() public {
        uint256 encumbranceId = pledge(400, expiry);
        publishNewNotice();
        vm.prank(operator);
        vm.expectRevert(notEligible(bob, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged));
        asset.enforce(encumbranceId, keccak256("x"));
        acknowledge(bob);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("x"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "delivered once acknowledged");
    }

    /*//////////////////////////////////////////////////////////////
                   THE ENFORCEMENT ROUTE ENDS WITH IT
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_ApprovedWalletPullsFromFrozenAccount() public {
        ArmedWallet wallet = new ArmedWallet();
        onboard(address(wallet));
        vm.prank(alice);
        asset.setApprovalForAll(address(wallet), true);
        freezeAccount(alice);
        bytes memory pull = abi.encodeCall(IERC1155.safeTransferFrom, (alice, bob, issuanceId, 500, ""));
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        wallet.execute(address(asset), pull);
    }

    /// @dev The enforcement relaxes the sender rules for the pledged units only. A beneficiary's
    /// wallet that receives them must not be able to use the relaxed route, from inside the
    /// ERC-1155 acceptance callback, to move units of a frozen account that approved it.
    function test_EnforcementRouteDoesNotReachTheBeneficiaryCallback() public {
        ArmedWallet wallet = new ArmedWallet();
        onboard(address(wallet));
        vm.prank(alice);
        asset.setApprovalForAll(address(wallet), true);
        freezeAccount(alice);
        vm.prank(bob);
        uint256 encumbranceId = asset.encumber(issuanceId, 100, address(wallet), PLEDGE, 0);
        wallet.arm(address(asset), abi.encodeCall(IERC1155.safeTransferFrom, (alice, bob, issuanceId, 500, "")));

        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));

        assertEq(asset.balanceOf(address(wallet), issuanceId), 100, "pledged units delivered");
        assertTrue(wallet.attempted(), "callback ran");
        (bool succeeded, bytes memory failure) = wallet.outcome(0);
        assertFalse(succeeded, "frozen account's units moved inside the enforcement");
        assertEq(
            keccak256(failure),
            keccak256(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen)),
            "refused for the frozen sender"
        );
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "frozen account untouched");
    }
}
