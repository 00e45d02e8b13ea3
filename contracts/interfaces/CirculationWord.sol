// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "./IPlatformRegistry.sol";

/// @title The registry's answer to a movement, in one word
/// @notice {IPlatformRegistry-circulationStatus} answers every balance change of every asset, so
/// its answer is one 256-bit word the asset reads with a shift, not an ABI tuple to decode:
///
///   bits  0-31  the registry's accreditation revision
///   bits 32-39  the sender's ParticipantStatus (Eligible, 0, for a mint)
///   bits 40-47  the recipient's ParticipantStatus (Eligible, 0, for a burn)
///   bit  48     set when the operator's permit is not in force
///
/// Everything above the revision is zero exactly when the movement's parties and permit are in
/// order, so the common case is one comparison: `isClear`. The registry writes the word
/// ({PlatformRegistry-circulationStatus}); the asset reads it with these.
library CirculationWord {
    uint256 private constant FROM_SHIFT = 32;
    uint256 private constant TO_SHIFT = 40;
    uint256 private constant PERMIT_INACTIVE_BIT = 1 << 48;

    /// @notice Both parties eligible and the operator's permit in force.
    function isClear(uint256 word) internal pure returns (bool) {
        return word >> FROM_SHIFT == 0;
    }

    function permitActive(uint256 word) internal pure returns (bool) {
        return word & PERMIT_INACTIVE_BIT == 0;
    }

    function fromStatus(uint256 word) internal pure returns (IPlatformRegistry.ParticipantStatus) {
        return IPlatformRegistry.ParticipantStatus(uint8(word >> FROM_SHIFT));
    }

    function toStatus(uint256 word) internal pure returns (IPlatformRegistry.ParticipantStatus) {
        return IPlatformRegistry.ParticipantStatus(uint8(word >> TO_SHIFT));
    }

    function accreditationRevision(uint256 word) internal pure returns (uint32) {
        return uint32(word);
    }
}
