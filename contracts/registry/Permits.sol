// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {RegistryRoles} from "./RegistryRoles.sol";

/// @notice Operators' permits for issuance and circulation (Law art. 6.1-6.2, 4.1.14).
abstract contract Permits is RegistryRoles {
    mapping(address operator => Permit) private _permits;

    /// @inheritdoc IPlatformRegistry
    function grantPermit(address operator, uint64 validFrom, uint64 validUntil, bytes32 documentHash)
        external
        onlyRole(REGULATOR_ROLE)
    {
        if (operator == address(0)) revert Registry_ZeroAddress();
        if (validUntil <= validFrom || validUntil <= block.timestamp) {
            revert Registry_InvalidValidity(validFrom, validUntil);
        }
        PermitStatus status = _permits[operator].status;
        if (status == PermitStatus.Granted || status == PermitStatus.Suspended) {
            revert Registry_PermitAlreadyGranted(operator, status);
        }
        _permits[operator] = Permit(PermitStatus.Granted, validFrom, validUntil, documentHash);
        emit PermitGranted(operator, validFrom, validUntil, documentHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function renewPermit(address operator, uint64 validUntil, bytes32 documentHash) external onlyRole(REGULATOR_ROLE) {
        Permit storage p = _permits[operator];
        if (p.status != PermitStatus.Granted && p.status != PermitStatus.Suspended) {
            revert Registry_PermitNotGranted(operator, p.status);
        }
        if (validUntil <= p.validFrom || validUntil <= block.timestamp) {
            revert Registry_InvalidValidity(p.validFrom, validUntil);
        }
        p.validUntil = validUntil;
        p.documentHash = documentHash;
        emit PermitRenewed(operator, validUntil, documentHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function suspendPermit(address operator, bytes32 reasonHash) external onlyRole(REGULATOR_ROLE) {
        Permit storage p = _permits[operator];
        if (p.status != PermitStatus.Granted) revert Registry_PermitNotGranted(operator, p.status);
        p.status = PermitStatus.Suspended;
        emit PermitSuspended(operator, reasonHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function reinstatePermit(address operator, bytes32 reasonHash) external onlyRole(REGULATOR_ROLE) {
        Permit storage p = _permits[operator];
        if (p.status != PermitStatus.Suspended) revert Registry_PermitNotSuspended(operator, p.status);
        p.status = PermitStatus.Granted;
        emit PermitReinstated(operator, reasonHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function revokePermit(address operator, bytes32 reasonHash) external onlyRole(REGULATOR_ROLE) {
        Permit storage p = _permits[operator];
        if (p.status != PermitStatus.Granted && p.status != PermitStatus.Suspended) {
            revert Registry_PermitNotGranted(operator, p.status);
        }
        p.status = PermitStatus.Revoked;
        emit PermitRevoked(operator, reasonHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function permit(address operator) external view returns (Permit memory) {
        return _permits[operator];
    }

    /// @inheritdoc IPlatformRegistry
    function permitState(address operator) public view override returns (PermitState) {
        Permit storage p = _permits[operator];
        PermitStatus status = p.status;
        if (status == PermitStatus.None) return PermitState.None;
        if (status == PermitStatus.Revoked) return PermitState.Revoked;
        if (status == PermitStatus.Suspended) return PermitState.Suspended;
        if (block.timestamp < p.validFrom) return PermitState.NotYetValid;
        if (block.timestamp >= p.validUntil) return PermitState.Expired;
        return PermitState.Active;
    }

    /// @inheritdoc IPlatformRegistry
    function isPermitActive(address operator) public view returns (bool) {
        return permitState(operator) == PermitState.Active;
    }
}
