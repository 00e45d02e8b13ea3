// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {RegisterListBase} from "./RegisterListBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The register lists itself (Law art. 4.1.10, 6.1-6.2): every issuer in order of
/// registration whatever its status, every operator once (from its first permit or details), and
/// each operator's participants in the order it identified them. Pages past the end are empty;
/// a limit is capped by what is left.
contract RegisterListsTest is RegisterListBase {
    /*//////////////////////////////////////////////////////////////
                                ISSUERS
    //////////////////////////////////////////////////////////////*/

    function test_Issuers_InOrderOfRegistration() public {
        address a = registerIssuerNamed("Aktobe Oil LLP");
        address b = registerIssuerNamed("Baikonur Metals JSC");
        address c = registerIssuerNamed("Caspian Grain LLP");
        assertEq(registry.issuerCount(), 4, "issuerCount");
        assertPage(registry.issuers(0, 100), list(issuer, a, b, c), "all");
        assertEq(
            registry.issuer(registry.issuers(2, 1)[0]).legalName, "Baikonur Metals JSC", "entry of a listed wallet"
        );
    }

    function test_Issuers_Pages() public {
        address a = registerIssuerNamed("Aktobe Oil LLP");
        address b = registerIssuerNamed("Baikonur Metals JSC");
        address c = registerIssuerNamed("Caspian Grain LLP");
        assertPage(registry.issuers(0, 2), list(issuer, a), "first page");
        assertPage(registry.issuers(2, 2), list(b, c), "second page");
        assertPage(registry.issuers(1, 1), list(a), "one from the middle");
        // A limit larger than what is left gives what is left.
        assertPage(registry.issuers(3, 10), list(c), "last, limit beyond the end");
        assertPage(registry.issuers(1, type(uint256).max), list(a, b, c), "limit at the maximum");
        assertEq(registry.issuers(0, 0).length, 0, "limit 0");
    }

    function test_Issuers_PastTheEndIsEmpty() public view {
        assertEq(registry.issuerCount(), 1, "issuerCount");
        assertEq(registry.issuers(1, 10).length, 0, "start at the end");
        assertEq(registry.issuers(2, 10).length, 0, "start past the end");
        assertEq(registry.issuers(type(uint256).max, type(uint256).max).length, 0, "start at the maximum");
    }

    /// @dev The register is public whatever the status: a suspended or removed issuer stays listed,
    /// and its entry says what it is now.
    function test_Issuers_SuspendedAndRemovedStillListed() public {
        address a = registerIssuerNamed("Aktobe Oil LLP");
        vm.startPrank(regulator);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Removed, keccak256("liquidated"));
        registry.setIssuerStatus(a, IPlatformRegistry.IssuerStatus.Suspended, keccak256("court order"));
        vm.stopPrank();
        assertEq(registry.issuerCount(), 2, "issuerCount");
        assertPage(registry.issuers(0, 10), list(issuer, a), "still listed");
        assertEq(uint256(registry.issuer(issuer).status), uint256(IPlatformRegistry.IssuerStatus.Removed), "removed");
        assertEq(uint256(registry.issuer(a).status), uint256(IPlatformRegistry.IssuerStatus.Suspended), "suspended");
    }

    /// @dev Correcting an issuer's details does not list it again.
    function test_Issuers_UpdateDoesNotListAgain() public {
        vm.prank(regulator);
        registry.updateIssuer(issuer, "Astana Grain JSC", "123456789012", "KZ", keccak256("new details"));
        assertPage(registry.issuers(0, 10), list(issuer), "listed once");
    }

    /*//////////////////////////////////////////////////////////////
                               OPERATORS
    //////////////////////////////////////////////////////////////*/

    function test_Operators_ListedOnFirstPermit() public {
        assertEq(registry.operatorCount(), 1, "the fixture's operator");
        address op2 = permittedOperator("operator2", uint64(START));
        address op3 = permittedOperator("operator3", uint64(START + 10 days));
        assertEq(registry.operatorCount(), 3, "operatorCount");
        assertPage(registry.operators(0, 10), list(operator, op2, op3), "in order of their first permit");
        assertPage(registry.operators(1, 1), list(op2), "one from the middle");
        assertPage(registry.operators(2, 5), list(op3), "limit beyond the end");
        assertEq(registry.operators(3, 1).length, 0, "past the end");
    }

    /// @dev A permit granted again after its revocation does not list the operator twice.
    function test_Operators_RegrantAfterRevocationListsOnce() public {
        address op2 = permittedOperator("operator2", uint64(START));
        vm.startPrank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        registry.grantPermit(operator, uint64(START), uint64(START + 30 days), keccak256("permit-001b"));
        vm.stopPrank();
        assertEq(registry.operatorCount(), 2, "operatorCount");
        assertPage(registry.operators(0, 10), list(operator, op2), "listed once, in its first place");
    }

    /// @dev Revoked, suspended or expired, an operator stays listed.
    function test_Operators_RevokedSuspendedExpiredStillListed() public {
        address op2 = permittedOperator("operator2", uint64(START));
        vm.startPrank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        registry.suspendPermit(op2, keccak256("inspection"));
        vm.stopPrank();
        vm.warp(START + 400 days);
        assertPage(registry.operators(0, 10), list(operator, op2), "still listed");
    }

    /// @dev Details recorded before the permit list the operator then; the permit does not list
    /// it again.
    function test_Operators_ListedOnDetailsBeforePermit() public {
        address op2 = makeAddr("operator2");
        vm.prank(regulator);
        registry.recordOperatorDetails(op2, "Qazaq Broker JSC", "987654321098", "KZ", keccak256("op2 details"));
        assertPage(registry.operators(0, 10), list(operator, op2), "listed on its details");

        address op3 = permittedOperator("operator3", uint64(START));
        vm.startPrank(regulator);
        registry.grantRole(OPERATOR_ROLE, op2);
        registry.grantPermit(op2, uint64(START), uint64(START + 365 days), keccak256("permit-002"));
        // Details after the permit do not list it again either.
        registry.recordOperatorDetails(operator, "Astana Exchange LLP", "111222333444", "KZ", keccak256("op1"));
        vm.stopPrank();
        assertPage(registry.operators(0, 10), list(operator, op2, op3), "each listed once");
    }

    /// @dev OPERATOR_ROLE alone lists no one: the register lists permit holders.
    function test_Operators_RoleAloneDoesNotList() public {
        address newcomer = makeAddr("newcomer");
        vm.prank(regulator);
        registry.grantRole(OPERATOR_ROLE, newcomer);
        assertPage(registry.operators(0, 10), list(operator), "only the permit holder");
    }

    /*//////////////////////////////////////////////////////////////
                        PARTICIPANTS PER OPERATOR
    //////////////////////////////////////////////////////////////*/

    function test_ParticipantsOf_InOrderOfRegistration() public view {
        assertEq(registry.participantCountOf(operator), 3, "participantCountOf");
        assertPage(registry.participantsOf(operator, 0, 10), list(alice, bob, carol), "the fixture's participants");
        assertPage(registry.participantsOf(operator, 1, 1), list(bob), "one from the middle");
        assertPage(registry.participantsOf(operator, 2, 10), list(carol), "limit beyond the end");
        assertEq(registry.participantsOf(operator, 3, 1).length, 0, "past the end");
    }

    /// @dev Each operator lists only the participants it identified.
    function test_ParticipantsOf_PerOperator() public {
        address op2 = permittedOperator("operator2", uint64(START));
        vm.prank(op2);
        registry.registerParticipant(dave, keccak256("kyc dave"), uint64(START + 730 days));
        address erin = registerParticipantBy(op2, "erin");
        address frank = registerParticipantBy(operator, "frank");

        assertEq(registry.participantCountOf(op2), 2, "op2's count");
        assertPage(registry.participantsOf(op2, 0, 10), list(dave, erin), "op2's participants");
        assertEq(registry.participantCountOf(operator), 4, "operator's count");
        assertPage(registry.participantsOf(operator, 0, 10), list(alice, bob, carol, frank), "operator's participants");
    }

    function test_ParticipantsOf_NoneForOthers() public view {
        assertEq(registry.participantCountOf(regulator), 0, "regulator");
        assertEq(registry.participantCountOf(alice), 0, "a participant");
        assertEq(registry.participantsOf(alice, 0, 10).length, 0, "empty page");
        assertEq(registry.participantsOf(address(0), 0, 10).length, 0, "zero address");
    }

    /// @dev A participant stays in its operator's list when frozen, re-identified by the regulator,
    /// or when its operator loses the permit.
    function test_ParticipantsOf_StayListed() public {
        vm.prank(compliance);
        registry.freezeParticipant(alice, keccak256("aml"));
        vm.startPrank(regulator);
        registry.updateParticipantIdentity(bob, keccak256("kyc bob 2"), uint64(START + 800 days));
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        vm.stopPrank();
        assertPage(registry.participantsOf(operator, 0, 10), list(alice, bob, carol), "still listed");
        assertEq(registry.participantCountOf(regulator), 0, "the regulator identified no one");
    }
}
