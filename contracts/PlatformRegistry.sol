// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CirculationWord} from "./interfaces/CirculationWord.sol";
import {IPlatformRegistry} from "./interfaces/IPlatformRegistry.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {AssetTypes} from "./registry/AssetTypes.sol";
import {IssuerRegister} from "./registry/IssuerRegister.sol";
import {Participants} from "./registry/Participants.sol";
import {Permits} from "./registry/Permits.sol";
import {RegistryRoles} from "./registry/RegistryRoles.sol";

/// @title PlatformRegistry
/// @notice The regulator-run registry: roles, permits, the issuer register, asset types,
/// participants and risk notices. See {IPlatformRegistry}.
contract PlatformRegistry is Permits, IssuerRegister, AssetTypes, Participants {
    constructor(address regulator) RegistryRoles(regulator) EIP712("SDAP Platform Registry", "1") {}

    /// @inheritdoc IPlatformRegistry
    /// @dev Every movement of every asset asks this, so its body is written at the level of the
    /// machine, on the three slots it reads whole: the operator's (permit and the platform values
    /// copied into it, see {Permits}) and both parties' standings (see {Participants}). The rules
    /// are those of {permitState} and {participantStatus}, which tests/contracts/registry/
    /// CirculationWordFuzz.t.sol holds it to; an address that never held a permit reads the
    /// platform values where they live.
    function circulationStatus(address operator, address from, address to) external view returns (uint256 word) {
        uint256 permit = _operatorWord(operator);
        uint256 fromStanding = from == address(0) ? 0 : _standingWord(from);
        uint256 toStanding = to == address(0) ? 0 : _standingWord(to);
        uint256 platform = uint8(permit) == uint8(PermitStatus.None)
            ? uint256(_noticeInForce) | (uint256(_accreditationRevision) << 32)
            : uint64(permit >> 136);
        assembly ("memory-safe") {
            // ParticipantStatus of a {Standing} word; a zero `present` (no party) is Eligible.
            function statusOf(present, w, notice) -> s {
                if iszero(present) { leave }
                if iszero(and(w, 0xff)) {
                    s := 1 // NotRegistered
                    leave
                }
                if and(shr(8, w), 0xff) {
                    s := 2 // Frozen
                    leave
                }
                if iszero(gt(and(shr(16, w), 0xffffffffffffffff), timestamp())) {
                    s := 3 // IdentityExpired
                    leave
                }
                let acknowledged := and(shr(80, w), 0xffffffff)
                if or(iszero(acknowledged), iszero(eq(acknowledged, notice))) { s := 4 } // NoticeNotAcknowledged
            }
            let notice := and(platform, 0xffffffff)
            // In force: Granted (1), and validFrom <= now < validUntil.
            let active :=
                and(
                    eq(and(permit, 0xff), 1),
                    and(
                        iszero(gt(and(shr(8, permit), 0xffffffffffffffff), timestamp())),
                        gt(and(shr(72, permit), 0xffffffffffffffff), timestamp())
                    )
                )
            // The layout of {CirculationWord}.
            word := or(
                and(shr(32, platform), 0xffffffff),
                or(
                    shl(32, statusOf(from, fromStanding, notice)),
                    or(shl(40, statusOf(to, toStanding, notice)), shl(48, iszero(active)))
                )
            )
        }
    }
}
