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
        assembly ("memory-safe") {
            // The storage slot of `key` in the mapping at `mappingSlot`.
            function slotOf(key, mappingSlot) -> slot {
                mstore(0x00, key)
                mstore(0x20, mappingSlot)
                slot := keccak256(0x00, 0x40)
            }
            // ParticipantStatus of `wallet`'s {Standing} word; no party (a mint's sender, a burn's
            // recipient) reads as Eligible.
            function statusOf(wallet, standingsSlot, notice) -> s {
                if iszero(wallet) { leave }
                let w := sload(slotOf(wallet, standingsSlot))
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
            let permit := sload(slotOf(operator, _operatorSlots.slot))
            // The platform's values as copied into the operator's slot; an address that never held
            // a permit (status None) has no copy: they are read where they live.
            let notice := and(shr(136, permit), 0xffffffff)
            let revision := and(shr(168, permit), 0xffffffff)
            if iszero(and(permit, 0xff)) {
                notice := and(shr(mul(_noticeInForce.offset, 8), sload(_noticeInForce.slot)), 0xffffffff)
                revision := and(
                    shr(mul(_accreditationRevision.offset, 8), sload(_accreditationRevision.slot)),
                    0xffffffff
                )
            }
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
                revision,
                or(
                    shl(32, statusOf(from, _standings.slot, notice)),
                    or(shl(40, statusOf(to, _standings.slot, notice)), shl(48, iszero(active)))
                )
            )
        }
    }
}
