// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {PermitsBase} from "./PermitsBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Granting and renewing operators' permits (Law art. 6.1-6.2, 4.1.14; R2): the validity
/// window and the state it gives.
contract PermitGrantAndRenewTest is PermitsBase {
    bytes32 internal constant DOC = keccak256("permit-002");

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
        (bool permitActive,,,) = circulation(newOperator, alice, bob);
        assertEq(permitActive, moment >= from && moment < until, "circulationStatus");
    }

    function testFuzz_RevertWhen_GrantPermitWindowInvalid(uint64 from, uint64 until) public {
        vm.assume(until <= from || until <= START);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidValidity.selector, from, until));
        vm.prank(regulator);
        registry.grantPermit(newOperator, from, until, DOC);
    }
}
