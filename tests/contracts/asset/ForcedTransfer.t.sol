// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {FreezeBase} from "./FreezeBase.t.sol";
import {ArmedWallet} from "../utils/ArmedWallet.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Transfers by regulator order (R10): the frozen units an order releases, the rules it
/// relaxes and the ones it keeps, and a relaxed route that ends with the order.
contract ForcedTransferTest is FreezeBase {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant ORDER = keccak256("court order 2026/17");

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev A forced transfer by the regulator, checking both events and the exact `unfrozen`.
    function force(address from, address to, uint256 amount, uint256 unfrozen) internal {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.TransferOrdered(issuanceId, from, to, amount, unfrozen, ORDER, regulator);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(regulator, from, to, issuanceId, amount);
        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, from, to, amount, ORDER);
    }

    /*//////////////////////////////////////////////////////////////
                            FORCED TRANSFER
    //////////////////////////////////////////////////////////////*/

    function test_ForcedTransfer() public {
        force(alice, bob, 300, 0);
        assertHolding(alice, 700, 0, 0);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 300, "bob");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply");
    }

    function test_ForcedTransferTakesFreeUnitsFirst() public {
        freezeUnits(alice, 600);
        force(alice, bob, 400, 0);
        assertHolding(alice, 600, 0, 600);
    }

    function test_ForcedTransferReleasesJustEnoughFrozenUnits() public {
        freezeUnits(alice, 600);
        force(alice, bob, 700, 300);
        assertHolding(alice, 300, 0, 300);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 700, "bob");
    }

    function test_ForcedTransferOfAllFrozenUnits() public {
        freezeUnits(alice, MINTED);
        force(alice, bob, MINTED, MINTED);
        assertHolding(alice, 0, 0, 0);
    }

    function test_ForcedTransferAroundEncumberedUnits() public {
        lock(alice, 400);
        freezeUnits(alice, 300);
        // 600 movable: 300 free and 300 frozen. Taking 500 must release 200 frozen units.
        force(alice, bob, 500, 200);
        assertHolding(alice, 500, 400, 100);
    }

    function test_ForcedTransferIgnoresPause() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        force(alice, bob, 300, 0);
        assertHolding(alice, 700, 0, 0);
        // The order's route ends with it: the pause still binds the holders.
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.safeTransferFrom(bob, alice, issuanceId, 1, "");
    }

    function test_ForcedTransferIgnoresSuspendedPermit() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        force(alice, bob, 300, 0);
        assertHolding(alice, 700, 0, 0);
    }

    function test_ForcedTransferIgnoresRevokedPermit() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("revoked"));
        force(alice, bob, 300, 0);
        assertHolding(alice, 700, 0, 0);
    }

    function test_ForcedTransferIgnoresExpiredPermit() public {
        vm.warp(START + 365 days);
        force(alice, bob, 300, 0);
        assertHolding(alice, 700, 0, 0);
    }

    function test_ForcedTransferFromFrozenAccount() public {
        freezeAccount(alice);
        force(alice, bob, MINTED, 0);
        assertHolding(alice, 0, 0, 0);
    }

    function test_ForcedTransferFromSenderWithExpiredIdentity() public {
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, keccak256("kyc short"), uint64(START + 1 days));
        vm.warp(START + 1 days);
        force(alice, bob, 10, 0);
        assertHolding(alice, MINTED - 10, 0, 0);
    }

    function test_RevertWhen_ForcedTransferTakesEncumberedUnits() public {
        lock(alice, 400);
        vm.prank(regulator);
        vm.expectRevert(unavailable(alice, 601, 600));
        asset.forcedTransfer(issuanceId, alice, bob, 601, ORDER);
        assertHolding(alice, MINTED, 400, 0);
    }

    function test_RevertWhen_ForcedTransferExceedsBalance() public {
        vm.prank(regulator);
        vm.expectRevert(unavailable(alice, MINTED + 1, MINTED));
        asset.forcedTransfer(issuanceId, alice, bob, MINTED + 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferToTheSameWallet() public {
        // It would only unfreeze units, outside unfreezeUnits and its event.
        freezeUnits(alice, 600);
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ForcedTransferToSelf.selector, issuanceId, alice)
        );
        asset.forcedTransfer(issuanceId, alice, alice, 700, ORDER);
        assertHolding(alice, MINTED, 0, 600);
    }

    function test_RevertWhen_ForcedTransferToUnregistered() public {
        vm.prank(regulator);
        vm.expectRevert(notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered));
        asset.forcedTransfer(issuanceId, alice, dave, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferToRecipientWithoutAcknowledgement() public {
        vm.prank(regulator);
        vm.expectRevert(notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged));
        asset.forcedTransfer(issuanceId, alice, carol, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferToFrozenRecipient() public {
        freezeAccount(bob);
        vm.prank(regulator);
        vm.expectRevert(notEligible(bob, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.forcedTransfer(issuanceId, alice, bob, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferToRecipientWithExpiredIdentity() public {
        vm.prank(operator);
        registry.updateParticipantIdentity(bob, keccak256("kyc short"), uint64(START + 1 days));
        vm.warp(START + 1 days);
        vm.prank(regulator);
        vm.expectRevert(notEligible(bob, IPlatformRegistry.ParticipantStatus.IdentityExpired));
        asset.forcedTransfer(issuanceId, alice, bob, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferToIneligibleKeepsTheFreeze() public {
        freezeUnits(alice, 600);
        vm.prank(regulator);
        vm.expectRevert(notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered));
        asset.forcedTransfer(issuanceId, alice, dave, MINTED, ORDER);
        assertHolding(alice, MINTED, 0, 600);
    }

    function test_RevertWhen_ForcedTransferToZeroAddress() public {
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        asset.forcedTransfer(issuanceId, alice, address(0), 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferByOperator() public {
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, operator, REGULATOR_ROLE)
        );
        asset.forcedTransfer(issuanceId, alice, bob, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferByCompliance() public {
        vm.prank(compliance);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, compliance, REGULATOR_ROLE)
        );
        asset.forcedTransfer(issuanceId, alice, bob, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferUnknownIssuance() public {
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.forcedTransfer(99, alice, bob, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferZero() public {
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ZeroAmount.selector));
        asset.forcedTransfer(issuanceId, alice, bob, 0, ORDER);
    }

    function test_RevertWhen_WalletSendsWhilePaused() public {
        ArmedWallet wallet = new ArmedWallet();
        onboard(address(wallet));
        vm.prank(alice);
        asset.safeTransferFrom(alice, address(wallet), issuanceId, 300, "");
        vm.prank(operator);
        asset.pause(issuanceId);
        bytes memory send = abi.encodeCall(IERC1155.safeTransferFrom, (address(wallet), bob, issuanceId, 300, ""));
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        wallet.execute(address(asset), send);
    }

    /// @dev The order relaxes pause, permit and the sender's freeze for the ordered move only. The
    /// recipient's wallet must not be able to use the relaxed route, from inside the ERC-1155
    /// acceptance callback, to pass units on while the issuance is paused.
    function test_ForcedRouteDoesNotReachTheRecipientCallback() public {
        ArmedWallet wallet = new ArmedWallet();
        onboard(address(wallet));
        vm.prank(regulator);
        asset.pause(issuanceId);
        wallet.arm(
            address(asset), abi.encodeCall(IERC1155.safeTransferFrom, (address(wallet), bob, issuanceId, 300, ""))
        );

        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, alice, address(wallet), 300, ORDER);

        assertTrue(wallet.attempted(), "callback ran");
        (bool succeeded, bytes memory failure) = wallet.outcome(0);
        assertFalse(succeeded, "units moved during a pause inside the order");
        assertEq(
            keccak256(failure),
            keccak256(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId)),
            "refused for the pause"
        );
        assertEq(asset.balanceOf(address(wallet), issuanceId), 300, "ordered units stay with the recipient");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "bob untouched");
    }
}
