// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {RegistryRoles} from "./RegistryRoles.sol";

/// @notice The list of recognised types of secured digital assets (Law art. 4.1.8).
abstract contract AssetTypes is RegistryRoles {
    mapping(uint32 typeId => AssetType) private _assetTypes;
    uint32 private _assetTypeCount;

    /// @inheritdoc IPlatformRegistry
    function listAssetType(string calldata name, AssetCategory category)
        external
        onlyRole(REGULATOR_ROLE)
        returns (uint32 typeId)
    {
        // Law art. 1.1: a secured digital asset certifies rights to goods, services or IP, never
        // to money or securities.
        if (
            category != AssetCategory.Goods && category != AssetCategory.Services
                && category != AssetCategory.IntellectualProperty
        ) revert Registry_CategoryNotAllowed(category);
        if (bytes(name).length == 0) revert Registry_EmptyName();
        typeId = ++_assetTypeCount;
        _assetTypes[typeId] = AssetType(category, true, name);
        emit AssetTypeListed(typeId, category, name, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function delistAssetType(uint32 typeId) external onlyRole(REGULATOR_ROLE) {
        _setListed(typeId, false);
        emit AssetTypeDelisted(typeId, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function relistAssetType(uint32 typeId) external onlyRole(REGULATOR_ROLE) {
        _setListed(typeId, true);
        emit AssetTypeRelisted(typeId, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function assetType(uint32 typeId) external view returns (AssetType memory) {
        return _assetTypes[typeId];
    }

    /// @inheritdoc IPlatformRegistry
    function assetTypeCount() external view returns (uint32) {
        return _assetTypeCount;
    }

    /// @inheritdoc IPlatformRegistry
    function isAssetTypeListed(uint32 typeId) external view returns (bool) {
        return _assetTypes[typeId].listed;
    }

    function _setListed(uint32 typeId, bool listed) private {
        AssetType storage entry = _assetTypes[typeId];
        if (entry.category == AssetCategory.None) revert Registry_AssetTypeUnknown(typeId);
        if (entry.listed == listed) revert Registry_AssetTypeAlreadyInState(typeId, listed);
        entry.listed = listed;
    }
}
