// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The registry's roles: the regulator administers every role, its own included, and
/// nobody holds DEFAULT_ADMIN_ROLE (Rules item 4.1: only persons with access enter data).
contract RolesTest is Base {
    bytes32 internal constant DEFAULT_ADMIN_ROLE = 0x00;
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 internal constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");
    bytes32 internal constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");

    function roles() internal pure returns (bytes32[4] memory) {
        return [REGULATOR_ROLE, OPERATOR_ROLE, VERIFIER_ROLE, COMPLIANCE_ROLE];
    }

    function test_RoleIdentifiers() public view {
        assertEq(registry.REGULATOR_ROLE(), REGULATOR_ROLE, "regulator");
        assertEq(registry.OPERATOR_ROLE(), OPERATOR_ROLE, "operator");
        assertEq(registry.VERIFIER_ROLE(), VERIFIER_ROLE, "verifier");
        assertEq(registry.COMPLIANCE_ROLE(), COMPLIANCE_ROLE, "compliance");
        assertEq(registry.DEFAULT_ADMIN_ROLE(), DEFAULT_ADMIN_ROLE, "default admin");
    }

    function test_Constructor_RegulatorAdministersEveryRole() public {
        PlatformRegistry fresh = new PlatformRegistry(regulator);
        bytes32[4] memory all = roles();
        for (uint256 i; i < all.length; ++i) {
            assertEq(fresh.getRoleAdmin(all[i]), REGULATOR_ROLE, "admin is the regulator");
            assertFalse(fresh.hasRole(all[i], address(this)), "deployer holds a role");
        }
        assertTrue(fresh.hasRole(REGULATOR_ROLE, regulator), "regulator");
        assertFalse(fresh.hasRole(OPERATOR_ROLE, regulator), "regulator is not an operator");
        assertFalse(fresh.hasRole(DEFAULT_ADMIN_ROLE, regulator), "nobody is default admin");
        assertFalse(fresh.hasRole(DEFAULT_ADMIN_ROLE, address(this)), "deployer is not default admin");
    }

    function test_Constructor_EmitsRegulatorGrant() public {
        // The address the next `new` deploys to is unknown here, so the emitter is not checked.
        vm.expectEmit(true, true, true, true);
        emit IAccessControl.RoleGranted(REGULATOR_ROLE, regulator, address(this));
        new PlatformRegistry(regulator);
    }

    function test_RevertWhen_ConstructorRegulatorZero() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ZeroAddress.selector));
        new PlatformRegistry(address(0));
    }

    function test_GrantRole_ByRegulatorEmitsAndGrants() public {
        bytes32[4] memory all = roles();
        for (uint256 i; i < all.length; ++i) {
            assertFalse(registry.hasRole(all[i], dave), "not yet");
            vm.expectEmit();
            emit IAccessControl.RoleGranted(all[i], dave, regulator);
            vm.prank(regulator);
            registry.grantRole(all[i], dave);
            assertTrue(registry.hasRole(all[i], dave), "granted");
        }
    }

    function test_GrantRole_SecondRegulatorCanAct() public {
        address deputy = makeAddr("deputy regulator");
        vm.prank(regulator);
        registry.grantRole(REGULATOR_ROLE, deputy);
        vm.prank(deputy);
        registry.suspendPermit(operator, keccak256("deputy order"));
        assertEq(uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Suspended), "state");
    }

    function test_RevokeRole_ByRegulatorEmitsAndTakesAccess() public {
        vm.expectEmit();
        emit IAccessControl.RoleRevoked(OPERATOR_ROLE, operator, regulator);
        vm.prank(regulator);
        registry.revokeRole(OPERATOR_ROLE, operator);
        assertFalse(registry.hasRole(OPERATOR_ROLE, operator), "revoked");

        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, OPERATOR_ROLE)
        );
        vm.prank(operator);
        registry.registerParticipant(dave, keccak256("kyc"), uint64(START + 1 days));
    }

    function test_RenounceRole_EmitsAndDrops() public {
        vm.expectEmit();
        emit IAccessControl.RoleRevoked(COMPLIANCE_ROLE, compliance, compliance);
        vm.prank(compliance);
        registry.renounceRole(COMPLIANCE_ROLE, compliance);
        assertFalse(registry.hasRole(COMPLIANCE_ROLE, compliance), "renounced");
    }

    function test_RevertWhen_RenounceRoleForAnotherAccount() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlBadConfirmation.selector));
        vm.prank(regulator);
        registry.renounceRole(OPERATOR_ROLE, operator);
        assertTrue(registry.hasRole(OPERATOR_ROLE, operator), "kept");
    }

    function test_RevertWhen_GrantRoleCallerNotRegulator() public {
        bytes32[4] memory all = roles();
        address[3] memory callers = [operator, verifier, compliance];
        for (uint256 c; c < callers.length; ++c) {
            for (uint256 i; i < all.length; ++i) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IAccessControl.AccessControlUnauthorizedAccount.selector, callers[c], REGULATOR_ROLE
                    )
                );
                vm.prank(callers[c]);
                registry.grantRole(all[i], dave);
            }
        }
        for (uint256 i; i < all.length; ++i) {
            assertFalse(registry.hasRole(all[i], dave), "nothing granted");
        }
    }

    function test_RevertWhen_RevokeRoleCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, REGULATOR_ROLE)
        );
        vm.prank(operator);
        registry.revokeRole(VERIFIER_ROLE, verifier);
        assertTrue(registry.hasRole(VERIFIER_ROLE, verifier), "kept");
    }

    /// @dev Holding one role gives nothing of another: each role-gated function refuses the others.
    function test_RevertWhen_RoleHolderCallsAnotherRolesFunction() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, regulator, OPERATOR_ROLE)
        );
        vm.prank(regulator);
        registry.registerParticipant(dave, keccak256("kyc"), uint64(START + 1 days));

        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, COMPLIANCE_ROLE)
        );
        vm.prank(operator);
        registry.freezeParticipant(alice, keccak256("aml"));

        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, compliance, REGULATOR_ROLE)
        );
        vm.prank(compliance);
        registry.publishRiskNotice(keccak256("v2"), "https://sdap.example/risk/v2");

        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, verifier, REGULATOR_ROLE)
        );
        vm.prank(verifier);
        registry.registerIssuer(dave, "Dave LLP", "1", "KZ", keccak256("d"));
    }

    function test_RevertWhen_LastRegulatorRenounces() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_LastRegulator.selector, regulator));
        vm.prank(regulator);
        registry.renounceRole(REGULATOR_ROLE, regulator);
        assertTrue(registry.hasRole(REGULATOR_ROLE, regulator), "still the regulator");
        assertEq(registry.regulatorCount(), 1, "count");
    }

    function test_RevertWhen_LastRegulatorRevokesItself() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_LastRegulator.selector, regulator));
        vm.prank(regulator);
        registry.revokeRole(REGULATOR_ROLE, regulator);
        assertTrue(registry.hasRole(REGULATOR_ROLE, regulator), "still the regulator");
    }

    function test_RenounceRole_RegulatorWithADeputyLeavesTheDeputyLast() public {
        address deputy = makeAddr("deputy regulator");
        vm.startPrank(regulator);
        registry.grantRole(REGULATOR_ROLE, deputy);
        registry.grantRole(REGULATOR_ROLE, deputy); // already held: not counted twice
        assertEq(registry.regulatorCount(), 2, "two regulators");
        vm.expectEmit();
        emit IAccessControl.RoleRevoked(REGULATOR_ROLE, regulator, regulator);
        registry.renounceRole(REGULATOR_ROLE, regulator);
        vm.stopPrank();
        assertEq(registry.regulatorCount(), 1, "the deputy alone");

        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_LastRegulator.selector, deputy));
        vm.prank(deputy);
        registry.renounceRole(REGULATOR_ROLE, deputy);
        vm.prank(deputy);
        registry.revokeRole(REGULATOR_ROLE, regulator); // no longer held: nothing to count
        assertEq(registry.regulatorCount(), 1, "unchanged");
    }

    /// Any sequence of grants, revocations and renunciations among a few accounts: the count is
    /// the number of holders, and it never reaches zero.
    function testFuzz_RegulatorsNeverRunOut(uint8[24] calldata steps) public {
        address[4] memory people = [regulator, makeAddr("r1"), makeAddr("r2"), makeAddr("r3")];
        for (uint256 i; i < steps.length; ++i) {
            address actor = people[steps[i] % 4];
            address target = people[(steps[i] / 4) % 4];
            uint256 kind = (steps[i] / 16) % 3;
            vm.prank(actor);
            if (kind == 0) {
                try registry.grantRole(REGULATOR_ROLE, target) {} catch {}
            } else if (kind == 1) {
                try registry.revokeRole(REGULATOR_ROLE, target) {} catch {}
            } else {
                try registry.renounceRole(REGULATOR_ROLE, actor) {} catch {}
            }
            uint256 holders;
            for (uint256 j; j < people.length; ++j) {
                if (registry.hasRole(REGULATOR_ROLE, people[j])) ++holders;
            }
            assertEq(registry.regulatorCount(), holders, "count is the holders");
            assertGe(holders, 1, "a regulator is left");
        }
    }

    function test_SupportsInterface() public view {
        assertTrue(registry.supportsInterface(type(IAccessControl).interfaceId), "IAccessControl");
        assertTrue(registry.supportsInterface(type(IERC165).interfaceId), "IERC165");
        assertFalse(registry.supportsInterface(0xffffffff), "invalid id");
    }
}
