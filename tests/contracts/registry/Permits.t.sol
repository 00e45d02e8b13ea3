// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Operators' permits (Law art. 6.1-6.2, 4.1.14; R2): grant, renew, suspend, reinstate,
/// revoke, the validity window and what a permit that is not in force stops on-chain.
contract PermitsTest is Base {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant DOC = keccak256("permit-002");
    bytes32 internal constant REASON = keccak256("inspection finding 17");

    /// @dev The fixture's permit: granted at START for a year.
    uint64 internal constant FROM = uint64(START);
    uint64 internal constant UNTIL = uint64(START + 365 days);

    address internal newOperator;

    function setUp() public override {
        super.setUp();
        newOperator = makeAddr("operator2");
    }

    /*//////////////////////////////////////////////////////////////
                                 GRANT
    //////////////////////////////////////////////////////////////*/

    function test_GrantPermit_EmitsAndStores() public {
        uint64 from = uint64(START - 1 days);
        uint64 until = uint64(START + 90 days);
        vm.expectEmit();
        emit IPlatformRegistry.PermitGranted(newOperator, from, until, DOC, regulator);
        vm.prank(regulator);
        registry.grantPermit(newOperator, from, until, DOC);

        IPlatformRegistry.Permit memory p = registry.permit(newOperator);
        assertEq(uint256(p.status), uint256(IPlatformRegistry.PermitStatus.Granted), "status");
        assertEq(p.validFrom, from, "validFrom");
        assertEq(p.validUntil, until, "validUntil");
        assertEq(p.documentHash, DOC, "documentHash");
        assertEq(uint256(registry.permitState(newOperator)), uint256(IPlatformRegistry.PermitState.Active), "state");
        assertTrue(registry.isPermitActive(newOperator), "active");
    }

    function test_GrantPermit_NotYetValidUntilValidFrom() public {
        uint64 from = uint64(START + 10 days);
        uint64 until = uint64(START + 20 days);
        vm.prank(regulator);
        registry.grantPermit(newOperator, from, until, DOC);

        assertEq(uint256(registry.permitState(newOperator)), uint256(IPlatformRegistry.PermitState.NotYetValid), "now");
        assertFalse(registry.isPermitActive(newOperator), "not active before validFrom");
        vm.warp(from - 1);
        assertEq(uint256(registry.permitState(newOperator)), uint256(IPlatformRegistry.PermitState.NotYetValid), "-1s");
        vm.warp(from);
        assertEq(uint256(registry.permitState(newOperator)), uint256(IPlatformRegistry.PermitState.Active), "at from");
        assertTrue(registry.isPermitActive(newOperator), "active from validFrom");
    }

    function test_PermitState_ExpiredAtValidUntilExactly() public {
        vm.warp(UNTIL - 1);
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Active), "last second");
        assertTrue(registry.isPermitActive(operator), "active in the last second");
        vm.warp(UNTIL);
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Expired), "at until");
        assertFalse(registry.isPermitActive(operator), "validUntil is not included");
        // The record itself is unchanged: expiry is a matter of time, not of status.
        assertEq(uint256(registry.permit(operator).status), uint256(IPlatformRegistry.PermitStatus.Granted), "status");
    }

    function test_PermitState_NoneForUnknownOperator() public view {
        IPlatformRegistry.Permit memory p = registry.permit(newOperator);
        assertEq(uint256(p.status), uint256(IPlatformRegistry.PermitStatus.None), "status");
        assertEq(p.validFrom, 0, "validFrom");
        assertEq(p.validUntil, 0, "validUntil");
        assertEq(p.documentHash, bytes32(0), "documentHash");
        assertEq(uint256(registry.permitState(newOperator)), uint256(IPlatformRegistry.PermitState.None), "state");
        assertFalse(registry.isPermitActive(newOperator), "not active");
    }

    function test_PermitState_StatusWinsOverValidityWindow() public {
        // Suspended and past its window: reported as Suspended, not Expired.
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);
        vm.warp(UNTIL + 1);
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Suspended), "susp");
        // Revoked before its window opens: reported as Revoked, not NotYetValid.
        vm.startPrank(regulator);
        registry.grantPermit(newOperator, uint64(block.timestamp + 1 days), uint64(block.timestamp + 2 days), DOC);
        registry.revokePermit(newOperator, REASON);
        vm.stopPrank();
        assertEq(uint256(registry.permitState(newOperator)), uint256(IPlatformRegistry.PermitState.Revoked), "rev");
    }

    function test_RevertWhen_GrantPermitToZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ZeroAddress.selector));
        vm.prank(regulator);
        registry.grantPermit(address(0), FROM, UNTIL, DOC);
    }

    function test_RevertWhen_GrantPermitValidUntilEqualsValidFrom() public {
        uint64 both = uint64(START + 10 days);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidValidity.selector, both, both));
        vm.prank(regulator);
        registry.grantPermit(newOperator, both, both, DOC);
    }

    function test_RevertWhen_GrantPermitValidUntilBeforeValidFrom() public {
        uint64 from = uint64(START + 20 days);
        uint64 until = uint64(START + 10 days);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidValidity.selector, from, until));
        vm.prank(regulator);
        registry.grantPermit(newOperator, from, until, DOC);
    }

    function test_RevertWhen_GrantPermitAlreadyExpired() public {
        uint64 from = uint64(START - 30 days);
        uint64 until = uint64(START); // validUntil is excluded: over the moment it is granted
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidValidity.selector, from, until));
        vm.prank(regulator);
        registry.grantPermit(newOperator, from, until, DOC);
    }

    function test_RevertWhen_GrantPermitAlreadyGranted() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitAlreadyGranted.selector,
                operator,
                IPlatformRegistry.PermitStatus.Granted
            )
        );
        vm.prank(regulator);
        registry.grantPermit(operator, FROM, UNTIL + 1, DOC);
    }

    function test_RevertWhen_GrantPermitWhileSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitAlreadyGranted.selector,
                operator,
                IPlatformRegistry.PermitStatus.Suspended
            )
        );
        vm.prank(regulator);
        registry.grantPermit(operator, FROM, UNTIL, DOC);
    }

    /// @dev An expired permit still has status Granted: it is renewed, not granted again.
    function test_RevertWhen_GrantPermitOverExpiredPermit() public {
        vm.warp(UNTIL);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitAlreadyGranted.selector,
                operator,
                IPlatformRegistry.PermitStatus.Granted
            )
        );
        vm.prank(regulator);
        registry.grantPermit(operator, UNTIL, UNTIL + 365 days, DOC);
    }

    function test_GrantPermit_AfterRevokeStartsAnew() public {
        vm.prank(regulator);
        registry.revokePermit(operator, REASON);
        vm.warp(START + 30 days);

        uint64 from = uint64(START + 30 days);
        uint64 until = uint64(START + 400 days);
        vm.expectEmit();
        emit IPlatformRegistry.PermitGranted(operator, from, until, DOC, regulator);
        vm.prank(regulator);
        registry.grantPermit(operator, from, until, DOC);

        IPlatformRegistry.Permit memory p = registry.permit(operator);
        assertEq(uint256(p.status), uint256(IPlatformRegistry.PermitStatus.Granted), "status");
        assertEq(p.validFrom, from, "validFrom replaced");
        assertEq(p.validUntil, until, "validUntil replaced");
        assertEq(p.documentHash, DOC, "documentHash replaced");
        assertTrue(registry.isPermitActive(operator), "active again");
    }

    function test_RevertWhen_GrantPermitCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, REGULATOR_ROLE)
        );
        vm.prank(operator);
        registry.grantPermit(newOperator, FROM, UNTIL, DOC);
    }

    /*//////////////////////////////////////////////////////////////
                                 RENEW
    //////////////////////////////////////////////////////////////*/

    function test_RenewPermit_EmitsAndStores() public {
        uint64 until = uint64(START + 730 days);
        vm.expectEmit();
        emit IPlatformRegistry.PermitRenewed(operator, until, DOC, regulator);
        vm.prank(regulator);
        registry.renewPermit(operator, until, DOC);

        IPlatformRegistry.Permit memory p = registry.permit(operator);
        assertEq(uint256(p.status), uint256(IPlatformRegistry.PermitStatus.Granted), "status");
        assertEq(p.validFrom, FROM, "validFrom kept");
        assertEq(p.validUntil, until, "validUntil moved");
        assertEq(p.documentHash, DOC, "documentHash replaced");
        vm.warp(UNTIL);
        assertTrue(registry.isPermitActive(operator), "active past the old end");
    }

    function test_RenewPermit_RevivesExpiredPermit() public {
        vm.warp(UNTIL + 5 days);
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Expired), "expired");
        vm.prank(regulator);
        registry.renewPermit(operator, UNTIL + 365 days, DOC);
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Active), "renewed");
    }

    function test_RenewPermit_CanShortenValidity() public {
        uint64 until = uint64(START + 30 days);
        vm.prank(regulator);
        registry.renewPermit(operator, until, DOC);
        vm.warp(until);
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Expired), "shortened");
    }

    function test_RenewPermit_KeepsSuspension() public {
        vm.startPrank(regulator);
        registry.suspendPermit(operator, REASON);
        registry.renewPermit(operator, UNTIL + 365 days, DOC);
        vm.stopPrank();
        assertEq(uint256(registry.permit(operator).status), uint256(IPlatformRegistry.PermitStatus.Suspended), "status");
        assertEq(registry.permit(operator).validUntil, UNTIL + 365 days, "validUntil moved");
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Suspended), "state");
    }

    function test_RevertWhen_RenewPermitNeverGranted() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotGranted.selector, newOperator, IPlatformRegistry.PermitStatus.None
            )
        );
        vm.prank(regulator);
        registry.renewPermit(newOperator, UNTIL, DOC);
    }

    function test_RevertWhen_RenewPermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotGranted.selector, operator, IPlatformRegistry.PermitStatus.Revoked
            )
        );
        vm.prank(regulator);
        registry.renewPermit(operator, UNTIL + 1 days, DOC);
    }

    function test_RevertWhen_RenewPermitValidUntilNotAfterValidFrom() public {
        uint64 from = uint64(START + 10 days);
        vm.prank(regulator);
        registry.grantPermit(newOperator, from, from + 10 days, DOC);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidValidity.selector, from, from));
        vm.prank(regulator);
        registry.renewPermit(newOperator, from, DOC);
    }

    function test_RevertWhen_RenewPermitValidUntilNotInFuture() public {
        uint64 now_ = uint64(START + 400 days);
        vm.warp(now_);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidValidity.selector, FROM, now_));
        vm.prank(regulator);
        registry.renewPermit(operator, now_, DOC);
    }

    function test_RevertWhen_RenewPermitCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, REGULATOR_ROLE)
        );
        vm.prank(operator);
        registry.renewPermit(operator, UNTIL + 365 days, DOC);
    }

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
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Suspended
            )
        );
        vm.prank(operator);
        asset.createIssuance(issuanceParams());

        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Suspended
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
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Revoked
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
            IPlatformRegistry.ParticipantStatus toStatus
        ) = registry.circulationStatus(operator, alice, bob);
        assertTrue(permitActive, "permit");
        assertEq(uint256(fromStatus), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "alice");
        assertEq(uint256(toStatus), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "bob");

        (permitActive, fromStatus, toStatus) = registry.circulationStatus(operator, carol, dave);
        assertTrue(permitActive, "permit");
        assertEq(uint256(fromStatus), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "carol");
        assertEq(uint256(toStatus), uint256(IPlatformRegistry.ParticipantStatus.NotRegistered), "dave");
    }

    function test_CirculationStatus_ReportsInactivePermit() public {
        (bool permitActive,,) = registry.circulationStatus(newOperator, alice, bob);
        assertFalse(permitActive, "never granted");
        vm.warp(UNTIL);
        (permitActive,,) = registry.circulationStatus(operator, alice, bob);
        assertFalse(permitActive, "expired");
    }

    /// @dev Mint (from 0) and burn (to 0) have one party only; the empty side reads as the enum's
    /// zero value, Eligible, and the asset contract ignores it.
    function test_CirculationStatus_SkipsZeroAddressSide() public view {
        (, IPlatformRegistry.ParticipantStatus fromStatus, IPlatformRegistry.ParticipantStatus toStatus) =
            registry.circulationStatus(operator, address(0), dave);
        assertEq(uint256(fromStatus), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "mint side");
        assertEq(uint256(toStatus), uint256(IPlatformRegistry.ParticipantStatus.NotRegistered), "dave");
        (, fromStatus, toStatus) = registry.circulationStatus(operator, carol, address(0));
        assertEq(uint256(fromStatus), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "carol");
        assertEq(uint256(toStatus), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "burn side");
    }

    /*//////////////////////////////////////////////////////////////
                                  FUZZ
    //////////////////////////////////////////////////////////////*/

    function testFuzz_PermitState_FollowsValidityWindow(uint64 from, uint64 until, uint64 moment) public {
        from = uint64(bound(from, 0, START + 1000 days));
        uint256 lowestUntil = (from > START ? from : START) + 1;
        until = uint64(bound(until, lowestUntil, START + 2000 days));
        moment = uint64(bound(moment, START, START + 3000 days));

        vm.prank(regulator);
        registry.grantPermit(newOperator, from, until, DOC);
        vm.warp(moment);

        IPlatformRegistry.PermitState expected = moment < from
            ? IPlatformRegistry.PermitState.NotYetValid
            : moment >= until ? IPlatformRegistry.PermitState.Expired : IPlatformRegistry.PermitState.Active;
        assertEq(uint256(registry.permitState(newOperator)), uint256(expected), "state");
        assertEq(registry.isPermitActive(newOperator), moment >= from && moment < until, "isPermitActive");
        (bool permitActive,,) = registry.circulationStatus(newOperator, alice, bob);
        assertEq(permitActive, moment >= from && moment < until, "circulationStatus");
    }

    function testFuzz_RevertWhen_GrantPermitWindowInvalid(uint64 from, uint64 until) public {
        vm.assume(until <= from || until <= START);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidValidity.selector, from, until));
        vm.prank(regulator);
        registry.grantPermit(newOperator, from, until, DOC);
    }
}
