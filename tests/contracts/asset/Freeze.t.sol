// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {FreezeBase} from "./FreezeBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Partial freezes of units by compliance officers and account freezes in the registry (Law
/// art. 6.3, 4.1.9): what they stop and who may lift them.
contract FreezeTest is FreezeBase {
    bytes32 internal constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function restricted(address holder, uint256 balanceAfter, uint256 encumbered, uint256 frozen)
        internal
        view
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector,
            issuanceId,
            holder,
            balanceAfter,
            encumbered,
            frozen,
            0
        );
    }

    /*//////////////////////////////////////////////////////////////
                              FREEZE UNITS
    //////////////////////////////////////////////////////////////*/

    function test_FreezeUnits() public {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.UnitsFrozen(issuanceId, alice, 600, REASON, compliance);
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
            uint256(ISecuredAssetTypes.Refusal.UnitsRestricted),
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
        asset.requestRedemption(issuanceId, alice, 401, keccak256("delivery"));
    }

    function test_FreezeUnitsOfAFrozenAccount() public {
        freezeAccount(alice);
        freezeUnits(alice, 100);
        assertHolding(alice, MINTED, 0, 100);
    }

    function test_RevertWhen_FreezeByOperator() public {
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, operator, COMPLIANCE_ROLE)
        );
        asset.freezeUnits(issuanceId, alice, 1, REASON);
    }

    function test_RevertWhen_FreezeByRegulator() public {
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, regulator, COMPLIANCE_ROLE)
        );
        asset.freezeUnits(issuanceId, alice, 1, REASON);
    }

    function test_RevertWhen_FreezeUnknownIssuance() public {
        vm.prank(compliance);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.freezeUnits(99, alice, 1, REASON);
    }

    function test_RevertWhen_FreezeZero() public {
        vm.prank(compliance);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ZeroAmount.selector));
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
        emit ISecuredAssetTypes.UnitsUnfrozen(issuanceId, alice, 250, keccak256("cleared"), compliance);
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
                ISecuredAssetTypes.SecuredAsset_UnfreezeExceedsFrozen.selector, issuanceId, alice, 601, 600
            )
        );
        asset.unfreezeUnits(issuanceId, alice, 601, REASON);
        assertHolding(alice, MINTED, 0, 600);
    }

    function test_RevertWhen_UnfreezeNothingFrozen() public {
        vm.prank(compliance);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnfreezeExceedsFrozen.selector, issuanceId, bob, 1, 0
            )
        );
        asset.unfreezeUnits(issuanceId, bob, 1, REASON);
    }

    function test_RevertWhen_UnfreezeZero() public {
        freezeUnits(alice, 600);
        vm.prank(compliance);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ZeroAmount.selector));
        asset.unfreezeUnits(issuanceId, alice, 0, REASON);
    }

    function test_RevertWhen_UnfreezeByNonCompliance() public {
        freezeUnits(alice, 600);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, alice, COMPLIANCE_ROLE)
        );
        asset.unfreezeUnits(issuanceId, alice, 600, REASON);
    }

    /*//////////////////////////////////////////////////////////////
                       ACCOUNT FREEZE (REGISTRY)
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_FrozenAccountSends() public {
        freezeAccount(alice);
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, 1)),
            uint256(ISecuredAssetTypes.Refusal.SenderFrozen),
            "check"
        );
        vm.prank(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    function test_RevertWhen_FrozenAccountReceives() public {
        freezeAccount(alice);
        assertEq(
            uint256(asset.checkTransfer(bob, alice, issuanceId, 1)),
            uint256(ISecuredAssetTypes.Refusal.RecipientFrozen),
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
        asset.requestRedemption(issuanceId, alice, 1, keccak256("delivery"));
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
}
