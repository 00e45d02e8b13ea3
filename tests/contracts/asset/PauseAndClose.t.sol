// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Pausing an issuance (its operator or the regulator; a regulator's pause only the
/// regulator lifts) and closing it when the issuer's obligations are met (Law art. 7.1). What an
/// operator without its role or permit may not do: OperatorMandate.t.sol.
contract PauseAndCloseTest is Base {
    function expectPausedByRegulator() internal {
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PausedByRegulator.selector, issuanceId));
    }

    /*//////////////////////////////////////////////////////////////
                             PAUSE, UNPAUSE
    //////////////////////////////////////////////////////////////*/

    function test_PauseByIssuanceOperator() public {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuancePaused(issuanceId, operator, false);
        vm.prank(operator);
        asset.pause(issuanceId);
        assertTrue(asset.issuance(issuanceId).paused, "paused");
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, 1)),
            uint256(ISecuredAssetTypes.Refusal.IssuancePaused),
            "transfers stopped"
        );
    }

    function test_PauseByRegulator() public {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuancePaused(issuanceId, regulator, true);
        vm.prank(regulator);
        asset.pause(issuanceId);
        assertTrue(asset.issuance(issuanceId).paused, "paused");
    }

    function test_PauseStopsOnlyThatIssuance() public {
        uint256 other = createIssuance();
        attest(other, COVERED);
        vm.startPrank(operator);
        asset.mint(other, alice, 10);
        asset.pause(issuanceId);
        vm.stopPrank();

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, other, 4, "");
        assertEq(asset.balanceOf(bob, other), 4, "other issuance still circulates");
        assertFalse(asset.issuance(other).paused, "other not paused");
    }

    function test_UnpauseResumesTransfers() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceUnpaused(issuanceId, regulator);
        vm.prank(regulator);
        asset.unpause(issuanceId);

        assertFalse(asset.issuance(issuanceId).paused, "unpaused");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 7, "");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 7, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 7, "bob");
    }

    function test_RevertWhen_PauseByStranger() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, alice)
        );
        asset.pause(issuanceId);
    }

    function test_RevertWhen_PauseByIssuer() public {
        vm.prank(issuer);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, issuer)
        );
        asset.pause(issuanceId);
    }

    function test_RevertWhen_PauseByAnotherOperator() public {
        address op = permittedOperator("operator2", uint64(START));
        vm.prank(op);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, op)
        );
        asset.pause(issuanceId);
    }

    /// @dev The regulator may take over an operator's pause (see below); otherwise a
    /// pause on a paused issuance is refused.
    function test_RevertWhen_PauseAlreadyPaused() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.pause(issuanceId);
    }

    function test_RevertWhen_PauseAlreadyPausedByRegulator() public {
        vm.prank(regulator);
        asset.pause(issuanceId);
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.pause(issuanceId);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.pause(issuanceId);
    }

    function test_RevertWhen_PauseUnknownIssuance() public {
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.pause(99);
    }

    function test_RevertWhen_UnpauseNotPaused() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceNotPaused.selector, issuanceId));
        asset.unpause(issuanceId);
    }

    function test_RevertWhen_UnpauseByStranger() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, bob)
        );
        asset.unpause(issuanceId);
        assertTrue(asset.issuance(issuanceId).paused, "still paused");
    }

    /*//////////////////////////////////////////////////////////////
                                  CLOSE
    //////////////////////////////////////////////////////////////*/

    function test_CloseByOperatorWithNoSupply() public {
        uint256 id = createIssuance();
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceClosed(id, keccak256("obligations met"), operator);
        vm.prank(operator);
        asset.close(id, keccak256("obligations met"));

        ISecuredAssetTypes.Issuance memory iss = asset.issuance(id);
        assertTrue(iss.closed, "closed");
        assertEq(iss.fulfilmentHash, keccak256("obligations met"), "fulfilmentHash");
    }

    function test_CloseByIssuer() public {
        uint256 id = createIssuance();
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceClosed(id, keccak256("fulfilled"), issuer);
        vm.prank(issuer);
        asset.close(id, keccak256("fulfilled"));
        assertTrue(asset.issuance(id).closed, "closed");
    }

    function test_CloseStopsMinting() public {
        uint256 id = createIssuance();
        attest(id, COVERED);
        vm.prank(issuer);
        asset.close(id, keccak256("fulfilled"));

        assertEq(
            uint256(asset.checkMint(id, alice, 1)), uint256(ISecuredAssetTypes.Refusal.IssuanceClosed), "checkMint"
        );
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceClosed.selector, id));
        asset.mint(id, alice, 1);
        assertEq(asset.totalSupply(id), 0, "supply");
    }

    function test_PauseAfterClose() public {
        // A closed issuance can still be paused: closing is about obligations, pausing about movement.
        uint256 id = createIssuance();
        vm.prank(operator);
        asset.close(id, keccak256("fulfilled"));
        vm.prank(operator);
        asset.pause(id);
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(id);
        assertTrue(iss.closed && iss.paused, "closed and paused");
    }

    function test_RevertWhen_CloseWithSupplyOutstanding() public {
        vm.prank(issuer);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_SupplyOutstanding.selector, issuanceId, 2 * MINTED)
        );
        asset.close(issuanceId, keccak256("fulfilled"));
        assertFalse(asset.issuance(issuanceId).closed, "still open");
    }

    function test_RevertWhen_CloseByStranger() public {
        uint256 id = createIssuance();
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperatorOrIssuer.selector, id, alice)
        );
        asset.close(id, keccak256("fulfilled"));
    }

    function test_RevertWhen_CloseByRegulator() public {
        uint256 id = createIssuance();
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperatorOrIssuer.selector, id, regulator)
        );
        asset.close(id, keccak256("fulfilled"));
    }

    function test_RevertWhen_CloseTwice() public {
        uint256 id = createIssuance();
        vm.prank(operator);
        asset.close(id, keccak256("first"));
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceClosed.selector, id));
        asset.close(id, keccak256("second"));
        assertEq(asset.issuance(id).fulfilmentHash, keccak256("first"), "first fulfilment kept");
    }

    /// @dev Closing records what was delivered: an empty record is refused, by the issuer and by
    /// the operator alike.
    function test_RevertWhen_CloseWithoutFulfilmentRecord() public {
        uint256 id = createIssuance();
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EmptyFulfilment.selector));
        asset.close(id, bytes32(0));
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EmptyFulfilment.selector));
        asset.close(id, bytes32(0));
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(id);
        assertFalse(iss.closed, "still open");
        assertEq(iss.fulfilmentHash, bytes32(0), "no fulfilment recorded");
    }

    function test_RevertWhen_CloseUnknownIssuance() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 42));
        asset.close(42, keccak256("fulfilled"));
    }

    /*//////////////////////////////////////////////////////////////
                        THE REGULATOR'S PAUSE
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_OperatorLiftsRegulatorPause() public {
        vm.prank(regulator);
        asset.pause(issuanceId);
        assertTrue(asset.issuance(issuanceId).pausedByRegulator, "the regulator's pause");

        expectPausedByRegulator();
        vm.prank(operator);
        asset.unpause(issuanceId);
        assertTrue(asset.issuance(issuanceId).paused, "still paused");

        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceUnpaused(issuanceId, regulator);
        vm.prank(regulator);
        asset.unpause(issuanceId);
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(issuanceId);
        assertFalse(iss.paused || iss.pausedByRegulator, "lifted by the regulator");
    }

    /// @dev The regulator may make an operator's pause its own, so that the operator cannot lift it.
    function test_RegulatorTakesOverOperatorPause() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        assertFalse(asset.issuance(issuanceId).pausedByRegulator, "the operator's pause");

        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuancePaused(issuanceId, regulator, true);
        vm.prank(regulator);
        asset.pause(issuanceId);
        assertTrue(asset.issuance(issuanceId).pausedByRegulator, "now the regulator's");

        expectPausedByRegulator();
        vm.prank(operator);
        asset.unpause(issuanceId);
    }

    function test_OperatorLiftsItsOwnPause() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceUnpaused(issuanceId, operator);
        vm.prank(operator);
        asset.unpause(issuanceId);
        assertFalse(asset.issuance(issuanceId).paused, "unpaused");
    }

    /// @dev A new pause after the regulator lifted its own is the operator's again.
    function test_RegulatorPauseEndsWithItsLifting() public {
        vm.prank(regulator);
        asset.pause(issuanceId);
        vm.prank(regulator);
        asset.unpause(issuanceId);
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.prank(operator);
        asset.unpause(issuanceId);
        assertFalse(asset.issuance(issuanceId).paused, "unpaused");
    }
}
