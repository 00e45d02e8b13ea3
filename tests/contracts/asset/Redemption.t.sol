// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {FreezeBase} from "./FreezeBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Who may ask the issuer to redeem units and when (the holder or an approved operator,
/// under the holder's dealing rules, beyond the operator's permit), and closing the issuance once
/// all is redeemed. The request's own life (custody, confirmation, refusal): RedemptionRequests.t.sol.
contract RedemptionTest is FreezeBase {
    /// @dev `by` asks to redeem `amount` of alice's units; the request is refused with `err` and
    /// alice keeps them all.
    function expectRequestRevert(address by, uint256 amount, bytes memory err) internal {
        uint256 before = asset.balanceOf(alice, issuanceId);
        vm.expectRevert(err);
        vm.prank(by);
        asset.requestRedemption(issuanceId, alice, amount, keccak256("delivery"));
        assertEq(asset.balanceOf(alice, issuanceId), before, "alice keeps her units");
        assertEq(asset.balanceOf(address(asset), issuanceId), 0, "nothing in custody");
    }

    /// @dev The issuer confirms `requestId`: `amount` units leave the supply.
    function assertConfirmed(uint256 requestId, uint256 amount) internal {
        uint256 supply = asset.totalSupply(issuanceId);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionConfirmed(requestId, issuanceId, keccak256("delivered"), issuer);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(issuer, address(asset), address(0), issuanceId, amount);
        vm.prank(issuer);
        asset.confirmRedemption(requestId, keccak256("delivered"));
        assertEq(asset.totalSupply(issuanceId), supply - amount, "burnt");
        assertEq(asset.balanceOf(address(asset), issuanceId), 0, "custody empty");
    }
    /*//////////////////////////////////////////////////////////////
                                 REDEEM
    //////////////////////////////////////////////////////////////*/

    function test_RedeemByHolder() public {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRequested(1, issuanceId, alice, 400, keccak256("delivery 1"), alice);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(alice, alice, address(asset), issuanceId, 400);
        vm.prank(alice);
        uint256 requestId = asset.requestRedemption(issuanceId, alice, 400, keccak256("delivery 1"));
        assertEq(requestId, 1, "first request");
        assertHolding(alice, 600, 0, 0);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "still outstanding until confirmed");
        assertConfirmed(requestId, 400);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 400, "supply");
    }

    function test_RedeemByApprovedOperator() public {
        // The issuer redeeming for a holder deals on the platform: it must be an eligible participant.
        onboard(issuer);
        vm.prank(alice);
        asset.setApprovalForAll(issuer, true);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRequested(1, issuanceId, alice, 250, keccak256("delivery 2"), issuer);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(issuer, alice, address(asset), issuanceId, 250);
        vm.prank(issuer);
        uint256 requestId = asset.requestRedemption(issuanceId, alice, 250, keccak256("delivery 2"));
        assertHolding(alice, 750, 0, 0);
        assertEq(asset.redemptionRequest(requestId).holder, alice, "alice's request");
        assertConfirmed(requestId, 250);
    }

    function test_RedeemAvailableUnitsBesideRestrictedOnes() public {
        lock(alice, 300);
        freezeUnits(alice, 200);
        redeem(issuanceId, alice, 500, keccak256("delivery"));
        assertHolding(alice, 500, 300, 200);
    }

    /// @dev Law art. 6.4: redeeming is dealing, so the holder acknowledges the notice in force first.
    function test_RevertWhen_RedeemByHolderBehindOnNewestNotice() public {
        publishNewNotice();
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector,
                alice,
                IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged
            )
        );
        vm.prank(alice);
        asset.requestRedemption(issuanceId, alice, 1, keccak256("delivery"));
        assertHolding(alice, MINTED, 0, 0);
        assertEq(
            uint256(asset.checkRedemption(issuanceId, alice, 1)),
            uint256(ISecuredAssetTypes.Refusal.SenderNoticeNotAcknowledged),
            "checkRedemption"
        );

        acknowledge(alice);
        redeem(issuanceId, alice, 1, keccak256("delivery"));
        assertHolding(alice, MINTED - 1, 0, 0);
    }

    /// @dev Rules item 4.1: an approved operator redeeming for a holder deals too, so it must be
    /// fully eligible, notice acknowledged included.
    function test_RevertWhen_RedeemByApprovedOperatorNotAcknowledged() public {
        register(issuer);
        vm.prank(alice);
        asset.setApprovalForAll(issuer, true);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector,
                issuer,
                IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged
            )
        );
        vm.prank(issuer);
        asset.requestRedemption(issuanceId, alice, 250, keccak256("delivery 2"));
        assertHolding(alice, MINTED, 0, 0);
    }

    function test_RevertWhen_RedeemByUnapproved() public {
        expectRequestRevert(
            issuer, 1, abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, issuer, alice)
        );
    }

    function test_RevertWhen_RedeemByOperatorOfIssuance() public {
        expectRequestRevert(
            operator, 1, abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, operator, alice)
        );
    }

    function test_RevertWhen_RedeemZero() public {
        expectRequestRevert(alice, 0, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ZeroAmount.selector));
    }

    function test_RevertWhen_RedeemMoreThanBalance() public {
        expectRequestRevert(
            alice,
            MINTED + 1,
            abi.encodeWithSelector(
                IERC1155Errors.ERC1155InsufficientBalance.selector, alice, MINTED, MINTED + 1, issuanceId
            )
        );
    }

    function test_RevertWhen_RedeemWhilePaused() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        expectRequestRevert(
            alice, 1, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
        assertHolding(alice, MINTED, 0, 0);
    }

    /*//////////////////////////////////////////////////////////////
              REDEMPTION OUTLIVES THE OPERATOR'S PERMIT
    //////////////////////////////////////////////////////////////*/

    /// @dev Law art. 6.1-6.2 end the operator's dealing, not the issuer's obligation: with the
    /// operator's permit out of force in `state`, alice still asks to redeem and the issuer still
    /// confirms, but nothing is minted or transferred (and `checkTransfer`, about transfers to a
    /// recipient, still says so).
    function assertRedeemsWhileNothingElseMoves(IPlatformRegistry.PermitState state) internal {
        assertEq(uint256(registry.permitState(operator)), uint256(state), "permit state");
        assertEq(
            uint256(asset.checkRedemption(issuanceId, alice, 400)),
            uint256(ISecuredAssetTypes.Refusal.None),
            "checkRedemption"
        );
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRequested(1, issuanceId, alice, 400, keccak256("delivery"), alice);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(alice, alice, address(asset), issuanceId, 400);
        vm.prank(alice);
        uint256 requestId = asset.requestRedemption(issuanceId, alice, 400, keccak256("delivery"));
        assertHolding(alice, MINTED - 400, 0, 0);
        assertConfirmed(requestId, 400);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 400, "supply");

        bytes memory notActive =
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, operator, state);
        vm.expectRevert(notActive);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
        vm.expectRevert(notActive);
        vm.prank(operator);
        asset.mint(issuanceId, bob, 1);
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, 1)),
            uint256(ISecuredAssetTypes.Refusal.PermitNotActive),
            "checkTransfer"
        );
        assertHolding(alice, MINTED - 400, 0, 0);
        assertHolding(bob, MINTED, 0, 0);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 400, "supply unchanged by the refusals");
    }

    function test_RedeemWhilePermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        assertRedeemsWhileNothingElseMoves(IPlatformRegistry.PermitState.Suspended);
    }

    function test_RedeemWhilePermitExpired() public {
        vm.warp(START + 365 days);
        assertRedeemsWhileNothingElseMoves(IPlatformRegistry.PermitState.Expired);
    }

    function test_RedeemWhilePermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        assertRedeemsWhileNothingElseMoves(IPlatformRegistry.PermitState.Revoked);
    }

    /// @dev A permit granted anew, from a later date, after a revocation: not yet in force.
    function test_RedeemWhilePermitNotYetValid() public {
        vm.startPrank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        registry.grantPermit(operator, uint64(START + 10 days), uint64(START + 100 days), keccak256("permit-003"));
        vm.stopPrank();
        assertRedeemsWhileNothingElseMoves(IPlatformRegistry.PermitState.NotYetValid);
    }

    /// @dev An approved operator redeems for the holder under a revoked permit too.
    function test_RedeemByApprovedOperatorWhilePermitRevoked() public {
        onboard(issuer);
        vm.prank(alice);
        asset.setApprovalForAll(issuer, true);
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRequested(1, issuanceId, alice, 250, keccak256("delivery 2"), issuer);
        vm.prank(issuer);
        uint256 requestId = asset.requestRedemption(issuanceId, alice, 250, keccak256("delivery 2"));
        assertHolding(alice, MINTED - 250, 0, 0);
        assertConfirmed(requestId, 250);
    }

    /// @dev The pause outranks the lapsed permit: it still stops redemption.
    function test_RevertWhen_RedeemWhilePausedAndPermitSuspended() public {
        vm.startPrank(regulator);
        asset.pause(issuanceId);
        registry.suspendPermit(operator, keccak256("inspection"));
        vm.stopPrank();
        expectRequestRevert(
            alice, 1, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
        assertHolding(alice, MINTED, 0, 0);
    }

    /// @dev Holders redeem everything under a revoked permit, and the issuer then closes: its
    /// obligations end without the operator.
    function test_IssuerClosesAfterRedemptionUnderRevokedPermit() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        redeem(issuanceId, alice, MINTED, keccak256("delivery alice"));
        redeem(issuanceId, bob, MINTED, keccak256("delivery bob"));
        vm.prank(issuer);
        asset.close(issuanceId, keccak256("all obligations met"));
        assertTrue(asset.issuance(issuanceId).closed, "closed");
    }

    function test_RevertWhen_ApprovedRedeemerIsNotRegistered() public {
        vm.prank(alice);
        asset.setApprovalForAll(issuer, true);
        expectRequestRevert(
            issuer,
            250,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector,
                issuer,
                IPlatformRegistry.ParticipantStatus.NotRegistered
            )
        );
    }

    /*//////////////////////////////////////////////////////////////
                         CLOSE AFTER REDEMPTION
    //////////////////////////////////////////////////////////////*/

    function test_CloseAfterAllRedeemed() public {
        redeem(issuanceId, alice, MINTED, keccak256("delivery alice"));
        redeem(issuanceId, bob, MINTED, keccak256("delivery bob"));
        assertEq(asset.totalSupply(issuanceId), 0, "all redeemed");

        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceClosed(issuanceId, keccak256("all obligations met"), issuer);
        vm.prank(issuer);
        asset.close(issuanceId, keccak256("all obligations met"));

        ISecuredAssetTypes.Issuance memory iss = asset.issuance(issuanceId);
        assertTrue(iss.closed, "closed");
        assertEq(iss.fulfilmentHash, keccak256("all obligations met"), "fulfilmentHash");
        // Collateral would still cover more, but a closed issuance mints nothing.
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceClosed.selector, issuanceId));
        asset.mint(issuanceId, alice, 1);
    }

    function test_RevertWhen_CloseWithOneUnitOutstanding() public {
        redeem(issuanceId, alice, MINTED, keccak256("delivery alice"));
        redeem(issuanceId, bob, MINTED - 1, keccak256("delivery bob"));
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_SupplyOutstanding.selector, issuanceId, 1)
        );
        asset.close(issuanceId, keccak256("fulfilled"));
    }
}
