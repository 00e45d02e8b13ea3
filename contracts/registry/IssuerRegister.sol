// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {RegistryRoles} from "./RegistryRoles.sol";

/// @notice The state register of persons engaged in issuance (Law art. 4.1.10): public to all.
abstract contract IssuerRegister is RegistryRoles {
    mapping(address issuer => Issuer) private _issuers;
    address[] private _issuerList;

    /// @inheritdoc IPlatformRegistry
    function registerIssuer(
        address issuerWallet,
        string calldata legalName,
        string calldata businessId,
        string calldata jurisdiction,
        bytes32 detailsHash
    ) external onlyRole(REGULATOR_ROLE) {
        if (issuerWallet == address(0)) revert Registry_ZeroAddress();
        if (_issuers[issuerWallet].status != IssuerStatus.None) revert Registry_IssuerAlreadyRegistered(issuerWallet);
        if (!_validDetails(legalName, businessId, jurisdiction, detailsHash)) revert Registry_InvalidIssuerDetails();
        _issuers[issuerWallet] = Issuer(IssuerStatus.Active, legalName, businessId, jurisdiction, detailsHash);
        _issuerList.push(issuerWallet);
        emit IssuerRegistered(issuerWallet, legalName, businessId, jurisdiction, detailsHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function updateIssuer(
        address issuerWallet,
        string calldata legalName,
        string calldata businessId,
        string calldata jurisdiction,
        bytes32 detailsHash
    ) external onlyRole(REGULATOR_ROLE) {
        Issuer storage entry = _issuers[issuerWallet];
        if (entry.status == IssuerStatus.None) revert Registry_IssuerNotRegistered(issuerWallet);
        if (!_validDetails(legalName, businessId, jurisdiction, detailsHash)) revert Registry_InvalidIssuerDetails();
        entry.legalName = legalName;
        entry.businessId = businessId;
        entry.jurisdiction = jurisdiction;
        entry.detailsHash = detailsHash;
        emit IssuerUpdated(issuerWallet, legalName, businessId, jurisdiction, detailsHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function setIssuerStatus(address issuerWallet, IssuerStatus status, bytes32 reasonHash)
        external
        onlyRole(REGULATOR_ROLE)
    {
        Issuer storage entry = _issuers[issuerWallet];
        if (entry.status == IssuerStatus.None) revert Registry_IssuerNotRegistered(issuerWallet);
        // A removed issuer stays in the register as history; it is not brought back.
        if (status == IssuerStatus.None || status == entry.status || entry.status == IssuerStatus.Removed) {
            revert Registry_InvalidIssuerStatus(issuerWallet, status);
        }
        entry.status = status;
        emit IssuerStatusChanged(issuerWallet, status, reasonHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function issuer(address issuerWallet) external view returns (Issuer memory) {
        return _issuers[issuerWallet];
    }

    /// @inheritdoc IPlatformRegistry
    function isIssuerActive(address issuerWallet) public view returns (bool) {
        return _issuers[issuerWallet].status == IssuerStatus.Active;
    }

    /// @inheritdoc IPlatformRegistry
    function issuerCount() external view returns (uint256) {
        return _issuerList.length;
    }

    /// @inheritdoc IPlatformRegistry
    function issuers(uint256 start, uint256 limit) external view returns (address[] memory) {
        return _page(_issuerList, start, limit);
    }
}
