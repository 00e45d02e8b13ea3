// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {RegistryRoles} from "./RegistryRoles.sol";

/// @notice Operators' permits for issuance and circulation (Law art. 6.1-6.2, 4.1.14).
abstract contract Permits is RegistryRoles {
    mapping(address operator => Permit) private _permits;
    mapping(address operator => OperatorDetails) private _operatorDetails;
    mapping(address operator => bool) private _listed;
    address[] private _operatorList;

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
        _list(operator);
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
    function recordOperatorDetails(
        address operator,
        string calldata legalName,
        string calldata businessId,
        string calldata jurisdiction,
        bytes32 detailsHash
    ) external onlyRole(REGULATOR_ROLE) {
        if (operator == address(0)) revert Registry_ZeroAddress();
        if (!_validDetails(legalName, businessId, jurisdiction, detailsHash)) revert Registry_InvalidOperatorDetails();
        _operatorDetails[operator] = OperatorDetails(legalName, businessId, jurisdiction, detailsHash);
        _list(operator);
        emit OperatorDetailsRecorded(operator, legalName, businessId, jurisdiction, detailsHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function operatorDetails(address operator) external view returns (OperatorDetails memory) {
        return _operatorDetails[operator];
    }

    /// @inheritdoc IPlatformRegistry
    function operatorCount() external view returns (uint256) {
        return _operatorList.length;
    }

    /// @inheritdoc IPlatformRegistry
    function operators(uint256 start, uint256 limit) external view returns (address[] memory) {
        return _page(_operatorList, start, limit);
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

    /// @dev Lists an operator once, when it first gets a permit or details.
    function _list(address operator) private {
        if (_listed[operator]) return;
        _listed[operator] = true;
        _operatorList.push(operator);
    }
}
