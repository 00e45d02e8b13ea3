// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {RegistryRoles} from "./RegistryRoles.sol";

/// @notice Operators' permits for issuance and circulation (Law art. 6.1-6.2, 4.1.14).
abstract contract Permits is RegistryRoles {
    /// @dev The one slot a movement reads about an issuance's operator: its permit's status and
    /// window, and copies of the two platform-wide values every movement needs as well (the notice
    /// in force, the accreditation revision). Those change only by rare regulator acts, which
    /// rewrite the copy in every operator's slot; each movement then reads one registry slot fewer.
    struct OperatorSlot {
        PermitStatus status;
        uint64 validFrom;
        uint64 validUntil;
        uint32 noticeInForce;
        uint32 accreditationRevision;
    }

    mapping(address operator => OperatorSlot) internal _operatorSlots;
    mapping(address operator => bytes32) private _permitDocuments;
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
        PermitStatus status = _operatorSlots[operator].status;
        if (status == PermitStatus.Granted || status == PermitStatus.Suspended) {
            revert Registry_PermitAlreadyGranted(operator, status);
        }
        _operatorSlots[operator] =
            OperatorSlot(PermitStatus.Granted, validFrom, validUntil, _noticeInForce, _accreditationRevision);
        _permitDocuments[operator] = documentHash;
        _list(operator);
        emit PermitGranted(operator, validFrom, validUntil, documentHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function renewPermit(address operator, uint64 validUntil, bytes32 documentHash) external onlyRole(REGULATOR_ROLE) {
        OperatorSlot storage p = _operatorSlots[operator];
        if (p.status != PermitStatus.Granted && p.status != PermitStatus.Suspended) {
            revert Registry_PermitNotGranted(operator, p.status);
        }
        if (validUntil <= p.validFrom || validUntil <= block.timestamp) {
            revert Registry_InvalidValidity(p.validFrom, validUntil);
        }
        p.validUntil = validUntil;
        _permitDocuments[operator] = documentHash;
        emit PermitRenewed(operator, validUntil, documentHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function suspendPermit(address operator, bytes32 reasonHash) external onlyRole(REGULATOR_ROLE) {
        OperatorSlot storage p = _operatorSlots[operator];
        if (p.status != PermitStatus.Granted) revert Registry_PermitNotGranted(operator, p.status);
        p.status = PermitStatus.Suspended;
        emit PermitSuspended(operator, reasonHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function reinstatePermit(address operator, bytes32 reasonHash) external onlyRole(REGULATOR_ROLE) {
        OperatorSlot storage p = _operatorSlots[operator];
        if (p.status != PermitStatus.Suspended) revert Registry_PermitNotSuspended(operator, p.status);
        p.status = PermitStatus.Granted;
        emit PermitReinstated(operator, reasonHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function revokePermit(address operator, bytes32 reasonHash) external onlyRole(REGULATOR_ROLE) {
        OperatorSlot storage p = _operatorSlots[operator];
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
        OperatorSlot memory p = _operatorSlots[operator];
        return Permit(p.status, p.validFrom, p.validUntil, _permitDocuments[operator]);
    }

    /// @inheritdoc IPlatformRegistry
    function permitState(address operator) public view override returns (PermitState) {
        return _permitState(_operatorSlots[operator]);
    }

    /// @inheritdoc IPlatformRegistry
    function isPermitActive(address operator) public view returns (bool) {
        return permitState(operator) == PermitState.Active;
    }

    function _permitState(OperatorSlot memory p) private view returns (PermitState) {
        PermitStatus status = p.status;
        if (status == PermitStatus.None) return PermitState.None;
        if (status == PermitStatus.Revoked) return PermitState.Revoked;
        if (status == PermitStatus.Suspended) return PermitState.Suspended;
        if (block.timestamp < p.validFrom) return PermitState.NotYetValid;
        if (block.timestamp >= p.validUntil) return PermitState.Expired;
        return PermitState.Active;
    }

    /// @dev The notice in force or the accreditation revision changed: every operator that ever
    /// held a permit gets the new copy. Bounded by the operators the regulator listed.
    function _platformValuesChanged() internal override {
        uint32 inForce = _noticeInForce;
        uint32 revision = _accreditationRevision;
        uint256 count = _operatorList.length;
        for (uint256 i; i < count; ++i) {
            OperatorSlot storage p = _operatorSlots[_operatorList[i]];
            if (p.status == PermitStatus.None) continue;
            p.noticeInForce = inForce;
            p.accreditationRevision = revision;
        }
    }

    /// @dev Lists an operator once, when it first gets a permit or details.
    function _list(address operator) private {
        if (_listed[operator]) return;
        _listed[operator] = true;
        _operatorList.push(operator);
    }
}
