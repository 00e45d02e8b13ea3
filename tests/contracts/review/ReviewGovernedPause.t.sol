// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ISecuredAssetCore} from "../../../contracts/interfaces/ISecuredAssetCore.sol";
import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";

import {GovernedBase} from "../governance/GovernedBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice What the review of issue 14's governance found, fixed and kept as tests. Still open (the
/// notes of issue 14 say why): a minority of the council cannot cancel alone, and the council
/// changes its own membership without the timelock's delay.
contract ReviewGovernedPauseTest is GovernedBase {
    address internal supervisor;
    address internal rogueSupervisor;

    function setUp() public override {
        super.setUp();
        supervisor = makeAddr("supervisor");
        rogueSupervisor = makeAddr("rogue supervisor");
        address[] memory targets = new address[](2);
        bytes[] memory payloads = new bytes[](2);
        targets[0] = address(registry);
        targets[1] = address(registry);
        payloads[0] = abi.encodeCall(IAccessControl.grantRole, (SUPERVISOR_ROLE, supervisor));
        payloads[1] = abi.encodeCall(IAccessControl.grantRole, (SUPERVISOR_ROLE, rogueSupervisor));
        governAll(targets, payloads);
    }

    /// Found in review: the council schedules its own pause; during the delay a supervisor pauses
    /// at once (as it is meant to). The council's pause must still land and take the pause over,
    /// or the only pause in place would stay the supervisor's, which one supervisor key lifts.
    function test_CouncilPauseTakesOverASupervisorsPause() public {
        bytes memory pauseCall = abi.encodeCall(ISecuredAssetCore.pause, (issuanceId));
        bytes32 salt = nextSalt();
        propose(address(asset), pauseCall, salt);

        vm.prank(supervisor);
        asset.pause(issuanceId);

        vm.warp(block.timestamp + DELAY);
        executeScheduled(address(asset), pauseCall, salt);

        vm.prank(rogueSupervisor);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PausedByRegulator.selector, issuanceId));
        asset.unpause(issuanceId);
    }
}
