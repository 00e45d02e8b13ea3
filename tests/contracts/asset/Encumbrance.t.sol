// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice A registered smart wallet that, when it receives units, tries once to move units it is
/// approved for: how a beneficiary's wallet could act inside an enforcement.
contract PledgeeWallet is IERC1155Receiver {
    IERC1155 private immutable _asset;
    address private _from;
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

    function arm(address from, address to, uint256 id, uint256 amount) external {
        (_from, _to, _id, _amount, _armed) = (from, to, id, amount, true);
    }

    function pull(address from, address to, uint256 id, uint256 amount) external {
        _asset.safeTransferFrom(from, to, id, amount, "");
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        if (_armed) {
            _armed = false;
            attempted = true;
            try _asset.safeTransferFrom(_from, _to, _id, _amount, "") {
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

/// @notice Encumbrance of units by third-party rights, its release and its enforcement (Rules item 4).
contract EncumbranceTest is Base {
    uint64 internal expiry;
    bytes32 internal constant PLEDGE = keccak256("pledge agreement 17");

    function setUp() public override {
        super.setUp();
        expiry = uint64(START + 30 days);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function pledge(uint256 amount, uint64 until) internal returns (uint256 encumbranceId) {
        vm.prank(alice);
        encumbranceId = asset.encumber(issuanceId, amount, bob, PLEDGE, until);
    }

    function expectEncumberRevert(address holder, uint256 amount, address beneficiary, uint64 until, bytes memory err)
        internal
    {
        uint256 countBefore = asset.encumbranceCount();
        uint256 lockedBefore = asset.encumberedUnits(issuanceId, holder);
        vm.prank(holder);
        vm.expectRevert(err);
        asset.encumber(issuanceId, amount, beneficiary, PLEDGE, until);
        assertEq(asset.encumbranceCount(), countBefore, "no encumbrance recorded");
        assertEq(asset.encumberedUnits(issuanceId, holder), lockedBefore, "nothing locked");
    }

    function notEligible(address account, IPlatformRegistry.ParticipantStatus status)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ISecuredAsset.SecuredAsset_ParticipantNotEligible.selector, account, status);
    }

    function notBeneficiary(uint256 encumbranceId, address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotBeneficiary.selector, encumbranceId, account);
    }

    function notActive(uint256 encumbranceId) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAsset.SecuredAsset_EncumbranceNotActive.selector, encumbranceId);
    }

    function freezeAccount(address wallet) internal {
        vm.prank(compliance);
        registry.freezeParticipant(wallet, keccak256("aml"));
    }

    function assertLocked(uint256 encumbered, uint256 balance) internal view {
        assertEq(asset.encumberedUnits(issuanceId, alice), encumbered, "encumbered");
        assertEq(asset.balanceOf(alice, issuanceId), balance, "balance");
        assertEq(asset.availableUnits(issuanceId, alice), balance - encumbered, "available");
    }

    /*//////////////////////////////////////////////////////////////
                                 ENCUMBER
    //////////////////////////////////////////////////////////////*/

    function test_Encumber() public {
        vm.expectEmit(address(asset));
        emit ISecuredAsset.Encumbered(1, issuanceId, alice, bob, 400, expiry, PLEDGE);
        uint256 encumbranceId = pledge(400, expiry);

        assertEq(encumbranceId, 1, "id");
        assertEq(asset.encumbranceCount(), 1, "count");
        ISecuredAsset.Encumbrance memory e = asset.encumbrance(encumbranceId);
        assertEq(e.issuanceId, issuanceId, "issuanceId");
        assertEq(e.holder, alice, "holder");
        assertEq(uint256(e.expiry), uint256(expiry), "expiry");
        assertTrue(e.active, "active");
        assertEq(e.beneficiary, bob, "beneficiary");
        assertEq(e.amount, 400, "amount");
        assertEq(e.referenceHash, PLEDGE, "referenceHash");
        // The units stay the holder's: locked, not moved.
        assertLocked(400, MINTED);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "beneficiary receives nothing yet");
    }

    function test_EncumberWithoutExpiry() public {
        uint256 encumbranceId = pledge(MINTED, 0);
        assertEq(uint256(asset.encumbrance(encumbranceId).expiry), 0, "no expiry");
        assertLocked(MINTED, MINTED);
    }

    function test_EncumbrancesAddUp() public {
        uint256 first = pledge(300, expiry);
        uint256 second = pledge(500, 0);
        assertEq(second, first + 1, "sequential ids");
        assertLocked(800, MINTED);
        vm.prank(bob);
        asset.release(first);
        assertLocked(500, MINTED);
        assertTrue(asset.encumbrance(second).active, "second still active");
    }

    function test_EncumberWhenSenderBehindOnNewestNotice() public {
        vm.prank(operator);
        registry.publishRiskNotice(keccak256("risk notice v2"), "https://sdap.example/risk/v2");
        acknowledge(bob);
        pledge(10, expiry);
        assertLocked(10, MINTED);
    }

    function test_RevertWhen_BeneficiaryIsHolder() public {
        expectEncumberRevert(
            alice, 1, alice, expiry, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_InvalidBeneficiary.selector, alice)
        );
    }

    function test_RevertWhen_BeneficiaryIsZero() public {
        expectEncumberRevert(
            alice,
            1,
            address(0),
            expiry,
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_InvalidBeneficiary.selector, address(0))
        );
    }

    function test_RevertWhen_ExpiryIsNow() public {
        expectEncumberRevert(
            alice,
            1,
            bob,
            uint64(START),
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_InvalidExpiry.selector, uint64(START))
        );
    }

    function test_RevertWhen_ExpiryInPast() public {
        expectEncumberRevert(
            alice,
            1,
            bob,
            uint64(START - 1),
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_InvalidExpiry.selector, uint64(START - 1))
        );
    }

    function test_EncumberExpiringNextSecond() public {
        uint256 encumbranceId = pledge(1, uint64(START + 1));
        assertEq(uint256(asset.encumbrance(encumbranceId).expiry), START + 1, "expiry");
    }

    function test_RevertWhen_EncumberZero() public {
        expectEncumberRevert(alice, 0, bob, expiry, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_ZeroAmount.selector));
    }

    function test_RevertWhen_EncumberMoreThanBalance() public {
        expectEncumberRevert(
            alice,
            MINTED + 1,
            bob,
            expiry,
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, MINTED + 1, MINTED
            )
        );
    }

    function test_RevertWhen_EncumberAlreadyLockedOrFrozenUnits() public {
        pledge(300, expiry);
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, 200, keccak256("str"));
        expectEncumberRevert(
            alice,
            501,
            bob,
            expiry,
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, 501, 500)
        );
        pledge(500, expiry);
        assertEq(asset.encumberedUnits(issuanceId, alice), 800, "encumbered");
        assertEq(asset.frozenUnits(issuanceId, alice), 200, "frozen");
        assertEq(asset.availableUnits(issuanceId, alice), 0, "available");
    }

    function test_RevertWhen_BeneficiaryUnregistered() public {
        expectEncumberRevert(alice, 1, dave, expiry, notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered));
    }

    function test_RevertWhen_BeneficiaryHasNotAcknowledged() public {
        expectEncumberRevert(
            alice, 1, carol, expiry, notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
    }

    function test_RevertWhen_BeneficiaryFrozen() public {
        freezeAccount(bob);
        expectEncumberRevert(alice, 1, bob, expiry, notEligible(bob, IPlatformRegistry.ParticipantStatus.Frozen));
    }

    function test_RevertWhen_EncumberingHolderFrozen() public {
        freezeAccount(alice);
        expectEncumberRevert(alice, 1, bob, expiry, notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
    }

    function test_RevertWhen_EncumberingHolderIdentityExpired() public {
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, keccak256("kyc short"), uint64(START + 1 days));
        vm.warp(START + 1 days);
        expectEncumberRevert(
            alice, 1, bob, expiry, notEligible(alice, IPlatformRegistry.ParticipantStatus.IdentityExpired)
        );
    }

    function test_RevertWhen_EncumberWhilePaused() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        expectEncumberRevert(
            alice, 1, bob, expiry, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
    }

    function test_RevertWhen_EncumberPermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        expectEncumberRevert(
            alice,
            1,
            bob,
            expiry,
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Suspended
            )
        );
    }

    function test_RevertWhen_EncumberUnknownIssuance() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.encumber(99, 1, bob, PLEDGE, expiry);
    }

    /*//////////////////////////////////////////////////////////////
                          LOCKED UNITS CANNOT MOVE
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_LockedUnitsTransferred() public {
        pledge(400, expiry);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, 399, 400, 0)
        );
        asset.safeTransferFrom(alice, bob, issuanceId, 601, "");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 600, "");
        assertLocked(400, 400);
    }

    function test_RevertWhen_LockedUnitsRedeemed() public {
        pledge(400, expiry);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, 399, 400, 0)
        );
        asset.redeem(issuanceId, alice, 601, keccak256("delivery"));
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "nothing burnt");
    }

    function test_RevertWhen_LockedUnitsFrozen() public {
        pledge(400, expiry);
        vm.prank(compliance);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, 601, 600)
        );
        asset.freezeUnits(issuanceId, alice, 601, keccak256("str"));
    }

    function test_RevertWhen_LockedUnitsForcedOut() public {
        pledge(400, expiry);
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, 601, 600)
        );
        asset.forcedTransfer(issuanceId, alice, bob, 601, keccak256("court order"));
    }

    function test_LockedUnitsStayLockedAfterExpiryUntilReleased() public {
        pledge(400, expiry);
        vm.warp(expiry + 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, 0, 400, 0)
        );
        asset.safeTransferFrom(alice, bob, issuanceId, MINTED, "");
    }

    /*//////////////////////////////////////////////////////////////
                                 RELEASE
    //////////////////////////////////////////////////////////////*/

    function test_ReleaseByBeneficiary() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.expectEmit(address(asset));
        emit ISecuredAsset.EncumbranceReleased(encumbranceId, bob);
        vm.prank(bob);
        asset.release(encumbranceId);

        assertFalse(asset.encumbrance(encumbranceId).active, "inactive");
        assertEq(asset.encumbrance(encumbranceId).amount, 400, "record kept");
        assertLocked(0, MINTED);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, MINTED, "");
        assertEq(asset.balanceOf(alice, issuanceId), 0, "released units move");
    }

    function test_ReleaseByBeneficiaryAfterExpiry() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry + 10 days);
        vm.prank(bob);
        asset.release(encumbranceId);
        assertLocked(0, MINTED);
    }

    function test_ReleaseByHolderOnceExpired() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry);
        vm.expectEmit(address(asset));
        emit ISecuredAsset.EncumbranceReleased(encumbranceId, alice);
        vm.prank(alice);
        asset.release(encumbranceId);
        assertLocked(0, MINTED);
    }

    function test_ReleaseWhilePaused() public {
        // Release moves no unit, so a pause does not hold it up.
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.prank(bob);
        asset.release(encumbranceId);
        assertLocked(0, MINTED);
    }

    function test_RevertWhen_HolderReleasesBeforeExpiry() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry - 1);
        vm.prank(alice);
        vm.expectRevert(notBeneficiary(encumbranceId, alice));
        asset.release(encumbranceId);
        assertLocked(400, MINTED);
    }

    function test_RevertWhen_HolderReleasesEncumbranceWithoutExpiry() public {
        uint256 encumbranceId = pledge(400, 0);
        vm.warp(START + 300 days);
        vm.prank(alice);
        vm.expectRevert(notBeneficiary(encumbranceId, alice));
        asset.release(encumbranceId);
    }

    function test_RevertWhen_StrangerReleases() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry + 1);
        vm.prank(carol);
        vm.expectRevert(notBeneficiary(encumbranceId, carol));
        asset.release(encumbranceId);
    }

    function test_RevertWhen_OperatorReleases() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(operator);
        vm.expectRevert(notBeneficiary(encumbranceId, operator));
        asset.release(encumbranceId);
    }

    function test_RevertWhen_ReleasedTwice() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(bob);
        asset.release(encumbranceId);
        vm.prank(bob);
        vm.expectRevert(notActive(encumbranceId));
        asset.release(encumbranceId);
        assertLocked(0, MINTED);
    }

    function test_RevertWhen_ReleaseUnknownEncumbrance() public {
        vm.prank(bob);
        vm.expectRevert(notActive(99));
        asset.release(99);
    }

    /*//////////////////////////////////////////////////////////////
                                 ENFORCE
    //////////////////////////////////////////////////////////////*/

    function test_EnforceByIssuanceOperator() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.expectEmit(address(asset));
        emit ISecuredAsset.EncumbranceEnforced(encumbranceId, keccak256("default notice"), operator);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(operator, alice, bob, issuanceId, 400);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));

        assertFalse(asset.encumbrance(encumbranceId).active, "inactive");
        assertLocked(0, MINTED - 400);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "beneficiary");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply");
    }

    function test_EnforceOnTheLastSecondBeforeExpiry() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry - 1);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "beneficiary");
    }

    function test_EnforceWithoutExpiryLongAfter() public {
        uint256 encumbranceId = pledge(400, 0);
        vm.warp(START + 300 days);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "beneficiary");
    }

    function test_EnforceOneOfSeveralLeavesTheOthersLocked() public {
        uint256 first = pledge(300, expiry);
        pledge(200, 0);
        vm.prank(operator);
        asset.enforce(first, keccak256("default notice"));
        assertLocked(200, MINTED - 300);
    }

    function test_EnforceIgnoresHolderAccountFreeze() public {
        uint256 encumbranceId = pledge(400, expiry);
        freezeAccount(alice);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertLocked(0, MINTED - 400);
        // The route ends with the enforcement: the frozen holder still cannot send.
        vm.prank(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    function test_EnforceIgnoresHolderIdentityExpiry() public {
        uint256 encumbranceId = pledge(400, 0);
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, keccak256("kyc short"), uint64(START + 1 days));
        vm.warp(START + 1 days);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "beneficiary");
    }

    function test_EnforceLeavesFrozenUnitsInPlace() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, 600, keccak256("str"));
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));
        assertEq(asset.balanceOf(alice, issuanceId), 600, "alice keeps the frozen units");
        assertEq(asset.frozenUnits(issuanceId, alice), 600, "still frozen");
        assertEq(asset.availableUnits(issuanceId, alice), 0, "available");
    }

    function test_RevertWhen_EnforceByBeneficiary() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperator.selector, issuanceId, bob));
        asset.enforce(encumbranceId, keccak256("self help"));
    }

    function test_RevertWhen_EnforceByHolder() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperator.selector, issuanceId, alice)
        );
        asset.enforce(encumbranceId, keccak256("x"));
    }

    function test_RevertWhen_EnforceByRegulator() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperator.selector, issuanceId, regulator)
        );
        asset.enforce(encumbranceId, keccak256("x"));
    }

    function test_RevertWhen_EnforceByAnotherOperator() public {
        uint256 encumbranceId = pledge(400, expiry);
        address op = makeAddr("operator2");
        vm.startPrank(regulator);
        registry.grantRole(registry.OPERATOR_ROLE(), op);
        registry.grantPermit(op, uint64(START), uint64(START + 365 days), keccak256("permit-002"));
        vm.stopPrank();
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperator.selector, issuanceId, op));
        asset.enforce(encumbranceId, keccak256("x"));
    }

    function test_RevertWhen_EnforceExpired() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.warp(expiry);
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_EncumbranceExpired.selector, encumbranceId, expiry)
        );
        asset.enforce(encumbranceId, keccak256("late"));
        assertLocked(400, MINTED);
        assertTrue(asset.encumbrance(encumbranceId).active, "still active until released");
    }

    function test_RevertWhen_EnforceReleased() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(bob);
        asset.release(encumbranceId);
        vm.prank(operator);
        vm.expectRevert(notActive(encumbranceId));
        asset.enforce(encumbranceId, keccak256("x"));
    }

    function test_RevertWhen_EnforceTwice() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("x"));
        vm.prank(operator);
        vm.expectRevert(notActive(encumbranceId));
        asset.enforce(encumbranceId, keccak256("x"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "moved once");
    }

    function test_RevertWhen_EnforceUnknownEncumbrance() public {
        vm.prank(operator);
        vm.expectRevert(notActive(7));
        asset.enforce(7, keccak256("x"));
    }

    function test_RevertWhen_EnforceWhilePaused() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(regulator);
        asset.pause(issuanceId);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.enforce(encumbranceId, keccak256("x"));
        assertLocked(400, MINTED);
        assertTrue(asset.encumbrance(encumbranceId).active, "still active");
    }

    function test_RevertWhen_EnforcePermitSuspended() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Suspended
            )
        );
        asset.enforce(encumbranceId, keccak256("x"));
        assertLocked(400, MINTED);
    }

    function test_RevertWhen_EnforceToFrozenBeneficiary() public {
        uint256 encumbranceId = pledge(400, expiry);
        freezeAccount(bob);
        vm.prank(operator);
        vm.expectRevert(notEligible(bob, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.enforce(encumbranceId, keccak256("x"));
        assertLocked(400, MINTED);
        assertTrue(asset.encumbrance(encumbranceId).active, "still active");
    }

    function test_RevertWhen_EnforceToBeneficiaryBehindOnNewestNotice() public {
        uint256 encumbranceId = pledge(400, expiry);
        vm.prank(operator);
        registry.publishRiskNotice(keccak256("risk notice v2"), "https://sdap.example/risk/v2");
        vm.prank(operator);
        vm.expectRevert(notEligible(bob, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged));
        asset.enforce(encumbranceId, keccak256("x"));
        acknowledge(bob);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("x"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 400, "delivered once acknowledged");
    }

    /*//////////////////////////////////////////////////////////////
                   THE ENFORCEMENT ROUTE ENDS WITH IT
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_ApprovedWalletPullsFromFrozenAccount() public {
        PledgeeWallet wallet = new PledgeeWallet(asset);
        onboard(address(wallet));
        vm.prank(alice);
        asset.setApprovalForAll(address(wallet), true);
        freezeAccount(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        wallet.pull(alice, bob, issuanceId, 500);
    }

    /// @dev The enforcement relaxes the sender rules for the pledged units only. A beneficiary's
    /// wallet that receives them must not be able to use the relaxed route, from inside the
    /// ERC-1155 acceptance callback, to move units of a frozen account that approved it.
    function test_EnforcementRouteDoesNotReachTheBeneficiaryCallback() public {
        PledgeeWallet wallet = new PledgeeWallet(asset);
        onboard(address(wallet));
        vm.prank(alice);
        asset.setApprovalForAll(address(wallet), true);
        freezeAccount(alice);
        vm.prank(bob);
        uint256 encumbranceId = asset.encumber(issuanceId, 100, address(wallet), PLEDGE, 0);
        wallet.arm(alice, bob, issuanceId, 500);

        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default notice"));

        assertEq(asset.balanceOf(address(wallet), issuanceId), 100, "pledged units delivered");
        assertTrue(wallet.attempted(), "callback ran");
        assertFalse(wallet.succeeded(), "frozen account's units moved inside the enforcement");
        assertEq(
            keccak256(wallet.failure()),
            keccak256(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen)),
            "refused for the frozen sender"
        );
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "frozen account untouched");
    }
}
