// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {PermitsBase} from "./PermitsBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice `circulationStatus` reads its three slots whole and decides at the level of the machine
/// (contracts/PlatformRegistry.sol): it must answer exactly what the readable rules answer,
/// `isPermitActive` and `participantStatus`, with the accreditation revision, whatever the permit,
/// the parties, the notices published, the accreditations withdrawn and the time.
contract CirculationWordFuzzTest is PermitsBase {
    address internal verifier2;

    function setUp() public override {
        super.setUp();
        verifier2 = makeAddr("verifier2");
        bytes32 role = registry.VERIFIER_ROLE();
        vm.prank(regulator);
        registry.grantRole(role, verifier2);
    }

    function testFuzz_CirculationStatusAgreesWithTheRules(
        uint8 permitAction,
        uint8 fromState,
        uint8 toState,
        bool newNotice,
        bool withdrawal,
        uint32 later
    ) public {
        address from = makeAddr("from");
        address to = makeAddr("to");
        // The permit of newOperator: none, granted (maybe not yet valid), suspended or revoked.
        permitAction = permitAction % 5;
        if (permitAction != 0) {
            uint64 validFrom = uint64(block.timestamp + (permitAction == 2 ? 10 days : 0));
            vm.startPrank(regulator);
            registry.grantPermit(newOperator, validFrom, validFrom + 30 days, keccak256("permit"));
            if (permitAction == 3) registry.suspendPermit(newOperator, REASON);
            if (permitAction == 4) registry.revokePermit(newOperator, REASON);
            vm.stopPrank();
        }
        prepare(from, fromState);
        prepare(to, toState);
        if (withdrawal) {
            bytes32 role = registry.VERIFIER_ROLE();
            vm.prank(regulator);
            registry.revokeRole(role, verifier2);
        }
        if (newNotice) publishNewNotice();
        vm.warp(block.timestamp + (later % 800 days));

        address[3] memory operators = [operator, newOperator, makeAddr("never an operator")];
        address[3] memory parties = [from, to, address(0)];
        for (uint256 o; o < 3; ++o) {
            for (uint256 i; i < 3; ++i) {
                for (uint256 j; j < 3; ++j) {
                    check(operators[o], parties[i], parties[j]);
                }
            }
        }
    }

    /// @dev A wallet left unregistered, registered only, onboarded, frozen, or with a short
    /// identification (expiring within the warp's reach).
    function prepare(address wallet, uint8 state) internal {
        state = state % 5;
        if (state == 0) return;
        vm.prank(operator);
        registry.registerParticipant(
            wallet, keccak256(abi.encode(wallet)), uint64(block.timestamp + (state == 4 ? 5 days : 700 days))
        );
        if (state >= 2) acknowledge(wallet);
        if (state == 3) {
            vm.prank(compliance);
            registry.freezeParticipant(wallet, REASON);
        }
    }

    function check(address op, address from, address to) internal view {
        (
            bool permitActive,
            IPlatformRegistry.ParticipantStatus fromStatus,
            IPlatformRegistry.ParticipantStatus toStatus,
            uint32 revision
        ) = circulation(op, from, to);
        assertEq(permitActive, registry.isPermitActive(op), "permit");
        IPlatformRegistry.ParticipantStatus eligible = IPlatformRegistry.ParticipantStatus.Eligible;
        assertEq(uint256(fromStatus), uint256(from == address(0) ? eligible : registry.participantStatus(from)), "from");
        assertEq(uint256(toStatus), uint256(to == address(0) ? eligible : registry.participantStatus(to)), "to");
        assertEq(revision, registry.accreditationRevision(), "revision");
    }
}
