// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {HandlerBase} from "./HandlerBase.sol";
import {InvariantBase} from "./InvariantBase.t.sol";

/// @notice No key beyond its mandate (Law art. 6.1-6.2): operators whose role is taken or whose
/// permit is suspended, revoked, expired or never granted try every operator action, and the
/// regulator's pauses face operators that try to lift them.
contract MandateInvariantsTest is InvariantBase {
    /// @dev Nothing an operator without OPERATOR_ROLE or an active permit calls succeeds, on the
    /// asset, in the registry or on collateral: the handler counts every such success.
    function invariant_NothingSucceedsWithoutAnActivePermit() public view {
        assertEq(handler.unpermittedSuccesses(), 0, "an operator outside its mandate changed something");
        assertNoViolation(HandlerBase.Violation.ActedWithoutPermit);
    }

    /// @dev Only the regulator lifts the regulator's pause, and the chain's record of whose pause
    /// it is stays the model's.
    function invariant_RegulatorPauseLiftedOnlyByRegulator() public view {
        assertNoViolation(HandlerBase.Violation.RegulatorPauseLifted);
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            assertEq(
                asset.issuance(id).pausedByRegulator,
                handler.issuanceModel(id).pausedByRegulator,
                "pausedByRegulator != model"
            );
        }
    }
}
