// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {ParticipantsBase} from "./ParticipantsBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Identified participants (Law art. 6.3; R10): registration, identity updates, freezes and
/// the status the circulation rules read.
contract ParticipantRegisterTest is ParticipantsBase {
    bytes32 internal constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");

    bytes32 internal constant REASON = keccak256("AML case 7");
    /// @dev alice, bob and carol were identified until this moment by the fixture.
    uint64 internal constant IDENTITY_EXPIRY = uint64(START + 730 days);

    /*//////////////////////////////////////////////////////////////
                                REGISTER
    //////////////////////////////////////////////////////////////*/

    function test_RegisterParticipant_EmitsAndStores() public {
        uint64 expiry = uint64(START + 365 days);
        vm.expectEmit();
        emit IPlatformRegistry.ParticipantRegistered(dave, REF, expiry, operator);
        vm.prank(operator);
        registry.registerParticipant(dave, REF, expiry);

        IPlatformRegistry.Participant memory p = registry.participant(dave);
        assertTrue(p.registered, "registered");
        assertFalse(p.frozen, "not frozen");
        assertEq(p.identityExpiry, expiry, "identityExpiry");
        assertEq(p.acknowledgedNotice, 0, "no acknowledgement yet");
        assertEq(p.identityRef, REF, "identityRef");
        assertEq(p.operator, operator, "the operator that identified it");
        assertEq(status(dave), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "status");
    }

    function test_RevertWhen_RegisterParticipantZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ZeroAddress.selector));
        vm.prank(operator);
        registry.registerParticipant(address(0), REF, uint64(START + 1 days));
    }

    function test_RevertWhen_RegisterParticipantTwice() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantAlreadyRegistered.selector, alice));
        vm.prank(operator);
        registry.registerParticipant(alice, REF, uint64(START + 1 days));
        assertEq(registry.participant(alice).identityExpiry, IDENTITY_EXPIRY, "unchanged");
    }

    function test_RevertWhen_RegisterParticipantIdentityExpiresNow() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IdentityExpiryInPast.selector, uint64(START)));
        vm.prank(operator);
        registry.registerParticipant(dave, REF, uint64(START));
    }

    function test_RevertWhen_RegisterParticipantIdentityExpiryInPast() public {
        uint64 past = uint64(START - 1 days);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IdentityExpiryInPast.selector, past));
        vm.prank(operator);
        registry.registerParticipant(dave, REF, past);
    }

    function test_RevertWhen_RegisterParticipantCallerNotOperator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, compliance, OPERATOR_ROLE)
        );
        vm.prank(compliance);
        registry.registerParticipant(dave, REF, uint64(START + 1 days));
    }

    /*//////////////////////////////////////////////////////////////
                            UPDATE IDENTITY
    //////////////////////////////////////////////////////////////*/

    function test_UpdateParticipantIdentity_EmitsAndStores() public {
        uint64 expiry = uint64(START + 1000 days);
        vm.expectEmit();
        emit IPlatformRegistry.ParticipantIdentityUpdated(alice, REF, expiry, operator);
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, REF, expiry);

        IPlatformRegistry.Participant memory p = registry.participant(alice);
        assertEq(p.identityExpiry, expiry, "identityExpiry");
        assertEq(p.identityRef, REF, "identityRef");
        assertTrue(p.registered, "registered");
        assertEq(p.acknowledgedNotice, 1, "acknowledgement kept");
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "still eligible");
    }

    function test_UpdateParticipantIdentity_RestoresExpiredParticipant() public {
        // The operator acts only under a permit in force: the fixture's lapses after a year.
        vm.prank(regulator);
        registry.renewPermit(operator, IDENTITY_EXPIRY + 1 days, keccak256("permit-001 renewal"));
        vm.warp(IDENTITY_EXPIRY);
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.IdentityExpired), "expired");
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, REF, IDENTITY_EXPIRY + 365 days);
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "identified again");
    }

    function test_RevertWhen_UpdateParticipantIdentityNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, dave));
        vm.prank(operator);
        registry.updateParticipantIdentity(dave, REF, uint64(START + 1 days));
    }

    function test_RevertWhen_UpdateParticipantIdentityExpiryInPast() public {
        vm.warp(START + 10 days);
        uint64 expiry = uint64(START + 10 days);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IdentityExpiryInPast.selector, expiry));
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, REF, expiry);
    }

    /// @dev Only the operator that identified a participant, or the regulator, re-identifies it.
    function test_RevertWhen_UpdateParticipantIdentityCallerNotOperator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_NotParticipantOperator.selector, alice, operator, alice)
        );
        vm.prank(alice);
        registry.updateParticipantIdentity(alice, REF, uint64(START + 5000 days));
    }

    /*//////////////////////////////////////////////////////////////
                            FREEZE, UNFREEZE
    //////////////////////////////////////////////////////////////*/

    function test_FreezeParticipant_EmitsAndStores() public {
        vm.expectEmit();
        emit IPlatformRegistry.ParticipantFrozen(alice, REASON, compliance);
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
        assertTrue(registry.participant(alice).frozen, "frozen");
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Frozen), "status");
    }

    function test_UnfreezeParticipant_EmitsAndRestores() public {
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
        bytes32 cleared = keccak256("case closed");
        vm.expectEmit();
        emit IPlatformRegistry.ParticipantUnfrozen(alice, cleared, compliance);
        vm.prank(compliance);
        registry.unfreezeParticipant(alice, cleared);
        assertFalse(registry.participant(alice).frozen, "unfrozen");
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "status");
    }

    function test_RevertWhen_FreezeParticipantAlreadyFrozen() public {
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantAlreadyInState.selector, alice, true)
        );
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
    }

    function test_RevertWhen_UnfreezeParticipantNotFrozen() public {
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantAlreadyInState.selector, alice, false)
        );
        vm.prank(compliance);
        registry.unfreezeParticipant(alice, REASON);
    }

    function test_RevertWhen_FreezeParticipantNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, dave));
        vm.prank(compliance);
        registry.freezeParticipant(dave, REASON);
    }

    function test_RevertWhen_UnfreezeParticipantNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, dave));
        vm.prank(compliance);
        registry.unfreezeParticipant(dave, REASON);
    }

    function test_RevertWhen_FreezeParticipantCallerNotCompliance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, COMPLIANCE_ROLE)
        );
        vm.prank(operator);
        registry.freezeParticipant(alice, REASON);
    }

    function test_RevertWhen_UnfreezeParticipantCallerNotCompliance() public {
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, regulator, COMPLIANCE_ROLE)
        );
        vm.prank(regulator);
        registry.unfreezeParticipant(alice, REASON);
    }

    /*//////////////////////////////////////////////////////////////
                                 STATUS
    //////////////////////////////////////////////////////////////*/

    function test_ParticipantStatus_FixtureStates() public view {
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "alice");
        assertEq(status(bob), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "bob");
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "carol");
        assertEq(status(dave), uint256(IPlatformRegistry.ParticipantStatus.NotRegistered), "dave");
        assertEq(status(address(0)), uint256(IPlatformRegistry.ParticipantStatus.NotRegistered), "zero");
    }

    function test_ParticipantStatus_IdentityExpiredAtExpiryExactly() public {
        vm.warp(IDENTITY_EXPIRY - 1);
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "last second");
        vm.warp(IDENTITY_EXPIRY);
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.IdentityExpired), "at expiry");
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.IdentityExpired), "beats notice");
    }

    function test_ParticipantStatus_FirstReasonWins() public {
        vm.prank(compliance);
        registry.freezeParticipant(carol, REASON);
        vm.warp(IDENTITY_EXPIRY);
        // Frozen, expired and not acknowledged: frozen is reported.
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.Frozen), "frozen first");
        vm.prank(compliance);
        registry.unfreezeParticipant(carol, REASON);
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.IdentityExpired), "then expiry");
    }

    function test_ParticipantStatus_NewNoticeVersionNeedsNewAcknowledgement() public {
        uint32 v2 = publishNewNotice();
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "alice");
        assertEq(status(bob), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "bob");
        assertEq(registry.participant(alice).acknowledgedNotice, 1, "old acknowledgement kept");

        vm.prank(alice);
        registry.acknowledgeRiskNotice(v2);
        assertEq(registry.participant(alice).acknowledgedNotice, v2, "acknowledged v2");
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "alice again");
        assertEq(status(bob), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "bob still not");
    }

    /*//////////////////////////////////////////////////////////////
                                  FUZZ
    //////////////////////////////////////////////////////////////*/

    function testFuzz_ParticipantStatus_IdentityWindow(uint64 expiry, uint256 moment) public {
        expiry = uint64(bound(expiry, START + 1, START + 3650 days));
        moment = bound(moment, START, START + 4000 days);
        vm.prank(operator);
        registry.registerParticipant(dave, REF, expiry);
        vm.prank(dave);
        registry.acknowledgeRiskNotice(1);
        vm.warp(moment);
        IPlatformRegistry.ParticipantStatus expected = moment < expiry
            ? IPlatformRegistry.ParticipantStatus.Eligible
            : IPlatformRegistry.ParticipantStatus.IdentityExpired;
        assertEq(status(dave), uint256(expected), "status");
    }
}
