// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice A supervisor (SUPERVISOR_ROLE, granted by the regulator) pauses and unpauses issuances
/// at once with the regulator's authority: its pause is the regulator's (an operator cannot lift
/// it), and it lifts the regulator's or an operator's. It can do nothing else the regulator can.
/// The regulator's and operators' own pauses: PauseAndClose.t.sol.
contract SupervisorPauseTest is Base {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 internal constant SUPERVISOR_ROLE = keccak256("SUPERVISOR_ROLE");
    bytes32 internal constant ORDER = keccak256("regulator's order 2026-14");

    address internal supervisor;

    function setUp() public override {
        super.setUp();
        supervisor = makeAddr("supervisor");
        vm.prank(regulator);
        registry.grantRole(SUPERVISOR_ROLE, supervisor);
    }

    function pauseAs(address by) internal {
        vm.prank(by);
        asset.pause(issuanceId);
    }

    function expectPausedByRegulator() internal {
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PausedByRegulator.selector, issuanceId));
    }

    function expectNotOperator(address account) internal {
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, account)
        );
    }

    function expectNotRegulator(address account) internal {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, REGULATOR_ROLE)
        );
    }

    /*//////////////////////////////////////////////////////////////
                                THE ROLE
    //////////////////////////////////////////////////////////////*/

    function test_SupervisorRoleAdministeredByTheRegulator() public {
        assertEq(registry.SUPERVISOR_ROLE(), SUPERVISOR_ROLE, "role id");
        assertEq(registry.getRoleAdmin(SUPERVISOR_ROLE), REGULATOR_ROLE, "admin");
        assertTrue(registry.hasRole(SUPERVISOR_ROLE, supervisor), "granted");

        address other = makeAddr("other supervisor");
        vm.prank(operator);
        expectNotRegulator(operator);
        registry.grantRole(SUPERVISOR_ROLE, other);
        vm.prank(supervisor);
        expectNotRegulator(supervisor);
        registry.grantRole(SUPERVISOR_ROLE, other);
    }

    /*//////////////////////////////////////////////////////////////
                                 PAUSE
    //////////////////////////////////////////////////////////////*/

    function test_SupervisorPausesAtOnceAsTheRegulator() public {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuancePaused(issuanceId, supervisor, true);
        pauseAs(supervisor);
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(issuanceId);
        assertTrue(iss.paused, "paused");
        assertTrue(iss.pausedByRegulator, "by the regulator");
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, 1)),
            uint256(ISecuredAssetTypes.Refusal.IssuancePaused),
            "transfers stopped"
        );
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    function test_RevertWhen_OperatorLiftsASupervisorsPause() public {
        pauseAs(supervisor);
        vm.prank(operator);
        expectPausedByRegulator();
        asset.unpause(issuanceId);
        assertTrue(asset.issuance(issuanceId).paused, "still paused");
    }

    function test_SupervisorLiftsItsPause() public {
        pauseAs(supervisor);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceUnpaused(issuanceId, supervisor);
        vm.prank(supervisor);
        asset.unpause(issuanceId);
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(issuanceId);
        assertFalse(iss.paused, "unpaused");
        assertFalse(iss.pausedByRegulator, "cleared");
    }

    function test_RegulatorLiftsASupervisorsPause() public {
        pauseAs(supervisor);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceUnpaused(issuanceId, regulator);
        vm.prank(regulator);
        asset.unpause(issuanceId);
        assertFalse(asset.issuance(issuanceId).paused, "unpaused");
    }

    /// @dev The regulator's own pause is the regulator's to lift: one supervisor's key must not undo
    /// what the council ordered.
    function test_RevertWhen_SupervisorLiftsTheRegulatorsPause() public {
        pauseAs(regulator);
        vm.prank(supervisor);
        expectPausedByRegulator();
        asset.unpause(issuanceId);
        assertTrue(asset.issuance(issuanceId).paused, "still paused");
    }

    function test_RegulatorLiftsItsPause() public {
        pauseAs(regulator);
        vm.prank(regulator);
        asset.unpause(issuanceId);
        assertFalse(asset.issuance(issuanceId).paused, "unpaused");
    }

    /// @dev As the regulator may: a supervisor takes over an operator's pause, then only the
    /// regulator or a supervisor lifts it.
    function test_SupervisorTakesOverAnOperatorsPause() public {
        pauseAs(operator);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuancePaused(issuanceId, supervisor, true);
        pauseAs(supervisor);
        assertTrue(asset.issuance(issuanceId).pausedByRegulator, "now the regulator's");
        vm.prank(operator);
        expectPausedByRegulator();
        asset.unpause(issuanceId);
    }

    function test_SupervisorLiftsAnOperatorsPause() public {
        pauseAs(operator);
        vm.prank(supervisor);
        asset.unpause(issuanceId);
        assertFalse(asset.issuance(issuanceId).paused, "unpaused");
    }

    function test_RevertWhen_SupervisorPausesTwice() public {
        pauseAs(supervisor);
        vm.prank(supervisor);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.pause(issuanceId);
    }

    function test_RevertWhen_SupervisorPausesUnknownIssuance() public {
        vm.prank(supervisor);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.pause(99);
    }

    /// @dev Any holder of the role stands for the regulator on any issuance; anyone else (not the
    /// issuance's operator) is refused.
    function testFuzz_OnlyASupervisorOrTheRegulatorLiftsARegulatorPause(address who, bool grant) public {
        vm.assume(
            who != regulator && who != supervisor && who != operator && who != address(0) && who != address(forwarder)
        );
        if (grant) {
            vm.prank(regulator);
            registry.grantRole(SUPERVISOR_ROLE, who);
        }
        pauseAs(supervisor);
        vm.prank(who);
        if (!grant) expectNotOperator(who);
        asset.unpause(issuanceId);
        assertEq(asset.issuance(issuanceId).paused, !grant, "lifted exactly by a supervisor");
    }

    /*//////////////////////////////////////////////////////////////
                              REVOKED
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SupervisorRevoked() public {
        pauseAs(supervisor);
        vm.prank(regulator);
        registry.revokeRole(SUPERVISOR_ROLE, supervisor);

        vm.prank(supervisor);
        expectNotOperator(supervisor);
        asset.unpause(issuanceId);

        vm.prank(regulator);
        asset.unpause(issuanceId);
        vm.prank(supervisor);
        expectNotOperator(supervisor);
        asset.pause(issuanceId);
        assertFalse(asset.issuance(issuanceId).paused, "not paused");
    }

    /*//////////////////////////////////////////////////////////////
                         NOTHING ELSE OF THE REGULATOR
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SupervisorGrantsARole() public {
        vm.prank(supervisor);
        expectNotRegulator(supervisor);
        registry.grantRole(OPERATOR_ROLE, supervisor);
    }

    function test_RevertWhen_SupervisorRevokesAPermit() public {
        vm.prank(supervisor);
        expectNotRegulator(supervisor);
        registry.revokePermit(operator, keccak256("reason"));
        assertEq(
            uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Active), "permit in force"
        );
    }

    function test_RevertWhen_SupervisorOrdersAForcedTransfer() public {
        vm.prank(supervisor);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, supervisor, REGULATOR_ROLE)
        );
        asset.forcedTransfer(issuanceId, alice, bob, 1, ORDER);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "nothing moved");
    }

    function test_RevertWhen_SupervisorSucceedsIssuances() public {
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        vm.prank(supervisor);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, supervisor, REGULATOR_ROLE)
        );
        asset.succeedIssuances(ids, operator, ORDER);
    }

    function test_RevertWhen_SupervisorMints() public {
        vm.prank(supervisor);
        expectNotOperator(supervisor);
        asset.mint(issuanceId, alice, 1);
    }
}
