// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155MetadataURI} from "@openzeppelin/contracts/token/ERC1155/extensions/IERC1155MetadataURI.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IERC7943MultiToken} from "../../../contracts/interfaces/IERC7943MultiToken.sol";
import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {Base} from "../Base.t.sol";
import {Vm, vm} from "../utils/Vm.sol";

/// @notice ERC-7943 (uRWA) for ERC-1155, as the final standard requires it of the asset: the
/// interface advertised, account checks that never revert, `canTransfer` agreeing with what a
/// transfer does, frozen amounts that overwrite and may exceed the balance, and the restricted
/// forced transfer that unfreezes first and is refused to the wallet it takes from.
contract ERC7943Test is Base {
    bytes32 internal constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");

    /// @dev Another eligible participant, frozen by compliance in the tests that need one.
    address internal erin;

    function setUp() public override {
        super.setUp();
        erin = makeAddr("erin");
        onboard(erin);
    }

    /*//////////////////////////////////////////////////////////////
                                ERC-165
    //////////////////////////////////////////////////////////////*/

    function test_AdvertisesERC7943BesideERC1155() public view {
        assertEq(bytes32(type(IERC7943MultiToken).interfaceId), bytes32(bytes4(0x41c4fbad)), "the standard's id");
        assertTrue(asset.supportsInterface(0x41c4fbad), "ERC-7943 multi token");
        assertTrue(asset.supportsInterface(type(IERC1155).interfaceId), "ERC-1155");
        assertTrue(asset.supportsInterface(type(IERC1155MetadataURI).interfaceId), "ERC-1155 metadata");
        assertTrue(asset.supportsInterface(type(IERC165).interfaceId), "ERC-165");
        assertFalse(asset.supportsInterface(0xffffffff), "ERC-165's invalid id");
        assertFalse(asset.supportsInterface(0x3edbb4c4), "not the fungible interface");
        assertFalse(asset.supportsInterface(0xbf1ef5fe), "not the non-fungible interface");
    }

    /*//////////////////////////////////////////////////////////////
                          canSend, canReceive
    //////////////////////////////////////////////////////////////*/

    function test_CanSendAndReceiveOnlyEligibleParticipants() public {
        assertTrue(asset.canSend(alice) && asset.canReceive(alice), "eligible");
        assertFalse(asset.canSend(carol) || asset.canReceive(carol), "notice not acknowledged");
        assertFalse(asset.canSend(dave) || asset.canReceive(dave), "unregistered");
        assertFalse(asset.canSend(address(0)) || asset.canReceive(address(0)), "zero address");
        assertFalse(asset.canSend(address(asset)) || asset.canReceive(address(asset)), "the custody");
        vm.prank(compliance);
        registry.freezeParticipant(erin, keccak256("aml"));
        assertFalse(asset.canSend(erin) || asset.canReceive(erin), "frozen");
        publishNewNotice();
        assertFalse(asset.canSend(alice) || asset.canReceive(alice), "the notice in force not acknowledged");
        acknowledge(alice);
        assertTrue(asset.canSend(alice), "acknowledged again");
        vm.warp(START + 730 days); // alice's identification lapses
        assertFalse(asset.canSend(alice) || asset.canReceive(alice), "identity expired");
    }

    /// @dev Never reverts, whatever the account.
    function testFuzz_CanSendAndReceiveNeverRevert(address account) public view {
        bool eligible = registry.participantStatus(account) == IPlatformRegistry.ParticipantStatus.Eligible;
        assertEq(asset.canSend(account), eligible, "canSend");
        assertEq(asset.canReceive(account), eligible, "canReceive");
    }

    /*//////////////////////////////////////////////////////////////
                              canTransfer
    //////////////////////////////////////////////////////////////*/

    function test_CanTransferChecksEveryPermissionedRule() public {
        assertTrue(asset.canTransfer(alice, bob, issuanceId, 10), "allowed");
        assertFalse(asset.canTransfer(alice, carol, issuanceId, 10), "recipient not acknowledged");
        assertFalse(asset.canTransfer(alice, dave, issuanceId, 10), "recipient unregistered");
        assertFalse(asset.canTransfer(carol, bob, issuanceId, 0), "sender not acknowledged");
        assertFalse(asset.canTransfer(alice, address(0), issuanceId, 10), "to the zero address");
        assertFalse(asset.canTransfer(address(0), bob, issuanceId, 10), "from the zero address");
        assertFalse(asset.canTransfer(alice, bob, 99, 10), "unknown issuance");
        vm.prank(operator);
        asset.pause(issuanceId);
        assertFalse(asset.canTransfer(alice, bob, issuanceId, 10), "paused");
        vm.prank(operator);
        asset.unpause(issuanceId);
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        assertFalse(asset.canTransfer(alice, bob, issuanceId, 10), "the operator's permit suspended");
    }

    /// @dev ERC-1155's own check, the balance, is no permissioned rule: canTransfer is not false
    /// for it alone.
    function test_CanTransferIsNotFalseForTheBalanceAlone() public view {
        assertTrue(asset.canTransfer(alice, bob, issuanceId, MINTED + 1), "beyond the balance");
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, MINTED + 1)),
            uint256(ISecuredAssetTypes.Refusal.InsufficientBalance)
        );
    }

    /// @dev Beyond the balance of a holding with units locked, the amount exceeds the unlocked
    /// units too: the standard's frozen-amount check refuses it.
    function test_CanTransferBeyondTheBalanceOfALockedHolding() public {
        setFrozen(alice, 1);
        assertFalse(asset.canTransfer(alice, bob, issuanceId, MINTED + 1), "frozen");
        setFrozen(alice, 0);
        vm.prank(alice);
        asset.encumber(issuanceId, 1, bob, keccak256("pledge"), 0);
        assertFalse(asset.canTransfer(alice, bob, issuanceId, MINTED + 1), "pledged");
    }

    function test_FreezeAndUnfreezeEmitFrozen() public {
        vm.expectEmit(address(asset));
        emit IERC7943MultiToken.Frozen(alice, issuanceId, 40);
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, 40, keccak256("hold"));
        vm.expectEmit(address(asset));
        emit IERC7943MultiToken.Frozen(alice, issuanceId, 30);
        vm.prank(compliance);
        asset.unfreezeUnits(issuanceId, alice, 10, keccak256("lifted"));
    }

    function test_CanTransferCountsFrozenUnits() public {
        setFrozen(alice, 600);
        assertTrue(asset.canTransfer(alice, bob, issuanceId, 400), "within the unfrozen units");
        assertFalse(asset.canTransfer(alice, bob, issuanceId, 401), "beyond the unfrozen units");
    }

    /// @dev For any amount within the balance, in any state of the sender's holding, the
    /// recipient's standing and the issuance's pause, canTransfer says exactly whether the
    /// transfer succeeds.
    function testFuzz_CanTransferAgreesWithTransfer(
        uint256 amount,
        uint256 frozen,
        uint256 encumbered,
        uint8 recipient,
        bool paused
    ) public {
        amount = bound(amount, 0, MINTED);
        frozen = bound(frozen, 0, 2 * MINTED);
        encumbered = bound(encumbered, 0, MINTED);
        address to = [bob, carol, dave, erin][recipient % 4];
        if (recipient % 4 == 3) {
            vm.prank(compliance);
            registry.freezeParticipant(erin, keccak256("aml"));
        }
        if (encumbered != 0) {
            vm.prank(alice);
            asset.encumber(issuanceId, encumbered, bob, keccak256("pledge"), 0);
        }
        setFrozen(alice, frozen);
        if (paused) {
            vm.prank(operator);
            asset.pause(issuanceId);
        }
        bool allowed = asset.canTransfer(alice, to, issuanceId, amount);
        vm.prank(alice);
        try asset.safeTransferFrom(alice, to, issuanceId, amount, "") {
            assertTrue(allowed, "transferred although canTransfer said no");
        } catch {
            assertFalse(allowed, "refused although canTransfer said yes");
        }
    }

    /// @dev Beyond the balance the transfer fails for the balance, ERC-1155's check; canTransfer
    /// is true whenever the parties and the issuance allow a transfer at all.
    function testFuzz_CanTransferBeyondTheBalance(uint256 amount, bool recipientAllowed) public view {
        amount = bound(amount, MINTED + 1, type(uint256).max);
        address to = recipientAllowed ? bob : carol;
        assertEq(asset.canTransfer(alice, to, issuanceId, amount), recipientAllowed, "canTransfer");
    }

    /*//////////////////////////////////////////////////////////////
                          FROZEN-TOKEN ACCOUNTING
    //////////////////////////////////////////////////////////////*/

    function test_SetFrozenTokensOverwrites() public {
        vm.expectEmit(address(asset));
        emit IERC7943MultiToken.Frozen(alice, issuanceId, 300);
        vm.prank(compliance);
        assertTrue(asset.setFrozenTokens(alice, issuanceId, 300), "returns true");
        assertEq(asset.getFrozenTokens(alice, issuanceId), 300);
        assertEq(asset.frozenUnits(issuanceId, alice), 300, "the same figure as freezeUnits'");
        assertEq(asset.availableUnits(issuanceId, alice), MINTED - 300);

        vm.expectEmit(address(asset));
        emit IERC7943MultiToken.Frozen(alice, issuanceId, 100);
        setFrozen(alice, 100); // overwrites, does not add
        assertEq(asset.getFrozenTokens(alice, issuanceId), 100);
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, 50, keccak256("hold"));
        assertEq(asset.getFrozenTokens(alice, issuanceId), 150, "freezeUnits adds to it");
        setFrozen(alice, 0);
        assertEq(asset.getFrozenTokens(alice, issuanceId), 0);
        assertEq(asset.availableUnits(issuanceId, alice), MINTED);
    }

    /// @dev Frozen beyond the balance: nothing can be sent, and units received later stay frozen
    /// up to the frozen amount.
    function test_FrozenBeyondTheBalanceWithholdsLaterReceipts() public {
        setFrozen(alice, 1500);
        assertEq(asset.getFrozenTokens(alice, issuanceId), 1500);
        assertEq(asset.availableUnits(issuanceId, alice), 0);
        assertFalse(asset.canTransfer(alice, bob, issuanceId, 1));
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, MINTED - 1, 0, 1500, 0
            )
        );
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");

        vm.prank(bob);
        asset.safeTransferFrom(bob, alice, issuanceId, 600, ""); // alice receives: 1,600, 1,500 frozen
        assertEq(asset.availableUnits(issuanceId, alice), 100);
        assertFalse(asset.canTransfer(alice, bob, issuanceId, 101));
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, 1499, 0, 1500, 0
            )
        );
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 101, "");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 100, "");
        assertEq(asset.balanceOf(alice, issuanceId), 1500);
    }

    /// @dev A holding with no units yet may be frozen: the first units received are withheld.
    function test_FrozenBeforeAnyUnitIsHeld() public {
        setFrozen(erin, 200);
        vm.prank(bob);
        asset.safeTransferFrom(bob, erin, issuanceId, 300, "");
        assertEq(asset.availableUnits(issuanceId, erin), 100);
    }

    function testFuzz_RevertWhen_SetFrozenTokensWithoutComplianceRole(address caller) public {
        vm.assume(!registry.hasRole(COMPLIANCE_ROLE, caller));
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, caller, COMPLIANCE_ROLE)
        );
        vm.prank(caller);
        asset.setFrozenTokens(alice, issuanceId, 1);
    }

    function test_RevertWhen_SetFrozenTokensIsInvalid() public {
        vm.startPrank(compliance);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.setFrozenTokens(alice, 99, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, address(asset), 1, 0
            )
        );
        asset.setFrozenTokens(address(asset), issuanceId, 1);
        uint256 tooMuch = uint256(type(uint64).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_InvalidFrozenAmount.selector, tooMuch));
        asset.setFrozenTokens(alice, issuanceId, tooMuch);
        assertTrue(asset.setFrozenTokens(alice, issuanceId, type(uint64).max), "the largest amount kept");
        vm.stopPrank();
        assertEq(asset.availableUnits(issuanceId, alice), 0);
    }

    /*//////////////////////////////////////////////////////////////
                             forcedTransfer
    //////////////////////////////////////////////////////////////*/

    /// @dev Frozen units taken by the order are unfrozen first: Frozen before the TransferSingle,
    /// ERC-7943's ForcedTransfer after it, the platform's TransferOrdered (no order hash) first.
    function test_ForcedTransferUnfreezesFirstAndEmitsInOrder() public {
        setFrozen(alice, 900);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.TransferOrdered(issuanceId, alice, bob, 300, 200, bytes32(0), regulator);
        vm.expectEmit(address(asset));
        emit IERC7943MultiToken.Frozen(alice, issuanceId, 700);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(regulator, alice, bob, issuanceId, 300);
        vm.expectEmit(address(asset));
        emit IERC7943MultiToken.ForcedTransfer(alice, bob, issuanceId, 300);
        vm.prank(regulator);
        assertTrue(asset.forcedTransfer(alice, bob, issuanceId, 300), "returns true");
        assertEq(asset.balanceOf(alice, issuanceId), 700);
        assertEq(asset.getFrozenTokens(alice, issuanceId), 700);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 300);
    }

    /// @dev Only free units taken: no Frozen event at all.
    function test_ForcedTransferOfFreeUnitsEmitsNoFrozen() public {
        setFrozen(alice, 100);
        vm.recordLogs();
        vm.prank(regulator);
        asset.forcedTransfer(alice, bob, issuanceId, 900);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(countLogs(logs, IERC7943MultiToken.Frozen.selector), 0, "no Frozen");
        assertEq(countLogs(logs, IERC7943MultiToken.ForcedTransfer.selector), 1, "one ForcedTransfer");
        assertEq(asset.getFrozenTokens(alice, issuanceId), 100);
    }

    /// @dev Frozen beyond the balance: the order takes the whole balance, the freeze keeps
    /// withholding what it did not cover.
    function test_ForcedTransferFromAHoldingFrozenBeyondItsBalance() public {
        setFrozen(alice, 1500);
        vm.expectEmit(address(asset));
        emit IERC7943MultiToken.Frozen(alice, issuanceId, 500);
        vm.prank(regulator);
        asset.forcedTransfer(alice, bob, issuanceId, MINTED);
        assertEq(asset.balanceOf(alice, issuanceId), 0);
        assertEq(asset.getFrozenTokens(alice, issuanceId), 500);
        vm.prank(bob);
        asset.safeTransferFrom(bob, alice, issuanceId, 600, "");
        assertEq(asset.availableUnits(issuanceId, alice), 100, "received units stay frozen");
    }

    function test_TheFiveArgumentOrderEmitsERC7943sEventToo() public {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.TransferOrdered(issuanceId, alice, bob, 10, 0, keccak256("order 7"), regulator);
        vm.expectEmit(address(asset));
        emit IERC7943MultiToken.ForcedTransfer(alice, bob, issuanceId, 10);
        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, alice, bob, 10, keccak256("order 7"));
    }

    function test_RevertWhen_ForcedTransferToTheWalletItTakesFrom() public {
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ForcedTransferToSelf.selector, issuanceId, alice)
        );
        vm.prank(regulator);
        asset.forcedTransfer(alice, alice, issuanceId, 10);
    }

    function testFuzz_RevertWhen_ForcedTransferWithoutRegulatorRole(address caller) public {
        vm.assume(!registry.hasRole(REGULATOR_ROLE, caller));
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, caller, REGULATOR_ROLE)
        );
        vm.prank(caller);
        asset.forcedTransfer(alice, bob, issuanceId, 10);
    }

    function test_RevertWhen_ForcedTransferIsInvalid() public {
        vm.startPrank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ZeroAmount.selector));
        asset.forcedTransfer(alice, bob, issuanceId, 0);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.forcedTransfer(alice, bob, 99, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, MINTED + 1, MINTED
            )
        );
        asset.forcedTransfer(alice, bob, issuanceId, MINTED + 1);
        // The recipient must be able to receive (the standard's canReceive).
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector,
                dave,
                IPlatformRegistry.ParticipantStatus.NotRegistered
            )
        );
        asset.forcedTransfer(alice, dave, issuanceId, 1);
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function setFrozen(address account, uint256 amount) internal {
        vm.prank(compliance);
        asset.setFrozenTokens(account, issuanceId, amount);
    }

    function countLogs(Vm.Log[] memory logs, bytes32 topic) internal pure returns (uint256 n) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics.length != 0 && logs[i].topics[0] == topic) ++n;
        }
    }
}
