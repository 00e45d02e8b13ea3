// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

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
    function circulationStatus(address operator, address from, address to)
        external
        view
        returns (
            bool permitActive,
            ParticipantStatus fromStatus,
            ParticipantStatus toStatus,
            uint32 accreditationRevision
        )
    {
        permitActive = isPermitActive(operator);
        if (from != address(0)) fromStatus = participantStatus(from);
        if (to != address(0)) toStatus = participantStatus(to);
        accreditationRevision = _circulationRevision();
    }
}
