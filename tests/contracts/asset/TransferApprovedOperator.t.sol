// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {TransferBase} from "./TransferBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Transfers by an approved operator: approval given and withdrawn, the holder's
/// restrictions still binding, and the operator's own standing on the platform (R10, R12).
contract TransferApprovedOperatorTest is TransferBase {
    /*//////////////////////////////////////////////////////////////
                           APPROVED OPERATOR
    //////////////////////////////////////////////////////////////*/

    function test_TransferByApprovedOperator() public {
        vm.prank(alice);
        asset.setApprovalForAll(bob, true);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(bob, alice, bob, issuanceId, 250);
        vm.prank(bob);
        asset.safeTransferFrom(alice, bob, issuanceId, 250, "");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 250, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 250, "bob");
    }

    function test_RevertWhen_OperatorNotApproved() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, bob, alice));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    function test_RevertWhen_OperatorApprovalWithdrawn() public {
        vm.startPrank(alice);
        asset.setApprovalForAll(bob, true);
        asset.setApprovalForAll(bob, false);
        vm.stopPrank();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, bob, alice));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    function test_RevertWhen_ApprovedOperatorMovesFrozenAccountUnits() public {
        vm.prank(alice);
        asset.setApprovalForAll(bob, true);
        freezeAccount(alice);
        vm.prank(bob);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    function test_RevertWhen_ApprovedOperatorMovesLockedUnits() public {
        lockUnitsOf(alice, issuanceId, 900, bob);
        vm.prank(alice);
        asset.setApprovalForAll(bob, true);
        vm.prank(bob);
        vm.expectRevert(restricted(issuanceId, alice, 899, 900, 0));
        asset.safeTransferFrom(alice, bob, issuanceId, 101, "");
    }

    function test_BatchByApprovedOperator() public {
        vm.prank(alice);
        asset.setApprovalForAll(bob, true);
        uint256[] memory ids = pair(issuanceId, secondId);
        uint256[] memory amounts = pair(10, 20);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferBatch(bob, alice, bob, ids, amounts);
        vm.prank(bob);
        asset.safeBatchTransferFrom(alice, bob, ids, amounts, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 10, "bob id1");
        assertEq(asset.balanceOf(bob, secondId), MINTED + 20, "bob id2");
    }

    /// @dev An approved operator acts on the platform for the holder: a frozen, unregistered or
    /// unidentified one is refused even though the holder approved it before (R10, R12).
    function test_RevertWhen_ApprovedOperatorIsFrozen() public {
        vm.prank(alice);
        asset.setApprovalForAll(bob, true);
        vm.prank(compliance);
        registry.freezeParticipant(bob, keccak256("aml"));
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector,
                bob,
                IPlatformRegistry.ParticipantStatus.Frozen
            )
        );
        asset.safeTransferFrom(alice, carol, issuanceId, 1, "");
    }

    function test_RevertWhen_ApprovedOperatorIsNotRegistered() public {
        vm.prank(alice);
        asset.setApprovalForAll(dave, true);
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        vm.prank(dave);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector,
                dave,
                IPlatformRegistry.ParticipantStatus.NotRegistered
            )
        );
        asset.safeBatchTransferFrom(alice, bob, ids, ids, "");
    }

    /// @dev Whoever moves a holder's units deals in them (Rules item 4.1; Law art. 6.4): an approved
    /// operator that has not acknowledged the notice in force is refused like an unidentified one.
    function test_RevertWhen_ApprovedOperatorHasNotAcknowledged() public {
        vm.prank(alice);
        asset.setApprovalForAll(carol, true); // registered, never acknowledged
        vm.prank(carol);
        vm.expectRevert(notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged));
        asset.safeTransferFrom(alice, bob, issuanceId, 5, "");

        acknowledge(carol);
        vm.prank(carol);
        asset.safeTransferFrom(alice, bob, issuanceId, 5, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 5, "moved once the operator acknowledged");
    }
}
