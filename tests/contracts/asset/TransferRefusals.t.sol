// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {TransferBase} from "./TransferBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Why a transfer is refused (Law art. 6.1-6.4, 6.6): the permit, the issuance's state, the
/// sender's and the recipient's status and locked or frozen units, the order the rules are reported
/// in, and `checkTransfer` naming the same reason the transfer fails for.
contract TransferRefusalsTest is TransferBase {
    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function shortenIdentity(address wallet) internal {
        vm.prank(operator);
        registry.updateParticipantIdentity(wallet, keccak256("kyc short"), uint64(block.timestamp + 1 days));
        vm.warp(block.timestamp + 1 days);
    }

    /*//////////////////////////////////////////////////////////////
                                 PERMIT
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_PermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        assertRefused(
            alice,
            bob,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.PermitNotActive,
            permitNotActive(operator, IPlatformRegistry.PermitState.Suspended)
        );
    }

    function test_RevertWhen_PermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("revoked"));
        assertRefused(
            alice,
            bob,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.PermitNotActive,
            permitNotActive(operator, IPlatformRegistry.PermitState.Revoked)
        );
    }

    function test_RevertWhen_PermitExpired() public {
        vm.warp(START + 365 days);
        assertRefused(
            alice,
            bob,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.PermitNotActive,
            permitNotActive(operator, IPlatformRegistry.PermitState.Expired)
        );
    }

    function test_PermitSuspensionStopsEveryIssuanceOfTheOperator() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        bytes memory err = permitNotActive(operator, IPlatformRegistry.PermitState.Suspended);
        assertRefused(alice, bob, issuanceId, 1, ISecuredAssetTypes.Refusal.PermitNotActive, err);
        assertRefused(bob, alice, secondId, 1, ISecuredAssetTypes.Refusal.PermitNotActive, err);
        // Another operator's issuance keeps circulating.
        assertMoves(alice, bob, otherOperatorId, 1);
    }

    function test_WhenPermitReinstated() public {
        vm.startPrank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        registry.reinstatePermit(operator, keccak256("cleared"));
        vm.stopPrank();
        assertMoves(alice, bob, issuanceId, 1);
    }

    /*//////////////////////////////////////////////////////////////
                           ISSUANCE STATE
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_Paused() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        assertRefused(
            alice,
            bob,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.IssuancePaused,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
        assertMoves(alice, bob, secondId, 1);
    }

    function test_RevertWhen_IssuanceUnknown() public {
        assertRefused(
            alice,
            bob,
            99,
            0,
            ISecuredAssetTypes.Refusal.IssuanceUnknown,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99)
        );
    }

    function test_RevertWhen_IssuanceClosed() public {
        uint256 id = createIssuance();
        vm.prank(issuer);
        asset.close(id, keccak256("fulfilled"));
        assertRefused(
            alice,
            bob,
            id,
            0,
            ISecuredAssetTypes.Refusal.IssuanceClosed,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceClosed.selector, id)
        );
    }

    /*//////////////////////////////////////////////////////////////
                                 SENDER
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SenderFrozen() public {
        freezeAccount(alice);
        assertRefused(
            alice,
            bob,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.SenderFrozen,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen)
        );
    }

    function test_WhenSenderUnfrozen() public {
        freezeAccount(alice);
        vm.prank(compliance);
        registry.unfreezeParticipant(alice, keccak256("cleared"));
        assertMoves(alice, bob, issuanceId, 1);
    }

    function test_RevertWhen_SenderUnregistered() public {
        // Nobody unregistered can hold units; a zero transfer shows the sender rule on its own.
        assertRefused(
            dave,
            bob,
            issuanceId,
            0,
            ISecuredAssetTypes.Refusal.SenderNotRegistered,
            notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered)
        );
    }

    function test_RevertWhen_SenderIdentityExpired() public {
        shortenIdentity(alice);
        assertRefused(
            alice,
            bob,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.SenderIdentityExpired,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.IdentityExpired)
        );
    }

    function test_WhenSenderIdentityRenewed() public {
        shortenIdentity(alice);
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, keccak256("kyc renewed"), uint64(block.timestamp + 365 days));
        assertMoves(alice, bob, issuanceId, 1);
    }

    /// @dev Law art. 6.4: the risks of dealing are told before dealing, so a sender acknowledges
    /// the notice in force as a recipient does.
    function test_RevertWhen_SenderHasNotAcknowledgedNewestNotice() public {
        publishNewNotice();
        acknowledge(bob);
        assertRefused(
            alice,
            bob,
            issuanceId,
            5,
            ISecuredAssetTypes.Refusal.SenderNoticeNotAcknowledged,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
    }

    function test_WhenSenderAcknowledgesNewestNotice() public {
        publishNewNotice();
        acknowledge(bob);
        acknowledge(alice);
        assertMoves(alice, bob, issuanceId, 5);
    }

    /*//////////////////////////////////////////////////////////////
                               RECIPIENT
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_RecipientNotRegistered() public {
        assertRefused(
            alice,
            dave,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.RecipientNotRegistered,
            notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered)
        );
    }

    function test_RevertWhen_RecipientFrozen() public {
        freezeAccount(bob);
        assertRefused(
            alice,
            bob,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.RecipientFrozen,
            notEligible(bob, IPlatformRegistry.ParticipantStatus.Frozen)
        );
    }

    function test_RevertWhen_RecipientIdentityExpired() public {
        shortenIdentity(bob);
        assertRefused(
            alice,
            bob,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.RecipientIdentityExpired,
            notEligible(bob, IPlatformRegistry.ParticipantStatus.IdentityExpired)
        );
    }

    function test_RevertWhen_RecipientNoticeNotAcknowledged() public {
        assertRefused(
            alice,
            carol,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.RecipientNoticeNotAcknowledged,
            notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
    }

    function test_RevertWhen_RecipientBehindOnNewestNotice() public {
        publishNewNotice();
        acknowledge(alice);
        assertRefused(
            alice,
            bob,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.RecipientNoticeNotAcknowledged,
            notEligible(bob, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
        acknowledge(bob);
        assertMoves(alice, bob, issuanceId, 1);
    }

    /*//////////////////////////////////////////////////////////////
                         LOCKED AND FROZEN UNITS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_UnitsLocked() public {
        lockUnitsOf(alice, issuanceId, 400, bob);
        assertRefused(
            alice,
            bob,
            issuanceId,
            601,
            ISecuredAssetTypes.Refusal.UnitsRestricted,
            restricted(issuanceId, alice, 399, 400, 0)
        );
        assertMoves(alice, bob, issuanceId, 600);
        assertEq(asset.balanceOf(alice, issuanceId), 400, "locked units stay");
    }

    function test_RevertWhen_UnitsFrozen() public {
        freezeUnitsOf(alice, issuanceId, 300);
        assertRefused(
            alice,
            bob,
            issuanceId,
            701,
            ISecuredAssetTypes.Refusal.UnitsRestricted,
            restricted(issuanceId, alice, 299, 0, 300)
        );
        assertMoves(alice, bob, issuanceId, 700);
        assertEq(asset.balanceOf(alice, issuanceId), 300, "frozen units stay");
    }

    function test_RevertWhen_UnitsLockedAndFrozen() public {
        lockUnitsOf(alice, issuanceId, 400, bob);
        freezeUnitsOf(alice, issuanceId, 300);
        assertRefused(
            alice,
            bob,
            issuanceId,
            301,
            ISecuredAssetTypes.Refusal.UnitsRestricted,
            restricted(issuanceId, alice, 699, 400, 300)
        );
        assertMoves(alice, bob, issuanceId, 300);
    }

    function test_RestrictionsOfOneIdDoNotTouchAnother() public {
        freezeUnitsOf(alice, issuanceId, MINTED);
        assertMoves(alice, bob, secondId, MINTED);
    }

    /*//////////////////////////////////////////////////////////////
                               RULE ORDER
    //////////////////////////////////////////////////////////////*/

    function test_PauseIsReportedBeforeTheSender() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        freezeAccount(alice);
        assertRefused(
            alice,
            dave,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.IssuancePaused,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
    }

    function test_SenderIsReportedBeforeTheRecipient() public {
        freezeAccount(alice);
        assertRefused(
            alice,
            dave,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.SenderFrozen,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen)
        );
    }

    function test_StatusIsReportedBeforeRestrictedUnits() public {
        freezeUnitsOf(alice, issuanceId, MINTED);
        assertRefused(
            alice,
            carol,
            issuanceId,
            1,
            ISecuredAssetTypes.Refusal.RecipientNoticeNotAcknowledged,
            notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
    }

    function test_OverdrawWhilePausedIsRefusedBothWays() public {
        // The view names the status first; the transfer fails on the balance before it reaches the
        // status rules. Both refuse.
        vm.prank(operator);
        asset.pause(issuanceId);
        assertRefused(
            alice,
            bob,
            issuanceId,
            MINTED + 1,
            ISecuredAssetTypes.Refusal.IssuancePaused,
            abi.encodeWithSelector(
                IERC1155Errors.ERC1155InsufficientBalance.selector, alice, MINTED, MINTED + 1, issuanceId
            )
        );
    }
}
