// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {FreezeBase} from "./FreezeBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Wallet recovery (R7) of a position beyond one issuance, and what does NOT follow the
/// person to its new wallet: rights the lost wallet gave or was given (approvals), its key's
/// signature, a notice acknowledged before a new one, and the freedom a frozen account lacks.
/// The basic paths and refusals: WalletRecovery.t.sol.
contract WalletRecoveryPositionsTest is FreezeBase {
    bytes32 internal constant ORDER = keccak256("recovery order 2026/4");

    address internal replacement;
    uint256 internal replacementKey;
    /// @dev A second issuance of the fixture's operator, covered, with units minted to alice.
    uint256 internal other;

    function setUp() public override {
        super.setUp();
        (replacement, replacementKey) = makeKey("alice's new wallet");
        other = createIssuance();
        attest(other, COVERED);
        vm.prank(operator);
        asset.mint(other, alice, MINTED / 4);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function recoverAlice() internal {
        vm.prank(regulator);
        registry.recoverParticipant(alice, replacement, keccak256("kyc again"), uint64(START + 365 days), ORDER);
    }

    function pair(uint256 a, uint256 b) internal pure returns (uint256[] memory list) {
        list = new uint256[](2);
        (list[0], list[1]) = (a, b);
    }

    function one(uint256 value) internal pure returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = value;
    }

    function none() internal pure returns (uint256[] memory) {
        return new uint256[](0);
    }

    /// @dev Alice pledges `amount` of `id` to bob, without expiry; returns the encumbrance.
    function pledge(uint256 id, uint256 amount) internal returns (uint256) {
        vm.prank(alice);
        return asset.encumber(id, amount, bob, keccak256("pledge"), 0);
    }

    /*//////////////////////////////////////////////////////////////
                          SEVERAL ISSUANCES
    //////////////////////////////////////////////////////////////*/

    /// @dev Two issuances, each with a pledge and one with frozen units, move in one batch: one
    /// HoldingsRecovered, one TransferBatch sent by whoever called, every figure carried over.
    function test_SeveralIssuancesMoveInOneBatch() public {
        uint256 first = pledge(issuanceId, 100);
        uint256 second = pledge(other, 50);
        vm.prank(compliance);
        asset.freezeUnits(other, alice, 25, REASON);
        recoverAlice();

        uint256[] memory ids = pair(issuanceId, other);
        uint256[] memory amounts = pair(MINTED, MINTED / 4);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.HoldingsRecovered(alice, replacement, ids, amounts, pair(0, 25), dave);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferBatch(dave, alice, replacement, ids, amounts);
        vm.prank(dave);
        asset.recoverHoldings(alice, ids, pair(second, first)); // in any order

        assertHolding(replacement, MINTED, 100, 0);
        assertEq(asset.balanceOf(replacement, other), MINTED / 4, "second issuance");
        assertEq(asset.encumberedUnits(other, replacement), 50, "second pledge");
        assertEq(asset.frozenUnits(other, replacement), 25, "frozen units of the second issuance");
        assertEq(asset.encumbrance(second).holder, replacement, "second pledge's holder");
        assertEq(asset.encumbrance(second).beneficiary, bob, "second pledge's beneficiary");
        assertEq(asset.balanceOf(alice, issuanceId) + asset.balanceOf(alice, other), 0, "nothing left behind");
        assertEq(asset.totalSupply(other), MINTED / 4, "supply conserved");
    }

    /// @dev One issuance now, the other later: a holder's ids are found from events, so a
    /// recovery may come in parts; an id the lost wallet holds none of moves nothing, and asking
    /// again for one already moved moves nothing either.
    function test_HoldingsMayFollowInPartsAndAnIdWithNoBalanceMovesNothing() public {
        uint256 empty = createIssuance();
        recoverAlice();

        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.HoldingsRecovered(
            alice, replacement, pair(issuanceId, empty), pair(MINTED, 0), pair(0, 0), bob
        );
        vm.prank(bob);
        asset.recoverHoldings(alice, pair(issuanceId, empty), none());
        assertEq(asset.balanceOf(alice, other), MINTED / 4, "the other issuance waits");
        assertEq(asset.balanceOf(replacement, empty), 0, "nothing of an id it held none of");

        asset.recoverHoldings(alice, one(other), none());
        asset.recoverHoldings(alice, one(issuanceId), none()); // again: nothing left to move
        assertEq(asset.balanceOf(replacement, issuanceId), MINTED, "first part");
        assertEq(asset.balanceOf(replacement, other), MINTED / 4, "second part");
        assertEq(asset.balanceOf(alice, issuanceId) + asset.balanceOf(alice, other), 0, "all moved");
    }

    /// @dev An id named twice would move the balance twice: the second has nothing to move.
    function test_RevertWhen_AnIdIsNamedTwice() public {
        recoverAlice();
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, alice, 0, MINTED, issuanceId)
        );
        asset.recoverHoldings(alice, pair(issuanceId, issuanceId), none());
    }

    /*//////////////////////////////////////////////////////////////
                        WHAT DOES NOT FOLLOW
    //////////////////////////////////////////////////////////////*/

    /// @dev Approvals are the lost wallet's acts, not the person's register entry: bob, whom alice
    /// approved, gets no right over the new wallet, nor over the lost one's units; and a right
    /// given to the lost wallet is not the new wallet's.
    function test_ApprovalsAreNotCarriedOver() public {
        vm.prank(alice);
        asset.setApprovalForAll(bob, true);
        vm.prank(bob);
        asset.setApprovalForAll(alice, true);
        recoverAlice();
        asset.recoverHoldings(alice, one(issuanceId), none());

        assertFalse(asset.isApprovedForAll(replacement, bob), "bob has no right over the new wallet");
        assertFalse(asset.isApprovedForAll(bob, replacement), "the new wallet has no right over bob's");
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, bob, replacement));
        asset.safeTransferFrom(replacement, bob, issuanceId, 1, "");
        vm.prank(replacement);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, replacement, bob));
        asset.safeTransferFrom(bob, replacement, issuanceId, 1, "");

        // The right bob gave the lost wallet still stands on the token, but a lost wallet deals
        // no more: it moves nothing of bob's.
        assertTrue(asset.isApprovedForAll(bob, alice), "the lost wallet's right stays its own");
        vm.prank(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.NotRegistered));
        asset.safeTransferFrom(bob, carol, issuanceId, 1, "");
    }

    /// @dev The acknowledgement travels with the person: the new wallet may deal at once under
    /// the notice alice acknowledged; a new notice must be acknowledged again, by the new wallet's
    /// key: the lost key's signature no longer speaks for the person.
    function test_TheAcknowledgementCountsForTheReplacementUntilANewNotice() public {
        recoverAlice();
        assertEq(
            uint8(registry.participantStatus(replacement)),
            uint8(IPlatformRegistry.ParticipantStatus.Eligible),
            "eligible at once"
        );

        uint32 version = publishNewNotice();
        assertEq(
            uint8(registry.participantStatus(replacement)),
            uint8(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged),
            "a new notice binds the new wallet"
        );
        uint256 deadline = block.timestamp + 1 days;
        bytes memory byLostKey = signAcknowledgement(aliceKey, replacement, version, deadline);
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidSignature.selector, replacement, alice)
        );
        registry.acknowledgeRiskNoticeBySig(replacement, version, deadline, byLostKey);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, alice));
        registry.acknowledgeRiskNotice(version);

        bytes memory byNewKey = signAcknowledgement(replacementKey, replacement, version, deadline);
        vm.prank(operator);
        registry.acknowledgeRiskNoticeBySig(replacement, version, deadline, byNewKey);
        assertEq(registry.participant(replacement).acknowledgedNotice, version, "acknowledged anew");
    }

    /// @dev A frozen account stays frozen under its new wallet: its units reach it by recovery,
    /// which is not a dealing, but nothing reaches it or leaves it by transfer.
    function test_AFrozenReplacementReceivesByRecoveryNotByTransfer() public {
        freezeAccount(alice);
        recoverAlice();
        asset.recoverHoldings(alice, one(issuanceId), none());
        assertEq(asset.balanceOf(replacement, issuanceId), MINTED, "received by recovery");

        vm.prank(bob);
        vm.expectRevert(notEligible(replacement, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.safeTransferFrom(bob, replacement, issuanceId, 1, "");
        vm.prank(replacement);
        vm.expectRevert(notEligible(replacement, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.safeTransferFrom(replacement, bob, issuanceId, 1, "");
    }

    /// @dev A lost wallet that is the beneficiary of someone's pledge stays its beneficiary on
    /// record, but enforcement delivers to where the person is now: its new wallet, never the
    /// lost one (which could not receive anyway).
    function test_EnforcementDeliversToALostBeneficiarysNewWallet() public {
        vm.prank(bob);
        uint256 bobsPledge = asset.encumber(issuanceId, 40, alice, keccak256("pledge to alice"), 0);
        recoverAlice();
        assertEq(asset.encumbrance(bobsPledge).beneficiary, alice, "the beneficiary on record is unchanged");

        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(operator, bob, replacement, issuanceId, 40);
        vm.prank(operator);
        asset.enforce(bobsPledge, keccak256("default"));
        assertEq(asset.balanceOf(replacement, issuanceId), 40, "delivered to the new wallet");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "nothing to the lost wallet");
        assertEq(asset.encumberedUnits(issuanceId, bob), 0, "unlocked");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED - 40, "taken from the holder");
    }

    /// @dev The register lists the replacement under the operator that identified the person,
    /// after the lost wallet, which stays listed (NotRegistered) as the record of who was there.
    function test_TheOperatorListsTheReplacementAfterTheLostWallet() public {
        uint256 count = registry.participantCountOf(operator);
        recoverAlice();
        assertEq(registry.participantCountOf(operator), count + 1, "one more entry");
        address[] memory listed = registry.participantsOf(operator, 0, count + 1);
        assertEq(listed[count], replacement, "the replacement last");
        uint256 seen;
        for (uint256 i; i < count; ++i) {
            if (listed[i] == alice) ++seen;
        }
        assertEq(seen, 1, "the lost wallet still listed once");
    }
}
