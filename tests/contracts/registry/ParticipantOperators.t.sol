// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {ParticipantsBase} from "./ParticipantsBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice An operator acts in the registry only with OPERATOR_ROLE and a permit in force (Law art.
/// 6.1-6.2), and a participant's identification is its own operator's to update, or the
/// regulator's: no operator can make another operator's customers ineligible.
contract ParticipantOperatorsTest is ParticipantsBase {
    uint64 internal constant EXPIRY = uint64(START + 400 days);

    address internal operator2;

    function setUp() public override {
        super.setUp();
        operator2 = permittedOperator("operator2", uint64(START));
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function permitNotActive(address account, IPlatformRegistry.PermitState state)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(IPlatformRegistry.Registry_PermitNotActive.selector, account, state);
    }

    /// @dev `op` can neither register dave, re-identify alice nor relay carol's acknowledgement:
    /// each reverts with `err` and nothing changes.
    function assertRegistryActionsRefused(address op, bytes memory err) internal {
        vm.expectRevert(err);
        vm.prank(op);
        registry.registerParticipant(dave, REF, EXPIRY);

        vm.expectRevert(err);
        vm.prank(op);
        registry.updateParticipantIdentity(alice, REF, EXPIRY);

        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        vm.expectRevert(err);
        vm.prank(op);
        registry.acknowledgeRiskNoticeBySig(carol, 1, deadline, signature);

        assertFalse(registry.participant(dave).registered, "dave not registered");
        assertTrue(registry.participant(alice).identityRef != REF, "alice's identification unchanged");
        assertEq(registry.participant(carol).acknowledgedNotice, 0, "carol's acknowledgement not recorded");
    }

    /*//////////////////////////////////////////////////////////////
                      WITHOUT A PERMIT IN FORCE
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_RegistryActionWithoutOperatorRole() public {
        vm.prank(regulator);
        registry.revokeRole(OPERATOR_ROLE, operator);
        assertRegistryActionsRefused(
            operator,
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, OPERATOR_ROLE)
        );
    }

    function test_RevertWhen_RegistryActionPermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        assertRegistryActionsRefused(operator, permitNotActive(operator, IPlatformRegistry.PermitState.Suspended));
    }

    function test_RevertWhen_RegistryActionPermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        assertRegistryActionsRefused(operator, permitNotActive(operator, IPlatformRegistry.PermitState.Revoked));
    }

    function test_RevertWhen_RegistryActionPermitExpired() public {
        vm.warp(START + 365 days);
        assertRegistryActionsRefused(operator, permitNotActive(operator, IPlatformRegistry.PermitState.Expired));
    }

    /// @dev A role without a permit, or a permit not yet in force, registers and relays nothing.
    function test_RevertWhen_RegistryActionPermitNeverGrantedOrNotYetValid() public {
        address newcomer = makeAddr("newcomer");
        vm.prank(regulator);
        registry.grantRole(OPERATOR_ROLE, newcomer);
        bytes memory err = permitNotActive(newcomer, IPlatformRegistry.PermitState.None);
        vm.expectRevert(err);
        vm.prank(newcomer);
        registry.registerParticipant(dave, REF, EXPIRY);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        vm.expectRevert(err);
        vm.prank(newcomer);
        registry.acknowledgeRiskNoticeBySig(carol, 1, deadline, signature);

        address early = permittedOperator("early", uint64(START + 10 days));
        vm.expectRevert(permitNotActive(early, IPlatformRegistry.PermitState.NotYetValid));
        vm.prank(early);
        registry.registerParticipant(dave, REF, EXPIRY);
    }

    /*//////////////////////////////////////////////////////////////
                      EACH OPERATOR ITS OWN PARTICIPANTS
    //////////////////////////////////////////////////////////////*/

    function test_Participant_RecordsTheOperatorThatIdentifiedIt() public {
        vm.prank(operator2);
        registry.registerParticipant(dave, REF, EXPIRY);
        assertEq(registry.participant(dave).operator, operator2, "operator2's participant");
        assertEq(registry.participant(alice).operator, operator, "the fixture's operator");
    }

    function test_RevertWhen_AnotherOperatorUpdatesIdentity() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_NotParticipantOperator.selector, alice, operator, operator2
            )
        );
        vm.prank(operator2);
        registry.updateParticipantIdentity(alice, keccak256("rewritten"), uint64(START + 1 days));
        assertEq(registry.participant(alice).identityExpiry, uint64(START + 730 days), "unchanged");
    }

    function test_UpdateIdentityByItsOperator() public {
        vm.prank(operator2);
        registry.registerParticipant(dave, REF, EXPIRY);
        vm.expectEmit(address(registry));
        emit IPlatformRegistry.ParticipantIdentityUpdated(dave, keccak256("kyc renewed"), EXPIRY + 1, operator2);
        vm.prank(operator2);
        registry.updateParticipantIdentity(dave, keccak256("kyc renewed"), EXPIRY + 1);
        assertEq(registry.participant(dave).operator, operator2, "still operator2's");
    }

    /// @dev The regulator may re-identify anyone, also while the participant's operator is out of
    /// its mandate; the participant stays that operator's.
    function test_UpdateIdentityByRegulator() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        vm.expectEmit(address(registry));
        emit IPlatformRegistry.ParticipantIdentityUpdated(alice, keccak256("kyc by order"), EXPIRY, regulator);
        vm.prank(regulator);
        registry.updateParticipantIdentity(alice, keccak256("kyc by order"), EXPIRY);
        assertEq(registry.participant(alice).identityExpiry, EXPIRY, "updated");
        assertEq(registry.participant(alice).operator, operator, "still the operator's participant");
    }

    /// @dev Relaying is no decision about the participant: its own signature is the authority, so
    /// any operator within its mandate may relay it.
    function test_AcknowledgeBySigRelayedByAnyPermittedOperator() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        vm.prank(operator2);
        registry.acknowledgeRiskNoticeBySig(carol, 1, deadline, signature);
        assertEq(registry.participant(carol).acknowledgedNotice, 1, "recorded");
    }
}
