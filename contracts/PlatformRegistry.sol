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
    function circulationStatus(address operator, address from, address to) external view returns (uint256) {
        (bool permitActive, uint32 inForce, uint32 revision) = _operatorStanding(operator);
        ParticipantStatus fromStatus = from == address(0) ? ParticipantStatus.Eligible : _statusOf(from, inForce);
        ParticipantStatus toStatus = to == address(0) ? ParticipantStatus.Eligible : _statusOf(to, inForce);
        return CirculationWord.pack(permitActive, fromStatus, toStatus, revision);
    }
}
