// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice A registered smart wallet that, when it receives units, tries once to pass them on: how
/// the recipient of a regulator order could act inside it.
contract OrderRecipientWallet is IERC1155Receiver {
    IERC1155 private immutable _asset;
    address private _to;
    uint256 private _id;
    uint256 private _amount;
    bool private _armed;

    bool public attempted;
    bool public succeeded;
    bytes public failure;

    constructor(IERC1155 asset_) {
        _asset = asset_;
    }

    function arm(address to, uint256 id, uint256 amount) external {
        (_to, _id, _amount, _armed) = (to, id, amount, true);
    }

    function send(address to, uint256 id, uint256 amount) external {
        _asset.safeTransferFrom(address(this), to, id, amount, "");
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        if (_armed) {
            _armed = false;
            attempted = true;
            try _asset.safeTransferFrom(address(this), _to, _id, _amount, "") {
                succeeded = true;
            } catch (bytes memory reason) {
                failure = reason;
            }
        }
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(address, address, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        pure
        returns (bytes4)
    {
        return this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}

/// @notice Partial freezes by compliance officers and account freezes in the registry (Law art. 6.3,
/// 4.1.9), transfers by regulator order, redemption to the issuer, and closing once all is redeemed.
contract FreezeAndOrdersTest is Base {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 internal constant REASON = keccak256("suspicious pattern 42");
    bytes32 internal constant ORDER = keccak256("court order 2026/17");

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function freezeUnits(address holder, uint256 amount) internal {
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, holder, amount, REASON);
    }

    function freezeAccount(address wallet) internal {
        vm.prank(compliance);
        registry.freezeParticipant(wallet, REASON);
    }

    function lock(address holder, uint256 amount) internal {
        address beneficiary = holder == bob ? alice : bob;
        vm.prank(holder);
        asset.encumber(issuanceId, amount, beneficiary, keccak256("pledge"), 0);
    }

    function notEligible(address account, IPlatformRegistry.ParticipantStatus status)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ISecuredAsset.SecuredAsset_ParticipantNotEligible.selector, account, status);
    }

    function unavailable(address holder, uint256 requested, uint256 available) internal view returns (bytes memory) {
        return abi.encodeWithSelector(
            ISecuredAsset.SecuredAsset_UnitsUnavailable.selector, issuanceId, holder, requested, available
        );
    }

    function restricted(address holder, uint256 balanceAfter, uint256 encumbered, uint256 frozen)
        internal
        view
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ISecuredAsset.SecuredAsset_UnitsRestricted.selector, issuanceId, holder, balanceAfter, encumbered, frozen
        );
    }

    function assertHolding(address holder, uint256 balance, uint256 encumbered, uint256 frozen) internal view {
        assertEq(asset.balanceOf(holder, issuanceId), balance, "balance");
        assertEq(asset.encumberedUnits(issuanceId, holder), encumbered, "encumbered");
        assertEq(asset.frozenUnits(issuanceId, holder), frozen, "frozen");
        assertEq(asset.availableUnits(issuanceId, holder), balance - encumbered - frozen, "available");
    }

    /// @dev A forced transfer by the regulator, checking both events and the exact `unfrozen`.
    function force(address from, address to, uint256 amount, uint256 unfrozen) internal {
        vm.expectEmit(address(asset));
        emit ISecuredAsset.ForcedTransfer(issuanceId, from, to, amount, unfrozen, ORDER, regulator);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(regulator, from, to, issuanceId, amount);
        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, from, to, amount, ORDER);
    }

    /*//////////////////////////////////////////////////////////////
                              FREEZE UNITS
    //////////////////////////////////////////////////////////////*/

    function test_FreezeUnits() public {
        vm.expectEmit(address(asset));
        emit ISecuredAsset.UnitsFrozen(issuanceId, alice, 600, REASON, compliance);
        freezeUnits(alice, 600);
        assertHolding(alice, MINTED, 0, 600);
    }

    function test_FreezesAddUpToTheWholeBalance() public {
        freezeUnits(alice, 600);
        freezeUnits(alice, 400);
        assertHolding(alice, MINTED, 0, MINTED);
    }

    function test_FrozenUnitsCannotMove() public {
        freezeUnits(alice, 600);
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, 401)),
            uint256(ISecuredAsset.Refusal.UnitsRestricted),
            "checkTransfer"
        );
        vm.prank(alice);
        vm.expectRevert(restricted(alice, 599, 0, 600));
        asset.safeTransferFrom(alice, bob, issuanceId, 401, "");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 400, "");
        assertHolding(alice, 600, 0, 600);
    }

    function test_RevertWhen_FrozenUnitsEncumbered() public {
        freezeUnits(alice, 600);
        vm.prank(alice);
        vm.expectRevert(unavailable(alice, 401, 400));
        asset.encumber(issuanceId, 401, bob, keccak256("pledge"), 0);
    }

    function test_RevertWhen_FrozenUnitsRedeemed() public {
        freezeUnits(alice, 600);
        vm.prank(alice);
        vm.expectRevert(restricted(alice, 599, 0, 600));
        asset.redeem(issuanceId, alice, 401, keccak256("delivery"));
    }

    function test_FreezeUnitsOfAFrozenAccount() public {
        freezeAccount(alice);
        freezeUnits(alice, 100);
        assertHolding(alice, MINTED, 0, 100);
    }

    function test_RevertWhen_FreezeByOperator() public {
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_MissingRole.selector, operator, COMPLIANCE_ROLE)
        );
        asset.freezeUnits(issuanceId, alice, 1, REASON);
    }

    function test_RevertWhen_FreezeByRegulator() public {
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_MissingRole.selector, regulator, COMPLIANCE_ROLE)
        );
        asset.freezeUnits(issuanceId, alice, 1, REASON);
    }

    function test_RevertWhen_FreezeUnknownIssuance() public {
        vm.prank(compliance);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.freezeUnits(99, alice, 1, REASON);
    }

    function test_RevertWhen_FreezeZero() public {
        vm.prank(compliance);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_ZeroAmount.selector));
        asset.freezeUnits(issuanceId, alice, 0, REASON);
    }

    function test_RevertWhen_FreezeMoreThanAvailable() public {
        freezeUnits(alice, 600);
        lock(alice, 300);
        vm.prank(compliance);
        vm.expectRevert(unavailable(alice, 101, 100));
        asset.freezeUnits(issuanceId, alice, 101, REASON);
        assertHolding(alice, MINTED, 300, 600);
    }

    function test_RevertWhen_FreezeUnitsOfNonHolder() public {
        vm.prank(compliance);
        vm.expectRevert(unavailable(carol, 1, 0));
        asset.freezeUnits(issuanceId, carol, 1, REASON);
    }

    /*//////////////////////////////////////////////////////////////
                             UNFREEZE UNITS
    //////////////////////////////////////////////////////////////*/

    function test_UnfreezeUnits() public {
        freezeUnits(alice, 600);
        vm.expectEmit(address(asset));
        emit ISecuredAsset.UnitsUnfrozen(issuanceId, alice, 250, keccak256("cleared"), compliance);
        vm.prank(compliance);
        asset.unfreezeUnits(issuanceId, alice, 250, keccak256("cleared"));
        assertHolding(alice, MINTED, 0, 350);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 650, "");
        assertHolding(alice, 350, 0, 350);
    }

    function test_RevertWhen_UnfreezeExceedsFrozen() public {
        freezeUnits(alice, 600);
        vm.prank(compliance);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_UnfreezeExceedsFrozen.selector, issuanceId, alice, 601, 600
            )
        );
        asset.unfreezeUnits(issuanceId, alice, 601, REASON);
        assertHolding(alice, MINTED, 0, 600);
    }

    function test_RevertWhen_UnfreezeNothingFrozen() public {
        vm.prank(compliance);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_UnfreezeExceedsFrozen.selector, issuanceId, bob, 1, 0)
        );
        asset.unfreezeUnits(issuanceId, bob, 1, REASON);
    }

    function test_RevertWhen_UnfreezeZero() public {
        freezeUnits(alice, 600);
        vm.prank(compliance);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_ZeroAmount.selector));
        asset.unfreezeUnits(issuanceId, alice, 0, REASON);
    }

    function test_RevertWhen_UnfreezeByNonCompliance() public {
        freezeUnits(alice, 600);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_MissingRole.selector, alice, COMPLIANCE_ROLE));
        asset.unfreezeUnits(issuanceId, alice, 600, REASON);
    }

    /*//////////////////////////////////////////////////////////////
                       ACCOUNT FREEZE (REGISTRY)
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_FrozenAccountSends() public {
        freezeAccount(alice);
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, 1)), uint256(ISecuredAsset.Refusal.SenderFrozen), "check"
        );
        vm.prank(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    function test_RevertWhen_FrozenAccountReceives() public {
        freezeAccount(alice);
        assertEq(
            uint256(asset.checkTransfer(bob, alice, issuanceId, 1)),
            uint256(ISecuredAsset.Refusal.RecipientFrozen),
            "check"
        );
        vm.prank(bob);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.safeTransferFrom(bob, alice, issuanceId, 1, "");
    }

    function test_RevertWhen_FrozenAccountRedeems() public {
        freezeAccount(alice);
        vm.prank(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.redeem(issuanceId, alice, 1, keccak256("delivery"));
    }

    function test_AccountUnfreezeRestoresCirculation() public {
        freezeAccount(alice);
        vm.prank(compliance);
        registry.unfreezeParticipant(alice, keccak256("cleared"));
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 10, "");
        vm.prank(bob);
        asset.safeTransferFrom(bob, alice, issuanceId, 4, "");
        assertHolding(alice, MINTED - 6, 0, 0);
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
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId));
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
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_ForcedTransferToSelf.selector, issuanceId, alice)
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
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_MissingRole.selector, operator, REGULATOR_ROLE));
        asset.forcedTransfer(issuanceId, alice, bob, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferByCompliance() public {
        vm.prank(compliance);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_MissingRole.selector, compliance, REGULATOR_ROLE)
        );
        asset.forcedTransfer(issuanceId, alice, bob, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferUnknownIssuance() public {
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.forcedTransfer(99, alice, bob, 1, ORDER);
    }

    function test_RevertWhen_ForcedTransferZero() public {
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_ZeroAmount.selector));
        asset.forcedTransfer(issuanceId, alice, bob, 0, ORDER);
    }

    function test_RevertWhen_WalletSendsWhilePaused() public {
        OrderRecipientWallet wallet = new OrderRecipientWallet(asset);
        onboard(address(wallet));
        vm.prank(alice);
        asset.safeTransferFrom(alice, address(wallet), issuanceId, 300, "");
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId));
        wallet.send(bob, issuanceId, 300);
    }

    /// @dev The order relaxes pause, permit and the sender's freeze for the ordered move only. The
    /// recipient's wallet must not be able to use the relaxed route, from inside the ERC-1155
    /// acceptance callback, to pass units on while the issuance is paused.
    function test_ForcedRouteDoesNotReachTheRecipientCallback() public {
        OrderRecipientWallet wallet = new OrderRecipientWallet(asset);
        onboard(address(wallet));
        vm.prank(regulator);
        asset.pause(issuanceId);
        wallet.arm(bob, issuanceId, 300);

        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, alice, address(wallet), 300, ORDER);

        assertTrue(wallet.attempted(), "callback ran");
        assertFalse(wallet.succeeded(), "units moved during a pause inside the order");
        assertEq(
            keccak256(wallet.failure()),
            keccak256(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId)),
            "refused for the pause"
        );
        assertEq(asset.balanceOf(address(wallet), issuanceId), 300, "ordered units stay with the recipient");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "bob untouched");
    }

    /*//////////////////////////////////////////////////////////////
                                 REDEEM
    //////////////////////////////////////////////////////////////*/

    function test_RedeemByHolder() public {
        vm.expectEmit(address(asset));
        emit ISecuredAsset.Redeemed(issuanceId, alice, 400, keccak256("delivery 1"), alice);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(alice, alice, address(0), issuanceId, 400);
        vm.prank(alice);
        asset.redeem(issuanceId, alice, 400, keccak256("delivery 1"));
        assertHolding(alice, 600, 0, 0);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 400, "supply");
    }

    function test_RedeemByApprovedOperator() public {
        // The issuer redeeming for a holder acts on the platform: it must be an identified participant.
        register(issuer);
        vm.prank(alice);
        asset.setApprovalForAll(issuer, true);
        vm.expectEmit(address(asset));
        emit ISecuredAsset.Redeemed(issuanceId, alice, 250, keccak256("delivery 2"), issuer);
        vm.prank(issuer);
        asset.redeem(issuanceId, alice, 250, keccak256("delivery 2"));
        assertHolding(alice, 750, 0, 0);
    }

    function test_RedeemAvailableUnitsBesideRestrictedOnes() public {
        lock(alice, 300);
        freezeUnits(alice, 200);
        vm.prank(alice);
        asset.redeem(issuanceId, alice, 500, keccak256("delivery"));
        assertHolding(alice, 500, 300, 200);
    }

    function test_RedeemWhenHolderBehindOnNewestNotice() public {
        vm.prank(operator);
        registry.publishRiskNotice(keccak256("risk notice v2"), "https://sdap.example/risk/v2");
        vm.prank(alice);
        asset.redeem(issuanceId, alice, 1, keccak256("delivery"));
        assertHolding(alice, MINTED - 1, 0, 0);
    }

    function test_RevertWhen_RedeemByUnapproved() public {
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, issuer, alice));
        asset.redeem(issuanceId, alice, 1, keccak256("delivery"));
    }

    function test_RevertWhen_RedeemByOperatorOfIssuance() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, operator, alice));
        asset.redeem(issuanceId, alice, 1, keccak256("delivery"));
    }

    function test_RevertWhen_RedeemZero() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_ZeroAmount.selector));
        asset.redeem(issuanceId, alice, 0, keccak256("delivery"));
    }

    function test_RevertWhen_RedeemMoreThanBalance() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC1155Errors.ERC1155InsufficientBalance.selector, alice, MINTED, MINTED + 1, issuanceId
            )
        );
        asset.redeem(issuanceId, alice, MINTED + 1, keccak256("delivery"));
    }

    function test_RevertWhen_RedeemWhilePaused() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.redeem(issuanceId, alice, 1, keccak256("delivery"));
        assertHolding(alice, MINTED, 0, 0);
    }

    function test_RevertWhen_RedeemPermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Suspended
            )
        );
        asset.redeem(issuanceId, alice, 1, keccak256("delivery"));
    }

    function test_RevertWhen_RedeemPermitExpired() public {
        vm.warp(START + 365 days);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Expired
            )
        );
        asset.redeem(issuanceId, alice, 1, keccak256("delivery"));
    }

    /*//////////////////////////////////////////////////////////////
                         CLOSE AFTER REDEMPTION
    //////////////////////////////////////////////////////////////*/

    function test_CloseAfterAllRedeemed() public {
        vm.prank(alice);
        asset.redeem(issuanceId, alice, MINTED, keccak256("delivery alice"));
        vm.prank(bob);
        asset.redeem(issuanceId, bob, MINTED, keccak256("delivery bob"));
        assertEq(asset.totalSupply(issuanceId), 0, "all redeemed");

        vm.expectEmit(address(asset));
        emit ISecuredAsset.IssuanceClosed(issuanceId, keccak256("all obligations met"), issuer);
        vm.prank(issuer);
        asset.close(issuanceId, keccak256("all obligations met"));

        ISecuredAsset.Issuance memory iss = asset.issuance(issuanceId);
        assertTrue(iss.closed, "closed");
        assertEq(iss.fulfilmentHash, keccak256("all obligations met"), "fulfilmentHash");
        // Collateral would still cover more, but a closed issuance mints nothing.
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceClosed.selector, issuanceId));
        asset.mint(issuanceId, alice, 1);
    }

    function test_RevertWhen_CloseWithOneUnitOutstanding() public {
        vm.prank(alice);
        asset.redeem(issuanceId, alice, MINTED, keccak256("delivery alice"));
        vm.prank(bob);
        asset.redeem(issuanceId, bob, MINTED - 1, keccak256("delivery bob"));
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_SupplyOutstanding.selector, issuanceId, 1));
        asset.close(issuanceId, keccak256("fulfilled"));
    }

    function test_RevertWhen_ApprovedRedeemerIsNotRegistered() public {
        vm.prank(alice);
        asset.setApprovalForAll(issuer, true);
        vm.prank(issuer);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_ParticipantNotEligible.selector,
                issuer,
                IPlatformRegistry.ParticipantStatus.NotRegistered
            )
        );
        asset.redeem(issuanceId, alice, 250, keccak256("delivery 2"));
    }
}
