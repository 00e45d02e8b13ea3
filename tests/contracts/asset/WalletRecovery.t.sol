// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {FreezeBase} from "./FreezeBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice A holder who lost its key (R7): the registration moves to a new wallet of the same
/// person, then its whole position follows, frozen units and encumbrances included, and the lost
/// wallet never takes part again.
contract WalletRecoveryTest is FreezeBase {
    bytes32 internal constant ORDER = keccak256("recovery order 2026/3");
    bytes32 internal constant NEW_KYC = keccak256("kyc, re-identified");

    address internal replacement;

    function setUp() public override {
        super.setUp();
        replacement = makeAddr("alice's new wallet");
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function recoverParticipant(address by, address lost, address to) internal {
        vm.prank(by);
        registry.recoverParticipant(lost, to, NEW_KYC, uint64(START + 365 days), ORDER);
    }

    function ids() internal view returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = issuanceId;
    }

    function one(uint256 value) internal pure returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = value;
    }

    function none() internal pure returns (uint256[] memory) {
        return new uint256[](0);
    }

    /*//////////////////////////////////////////////////////////////
                                 TESTS
    //////////////////////////////////////////////////////////////*/

    function test_RegulatorRecoversTheWholePosition() public {
        freezeUnits(alice, 100);
        lock(alice, 200);
        uint256 pledge = asset.encumbranceCount();
        IPlatformRegistry.Participant memory before = registry.participant(alice);

        vm.expectEmit(address(registry));
        emit IPlatformRegistry.WalletRecovered(alice, replacement, NEW_KYC, uint64(START + 365 days), ORDER, regulator);
        recoverParticipant(regulator, alice, replacement);

        IPlatformRegistry.Participant memory moved = registry.participant(replacement);
        assertTrue(moved.registered, "replacement registered");
        assertEq(moved.operator, before.operator, "same operator");
        assertEq(moved.acknowledgedNotice, before.acknowledgedNotice, "acknowledgement carried over");
        assertEq(moved.identityRef, NEW_KYC, "re-identified");
        assertEq(registry.recoveredTo(alice), replacement, "lineage");
        assertEq(uint8(registry.participantStatus(alice)), uint8(IPlatformRegistry.ParticipantStatus.NotRegistered));

        uint256[] memory amounts = one(MINTED);
        uint256[] memory frozen = one(100);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.EncumbranceRecovered(pledge, alice, replacement);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.HoldingsRecovered(alice, replacement, ids(), amounts, frozen, dave);
        vm.prank(dave); // anyone: where the units go was decided in the registry
        asset.recoverHoldings(alice, ids(), one(pledge));

        assertHolding(alice, 0, 0, 0);
        assertHolding(replacement, MINTED, 200, 100);
        assertEq(asset.encumbrance(pledge).holder, replacement, "the pledge binds the new wallet");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply conserved");

        // The beneficiary still enforces its pledge, now against the new wallet.
        vm.prank(operator);
        asset.enforce(pledge, keccak256("default"));
        assertHolding(replacement, MINTED - 200, 0, 100);
    }

    /// @dev The identifying operator recovers only once compliance has frozen the lost wallet
    /// (two hands, not one operator key); another operator never, frozen or not.
    function test_TheIdentifyingOperatorRecoversItsParticipantAndNoOtherOperatorCan() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_RecoveryNeedsFreeze.selector, alice));
        registry.recoverParticipant(alice, replacement, NEW_KYC, uint64(START + 365 days), ORDER);

        freezeAccount(alice);
        address other = permittedOperator("other operator", uint64(START));
        vm.prank(other);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_NotParticipantOperator.selector, alice, operator, other)
        );
        registry.recoverParticipant(alice, replacement, NEW_KYC, uint64(START + 365 days), ORDER);

        recoverParticipant(operator, alice, replacement);
        assertEq(registry.recoveredTo(alice), replacement);
        assertTrue(registry.participant(replacement).frozen, "the replacement stays frozen until reviewed");
    }

    function test_TheLostWalletNeverTakesPartAgain() public {
        recoverParticipant(regulator, alice, replacement);
        asset.recoverHoldings(alice, ids(), none());

        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_WalletLost.selector, alice, replacement));
        registry.registerParticipant(alice, keccak256("kyc"), uint64(START + 365 days));

        vm.prank(bob);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.NotRegistered));
        asset.safeTransferFrom(bob, alice, issuanceId, 1, "");

        vm.prank(replacement);
        asset.safeTransferFrom(replacement, bob, issuanceId, 1, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 1);
    }

    function test_RecoveryMovesUnitsWhateverThePausePermitOrFreeze() public {
        freezeAccount(alice);
        vm.startPrank(regulator);
        asset.pause(issuanceId);
        registry.suspendPermit(operator, keccak256("suspended"));
        vm.stopPrank();

        recoverParticipant(regulator, alice, replacement);
        assertTrue(registry.participant(replacement).frozen, "a frozen account stays frozen");
        asset.recoverHoldings(alice, ids(), none());
        assertEq(asset.balanceOf(replacement, issuanceId), MINTED);
    }

    function test_UnitsFollowToTheLastReplacement() public {
        recoverParticipant(regulator, alice, replacement);
        address third = makeAddr("alice's third wallet");
        recoverParticipant(regulator, replacement, third);
        asset.recoverHoldings(alice, ids(), none());
        assertEq(asset.balanceOf(third, issuanceId), MINTED);
        assertEq(asset.balanceOf(replacement, issuanceId), 0);
    }

    function test_RevertWhen_AnEncumbranceIsLeftBehind() public {
        lock(alice, 200);
        recoverParticipant(regulator, alice, replacement);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_EncumbrancesLeftBehind.selector, issuanceId, alice, 200
            )
        );
        asset.recoverHoldings(alice, ids(), none());
    }

    function test_RevertWhen_AnotherHoldersEncumbranceIsNamed() public {
        lock(bob, 50);
        uint256 bobsPledge = asset.encumbranceCount();
        recoverParticipant(regulator, alice, replacement);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotHoldersEncumbrance.selector, bobsPledge, alice)
        );
        asset.recoverHoldings(alice, ids(), one(bobsPledge));
    }

    function test_RevertWhen_APledgeWouldMoveWithoutItsUnits() public {
        lock(alice, 200);
        uint256 pledge = asset.encumbranceCount();
        uint256 other = createIssuance(); // alice holds none of it: moving it moves nothing
        recoverParticipant(regulator, alice, replacement);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EncumbranceWithoutUnits.selector, pledge, issuanceId)
        );
        asset.recoverHoldings(alice, one(other), one(pledge));
        assertEq(asset.encumbrance(pledge).holder, alice, "nothing moved");
    }

    function test_RevertWhen_AnIssuanceDoesNotExist() public {
        recoverParticipant(regulator, alice, replacement);
        uint256 unknown = asset.issuanceCount() + 1;
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, unknown));
        asset.recoverHoldings(alice, one(unknown), none());
    }

    function test_RevertWhen_TheWalletWasNotRecovered() public {
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_WalletNotRecovered.selector, alice));
        asset.recoverHoldings(alice, ids(), none());
    }

    function test_RevertWhen_TheReplacementIsNotANewWallet() public {
        address[3] memory taken = [bob, alice, address(0)];
        for (uint256 i; i < taken.length; ++i) {
            vm.prank(regulator);
            vm.expectRevert(
                abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidReplacement.selector, alice, taken[i])
            );
            registry.recoverParticipant(alice, taken[i], NEW_KYC, uint64(START + 365 days), ORDER);
        }
    }

    function test_RevertWhen_AStrangerOrAnExpiredIdentification() public {
        vm.prank(dave);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_NotParticipantOperator.selector, alice, operator, dave)
        );
        registry.recoverParticipant(alice, replacement, NEW_KYC, uint64(START + 365 days), ORDER);

        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IdentityExpiryInPast.selector, uint64(START)));
        registry.recoverParticipant(alice, replacement, NEW_KYC, uint64(START), ORDER);
    }

    function test_RevertWhen_AnOperatorWithoutAPermitRecovers() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("suspended"));
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Suspended
            )
        );
        registry.recoverParticipant(alice, replacement, NEW_KYC, uint64(START + 365 days), ORDER);
    }

    /// @dev Whatever positions and pledges, recovery conserves the supply and moves all of them.
    function testFuzz_RecoveryConservesTheSupply(uint256 frozenUnits, uint256 pledged) public {
        pledged = pledged % MINTED;
        frozenUnits = frozenUnits % (MINTED - pledged + 1);
        if (frozenUnits > 0) freezeUnits(alice, frozenUnits);
        uint256[] memory pledges = none();
        if (pledged > 0) {
            lock(alice, pledged);
            pledges = one(asset.encumbranceCount());
        }
        recoverParticipant(regulator, alice, replacement);
        asset.recoverHoldings(alice, ids(), pledges);
        assertHolding(replacement, MINTED, pledged, frozenUnits);
        assertHolding(alice, 0, 0, 0);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED);
    }
}
