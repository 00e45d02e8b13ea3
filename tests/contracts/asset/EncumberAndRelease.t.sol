// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {EncumbranceBase} from "./EncumbranceBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Encumbrance of units by third-party rights (Rules item 4): who may encumber what, locked
/// units that cannot move, and release by the beneficiary or, once expired, the holder.
contract EncumberAndReleaseTest is EncumbranceBase {
    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function expectEncumberRevert(address holder, uint256 amount, address beneficiary, uint64 until, bytes memory err)
        internal
    {
        uint256 countBefore = asset.encumbranceCount();
        uint256 lockedBefore = asset.encumberedUnits(issuanceId, holder);
        vm.prank(holder);
        vm.expectRevert(err);
        asset.encumber(issuanceId, amount, beneficiary, PLEDGE, until);
        assertEq(asset.encumbranceCount(), countBefore, "no encumbrance recorded");
        assertEq(asset.encumberedUnits(issuanceId, holder), lockedBefore, "nothing locked");
    }

    function notBeneficiary(uint256 encumbranceId, address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotBeneficiary.selector, encumbranceId, account);
    }

    /*//////////////////////////////////////////////////////////////
                                 ENCUMBER
    //////////////////////////////////////////////////////////////*/

    function test_Encumber() public {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.Encumbered(1, issuanceId, alice, bob, 400, expiry, PLEDGE);
        uint256 encumbranceId = pledge(400, expiry);

        assertEq(encumbranceId, 1, "id");
        assertEq(asset.encumbranceCount(), 1, "count");
        ISecuredAssetTypes.Encumbrance memory e = asset.encumbrance(encumbranceId);
        assertEq(e.issuanceId, issuanceId, "issuanceId");
        assertEq(e.holder, alice, "holder");
        assertEq(uint256(e.expiry), uint256(expiry), "expiry");
        assertTrue(e.active, "active");
        assertEq(e.beneficiary, bob, "beneficiary");
        assertEq(e.amount, 400, "amount");
        assertEq(e.referenceHash, PLEDGE, "referenceHash");
        // The units stay the holder's: locked, not moved.
        assertLocked(400, MINTED);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "beneficiary receives nothing yet");
    }

    function test_EncumberWithoutExpiry() public {
        uint256 encumbranceId = pledge(MINTED, 0);
        assertEq(uint256(asset.encumbrance(encumbranceId).expiry), 0, "no expiry");
        assertLocked(MINTED, MINTED);
    }

    function test_EncumbrancesAddUp() public {
        uint256 first = pledge(300, expiry);
        uint256 second = pledge(500, 0);
        assertEq(second, first + 1, "sequential ids");
        assertLocked(800, MINTED);
        vm.prank(bob);
        asset.release(first);
        assertLocked(500, MINTED);
        assertTrue(asset.encumbrance(second).active, "second still active");
    }

    /// @dev Law art. 6.4: encumbering is dealing, so the holder acknowledges the notice in force first.
    function test_RevertWhen_EncumberBySenderBehindOnNewestNotice() public {
        publishNewNotice();
        acknowledge(bob);
        expectEncumberRevert(
            alice, 10, bob, expiry, notEligible(alice, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
        acknowledge(alice);
        pledge(10, expiry);
        assertLocked(10, MINTED);
    }

    function test_RevertWhen_BeneficiaryIsHolder() public {
        expectEncumberRevert(
            alice,
            1,
            alice,
            expiry,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_InvalidBeneficiary.selector, alice)
        );
    }

    function test_RevertWhen_BeneficiaryIsZero() public {
        expectEncumberRevert(
            alice,
            1,
            address(0),
            expiry,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_InvalidBeneficiary.selector, address(0))
        );
    }

    function test_RevertWhen_ExpiryIsNow() public {
        expectEncumberRevert(
            alice,
            1,
            bob,
            uint64(START),
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_InvalidExpiry.selector, uint64(START))
        );
    }

    function test_RevertWhen_ExpiryInPast() public {
        expectEncumberRevert(
            alice,
            1,
            bob,
            uint64(START - 1),
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_InvalidExpiry.selector, uint64(START - 1))
        );
    }

    function test_EncumberExpiringNextSecond() public {
        uint256 encumbranceId = pledge(1, uint64(START + 1));
        assertEq(uint256(asset.encumbrance(encumbranceId).expiry), START + 1, "expiry");
    }

    function test_RevertWhen_EncumberZero() public {
        expectEncumberRevert(
            alice, 0, bob, expiry, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ZeroAmount.selector)
        );
    }

    function test_RevertWhen_EncumberMoreThanBalance() public {
        expectEncumberRevert(
            alice,
            MINTED + 1,
            bob,
            expiry,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, MINTED + 1, MINTED
            )
        );
    }

    function test_RevertWhen_EncumberAlreadyLockedOrFrozenUnits() public {
        pledge(300, expiry);
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, 200, keccak256("str"));
        expectEncumberRevert(
            alice,
            501,
            bob,
            expiry,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, 501, 500
            )
        );
        pledge(500, expiry);
        assertEq(asset.encumberedUnits(issuanceId, alice), 800, "encumbered");
        assertEq(asset.frozenUnits(issuanceId, alice), 200, "frozen");
        assertEq(asset.availableUnits(issuanceId, alice), 0, "available");
    }

    function test_RevertWhen_BeneficiaryUnregistered() public {
        expectEncumberRevert(
            alice, 1, dave, expiry, notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered)
        );
    }

    function test_RevertWhen_BeneficiaryHasNotAcknowledged() public {
        expectEncumberRevert(
            alice, 1, carol, expiry, notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
    }

    function test_RevertWhen_BeneficiaryFrozen() public {
        freezeAccount(bob);
        expectEncumberRevert(alice, 1, bob, expiry, notEligible(bob, IPlatformRegistry.ParticipantStatus.Frozen));
    }

    function test_RevertWhen_EncumberingHolderFrozen() public {
        freezeAccount(alice);
        expectEncumberRevert(alice, 1, bob, expiry, notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
    }

    function test_RevertWhen_EncumberingHolderIdentityExpired() public {
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, keccak256("kyc short"), uint64(START + 1 days));
        vm.warp(START + 1 days);
        expectEncumberRevert(
            alice, 1, bob, expiry, notEligible(alice, IPlatformRegistry.ParticipantStatus.IdentityExpired)
        );
    }

    function test_RevertWhen_EncumberWhilePaused() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        expectEncumberRevert(
            alice,
            1,
            bob,
            expiry,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
    }

    function test_RevertWhen_EncumberPermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        expectEncumberRevert(
            alice,
            1,
            bob,
            expiry,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                operator,
                IPlatformRegistry.PermitState.Suspended
            )
        );
    }

    function test_RevertWhen_EncumberUnknownIssuance() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.encumber(99, 1, bob, PLEDGE, expiry);
    }

    /*//////////////////////////////////////////////////////////////
                          LOCKED UNITS CANNOT MOVE
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_LockedUnitsTransferred() public {
        pledge(400, expiry);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, 399, 400, 0, 0
            )
        );
        asset.safeTransferFrom(alice, bob, issuanceId, 601, "");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 600, "");
        assertLocked(400, 400);
    }

    function test_RevertWhen_LockedUnitsRedeemed() public {
        pledge(400, expiry);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, 399, 400, 0, 0
            )
        );
        asset.requestRedemption(issuanceId, alice, 601, keccak256("delivery"));
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "nothing left alice");
        assertEq(asset.balanceOf(address(asset), issuanceId), 0, "nothing in custody");
    }

    function test_RevertWhen_LockedUnitsFrozen() public {
        pledge(400, expiry);
        vm.prank(compliance);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, 601, 600
            )
        );
        asset.freezeUnits(issuanceId, alice, 601, keccak256("str"));
    }

    function test_RevertWhen_LockedUnitsForcedOut() public {
        pledge(400, expiry);
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, 601, 600
            )
        );
        asset.forcedTransfer(issuanceId, alice, bob, 601, keccak256("court order"));
    }

    function test_LockedUnitsStayLockedAfterExpiryUntilReleased() public {
        pledge(400, expiry);
        vm.warp(expiry + 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, 0, 400, 0, 0
            )
        );
        asset.safeTransferFrom(alice, bob, issuanceId, MINTED, "");
    }

    /*//////////////////////////////////////////////////////////////
                                 RELEASE
    //////////////////////////////////////////////////////////////*/

    function test_ReleaseByBeneficiary() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.EncumbranceReleased(encumbranceId, bob);
        vm.prank(bob);
        asset.release(encumbranceId);

        assertFalse(asset.encumbrance(encumbranceId).active, "inactive");
        assertEq(asset.encumbrance(encumbranceId).amount, 400, "record kept");
        assertLocked(0, MINTED);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, MINTED, "");
        assertEq(asset.balanceOf(alice, issuanceId), 0, "released units move");
    }

    function test_ReleaseByBeneficiaryAfterExpiry() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry + 10 days);
        vm.prank(bob);
        asset.release(encumbranceId);
        assertLocked(0, MINTED);
    }

    function test_ReleaseByHolderOnceExpired() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.EncumbranceReleased(encumbranceId, alice);
        vm.prank(alice);
        asset.release(encumbranceId);
        assertLocked(0, MINTED);
    }

    function test_ReleaseWhilePaused() public {
        // Release moves no unit, so a pause does not hold it up.
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.prank(bob);
        asset.release(encumbranceId);
        assertLocked(0, MINTED);
    }

    function test_RevertWhen_HolderReleasesBeforeExpiry() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry - 1);
        vm.prank(alice);
        vm.expectRevert(notBeneficiary(encumbranceId, alice));
        asset.release(encumbranceId);
        assertLocked(400, MINTED);
    }

    function test_RevertWhen_HolderReleasesEncumbranceWithoutExpiry() public {
        uint256 encumbranceId = pledge(400, 0);
        vm.warp(START + 300 days);
        vm.prank(alice);
        vm.expectRevert(notBeneficiary(encumbranceId, alice));
        asset.release(encumbranceId);
    }

    function test_RevertWhen_StrangerReleases() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry + 1);
        vm.prank(carol);
        vm.expectRevert(notBeneficiary(encumbranceId, carol));
        asset.release(encumbranceId);
    }

    function test_RevertWhen_OperatorReleases() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(operator);
        vm.expectRevert(notBeneficiary(encumbranceId, operator));
        asset.release(encumbranceId);
    }

    function test_RevertWhen_ReleasedTwice() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(bob);
        asset.release(encumbranceId);
        vm.prank(bob);
        vm.expectRevert(notActive(encumbranceId));
        asset.release(encumbranceId);
        assertLocked(0, MINTED);
    }

    function test_RevertWhen_ReleaseUnknownEncumbrance() public {
        vm.prank(bob);
        vm.expectRevert(notActive(99));
        asset.release(99);
    }
}
