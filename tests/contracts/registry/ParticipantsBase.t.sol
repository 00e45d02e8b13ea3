// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Base} from "../Base.t.sol";

/// @notice Shared helpers for the participant suites: a participant's status.
abstract contract ParticipantsBase is Base {
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    bytes32 internal constant REF = keccak256("kyc dave");

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function status(address wallet) internal view returns (uint256) {
        return uint256(registry.participantStatus(wallet));
    }
}
