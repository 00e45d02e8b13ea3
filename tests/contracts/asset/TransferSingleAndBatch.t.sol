// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {TransferBase} from "./TransferBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Single and batch transfers by the holder (Law art. 6.1-6.4, 6.6): what moves, repeated
/// ids judged on their total, and the batch-level refusals.
contract TransferSingleAndBatchTest is TransferBase {
    /*//////////////////////////////////////////////////////////////
                                 SINGLE
    //////////////////////////////////////////////////////////////*/

    function test_Transfer() public {
        assertMoves(alice, bob, issuanceId, 300);
        assertEq(asset.balanceOf(alice, issuanceId), 700, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), 1_300, "bob");
        assertEq(asset.balanceOf(alice, secondId), MINTED, "other id untouched");
    }

    function test_TransferWholeBalance() public {
        assertMoves(alice, bob, issuanceId, MINTED);
        assertEq(asset.balanceOf(alice, issuanceId), 0, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), 2 * MINTED, "bob");
    }

    function test_WhenRecipientAcknowledgesNotice() public {
        acknowledge(carol);
        assertMoves(alice, carol, issuanceId, 1);
    }

    function test_RevertWhen_InsufficientBalance() public {
        assertRefused(
            alice,
            bob,
            issuanceId,
            MINTED + 1,
            ISecuredAssetTypes.Refusal.InsufficientBalance,
            abi.encodeWithSelector(
                IERC1155Errors.ERC1155InsufficientBalance.selector, alice, MINTED, MINTED + 1, issuanceId
            )
        );
    }

    function test_RevertWhen_TransferToZeroAddress() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        asset.safeTransferFrom(alice, address(0), issuanceId, 1, "");
    }

    /*//////////////////////////////////////////////////////////////
                                  BATCH
    //////////////////////////////////////////////////////////////*/

    function test_BatchTransfer() public {
        uint256[] memory ids = pair(issuanceId, secondId);
        uint256[] memory amounts = pair(100, 200);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferBatch(alice, alice, bob, ids, amounts);
        vm.prank(alice);
        asset.safeBatchTransferFrom(alice, bob, ids, amounts, "");
        assertEq(asset.balanceOf(alice, issuanceId), 900, "alice id1");
        assertEq(asset.balanceOf(alice, secondId), 800, "alice id2");
        assertEq(asset.balanceOf(bob, issuanceId), 1_100, "bob id1");
        assertEq(asset.balanceOf(bob, secondId), 1_200, "bob id2");
    }

    function test_BatchAcrossOperators() public {
        vm.prank(alice);
        asset.safeBatchTransferFrom(alice, bob, pair(issuanceId, otherOperatorId), pair(1, 2), "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 1, "bob id1");
        assertEq(asset.balanceOf(bob, otherOperatorId), MINTED + 2, "bob other operator's id");
    }

    function test_BatchWithRepeatedIdWithinAvailable() public {
        freezeUnitsOf(alice, issuanceId, 600);
        vm.prank(alice);
        asset.safeBatchTransferFrom(alice, bob, pair(issuanceId, issuanceId), pair(200, 200), "");
        assertEq(asset.balanceOf(alice, issuanceId), 600, "alice keeps exactly the frozen units");
        assertEq(asset.balanceOf(bob, issuanceId), 1_400, "bob");
        assertEq(asset.availableUnits(issuanceId, alice), 0, "nothing left to move");
    }

    function test_RevertWhen_BatchRepeatsIdOverFrozenUnits() public {
        freezeUnitsOf(alice, issuanceId, 600);
        // Each item alone fits in the 400 available; together they take 200 frozen units.
        assertEq(uint256(asset.checkTransfer(alice, bob, issuanceId, 300)), 0, "each item alone passes");
        vm.prank(alice);
        vm.expectRevert(restricted(issuanceId, alice, 400, 0, 600));
        asset.safeBatchTransferFrom(alice, bob, pair(issuanceId, issuanceId), pair(300, 300), "");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "alice unchanged");
        assertEq(asset.frozenUnits(issuanceId, alice), 600, "frozen unchanged");
    }

    function test_RevertWhen_BatchRepeatsIdOverLockedUnits() public {
        lockUnitsOf(alice, issuanceId, 600, bob);
        vm.prank(alice);
        vm.expectRevert(restricted(issuanceId, alice, 400, 600, 0));
        asset.safeBatchTransferFrom(alice, bob, pair(issuanceId, issuanceId), pair(300, 300), "");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "alice unchanged");
        assertEq(asset.encumberedUnits(issuanceId, alice), 600, "lock unchanged");
    }

    function test_RevertWhen_BatchRepeatsIdAroundAnotherId() public {
        lockUnitsOf(alice, issuanceId, 300, bob);
        freezeUnitsOf(alice, issuanceId, 300);
        uint256[] memory ids = new uint256[](3);
        ids[0] = issuanceId;
        ids[1] = secondId;
        ids[2] = issuanceId;
        uint256[] memory amounts = new uint256[](3);
        amounts[0] = 250;
        amounts[1] = 1;
        amounts[2] = 151;
        vm.prank(alice);
        vm.expectRevert(restricted(issuanceId, alice, 599, 300, 300));
        asset.safeBatchTransferFrom(alice, bob, ids, amounts, "");
        amounts[2] = 150;
        vm.prank(alice);
        asset.safeBatchTransferFrom(alice, bob, ids, amounts, "");
        assertEq(asset.balanceOf(alice, issuanceId), 600, "alice keeps locked + frozen");
        assertEq(asset.balanceOf(alice, secondId), MINTED - 1, "alice id2");
    }

    function test_RevertWhen_BatchRepeatsIdOverBalance() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, alice, 400, 700, issuanceId)
        );
        asset.safeBatchTransferFrom(alice, bob, pair(issuanceId, issuanceId), pair(600, 700), "");
    }

    function test_RevertWhen_BatchLengthMismatch() public {
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = 1;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidArrayLength.selector, 2, 1));
        asset.safeBatchTransferFrom(alice, bob, pair(issuanceId, secondId), amounts, "");
    }

    function test_RevertWhen_BatchSecondIdPaused() public {
        vm.prank(operator);
        asset.pause(secondId);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, secondId));
        asset.safeBatchTransferFrom(alice, bob, pair(issuanceId, secondId), pair(1, 1), "");
    }

    function test_RevertWhen_BatchSecondOperatorPermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator2, keccak256("inspection"));
        vm.prank(alice);
        vm.expectRevert(permitNotActive(operator2, IPlatformRegistry.PermitState.Suspended));
        asset.safeBatchTransferFrom(alice, bob, pair(issuanceId, otherOperatorId), pair(1, 1), "");
    }

    function test_RevertWhen_BatchFirstOperatorPermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        vm.prank(alice);
        vm.expectRevert(permitNotActive(operator, IPlatformRegistry.PermitState.Suspended));
        asset.safeBatchTransferFrom(alice, bob, pair(otherOperatorId, issuanceId), pair(1, 1), "");
    }

    function test_RevertWhen_BatchFromFrozenSender() public {
        freezeAccount(alice);
        vm.prank(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.safeBatchTransferFrom(alice, bob, pair(issuanceId, secondId), pair(1, 1), "");
    }

    function test_RevertWhen_BatchToIneligibleRecipient() public {
        vm.prank(alice);
        vm.expectRevert(notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged));
        asset.safeBatchTransferFrom(alice, carol, pair(issuanceId, secondId), pair(1, 1), "");
    }

    /// @dev An empty batch would log a TransferBatch no rule looked at: from a frozen wallet, to an
    /// unregistered one, under a suspended permit. It is refused whoever sends it.
    function test_RevertWhen_BatchIsEmpty() public {
        uint256[] memory none = new uint256[](0);
        vm.prank(compliance);
        registry.freezeParticipant(alice, keccak256("aml"));
        vm.prank(alice);
        vm.expectRevert(ISecuredAssetTypes.SecuredAsset_EmptyBatch.selector);
        asset.safeBatchTransferFrom(alice, dave, none, none, "");

        vm.prank(bob);
        vm.expectRevert(ISecuredAssetTypes.SecuredAsset_EmptyBatch.selector);
        asset.safeBatchTransferFrom(bob, alice, none, none, "");
    }
}
