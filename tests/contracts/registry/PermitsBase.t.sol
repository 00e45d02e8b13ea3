// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Base} from "../Base.t.sol";

/// @notice Shared fixture for the permit suites (Law art. 6.1-6.2, 4.1.14; R2): the fixture's
/// permit, granted at START for a year, and an operator without one.
abstract contract PermitsBase is Base {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant REASON = keccak256("inspection finding 17");

    /// @dev The fixture's permit: granted at START for a year.
    uint64 internal constant FROM = uint64(START);
    uint64 internal constant UNTIL = uint64(START + 365 days);

    address internal newOperator;

    function setUp() public virtual override {
        super.setUp();
        newOperator = makeAddr("operator2");
    }
}
