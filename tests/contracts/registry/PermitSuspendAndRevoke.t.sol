// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {PermitsBase} from "./PermitsBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Suspending, reinstating and revoking operators' permits (Law art. 6.1-6.2, 4.1.14; R2),
/// what a permit that is not in force stops on-chain, and the circulation status the registry
/// reports.
contract PermitSuspendAndRevokeTest is PermitsBase {
    /*//////////////////////////////////////////////////////////////
                                SUSPEND
    //////////////////////////////////////////////////////////////*/

    function test_SuspendPermit_EmitsAndStopsIssuanceAndCirculation() public {
        vm.expectEmit();
        emit IPlatformRegistry.PermitSuspended(operator, REASON, regulator);
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);

        assertEq(uint256(registry.permit(operator).status), uint256(IPlatformRegistry.PermitStatus.Suspended), "st");
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Suspended), "state");
        assertFalse(registry.isPermitActive(operator), "not active");

        // R2: on-chain, not only in the API.
        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(issuanceParams(), operator, issuerKey);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                operator,
                IPlatformRegistry.PermitState.Suspended
            )
        );
        vm.prank(operator);
        asset.createIssuance(issuanceParams(), consent);

        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                operator,
                IPlatformRegistry.PermitState.Suspended
            )
        );
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "alice keeps her units");
    }

    function test_RevertWhen_SuspendPermitAlreadySuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotGranted.selector, operator, IPlatformRegistry.PermitStatus.Suspended
            )
        );
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);
    }

    function test_RevertWhen_SuspendPermitNeverGranted() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotGranted.selector, newOperator, IPlatformRegistry.PermitStatus.None
            )
        );
        vm.prank(regulator);
        registry.suspendPermit(newOperator, REASON);
    }

    function test_RevertWhen_SuspendPermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotGranted.selector, operator, IPlatformRegistry.PermitStatus.Revoked
            )
        );
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);
    }

    function test_RevertWhen_SuspendPermitCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, compliance, REGULATOR_ROLE)
        );
        vm.prank(compliance);
        registry.suspendPermit(operator, REASON);
    }

    /*//////////////////////////////////////////////////////////////
                               REINSTATE
    //////////////////////////////////////////////////////////////*/

    function test_ReinstatePermit_EmitsAndRestores() public {
        bytes32 lifted = keccak256("finding remedied");
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);

        vm.expectEmit();
        emit IPlatformRegistry.PermitReinstated(operator, lifted, regulator);
        vm.prank(regulator);
        registry.reinstatePermit(operator, lifted);

        assertEq(uint256(registry.permit(operator).status), uint256(IPlatformRegistry.PermitStatus.Granted), "st");
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Active), "state");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 1, "circulation resumed");
    }

    function test_ReinstatePermit_AfterValidUntilIsExpired() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);
        vm.warp(UNTIL);
        vm.prank(regulator);
        registry.reinstatePermit(operator, REASON);
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Expired), "expired");
    }

    function test_RevertWhen_ReinstatePermitNotSuspended() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotSuspended.selector, operator, IPlatformRegistry.PermitStatus.Granted
            )
        );
        vm.prank(regulator);
        registry.reinstatePermit(operator, REASON);
    }

    function test_RevertWhen_ReinstatePermitNeverGranted() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotSuspended.selector, newOperator, IPlatformRegistry.PermitStatus.None
            )
        );
        vm.prank(regulator);
        registry.reinstatePermit(newOperator, REASON);
    }

    function test_RevertWhen_ReinstatePermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotSuspended.selector, operator, IPlatformRegistry.PermitStatus.Revoked
            )
        );
        vm.prank(regulator);
        registry.reinstatePermit(operator, REASON);
    }

    function test_RevertWhen_ReinstatePermitCallerNotRegulator() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, REGULATOR_ROLE)
        );
        vm.prank(operator);
        registry.reinstatePermit(operator, REASON);
    }

    /*//////////////////////////////////////////////////////////////
                                 REVOKE
    //////////////////////////////////////////////////////////////*/

    function test_RevokePermit_EmitsAndStores() public {
        vm.expectEmit();
        emit IPlatformRegistry.PermitRevoked(operator, REASON, regulator);
        vm.prank(regulator);
        registry.revokePermit(operator, REASON);

        IPlatformRegistry.Permit memory p = registry.permit(operator);
        assertEq(uint256(p.status), uint256(IPlatformRegistry.PermitStatus.Revoked), "status");
        // The window and document stay as history.
        assertEq(p.validFrom, FROM, "validFrom kept");
        assertEq(p.validUntil, UNTIL, "validUntil kept");
        assertEq(p.documentHash, keccak256("permit-001"), "documentHash kept");
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Revoked), "state");
        assertFalse(registry.isPermitActive(operator), "not active");

        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                operator,
                IPlatformRegistry.PermitState.Revoked
            )
        );
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
    }

    function test_RevokePermit_WhileSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);
        vm.expectEmit();
        emit IPlatformRegistry.PermitRevoked(operator, REASON, regulator);
        vm.prank(regulator);
        registry.revokePermit(operator, REASON);
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Revoked), "state");
    }

    function test_RevertWhen_RevokePermitTwice() public {
        vm.prank(regulator);
        registry.revokePermit(operator, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotGranted.selector, operator, IPlatformRegistry.PermitStatus.Revoked
            )
        );
        vm.prank(regulator);
        registry.revokePermit(operator, REASON);
    }

    function test_RevertWhen_RevokePermitNeverGranted() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotGranted.selector, newOperator, IPlatformRegistry.PermitStatus.None
            )
        );
        vm.prank(regulator);
        registry.revokePermit(newOperator, REASON);
    }

    function test_RevertWhen_RevokePermitCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, verifier, REGULATOR_ROLE)
        );
        vm.prank(verifier);
        registry.revokePermit(operator, REASON);
    }

    /*//////////////////////////////////////////////////////////////
                           CIRCULATION STATUS
    //////////////////////////////////////////////////////////////*/

    function test_CirculationStatus_ReportsPermitAndBothParties() public view {
        (
            bool permitActive,
            IPlatformRegistry.ParticipantStatus fromStatus,
            IPlatformRegistry.ParticipantStatus toStatus,
            uint32 revision
        ) = circulation(operator, alice, bob);
        assertTrue(permitActive, "permit");
        assertEq(uint256(fromStatus), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "alice");
        assertEq(uint256(toStatus), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "bob");
        assertEq(revision, 0, "no accreditation withdrawn yet");

        (permitActive, fromStatus, toStatus,) = circulation(operator, carol, dave);
        assertTrue(permitActive, "permit");
        assertEq(uint256(fromStatus), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "carol");
        assertEq(uint256(toStatus), uint256(IPlatformRegistry.ParticipantStatus.NotRegistered), "dave");
    }

    function test_CirculationStatus_ReportsInactivePermit() public {
        (bool permitActive,,,) = circulation(newOperator, alice, bob);
        assertFalse(permitActive, "never granted");
        vm.warp(UNTIL);
        (permitActive,,,) = circulation(operator, alice, bob);
        assertFalse(permitActive, "expired");
    }

    /// @dev Mint (from 0) and burn (to 0) have one party only; the empty side reads as the enum's
    /// zero value, Eligible, and the asset contract ignores it.
    function test_CirculationStatus_SkipsZeroAddressSide() public view {
        (, IPlatformRegistry.ParticipantStatus fromStatus, IPlatformRegistry.ParticipantStatus toStatus,) =
            circulation(operator, address(0), dave);
        assertEq(uint256(fromStatus), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "mint side");
        assertEq(uint256(toStatus), uint256(IPlatformRegistry.ParticipantStatus.NotRegistered), "dave");
        (, fromStatus, toStatus,) = circulation(operator, carol, address(0));
        assertEq(uint256(fromStatus), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "carol");
        assertEq(uint256(toStatus), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "burn side");
    }
}
