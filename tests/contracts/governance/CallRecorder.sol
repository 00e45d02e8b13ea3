// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice A target for the council's batches in the tests only: records who called it with what,
/// or refuses.
contract CallRecorder {
    event Recorded(address indexed by, uint256 value);

    error CallRecorder_Refused(uint256 value);

    uint256 public calls;
    address public lastCaller;
    uint256 public lastValue;

    function record(uint256 value) external {
        ++calls;
        lastCaller = msg.sender;
        lastValue = value;
        emit Recorded(msg.sender, value);
    }

    function refuse(uint256 value) external pure {
        revert CallRecorder_Refused(value);
    }
}
