// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {RegulatorTimelock} from "../../../contracts/governance/RegulatorTimelock.sol";

/// @notice The real RegulatorTimelock, for the auditor's tests only, with doors anyone may use: an
/// operation scheduled by no one's agreement (CallScheduled, nothing recorded), a call run at once
/// with its CallExecuted whatever the operation's state (never scheduled, waiting, cancelled or
/// done), and a call run with no CallExecuted at all. What the real timelock refuses to write, so
/// the auditor's governance rules must catch it. Never deploy it for real.
contract PermissiveTimelock is RegulatorTimelock {
    constructor(uint256 minDelay, address council) RegulatorTimelock(minDelay, council) {}

    function scheduleUnchecked(address target, bytes calldata data, bytes32 salt, uint256 delay) external {
        emit CallScheduled(hashOperation(target, 0, data, bytes32(0), salt), 0, target, 0, data, bytes32(0), delay);
    }

    function executeUnchecked(address target, bytes calldata data, bytes32 salt) external {
        _execute(target, 0, data);
        emit CallExecuted(hashOperation(target, 0, data, bytes32(0), salt), 0, target, 0, data);
    }

    function callUnchecked(address target, bytes calldata data) external {
        _execute(target, 0, data);
    }
}
