// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Shared helpers for the participant suites: a participant's status and publishing risk
/// notice v2.
abstract contract ParticipantsBase is Base {
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    bytes32 internal constant REF = keccak256("kyc dave");

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function status(address wallet) internal view returns (uint256) {
        return uint256(registry.participantStatus(wallet));
    }

    function publishV2() internal returns (uint32 version) {
        vm.prank(operator);
        version = registry.publishRiskNotice(keccak256("risk notice v2"), "https://sdap.example/risk/v2");
    }
}
