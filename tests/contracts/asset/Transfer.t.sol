// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Circulation (Law art. 6.1-6.4, 6.6): single, batch and approved-operator transfers, each
/// refused for the permit, pause, the sender's and the recipient's status, and locked or frozen
/// units; `checkTransfer` names the same reason a real transfer fails for.
contract TransferTest is Base {
    /// @dev A second issuance of the same operator; alice and bob hold MINTED each.
    uint256 internal secondId;
    /// @dev An issuance of another permitted operator; alice and bob hold MINTED each.
    address internal operator2;
    uint256 internal otherOperatorId;

    function setUp() public override {
        super.setUp();
        secondId = createIssuance();
        attest(secondId, COVERED);
        vm.startPrank(operator);
        asset.mint(secondId, alice, MINTED);
        asset.mint(secondId, bob, MINTED);
        vm.stopPrank();

        operator2 = makeAddr("operator2");
        vm.startPrank(regulator);
        registry.grantRole(registry.OPERATOR_ROLE(), operator2);
        registry.grantPermit(operator2, uint64(START), uint64(START + 365 days), keccak256("permit-002"));
        vm.stopPrank();
        vm.prank(operator2);
        otherOperatorId = asset.createIssuance(issuanceParams());
        attest(otherOperatorId, COVERED);
        vm.startPrank(operator2);
        asset.mint(otherOperatorId, alice, MINTED);
        asset.mint(otherOperatorId, bob, MINTED);
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev checkTransfer says `expected`, and the transfer, sent by `from`, reverts with `err`
    /// and moves nothing.
    function assertRefused(
        address from,
        address to,
        uint256 id,
        uint256 amount,
        ISecuredAsset.Refusal expected,
        bytes memory err
    ) internal {
        assertEq(uint256(asset.checkTransfer(from, to, id, amount)), uint256(expected), "checkTransfer");
        uint256 fromBefore = asset.balanceOf(from, id);
        uint256 toBefore = asset.balanceOf(to, id);
        vm.prank(from);
        vm.expectRevert(err);
        asset.safeTransferFrom(from, to, id, amount, "");
        assertEq(asset.balanceOf(from, id), fromBefore, "sender balance unchanged");
        assertEq(asset.balanceOf(to, id), toBefore, "recipient balance unchanged");
    }

    /// @dev checkTransfer says None, and the transfer, sent by `from`, moves exactly `amount`.
    function assertMoves(address from, address to, uint256 id, uint256 amount) internal {
        assertEq(uint256(asset.checkTransfer(from, to, id, amount)), uint256(ISecuredAsset.Refusal.None), "check");
        uint256 fromBefore = asset.balanceOf(from, id);
        uint256 toBefore = asset.balanceOf(to, id);
        uint256 supply = asset.totalSupply(id);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(from, from, to, id, amount);
        vm.prank(from);
        asset.safeTransferFrom(from, to, id, amount, "");
        assertEq(asset.balanceOf(from, id), fromBefore - amount, "sender balance");
        assertEq(asset.balanceOf(to, id), toBefore + amount, "recipient balance");
        assertEq(asset.totalSupply(id), supply, "supply unchanged");
    }

    function notEligible(address account, IPlatformRegistry.ParticipantStatus status)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ISecuredAsset.SecuredAsset_ParticipantNotEligible.selector, account, status);
    }

    function permitNotActive(address op, IPlatformRegistry.PermitState state) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAsset.SecuredAsset_PermitNotActive.selector, op, state);
    }

    function restricted(uint256 id, address holder, uint256 balanceAfter, uint256 encumbered, uint256 frozen)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ISecuredAsset.SecuredAsset_UnitsRestricted.selector, id, holder, balanceAfter, encumbered, frozen
        );
    }

    function pair(uint256 a, uint256 b) internal pure returns (uint256[] memory arr) {
        arr = new uint256[](2);
        arr[0] = a;
        arr[1] = b;
    }

    function freezeUnitsOf(address holder, uint256 id, uint256 amount) internal {
        vm.prank(compliance);
        asset.freezeUnits(id, holder, amount, keccak256("suspicious"));
    }

    function lockUnitsOf(address holder, uint256 id, uint256 amount, address beneficiary) internal {
        vm.prank(holder);
        asset.encumber(id, amount, beneficiary, keccak256("pledge"), 0);
    }

    function freezeAccount(address wallet) internal {
        vm.prank(compliance);
        registry.freezeParticipant(wallet, keccak256("aml"));
    }

    function shortenIdentity(address wallet) internal {
        vm.prank(operator);
        registry.updateParticipantIdentity(wallet, keccak256("kyc short"), uint64(block.timestamp + 1 days));
        vm.warp(block.timestamp + 1 days);
    }

    function publishNewNotice() internal {
        vm.prank(operator);
        registry.publishRiskNotice(keccak256("risk notice v2"), "https://sdap.example/risk/v2");
    }

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
            ISecuredAsset.Refusal.InsufficientBalance,
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
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, secondId));
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
            ISecuredAsset.Refusal.PermitNotActive,
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
            ISecuredAsset.Refusal.PermitNotActive,
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
            ISecuredAsset.Refusal.PermitNotActive,
            permitNotActive(operator, IPlatformRegistry.PermitState.Expired)
        );
    }

    function test_PermitSuspensionStopsEveryIssuanceOfTheOperator() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        bytes memory err = permitNotActive(operator, IPlatformRegistry.PermitState.Suspended);
        assertRefused(alice, bob, issuanceId, 1, ISecuredAsset.Refusal.PermitNotActive, err);
        assertRefused(bob, alice, secondId, 1, ISecuredAsset.Refusal.PermitNotActive, err);
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
            ISecuredAsset.Refusal.IssuancePaused,
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
        assertMoves(alice, bob, secondId, 1);
    }

    function test_RevertWhen_IssuanceUnknown() public {
        assertRefused(
            alice,
            bob,
            99,
            0,
            ISecuredAsset.Refusal.IssuanceUnknown,
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceUnknown.selector, 99)
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
            ISecuredAsset.Refusal.IssuanceClosed,
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceClosed.selector, id)
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
            ISecuredAsset.Refusal.SenderFrozen,
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
            ISecuredAsset.Refusal.SenderNotRegistered,
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
            ISecuredAsset.Refusal.SenderIdentityExpired,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.IdentityExpired)
        );
    }

    function test_WhenSenderIdentityRenewed() public {
        shortenIdentity(alice);
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, keccak256("kyc renewed"), uint64(block.timestamp + 365 days));
        assertMoves(alice, bob, issuanceId, 1);
    }

    function test_WhenSenderHasNotAcknowledgedNewestNotice() public {
        publishNewNotice();
        acknowledge(bob);
        assertEq(
            uint256(registry.participantStatus(alice)),
            uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged),
            "alice is behind"
        );
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
            ISecuredAsset.Refusal.RecipientNotRegistered,
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
            ISecuredAsset.Refusal.RecipientFrozen,
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
            ISecuredAsset.Refusal.RecipientIdentityExpired,
            notEligible(bob, IPlatformRegistry.ParticipantStatus.IdentityExpired)
        );
    }

    function test_RevertWhen_RecipientNoticeNotAcknowledged() public {
        assertRefused(
            alice,
            carol,
            issuanceId,
            1,
            ISecuredAsset.Refusal.RecipientNoticeNotAcknowledged,
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
            ISecuredAsset.Refusal.RecipientNoticeNotAcknowledged,
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
            alice, bob, issuanceId, 601, ISecuredAsset.Refusal.UnitsRestricted, restricted(issuanceId, alice, 399, 400, 0)
        );
        assertMoves(alice, bob, issuanceId, 600);
        assertEq(asset.balanceOf(alice, issuanceId), 400, "locked units stay");
    }

    function test_RevertWhen_UnitsFrozen() public {
        freezeUnitsOf(alice, issuanceId, 300);
        assertRefused(
            alice, bob, issuanceId, 701, ISecuredAsset.Refusal.UnitsRestricted, restricted(issuanceId, alice, 299, 0, 300)
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
            ISecuredAsset.Refusal.UnitsRestricted,
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
            ISecuredAsset.Refusal.IssuancePaused,
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
    }

    function test_SenderIsReportedBeforeTheRecipient() public {
        freezeAccount(alice);
        assertRefused(
            alice,
            dave,
            issuanceId,
            1,
            ISecuredAsset.Refusal.SenderFrozen,
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
            ISecuredAsset.Refusal.RecipientNoticeNotAcknowledged,
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
            ISecuredAsset.Refusal.IssuancePaused,
            abi.encodeWithSelector(
                IERC1155Errors.ERC1155InsufficientBalance.selector, alice, MINTED, MINTED + 1, issuanceId
            )
        );
    }

    /// @dev An empty batch would log a TransferBatch no rule looked at: from a frozen wallet, to an
    /// unregistered one, under a suspended permit. It is refused whoever sends it.
    function test_RevertWhen_BatchIsEmpty() public {
        uint256[] memory none = new uint256[](0);
        vm.prank(compliance);
        registry.freezeParticipant(alice, keccak256("aml"));
        vm.prank(alice);
        vm.expectRevert(ISecuredAsset.SecuredAsset_EmptyBatch.selector);
        asset.safeBatchTransferFrom(alice, dave, none, none, "");

        vm.prank(bob);
        vm.expectRevert(ISecuredAsset.SecuredAsset_EmptyBatch.selector);
        asset.safeBatchTransferFrom(bob, alice, none, none, "");
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
                ISecuredAsset.SecuredAsset_ParticipantNotEligible.selector, bob, IPlatformRegistry.ParticipantStatus.Frozen
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
                ISecuredAsset.SecuredAsset_ParticipantNotEligible.selector,
                dave,
                IPlatformRegistry.ParticipantStatus.NotRegistered
            )
        );
        asset.safeBatchTransferFrom(alice, bob, ids, ids, "");
    }

    function test_ApprovedOperatorBehindOnTheNoticeMayStillSend() public {
        vm.prank(alice);
        asset.setApprovalForAll(carol, true); // registered, never acknowledged: it receives nothing
        vm.prank(carol);
        asset.safeTransferFrom(alice, bob, issuanceId, 5, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 5, "moved by the approved operator");
    }
}
