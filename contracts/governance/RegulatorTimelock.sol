// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title RegulatorTimelock
/// @notice Holds REGULATOR_ROLE in the governed setup: every regulator power (role grants, permits,
/// forced transfers, succession, recovery, ...) runs only as an operation the council scheduled
/// (CallScheduled) and that waited at least `getMinDelay()` seconds; anyone may then execute it
/// (CallExecuted, in the transaction whose registry or asset events name this contract as `by`).
/// Immediate protection stays with other roles: compliance officers freeze, supervisors pause.
/// @dev OpenZeppelin's TimelockController, configured one way only, so the code check proves the
/// configuration: the council proposes and cancels, anyone executes, and the timelock administers
/// itself (a new delay or proposer is itself a delayed operation).
contract RegulatorTimelock is TimelockController {
    /// @notice Without a council nobody could ever schedule; without a delay there is no public
    /// window to see and cancel an operation.
    error Timelock_InvalidSetup(uint256 minDelay, address council);

    constructor(uint256 minDelay, address council)
        TimelockController(minDelay, _one(council), _one(address(0)), address(0))
    {
        if (minDelay == 0 || council == address(0)) revert Timelock_InvalidSetup(minDelay, council);
    }

    /// @dev The delay never drops to zero: there is always a public window before a regulator act.
    function updateDelay(uint256 newDelay) public override {
        super.updateDelay(newDelay); // only the timelock itself, through a scheduled operation
        if (newDelay == 0) revert Timelock_InvalidSetup(newDelay, address(0));
    }

    function _one(address account) private pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = account;
    }
}
